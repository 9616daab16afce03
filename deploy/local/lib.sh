# shellcheck shell=bash disable=SC2034  # sourced: the variables set here are used by the scripts that source it
# Shared by kafka.sh, flink.sh, demo.sh and integration.sh (sourced, never run on its own).
#
# Where things go (all ignored by git):
#   SIGMACEP_LOCAL_CACHE  jars fetched from Maven Central, one directory per component (default deploy/local/.cache)
#   SIGMACEP_LOCAL_STATE  generated configuration, data, logs and the PIDs of started processes
#                         (default deploy/local/.state)
# Every process a script starts gets its PID written to STATE/<name>.pid and the marker
# -Dsigmacep.local=STATE/<name> on its command line; stop acts only on a PID whose command line still carries
# that marker, so a PID reused by an unrelated process after a crash is never signalled.

local_home="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project_home="$(cd "$local_home/../.." && pwd)"
cache_root="${SIGMACEP_LOCAL_CACHE:-$local_home/.cache}"
state_root="${SIGMACEP_LOCAL_STATE:-$local_home/.state}"
# seconds between SIGTERM and SIGKILL
stop_timeout="${STOP_TIMEOUT:-30}"
script_name="${script_name:-$(basename "$0")}"
# absolute, so that the marker on a command line is the same whatever the working directory
mkdir -p "$cache_root" "$state_root"
cache_root="$(cd "$cache_root" && pwd)"
state_root="$(cd "$state_root" && pwd)"

say() { printf '%s: %s\n' "$script_name" "$*" >&2; }
die() { say "ERROR: $*"; exit 1; }

# Flink and Kafka on Java 17 need these opens/exports (the list Flink's own scripts pass by default).
java17_opens=(
  --add-exports=java.base/sun.net.util=ALL-UNNAMED
  --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  --add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED
  --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED
  --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED
)

require_tools() {
  local tool
  for tool in "$@"; do
    command -v "$tool" > /dev/null || die "'$tool' is not on the PATH (needed here)"
  done
}

# fetch_jars NAME POM: the runtime dependencies of POM, copied by Maven into CACHE/NAME (Maven keeps its own copy
# in ~/.m2 as usual). Done once per content of the pom: a changed version in the pom fetches again.
# Sets `lib` to the directory.
fetch_jars() {
  local name=$1 pom=$2
  lib="$cache_root/$name"
  local stamp
  stamp="$lib/.fetched-$(cksum < "$pom" | cut -d' ' -f1)"
  [[ -f "$stamp" ]] && return 0
  require_tools mvn
  say "fetching the $name jars from Maven Central into $lib (mvn dependency:copy-dependencies, once)"
  rm -rf "$lib"
  mkdir -p "$lib"
  local mvn_log="$cache_root/$name-fetch.log"
  if ! mvn -B -Dstyle.color=never -f "$pom" dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$lib" > "$mvn_log" 2>&1; then
    rm -rf "$lib"
    die "Maven could not fetch the $name jars; see $mvn_log"
  fi
  touch "$stamp"
}

# --- processes ----------------------------------------------------------------------------------------------

pid_file() { echo "$state_root/$1.pid"; }

# running NAME: true when the process recorded as NAME is alive and still the one we started (its command line
# carries our marker). Prints its PID.
running() {
  local file pid
  file="$(pid_file "$1")"
  [[ -f "$file" ]] || return 1
  pid="$(< "$file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  # a zombie or a reused PID has no (or another) command line
  tr '\0' ' ' 2> /dev/null < "/proc/$pid/cmdline" | grep -qF -- "-Dsigmacep.local=$state_root/$1 " || return 1
  echo "$pid"
}

# start_java NAME OUT ERR JAVA_ARGS...: starts `java JAVA_ARGS` in the background, in a session of its own (a
# Ctrl-C at the terminal then reaches the calling script, whose trap stops the processes in order, instead of
# killing every JVM at once), with stdout appended to OUT and stderr to ERR (they may be the same file). Records
# the PID in STATE/NAME.pid.
start_java() {
  local name=$1 log=$2 err=$3
  shift 3
  local file
  file="$(pid_file "$name")"
  rm -f "$file"
  mkdir -p "$(dirname "$log")"
  # The inner shell writes its own PID and then becomes java (exec keeps the PID), so the file holds the JVM's
  # PID whether or not setsid had to fork.
  # shellcheck disable=SC2016  # $$ and $@ are for the inner shell
  setsid bash -c 'echo $$ > "$0"; exec "$@"' "$file" java "-Dsigmacep.local=$state_root/$name" "$@" \
    >> "$log" 2>> "$err" < /dev/null &
  local waited=0
  until [[ -s "$file" ]]; do
    sleep 0.1
    (( ++waited < 100 )) || die "$name did not start; see $log"
  done
}

# stop_process NAME: SIGTERM to the process recorded as NAME, SIGKILL if it is still there after stop_timeout
# seconds. Nothing else is signalled.
stop_process() {
  local name=$1 pid waited=0
  if ! pid="$(running "$name")"; then
    rm -f "$(pid_file "$name")"
    return 0
  fi
  say "stopping $name (pid $pid)"
  kill -TERM "$pid" 2> /dev/null || true
  while running "$name" > /dev/null; do
    if (( waited >= stop_timeout * 10 )); then
      say "$name (pid $pid) still running after ${stop_timeout}s: SIGKILL"
      kill -KILL "$pid" 2> /dev/null || true
      sleep 0.5
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  rm -f "$(pid_file "$name")"
}

# --- ports --------------------------------------------------------------------------------------------------

port_open() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }

# require_free_port PORT SETTING: fails, naming the environment variable that moves it, when something listens.
require_free_port() {
  if port_open "$1"; then
    die "port $1 on 127.0.0.1 is already in use (by another broker or cluster?); choose another with $2=PORT"
  fi
}

# wait_until NAME LOG TIMEOUT WHAT COMMAND...: polls COMMAND every half second until it succeeds. Fails after
# TIMEOUT seconds, or at once when process NAME died, with the end of LOG.
wait_until() {
  local name=$1 log=$2 timeout=$3 what=$4
  shift 4
  local deadline=$((SECONDS + timeout))
  until "$@"; do
    if ! running "$name" > /dev/null; then
      tail_log "$log"
      die "$name exited while waiting for $what; its log: $log"
    fi
    if (( SECONDS >= deadline )); then
      tail_log "$log"
      die "timed out after ${timeout}s waiting for $what; $name's log: $log"
    fi
    sleep 0.5
  done
}

tail_log() {
  [[ -f "$1" ]] || return 0
  say "last lines of $1:"
  tail -n 25 "$1" | sed 's/^/    /' >&2
}
