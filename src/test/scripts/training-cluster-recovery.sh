#!/usr/bin/env bash
# Acceptance 4 (second half) and 5 of the training issue, against the packaged application:
#   1. SIGKILL in the middle of a training, start again: the training is redone once and ends with
#      exactly one new version (attempts = 2, one version). The run ledger notices the dead node when its
#      heartbeat is older than tenantml.runs.stale-after (30 s by default; TENANTML_RUNS_STALE_AFTER here).
#   2. Two instances on one database: a scheduled training runs once per fire, not once per node.
# Usage: ./mvnw -B package -DskipTests && src/test/scripts/training-cluster-recovery.sh
# PHASES=kill or PHASES=cluster runs one part only.
# Needs: PostgreSQL at 127.0.0.1:5432 (trust, user postgres), curl, jq. Uses a fresh database and data dir.
set -euo pipefail
cd "$(dirname "$0")/../../.."

# shellcheck source=lib.sh
source src/test/scripts/lib.sh
require_jar
OPERATOR=recovery-operator-key-0123456789-abcdefghij
HASH_SECRET=recovery-hash-secret-0123456789-abcdefghij
PORT_A=${PORT_A:-18481}
PORT_B=${PORT_B:-18482}
# Health is on each instance's management port (loopback); the API port has none.
MGMT_A=${MGMT_A:-18483}
MGMT_B=${MGMT_B:-18484}
fresh_environment recovery

start() { # port management-port log -> pid in STARTED
  start_node "$1" "$2" "$3" TENANTML_RUNS_STALE_AFTER="${TENANTML_RUNS_STALE_AFTER:-15s}" \
    TENANTML_PLAN_MIN_SCHEDULE_INTERVAL=PT1S
}
api() { # method port path [body] (as the tenant admin)
  curl -fsS -X "$1" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    "http://127.0.0.1:$2/api/v1/tenants/recovery$3" ${4:+-d "$4"}
}

echo "== instance A"
start $PORT_A $MGMT_A "$DATA/a1.log"; A=$STARTED
ADMIN=$(curl -fsS -H "Authorization: Bearer $OPERATOR" -H 'Content-Type: application/json' \
  -d '{"id":"recovery","name":"Recovery"}' "http://127.0.0.1:$PORT_A/api/v1/tenants" | jq -r .adminApiKey)
api PUT $PORT_A /datasets/flights '{"schema":{"columns":[{"name":"date","type":"timestamp"},{"name":"delay","type":"numeric"},{"name":"distance","type":"numeric"},{"name":"origin","type":"categorical"},{"name":"destination","type":"categorical"}],"timeColumn":"date"}}' >/dev/null
curl -fsS -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
  --data-binary @src/test/resources/datasets/flights-20k.json \
  "http://127.0.0.1:$PORT_A/api/v1/tenants/recovery/datasets/flights/versions" >/dev/null
api PUT $PORT_A /models/delayed '{"dataset":"flights","target":"delay","objective":"binary","positive":{"above":15},"features":["date","distance","origin","destination"],"params":{"numRounds":1500,"eta":0.02,"earlyStoppingRounds":0,"maxDepth":8,"seed":1}}' >/dev/null
if [[ ${PHASES:-kill,cluster} == *kill* ]]; then
ID=$(api POST $PORT_A /models/delayed/trainings '{}' | jq -r .id)
echo "training $ID queued"
for _ in $(seq 1 300); do
  P=$(api GET $PORT_A /trainings/$ID | jq -r .progress)
  awk "BEGIN{exit !($P > 0.05)}" && break
  sleep 0.5
done
echo "progress $P: SIGKILL instance A"
kill -9 $A
wait $A 2>/dev/null || true

echo "== instance A again (recovers the interrupted run)"
start $PORT_A $MGMT_A "$DATA/a2.log"; A=$STARTED
for _ in $(seq 1 600); do
  STATUS=$(api GET $PORT_A /trainings/$ID | jq -r .status)
  [[ $STATUS == queued || $STATUS == running ]] || break
  sleep 1
done
T=$(api GET $PORT_A /trainings/$ID)
echo "$T" | jq -c '{status, attempts, modelVersion, progress}'
[[ $(echo "$T" | jq -r .status) == succeeded ]] || fail "training ended $(echo "$T" | jq -r '.status + " " + (.error // "")')"
[[ $(echo "$T" | jq -r .attempts) == 2 ]] || fail "expected the training to be redone once (attempts 2)"
[[ $(api GET $PORT_A /models/delayed/versions | jq "if type == \"array\" then length else (.items | length) end") == 1 ]] || fail "expected exactly one version"
echo "PASS: redone once after SIGKILL, exactly one version"
fi
[[ ${PHASES:-kill,cluster} == *cluster* ]] || exit 0

echo "== instance B on the same database"
start $PORT_B $MGMT_B "$DATA/b.log"
echo "instance B up"
api PUT $PORT_A /models/scheduled '{"dataset":"flights","target":"delay","objective":"binary","positive":{"above":15},"features":["distance","origin","destination"],"params":{"numRounds":30,"seed":2},"schedule":"0/10 * * * * ?"}' >/dev/null
sleep 45
api PUT $PORT_B /models/scheduled '{"dataset":"flights","target":"delay","objective":"binary","positive":{"above":15},"features":["distance","origin","destination"],"params":{"numRounds":30,"seed":2}}' >/dev/null
RUNS=$(api GET $PORT_B "/trainings?model=scheduled&limit=1000" | jq '.items')
echo "$RUNS" | jq -c '.[] | {createdAt, status, trigger}'
[[ $(echo "$RUNS" | jq '[.[] | select(.status == "succeeded")] | length') == 1 ]] || fail "expected one scheduled training"
[[ $(api GET $PORT_B /models/scheduled/versions | jq "if type == \"array\" then length else (.items | length) end") == 1 ]] || fail "expected one version"
# one row per fire: no two rows within the same 10-second fire
DUP=$(echo "$RUNS" | jq '[.[] | .createdAt[0:18]] | group_by(.) | map(select(length > 1)) | length')
[[ $DUP == 0 ]] || fail "a fire produced more than one training row"
echo "PASS: two instances, each scheduled fire ran once ($(echo "$RUNS" | jq length) fires recorded)"
