#include "config.h"
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "log.h"
struct parser
{
    struct agw_cfg* cfg;
    const char *p, *end;
    unsigned line;
    char section[AGW_CFG_MAX_KEY];
};
static int parse_error(struct parser* ps, const char* fmt, ...)
{
    va_list ap;
    int n;
    n = snprintf(ps->cfg->error,
                 sizeof(ps->cfg->error),
                 "%s:%u: ",
                 ps->cfg->path[0] ? ps->cfg->path : "<buffer>",
                 ps->line);
    if (n < 0 || (size_t)n >= sizeof(ps->cfg->error))
        return -1;
    va_start(ap, fmt);
    vsnprintf(ps->cfg->error + n, sizeof(ps->cfg->error) - n, fmt, ap);
    va_end(ap);
    return -1;
}
static void skip_blanks(struct parser* ps)
{
    while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
        ps->p++;
}
static bool at_eol(struct parser* ps)
{
    return ps->p >= ps->end || *ps->p == '\n' || *ps->p == '#' || *ps->p == ';';
}
static void skip_to_next_line(struct parser* ps)
{
    while (ps->p < ps->end && *ps->p != '\n')
        ps->p++;
    if (ps->p < ps->end)
    {
        ps->p++;
        ps->line++;
    }
}
static int read_word(struct parser* ps, char* out, size_t cap)
{
    size_t n = 0;
    while (ps->p < ps->end && (isalnum((unsigned char)*ps->p) || strchr("_-.:/", *ps->p)))
    {
        if (n + 1 >= cap)
            return parse_error(ps, "name too long");
        out[n++] = *ps->p++;
    }
    out[n] = '\0';
    return n ? 0 : parse_error(ps, "expected a name");
}
static int read_quoted(struct parser* ps, char* out, size_t cap)
{
    size_t n = 0;
    ps->p++;
    while (ps->p < ps->end && *ps->p != '"')
    {
        char c = *ps->p++;
        if (c == '\n')
            return parse_error(ps, "unterminated string");
        if (c == '\\' && ps->p < ps->end)
        {
            c = *ps->p++;
            switch (c)
            {
                case 'n':
                    c = '\n';
                    break;
                case 't':
                    c = '\t';
                    break;
                case '"':
                case '\\':
                    break;
                default:
                    return parse_error(ps, "bad escape \\%c", c);
            }
        }
        if (n + 1 >= cap)
            return parse_error(ps, "value too long");
        out[n++] = c;
    }
    if (ps->p >= ps->end)
        return parse_error(ps, "unterminated string");
    ps->p++;
    out[n] = '\0';
    return 0;
}
static int read_bare_value(struct parser* ps, char* out, size_t cap)
{
    size_t n = 0;
    while (!at_eol(ps))
    {
        if (n + 1 >= cap)
            return parse_error(ps, "value too long");
        out[n++] = *ps->p++;
    }
    while (n > 0 && isspace((unsigned char)out[n - 1]))
        n--;
    out[n] = '\0';
    return 0;
}
static int add_entry(struct parser* ps, const char* key, const char* value)
{
    struct agw_cfg* cfg = ps->cfg;
    struct agw_cfg_entry* e;
    if (cfg->count >= AGW_CFG_MAX_ENTRIES)
        return parse_error(ps, "too many entries (max %d)", AGW_CFG_MAX_ENTRIES);
    e = &cfg->entries[cfg->count++];
    snprintf(e->section, sizeof(e->section), "%s", ps->section);
    snprintf(e->key, sizeof(e->key), "%s", key);
    snprintf(e->value, sizeof(e->value), "%s", value);
    e->line = ps->line;
    e->used = false;
    return 0;
}
static int parse_line(struct parser* ps)
{
    char key[AGW_CFG_MAX_KEY];
    char value[AGW_CFG_MAX_VALUE];
    skip_blanks(ps);
    if (at_eol(ps))
        return 0;
    if (*ps->p == '[')
    {
        ps->p++;
        if (read_word(ps, ps->section, sizeof(ps->section)))
            return -1;
        if (ps->p >= ps->end || *ps->p != ']')
            return parse_error(ps, "expected ']'");
        ps->p++;
        skip_blanks(ps);
        return at_eol(ps) ? 0 : parse_error(ps, "junk after section");
    }
    if (read_word(ps, key, sizeof(key)))
        return -1;
    skip_blanks(ps);
    if (ps->p >= ps->end || *ps->p != '=')
        return parse_error(ps, "expected '=' after '%s'", key);
    ps->p++;
    skip_blanks(ps);
    if (ps->p < ps->end && *ps->p == '"')
    {
        if (read_quoted(ps, value, sizeof(value)))
            return -1;
        skip_blanks(ps);
        if (!at_eol(ps))
            return parse_error(ps, "junk after string");
    }
    else if (read_bare_value(ps, value, sizeof(value)))
    {
        return -1;
    }
    return add_entry(ps, key, value);
}
int agw_cfg_parse_buffer(struct agw_cfg* cfg, const char* buf, size_t len)
{
    struct parser ps = { .cfg = cfg, .p = buf, .end = buf + len, .line = 1 };
    if (!cfg->entries)
    {
        cfg->entries = calloc(AGW_CFG_MAX_ENTRIES, sizeof(*cfg->entries));
        if (!cfg->entries)
            return -ENOMEM;
    }
    while (ps.p < ps.end)
    {
        if (parse_line(&ps))
            return -EINVAL;
        skip_to_next_line(&ps);
    }
    return 0;
}
int agw_cfg_load(struct agw_cfg* cfg, const char* path)
{
    FILE* f;
    char* buf;
    long size;
    int rc;
    snprintf(cfg->path, sizeof(cfg->path), "%s", path);
    f = fopen(path, "r");
    if (!f)
    {
        snprintf(cfg->error, sizeof(cfg->error), "%s: %s", path, strerror(errno));
        return -errno;
    }
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    rewind(f);
    if (size < 0 || size > (1L << 20))
    {
        fclose(f);
        snprintf(cfg->error, sizeof(cfg->error), "%s: too large", path);
        return -EFBIG;
    }
    buf = malloc((size_t)size + 1);
    if (!buf)
    {
        fclose(f);
        return -ENOMEM;
    }
    if (fread(buf, 1, (size_t)size, f) != (size_t)size)
    {
        free(buf);
        fclose(f);
        return -EIO;
    }
    fclose(f);
    rc = agw_cfg_parse_buffer(cfg, buf, (size_t)size);
    free(buf);
    return rc;
}
void agw_cfg_free(struct agw_cfg* cfg)
{
    free(cfg->entries);
    memset(cfg, 0, sizeof(*cfg));
}
