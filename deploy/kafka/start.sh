#!/usr/bin/env bash
# Starts a standalone single-node Kafka broker (KRaft: broker + controller in one process) from
# Maven jars, listening on 127.0.0.1 only. State, logs and the pid live in $BEEX_KAFKA_DIR.
#   deploy/kafka/start.sh            # 127.0.0.1:9092 (controller on 9093)
#   KAFKA_PORT=19092 deploy/kafka/start.sh
#   deploy/kafka/stop.sh
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../lib/process.sh
. "$here/../lib/process.sh"
dir="${BEEX_KAFKA_DIR:-$here/run}"
port="${KAFKA_PORT:-9092}"
cport="${KAFKA_CONTROLLER_PORT:-9093}"
mkdir -p "$dir"

if beex_alive "$dir/kafka.pid" kafka "$dir"; then
  echo "kafka: already running (pid $(cat "$dir/kafka.pid"))"; exit 0
fi
rm -f "$dir/kafka.pid"
if [ ! -s "$dir/classpath" ]; then
  echo "kafka: resolving the broker's jars with Maven..."
  mvn -B -q -f "$here/pom.xml" dependency:build-classpath -Dmdep.outputFile="$dir/classpath"
fi
cp="$(cat "$dir/classpath")"

cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=2
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
# Models travel inline in control messages: the largest one beex sends (MessageSizes.MAX_CONTROL_MESSAGE_BYTES).
message.max.bytes=8388608
PROPS

java_opts=(-Xmx1g "$(beex_marker kafka "$dir")" -Dlog4j2.configurationFile="$here/log4j2.properties" -Djava.io.tmpdir="$dir/tmp")
rm -rf "$dir/tmp"
mkdir -p "$dir/tmp"
if [ ! -f "$dir/data/meta.properties" ]; then
  id="$(java -cp "$cp" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
  java "${java_opts[@]}" -cp "$cp" kafka.tools.StorageTool format -t "$id" -c "$dir/server.properties" >"$dir/format.log" 2>&1
fi
echo "=== $(date -u +%FT%TZ) start" >>"$dir/kafka.log"
nohup java "${java_opts[@]}" -cp "$cp" kafka.Kafka "$dir/server.properties" >>"$dir/kafka.log" 2>&1 &
echo $! > "$dir/kafka.pid"

for _ in $(seq 1 120); do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "kafka: up at 127.0.0.1:$port (pid $(cat "$dir/kafka.pid"), log $dir/kafka.log)"; exit 0
  fi
  beex_alive "$dir/kafka.pid" kafka "$dir" || { echo "kafka: exited; see $dir/kafka.log" >&2; tail -20 "$dir/kafka.log" >&2; rm -f "$dir/kafka.pid"; exit 1; }
  sleep 0.5
done
echo "kafka: not listening after 60 s; see $dir/kafka.log" >&2; exit 1
