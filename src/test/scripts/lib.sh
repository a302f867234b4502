# Shared by the multi-process scripts (source it after `cd` to the repository root):
#   fail MESSAGE              print FAIL and exit 1
#   JVM_FLAGS                 the JVM flags the platform runs with (as in ./tml)
#   start_service LOG         start the packaged jar in the background with the environment already exported
#                             by the caller (TENANTML_PORT, TENANTML_MANAGEMENT_PORT, TENANTML_DB_URL, ...);
#                             its pid is in SERVICE_PID and is added to SERVICE_PIDS
#   await_ready PID MGMT_PORT LOG [SECONDS]
#                             wait until /q/health/ready answers on the management port; fail (showing the
#                             log) when the process exits or the time (default 180 s) runs out
#   stop_services             kill every process start_service started, and wait for them
#   fresh_environment NAME    a new database tenantml_NAME_<epoch> on 127.0.0.1:5432 (DB), a data and a manifests
#                             directory (DATA, MANIFESTS), and an EXIT trap that stops the services and removes all
#                             three (the caller may add pids of its own helpers to SERVICE_PIDS)
#   start_node API_PORT MGMT_PORT LOG [NAME=VALUE ...]
#                             start one node of the fresh environment (OPERATOR and HASH_SECRET set by the caller)
#                             with the given extra environment; its pid in STARTED; fail unless /q/health/live
#                             answers on the management port within NODE_START_SECONDS (default 180)
# shellcheck shell=bash

JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAR=target/quarkus-app/quarkus-run.jar
# the pom's tenantml.jvm.flags, as tml reads them (the scripts run from the project's root)
JVM_FLAGS="$(sed -n 's:.*<tenantml.jvm.flags>\(.*\)</tenantml.jvm.flags>.*:\1:p' pom.xml)"
[[ -n "$JVM_FLAGS" ]] || { echo "FAIL: pom.xml has no tenantml.jvm.flags" >&2; exit 1; }
[[ "$JVM_FLAGS" != *$'\n'* ]] || { echo "FAIL: pom.xml has more than one tenantml.jvm.flags element" >&2; exit 1; }
SERVICE_PIDS=()

fail() { echo "FAIL: $*" >&2; exit 1; }

require_jar() { [[ -f $JAR ]] || { echo "build first: ./mvnw -B package -DskipTests" >&2; exit 2; }; }

start_service() {
  # shellcheck disable=SC2086
  OPT_OUT_TRACKING=true "$JAVA_HOME/bin/java" $JVM_FLAGS -jar "$JAR" >"$1" 2>&1 &
  SERVICE_PID=$!
  SERVICE_PIDS+=("$SERVICE_PID")
}

await_ready() {
  local pid=$1 port=$2 log=$3 seconds=${4:-180}
  for _ in $(seq 1 "$seconds"); do
    curl -fs "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || { cat "$log" >&2; fail "the service exited during start-up"; }
    sleep 1
  done
  fail "the service did not become ready in $seconds s (see $log)"
}

stop_services() {
  for pid in "${SERVICE_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${SERVICE_PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  SERVICE_PIDS=()
}

fresh_environment() {
  DB="tenantml_$1_$(date +%s)"
  DATA=$(mktemp -d)
  MANIFESTS=$(mktemp -d)
  trap remove_environment EXIT
  psql -q -h 127.0.0.1 -U postgres -c "create database $DB" >/dev/null
}

remove_environment() {
  stop_services
  psql -q -h 127.0.0.1 -U postgres -c "drop database if exists $DB with (force)" >/dev/null 2>&1 || true
  rm -rf "$DATA" "$MANIFESTS"
}

start_node() {
  local api=$1 management=$2 log=$3
  shift 3
  # shellcheck disable=SC2086
  env TENANTML_PORT="$api" TENANTML_MANAGEMENT_PORT="$management" \
    TENANTML_DB_URL="jdbc:postgresql://127.0.0.1:5432/$DB" TENANTML_DATA_DIR="$DATA" \
    TENANTML_MANIFESTS_DIR="$MANIFESTS" TENANTML_BOOTSTRAP_OPERATOR_KEY="$OPERATOR" \
    TENANTML_KEY_HASH_SECRET="$HASH_SECRET" OPT_OUT_TRACKING=true "$@" \
    "$JAVA_HOME/bin/java" $JVM_FLAGS -jar "$JAR" >"$log" 2>&1 &
  STARTED=$!
  SERVICE_PIDS+=("$STARTED")
  for _ in $(seq 1 "${NODE_START_SECONDS:-180}"); do
    curl -fs "http://127.0.0.1:$management/q/health/live" >/dev/null 2>&1 && return 0
    kill -0 "$STARTED" 2>/dev/null || { tail -50 "$log" >&2; fail "the node on port $api exited during start-up"; }
    sleep 1
  done
  fail "the node on port $api did not start in ${NODE_START_SECONDS:-180} s (see $log)"
}
