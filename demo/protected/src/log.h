/*
 * acme-gateway - logging facade
 *
 * Copyright (c) 2019-2024 Acme Networks Ltd. All rights reserved.
 * CONFIDENTIAL AND PROPRIETARY. Distribution outside Acme Networks is
 * prohibited. (Demo material: the company and product are imaginary.)
 */
#ifndef AGW_LOG_H
#define AGW_LOG_H

#include <stdarg.h>
#include <stdbool.h>

enum agw_log_level {
	AGW_LOG_ERROR = 0,
	AGW_LOG_WARN = 1,
	AGW_LOG_NOTICE = 2,
	AGW_LOG_INFO = 3,
	AGW_LOG_DEBUG = 4,
};

struct agw_log_config {
	enum agw_log_level level;
	bool use_syslog;
	bool with_timestamps;
	const char *ident;
};

int agw_log_init(const struct agw_log_config *cfg);
void agw_log_shutdown(void);
void agw_log_set_level(enum agw_log_level level);
enum agw_log_level agw_log_get_level(void);
int agw_log_level_from_name(const char *name, enum agw_log_level *out);
const char *agw_log_level_name(enum agw_log_level level);

void agw_logv(enum agw_log_level level, const char *fmt, va_list ap);
void agw_log(enum agw_log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define agw_err(...)    agw_log(AGW_LOG_ERROR, __VA_ARGS__)
#define agw_warn(...)   agw_log(AGW_LOG_WARN, __VA_ARGS__)
#define agw_notice(...) agw_log(AGW_LOG_NOTICE, __VA_ARGS__)
#define agw_info(...)   agw_log(AGW_LOG_INFO, __VA_ARGS__)
#define agw_dbg(...)                                            \
	do {                                                    \
		if (agw_log_get_level() >= AGW_LOG_DEBUG)       \
			agw_log(AGW_LOG_DEBUG, __VA_ARGS__);    \
	} while (0)

/* Rate-limited variant: at most one message per `interval_s` per call site. */
#define agw_warn_ratelimited(interval_s, ...)                           \
	do {                                                            \
		static long agw__last_;                                 \
		long agw__now_ = agw_log_monotonic_s();                 \
		if (agw__now_ - agw__last_ >= (interval_s)) {           \
			agw__last_ = agw__now_;                         \
			agw_log(AGW_LOG_WARN, __VA_ARGS__);             \
		}                                                       \
	} while (0)

long agw_log_monotonic_s(void);

#endif /* AGW_LOG_H */
