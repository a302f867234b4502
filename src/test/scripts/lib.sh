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
# shellcheck shell=bash

JAVA_HOME="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAR=target/quarkus-app/quarkus-run.jar
JVM_FLAGS="--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED -Dai.djl.offline=true -Dvertx.disableURIValidation=true"
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
