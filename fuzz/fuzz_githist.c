/* SPDX-License-Identifier: Apache-2.0
 *
 * fuzz_githist: hostile git histories through lp_walk_collect_history().
 * The input describes up to 8 commits, each a few files (any path bytes
 * libgit2 accepts, deep nesting, shared contents), a committer time (any
 * 64-bit value), a parent among the commits before and the refs that name
 * it; they are written with libgit2 into a bare repository made once per
 * process, whose refs are reset for each input. Checks: each (logical
 * path, blob) is listed once, never more than the cap, every entry has a
 * commit of this input, and the walk order is total (sorting twice gives
 * the same list).
 *
 * Input: byte 0: cap (0-15); then per commit: time (8 bytes, LE), parent
 * (1 byte: 0 none, else index+1 modulo the commits made), refs (1 byte:
 * bit 0 a branch, bit 1 a tag, bit 2 HEAD's branch), file count (1 byte,
 * at most 6), then per file: path length (1 byte), path, content length
 * (1 byte), content.
 */
#include <git2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hash.h"
#include "walk.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char repo_path[64];
static git_repository *repo;

static void remove_repo(void)
{
    char cmd[128];
    git_repository_free(repo);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", repo_path);
    if (system(cmd) != 0)
        fprintf(stderr, "%s: not removed\n", repo_path);
}

static void open_repo(void)
{
    if (repo)
        return;
    git_libgit2_init();
    snprintf(repo_path, sizeof repo_path, "/tmp/lp-fuzz-githist-XXXXXX");
    if (!mkdtemp(repo_path) || git_repository_init(&repo, repo_path, 1) != 0)
        abort();
    atexit(remove_repo);
}

/* The refs of the last input are removed: its commits are unreachable. */
static void drop_refs(void)
{
    git_strarray names = {0};
    if (git_reference_list(&names, repo) != 0)
        return;
    for (size_t i = 0; i < names.count; i++)
        git_reference_remove(repo, names.strings[i]);
    git_strarray_dispose(&names);
}

struct input {
    const uint8_t *p;
    size_t n;
};

static bool take(struct input *in, void *out, size_t n)
{
    if (in->n < n)
        return false;
    memcpy(out, in->p, n);
    in->p += n;
    in->n -= n;
    return true;
}

/* The tree of one commit's files; false when the input ends. */
static bool build_tree(struct input *in, git_oid *tree)
{
    git_index *idx = NULL;
    uint8_t nfiles = 0;
    if (!take(in, &nfiles, 1) || git_index_new(&idx) != 0)
        return false;
    for (unsigned i = 0; i < nfiles % 7; i++) {
        uint8_t plen = 0, clen = 0;
        char path[256], content[256];
        if (!take(in, &plen, 1) || !take(in, path, plen) ||
            !take(in, &clen, 1) || !take(in, content, clen))
            break;
        path[plen] = '\0';
        git_index_entry e = {.mode = GIT_FILEMODE_BLOB, .path = path};
        git_index_add_from_buffer(idx, &e, content, clen); /* may refuse */
    }
    bool ok = git_index_write_tree_to(tree, idx, repo) == 0;
    git_index_free(idx);
    return ok;
}

/* Makes the commits of the input; their ids into ids, their count. */
static size_t build_history(struct input *in, git_oid ids[8])
{
    size_t n = 0;
    while (n < 8) {
        int64_t when;
        uint8_t parent, refs;
        git_oid tree;
        if (!take(in, &when, sizeof when) || !take(in, &parent, 1) ||
            !take(in, &refs, 1) || !build_tree(in, &tree))
            break;
        git_tree *t = NULL;
        git_commit *par = NULL;
        git_signature *sig = NULL;
        bool made = false;
        if (git_tree_lookup(&t, repo, &tree) == 0 &&
            git_signature_new(&sig, "t", "t@example.com", when, 0) == 0) {
            if (parent && n)
                git_commit_lookup(&par, repo, &ids[(parent - 1) % n]);
            const git_commit *parents[1] = {par};
            made = git_commit_create(&ids[n], repo, NULL, sig, sig, NULL,
                                     "c", t, par ? 1 : 0, parents) == 0;
        }
        git_signature_free(sig);
        git_commit_free(par);
        git_tree_free(t);
        if (!made)
            break;
        char name[32];
        git_reference *ref = NULL;
        snprintf(name, sizeof name, "refs/heads/b%zu", n);
        if (refs & 1 && git_reference_create(&ref, repo, name, &ids[n], 1,
                                             NULL) == 0)
            git_reference_free(ref);
        snprintf(name, sizeof name, "refs/tags/t%zu", n);
        if (refs & 2 && git_reference_create(&ref, repo, name, &ids[n], 1,
                                             NULL) == 0)
            git_reference_free(ref);
        if (refs & 4 && git_reference_create(&ref, repo, "refs/heads/master",
                                             &ids[n], 1, NULL) == 0)
            git_reference_free(ref);
        n++;
    }
    return n;
}

static int cmp_pairs(const void *a, const void *b)
{
    const struct lp_walk_entry *x = a, *y = b;
    int c = strcmp(x->logical, y->logical);
    return c ? c : memcmp(x->oid, y->oid, sizeof x->oid);
}

static void check(const struct lp_walk_list *l, uint64_t cap,
                  const git_oid *ids, size_t nids)
{
    if (l->n > cap)
        abort();
    for (size_t i = 0; i < l->n; i++) {
        bool known = false;
        for (size_t k = 0; k < nids; k++)
            known |= !memcmp(l->v[i].commit, ids[k].id, 20);
        if (!l->v[i].has_commit || !l->v[i].git || !known)
            abort();
    }
    if (!l->n)
        return;
    struct lp_walk_entry *v = malloc(l->n * sizeof *v);
    if (!v)
        abort();
    memcpy(v, l->v, l->n * sizeof *v);
    qsort(v, l->n, sizeof *v, cmp_pairs);
    for (size_t i = 1; i < l->n; i++)
        if (!cmp_pairs(&v[i - 1], &v[i]))
            abort(); /* a (path, blob) listed twice */
    free(v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = {data, size};
    uint8_t cap = 0;
    git_oid ids[8];
    open_repo();
    drop_refs();
    if (!take(&in, &cap, 1))
        return 0;
    size_t nids = build_history(&in, ids);

    struct lp_walk_list l;
    struct lp_warner w;
    lp_walk_list_init(&l);
    lp_warner_init(&w, NULL, NULL);
    if (lp_walk_collect_history(repo_path, LP_WALK_RELATIVE, cap % 16, &l,
                                &w) != LP_OK)
        abort();
    check(&l, cap % 16, ids, nids);
    lp_walk_list_release(&l);
    lp_warner_release(&w);

    /* The whole walk: HEAD's files and the history, sorted in one order. */
    const char *roots[] = {repo_path};
    char err[512];
    lp_walk_list_init(&l);
    lp_warner_init(&w, NULL, NULL);
    lp_err e = lp_walk_collect_all(roots, 1,
                                   LP_WALK_RELATIVE | LP_WALK_GIT_HISTORY,
                                   NULL, &l, &w, err, sizeof err);
    if (e != LP_OK && e != LP_ENOTFOUND && e != LP_EIO)
        abort();
    lp_walk_list_release(&l);
    lp_warner_release(&w);
    return 0;
}
