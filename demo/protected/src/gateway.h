/*
 * acme-gateway - daemon state shared by the main loop and the CLI
 *
 * Copyright (c) 2019-2024 Acme Networks Ltd. All rights reserved.
 * CONFIDENTIAL AND PROPRIETARY. (Demo material: imaginary company.)
 */
#ifndef AGW_GATEWAY_H
#define AGW_GATEWAY_H

#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "config.h"
#include "crypto.h"
#include "ring.h"
#include "session.h"

#define AGW_MAX_PORTS 8
#define AGW_VERSION "2.4.1"
#define AGW_DEFAULT_CONFIG "/etc/acme-gw/gateway.conf"

struct agw_port {
	char ifname[16];
	int fd;
	struct agw_ring *rx_ring;
	uint64_t rx_packets, rx_bytes;
};

struct agw_gateway {
	struct agw_cfg cfg;
	const char *config_path;
	struct agw_port ports[AGW_MAX_PORTS];
	unsigned nports;
	struct agw_sess_table *sessions;
	struct agw_crypto_ctx *tunnel;
	int cli_fd;
	uint64_t rx_packets, rx_drops;
	volatile sig_atomic_t reload_requested;
	volatile sig_atomic_t stop_requested;
	char api_endpoint[256];
	char api_key[128];
};

void agw_format_addr(const struct in6_addr *a, char *buf, size_t len);
uint64_t agw_now_ns(void);

#endif /* AGW_GATEWAY_H */
