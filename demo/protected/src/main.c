/*
 * acme-gateway - daemon entry point
 *
 * Copyright (c) 2019-2024 Acme Networks Ltd. All rights reserved.
 * CONFIDENTIAL AND PROPRIETARY. (Demo material: imaginary company.)
 *
 * Usage: acme-gw [-f] [-c CONFIG] [-d]
 *   -f  stay in the foreground, log to stderr
 *   -c  configuration file (default /etc/acme-gw/gateway.conf)
 *   -d  debug logging
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "gateway.h"
#include "log.h"

static struct agw_gateway g_gw;

uint64_t agw_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void agw_format_addr(const struct in6_addr *a, char *buf, size_t len)
{
	if (IN6_IS_ADDR_V4MAPPED(a))
		inet_ntop(AF_INET, &a->s6_addr[12], buf, (socklen_t)len);
	else
		inet_ntop(AF_INET6, a, buf, (socklen_t)len);
}

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		g_gw.reload_requested = 1;
	else
		g_gw.stop_requested = 1;
}

static int install_signals(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	if (sigaction(SIGHUP, &sa, NULL) || sigaction(SIGTERM, &sa, NULL) ||
	    sigaction(SIGINT, &sa, NULL))
		return -errno;
	signal(SIGPIPE, SIG_IGN);
	return 0;
}

static int apply_config(struct agw_gateway *gw)
{
	uint64_t buckets, max_sessions;
	const char *v;

	agw_cfg_get_u64(&gw->cfg, "sessions", "buckets", AGW_SESS_DEFAULT_BUCKETS,
			&buckets);
	agw_cfg_get_u64(&gw->cfg, "sessions", "max", 1u << 20, &max_sessions);
	v = agw_cfg_get_str(&gw->cfg, "log", "level", "notice");
	if (v) {
		enum agw_log_level level;

		if (agw_log_level_from_name(v, &level) == 0)
			agw_log_set_level(level);
	}
	snprintf(gw->api_endpoint, sizeof(gw->api_endpoint), "%s",
		 agw_cfg_get_str(&gw->cfg, "cloud", "endpoint", ""));
	snprintf(gw->api_key, sizeof(gw->api_key), "%s",
		 agw_cfg_get_str(&gw->cfg, "cloud", "api_key", ""));
	if (!gw->sessions) {
		gw->sessions = agw_sess_table_create(buckets, max_sessions);
		if (!gw->sessions)
			return -ENOMEM;
	}
	agw_cfg_warn_unused(&gw->cfg);
	return 0;
}

static int reload_config(struct agw_gateway *gw)
{
	struct agw_cfg fresh = { 0 };
	int rc;

	rc = agw_cfg_load(&fresh, gw->config_path);
	if (rc) {
		agw_err("reload: %s (keeping the running configuration)",
			fresh.error);
		agw_cfg_free(&fresh);
		return rc;
	}
	agw_cfg_free(&gw->cfg);
	gw->cfg = fresh;
	agw_notice("configuration reloaded from %s", gw->config_path);
	return apply_config(gw);
}

static void serve_cli(struct agw_gateway *gw)
{
	char line[512];
	int fd = accept4(gw->cli_fd, NULL, NULL, SOCK_CLOEXEC);
	FILE *f;

	if (fd < 0)
		return;
	f = fdopen(fd, "r+");
	if (!f) {
		close(fd);
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		agw_cli_execute(gw, line, f, true);
		fflush(f);
	}
	fclose(f);
}

static void main_loop(struct agw_gateway *gw)
{
	struct pollfd pfd = { .fd = gw->cli_fd, .events = POLLIN };
	uint64_t last_expire = agw_now_ns();

	while (!gw->stop_requested) {
		int n = poll(&pfd, 1, 100);

		if (n > 0 && (pfd.revents & POLLIN))
			serve_cli(gw);
		if (gw->reload_requested) {
			gw->reload_requested = 0;
			reload_config(gw);
		}
		if (agw_now_ns() - last_expire > 1000000000ull) {
			last_expire = agw_now_ns();
			agw_sess_expire(gw->sessions, last_expire, 4096);
		}
	}
}

int main(int argc, char **argv)
{
	struct agw_log_config logcfg = { .level = AGW_LOG_NOTICE,
					 .use_syslog = true,
					 .ident = "acme-gw" };
	int opt, rc;

	g_gw.config_path = AGW_DEFAULT_CONFIG;
	while ((opt = getopt(argc, argv, "fc:dV")) != -1) {
		switch (opt) {
		case 'f': logcfg.use_syslog = false; logcfg.with_timestamps = true; break;
		case 'c': g_gw.config_path = optarg; break;
		case 'd': logcfg.level = AGW_LOG_DEBUG; break;
		case 'V': printf("acme-gw %s\n", AGW_VERSION); return 0;
		default:
			fprintf(stderr, "usage: %s [-f] [-d] [-c CONFIG]\n", argv[0]);
			return 2;
		}
	}
	agw_log_init(&logcfg);
	rc = agw_cfg_load(&g_gw.cfg, g_gw.config_path);
	if (rc) {
		agw_err("%s", g_gw.cfg.error);
		return 1;
	}
	if (install_signals() || apply_config(&g_gw) ||
	    agw_crypto_global_init(agw_cfg_get_str(&g_gw.cfg, "crypto", "engine", NULL)))
		return 1;
	g_gw.cli_fd = agw_cli_listen(AGW_CLI_SOCKET);
	if (g_gw.cli_fd < 0) {
		agw_err("cli: %s: %s", AGW_CLI_SOCKET, strerror(-g_gw.cli_fd));
		return 1;
	}
	if (logcfg.use_syslog && daemon(0, 0) < 0) {
		agw_err("daemon: %s", strerror(errno));
		return 1;
	}
	agw_notice("acme-gw %s started", AGW_VERSION);
	main_loop(&g_gw);
	agw_notice("stopping");
	agw_sess_table_destroy(g_gw.sessions);
	agw_crypto_global_cleanup();
	agw_cfg_free(&g_gw.cfg);
	agw_log_shutdown();
	return 0;
}
