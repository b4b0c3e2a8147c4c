#!/usr/bin/env python3
"""gen.py N DIR: N small C files of distinct code under DIR/src/<a>/<b>/
(100 directories two levels deep), each about 60 lines: a protected tree
of N files for the HTML report's benchmark. Deterministic."""
import os
import random
import sys

WORDS = ("buf len count index node entry table hash key value list queue "
         "state flags size offset limit total start end head tail next prev "
         "data item slot page block chunk frame packet record field").split()


def name(r):
    return "_".join(r.sample(WORDS, 2)) + "_" + str(r.randrange(1000))


def function(r):
    f, a, b, c = name(r), name(r), name(r), name(r)
    k1, k2, k3 = r.randrange(2, 97), r.randrange(3, 89), r.randrange(5, 71)
    return f"""
static int {f}(const unsigned char *{a}, unsigned long {b})
{{
    unsigned long {c} = {k1};
    for (unsigned long i = 0; i < {b}; i++) {{
        if ({a}[i] % {k2} == {k3 % k2})
            {c} = {c} * {k1} + {a}[i];
        else if ({a}[i] > {k3})
            {c} ^= ({c} << {k2 % 13 + 1}) | {a}[i];
        else
            {c} += {k3} * i;
    }}
    return (int)({c} % {k1 * k2 + k3});
}}
"""


def main():
    n, out = int(sys.argv[1]), sys.argv[2]
    r = random.Random(16)
    for i in range(n):
        d = os.path.join(out, "src", f"m{i % 10}", f"p{(i // 10) % 10}")
        os.makedirs(d, exist_ok=True)
        body = "".join(function(r) for _ in range(4))
        with open(os.path.join(d, f"unit{i:05d}.c"), "w") as f:
            f.write(f"/* unit {i}: generated for the HTML benchmark */\n"
                    f"#include <stddef.h>\n{body}")


if __name__ == "__main__":
    main()
