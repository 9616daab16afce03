#!/usr/bin/env bash
# Integration check on a real broker and a real cluster: the streaming job's alerts, read back with
# isolation.level=read_committed, must be exactly those of `bin/sigma-cep replay` over the same telemetry, each
# exactly once, although its TaskManager is killed mid-stream and the job is stopped with a savepoint and
# resubmitted from it.
#
#   deploy/local/integration.sh
#
#  1. generates seeded telemetry to a file, and replays it on the embedded Flink (BATCH): the reference alerts
#  2. starts the broker and the cluster (kafka.sh, flink.sh), creates the topics, submits the cluster jar
#  3. writes the first third of the records to the input topic and waits for the first committed alerts
#  4. writes the second third and, as soon as the job has written alerts in a transaction not yet committed, kills
#     the TaskManager (SIGKILL); starts a new one; the job restarts from its last checkpoint, and the output of the
#     failed attempt is never committed (a read_uncommitted reader shows it)
#  5. stops the job with a savepoint (flink stop) and submits it again from that savepoint (flink run -s)
#  6. writes the last third and a tick (see flow.sh), reads until the replay's number of alerts arrived, and 15 s more
#  7. compares the alerts as multisets of (rule, host, first event time, last event time): a duplicate is a difference
# Then stops everything it started (also on Ctrl-C or an error). Exit 0 when the sets are equal, 1 otherwise.
#
# Environment: IT_HOSTS [200], IT_EVENTS [20000], IT_CHAIN_RATE [0.1], IT_SEED [7], IT_DISORDER [30s],
# IT_PARTITIONS [4], IT_ALERT_TIMEOUT [300], IT_FAILURES [1] (0: no TaskManager kill and no savepoint, just the
# comparison), and the ports of kafka.sh and flink.sh. State and logs: deploy/local/.state/integration.
set -euo pipefail
script_name="integration.sh"
SIGMACEP_LOCAL_STATE="${SIGMACEP_LOCAL_STATE:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/.state/integration}"
export SIGMACEP_LOCAL_STATE
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$local_home/flow.sh"

hosts="${IT_HOSTS:-200}"
events="${IT_EVENTS:-20000}"
chain_rate="${IT_CHAIN_RATE:-0.1}"
seed="${IT_SEED:-7}"
disorder="${IT_DISORDER:-30s}"
partitions="${IT_PARTITIONS:-4}"
alert_timeout="${IT_ALERT_TIMEOUT:-300}"
failures="${IT_FAILURES:-1}"
work="$state_root/run"
started=""

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_process alerts-reader
  stop_process uncommitted-reader
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

# wait_for_count MIN: until the alert reader has read at least MIN alerts (or the timeout passed).
wait_for_count() {
  local min=$1 deadline=$((SECONDS + alert_timeout)) count=0 last_report=$SECONDS
  while true; do
    require_job_alive "$job_id"
    running alerts-reader > /dev/null || { tail_log "$state_root/alerts-reader.err"; die "the alert reader stopped"; }
    count="$(grep -c . "$work/alerts.ndjson" || true)"
    (( count >= min )) && break
    if (( SECONDS >= deadline )); then
      say "timed out after ${alert_timeout}s with $count alerts read (waiting for $min)"
      break
    fi
    if (( SECONDS - last_report >= 15 )); then
      info "$count alerts read so far"
      last_report=$SECONDS
    fi
    sleep 1
  done
  info "$count alerts read"
}

# wait_for_open_transaction: until the job has written alerts it has not committed yet (the read_uncommitted
# reader is ahead of the read_committed one): a TaskManager killed now takes an open transaction with it.
wait_for_open_transaction() {
  local deadline=$((SECONDS + 120)) committed uncommitted
  while true; do
    committed="$(grep -c . "$work/alerts.ndjson" || true)"
    uncommitted="$(grep -c . "$work/alerts-uncommitted.ndjson" || true)"
    if (( uncommitted > committed )); then
      info "$((uncommitted - committed)) alerts written in an open transaction ($committed committed)"
      return 0
    fi
    (( SECONDS < deadline )) || die "no uncommitted alerts appeared within 120 s; see $state_root/flink/taskmanager.log"
    sleep 0.2
  done
}

# kill_taskmanager: SIGKILL, as a crash would; waits until the JobManager has noticed (it no longer lists it).
kill_taskmanager() {
  local pid
  pid="$(running taskmanager)" || die "no TaskManager of ours is running"
  kill -KILL "$pid"
  info "killed the TaskManager (pid $pid) with SIGKILL"
  local deadline=$((SECONDS + 120))
  until curl -sf "$rest/overview" | grep -q '"taskmanagers":0'; do
    (( SECONDS < deadline )) || die "the JobManager still lists the killed TaskManager after 120 s"
    sleep 1
  done
  info "the JobManager noticed the loss"
}

restored_checkpoint() {
  curl -sf "$rest/jobs/$1/checkpoints" | grep -oE '"restored":\{[^}]*\}' | grep -oE '"id":[0-9]+' | cut -d: -f2
}

# wait_restored JOB TIMEOUT: until the job has restarted from a checkpoint (the REST API then names it).
wait_restored() {
  local deadline=$((SECONDS + $2))
  until [[ -n "$(restored_checkpoint "$1" || true)" ]]; do
    require_job_alive "$1"
    (( SECONDS < deadline )) || die "job $1 did not restore from a checkpoint within $2 s; see $state_root/flink/jobmanager.log"
    sleep 1
  done
}

main() {
  trap cleanup EXIT
  trap interrupted INT TERM
  printf 'sigma-cep integration: streaming job on a real broker and cluster == replay, exactly once\n'
  preflight

  step "building the job jars if needed"
  build_jars
  local job_file="$work/job.yaml" input alerts dead
  write_job_file "$local_home/demo.yaml" "$job_file"
  input="$(input_topic "$job_file")"
  alerts="$(job_setting alerts-topic "$job_file")"
  dead="$(job_setting dead-letter-topic "$job_file")"

  step "generating telemetry to a file: $hosts hosts, $events events, chain rate $chain_rate, disorder $disorder, seed $seed"
  "$project_home/bin/sigma-cep" generate --hosts "$hosts" --events "$events" --chain-rate "$chain_rate" \
    --disorder "$disorder" --seed "$seed" --output "$work/telemetry.ndjson" --expected "$work/expected.ndjson" \
    2> "$work/generate.log" || { cat "$work/generate.log" >&2; die "generate failed"; }
  info "$(tail -n 1 "$work/generate.log")"

  step "the reference: bin/sigma-cep replay of that file with the job's rules (embedded Flink, BATCH)"
  "$project_home/bin/sigma-cep" replay --quiet --config "$job_file" --input "$work/telemetry.ndjson" \
    --output "$work/replay.ndjson" 2> "$work/replay.log" || { tail_log "$work/replay.log"; die "replay failed"; }
  local reference
  reference="$(grep -c . "$work/replay.ndjson" || true)"
  info "$reference alerts from the replay ($work/replay.ndjson)"

  step "starting the broker ($bootstrap) and the cluster ($rest)"
  started="kafka"
  "$local_home/kafka.sh" start
  started="$started flink"
  "$local_home/flink.sh" start
  create_topics "$partitions" "$input" "$alerts" "$dead"

  step "submitting the cluster jar"
  submit_job "$job_file" "$work/submit-1.log"
  wait_job_running "$job_id" 120
  start_topic_reader alerts-reader "$alerts" "$work/alerts.ndjson"
  start_topic_reader uncommitted-reader "$alerts" "$work/alerts-uncommitted.ndjson" read_uncommitted

  local total third
  total="$(grep -c . "$work/telemetry.ndjson")"
  third=$(( (total + 2) / 3 ))
  split -l "$third" -d -a 1 "$work/telemetry.ndjson" "$work/part-"

  step "first third of the records ($third) into $input"
  produce_lines "$input" "$work/part-0"
  if [[ "$failures" == 1 ]]; then
    wait_for_count 1

    step "second third into $input, and the TaskManager killed meanwhile"
    produce_lines "$input" "$work/part-1" &
    local producer=$!
    wait_for_open_transaction
    kill_taskmanager
    wait "$producer" || die "writing the second third failed"
    "$local_home/flink.sh" start-taskmanager
    wait_restored "$job_id" 180
    wait_job_running "$job_id" 180
    info "job $job_id RUNNING again, restored from checkpoint $(restored_checkpoint "$job_id")"
    info "the failure: $(job_failure "$job_id" | head -n 1)"
    info "alerts visible now: $(grep -c . "$work/alerts.ndjson" || true)"

    step "stop with a savepoint, then submit again from it"
    "$local_home/flink.sh" cli stop --savepointPath "file://$state_root/flink/savepoints" "$job_id" \
      > "$work/stop.log" 2>&1 || { cat "$work/stop.log"; die "flink stop failed; see $state_root/flink/client.log"; }
    local savepoint
    savepoint="$(grep -oE 'Savepoint completed\. Path: [^ ]+' "$work/stop.log" | awk '{ print $4 }')"
    [[ -n "$savepoint" ]] || { cat "$work/stop.log"; die "no savepoint path in the output of flink stop"; }
    info "savepoint $savepoint"
    submit_job "$job_file" "$work/submit-2.log" -s "$savepoint"
    wait_job_running "$job_id" 120
  else
    produce_lines "$input" "$work/part-1"
  fi

  step "last third into $input, then the tick"
  produce_lines "$input" "$work/part-2"
  send_tick "$input" "2024-03-12 02:00:00.000"

  step "reading $alerts (read_committed) until $reference alerts arrived, then 15 s more"
  wait_for_count "$reference"
  sleep 15
  stop_process alerts-reader
  stop_process uncommitted-reader
  read_topic "$dead" "$work/dead-letters.ndjson"
  check_metrics

  compare "$reference"
}

# check_metrics: the job's own metrics reach Prometheus: scrapes the cluster's Prometheus endpoints (flink.sh's
# FLINK_PROMETHEUS_PORT range) while the job runs and requires the names docs/operations.md lists. Counts are per
# task attempt (they start again after the restore), so they are shown, not compared.
check_metrics() {
  step "scraping the cluster's Prometheus endpoints"
  local port first="${FLINK_PROMETHEUS_PORT:-9249}" name missing=""
  : > "$work/metrics.txt"
  for port in "$first" $((first + 1)) $((first + 2)); do
    curl -sf "http://127.0.0.1:$port/metrics" >> "$work/metrics.txt" 2> /dev/null || true
  done
  for name in events_sysmon_flat records_dead_lettered correlate_late_events rule_matches rule_alerts \
      event_time_lag_ms; do
    grep -q "^flink_taskmanager_job_task_operator_$name[{ ]" "$work/metrics.txt" || missing="$missing $name"
  done
  info "alerts per rule since the last restore (flink_taskmanager_job_task_operator_rule_alerts):"
  grep '^flink_taskmanager_job_task_operator_rule_alerts{' "$work/metrics.txt" \
    | sed -E 's/.*rule="([^"]*)".* ([0-9.eE+]+)$/\1 \2/' \
    | awk '{ n[$1] += $2 } END { for (r in n) printf "         %6d %s\n", n[r], r }' | sort -rn || true
  [[ -z "$missing" ]] || die "metrics missing from the Prometheus endpoints ($work/metrics.txt):$missing"
  info "every documented metric is served ($work/metrics.txt)"
}

compare() {
  local reference=$1
  alert_keys "$work/replay.ndjson" | sort > "$work/replay-keys.txt"
  alert_keys "$work/alerts.ndjson" | sort > "$work/cluster-keys.txt"
  awk -F'"' '{ print $4, $8, $16, $20 }' "$work/expected.ndjson" | sort > "$work/expected-keys.txt"
  grep -E '^wer_masquerade_(netconn|chain) ' "$work/replay-keys.txt" > "$work/replay-chain-keys.txt" || true

  step "comparison"
  local got
  got="$(grep -c . "$work/cluster-keys.txt" || true)"
  info "alerts per rule (cluster):"
  awk '{ print $1 }' "$work/cluster-keys.txt" | uniq -c | sort -rn | sed 's/^/         /'
  info "replay:   $reference alerts"
  info "cluster:  $got alerts (read_committed), $(uniq -d "$work/cluster-keys.txt" | grep -c . || true) keys more than once"
  info "dead-letter topic: $(grep -c . "$work/dead-letters.ndjson" || true) records"
  local uncommitted
  uncommitted="$(grep -c . "$work/alerts-uncommitted.ndjson" || true)"
  info "alert topic read_uncommitted: $uncommitted records, $((uncommitted - got)) of them from aborted transactions"
  if [[ "$failures" == 1 && "$uncommitted" -le "$got" ]]; then
    info "(no aborted output this time: the kill fell between two transactions)"
  fi
  local chain_ok=yes
  diff -q "$work/replay-chain-keys.txt" "$work/expected-keys.txt" > /dev/null || chain_ok=no
  info "replay's chain alerts equal the generator's expected ones: $chain_ok"
  if diff "$work/replay-keys.txt" "$work/cluster-keys.txt" > "$work/diff.txt"; then
    printf '\nOK: the cluster gave exactly the replay'\''s %s alerts, each once.\n' "$reference"
  else
    info "differences (< replay only, > cluster only; $work/diff.txt):"
    head -n 20 "$work/diff.txt" | sed 's/^/           /'
    printf '\nFAILED: the alerts differ from the replay'\''s.\n'
    return 1
  fi
  [[ "$chain_ok" == yes ]] || { printf 'FAILED: the replay does not give the expected chain alerts.\n'; return 1; }
}

main "$@"
