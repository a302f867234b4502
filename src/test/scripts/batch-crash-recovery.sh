#!/usr/bin/env bash
# A batch prediction SIGKILLed mid-run, against the packaged application: after a restart the batch is redone once
# (attempts = 2) and succeeds with one results file holding every row once, one precomputed row per dataset row,
# its records metered once; the half-written results file of the killed attempt is gone (every node deletes
# uncommitted blob writes older than tenantml.storage.abandoned-write-after at start; 1 s here), so it no longer
# counts in the tenant's stored bytes.
# Usage: ./mvnw -B package -DskipTests && src/test/scripts/batch-crash-recovery.sh
# Needs: PostgreSQL at 127.0.0.1:5432 (trust, user postgres), curl, jq. Uses a fresh database and data dir.
# Ports: BATCH_PORT_A (18541), management BATCH_MGMT_A (19541).
set -euo pipefail
cd "$(dirname "$0")/../../.."

# shellcheck source=lib.sh
source src/test/scripts/lib.sh
require_jar
OPERATOR=batch-operator-key-0123456789-abcdefghijkl
HASH_SECRET=batch-hash-secret-0123456789-abcdefghijkl
PORT_A=${BATCH_PORT_A:-18541}
MGMT_A=${BATCH_MGMT_A:-19541}
REPEATS=${REPEATS:-1500} # copies of the 344 demo penguins the batch scores (516,000 rows)
fresh_environment batch
sql() { psql -qtA -h 127.0.0.1 -U postgres -d "$DB" -c "$1"; }

start() { # log -> pid in STARTED
  start_node $PORT_A $MGMT_A "$1" TENANTML_RUNS_STALE_AFTER=5s "${@:2}"
}
api() { # method path [body] (as the tenant admin)
  curl -fsS -X "$1" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    "http://127.0.0.1:$PORT_A/api/v1/tenants/batch$2" ${3:+-d "$3"}
}
upload() { # dataset content-type file
  curl -fsS -H "Authorization: Bearer $ADMIN" -H "Content-Type: $2" --data-binary @"$3" \
    "http://127.0.0.1:$PORT_A/api/v1/tenants/batch/datasets/$1/versions" >/dev/null
}

echo "== instance A"
start "$DATA/a1.log"; A=$STARTED
ADMIN=$(curl -fsS -H "Authorization: Bearer $OPERATOR" -H 'Content-Type: application/json' \
  -d '{"id":"batch","name":"Batch"}' "http://127.0.0.1:$PORT_A/api/v1/tenants" | jq -r .adminApiKey)
upload penguins application/json src/test/resources/datasets/penguins.json
api PUT /models/species '{"dataset":"penguins","target":"Species","objective":"multiclass","autoPromote":true,"params":{"numRounds":10,"seed":5}}' >/dev/null
ID=$(api POST /models/species/trainings '{}' | jq -r .id)
for _ in $(seq 1 300); do
  S=$(api GET /trainings/$ID | jq -r .status)
  [[ $S == queued || $S == running ]] || break
  sleep 0.5
done
[[ $S == succeeded ]] || fail "training ended $S"
{ head -1 tenants/demo/penguins.csv; for _ in $(seq 1 "$REPEATS"); do tail -n +2 tenants/demo/penguins.csv; done; } \
  >"$DATA/many.csv"
upload many text/csv "$DATA/many.csv"
BATCH=$(api POST /models/species/batch-predictions '{"dataset":"many"}' | jq -r .id)
TOTAL=$(api GET /models/species/batch-predictions/$BATCH | jq -r .rowsTotal)
for _ in $(seq 1 600); do
  DONE=$(api GET /models/species/batch-predictions/$BATCH | jq -r .rowsDone)
  (( DONE > TOTAL / 4 )) && break
  sleep 0.1
done
(( DONE > TOTAL / 4 && DONE < TOTAL )) || fail "the batch was not caught running ($DONE of $TOTAL rows)"
echo "batch $BATCH at $DONE of $TOTAL rows: SIGKILL instance A"
kill -9 $A
wait $A 2>/dev/null || true
HALF=$(find "$DATA/blobs/batch/batch-predictions" -name '*.partial' | wc -l)
(( HALF == 1 )) || fail "expected the killed attempt's half-written results file, found $HALF"

echo "== instance A again (redoes the batch)"
start "$DATA/a2.log" TENANTML_STORAGE_ABANDONED_WRITE_AFTER=PT1S; A=$STARTED
for _ in $(seq 1 600); do
  S=$(api GET /models/species/batch-predictions/$BATCH | jq -r .status)
  [[ $S == queued || $S == running ]] || break
  sleep 1
done
[[ $S == succeeded ]] || fail "the batch ended $S"
ATTEMPTS=$(sql "select attempts from run where id = '$BATCH'")
[[ $ATTEMPTS == 2 ]] || fail "expected the batch to be redone once (attempts 2), got $ATTEMPTS"
LINES=$(curl -fsS -H "Authorization: Bearer $ADMIN" \
  "http://127.0.0.1:$PORT_A/api/v1/tenants/batch/models/species/batch-predictions/$BATCH/results" | wc -l)
(( LINES == TOTAL + 1 )) || fail "the results hold $LINES lines, expected a header and $TOTAL rows"
ROWS=$(sql "select count(*) || ' ' || count(distinct row_key) from batch_prediction_row where batch_id = '$BATCH'")
[[ $ROWS == "$TOTAL $TOTAL" ]] || fail "precomputed rows (count, distinct keys): $ROWS, expected $TOTAL each"
FILES=$(find "$DATA/blobs/batch/batch-predictions" -type f | sed "s|$DATA/blobs/batch/||")
[[ $FILES == "batch-predictions/species/$BATCH.csv" ]] || fail "files of the batch: $FILES"
for _ in $(seq 1 30); do
  METERED=$(sql "select coalesce(sum(quantity), 0)::bigint || ' ' || count(*) from usage_event
    where tenant_id = 'batch' and meter = 'batch.records'")
  [[ $METERED != "0 0" ]] && break
  sleep 1
done
[[ $METERED == "$TOTAL 1" ]] || fail "batch.records metered (quantity, events): $METERED, expected $TOTAL once"
echo "PASS: redone once after SIGKILL, one complete results file, $TOTAL rows metered once, no half-written file left"
