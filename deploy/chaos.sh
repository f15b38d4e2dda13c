#!/usr/bin/env bash
# Fault test on real processes, all on 127.0.0.1: a standalone Kafka broker (deploy/kafka) and a Flink
# session cluster with 2 TaskManagers (deploy/flink), the beex job exactly-once, >= 20,000 records at a
# steady rate, publishes with a rollback, and these faults:
#   3 x kill -9 of a TaskManager (a replacement is started after a few seconds),
#   kill -9 of the broker and a restart on the same data,
#   a publish while a TaskManager is down,
#   cancel of the job and a restart from its latest retained checkpoint.
# Then reads every output read_committed and prints ONE JSON object:
#   {sent, predictions, deadLetters, duplicates, gaps, staleVersionPredictions, faults, recoverySeconds, ...}
# It stops everything it started (also on Ctrl-C or failure).
#   mvn -B -DskipTests package -pl pipeline -am && mvn -B -Pcluster -DskipTests package -pl pipeline -am
#   deploy/chaos.sh [--json]        # progress on stderr; --json: only the JSON on stdout
# Knobs: CHAOS_RECORDS (20000), CHAOS_RATE (records/s, 100), ports CHAOS_KAFKA_PORT (29092),
# CHAOS_REST_PORT (28081), work dir BEEX_CHAOS_DIR (deploy/chaos-run).
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
json_only=false
[ "${1:-}" = "--json" ] && json_only=true
records="${CHAOS_RECORDS:-20000}"
rate="${CHAOS_RATE:-100}"
kport="${CHAOS_KAFKA_PORT:-29092}"
rport="${CHAOS_REST_PORT:-28081}"
work="${BEEX_CHAOS_DIR:-$here/chaos-run}"
cli_jar="$root/pipeline/target/beex.jar"
cluster_jar="$root/pipeline/target/beex-cluster.jar"
models="$root/pipeline/src/main/resources/models"
bs="127.0.0.1:$kport"
rest="http://127.0.0.1:$rport"

log() { echo "chaos $(date -u +%T): $*" >&2; }
die() { log "FAILED: $*"; exit 1; }
for j in "$cli_jar" "$cluster_jar"; do [ -f "$j" ] || die "$j missing (see the build commands at the top)"; done

rm -rf "$work" && mkdir -p "$work"
export BEEX_KAFKA_DIR="$work/kafka" BEEX_FLINK_DIR="$work/flink"
export KAFKA_PORT="$kport" KAFKA_CONTROLLER_PORT=$((kport + 1))
export FLINK_REST_PORT="$rport" FLINK_RPC_PORT=$((rport - 1958)) FLINK_METRICS_PORTS="$((kport + 200))-$((kport + 210))"
export FLINK_REST="$rest" TASKMANAGERS=2
# Resolved jar lists are kept between runs (Maven resolution is the slow part).
mkdir -p "$here/kafka/run" "$here/flink/run" "$BEEX_KAFKA_DIR" "$BEEX_FLINK_DIR"
[ -s "$here/kafka/run/classpath" ] && cp "$here/kafka/run/classpath" "$BEEX_KAFKA_DIR/"
[ -s "$here/flink/run/classpath" ] && cp "$here/flink/run/classpath" "$BEEX_FLINK_DIR/"
faults="$work/faults.txt"; : > "$faults"
beex() { java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.beex.schemas -jar "$cli_jar" "$@"; }
now_ms() { date +%s%3N; }
fault() { echo "$(now_ms) $1 ${2:-}" >> "$faults"; log "FAULT $1 ${2:-}"; }

job=""
producer=""
cleanup() {
  set +e
  if [ -n "$producer" ]; then kill "$producer" 2>/dev/null; wait "$producer" 2>/dev/null; fi
  [ -n "$job" ] && curl -s -X PATCH "$rest/jobs/$job?mode=cancel" >/dev/null 2>&1
  "$here/flink/stop-cluster.sh" >&2
  "$here/kafka/stop.sh" >&2 || { kill -9 "$(cat "$BEEX_KAFKA_DIR/kafka.pid" 2>/dev/null)" 2>/dev/null; }
  cp "$BEEX_KAFKA_DIR/classpath" "$here/kafka/run/classpath" 2>/dev/null
  cp "$BEEX_FLINK_DIR/classpath" "$here/flink/run/classpath" 2>/dev/null
}
trap cleanup EXIT

job_state() { curl -sf "$rest/jobs/$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])' 2>/dev/null; }
running_tasks() { # number of RUNNING vertices of the job (all of them = job fully up)
  curl -sf "$rest/jobs/$1" | python3 -c 'import json,sys
d=json.load(sys.stdin); v=d.get("vertices",[])
print(sum(1 for x in v if x["status"]=="RUNNING"), len(v))' 2>/dev/null
}
await_running() { # jobid, seconds
  for _ in $(seq 1 "$2"); do
    read -r up all <<<"$(running_tasks "$1")"
    [ -n "${all:-}" ] && [ "$all" -gt 0 ] && [ "$up" = "$all" ] && return 0
    sleep 1
  done
  return 1
}
submit() { # extra env for submit.sh via the caller
  local out
  out="$("$here/flink/submit.sh" "$cluster_jar" --bootstrap-servers "$bs" --create-topics --partitions 2 --parallelism 2 \
    --checkpoint-interval 2000 --checkpoint-dir "file://$work/checkpoints" --input-format json 2>&1)" || die "submit: $out"
  sed -n 's/.*"jobid":"\([0-9a-f]*\)".*/\1/p' <<<"$out"
}
tm_pid() { cat "$BEEX_FLINK_DIR/taskmanager-$1.pid"; }
kill_tm() { # n
  local pid; pid="$(tm_pid "$1")"
  fault tm-kill "kill -9 taskmanager-$1 (pid $pid)"
  kill -9 "$pid"
}
restart_tm() { "$here/flink/start-cluster.sh" --add-taskmanager >&2; }
predicted() { # committed predictions so far (one quick read)
  beex consume --topic beex.predictions --from-beginning --timeout 3 --bootstrap-servers "$bs" 2>/dev/null | wc -l
}

log "work dir $work; Kafka $bs, Flink $rest"
"$here/kafka/start.sh" >&2 || die "kafka did not start"
"$here/flink/start-cluster.sh" >&2 || die "flink did not start"

# Input: $records distinct short texts, ids c00000.. (ids.txt for the report).
python3 - "$records" "$work" <<'PY'
import json, sys, random
n, work = int(sys.argv[1]), sys.argv[2]
rnd = random.Random(7)
spam = ["win a free cruise now", "claim your prize today", "cheap meds online", "you have won 1000 dollars",
        "limited offer click here", "urgent account verification needed"]
ham = ["lunch at noon tomorrow?", "the meeting moved to friday", "can you review my patch", "thanks for the notes",
       "see you at the station", "the build is green again"]
with open(f"{work}/texts.jsonl", "w") as out, open(f"{work}/ids.txt", "w") as ids:
    for i in range(n):
        label = "spam" if rnd.random() < 0.4 else "ham"
        text = rnd.choice(spam if label == "spam" else ham) + f" #{i}"
        rid = f"c{i:05d}"
        out.write(json.dumps({"id": rid, "text": text, "label": label}) + "\n")
        ids.write(rid + "\n")
PY

job="$(submit)"; [ -n "$job" ] || die "no job id"
log "job $job submitted"
await_running "$job" 180 || die "job not running after 180 s"
beex publish --model "$models/spam-v1.beex" --name spam --version 1 --bootstrap-servers "$bs" --wait --timeout 180 >&2 \
  || die "v1 not accepted"

# The JVM itself in the background (not a shell function), so that $! is its pid and cleanup can end it:
# a producer left running would deliver into the next run's broker on the same port.
java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.beex.schemas -jar "$cli_jar" produce --data "$work/texts.jsonl" \
  --format json --rate "$rate" --timeout 300 --bootstrap-servers "$bs" >"$work/produce.out" 2>"$work/produce.err" &
producer=$!
t0=$(date +%s)
at() { local wait=$(( t0 + $1 - $(date +%s) )); [ "$wait" -gt 0 ] && sleep "$wait"; }

at 20;  kill_tm 1; sleep 5; restart_tm
at 40;  beex publish --model "$models/spam-v2.beex" --name spam --version 2 --bootstrap-servers "$bs" --wait --timeout 180 >&2 \
          || log "publish v2 did not get an accepted verdict"
at 60;  kill_tm 2
        fault publish-while-tm-down "rollback to v1 sent while taskmanager-2 is down"
        beex publish --rollback --name spam --version 1 --bootstrap-servers "$bs" >&2
        sleep 8; restart_tm
at 90;  pid="$(cat "$BEEX_KAFKA_DIR/kafka.pid")"; fault broker-kill "kill -9 broker (pid $pid), restart 10 s later"
        kill -9 "$pid"; sleep 10; rm -f "$BEEX_KAFKA_DIR/kafka.pid"; "$here/kafka/start.sh" >&2 || die "broker restart failed"
at 125; kill_tm 1; sleep 5; restart_tm
at 150; beex publish --model "$models/spam-v2.beex" --name spam --version 3 --bootstrap-servers "$bs" --wait --timeout 240 >&2 \
          || log "publish v3 did not get an accepted verdict"
at 170; await_running "$job" 240 || log "job not fully running before the cancel"
        fault cancel-restart "cancel job $job, resubmit from its latest retained checkpoint"
        curl -s -X PATCH "$rest/jobs/$job?mode=cancel" >/dev/null
        for _ in $(seq 1 60); do [ "$(job_state "$job")" = "CANCELED" ] && break; sleep 1; done
        # Read it only now: a checkpoint completing before the cancel subsumes (deletes) the one before.
        checkpoint="$(curl -sf "$rest/jobs/$job/checkpoints" | python3 -c 'import json,sys
print(json.load(sys.stdin)["latest"]["completed"]["external_path"])')"
        job="$(FLINK_SAVEPOINT="$checkpoint" submit)"; [ -n "$job" ] || die "resubmit failed"
        log "job $job restored from $checkpoint"

wait "$producer"; prc=$?; producer=""
log "producer: $(cat "$work/produce.out" "$work/produce.err" | tail -2 | tr '\n' ' ') (exit $prc)"
sent="$(sed -n 's/^sent [0-9]* records (\([0-9]*\) acknowledged).*/\1/p' "$work/produce.out")"
[ -n "$sent" ] || sent=0

# Wait until every record is accounted for (or 5 min), then the report.
deadline=$(( $(date +%s) + 300 ))
while :; do
  n="$(predicted)"
  log "committed predictions so far: $n of $sent sent"
  [ "$n" -ge "$sent" ] && break
  [ "$(date +%s)" -ge "$deadline" ] && { log "not all records predicted after 5 min"; break; }
  sleep 10
done
report="$(java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.beex.schemas -cp "$cli_jar" dev.beex.pipeline.chaos.ChaosReport \
  "$bs" "$work/ids.txt" "$faults")" || die "report failed"
echo "$report" > "$work/report.json"
if $json_only; then echo "$report"; else echo "$report" | python3 -m json.tool; fi
