#!/usr/bin/env bash
# Runs the operators' JMH benchmarks (test sources, dev.beex.operators.bench) in a forked JVM.
#   operators/jmh.sh                      all benchmarks
#   operators/jmh.sh ClassifyBenchmark    a regex of benchmarks, then any JMH option (-f, -wi, -i, -rf json)
# Builds into <module>/${BEEX_BUILD_DIR:-target-bench}. Run it niced on a shared machine.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${BEEX_BUILD_DIR:-target-bench}"
cd "$root"
mvn -B -q -o -DbuildDir="$build" -pl schemas,model,operators test-compile \
  org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$root/operators/$build/test-classpath.txt" >&2
cp="$root/operators/$build/test-classes:$root/operators/$build/classes:$(cat "$root/operators/$build/test-classpath.txt")"
exec java -Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.beex.schemas -cp "$cp" org.openjdk.jmh.Main "$@"
