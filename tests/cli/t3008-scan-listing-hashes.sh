#!/usr/bin/env bash
# Size listings (du -ab, find -printf '%s %p\n'), checksum manifests
# (sha256sum, md5sum, the BSD form, git ls-tree -r, git ls-files -s) and
# the weighing of names (docs/VERDICT.md): a listed size equal to the
# registered file's counts twice; a listed SHA-256 or git blob id equal to
# the registered contents is content evidence that can confirm alone; a
# full listing of a small collection with distinctive names is likely, and
# generic names (Makefile, README.md) alone are at most unlikely.
. "$(dirname "$0")/lib.sh"

# core: 40 files of distinct sizes, registered from a git repository
mkdir -p "$T/core" && cd "$T/core"
for d in src/net src/db tools docs; do
    mkdir -p "$d"
    for i in $(seq 1 10); do
        { printf '/* %s %s */\n' "$d" "$i"; for k in $(seq 1 "$i"); do
              printf 'int f_%s_%s(void) { return %s; }\n' "$i" "$k" "$k"; done; } \
            >"$d/mod_$i.c"
    done
done
git init -q && git add . && git -c user.name=t -c user.email=t@t commit -qm v1
"$LP" add -q --name core --version 1.0 --history=none "$T/core"
mkdir -p "$T/leak" && cp -r "$T/core" "$T/leak/core-1.0" && rm -rf "$T/leak/core-1.0/.git"
mkdir "$T/l"
cd "$T/leak"

scan_json() { run_rc "$LP" scan --format json "$@"; }
col() { jqv ".listings[0].listing.collections[0] | $1"; }

# (a) du -ab and find -printf '%s %p\n': sizes agree
du -ab core-1.0 >"$T/l/du.txt"
find core-1.0 -type f -printf '%s %p\n' | sort >"$T/l/find-s.txt"
for f in du find-s; do
    scan_json "$T/l/$f.txt"
    expect_eq "$f exit" 1 "$rc"
    expect_eq "$f format" sizes "$(jqv '.listings[0].listing.format')"
    expect_eq "$f level" likely "$(jqv .verdict.level)"
    expect_eq "$f how" "40 0 40 0 0 40" \
        "$(col '"\(.assets_named) \(.how.name) \(.how.size) \(.how.sha256) \(.how["git-blob"]) \(.distinctive)"')"
done
# 12 of the 40 files: with their sizes likely, by name alone unlikely
find core-1.0/src -type f -name 'mod_[1-6].c' -printf '%s %p\n' | sort >"$T/l/part-s.txt"
find core-1.0/src -type f -name 'mod_[1-6].c' | sort >"$T/l/part.txt"
find core-1.0/src -type f -name 'mod_[1-6].c' -printf '%s1 %p\n' | sort >"$T/l/part-bad.txt"
scan_json "$T/l/part-s.txt"
expect_eq "part-s" "1 likely 12 12" "$rc $(jqv .verdict.level) $(col '"\(.assets_named) \(.how.size)"')"
scan_json "$T/l/part.txt"
expect_eq "part" "0 unlikely 12 0" "$rc $(jqv .verdict.level) $(col '"\(.assets_named) \(.how.size)"')"
scan_json "$T/l/part-bad.txt"
expect_eq "part-bad" "0 unlikely 12 0" "$rc $(jqv .verdict.level) $(col '"\(.assets_named) \(.how.size)"')"

# (b) checksum manifests: SHA-256 and git blob ids are checked (core was
# added with --history: its ids are git's own)
sha256sum $(find core-1.0 -type f | sort) >"$T/l/sha256.txt"
sha256sum -b $(find core-1.0 -type f | sort) >"$T/l/sha256-b.txt"
sha256sum --tag $(find core-1.0 -type f | sort) >"$T/l/sha256-bsd.txt"
(cd core-1.0 && git init -q && git add . && git ls-files -s >"$T/l/ls-files.txt" &&
    git -c user.name=t -c user.email=t@t commit -qm x &&
    git ls-tree -r HEAD >"$T/l/ls-tree.txt" && git ls-tree -r -l HEAD >"$T/l/ls-tree-l.txt" &&
    rm -rf .git)
for f in sha256 sha256-b sha256-bsd ls-files ls-tree ls-tree-l; do
    scan_json "$T/l/$f.txt"
    expect_eq "$f exit" 1 "$rc"
    expect_eq "$f level" confirmed "$(jqv .verdict.level)"
done
expect_eq "formats" "checksums checksums checksums git git git" \
    "$(for f in sha256 sha256-b sha256-bsd ls-files ls-tree ls-tree-l; do
           "$LP" scan --format json "$T/l/$f.txt" | jq -r '.listings[0].listing.format'; done | tr '\n' ' ' | sed 's/ $//')"
scan_json "$T/l/sha256.txt"
expect_eq "sha256 how" "40 0 0 40 0" \
    "$(col '"\(.assets_named) \(.how.name) \(.how.size) \(.how.sha256) \(.how["git-blob"])"')"
# a file whose hash matches counts like an exact copy in the scope
expect_eq "sha256 scope" "0 core 40 40 1" \
    "$(jqv '"\(.scope.files_matched) \(.scope.collections[0] | "\(.name) \(.assets_matched) \(.assets_total) \(.coverage)")"')"
expect_eq "sha256 summary" "a file listing names 40 of the 40 registered files of protected collection 'core', 40 of them with the hash of their registered contents" \
    "$(jqv .verdict.summary)"
scan_json "$T/l/ls-tree-l.txt"
expect_eq "ls-tree-l how" "40 0 0 0 40 40" \
    "$(col '"\(.assets_named) \(.how.name) \(.how.size) \(.how.sha256) \(.how["git-blob"])"') $(jqv '.scope.collections[0].assets_matched')"
"$LP" scan "$T/l/ls-tree.txt" >"$T/out" || true
grep -qx "       matching the registered files: 0 by size, 0 by SHA-256, 40 by git blob id" "$T/out" ||
    die "text: $(cat "$T/out")"
# md5sum cannot be checked (the registry keeps no MD5): names only
md5sum $(find core-1.0 -type f | sort) >"$T/l/md5.txt"
scan_json "$T/l/md5.txt"
expect_eq "md5" "1 likely checksums 40 40 0" \
    "$rc $(jqv .verdict.level) $(jqv .listings[0].listing.format) $(col '"\(.assets_named) \(.how.name)"') $(jqv '.scope.collections | length')"
# hashes of other contents under the right paths: name evidence only
for f in $(find core-1.0 -type f); do echo changed >>"$f"; done
sha256sum $(find core-1.0 -type f | sort) >"$T/l/sha256-other.txt"
scan_json "$T/l/sha256-other.txt"
expect_eq "sha256-other" "1 likely 40 0" "$rc $(jqv .verdict.level) $(col '"\(.how.name) \(.how.sha256)"')"
# JSONL read back (as t5004): the same bytes in every format
RT=$BUILD_DIR/tools/jsonl_roundtrip
[ -x "$RT" ] || die "$RT is not built (make test builds it)"
for l in sha256 ls-tree-l du; do
    for f in jsonl json text sarif; do
        "$LP" scan --format $f "$T/l/$l.txt" >"$T/direct.$f" || true
    done
    for f in jsonl json text sarif; do
        "$RT" $f "$T/direct.jsonl" >"$T/back.$f" || die "$l: read back failed"
        cmp -s "$T/direct.$f" "$T/back.$f" || die "$l: $f read back differs"
    done
done

# (c) a full listing of a small collection with distinctive names
mkdir -p "$T/small/lib" && cd "$T/small"
for n in ring_buffer packet_parser ngap_codec sctp_assoc gtp_tunnel pfcp_session \
         nas_security amf_context; do
    printf 'int %s(void) { return 1; }\n' "$n" >"lib/$n.c"
done
for n in smf_select upf_route ausf_vector udm_profile nrf_client pcf_policy; do
    printf 'int %s(void) { return 2; }\n' "$n" >"$n.c"
done
"$LP" --db "$T/reg2" add -q --name small .
mkdir -p "$T/leak2" && cp -r "$T/small" "$T/leak2/sm" && cd "$T/leak2"
find . | sort >"$T/l/small.txt"
run_rc "$LP" --db "$T/reg2" scan --format json "$T/l/small.txt"
expect_eq "small" "1 likely 14 14 14" \
    "$rc $(jqv .verdict.level) $(col '"\(.assets_named) \(.assets_total) \(.distinctive)"')"
# small was added from a plain directory: add records the git blob ids
# of what it reads all the same, so git's listings of a copy confirm
(cd sm && git init -q && git add . && git ls-files -s >"$T/l/small-ls-files.txt" && rm -rf .git)
run_rc "$LP" --db "$T/reg2" scan --format json "$T/l/small-ls-files.txt"
expect_eq "small git" "1 confirmed 14" \
    "$rc $(jqv .verdict.level) $(col '.how["git-blob"]')"

# generic names only (Makefile, README.md in 30 modules): at most unlikely
mkdir -p "$T/gen" && cd "$T/gen"
for i in $(seq 1 30); do
    mkdir "m$i" && printf 'all:\n\techo %s\n' "$i" >"m$i/Makefile" && printf '# m%s\n' "$i" >"m$i/README.md"
done
"$LP" --db "$T/reg3" add -q --name gen .
cd "$T/gen" && find m1 m2 m3 m4 m5 m6 m7 m8 m9 m1? m2[0-5] -type f | sort >"$T/l/gen.txt"
run_rc "$LP" --db "$T/reg3" scan --format json "$T/l/gen.txt"
expect_eq "generic" "0 unlikely 50 0" \
    "$rc $(jqv .verdict.level) $(col '"\(.assets_named) \(.distinctive)"')"
