#!/usr/bin/env bash
# Stops the processes start-cluster.sh started, by their pid files, each checked against the
# process it names (a stale pid file is removed, never signalled). Removes the stopped (or crashed)
# processes' temp dirs; logs stay (appended across restarts). Exit 1 when a process did not stop.
#   deploy/flink/stop-cluster.sh                 # everything
#   deploy/flink/stop-cluster.sh taskmanager-2   # one process
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/process.sh
. "$here/../lib/process.sh"
dir="${BEEX_FLINK_DIR:-$here/run}"
rc=0
names=("$@")
if [ ${#names[@]} -eq 0 ]; then
  for f in "$dir"/*.pid; do [ -f "$f" ] && names+=("$(basename "$f" .pid)"); done
fi
for name in "${names[@]}"; do
  beex_stop "$dir/$name.pid" "$name" "$dir" flink "${BEEX_STOP_WAIT:-30}" || rc=1
done
# Temp dirs of processes that are not running (stopped now, or crashed earlier).
for t in "$dir"/tmp-*; do
  [ -d "$t" ] || continue
  name="${t##*/tmp-}"
  beex_alive "$dir/$name.pid" "$name" "$dir" || rm -rf "$t"
done
exit $rc
