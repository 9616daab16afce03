#!/usr/bin/env bash
# Integration check of the replay on a real cluster: the cluster jar's `replay`, a BATCH job submitted with Flink's
# own client to a real standalone Flink 2.2 cluster, must write exactly the alerts and dead letters of
# `bin/sigma-cep replay` (the embedded replay) over the same telemetry, compared as sorted sets of whole lines, once
# reading file:// input into part files and once as a bounded read of a real Kafka broker's topic into Kafka topics.
#
#   deploy/local/cluster-replay.sh
#
#  1. generates seeded telemetry to a file, with two records that cannot be decoded (dead letters) appended
#  2. the reference: bin/sigma-cep replay of that file (embedded Flink, BATCH), alerts and dead letters to files
#  3. starts the broker and the cluster (kafka.sh, flink.sh)
#  4. flink run <cluster jar> replay --input file://DIR --output file://... --dead-letter file://... (attached: the
#     client waits for the BATCH job to finish and prints its summary); compares the part files with the reference
#  5. writes the same records to a topic (4 partitions, keyed by host), then flink run <cluster jar> replay
#     --input-topic T --from earliest --to latest --alerts-topic A --dead-letter-topic D; reads both topics back
#     (read_committed) and compares them with the reference
# Then stops everything it started (also on Ctrl-C or an error). Exit 0 when every comparison is equal, 1 otherwise.
#
# Environment: CR_HOSTS [200], CR_EVENTS [20000], CR_CHAIN_RATE [0.1], CR_SEED [11], CR_DISORDER [30s],
# CR_PARTITIONS [4], CR_PARALLELISM [2], and the ports of kafka.sh and flink.sh (KAFKA_PORT, KAFKA_CONTROLLER_PORT,
# FLINK_REST_PORT, FLINK_RPC_PORT). State and logs: deploy/local/.state/cluster-replay.
set -euo pipefail
script_name="cluster-replay.sh"
SIGMACEP_LOCAL_STATE="${SIGMACEP_LOCAL_STATE:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/.state/cluster-replay}"
export SIGMACEP_LOCAL_STATE
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$local_home/flow.sh"

hosts="${CR_HOSTS:-200}"
events="${CR_EVENTS:-20000}"
chain_rate="${CR_CHAIN_RATE:-0.1}"
seed="${CR_SEED:-11}"
disorder="${CR_DISORDER:-30s}"
partitions="${CR_PARTITIONS:-4}"
parallelism="${CR_PARALLELISM:-2}"
work="$state_root/run"
started=""
failed=0

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_started
  exit "$status"
}

preflight() {
  require_tools java mvn curl awk sort diff
  local name
  for name in kafka jobmanager taskmanager; do
    running "$name" > /dev/null && die "$name of an earlier run is still running (state $state_root); stop it first"
  done
  fresh_state
}

# same_lines WHAT EXPECTED ACTUAL: compares two files as sorted sets of lines (a duplicate is a difference).
same_lines() {
  local what=$1 expected=$2 actual=$3
  sort "$expected" > "$expected.sorted"
  sort "$actual" > "$actual.sorted"
  if diff -q "$expected.sorted" "$actual.sorted" > /dev/null; then
    info "OK  $what: $(grep -c . "$actual.sorted" || true) lines, the same as the embedded replay's"
  else
    info "DIFFERENT  $what: $(grep -c . "$actual.sorted" || true) lines, the embedded replay $(grep -c . "$expected.sorted" || true)"
    diff "$expected.sorted" "$actual.sorted" | cut -c 1-200 | head -n 10 | sed 's/^/           /'
    failed=1
  fi
}

# cluster_replay LOG ARGS...: `flink run <cluster jar> replay ARGS` (attached), its output in LOG; sets seconds.
cluster_replay() {
  local log=$1
  shift
  info "flink run $(basename "$cluster_jar") replay $*"
  local began=$SECONDS
  if ! "$local_home/flink.sh" run "$cluster_jar" replay "$@" > "$log" 2>&1; then
    sed 's/^/         | /' "$log"
    tail_log "$state_root/flink/client.log"
    die "the cluster replay failed; see $log, $state_root/flink/jobmanager.log and taskmanager.log"
  fi
  seconds=$((SECONDS - began))
  sed -n '/sigma-cep replay summary/,$p' "$log" | sed 's/^/         | /'
  info "flink run returned after ${seconds}s (the JVM of the client included)"
}

main() {
  trap cleanup EXIT
  trap interrupted INT TERM
  printf 'sigma-cep cluster replay: a BATCH job on a real cluster == bin/sigma-cep replay, from files and from Kafka\n'
  preflight

  step "building the job jars if needed"
  build_jars

  step "generating telemetry: $hosts hosts, $events events, chain rate $chain_rate, disorder $disorder, seed $seed"
  mkdir -p "$work/input"
  local telemetry="$work/input/telemetry.ndjson"
  "$project_home/bin/sigma-cep" generate --hosts "$hosts" --events "$events" --chain-rate "$chain_rate" \
    --disorder "$disorder" --seed "$seed" --output "$telemetry" --expected "$work/expected.ndjson" \
    2> "$work/generate.log" || { cat "$work/generate.log" >&2; die "generate failed"; }
  # two records the job cannot decode, so that dead letters are compared too
  printf '%s\n' '{"Hostname":"BROKEN-01","EventID":1,"Image":"C:\\x.exe"' \
    '{"Hostname":"NO-TIME-01","Channel":"Microsoft-Windows-Sysmon/Operational","EventID":1,"Image":"C:\\x.exe"}' \
    >> "$telemetry"
  info "$(grep -c . "$telemetry") records in $telemetry ($(du -h "$telemetry" | cut -f1))"

  step "the reference: bin/sigma-cep replay of that file (embedded Flink, BATCH)"
  local began=$SECONDS
  "$project_home/bin/sigma-cep" replay --quiet --rules "$project_home/rules" --parallelism "$parallelism" \
    --input "$telemetry" --output "$work/replay-alerts.ndjson" --dead-letter "$work/replay-dead.ndjson" \
    2> "$work/replay.log" || { tail_log "$work/replay.log"; die "replay failed"; }
  local embedded_seconds=$((SECONDS - began))
  info "$(grep -c . "$work/replay-alerts.ndjson") alerts, $(grep -c . "$work/replay-dead.ndjson") dead letters in ${embedded_seconds}s (JVM start included)"
  grep -E 'wall time|throughput' "$work/replay.log" | sed 's/^/         | /'

  step "starting the broker ($bootstrap) and the cluster ($rest)"
  started="kafka"
  "$local_home/kafka.sh" start
  started="$started flink"
  "$local_home/flink.sh" start

  step "cluster replay of file:// input into part files"
  local seconds
  cluster_replay "$work/cluster-files.log" --input "file://$work/input" --rules "$project_home/rules" \
    --parallelism "$parallelism" --output "file://$work/out/alerts" --dead-letter "file://$work/out/dead-letters"
  local file_seconds=$seconds
  info "part files: $(ls "$work/out/alerts" | tr '\n' ' ')"
  if ls -A "$work/out/alerts" "$work/out/dead-letters" | grep -q '^\.'; then
    info "DIFFERENT  in-progress (hidden) part files were left behind"
    failed=1
  fi
  cat "$work"/out/alerts/* > "$work/cluster-files-alerts.ndjson"
  cat "$work"/out/dead-letters/* > "$work/cluster-files-dead.ndjson"
  same_lines "alerts (file:// input, part files)" "$work/replay-alerts.ndjson" "$work/cluster-files-alerts.ndjson"
  same_lines "dead letters (file:// input, part files)" "$work/replay-dead.ndjson" "$work/cluster-files-dead.ndjson"

  step "cluster replay of a bounded Kafka read into Kafka topics"
  create_topics "$partitions" replay-input
  create_topics 1 replay-alerts replay-dead-letters
  produce_lines replay-input "$telemetry"
  info "$(grep -c . "$telemetry") records written to replay-input ($partitions partitions, keyed by host)"
  cluster_replay "$work/cluster-kafka.log" --input-topic replay-input --from earliest --to latest \
    --bootstrap-servers "$bootstrap" --rules "$project_home/rules" --parallelism "$parallelism" \
    --alerts-topic replay-alerts --dead-letter-topic replay-dead-letters
  local kafka_seconds=$seconds
  read_topic replay-alerts "$work/cluster-kafka-alerts.ndjson"
  read_topic replay-dead-letters "$work/cluster-kafka-dead.ndjson"
  same_lines "alerts (bounded Kafka read, alert topic read_committed)" "$work/replay-alerts.ndjson" \
    "$work/cluster-kafka-alerts.ndjson"
  same_lines "dead letters (bounded Kafka read, dead-letter topic)" "$work/replay-dead.ndjson" \
    "$work/cluster-kafka-dead.ndjson"

  step "result"
  info "embedded replay (bin/sigma-cep, JVM start included):     ${embedded_seconds}s"
  info "cluster replay, file:// input (flink run, attached):      ${file_seconds}s"
  info "cluster replay, bounded Kafka read (flink run, attached): ${kafka_seconds}s"
  if (( failed )); then
    printf '\nFAILED: the cluster replay differs from the embedded replay.\n'
    return 1
  fi
  printf '\nOK: the cluster replay gave exactly the embedded replay'\''s %s alerts and %s dead letters, from files and from Kafka.\n' \
    "$(grep -c . "$work/replay-alerts.ndjson")" "$(grep -c . "$work/replay-dead.ndjson")"
}

main "$@"
