#!/usr/bin/env bash
# Acceptance 1 of the usage issue (14), against the packaged application:
#   100,000 /predict records across three tenants (requests of 500 records), the service SIGKILLed once in the
#   middle and started again; then, per tenant, metered <= served and served - metered <= the records served in
#   the last flush interval before the kill (plus the time one flush takes to write, FLUSH_SLACK_MS); replaying
#   every stored usage row changes no figure.
# Usage: ./mvnw -B package -DskipTests && src/test/scripts/usage-crash-recovery.sh
# Needs: PostgreSQL at 127.0.0.1:5432 (trust, user postgres), curl, jq. Uses a fresh database and data dir.
set -euo pipefail
cd "$(dirname "$0")/../../.."

# shellcheck source=lib.sh
source src/test/scripts/lib.sh
require_jar
OPERATOR=usage-operator-key-0123456789-abcdefghijkl
HASH_SECRET=usage-hash-secret-0123456789-abcdefghijkl
PORT_A=${USAGE_PORT_A:-18521}
FLUSH_MS=${FLUSH_MS:-1000}
FLUSH_SLACK_MS=${FLUSH_SLACK_MS:-500}
PER_REQUEST=500
TENANTS=(usage-a usage-b usage-c)
TARGETS=(33500 33000 33500)
fresh_environment usage
now_ms() { date +%s%3N; }

start() { # port log -> pid in STARTED (health on the management port: the API port + 1000)
  start_node "$1" $(( $1 + 1000 )) "$2" TENANTML_USAGE_FLUSH_INTERVAL="PT$(awk "BEGIN{print $FLUSH_MS/1000}")S"
}
op() { curl -fsS -H "Authorization: Bearer $OPERATOR" -H 'Content-Type: application/json' "$@"; }

echo "== instance A"
start $PORT_A "$DATA/a1.log"; A=$STARTED
jq -c --argjson n $PER_REQUEST '{records: ([.[] | del(.Species)] + [.[] | del(.Species)])[0:$n]}' \
  src/test/resources/datasets/penguins.json >"$DATA/body.json"
declare -A KEY
for t in "${TENANTS[@]}"; do
  KEY[$t]=$(op -d "{\"id\":\"$t\",\"name\":\"$t\"}" "http://127.0.0.1:$PORT_A/api/v1/tenants" | jq -r .adminApiKey)
  base="http://127.0.0.1:$PORT_A/api/v1/tenants/$t"
  curl -fsS -H "Authorization: Bearer ${KEY[$t]}" -H 'Content-Type: application/json' \
    --data-binary @src/test/resources/datasets/penguins.json "$base/datasets/penguins/versions" >/dev/null
  curl -fsS -X PUT -H "Authorization: Bearer ${KEY[$t]}" -H 'Content-Type: application/json' \
    -d '{"dataset":"penguins","target":"Species","objective":"multiclass","autoPromote":true,"params":{"numRounds":10,"seed":5}}' \
    "$base/models/species" >/dev/null
  ID=$(curl -fsS -H "Authorization: Bearer ${KEY[$t]}" -H 'Content-Type: application/json' -d '{}' \
    "$base/models/species/trainings" | jq -r .id)
  for _ in $(seq 1 300); do
    S=$(curl -fsS -H "Authorization: Bearer ${KEY[$t]}" "$base/trainings/$ID" | jq -r .status)
    [[ $S == queued || $S == running ]] || break
    sleep 0.5
  done
  [[ $S == succeeded ]] || fail "training of $t ended $S"
done
echo "three tenants trained"

# One client per tenant: a line "<ms> <records>" per 200 answer; failed requests (the node is down) are retried.
client() { # tenant target
  local t=$1 target=$2 served=0
  while (( served < target )); do
    if curl -fs -o /dev/null -H "Authorization: Bearer ${KEY[$t]}" -H 'Content-Type: application/json' \
        --data-binary @"$DATA/body.json" "http://127.0.0.1:$PORT_A/api/v1/tenants/$t/models/species/predict"; then
      served=$((served + PER_REQUEST))
      echo "$(now_ms) $PER_REQUEST" >>"$DATA/served-$t"
    else
      sleep 0.2
    fi
  done
}
T0=$(now_ms)
CLIENTS=()
for i in 0 1 2; do client "${TENANTS[$i]}" "${TARGETS[$i]}" & CLIENTS+=($!); done
total_served() { cat "$DATA"/served-* 2>/dev/null | awk '{s += $2} END {print s + 0}'; }
while (( $(total_served) < 50000 )); do sleep 0.1; done
KILL_MS=$(now_ms)
kill -9 $A
wait $A 2>/dev/null || true
echo "SIGKILL at $(total_served) records served ($(( (KILL_MS - T0) / 1000 )) s in)"
echo "== instance A again"
start $PORT_A "$DATA/a2.log"; A=$STARTED
for pid in "${CLIENTS[@]}"; do wait "$pid"; done
echo "all $(total_served) records served in $(( ($(now_ms) - T0) / 1000 )) s"
sleep $(awk "BEGIN{print 3 * $FLUSH_MS / 1000}") # every live bucket flushed (no clean shutdown)

metered() { # tenant
  op "http://127.0.0.1:$PORT_A/api/v1/tenants/$1/usage?meter=predict.records&from=2000-01-01&limit=1000" \
    | jq '[.items[].quantity] | add // 0 | floor'
}
declare -A BEFORE
for t in "${TENANTS[@]}"; do
  SERVED=$(awk '{s += $2} END {print s + 0}' "$DATA/served-$t")
  WINDOW=$(awk -v k="$KILL_MS" -v w=$((FLUSH_MS + FLUSH_SLACK_MS)) '$1 >= k - w && $1 <= k {s += $2} END {print s + 0}' "$DATA/served-$t")
  METERED=$(metered "$t")
  BEFORE[$t]=$METERED
  echo "$t: served $SERVED, metered $METERED, lost $((SERVED - METERED)), allowed $WINDOW (served in the last $((FLUSH_MS + FLUSH_SLACK_MS)) ms before the kill)"
  (( METERED <= SERVED )) || fail "$t: metered $METERED > served $SERVED (counted twice)"
  (( SERVED - METERED <= WINDOW )) || fail "$t: lost $((SERVED - METERED)) records, more than one flush interval ($WINDOW)"
done

echo "== replay every stored usage row"
psql -q -h 127.0.0.1 -U postgres -d "$DB" -c "insert into usage_event (tenant_id, idempotency_id, meter, model, version,
  dimensions, quantity, occurred_at) select tenant_id, idempotency_id, meter, model, version, dimensions, quantity,
  occurred_at from usage_event on conflict (tenant_id, idempotency_id) do update
  set quantity = greatest(usage_event.quantity, excluded.quantity)" >/dev/null
for t in "${TENANTS[@]}"; do
  [[ $(metered "$t") == "${BEFORE[$t]}" ]] || fail "$t: replay changed the metered count"
done
echo "PASS: metered <= served, loss within one flush interval, replay changes nothing"
