/*
 * acme-gateway - configuration file parser
 *
 * Copyright (c) 2019-2024 Acme Networks Ltd. All rights reserved.
 * CONFIDENTIAL AND PROPRIETARY. (Demo material: imaginary company.)
 *
 * Format (see docs/admin-guide.md, "Configuration file"):
 *
 *     # comment
 *     [section]
 *     key = value            ; value: word, "quoted string", integer
 *     timeout = 30s          ; integers accept s/m/h and k/M/G suffixes
 */
#ifndef AGW_CONFIG_H
#define AGW_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AGW_CFG_MAX_KEY 64
#define AGW_CFG_MAX_VALUE 512
#define AGW_CFG_MAX_ENTRIES 1024

struct agw_cfg_entry {
	char section[AGW_CFG_MAX_KEY];
	char key[AGW_CFG_MAX_KEY];
	char value[AGW_CFG_MAX_VALUE];
	unsigned line;
	bool used;
};

struct agw_cfg {
	struct agw_cfg_entry *entries;
	size_t count;
	char path[256];
	char error[256];
};

int agw_cfg_load(struct agw_cfg *cfg, const char *path);
int agw_cfg_parse_buffer(struct agw_cfg *cfg, const char *buf, size_t len);
void agw_cfg_free(struct agw_cfg *cfg);

const char *agw_cfg_get(struct agw_cfg *cfg, const char *section,
			const char *key);
const char *agw_cfg_get_str(struct agw_cfg *cfg, const char *section,
			    const char *key, const char *def);
int agw_cfg_get_u64(struct agw_cfg *cfg, const char *section, const char *key,
		    uint64_t def, uint64_t *out);
int agw_cfg_get_bool(struct agw_cfg *cfg, const char *section,
		     const char *key, bool def, bool *out);

/* Logs a warning for every entry never read: catches typos in key names. */
size_t agw_cfg_warn_unused(const struct agw_cfg *cfg);

#endif /* AGW_CONFIG_H */
