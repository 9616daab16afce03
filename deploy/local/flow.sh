# shellcheck shell=bash disable=SC2154  # sourced after lib.sh, which sets local_home, state_root, lib, ...
# The steps of a run of the streaming job on the local broker and cluster, shared by demo.sh and integration.sh
# (sourced after lib.sh, never run on its own). They call kafka.sh and flink.sh, so every process is started,
# recorded and stopped by those two scripts.

kafka_port="${KAFKA_PORT:-9092}"
rest="http://127.0.0.1:${FLINK_REST_PORT:-8081}"
bootstrap="127.0.0.1:$kafka_port"
cluster_jar="$project_home/target/sigma-cep-0.1.0-SNAPSHOT-cluster.jar"
cli_jar="$project_home/target/sigma-cep-0.1.0-SNAPSHOT-cli.jar"

t0=$SECONDS
# step TEXT: a numbered headline with the seconds since the start
step_number=0
step() {
  step_number=$((step_number + 1))
  printf '\n[%4ds] %d. %s\n' "$((SECONDS - t0))" "$step_number" "$*"
}
info() { printf '         %s\n' "$*"; }

# build_jars: both jars (the cluster jar for `flink run`, the command-line jar for `generate` and `replay`),
# built when missing or older than the sources (as bin/sigma-cep decides).
build_jars() {
  if [[ -f "$cluster_jar" && -f "$cli_jar" \
        && -z "$(find "$project_home/src/main" "$project_home/pom.xml" -newer "$cluster_jar" -print -quit)" ]]; then
    info "up to date: $cluster_jar"
    return 0
  fi
  info "mvn -q -DskipTests package (a few minutes on first use; log $state_root/build.log)"
  (cd "$project_home" && mvn -q -B -Dstyle.color=never -DskipTests package) > "$state_root/build.log" 2>&1 \
    || { tail_log "$state_root/build.log"; die "the build failed; see $state_root/build.log"; }
}

# job_setting KEY FILE: the value of `KEY: value` in a job file (our own flat layout: the first such line).
job_setting() { awk -v key="$1" '$1 == key ":" { print $2; exit }' "$2"; }

# input_topic FILE: the first entry under `input-topics:`.
input_topic() { awk '$1 == "input-topics:" { getline; print $2; exit }' "$1"; }

# write_job_file TEMPLATE OUT: the template with the local broker's address and its rules as absolute paths (a
# job file's relative paths are relative to its own directory, and the copy lives in the state directory).
write_job_file() {
  local template=$1 out=$2 template_dir
  template_dir="$(cd "$(dirname "$template")" && pwd)"
  awk -v bootstrap="$bootstrap" -v base="$template_dir" '
    $1 == "bootstrap-servers:" { sub(/bootstrap-servers:.*/, "bootstrap-servers: " bootstrap) }
    in_rules && $1 == "-" && $2 !~ /^\// { sub(/- .*/, "- " base "/" $2) }
    { in_rules = ($1 == "rules:") || (in_rules && $1 == "-"); print }
  ' "$template" > "$out"
}

create_topics() {
  local partitions=$1
  shift
  local topic
  for topic in "$@"; do
    "$local_home/kafka.sh" create-topic "$topic" "$partitions"
  done
}

# submit_job JOB_FILE LOG [FLINK_RUN_OPTIONS...]: `flink run -d` with Flink's own client (options such as
# `-s SAVEPOINT` go before the jar); sets job_id.
submit_job() {
  local job_file=$1 log=$2
  shift 2
  info "flink run -d ${*:+$* }-c dev.sigmacep.job.StreamingJob $(basename "$cluster_jar") --config $job_file"
  if ! "$local_home/flink.sh" run -d "$@" -c dev.sigmacep.job.StreamingJob "$cluster_jar" --config "$job_file" \
      > "$log" 2>&1; then
    sed 's/^/         | /' "$log"
    tail_log "$state_root/flink/client.log"
    die "flink run failed; see $log and $state_root/flink/client.log"
  fi
  sed 's/^/         | /' "$log"
  job_id="$(grep -oE 'JobID [0-9a-f]{32}' "$log" | awk '{ print $2 }' | tail -n 1)"
  [[ -n "$job_id" ]] || die "no JobID in the client's output ($log)"
}

job_state() { curl -sf "$rest/jobs/$1" 2> /dev/null | grep -oE '"state":"[A-Z_]+"' | head -n 1 | cut -d'"' -f4; }

# job_failure JOB: the latest failure of a job (exception and the start of its stack trace), from the REST API.
job_failure() {
  curl -sf "$rest/jobs/$1/exceptions" 2> /dev/null | grep -oE '"stacktrace":"[^"]{0,1500}' | head -n 1 \
    | cut -d'"' -f4 | sed 's/\\n/\n/g; s/\\t/  /g' | head -n 12
}

# wait_job_running JOB TIMEOUT: until the job and every one of its tasks run (the Kafka source then reads).
wait_job_running() {
  local job=$1 timeout=$2 deadline=$((SECONDS + $2)) state details
  while true; do
    state="$(job_state "$job")"
    details="$(curl -sf "$rest/jobs/$job" 2> /dev/null || true)"
    # every vertex RUNNING (while a job restarts, the job may still say RUNNING and its tasks not)
    if [[ "$state" == RUNNING ]] && grep -q '"status":"RUNNING"' <<< "$details" \
        && ! grep -oE '"status":"[A-Z_]+"' <<< "$details" | grep -qv '"RUNNING"'; then
      return 0
    fi
    case "$state" in
      FAILED|CANCELED|FINISHED)
        job_failure "$job" | sed 's/^/         | /'
        die "job $job is $state; see $state_root/flink/jobmanager.log and taskmanager.log" ;;
    esac
    (( SECONDS < deadline )) \
      || die "job $job not running after ${timeout}s (state ${state:-unknown}); see $state_root/flink/jobmanager.log"
    sleep 1
  done
}

# require_job_alive JOB: fails when the job failed or was cancelled (called while waiting for alerts).
require_job_alive() {
  local state
  state="$(job_state "$1")"
  case "$state" in
    FAILED|CANCELED|FINISHED|SUSPENDED)
      job_failure "$1" | sed 's/^/         | /'
      die "job $1 is $state; see $state_root/flink/taskmanager.log and jobmanager.log" ;;
  esac
}

# start_topic_reader NAME TOPIC OUT [ISOLATION]: a Kafka console consumer in the background (recorded like the
# broker, so it is stopped with everything else), reading TOPIC from the beginning into OUT, one record value per
# line. With isolation.level=read_committed (the default) records of transactions not (yet) committed stay
# invisible, as for any consumer of an exactly-once job; read_uncommitted shows them as soon as they are written.
start_topic_reader() {
  local name=$1 topic=$2 out=$3 isolation=${4:-read_committed}
  fetch_jars kafka "$local_home/kafka.pom.xml"
  : > "$out"
  start_java "$name" "$out" "$state_root/$name.err" \
    -Dlog4j2.configurationFile="$local_home/conf/log4j2-kafka.properties" \
    -Dsigmacep.log.file="$state_root/$name.log" -cp "$lib/*" \
    org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$bootstrap" --topic "$topic" \
    --from-beginning --isolation-level "$isolation"
}

# read_topic TOPIC OUT: the whole topic (read_committed) into OUT; returns once nothing new came for 5 s.
read_topic() {
  "$local_home/kafka.sh" tool org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server "$bootstrap" \
    --topic "$1" --from-beginning --isolation-level read_committed --timeout-ms 5000 > "$2" 2> /dev/null || true
}

# send_tick TOPIC TIME: one ordinary process start (notepad.exe by explorer.exe, no rule matches it) at event time
# TIME (UTC, "yyyy-MM-dd HH:mm:ss.SSS"), keyed by its host (the console producer splits key and value at the tab).
# Why: a correlation is emitted only when the watermark passes its last event, and the watermark only moves with
# events. After the last generated record every partition's watermark stays 2 minutes (max-out-of-orderness)
# behind its newest event, which holds back the chains that end in those 2 minutes. One later event on one
# partition moves the watermark as soon as the other partitions count as idle (event-time.idle-timeout).
send_tick() {
  local topic=$1 time=$2 iso
  iso="${time/ /T}Z"
  printf 'DEMO-TICK\t{"SourceName":"Microsoft-Windows-Sysmon","Channel":"Microsoft-Windows-Sysmon/Operational","Hostname":"DEMO-TICK","EventID":1,"@timestamp":"%s","UtcTime":"%s","ProcessGuid":"{7e1c0000-0000-0000-0000-000000000001}","ProcessId":"4242","Image":"C:\\\\Windows\\\\System32\\\\notepad.exe","CommandLine":"notepad.exe","User":"CORP\\\\demo","ParentProcessGuid":"{7e1c0000-0000-0000-0000-000000000002}","ParentImage":"C:\\\\Windows\\\\explorer.exe"}\n' \
      "$iso" "$time" \
    | "$local_home/kafka.sh" tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$bootstrap" \
        --topic "$topic" --reader-property parse.key=true > /dev/null 2>&1 \
    || die "could not send the tick to $topic; see $state_root/kafka/tools.log"
}

# alert_keys FILE: one line per alert, "rule host first_event_time last_event_time", for comparing alert sets.
# The rule is rule_name, or rule_title where the rule has no name (SigmaHQ rules). An alert's own fields come
# before its evidence `events`, so the first match of each field is the alert's.
alert_keys() {
  awk '
    function field(name,   value) {
      if (!match($0, "\"" name "\":(\"[^\"]*\"|null)")) return "-"
      value = substr($0, RSTART + length(name) + 3, RLENGTH - length(name) - 3)
      gsub(/"/, "", value)
      return value
    }
    /^\{/ {
      rule = field("rule_name")
      if (rule == "null") { rule = field("rule_title"); gsub(/ /, "_", rule) }
      print rule, field("host"), field("first_event_time"), field("last_event_time")
    }' "$1"
}

# count_chain_alerts FILE: alerts of the two flagship correlations in FILE.
count_chain_alerts() {
  grep -cE '"rule_name":"wer_masquerade_(netconn|chain)"' "$1" || true
}

# produce_lines TOPIC FILE: every line of FILE (one JSON record each) as a Kafka record keyed by its host
# (`Hostname`, the flat Sysmon field), in file order, with Kafka's console producer. Keyed by host, a host's records
# stay in one partition, in order, as `bin/sigma-cep generate --topic` writes them.
produce_lines() {
  local topic=$1 file=$2
  awk 'match($0, /"Hostname":"[^"]*"/) { print substr($0, RSTART + 12, RLENGTH - 13) "\t" $0; next }
       { print "-\t" $0 }' "$file" \
    | "$local_home/kafka.sh" tool org.apache.kafka.tools.ConsoleProducer --bootstrap-server "$bootstrap" \
        --topic "$topic" --reader-property parse.key=true > /dev/null 2>&1 \
    || die "could not write $file to $topic; see $state_root/kafka/tools.log"
}

# stop_started: stop what this run started ($started lists "kafka" and "flink" as they came up), the cluster
# before the broker its sinks write to; an earlier run's processes are never in $started.
stop_started() {
  [[ -n "$started" ]] || return 0
  step "stopping everything this run started"
  [[ "$started" == *flink* ]] && { "$local_home/flink.sh" stop || true; }
  [[ "$started" == *kafka* ]] && { "$local_home/kafka.sh" stop || true; }
  info "logs kept in $state_root (kafka/, flink/, run/)"
}

# interrupted: the INT/TERM trap; exiting runs the EXIT trap, which stops what was started.
interrupted() {
  echo
  say "interrupted"
  exit 130
}

# fresh_state: a fresh broker and cluster each time (no topics, offsets or checkpoints of an earlier run) and an
# empty work directory.
fresh_state() {
  "$local_home/kafka.sh" clean > /dev/null 2>&1
  "$local_home/flink.sh" clean > /dev/null 2>&1
  rm -rf "$work"
  mkdir -p "$work"
}
