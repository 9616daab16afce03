#!/usr/bin/env bash
# Builds bench/peers and runs the five peers of the 3-step WER chain on each file (one JVM per peer and file).
# Prints one JSON line per run on stdout; the build and progress go to stderr.
#   bench/peers/run.sh FILE... [-- PEER-OPTIONS]      e.g. bench/peers/run.sh a.ndjson b.ndjson -- --repeat 3
# Environment: PEERS (default: all five, in this order), JAVA_OPTS (default: -Xms3g -Xmx3g -XX:+UseParallelGC),
#              SKIP_TESTS=1 to build without running the agreement test.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

files=()
while [[ $# -gt 0 && "$1" != "--" ]]; do files+=("$1"); shift; done
[[ $# -gt 0 ]] && shift
if [[ ${#files[@]} -eq 0 ]]; then
  echo "usage: $0 FILE... [-- --repeat N --warmup N --esper-mode context|filter --no-prefilter --out-of-orderness-ms N]" >&2
  exit 2
fi

build=(mvn -q -B -f "$here/pom.xml")
[[ "${SKIP_TESTS:-}" == 1 ]] && build+=(-DskipTests)
"${build[@]}" package >&2

peers="${PEERS:-esper_chain siddhi_chain flinksql_chain bare_flinkcep_chain handwritten_chain}"
# Flink on Java 17 needs the module opens that Flink's own scripts pass
opens=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED)
read -r -a java_opts <<< "${JAVA_OPTS:--Xms3g -Xmx3g -XX:+UseParallelGC}"

for file in "${files[@]}"; do
  for peer in $peers; do
    java "${java_opts[@]}" "${opens[@]}" -cp "$here/target/peers.jar:$(cat "$here/target/classpath.txt")" \
      dev.sigmacep.peers.PeerMain "$peer" "$file" "$@"
  done
done
