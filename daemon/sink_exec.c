/* SPDX-License-Identifier: Apache-2.0
 *
 * sink_exec.c: `--alert exec:CMD`. For each alert, /bin/sh -c CMD runs in
 * a process group of its own with the alert's JSON and a newline on its
 * standard input, its standard output sent to watch's standard error,
 * its standard error kept. Exit status 0 delivers the alert; any other
 * status, a signal, or --exec-timeout seconds passing (the group is then
 * killed) leaves it in the outbox for the next run.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cases.h"
#include "daemon.h"
#include "sink.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

struct run {
    const char *spec, *cmd;
    const struct lp_sink_options *o;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs the command for one alert (the callback of lp_cases_deliver()): 0
 * when it exited 0. */
static int send_alert(void *ctx, const char *id, const char *json)
{
    struct run *r = ctx;
    int p[2];
    if (pipe2(p, O_CLOEXEC) < 0) {
        lp_daemon_error("'%s': cannot make a pipe: %s", r->spec,
                        lp_daemon_strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        lp_daemon_error("'%s': cannot start: %s", r->spec,
                        lp_daemon_strerror(errno));
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (pid == 0) {
        setpgid(0, 0);
        if (dup2(p[0], 0) < 0 || dup2(2, 1) < 0)
            _exit(127);
        execl("/bin/sh", "sh", "-c", r->cmd, (char *)NULL);
        _exit(127);
    }
    setpgid(pid, pid); // either side may run first
    close(p[0]);
    double deadline = now_s() + r->o->exec_timeout;
    /* the alert and a newline, without blocking on a command that does
     * not read it, nor dying of SIGPIPE when it exits first */
    struct sigaction ign = {.sa_handler = SIG_IGN}, old;
    sigaction(SIGPIPE, &ign, &old);
    fcntl(p[1], F_SETFL, O_NONBLOCK);
    size_t len = strlen(json), done = 0;
    while (done <= len && now_s() < deadline) {
        const char *from = done < len ? json + done : "\n";
        size_t n = done < len ? len - done : 1;
        ssize_t w = write(p[1], from, n);
        if (w > 0) {
            done += (size_t)w;
            continue;
        }
        if (w < 0 && errno != EAGAIN && errno != EINTR)
            break; // EPIPE: the command closed its input
        struct pollfd pf = {.fd = p[1], .events = POLLOUT};
        poll(&pf, 1, 50);
    }
    close(p[1]);
    sigaction(SIGPIPE, &old, NULL);
    int status = 0, timed_out = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid || (w < 0 && errno != EINTR))
            break;
        if (now_s() >= deadline) {
            kill(-pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            timed_out = 1;
            break;
        }
        lp_sink_sleep(0.01);
    }
    if (!timed_out && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    if (timed_out)
        lp_daemon_error("'%s': alert %s: the command did not end within "
                        "%g s (--exec-timeout); kept for the next run",
                        r->spec, id, r->o->exec_timeout);
    else if (WIFEXITED(status))
        lp_daemon_error("'%s': alert %s: exit status %d; kept for the next "
                        "run",
                        r->spec, id, WEXITSTATUS(status));
    else
        lp_daemon_error("'%s': alert %s: killed by signal %d; kept for the "
                        "next run",
                        r->spec, id,
                        WIFSIGNALED(status) ? WTERMSIG(status) : 0);
    return -1;
}

int lp_sink_exec(struct lp_cases *c, const char *spec, const char *cmd,
                 const struct lp_sink_options *o)
{
    struct run r = {.spec = spec, .cmd = cmd, .o = o};
    lp_err err = lp_cases_deliver(c, spec, send_alert, &r);
    if (err && err != LP_EABORTED)
        lp_daemon_error("%s", lp_cases_errmsg(c));
    return err ? -1 : 0;
}
