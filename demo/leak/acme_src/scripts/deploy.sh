#!/bin/bash
# acme-gateway - push a firmware image to a fleet of appliances.
# Copyright (c) 2019-2024 Acme Networks Ltd. CONFIDENTIAL AND PROPRIETARY.
# (Demo material: imaginary company; hosts are in the reserved .example domain.)
#
# Usage: scripts/deploy.sh IMAGE HOSTS_FILE [--canary N] [--dry-run]
#   HOSTS_FILE: one appliance management address per line, '#' comments.
#   The first N hosts (default 2) are upgraded first; the rest only when
#   the canaries report healthy within 5 minutes.
set -euo pipefail

IMAGE=${1:?image}
HOSTS_FILE=${2:?hosts file}
shift 2
CANARY=2
DRY_RUN=0
SSH_OPTS=(-o BatchMode=yes -o ConnectTimeout=10 -o StrictHostKeyChecking=yes)
SSH_USER=${AGW_DEPLOY_USER:-fwadmin}

while [ $# -gt 0 ]; do
    case "$1" in
        --canary) CANARY=$2; shift 2 ;;
        --dry-run) DRY_RUN=1; shift ;;
        *) echo "deploy: unknown option $1" >&2; exit 2 ;;
    esac
done

mapfile -t HOSTS < <(grep -v '^\s*#' "$HOSTS_FILE" | sed '/^\s*$/d')
[ ${#HOSTS[@]} -gt 0 ] || { echo "deploy: no hosts" >&2; exit 2; }
SUM=$(sha256sum "$IMAGE" | cut -d' ' -f1)

run() {
    if [ "$DRY_RUN" = 1 ]; then echo "[dry-run] $*"; else "$@"; fi
}

upgrade_host() {
    local host=$1
    echo "deploy: $host: uploading $(basename "$IMAGE")"
    run scp "${SSH_OPTS[@]}" "$IMAGE" "$SSH_USER@$host:/var/tmp/fw.img"
    run ssh "${SSH_OPTS[@]}" "$SSH_USER@$host" \
        "echo '$SUM  /var/tmp/fw.img' | sha256sum -c - && sudo /usr/sbin/agw-fwupdate --apply /var/tmp/fw.img --reboot"
}

wait_healthy() {
    local host=$1 deadline=$((SECONDS + 300))
    [ "$DRY_RUN" = 1 ] && return 0
    while [ $SECONDS -lt $deadline ]; do
        if ssh "${SSH_OPTS[@]}" "$SSH_USER@$host" "acme-gwctl show stats" >/dev/null 2>&1; then
            echo "deploy: $host: healthy"
            return 0
        fi
        sleep 10
    done
    echo "deploy: $host: not healthy after 5 minutes, stopping the rollout" >&2
    return 1
}

for host in "${HOSTS[@]:0:$CANARY}"; do
    upgrade_host "$host"
done
for host in "${HOSTS[@]:0:$CANARY}"; do
    wait_healthy "$host"
done
for host in "${HOSTS[@]:$CANARY}"; do
    upgrade_host "$host"
done
echo "deploy: ${#HOSTS[@]} host(s) upgraded to $(basename "$IMAGE")"
