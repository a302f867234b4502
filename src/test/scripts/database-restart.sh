#!/usr/bin/env bash
# Issue 15, acceptance 5, against the packaged application: PostgreSQL stops and starts again under load.
#   during the outage: warm /predict answers 200 (from the caches, within tenantml.cluster.outage-grace),
#                      an upload answers 503 problem+json with Retry-After at once;
#   after it:          everything works again without restarting the service (predict, upload, training),
#                      and every upload that was answered 201 is readable.
# The shared PostgreSQL on 5432 is never touched: this script runs a private, throwaway PostgreSQL
# (initdb in a temp dir, trust auth, loopback only) and stops and starts that one.
# Usage: ./mvnw -B package -DskipTests && src/test/scripts/database-restart.sh
# Ports (env): PORT (API, 18501), MGMT_PORT (management, 18502), PG_PORT (private PostgreSQL, 18503).
# MAX_503_SECONDS (1.5): how long the 503 of an upload during the outage may take.
# KEEP_WORK=1 keeps the temp dir (service log, request logs) for a look after a failure.
# Needs: PostgreSQL 15 server binaries (PG_BIN, default /usr/lib/postgresql/15/bin), curl, jq.
set -euo pipefail
cd "$(dirname "$0")/../../.."

# shellcheck source=lib.sh
source src/test/scripts/lib.sh
require_jar
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PORT=${PORT:-18501}
MGMT_PORT=${MGMT_PORT:-18502}
PG_PORT=${PG_PORT:-18503}
OUTAGE_SECONDS=${OUTAGE_SECONDS:-8}
WORK=$(mktemp -d)
chmod 755 "$WORK"
PGDATA="$WORK/pg"
OPERATOR=restart-operator-key-0123456789-abcdefghij
API="http://127.0.0.1:$PORT/api/v1"
LOADERS=()

# initdb and the server refuse to run as root; run them as the postgres system user then.
as_pg() { if [[ $EUID -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pg_start() {
  as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$WORK/socket/pg.log" -w -t 60 \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $WORK/socket" start >/dev/null
}
pg_stop() { as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -m fast -w -t 60 stop >/dev/null; }
cleanup() {
  for pid in "${LOADERS[@]}"; do kill "$pid" 2>/dev/null || true; done
  stop_services
  wait 2>/dev/null || true
  [[ -f $PGDATA/postmaster.pid ]] && pg_stop 2>/dev/null || true
  if [[ -n ${KEEP_WORK:-} ]]; then echo "kept $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

echo "== private PostgreSQL on 127.0.0.1:$PG_PORT ($WORK)"
mkdir -p "$PGDATA" "$WORK/socket" "$WORK/data" "$WORK/manifests"
[[ $EUID -eq 0 ]] && chown postgres "$PGDATA" "$WORK/socket"
as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=trust -E UTF8 >/dev/null
pg_start
"$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -c "create database tenantml" >/dev/null

echo "== service on $PORT (management $MGMT_PORT)"
export TENANTML_PORT=$PORT TENANTML_MANAGEMENT_PORT=$MGMT_PORT \
  TENANTML_DB_URL="jdbc:postgresql://127.0.0.1:$PG_PORT/tenantml" TENANTML_DATA_DIR="$WORK/data" \
  TENANTML_MANIFESTS_DIR="$WORK/manifests" TENANTML_BOOTSTRAP_OPERATOR_KEY=$OPERATOR \
  TENANTML_KEY_HASH_SECRET=restart-hash-secret-0123456789-abcdefghij
start_service "$WORK/service.log"
await_ready "$SERVICE_PID" "$MGMT_PORT" "$WORK/service.log"

ADMIN=$(curl -fsS -H "Authorization: Bearer $OPERATOR" -H 'Content-Type: application/json' \
  -d '{"id":"restart","name":"Restart"}' "$API/tenants" | jq -r .adminApiKey)
T="$API/tenants/restart"
auth=(-H "Authorization: Bearer $ADMIN")
curl -fsS "${auth[@]}" -H 'Content-Type: application/json' --data-binary @src/test/resources/datasets/penguins.json \
  "$T/datasets/penguins/versions" >/dev/null
curl -fsS "${auth[@]}" -H 'Content-Type: application/json' -X PUT "$T/models/species" \
  -d '{"dataset":"penguins","target":"Species","objective":"multiclass","autoPromote":true,"params":{"numRounds":10,"seed":5}}' >/dev/null
train() { # -> final status
  local id status
  id=$(curl -fsS "${auth[@]}" -H 'Content-Type: application/json' -d '{}' "$T/models/species/trainings" | jq -r .id)
  for _ in $(seq 1 300); do
    status=$(curl -fsS "${auth[@]}" "$T/trainings/$id" | jq -r .status)
    [[ $status == queued || $status == running ]] || break
    sleep 1
  done
  echo "$status"
}
[[ $(train) == succeeded ]] || fail "the first training did not succeed"
PENGUIN='{"records":[{"Island":"Biscoe","Beak Length (mm)":47.5,"Beak Depth (mm)":15.0,"Flipper Length (mm)":218,"Body Mass (g)":4950,"Sex":"FEMALE"}]}'
predict() { curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" -H 'Content-Type: application/json' -d "$PENGUIN" "$T/models/species/predict"; }
for _ in 1 2 3; do [[ $(predict) == 200 ]] || fail "warm-up prediction failed"; done

# Load: predictions and uploads without pause; every answer is recorded.
(
  while true; do echo "$(date +%s.%N) $(predict)"; done
) >"$WORK/predict.log" 2>/dev/null &
LOADERS+=($!)
(
  n=0
  while true; do
    n=$((n + 1))
    answer=$(curl -s -o "$WORK/upload.body" -D "$WORK/upload.head" -w '%{http_code} %{time_total}' "${auth[@]}" \
      -H 'Content-Type: text/csv' -H "Idempotency-Key: load-$n" --data-binary "id,x,label
$n,0.5,a
$((n + 1000000)),1.5,b
" "$T/datasets/stream/versions")
    version=$(jq -r '.version // empty' "$WORK/upload.body" 2>/dev/null || true)
    retry=$(grep -i '^retry-after' "$WORK/upload.head" | tr -d '\r' | cut -d' ' -f2 || true)
    # time status version retry-after seconds ("-" for none)
    echo "$(date +%s.%N) ${answer%% *} ${version:--} ${retry:--} ${answer#* }"
    sleep 0.2
  done
) >"$WORK/upload.log" 2>/dev/null &
LOADERS+=($!)
sleep 3

echo "== PostgreSQL stopped for ${OUTAGE_SECONDS}s"
pg_stop
DOWN=$(date +%s.%N)
sleep 2 # let requests that were running when it stopped finish
OUT_PREDICT=$(predict)
OUT_UPLOAD=$(curl -s -o "$WORK/out.body" -D "$WORK/out.head" -w '%{http_code} %{time_total}' "${auth[@]}" \
  -H 'Content-Type: text/csv' --data-binary $'id,x,label\n1,0.5,a\n' "$T/datasets/stream/versions")
sleep $((OUTAGE_SECONDS - 2))
pg_start
UP=$(date +%s.%N)
echo "== PostgreSQL started again"

echo "during the outage: predict $OUT_PREDICT, upload $OUT_UPLOAD"
[[ $OUT_PREDICT == 200 ]] || fail "a warm prediction during the outage answered $OUT_PREDICT"
[[ ${OUT_UPLOAD%% *} == 503 ]] || fail "an upload during the outage answered ${OUT_UPLOAD%% *}: $(cat "$WORK/out.body")"
grep -qi '^retry-after:' "$WORK/out.head" || fail "the 503 carries no Retry-After"
grep -qi '^content-type: application/problem+json' "$WORK/out.head" || fail "the 503 is not problem+json"
awk -v t="${OUT_UPLOAD#* }" -v max="${MAX_503_SECONDS:-1.5}" 'BEGIN { exit !(t < max) }' \
  || fail "the 503 took ${OUT_UPLOAD#* } s (more than MAX_503_SECONDS=${MAX_503_SECONDS:-1.5})"
# Every prediction answered while the database was down (after the stop settled) was a 200.
BAD=$(awk -v from="$DOWN" -v to="$UP" '$1 > from + 2 && $1 < to && $2 != 200' "$WORK/predict.log" | wc -l)
SERVED=$(awk -v from="$DOWN" -v to="$UP" '$1 > from + 2 && $1 < to' "$WORK/predict.log" | wc -l)
echo "predictions during the outage: $SERVED, not 200: $BAD"
[[ $SERVED -gt 0 && $BAD == 0 ]] || fail "warm predictions failed during the outage"

echo "== after the outage, without restarting the service"
ok=""
for _ in $(seq 1 60); do
  code=$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" -H 'Content-Type: text/csv' \
    --data-binary $'id,x,label\n7,0.5,a\n' "$T/datasets/stream/versions")
  [[ $code == 201 ]] && { ok=yes; break; }
  sleep 1
done
[[ -n $ok ]] || fail "uploads did not recover"
[[ $(predict) == 200 ]] || fail "predictions did not recover"
# Let the load acknowledge a few uploads after the outage too, before it stops.
AFTER=$(date +%s.%N)
for _ in $(seq 1 40); do
  [[ $(awk -v from="$AFTER" '$1 > from && $2 == 201' "$WORK/upload.log" | wc -l) -ge 3 ]] && break
  sleep 0.5
done
for pid in "${LOADERS[@]}"; do kill "$pid" 2>/dev/null || true; done
LOADERS=()
sleep 1
[[ $(train) == succeeded ]] || fail "a training after the outage did not succeed"

# Every upload answered 201 is readable.
ACKED=$(awk '$2 == 201 && $3 != "-" { print $3 }' "$WORK/upload.log")
COUNT=0
for v in $ACKED; do
  code=$(curl -s -o /dev/null -w '%{http_code}' "${auth[@]}" "$T/datasets/stream/versions/$v")
  [[ $code == 200 ]] || fail "upload acknowledged as version $v is not readable ($code)"
  COUNT=$((COUNT + 1))
done
REFUSED=$(awk '$2 == 503 && $4 != "-"' "$WORK/upload.log" | wc -l)
BARE=$(awk '$2 == 503 && $4 == "-"' "$WORK/upload.log" | wc -l)
OTHER=$(awk '$2 != 201 && $2 != 503 && $2 != 000' "$WORK/upload.log" | wc -l)
SLOWEST=$(awk -v from="$DOWN" -v to="$UP" '$1 > from + 2 && $1 < to && $2 == 503 { if ($5 > m) m = $5 } END { print m + 0 }' "$WORK/upload.log")
echo "uploads: $COUNT acknowledged and readable, $REFUSED refused with 503 + Retry-After (slowest during the outage ${SLOWEST} s), $OTHER other"
[[ $COUNT -gt 0 ]] || fail "no upload was acknowledged"
[[ $REFUSED -gt 0 && $BARE == 0 ]] || fail "uploads during the outage were not all refused with 503 and Retry-After"
awk -v t="$SLOWEST" -v max="${MAX_503_SECONDS:-1.5}" 'BEGIN { exit !(t < max) }' \
  || fail "a 503 of the load took ${SLOWEST} s (more than MAX_503_SECONDS=${MAX_503_SECONDS:-1.5})"
[[ $OTHER == 0 ]] || { grep -v ' 201 \| 503 ' "$WORK/upload.log" | head -5 >&2; fail "uploads answered other than 201 or 503"; }
echo "PASS: warm predictions served through a PostgreSQL restart, uploads refused with 503 meanwhile, all recovered, nothing acknowledged lost"
