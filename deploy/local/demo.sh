#!/usr/bin/env bash
# One command: a real Kafka broker and a real Flink 2.2 session cluster on this machine, the streaming job
# submitted with Flink's own client, generated telemetry with attack chains into the input topic, the alerts read
# back from the alert topic (read_committed) and compared with what the generator expects; then everything this
# script started is stopped again, also on Ctrl-C or an error.
#
#   deploy/local/demo.sh
#
# Needs Java 17, Maven and curl; fetches Kafka and Flink from Maven Central on first use (deploy/local/.cache) and
# builds the project's jars if needed. About 2-3 minutes once the jars are there.
# Environment (defaults in brackets):
#   DEMO_HOSTS [200], DEMO_EVENTS [20000], DEMO_CHAIN_RATE [0.1], DEMO_SEED [1], DEMO_DISORDER [30s]
#                           what `bin/sigma-cep generate` writes
#   DEMO_PARTITIONS [4]     partitions of the input topic
#   DEMO_JOB [deploy/local/demo.yaml]   the job file (topics, timings); submitted with the local broker's address
#   DEMO_ALERT_TIMEOUT [300] seconds to wait for the expected chain alerts
#   DEMO_SHOW [25]          wer_masquerade_chain alerts listed (rule, host, times); all are in .state/demo/run
#   KEEP_RUNNING=1          leave broker, cluster and job running at the end (stop with kafka.sh / flink.sh stop)
#   KAFKA_PORT, KAFKA_CONTROLLER_PORT, FLINK_REST_PORT, FLINK_RPC_PORT, FLINK_SLOTS: see kafka.sh and flink.sh
# State and logs: deploy/local/.state/demo (SIGMACEP_LOCAL_STATE), kept after the run for inspection.
# Exit status: 0 when every expected chain alert arrived exactly once and nothing else of the flagship
# correlations did; 1 otherwise.
set -euo pipefail
script_name="demo.sh"
SIGMACEP_LOCAL_STATE="${SIGMACEP_LOCAL_STATE:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/.state/demo}"
export SIGMACEP_LOCAL_STATE
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
source "$local_home/flow.sh"

hosts="${DEMO_HOSTS:-200}"
events="${DEMO_EVENTS:-20000}"
chain_rate="${DEMO_CHAIN_RATE:-0.1}"
seed="${DEMO_SEED:-1}"
disorder="${DEMO_DISORDER:-30s}"
partitions="${DEMO_PARTITIONS:-4}"
job_template="${DEMO_JOB:-$local_home/demo.yaml}"
alert_timeout="${DEMO_ALERT_TIMEOUT:-300}"
show="${DEMO_SHOW:-25}"
work="$state_root/run"
# what this run started ("kafka flink"): only that is stopped at the end
started=""

# --- cleanup: stop what this run started, in order, whatever way the script ends --------------------------

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_process alerts-reader
  if [[ "${KEEP_RUNNING:-}" == 1 && $status -eq 0 ]]; then
    printf '\nKEEP_RUNNING=1: broker, cluster and job keep running. Web UI %s. Stop them with\n' "$rest"
    printf '  SIGMACEP_LOCAL_STATE=%s %s/flink.sh stop\n' "$state_root" "$local_home"
    printf '  SIGMACEP_LOCAL_STATE=%s %s/kafka.sh stop\n' "$state_root" "$local_home"
    exit "$status"
  fi
  stop_started
  exit "$status"
}

# --- the run ------------------------------------------------------------------------------------------------

preflight() {
  require_tools java mvn curl awk sort comm
  [[ -f "$job_template" ]] || die "no job file $job_template"
  # An earlier run left with KEEP_RUNNING=1 owns these processes: this run did not start them, so it does not
  # stop them either.
  local name
  for name in kafka jobmanager taskmanager; do
    if running "$name" > /dev/null; then
      die "$name of an earlier demo is still running (state $state_root); stop it first: SIGMACEP_LOCAL_STATE=$state_root $local_home/$([[ $name == kafka ]] && echo kafka || echo flink).sh stop"
    fi
  done
  fresh_state
}

main() {
  trap cleanup EXIT
  trap interrupted INT TERM
  printf 'sigma-cep demo: Kafka -> Flink 2.2 cluster (Sigma + CEP) -> Kafka, all on this machine\n'
  preflight

  step "building the job jars if needed"
  build_jars

  step "starting a Kafka broker (KRaft, single node) on $bootstrap"
  started="kafka"
  "$local_home/kafka.sh" start

  step "starting a Flink 2.2 session cluster (JobManager + TaskManager), web UI $rest"
  started="$started flink"
  "$local_home/flink.sh" start

  local job_file="$work/job.yaml" input alerts dead
  write_job_file "$job_template" "$job_file"
  input="$(input_topic "$job_file")"
  alerts="$(job_setting alerts-topic "$job_file")"
  dead="$(job_setting dead-letter-topic "$job_file")"
  [[ -n "$input" && -n "$alerts" && -n "$dead" ]] || die "$job_template does not name input, alert and dead-letter topics"

  step "creating the topics named in $(basename "$job_template"): $input, $alerts, $dead ($partitions partitions each)"
  create_topics "$partitions" "$input" "$alerts" "$dead"

  step "submitting the cluster jar with Flink's client (flink run -d)"
  submit_job "$job_file" "$work/submit.log"
  wait_job_running "$job_id" 120
  info "job $job_id is RUNNING (checkpoints every $(awk '$1 == "interval:" { print $2 }' "$job_file"), exactly-once)"

  step "reading $alerts with isolation.level=read_committed (in the background, into $work/alerts.ndjson)"
  start_topic_reader alerts-reader "$alerts" "$work/alerts.ndjson"

  step "generating telemetry into $input: $hosts hosts, $events events, chain rate $chain_rate, disorder $disorder, seed $seed"
  local generated_at=$SECONDS
  "$project_home/bin/sigma-cep" generate --hosts "$hosts" --events "$events" --chain-rate "$chain_rate" \
    --disorder "$disorder" --seed "$seed" --topic "$input" --bootstrap-servers "$bootstrap" \
    --expected "$work/expected.ndjson" 2> "$work/generate.log" \
    || { cat "$work/generate.log" >&2; die "generate failed; see $work/generate.log"; }
  info "$(tail -n 1 "$work/generate.log")"
  local expected
  expected="$(grep -c . "$work/expected.ndjson" || true)"
  info "expected chain alerts (generator's --expected): $expected"

  step "sending one later event (a tick) so that the watermark passes the last chains"
  # the generated events end before 01:00 on 2024-03-12 (generate's fixed start, one hour); a tick well after
  # that plus max-out-of-orderness releases every chain once the other partitions are idle
  send_tick "$input" "2024-03-12 02:00:00.000"
  info "chains are emitted when the watermark passes them, and committed at the next checkpoint"

  step "waiting for the chain alerts (up to ${alert_timeout}s)"
  wait_for_alerts "$expected" "$generated_at"

  step "reading $dead (read_committed)"
  read_topic "$dead" "$work/dead-letters.ndjson"
  info "$(grep -c . "$work/dead-letters.ndjson" || true) dead-letter and late records"

  report "$expected"
}

# wait_for_alerts EXPECTED SINCE: until EXPECTED chain alerts were read, then one more checkpoint interval plus a
# few seconds, so that duplicates or extra alerts would show too.
wait_for_alerts() {
  local expected=$1 since=$2 deadline=$((SECONDS + alert_timeout)) chains=0 total=0 last_report=0 first=""
  while (( chains < expected )); do
    require_job_alive "$job_id"
    running alerts-reader > /dev/null || { tail_log "$state_root/alerts-reader.err"; die "the alert reader stopped"; }
    total="$(grep -c . "$work/alerts.ndjson" || true)"
    chains="$(count_chain_alerts "$work/alerts.ndjson")"
    [[ -z "$first" && "$total" -gt 0 ]] && first=$((SECONDS - since)) && info "first alerts after ${first}s"
    if (( SECONDS - last_report >= 10 )); then
      info "$(printf '%4ds: %d alerts read, %d of %d chain alerts' "$((SECONDS - since))" "$total" "$chains" "$expected")"
      last_report=$SECONDS
    fi
    if (( SECONDS >= deadline )); then
      say "timed out after ${alert_timeout}s with $chains of $expected chain alerts"
      say "see $state_root/flink/taskmanager.log; the job in the web UI: $rest/#/job/running/$job_id"
      break
    fi
    sleep 1
  done
  all_chains_after=$((SECONDS - since))
  info "all $chains chain alerts after ${all_chains_after}s; waiting 15 s more for anything further"
  sleep 15
  stop_process alerts-reader
}

report() {
  local expected=$1
  local got="$work/alerts.ndjson"
  alert_keys "$got" > "$work/alert-keys.txt"
  grep -E '^wer_masquerade_(netconn|chain) ' "$work/alert-keys.txt" | sort > "$work/chain-keys.txt" || true
  awk -F'"' '{ print $4, $8, $16, $20 }' "$work/expected.ndjson" | sort > "$work/expected-keys.txt"

  step "alerts read back from the alert topic ($got)"
  info "wer_masquerade_chain alerts (rule, host, first event, last event; at most $show):"
  grep '^wer_masquerade_chain ' "$work/alert-keys.txt" | sort -k2 | head -n "$show" | sed 's/^/           /'
  info "alerts per rule:"
  awk '{ print $1 }' "$work/alert-keys.txt" | sort | uniq -c | sort -rn | sed 's/^/         /'

  local total chains missing unexpected duplicates
  total="$(grep -c . "$work/alert-keys.txt" || true)"
  chains="$(grep -c . "$work/chain-keys.txt" || true)"
  missing="$(sort -u "$work/chain-keys.txt" | comm -13 - "$work/expected-keys.txt" | tee "$work/missing.txt" | grep -c . || true)"
  unexpected="$(sort -u "$work/chain-keys.txt" | comm -23 - "$work/expected-keys.txt" | tee "$work/unexpected.txt" | grep -c . || true)"
  duplicates="$(uniq -d "$work/chain-keys.txt" | tee "$work/duplicates.txt" | grep -c . || true)"
  local duplicate_alerts
  duplicate_alerts="$(sort "$work/alert-keys.txt" | uniq -d | grep -c . || true)"

  step "summary"
  info "records generated:            $(grep -oE '[0-9,]+ records' "$work/generate.log" | head -n 1)"
  info "alerts read (read_committed): $total ($duplicate_alerts with a duplicate key)"
  info "chain alerts:                 $chains received, $expected expected by the generator"
  info "  missing:                    $missing ($work/missing.txt)"
  info "  unexpected:                 $unexpected ($work/unexpected.txt)"
  info "  duplicated:                 $duplicates ($work/duplicates.txt)"
  info "time from generating to the last chain alert: ${all_chains_after}s; whole demo $((SECONDS - t0))s"
  if [[ "$chains" -eq "$expected" && "$missing" -eq 0 && "$unexpected" -eq 0 && "$duplicates" -eq 0 ]]; then
    printf '\nOK: every expected chain alert arrived exactly once.\n'
  else
    printf '\nFAILED: the chain alerts differ from the expected ones (files above; logs in %s).\n' "$state_root"
    return 1
  fi
}

main "$@"
