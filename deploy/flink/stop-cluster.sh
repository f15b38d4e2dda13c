#!/usr/bin/env bash
# Stops the processes start-cluster.sh started (by their pid files).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${BEEX_FLINK_DIR:-$here/run}"
for f in "$dir"/*.pid; do
  [ -f "$f" ] || continue
  pid="$(cat "$f")"
  kill "$pid" 2>/dev/null && echo "flink: stopped $(basename "$f" .pid) ($pid)" || true
  rm -f "$f"
done
