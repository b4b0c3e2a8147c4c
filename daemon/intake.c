/* SPDX-License-Identifier: Apache-2.0
 *
 * intake: how `leakprint watch` takes items in from its inboxes. Each
 * regular file of an inbox (not one whose name starts with '.', nor a
 * NAME.meta.json sidecar, read for the file NAME) is taken in: its
 * SHA-256 computed, hard-linked into the evidence store
 * <dir of the case database>/evidence/<aa>/<sha256> (mode 0444; an
 * existing one is never overwritten; copied and fsync'd across file
 * systems), recorded with its sighting in one transaction, and only then
 * unlinked from the inbox: a crash at any point loses nothing (at worst
 * the item is seen again, and its take key keeps that from being a
 * second sighting). A NAME.posts.jsonl file holds posts: each is an item
 * (its title and body), and the attachments it names are items of its
 * group.
 */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "leakprint.h"
#include "cases.h"
#include "daemon.h"
#include "watch.h"
#include "banned.h" /* a list of poisoned names: defines nothing */

/* mkdir that accepts an existing directory: 0, or -1 after naming it. */
int lp_watch_make_dir(const char *dir)
{
    if (mkdir(dir, 0755) == 0 || errno == EEXIST)
        return 0;
    lp_daemon_error("'%s': cannot make the directory: %s", dir,
                    lp_daemon_strerror(errno));
    return -1;
}

static void fsync_dir(const char *dir)
{
    int fd = open(dir, O_RDONLY | O_DIRECTORY);
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
}

/* The hex SHA-256 of what fd holds (from its start): 0, or -1 (errno). */
static int sha256_fd(int fd, char hex[65], uint64_t *size)
{
    unsigned char buf[65536], md[32];
    unsigned mdlen = 0;
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    int r = ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) ? 0 : -1;
    ssize_t n = 0;
    *size = 0;
    if (r == 0 && lseek(fd, 0, SEEK_SET) != 0)
        r = -1;
    while (r == 0 && (n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 || !EVP_DigestUpdate(ctx, buf, (size_t)n))
            r = -1;
        else
            *size += (uint64_t)n;
    }
    if (r == 0 && !EVP_DigestFinal_ex(ctx, md, &mdlen))
        r = -1;
    EVP_MD_CTX_free(ctx);
    for (unsigned i = 0; r == 0 && i < 32; i++)
        snprintf(hex + 2 * i, 3, "%02x", md[i]);
    if (r < 0 && !errno)
        errno = ENOMEM;
    return r;
}

/* Copies fd (from its start) into a new file dst, fsync'd: 0, or -1. */
static int copy_fd(int fd, const char *dst)
{
    char buf[65536];
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
    if (out < 0)
        return -1;
    int r = lseek(fd, 0, SEEK_SET) == 0 ? 0 : -1;
    ssize_t n;
    while (r == 0 && (n = read(fd, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        for (ssize_t off = 0; n > 0 && off < n;) {
            ssize_t m = write(out, buf + off, (size_t)(n - off));
            if (m < 0 && errno == EINTR)
                continue;
            if (m <= 0) {
                r = -1;
                break;
            }
            off += m;
        }
        if (n < 0)
            r = -1;
    }
    if (r == 0 && fsync(out) != 0)
        r = -1;
    if (close(out) != 0)
        r = -1;
    if (r < 0) {
        int e = errno;
        unlink(dst);
        errno = e;
    }
    return r;
}

/* Puts the inbox file src (open as fd) into the evidence store as dest,
 * unless it is there already: a hard link on the same file system, else
 * a copy under a temporary name then linked in (link(2) never replaces
 * an existing file). 0, or -1 after naming the problem. */
static int store(struct watch *w, const char *src, int fd, const char *sha,
                 char *dest, size_t len)
{
    char dir[4200], tmp[4500];
    struct stat st;
    snprintf(dir, sizeof dir, "%s/%.2s", w->evidence, sha);
    if (lp_watch_make_dir(dir) < 0)
        return -1;
    snprintf(dest, len, "%s/%s", dir, sha);
    /* already stored: never overwritten (but made read-only below, for
     * a crash may have come between its link and its chmod) */
    if (lstat(dest, &st) != 0 && link(src, dest) != 0 && errno != EEXIST) {
        snprintf(tmp, sizeof tmp, "%s.tmp.%ld", dest, (long)getpid());
        unlink(tmp); // a leftover of a crashed run
        if (copy_fd(fd, tmp) != 0 || (link(tmp, dest) != 0 && errno != EEXIST)) {
            lp_daemon_error("'%s': cannot store it as '%s': %s", src, dest,
                            lp_daemon_strerror(errno));
            unlink(tmp);
            return -1;
        }
        unlink(tmp);
    }
    if (chmod(dest, 0444) != 0) {
        lp_daemon_error("'%s': cannot make it read-only: %s", dest,
                        lp_daemon_strerror(errno));
        return -1;
    }
    fsync_dir(dir);
    return 0;
}

/* The string field key of a sidecar, or NULL. */
static const char *field(json_t *meta, const char *key, const char *path,
                         bool *warned)
{
    json_t *v = json_object_get(meta, key);
    if (v && !json_is_string(v) && !json_is_null(v) && !*warned) {
        lp_daemon_error("warning: '%s': field '%s' is not a string, ignored",
                        path, key);
        *warned = true;
    }
    return json_string_value(v);
}

/* Reads the sidecar path (if present) into *meta (NULL when absent or
 * not usable: a warning then names it and why). */
static json_t *read_sidecar(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return NULL;
    if (!S_ISREG(st.st_mode) || st.st_size > WATCH_MAX_SIDECAR) {
        lp_daemon_error("warning: '%s': sidecar ignored: %s", path,
                        S_ISREG(st.st_mode) ? "larger than 1 MiB"
                                            : "not a regular file");
        return NULL;
    }
    json_error_t je;
    json_t *meta = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!meta || !json_is_object(meta)) {
        lp_daemon_error("warning: '%s': sidecar ignored: %s", path,
                        meta ? "not a JSON object" : je.text);
        json_decref(meta);
        return NULL;
    }
    return meta;
}

/* Whether name is a posts file's (NAME.posts.jsonl). */
static bool is_posts(const char *name)
{
    size_t n = strlen(name), k = strlen(".posts.jsonl");
    return n > k && !strcmp(name + n - k, ".posts.jsonl");
}

/* Opens the inbox file src for reading, if it is a regular file: the
 * descriptor, or -1 (a warning or an error named, unless it is gone). */
static int open_item(struct watch *w, const char *src, struct stat *st)
{
    int fd = open(src, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0 && fstat(fd, st) == 0 && S_ISREG(st->st_mode))
        return fd;
    /* only regular files are items: anything else is left alone */
    if (fd < 0 && errno == ENOENT)
        ; /* gone already (taken in by an earlier event or pass) */
    else if (fd < 0 && errno == ELOOP)
        lp_daemon_error("warning: '%s': a symbolic link, left in the "
                        "inbox", src);
    else if (fd >= 0)
        lp_daemon_error("warning: '%s': not a regular file, left in "
                        "the inbox", src);
    else {
        lp_daemon_error("'%s': %s", src, lp_daemon_strerror(errno));
        w->trouble = 1;
    }
    if (fd >= 0)
        close(fd);
    return -1;
}

/* What tells this inbox file from a later one of the same name. */
static void take_key(char *buf, size_t len, const struct stat *st,
                     const char *name)
{
    snprintf(buf, len, "%ju:%ju:%lld.%09ld:%s", (uintmax_t)st->st_dev,
             (uintmax_t)st->st_ino, (long long)st->st_mtim.tv_sec,
             st->st_mtim.tv_nsec, name);
}

/* Unlinks path from the inbox (recorded: the inbox may forget it). */
static void forget(struct watch *w, const char *path)
{
    if (unlink(path) != 0 && errno != ENOENT) {
        lp_daemon_error("'%s': cannot remove it from the inbox: %s", path,
                        lp_daemon_strerror(errno));
        w->trouble = 1;
    }
}

static void take_posts(struct watch *w, const char *inbox, const char *name);

void lp_watch_take_in(struct watch *w, const char *inbox, const char *name,
                      const struct lp_cases_sighting *post)
{
    char src[4096], side[4200], dest[4400], sha[65];
    uint64_t size = 0;
    struct stat st;
    if (!post && is_posts(name)) {
        take_posts(w, inbox, name);
        return;
    }
    snprintf(src, sizeof src, "%s/%s", inbox, name);
    snprintf(side, sizeof side, "%s.meta.json", src);
    int fd = open_item(w, src, &st);
    if (fd < 0)
        return;
    if (sha256_fd(fd, sha, &size) != 0) {
        lp_daemon_error("'%s': cannot read: %s", src,
                        lp_daemon_strerror(errno));
        w->trouble = 1;
        close(fd);
        return;
    }
    int r = store(w, src, fd, sha, dest, sizeof dest);
    close(fd);
    if (r < 0) {
        w->trouble = 1;
        return;
    }
    char take[4400];
    take_key(take, sizeof take, &st, name);
    bool warned = false;
    json_t *meta = read_sidecar(side);
    struct lp_cases_sighting s = {
        .name = name,
        .source = field(meta, "source", side, &warned),
        .url = field(meta, "url", side, &warned),
        .title = field(meta, "title", side, &warned),
        .author = field(meta, "author", side, &warned),
        .posted_at = field(meta, "posted_at", side, &warned),
        .collected_at = field(meta, "collected_at", side, &warned),
        .password = field(meta, "password", side, &warned),
        .take = take,
        .inbox = inbox,
    };
    if (post) {
        /* an attachment: the post says where it was seen */
        const char *pw = s.password;
        s = *post;
        s.name = name;
        s.take = take;
        s.inbox = inbox;
        s.password = post->password ? post->password : pw;
    }
    lp_err err = lp_cases_record(w->cases, sha, name, size, dest, &s, NULL);
    json_decref(meta);
    if (err) {
        lp_daemon_error("%s", lp_cases_errmsg(w->cases));
        w->trouble = 1;
        return;
    }
    forget(w, src);
    forget(w, side);
    fsync_dir(inbox);
}

/* The password a post's body gives for its archive ("password: x",
 * "pass = x", "pwd: x", "archive password is x"; the value may be
 * quoted), into out; false when none. The first one counts. */
static bool body_password(const char *body, char *out, size_t len)
{
    static const char *const keys[] = {"password", "passwd", "pass", "pwd"};
    for (const char *p = body; p && *p; p++) {
        size_t k = 0, klen = 0;
        for (; k < sizeof keys / sizeof *keys; k++)
            if (!strncasecmp(p, keys[k], klen = strlen(keys[k])))
                break;
        if (k == sizeof keys / sizeof *keys)
            continue;
        /* a word of its own: "bypass:" is no key */
        if (p > body && (isalnum((unsigned char)p[-1]) || p[-1] == '_'))
            continue;
        const char *q = p + klen;
        while (*q == ' ' || *q == '\t')
            q++;
        if (*q == ':' || *q == '=')
            q++;
        else if (!strncasecmp(q, "is ", 3))
            q += 3;
        else
            continue;
        while (*q == ' ' || *q == '\t')
            q++;
        char quote = (*q == '"' || *q == '\'' || *q == '`') ? *q++ : 0;
        size_t n = 0;
        while (q[n] && q[n] != '\n' && q[n] != '\r' &&
               (quote ? q[n] != quote : q[n] != ' ' && q[n] != '\t'))
            n++;
        if (!n || n >= len)
            continue;
        memcpy(out, q, n);
        out[n] = '\0';
        return true;
    }
    return false;
}

/* Whether an attachment's name may be looked up in the inbox: a plain
 * name in it, not a path out of it, nor a hidden file or a sidecar. */
static bool attachment_ok(const char *name)
{
    return *name && name[0] != '.' && !strchr(name, '/') &&
           !lp_watch_is_sidecar(name) && !is_posts(name) &&
           strlen(name) < 1024;
}

/* Stores len bytes as an item of the evidence store (through a
 * temporary file in it): its sha256 and path. 0, or -1 after naming the
 * problem (label: what they are). */
static int store_bytes(struct watch *w, const char *label, const char *buf,
                       size_t len, char sha[65], char *dest, size_t dlen)
{
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s/.post.%ld", w->evidence, (long)getpid());
    unlink(tmp); // a leftover of a crashed run
    int fd = open(tmp, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0444);
    int r = fd < 0 ? -1 : 0;
    for (size_t off = 0; !r && off < len;) {
        ssize_t m = write(fd, buf + off, len - off);
        if (m < 0 && errno == EINTR)
            continue;
        if (m <= 0)
            r = -1;
        else
            off += (size_t)m;
    }
    uint64_t size;
    if (!r && (fsync(fd) != 0 || sha256_fd(fd, sha, &size) != 0))
        r = -1;
    if (r)
        lp_daemon_error("'%s': cannot store it as '%s': %s", label, tmp,
                        lp_daemon_strerror(errno));
    else
        r = store(w, tmp, fd, sha, dest, dlen);
    if (fd >= 0)
        close(fd);
    unlink(tmp);
    return r;
}

/* The string field key of a post, or NULL (a warning for a wrong type). */
static const char *post_field(json_t *post, const char *key, const char *src,
                              size_t line)
{
    json_t *v = json_object_get(post, key);
    if (v && !json_is_string(v) && !json_is_null(v))
        lp_daemon_error("warning: '%s':%zu: field '%s' is not a string, "
                        "ignored", src, line, key);
    return json_string_value(v);
}

/* Takes in one post (line `line` of the posts file src, whose take key
 * is take): its text an item, then its attachments. */
static void take_post(struct watch *w, const char *inbox, const char *src,
                      const char *fname, const char *take, size_t line,
                      json_t *post)
{
    const char *id = post_field(post, "id", src, line);
    const char *title = post_field(post, "title", src, line);
    const char *body = post_field(post, "body", src, line);
    const char *pw = post_field(post, "password", src, line);
    json_t *att = json_object_get(post, "attachments");
    if (att && !json_is_array(att) && !json_is_null(att))
        lp_daemon_error("warning: '%s':%zu: field 'attachments' is not an "
                        "array, ignored", src, line);
    if (!body && !title && !json_array_size(att)) {
        lp_daemon_error("warning: '%s':%zu: a post with no title, body or "
                        "attachment, ignored", src, line);
        return;
    }
    /* the item is the post's text: its title, a blank line, its body */
    char *text = NULL;
    size_t tlen = 0;
    FILE *mem = open_memstream(&text, &tlen);
    if (!mem || fprintf(mem, "%s%s%s\n", title ? title : "",
                        title && body ? "\n\n" : "", body ? body : "") < 0 ||
        fclose(mem) != 0) {
        if (!mem)
            lp_daemon_error("'%s':%zu: out of memory", src, line);
        free(text);
        w->trouble = 1;
        return;
    }
    char name[1200], ptake[4500], sha[65], dest[4400], found[256];
    char label[4200];
    snprintf(name, sizeof name, "%s#%s", fname,
             id ? id : (snprintf(found, sizeof found, "%zu", line), found));
    snprintf(label, sizeof label, "%s:%zu", src, line);
    if (!pw && body && body_password(body, found, sizeof found))
        pw = found;
    int r = store_bytes(w, label, text, tlen, sha, dest, sizeof dest);
    uint64_t size = tlen;
    free(text);
    if (r < 0) {
        w->trouble = 1;
        return;
    }
    snprintf(ptake, sizeof ptake, "%s#%zu", take, line);
    struct lp_cases_sighting s = {
        .name = name,
        .source = post_field(post, "source", src, line),
        .url = post_field(post, "url", src, line),
        .title = title,
        .author = post_field(post, "author", src, line),
        .posted_at = post_field(post, "posted_at", src, line),
        .collected_at = post_field(post, "collected_at", src, line),
        .take = ptake,
        .inbox = inbox,
        .group = sha,
    };
    if (lp_cases_record(w->cases, sha, name, size, dest, &s, NULL)) {
        lp_daemon_error("%s", lp_cases_errmsg(w->cases));
        w->trouble = 1;
        return;
    }
    s.password = pw;
    size_t k;
    json_t *a;
    json_array_foreach(att, k, a)
    {
        const char *an = json_string_value(a);
        if (!an || !attachment_ok(an)) {
            lp_daemon_error("warning: '%s':%zu: attachment %zu is not a "
                            "name in the inbox, ignored", src, line, k + 1);
            continue;
        }
        char apath[4096], atake[4700], asha[65];
        struct stat st;
        snprintf(apath, sizeof apath, "%s/%s", inbox, an);
        if (lstat(apath, &st) == 0) {
            lp_watch_take_in(w, inbox, an, &s);
            continue;
        }
        /* taken in before its post came, or still to come */
        lp_err err = lp_cases_find_name(w->cases, an, asha);
        snprintf(atake, sizeof atake, "%s#%zu#%s", take, line, an);
        struct lp_cases_sighting as = s;
        as.name = an;
        as.take = atake;
        if (!err && asha[0])
            err = lp_cases_record(w->cases, asha, an, 0, "", &as, NULL);
        else if (!err)
            err = lp_cases_pending(w->cases, inbox, an, sha, pw);
        if (err) {
            lp_daemon_error("%s", lp_cases_errmsg(w->cases));
            w->trouble = 1;
        }
    }
}

/* The longest line of a posts file that is read (a post with its body;
 * attachments are files of their own). */
#define WATCH_MAX_POST (16u << 20)

/* Takes in the posts of the file NAME.posts.jsonl (one JSON object a
 * line), then unlinks it. A line that is no post is named and skipped. */
static void take_posts(struct watch *w, const char *inbox, const char *name)
{
    char src[4096], take[4400];
    struct stat st;
    snprintf(src, sizeof src, "%s/%s", inbox, name);
    int fd = open_item(w, src, &st);
    FILE *fp = fd >= 0 ? fdopen(fd, "r") : NULL;
    if (!fp) {
        if (fd >= 0) {
            lp_daemon_error("'%s': %s", src, lp_daemon_strerror(errno));
            w->trouble = 1;
            close(fd);
        }
        return;
    }
    take_key(take, sizeof take, &st, name);
    char *line = NULL;
    size_t cap = 0, no = 0;
    ssize_t n;
    bool ok = true;
    while (!lp_watch_stopping(w) && (n = getline(&line, &cap, fp)) >= 0) {
        no++;
        if ((size_t)n > WATCH_MAX_POST) {
            lp_daemon_error("warning: '%s':%zu: a line longer than 16 MiB, "
                            "ignored", src, no);
            continue;
        }
        if (strspn(line, " \t\r\n") == (size_t)n)
            continue;
        json_error_t je;
        json_t *post = json_loadb(line, (size_t)n, JSON_REJECT_DUPLICATES,
                                  &je);
        if (!json_is_object(post))
            lp_daemon_error("warning: '%s':%zu: not a post (a JSON object):"
                            " %s, ignored", src, no,
                            post ? "another JSON value" : je.text);
        else
            take_post(w, inbox, src, name, take, no, post);
        json_decref(post);
    }
    if (ferror(fp)) {
        lp_daemon_error("'%s': cannot read: %s", src,
                        lp_daemon_strerror(errno));
        w->trouble = 1;
        ok = false;
    }
    free(line);
    fclose(fp);
    /* stopped half-way: the rest is taken in at the next start (the
     * take keys keep what was recorded from being recorded twice) */
    if (ok && !w->stop) {
        forget(w, src);
        fsync_dir(inbox);
    }
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

bool lp_watch_is_sidecar(const char *name)
{
    size_t n = strlen(name), k = strlen(".meta.json");
    return n > k && !strcmp(name + n - k, ".meta.json");
}

void lp_watch_take_inbox(struct watch *w, const char *inbox)
{
    DIR *d = opendir(inbox);
    if (!d) {
        lp_daemon_error("'%s': cannot read the inbox: %s", inbox,
                        lp_daemon_strerror(errno));
        w->trouble = 1;
        return;
    }
    char **names = NULL;
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.' || lp_watch_is_sidecar(e->d_name))
            continue;
        char **p = realloc(names, (n + 1) * sizeof *names);
        if (!p || !(p[n] = strdup(e->d_name))) {
            names = p ? p : names;
            lp_daemon_error("'%s': out of memory", inbox);
            w->trouble = 1;
            break;
        }
        names = p;
        n++;
    }
    closedir(d);
    if (n)
        qsort(names, n, sizeof *names, by_name);
    /* posts first: their attachments are then taken in as theirs */
    for (int posts = 1; posts >= 0; posts--)
        for (size_t i = 0; i < n; i++)
            if (names[i] && is_posts(names[i]) == posts) {
                if (!lp_watch_stopping(w))
                    lp_watch_take_in(w, inbox, names[i], NULL);
                free(names[i]);
                names[i] = NULL;
            }
    free(names);
}
