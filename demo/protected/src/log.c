/*
 * acme-gateway - logging facade
 *
 * Copyright (c) 2019-2024 Acme Networks Ltd. All rights reserved.
 * CONFIDENTIAL AND PROPRIETARY. (Demo material: imaginary company.)
 *
 * Messages go to syslog (daemon facility) when the gateway runs detached,
 * otherwise to stderr with an optional timestamp. The level can be changed
 * at run time from the CLI ("set log-level debug").
 */
#include "log.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>

static const char *const level_names[] = {
	[AGW_LOG_ERROR] = "error",
	[AGW_LOG_WARN] = "warn",
	[AGW_LOG_NOTICE] = "notice",
	[AGW_LOG_INFO] = "info",
	[AGW_LOG_DEBUG] = "debug",
};

static const int level_to_syslog[] = {
	[AGW_LOG_ERROR] = LOG_ERR,
	[AGW_LOG_WARN] = LOG_WARNING,
	[AGW_LOG_NOTICE] = LOG_NOTICE,
	[AGW_LOG_INFO] = LOG_INFO,
	[AGW_LOG_DEBUG] = LOG_DEBUG,
};

static struct {
	volatile int level;
	bool use_syslog;
	bool with_timestamps;
	pthread_mutex_t lock;
} g_log = {
	.level = AGW_LOG_NOTICE,
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

int agw_log_init(const struct agw_log_config *cfg)
{
	g_log.level = cfg->level;
	g_log.use_syslog = cfg->use_syslog;
	g_log.with_timestamps = cfg->with_timestamps;
	if (g_log.use_syslog)
		openlog(cfg->ident ? cfg->ident : "acme-gw", LOG_PID | LOG_NDELAY,
			LOG_DAEMON);
	return 0;
}

void agw_log_shutdown(void)
{
	if (g_log.use_syslog)
		closelog();
	g_log.use_syslog = false;
}

void agw_log_set_level(enum agw_log_level level)
{
	if (level > AGW_LOG_DEBUG)
		level = AGW_LOG_DEBUG;
	g_log.level = level;
}

enum agw_log_level agw_log_get_level(void)
{
	return (enum agw_log_level)g_log.level;
}

const char *agw_log_level_name(enum agw_log_level level)
{
	if ((unsigned)level > AGW_LOG_DEBUG)
		return "?";
	return level_names[level];
}

int agw_log_level_from_name(const char *name, enum agw_log_level *out)
{
	for (unsigned i = 0; i <= AGW_LOG_DEBUG; i++) {
		if (strcasecmp(name, level_names[i]) == 0) {
			*out = (enum agw_log_level)i;
			return 0;
		}
	}
	return -1;
}

long agw_log_monotonic_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (long)ts.tv_sec;
}

void agw_logv(enum agw_log_level level, const char *fmt, va_list ap)
{
	char stamp[32] = "";

	if ((int)level > g_log.level)
		return;
	if (g_log.use_syslog) {
		vsyslog(level_to_syslog[level], fmt, ap);
		return;
	}
	if (g_log.with_timestamps) {
		struct timespec ts;
		struct tm tm;

		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ ", &tm);
	}
	pthread_mutex_lock(&g_log.lock);
	fprintf(stderr, "%s%s: ", stamp, level_names[level]);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	pthread_mutex_unlock(&g_log.lock);
}

void agw_log(enum agw_log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	agw_logv(level, fmt, ap);
	va_end(ap);
}
