/*
 * acme-gateway - typed access to configuration values
 *
 * Copyright (c) 2019-2024 Acme Networks Ltd. All rights reserved.
 * CONFIDENTIAL AND PROPRIETARY. (Demo material: imaginary company.)
 *
 * Lookups mark the entry as used; agw_cfg_warn_unused() then reports every
 * key that no subsystem asked for, which catches misspelled options early.
 * When a key appears twice, the last occurrence wins.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "log.h"

const char *agw_cfg_get(struct agw_cfg *cfg, const char *section,
			const char *key)
{
	for (size_t i = cfg->count; i-- > 0;) {
		struct agw_cfg_entry *e = &cfg->entries[i];

		if (strcmp(e->section, section) == 0 && strcmp(e->key, key) == 0) {
			e->used = true;
			return e->value;
		}
	}
	return NULL;
}

const char *agw_cfg_get_str(struct agw_cfg *cfg, const char *section,
			    const char *key, const char *def)
{
	const char *v = agw_cfg_get(cfg, section, key);

	return v ? v : def;
}

int agw_cfg_get_u64(struct agw_cfg *cfg, const char *section, const char *key,
		    uint64_t def, uint64_t *out)
{
	const char *v = agw_cfg_get(cfg, section, key);
	unsigned long long n;
	char *end;

	*out = def;
	if (!v)
		return 0;
	errno = 0;
	n = strtoull(v, &end, 0);
	if (errno || end == v)
		goto bad;
	switch (*end) {
	case '\0': break;
	case 's': end++; break;
	case 'm': n *= 60; end++; break;
	case 'h': n *= 3600; end++; break;
	case 'k': case 'K': n <<= 10; end++; break;
	case 'M': n <<= 20; end++; break;
	case 'G': n <<= 30; end++; break;
	default: goto bad;
	}
	if (*end != '\0')
		goto bad;
	*out = n;
	return 0;
bad:
	agw_err("config: [%s] %s: not a number: '%s'", section, key, v);
	return -EINVAL;
}

int agw_cfg_get_bool(struct agw_cfg *cfg, const char *section,
		     const char *key, bool def, bool *out)
{
	const char *v = agw_cfg_get(cfg, section, key);

	*out = def;
	if (!v)
		return 0;
	if (!strcasecmp(v, "yes") || !strcasecmp(v, "true") || !strcmp(v, "1") ||
	    !strcasecmp(v, "on")) {
		*out = true;
		return 0;
	}
	if (!strcasecmp(v, "no") || !strcasecmp(v, "false") || !strcmp(v, "0") ||
	    !strcasecmp(v, "off")) {
		*out = false;
		return 0;
	}
	agw_err("config: [%s] %s: not a boolean: '%s'", section, key, v);
	return -EINVAL;
}

size_t agw_cfg_warn_unused(const struct agw_cfg *cfg)
{
	size_t n = 0;

	for (size_t i = 0; i < cfg->count; i++) {
		const struct agw_cfg_entry *e = &cfg->entries[i];

		if (e->used)
			continue;
		agw_warn("%s:%u: unknown key '%s' in [%s] (ignored)", cfg->path,
			 e->line, e->key, e->section);
		n++;
	}
	return n;
}
