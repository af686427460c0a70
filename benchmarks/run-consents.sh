#!/usr/bin/env bash
# Open-banking consent resources on one node (issue 14): account-access consent creations/s (each one
# INSERT of the consent and one of its audit event, one transaction, on the node's H2 file database)
# and reads/s, with a client_credentials token of profile none (Bearer), 16 connections, 2 wrk threads.
#
#   flock /tmp/obkm-itest.lock benchmarks/run-consents.sh     (needs the built distribution; wrk)
#
# Env: OFFSET (291), WARMUP (10s), DURATION (20s), CONNECTIONS (16).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
OFFSET="${OFFSET:-291}"
HTTPS=$((9446 + OFFSET))
WARMUP="${WARMUP:-10s}"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-16}"
NODE="$(mktemp -d /tmp/obkm-consent-bench.XXXXXX)"
DIST=$(ls "$ROOT"/karaf-distribution/target/obkm-distribution-*.tar.gz | head -1)
URL="https://localhost:$HTTPS/open-banking/v3.1/aisp/account-access-consents"

cleanup() { OBKM_PORT_OFFSET=$OFFSET "$NODE/bin/stop" >/dev/null 2>&1 || true; sleep 2; rm -rf "$NODE"; }
trap cleanup EXIT

tar xzf "$DIST" -C "$NODE" --strip-components=1
OBKM_PORT_OFFSET=$OFFSET "$NODE/bin/start"
for _ in $(seq 1 1200); do
  [[ $(curl -sk -o /dev/null -w '%{http_code}' "https://localhost:$HTTPS/health" || true) == 200 ]] && break
  sleep 0.1
done

C=$(OBKM_PORT_OFFSET=$OFFSET "$NODE/bin/obkm-shell" 'obkm:client-create --name bench --scopes accounts --profile none --json' | tail -1)
CLIENT_ID=$(echo "$C" | sed 's/.*"client_id":"\([^"]*\)".*/\1/')
CLIENT_SECRET=$(echo "$C" | sed 's/.*"client_secret":"\([^"]*\)".*/\1/')
export ACCESS_TOKEN=$(curl -sk -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials -d scope=accounts \
  "https://localhost:$HTTPS/oauth2/token" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')

run() { # label, duration; env CONSENT_ID selects reads
  local out line
  out=$(mktemp)
  wrk -t2 -c"$CONNECTIONS" -d"$2" --timeout 5s -s "$HERE/load/consent.lua" "$URL" >"$out" 2>&1 || { cat "$out"; exit 1; }
  line=$(grep '^OBKM_RESULT' "$out" || { cat "$out"; exit 1; })
  grep -q 'non2xx=0 socket_errors=0' <<<"$line" || { cat "$out"; exit 1; }
  echo "$1: $line"
  rm -f "$out"
}

echo "== creations"
run "warm-up" "$WARMUP" >/dev/null
run "creations" "$DURATION"
export CONSENT_ID=$(curl -sk -H "Authorization: Bearer $ACCESS_TOKEN" -H 'Content-Type: application/json' \
  -d '{"Data":{"Permissions":["ReadAccountsBasic"]},"Risk":{}}' "$URL" | sed 's/.*"ConsentId":"\([^"]*\)".*/\1/')
echo "== reads"
run "reads" "$DURATION"
