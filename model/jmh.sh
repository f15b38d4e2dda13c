#!/usr/bin/env bash
# Runs the model's JMH benchmarks (test sources, dev.beex.model.bench) in one forked JVM each.
#   model/jmh.sh                          all benchmarks
#   model/jmh.sh LinearKernelBenchmark    a regex of benchmarks, then any JMH option (-f, -wi, -i, -p shape=128x128, -rf json)
# Builds into model/training/${BEEX_BUILD_DIR:-target-bench} so it does not disturb other builds. Run it niced on a shared machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BEEX_BUILD_DIR:-target-bench}"
cd "$root"
mvn -B -q -DbuildDir="$build" -pl model/training -am test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$root/model/training/$build/test-classpath.txt" >&2
cp="$root/model/training/$build/test-classes:$root/model/training/$build/classes:$(cat "$root/model/training/$build/test-classpath.txt")"
exec java -cp "$cp" org.openjdk.jmh.Main "$@"
