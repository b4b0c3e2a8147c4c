/*
 * acme-gateway - management CLI (unix socket)
 *
 * Copyright (c) 2019-2024 Acme Networks Ltd. All rights reserved.
 * CONFIDENTIAL AND PROPRIETARY. (Demo material: imaginary company.)
 *
 * acme-gwctl connects to a unix socket and sends one command per line. The
 * reply ends with a line "% ok" or "% error: <reason>". Commands are matched
 * by their leading words, so "sh sess" is accepted for "show sessions" as
 * long as the prefix is unambiguous.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "cli.h"
#include "gateway.h"
#include "log.h"
#include "session.h"

static int cmd_show_sessions(struct agw_gateway *gw, FILE *out, int argc,
			     char **argv);
static int cmd_show_stats(struct agw_gateway *gw, FILE *out, int argc,
			  char **argv);
static int cmd_set_log_level(struct agw_gateway *gw, FILE *out, int argc,
			     char **argv);
static int cmd_reload(struct agw_gateway *gw, FILE *out, int argc, char **argv);
static int cmd_help(struct agw_gateway *gw, FILE *out, int argc, char **argv);

static const struct agw_cli_cmd commands[] = {
	{ "show sessions", "[limit N]", "list active sessions, oldest first",
	  0, 2, false, cmd_show_sessions },
	{ "show stats", "", "packet, session and crypto counters",
	  0, 0, false, cmd_show_stats },
	{ "set log-level", "error|warn|notice|info|debug",
	  "change the log level until restart", 1, 1, true, cmd_set_log_level },
	{ "reload", "", "re-read the configuration file", 0, 0, true, cmd_reload },
	{ "help", "", "this list", 0, 0, false, cmd_help },
};

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

int agw_cli_tokenize(char *line, char **argv, int max)
{
	int argc = 0;
	char *p = line;

	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			*p++ = '\0';
		if (!*p)
			break;
		if (argc == max)
			return -E2BIG;
		if (*p == '"') {
			argv[argc++] = ++p;
			while (*p && *p != '"')
				p++;
			if (*p != '"')
				return -EINVAL;
			*p++ = '\0';
		} else {
			argv[argc++] = p;
			while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\n')
				p++;
		}
	}
	return argc;
}

/* Number of words of `words` matched as prefixes by argv, or 0. */
static int match_words(const char *words, int argc, char **argv)
{
	char buf[64];
	char *w[4];
	int n, i;

	snprintf(buf, sizeof(buf), "%s", words);
	n = agw_cli_tokenize(buf, w, 4);
	if (n <= 0 || argc < n)
		return 0;
	for (i = 0; i < n; i++)
		if (strncmp(w[i], argv[i], strlen(argv[i])) != 0)
			return 0;
	return n;
}

int agw_cli_execute(struct agw_gateway *gw, char *line, FILE *out, bool admin)
{
	char *argv[AGW_CLI_MAX_ARGS];
	const struct agw_cli_cmd *found = NULL;
	int argc, used = 0, rc;

	argc = agw_cli_tokenize(line, argv, AGW_CLI_MAX_ARGS);
	if (argc < 0) {
		fprintf(out, "%% error: cannot parse command\n");
		return argc;
	}
	if (argc == 0)
		return 0;
	for (size_t i = 0; i < NCOMMANDS; i++) {
		int n = match_words(commands[i].words, argc, argv);

		if (!n)
			continue;
		if (found) {
			fprintf(out, "%% error: ambiguous command\n");
			return -EINVAL;
		}
		found = &commands[i];
		used = n;
	}
	if (!found) {
		fprintf(out, "%% error: unknown command '%s' (try 'help')\n", argv[0]);
		return -ENOENT;
	}
	if (found->admin_only && !admin) {
		fprintf(out, "%% error: permission denied\n");
		return -EPERM;
	}
	argc -= used;
	if (argc < found->min_args || argc > found->max_args) {
		fprintf(out, "%% error: usage: %s %s\n", found->words, found->usage);
		return -EINVAL;
	}
	rc = found->run(gw, out, argc, argv + used);
	fprintf(out, rc ? "%% error: %s\n" : "%% ok\n", strerror(-rc));
	return rc;
}

struct show_ctx {
	FILE *out;
	long limit;
	long shown;
};

static int print_session(const struct agw_session *s, void *arg)
{
	struct show_ctx *c = arg;
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];

	if (c->limit >= 0 && c->shown >= c->limit)
		return 1;
	agw_format_addr(&s->key.src, src, sizeof(src));
	agw_format_addr(&s->key.dst, dst, sizeof(dst));
	fprintf(c->out, "%-5u %s:%u -> %s:%u  pkts %llu/%llu bytes %llu/%llu\n",
		s->key.proto, src, s->key.sport, dst, s->key.dport,
		(unsigned long long)s->pkts[0], (unsigned long long)s->pkts[1],
		(unsigned long long)s->bytes[0], (unsigned long long)s->bytes[1]);
	c->shown++;
	return 0;
}

static int cmd_show_sessions(struct agw_gateway *gw, FILE *out, int argc,
			     char **argv)
{
	struct show_ctx c = { .out = out, .limit = -1 };

	if (argc == 2 && strcmp(argv[0], "limit") == 0)
		c.limit = strtol(argv[1], NULL, 10);
	else if (argc != 0)
		return -EINVAL;
	agw_sess_foreach(gw->sessions, print_session, &c);
	fprintf(out, "%ld session(s) shown\n", c.shown);
	return 0;
}

static int cmd_show_stats(struct agw_gateway *gw, FILE *out, int argc,
			  char **argv)
{
	struct agw_sess_stats st;

	(void)argc;
	(void)argv;
	agw_sess_stats(gw->sessions, &st);
	fprintf(out, "sessions active   %zu\n", st.active);
	fprintf(out, "sessions inserted %llu\n", (unsigned long long)st.inserts);
	fprintf(out, "sessions evicted  %llu\n", (unsigned long long)st.evictions);
	fprintf(out, "sessions expired  %llu\n", (unsigned long long)st.expired);
	fprintf(out, "lookups / hits    %llu / %llu\n",
		(unsigned long long)st.lookups, (unsigned long long)st.hits);
	fprintf(out, "rx packets        %llu\n", (unsigned long long)gw->rx_packets);
	fprintf(out, "rx drops (ring)   %llu\n", (unsigned long long)gw->rx_drops);
	return 0;
}

static int cmd_set_log_level(struct agw_gateway *gw, FILE *out, int argc,
			     char **argv)
{
	enum agw_log_level level;

	(void)gw;
	(void)argc;
	if (agw_log_level_from_name(argv[0], &level))
		return -EINVAL;
	agw_log_set_level(level);
	fprintf(out, "log level is now %s\n", agw_log_level_name(level));
	return 0;
}

static int cmd_reload(struct agw_gateway *gw, FILE *out, int argc, char **argv)
{
	(void)out;
	(void)argc;
	(void)argv;
	gw->reload_requested = 1;
	return 0;
}

static int cmd_help(struct agw_gateway *gw, FILE *out, int argc, char **argv)
{
	(void)gw;
	(void)argc;
	(void)argv;
	for (size_t i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-16s %-28s %s%s\n", commands[i].words,
			commands[i].usage, commands[i].help,
			commands[i].admin_only ? " (admin)" : "");
	return 0;
}

int agw_cli_listen(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    chmod(path, 0660) < 0 || listen(fd, 8) < 0) {
		int err = errno;

		close(fd);
		return -err;
	}
	agw_info("cli: listening on %s", path);
	return fd;
}
