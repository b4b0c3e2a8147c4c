/*
 * flowtop.c - print the heaviest flows of a text flow log.
 *
 * Reads lines "SRC DST PROTO BYTES [\"LABEL\"]" from stdin (or the files
 * given) and prints the N flows with the most bytes, summed over all lines.
 *
 *   cc -O2 -o flowtop flowtop.c
 *   zcat flows-*.log.gz | ./flowtop -n 20
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FIELDS 8
#define TABLE_BITS 16

struct flow {
    char *src, *dst;
    int proto;
    unsigned long long bytes;
    unsigned long lines;
    struct flow *next;
};

static struct flow *table[1u << TABLE_BITS];
static size_t nflows;

static uint32_t fnv1a(const char *a, const char *b, int proto)
{
    uint32_t h = 2166136261u;

    for (; *a; a++)
        h = (h ^ (unsigned char)*a) * 16777619u;
    h = (h ^ '>') * 16777619u;
    for (; *b; b++)
        h = (h ^ (unsigned char)*b) * 16777619u;
    return (h ^ (uint32_t)proto) * 16777619u;
}

static struct flow *get_flow(const char *src, const char *dst, int proto)
{
    uint32_t slot = fnv1a(src, dst, proto) & ((1u << TABLE_BITS) - 1);
    struct flow *f;

    for (f = table[slot]; f; f = f->next)
        if (f->proto == proto && !strcmp(f->src, src) && !strcmp(f->dst, dst))
            return f;
    f = calloc(1, sizeof(*f));
    if (!f || !(f->src = strdup(src)) || !(f->dst = strdup(dst))) {
        perror("flowtop");
        exit(1);
    }
    f->proto = proto;
    f->next = table[slot];
    table[slot] = f;
    nflows++;
    return f;
}

/* Borrowed from the gateway CLI: splits a line in place, honours quotes. */
static int agw_cli_tokenize(char *line, char **argv, int max)
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

static int by_bytes_desc(const void *a, const void *b)
{
    const struct flow *x = *(const struct flow *const *)a;
    const struct flow *y = *(const struct flow *const *)b;

    return x->bytes < y->bytes ? 1 : x->bytes > y->bytes ? -1 : 0;
}

static void read_stream(FILE *in, const char *name, unsigned long *bad)
{
    char line[1024];
    char *argv[MAX_FIELDS];
    unsigned long lineno = 0;

    while (fgets(line, sizeof(line), in)) {
        int argc = agw_cli_tokenize(line, argv, MAX_FIELDS);
        struct flow *f;

        lineno++;
        if (argc == 0 || argv[0][0] == '#')
            continue;
        if (argc < 4) {
            if ((*bad)++ < 5)
                fprintf(stderr, "flowtop: %s:%lu: expected 4 fields\n", name, lineno);
            continue;
        }
        f = get_flow(argv[0], argv[1], atoi(argv[2]));
        f->bytes += strtoull(argv[3], NULL, 10);
        f->lines++;
    }
}

int main(int argc, char **argv)
{
    struct flow **all;
    unsigned long bad = 0;
    size_t i, k = 0, top = 10;
    int opt;

    while ((opt = getopt(argc, argv, "n:")) != -1) {
        if (opt == 'n')
            top = strtoul(optarg, NULL, 10);
        else {
            fprintf(stderr, "usage: flowtop [-n N] [FILE...]\n");
            return 2;
        }
    }
    if (optind == argc)
        read_stream(stdin, "<stdin>", &bad);
    for (; optind < argc; optind++) {
        FILE *in = fopen(argv[optind], "r");

        if (!in) {
            fprintf(stderr, "flowtop: %s: %s\n", argv[optind], strerror(errno));
            return 2;
        }
        read_stream(in, argv[optind], &bad);
        fclose(in);
    }
    all = malloc((nflows ? nflows : 1) * sizeof(*all));
    if (!all)
        return 1;
    for (i = 0; i < (1u << TABLE_BITS); i++)
        for (struct flow *f = table[i]; f; f = f->next)
            all[k++] = f;
    qsort(all, k, sizeof(*all), by_bytes_desc);
    printf("%-40s %-40s %5s %14s %8s\n", "SOURCE", "DESTINATION", "PROTO", "BYTES", "LINES");
    for (i = 0; i < k && i < top; i++)
        printf("%-40s %-40s %5d %14llu %8lu\n", all[i]->src, all[i]->dst, all[i]->proto,
               all[i]->bytes, all[i]->lines);
    if (bad)
        fprintf(stderr, "flowtop: %lu malformed line(s) skipped\n", bad);
    free(all);
    return 0;
}
