#!/usr/bin/env bash
# Checks the deploy scripts' process handling without starting Kafka or Flink (runs in mvn verify
# through DeployScriptsTest): stale pid files are not signalled, a process that does not stop is
# reported as a failure, crashed processes' temp dirs are removed, Flink logs append.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d)"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. A stale pid file naming an unrelated live process: stop.sh must not kill it.
export BEEX_KAFKA_DIR="$work/kafka" BEEX_FLINK_DIR="$work/flink" BEEX_STOP_WAIT=2
mkdir -p "$BEEX_KAFKA_DIR" "$BEEX_FLINK_DIR/tmp-taskmanager-3"
sleep 300 & bystander=$!; pids+=("$bystander")
echo "$bystander" > "$BEEX_KAFKA_DIR/kafka.pid"
out="$("$here/kafka/stop.sh" 2>&1)" || fail "kafka/stop.sh failed on a stale pid file: $out"
kill -0 "$bystander" 2>/dev/null || fail "kafka/stop.sh killed pid $bystander, which is not the broker"
[[ "$out" == *stale* ]] || fail "kafka/stop.sh did not report the stale pid file: $out"
[ ! -f "$BEEX_KAFKA_DIR/kafka.pid" ] || fail "stale kafka.pid not removed"

echo "$bystander" > "$BEEX_FLINK_DIR/taskmanager-3.pid"
out="$("$here/flink/stop-cluster.sh" 2>&1)" || fail "stop-cluster.sh failed on a stale pid file: $out"
kill -0 "$bystander" 2>/dev/null || fail "stop-cluster.sh killed pid $bystander, which is not a TaskManager"
[ ! -d "$BEEX_FLINK_DIR/tmp-taskmanager-3" ] || fail "the crashed TaskManager's temp dir was left behind"

# 2. A broker that ignores SIGTERM: stop.sh must not say "stopped", and must exit non-zero.
bash -c 'trap "" TERM; while :; do sleep 0.2; done' "-Dbeex.process=kafka@$BEEX_KAFKA_DIR" & stubborn=$!; pids+=("$stubborn")
sleep 0.5
echo "$stubborn" > "$BEEX_KAFKA_DIR/kafka.pid"
if out="$("$here/kafka/stop.sh" 2>&1)"; then fail "kafka/stop.sh exited 0 while the broker is alive: $out"; fi
[[ "$out" != *"stopped"* || "$out" == *"not stopped"* ]] || fail "kafka/stop.sh said stopped: $out"
kill -0 "$stubborn" 2>/dev/null || fail "stub broker gone?"

# 3. A process that does stop: reported as stopped, pid file removed.
bash -c 'while :; do sleep 0.2; done' "-Dbeex.process=jobmanager@$BEEX_FLINK_DIR" & jm=$!; pids+=("$jm")
sleep 0.5
echo "$jm" > "$BEEX_FLINK_DIR/jobmanager.pid"
out="$("$here/flink/stop-cluster.sh" 2>&1)" || fail "stop-cluster.sh failed: $out"
[[ "$out" == *"stopped jobmanager"* ]] || fail "no 'stopped jobmanager' in: $out"
! kill -0 "$jm" 2>/dev/null || fail "jobmanager stub still alive"

# 4. Flink logs are appended across restarts.
grep -q '^appender.main.append = true' "$here/flink/conf/log4j.properties" || fail "Flink log appender truncates"
echo "deploy process scripts: ok"
