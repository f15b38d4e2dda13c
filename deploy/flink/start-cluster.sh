#!/usr/bin/env bash
# Starts a Flink session cluster (one JobManager, $TASKMANAGERS TaskManagers) from Maven jars, all
# on 127.0.0.1, as flink-dist's scripts would: resource flags from BashJavaUtils, one process each,
# each with its own java.io.tmpdir. Web UI / REST: http://127.0.0.1:8081 (FLINK_REST_PORT), RPC 6123
# (FLINK_RPC_PORT), Prometheus /metrics on the first free ports of 9249-9259 (FLINK_METRICS_PORTS).
# Logs append across restarts (run/log/); pid files are checked against their process (../lib/process.sh).
#   deploy/flink/start-cluster.sh && deploy/flink/submit.sh pipeline/target/beex-cluster.jar --config job.properties
#   deploy/flink/start-cluster.sh --add-taskmanager     # one more TaskManager for a running cluster
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/process.sh
. "$here/../lib/process.sh"
dir="${BEEX_FLINK_DIR:-$here/run}"
tms="${TASKMANAGERS:-1}"
mkdir -p "$dir/conf" "$dir/log"
if [ ! -s "$dir/classpath" ]; then
  echo "flink: resolving the cluster's jars with Maven..."
  mvn -B -q -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$dir/classpath"
fi
cp="$(cat "$dir/classpath")"
# beex's loopback Prometheus reporter, compiled from the pipeline's source against the cluster's jars.
reporter_src="$here/../../pipeline/src/main/java/dev/beex/pipeline/metrics"
if [ ! -f "$dir/reporter/META-INF/services/org.apache.flink.metrics.reporter.MetricReporterFactory" ] \
   || [ -n "$(find "$reporter_src" -newer "$dir/reporter/META-INF/services/org.apache.flink.metrics.reporter.MetricReporterFactory" -name '*.java')" ]; then
  rm -rf "$dir/reporter" && mkdir -p "$dir/reporter/META-INF/services"
  javac -nowarn -Xlint:none -d "$dir/reporter" -cp "$cp" "$reporter_src"/*.java
  echo "dev.beex.pipeline.metrics.LoopbackPrometheusReporterFactory" \
    > "$dir/reporter/META-INF/services/org.apache.flink.metrics.reporter.MetricReporterFactory"
fi
cp="$dir/reporter:$cp"
cp "$here/conf/config.yaml" "$here/conf/log4j.properties" "$dir/conf/"
# Port overrides, so that several clusters can run side by side on one machine.
rest_port="${FLINK_REST_PORT:-8081}"
sed -i -e "s/^rest.port: .*/rest.port: $rest_port/" \
       -e "s/^jobmanager.rpc.port: .*/jobmanager.rpc.port: ${FLINK_RPC_PORT:-6123}/" \
       -e "s/^metrics.reporter.prom.port: .*/metrics.reporter.prom.port: ${FLINK_METRICS_PORTS:-9249-9259}/" "$dir/conf/config.yaml"
opens="$(sed -n 's/^env.java.opts.all: //p' "$dir/conf/config.yaml")"

# Line 1 of the result: JVM memory flags; line 2: -D dynamic properties the process must get.
params() {
  java -cp "$cp" org.apache.flink.runtime.util.bash.BashJavaUtils "$1" --configDir "$dir/conf" 2>/dev/null \
    | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p'
}
start() { # name, class, jvm flags, dynamic properties
  local name="$1" class="$2" jvm="$3" dyn="$4"
  if beex_alive "$dir/$name.pid" "$name" "$dir"; then
    echo "flink: $name already running (pid $(cat "$dir/$name.pid"))"; return 0
  fi
  rm -rf "$dir/tmp-$name" # what a crashed process left behind (blob caches, spill files)
  mkdir -p "$dir/tmp-$name"
  echo "=== $(date -u +%FT%TZ) start $name" >>"$dir/log/$name.out"
  # shellcheck disable=SC2086
  nohup java $jvm $opens "$(beex_marker "$name" "$dir")" -Djava.io.tmpdir="$dir/tmp-$name" -Dlog.file="$dir/log/$name.log" \
    -Dlog4j.configurationFile="$dir/conf/log4j.properties" -cp "$cp" "$class" --configDir "$dir/conf" $dyn \
    >>"$dir/log/$name.out" 2>&1 &
  echo $! > "$dir/$name.pid"
  echo "flink: started $name (pid $!)"
}

mapfile -t tm < <(params GET_TM_RESOURCE_PARAMS)
if [ "${1:-}" = "--add-taskmanager" ]; then
  n=1
  while beex_alive "$dir/taskmanager-$n.pid" "taskmanager-$n" "$dir"; do n=$((n + 1)); done
  start "taskmanager-$n" org.apache.flink.runtime.taskexecutor.TaskManagerRunner "${tm[0]}" "${tm[1]:-}"
  exit 0
fi
mapfile -t jm < <(params GET_JM_RESOURCE_PARAMS)
start jobmanager org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint "${jm[0]}" "${jm[1]:-}"
for i in $(seq 1 "$tms"); do
  start "taskmanager-$i" org.apache.flink.runtime.taskexecutor.TaskManagerRunner "${tm[0]}" "${tm[1]:-}"
done

for _ in $(seq 1 120); do
  if curl -sf "http://127.0.0.1:$rest_port/taskmanagers" 2>/dev/null | grep -q '"id"'; then
    echo "flink: up, REST and web UI at http://127.0.0.1:$rest_port ($tms TaskManager(s)), Prometheus on 127.0.0.1:${FLINK_METRICS_PORTS:-9249-9259}"; exit 0
  fi
  sleep 1
done
echo "flink: no TaskManager registered after 120 s; see $dir/log" >&2; exit 1
