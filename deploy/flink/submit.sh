#!/usr/bin/env bash
# Submits the beex cluster jar (mvn -Pcluster package -> pipeline/target/beex-cluster.jar) to the
# session cluster through its REST API; the arguments are those of `beex run`.
#   deploy/flink/submit.sh pipeline/target/beex-cluster.jar --bootstrap-servers 127.0.0.1:9092
#   FLINK_SAVEPOINT=file:/path/chk-42 deploy/flink/submit.sh ...     # restore from a retained checkpoint
#   FLINK_REST=http://127.0.0.1:28081 deploy/flink/submit.sh ...     # another cluster
set -euo pipefail
jar="${1:?usage: submit.sh JAR [beex run options...]}"; shift
rest="${FLINK_REST:-http://127.0.0.1:8081}"
upload="$(curl -sf -X POST -H "Expect:" -F "jarfile=@$jar" "$rest/jars/upload")"
id="$(sed -n 's/.*"filename":"[^"]*\/\([^"/]*\)".*/\1/p' <<<"$upload")"
[ -n "$id" ] || { echo "submit: upload failed: $upload" >&2; exit 1; }
args="$(printf '%s\n' "$@" | python3 -c 'import json,sys; print(json.dumps([l.rstrip("\n") for l in sys.stdin if l.strip()]))')"
body="{\"entryClass\":\"dev.beex.pipeline.cli.ClusterMain\",\"programArgsList\":$args"
# FLINK_SAVEPOINT: restore from this savepoint or retained checkpoint (the REST API's savepointPath).
[ -z "${FLINK_SAVEPOINT:-}" ] || body="$body,\"savepointPath\":\"$FLINK_SAVEPOINT\""
body="$body}"
result="$(curl -s -X POST -H 'Content-Type: application/json' -d "$body" "$rest/jars/$id/run")"
echo "submit: $result"
grep -q '"jobid"' <<<"$result"
