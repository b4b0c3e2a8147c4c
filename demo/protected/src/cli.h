/*
 * acme-gateway - management CLI (unix socket)
 *
 * Copyright (c) 2019-2024 Acme Networks Ltd. All rights reserved.
 * CONFIDENTIAL AND PROPRIETARY. (Demo material: imaginary company.)
 */
#ifndef AGW_CLI_H
#define AGW_CLI_H

#include <stdbool.h>
#include <stdio.h>

#define AGW_CLI_MAX_ARGS 16
#define AGW_CLI_SOCKET "/run/acme-gw/cli.sock"

struct agw_gateway; /* main.c */

struct agw_cli_cmd {
	const char *words;      /* "show sessions" */
	const char *usage;      /* "[limit N]" */
	const char *help;
	int min_args, max_args; /* after the command words */
	bool admin_only;
	int (*run)(struct agw_gateway *gw, FILE *out, int argc, char **argv);
};

int agw_cli_listen(const char *path);
int agw_cli_execute(struct agw_gateway *gw, char *line, FILE *out, bool admin);
int agw_cli_tokenize(char *line, char **argv, int max);

#endif /* AGW_CLI_H */
