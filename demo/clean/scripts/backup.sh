#!/bin/sh
# Keeps seven daily compressed snapshots of a directory.
# Usage: backup.sh SOURCE_DIR BACKUP_DIR
set -eu
SRC=${1:?source directory}
DST=${2:?backup directory}
KEEP=7
STAMP=$(date +%Y%m%d)
NAME=$(basename "$SRC")

mkdir -p "$DST"
tar -C "$(dirname "$SRC")" -czf "$DST/$NAME-$STAMP.tar.gz.part" "$NAME"
mv "$DST/$NAME-$STAMP.tar.gz.part" "$DST/$NAME-$STAMP.tar.gz"

# Remove the oldest snapshots beyond $KEEP.
ls -1 "$DST"/"$NAME"-*.tar.gz 2>/dev/null | sort | head -n -"$KEEP" | while read -r old; do
    echo "backup: removing $old"
    rm -f "$old"
done
echo "backup: $DST/$NAME-$STAMP.tar.gz ($(du -h "$DST/$NAME-$STAMP.tar.gz" | cut -f1))"
