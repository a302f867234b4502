#!/usr/bin/env bash
# Acceptance 3 of issue 12 (the SIGKILL case), against the packaged application:
#   a training commits (training.succeeded and model.promoted written to the outbox in the transactions of the
#   change), the node is SIGKILLed before any delivery (first attempts held back by a long initial delay), another
#   node starts on the same database, and the receiver gets each event exactly once, signed, with the event's
#   id as webhook-id; every delivery ends delivered after one attempt.
# Usage: ./mvnw -B package -DskipTests && src/test/scripts/webhooks-crash-delivery.sh
# Needs: PostgreSQL at 127.0.0.1:5432 (trust, user postgres), curl, jq, python3. Fresh database and data dir.
# Ports: nodes 18531 and 18532 (management 18533, 18534), receiver 18535.
set -euo pipefail
cd "$(dirname "$0")/../../.."

# shellcheck source=lib.sh
source src/test/scripts/lib.sh
require_jar
OPERATOR=webhooks-operator-key-0123456789-abcdefghijkl
HASH_SECRET=webhooks-hash-secret-0123456789-abcdefghijkl
PORT_A=18531
PORT_B=18532
RECEIVER_PORT=18535
DELAY_S=${DELAY_S:-30}
fresh_environment webhooks
sql() { psql -qtA -h 127.0.0.1 -U postgres -d "$DB" -c "$1"; }

start() { # api-port management-port log -> pid in STARTED
  start_node "$1" "$2" "$3" TENANTML_WEBHOOKS_ALLOWED_HOSTS="127.0.0.1:$RECEIVER_PORT" \
    TENANTML_WEBHOOKS_INITIAL_DELAY="PT${DELAY_S}S"
}
op() { curl -fsS -H "Authorization: Bearer $OPERATOR" -H 'Content-Type: application/json' "$@"; }

echo "== receiver on $RECEIVER_PORT (verifies Standard Webhooks signatures with the secret in $DATA/secret)"
cat >"$DATA/receiver.py" <<'PY'
import base64, hashlib, hmac, http.server, json, sys
port, secret_file, log_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]
class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get('Content-Length', 0)))
        msg_id, ts = self.headers.get('webhook-id'), self.headers.get('webhook-timestamp')
        secret = open(secret_file).read().strip()
        key = base64.b64decode(secret[len('whsec_'):])
        expected = 'v1,' + base64.b64encode(hmac.new(key, f'{msg_id}.{ts}.'.encode() + body, hashlib.sha256).digest()).decode()
        verified = any(hmac.compare_digest(expected, s) for s in self.headers.get('webhook-signature', '').split(' '))
        with open(log_file, 'a') as f:
            f.write(f"{msg_id} {json.loads(body)['type']} {'verified' if verified else 'BAD-SIGNATURE'}\n")
        self.send_response(204)
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.HTTPServer(('127.0.0.1', port), Handler).serve_forever()
PY
touch "$DATA/received"
python3 "$DATA/receiver.py" $RECEIVER_PORT "$DATA/secret" "$DATA/received" &
SERVICE_PIDS+=($!)

echo "== node A ($PORT_A), first delivery attempts held back ${DELAY_S}s"
start $PORT_A 18533 "$DATA/a.log"; A=$STARTED
T=wh-crash
KEY=$(op -d "{\"id\":\"$T\",\"name\":\"$T\"}" "http://127.0.0.1:$PORT_A/api/v1/tenants" | jq -r .adminApiKey)
base="http://127.0.0.1:$PORT_A/api/v1/tenants/$T"
as() { curl -fsS -H "Authorization: Bearer $KEY" -H 'Content-Type: application/json' "$@"; }
as -d "{\"url\":\"http://127.0.0.1:$RECEIVER_PORT/hooks\",\"events\":[\"training.succeeded\",\"model.promoted\"]}" \
  "$base/webhooks" | jq -r .secret >"$DATA/secret"
grep -q '^whsec_' "$DATA/secret" || fail "no secret in the webhook's answer"
as --data-binary @src/test/resources/datasets/penguins.json "$base/datasets/penguins/versions" >/dev/null
as -X PUT -d '{"dataset":"penguins","target":"Species","objective":"multiclass","autoPromote":true,"params":{"numRounds":5,"seed":5}}' \
  "$base/models/species" >/dev/null
ID=$(as -d '{}' "$base/models/species/trainings" | jq -r .id)
for _ in $(seq 1 300); do
  S=$(as "$base/trainings/$ID" | jq -r .status)
  [[ $S == queued || $S == running ]] || break
  sleep 0.2
done
[[ $S == succeeded ]] || fail "training ended $S"
kill -9 $A
wait $A 2>/dev/null || true
EVENTS=$(sql "select count(*) from tenant_event where tenant_id = '$T' and type in ('training.succeeded', 'model.promoted')")
echo "SIGKILL after the training committed: $EVENTS events in the outbox, $(wc -l <"$DATA/received") received"
[[ $EVENTS == 2 ]] || fail "expected 2 events in the outbox, found $EVENTS"
[[ $(wc -l <"$DATA/received") == 0 ]] || fail "something was delivered before the kill"

echo "== node B ($PORT_B) on the same database"
start $PORT_B 18534 "$DATA/b.log"
for _ in $(seq 1 $((DELAY_S * 2 + 60))); do
  [[ $(wc -l <"$DATA/received") -ge 2 ]] && break
  sleep 1
done
sleep 3 # a duplicate would come within a few polls
cat "$DATA/received"
[[ $(wc -l <"$DATA/received") == 2 ]] || fail "expected 2 deliveries, got $(wc -l <"$DATA/received")"
grep -q BAD-SIGNATURE "$DATA/received" && fail "a signature did not verify"
EXPECTED=$(sql "select id from tenant_event where tenant_id = '$T' order by id" | sort)
GOT=$(awk '{print $1}' "$DATA/received" | sort)
[[ "$EXPECTED" == "$GOT" ]] || fail "webhook-ids ($GOT) are not the events' ids ($EXPECTED)"
STATES=$(sql "select status || ':' || attempts from webhook_delivery where tenant_id = '$T' order by 1" | tr '\n' ' ')
[[ $STATES == "delivered:1 delivered:1 " ]] || fail "deliveries are $STATES"
echo "PASS: both events delivered once after the SIGKILL, signed, webhook-id = event id ($STATES)"
