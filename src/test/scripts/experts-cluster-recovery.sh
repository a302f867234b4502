#!/usr/bin/env bash
# Acceptance 4 of the experts issue, against the packaged application:
#   1. SIGKILL in the middle of an index build: the previous generation keeps answering (on the other
#      node), the build is redone once after the restart and makes exactly one new generation current.
#   2. Two nodes on one database and data directory answer the same recommendations for one generation.
# Builds are runs of the run ledger: A builds, B only serves (index-build node slots 0), so that the SIGKILL hits
# the node running the build; the ledger notices A's stale heartbeat and the restarted A redoes the build.
# Usage: ./mvnw -B package -DskipTests && src/test/scripts/experts-cluster-recovery.sh
# Ports: EXPERTS_PORT_A (18491), EXPERTS_PORT_B (18492).
# Needs: PostgreSQL at 127.0.0.1:5432 (trust, user postgres), curl, jq. Uses a fresh database and data dir.
set -euo pipefail
cd "$(dirname "$0")/../../.."

# shellcheck source=lib.sh
source src/test/scripts/lib.sh
require_jar
CSV=src/test/resources/experts/prometheus-commits.csv
OPERATOR=experts-operator-key-0123456789-abcdefghij
HASH_SECRET=experts-hash-secret-0123456789-abcdefghij
PORT_A=${EXPERTS_PORT_A:-18491}
PORT_B=${EXPERTS_PORT_B:-18492}
fresh_environment experts

start() { # port log [build slots] -> pid in STARTED (health on the management port: the API port + 1000)
  start_node "$1" $(( $1 + 1000 )) "$2" TENANTML_EXPERTS_MAX_CONCURRENT_BUILDS="${3:-1}"
}
api() { # method port path [body] (as the tenant admin)
  curl -fsS -X "$1" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    "http://127.0.0.1:$2/api/v1/tenants/experts$3" ${4:+-d "$4"}
}
upload() { # file
  curl -fsS -H "Authorization: Bearer $ADMIN" -H 'Content-Type: text/csv' --data-binary @"$1" \
    "http://127.0.0.1:$PORT_A/api/v1/tenants/experts/datasets/answers/versions" >/dev/null
}
await_build() { # port id -> final build JSON on stdout
  local status
  for _ in $(seq 1 1800); do
    status=$(api GET "$1" "/recommenders/dev/builds/$2" | jq -r .status)
    [[ $status == queued || $status == running ]] || break
    sleep 1
  done
  api GET "$1" "/recommenders/dev/builds/$2"
}
QUESTION='{"text":"Fix flaky test in remote write queue manager","tags":["storage"],"k":5}'

echo "== instances A and B on one database and data directory"
start $PORT_A "$DATA/a1.log"; A=$STARTED
start $PORT_B "$DATA/b.log" 0
ADMIN=$(curl -fsS -H "Authorization: Bearer $OPERATOR" -H 'Content-Type: application/json' \
  -d '{"id":"experts","name":"Experts"}' "http://127.0.0.1:$PORT_A/api/v1/tenants" | jq -r .adminApiKey)
api PUT $PORT_A /datasets/answers '{"schema":{"columns":[{"name":"id","type":"text"},{"name":"question","type":"text"},{"name":"expert_id","type":"categorical"},{"name":"answered_at","type":"timestamp"},{"name":"tags","type":"categorical"}],"primaryKey":"id"}}' >/dev/null
upload $CSV
api PUT $PORT_A /recommenders/dev '{"dataset":"answers","text":["question"],"expert":"expert_id","time":"answered_at","tags":"tags","gateTolerance":1.0}' >/dev/null
FIRST=$(api POST $PORT_A /recommenders/dev/builds | jq -r .id)
echo "build $FIRST (whole dev set) queued"
B1=$(await_build $PORT_A "$FIRST")
[[ $(echo "$B1" | jq -r .status) == succeeded ]] || fail "first build ended $(echo "$B1" | jq -c '{status, error}')"
echo "$B1" | jq -c '{status, served, mrr: .evaluation.unlearned.mrrAt10, current}'

echo "== two nodes answer the same for the same generation"
RA=$(api POST $PORT_A /recommenders/dev/recommend "$QUESTION" | jq -S .)
RB=$(api POST $PORT_B /recommenders/dev/recommend "$QUESTION" | jq -S .)
[[ $(echo "$RA" | jq -r .build) == "$FIRST" ]] || fail "node A answered from another generation"
[[ "$RA" == "$RB" ]] || fail "nodes A and B answered differently: $(diff <(echo "$RA") <(echo "$RB") | head -20)"
echo "PASS: A and B give identical answers from generation $FIRST ($(echo "$RA" | jq -c '[.experts[].expert]'))"

echo "== a new dataset version, its build SIGKILLed mid-way"
NEW=$(mktemp)
cp $CSV "$NEW"
printf '%s\n' 'ffffffffffff,"Add a retry budget to remote write",Experts Test,2026-09-01T10:00:00Z,storage' >>"$NEW"
upload "$NEW"
SECOND=$(api POST $PORT_A /recommenders/dev/builds | jq -r .id)
for _ in $(seq 1 900); do
  PHASE=$(api GET $PORT_A "/recommenders/dev/builds/$SECOND" | jq -r .phase)
  [[ $PHASE == evaluating || $PHASE == indexing ]] && break
  sleep 0.5
done
echo "build $SECOND in phase $PHASE: SIGKILL instance A"
kill -9 $A
wait $A 2>/dev/null || true
RB=$(api POST $PORT_B /recommenders/dev/recommend "$QUESTION")
[[ $(echo "$RB" | jq -r .build) == "$FIRST" ]] || fail "the previous generation did not keep answering on B"
echo "PASS: B still answers from generation $FIRST while the build is interrupted"

echo "== instance A again (the interrupted build is recovered by a node)"
start $PORT_A "$DATA/a2.log"
B2=$(await_build $PORT_B "$SECOND")
echo "$B2" | jq -c '{status, attempts, current, rowsEmbedded, error}'
[[ $(echo "$B2" | jq -r .status) == succeeded ]] || fail "the redone build ended $(echo "$B2" | jq -r '.status + " " + (.error // "")')"
[[ $(echo "$B2" | jq -r .attempts) == 2 ]] || fail "expected the build to be redone once (attempts 2)"
[[ $(api GET $PORT_B /recommenders/dev | jq -r .currentBuild) == "$SECOND" ]] || fail "the redone build is not current"
CURRENT=$(api GET $PORT_B "/recommenders/dev/builds?limit=1000" | jq '[.items[] | select(.current)] | length')
[[ $CURRENT == 1 ]] || fail "expected exactly one current generation, found $CURRENT"
RA=$(api POST $PORT_A /recommenders/dev/recommend "$QUESTION" | jq -S .)
RB=$(api POST $PORT_B /recommenders/dev/recommend "$QUESTION" | jq -S .)
[[ $(echo "$RA" | jq -r .build) == "$SECOND" && "$RA" == "$RB" ]] || fail "nodes disagree after the switch"
echo "PASS: redone once after SIGKILL, exactly one new generation current, both nodes answer from it alike"
