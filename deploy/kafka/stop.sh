#!/usr/bin/env bash
# Stops the broker started by start.sh (its data stays in $BEEX_KAFKA_DIR; delete it to start fresh).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
dir="${BEEX_KAFKA_DIR:-$here/run}"
[ -f "$dir/kafka.pid" ] || { echo "kafka: not running"; exit 0; }
pid="$(cat "$dir/kafka.pid")"
if kill "$pid" 2>/dev/null; then
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
fi
rm -f "$dir/kafka.pid"
echo "kafka: stopped"
