#!/usr/bin/env bash
# Stops the broker started by start.sh (its data stays in $BEEX_KAFKA_DIR; delete it to start fresh).
# The pid file is checked against the process it names; "stopped" is said only once the broker is
# gone (exit 1 when it is still alive after 60 s). Its temp dir is removed.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/process.sh
. "$here/../lib/process.sh"
dir="${BEEX_KAFKA_DIR:-$here/run}"
beex_stop "$dir/kafka.pid" kafka "$dir" kafka "${BEEX_STOP_WAIT:-60}" || exit 1
rm -rf "$dir/tmp"
