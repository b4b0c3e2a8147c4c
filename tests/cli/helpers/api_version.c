/* SPDX-License-Identifier: Apache-2.0
 *
 * api_version: a program on the installed library (t0003 builds it as
 * scripts/build-examples.sh builds examples/): prints lp_version() and the
 * name of the error that opening a missing registry gives.
 */
#include <stdio.h>

#include <leakprint.h>

int main(int argc, char **argv)
{
    lp_registry *reg = NULL;
    lp_err err = lp_registry_open(argc > 1 ? argv[1] : "/nonexistent", 0,
                                  &reg);
    printf("%s %s\n", lp_version(), lp_strerror(err));
    lp_registry_close(reg);
    return 0;
}
