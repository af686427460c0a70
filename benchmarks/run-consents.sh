#!/usr/bin/env bash
# Open-banking consent resources on one node (issue 14): account-access consent creations/s (each one
# INSERT of the consent and one of its audit event, one transaction, on the node's H2 file database)
# and reads/s, with a client_credentials token of profile none (Bearer), 16 connections, 2 wrk threads;
# then introspections/s (RFC 7662, the client's Basic authentication) of a user's access token bound to
# an Authorised consent (openbanking_intent_id: each introspection also checks the consent, from the
# node's consent cache) against one of a plain authorization of the same client and user, both from an
# authorization code flow scripted with curl (PAR with plain parameters, the login and consent pages,
# account 22289 of the demo bank selected).
#
#   flock /tmp/obkm-itest.lock benchmarks/run-consents.sh     (needs the built distribution; wrk)
#
# Env: OFFSET (291), WARMUP (10s), DURATION (20s), CONNECTIONS (16).
# Needs the demo bank backend's default accounts (etc/org.obkm.consent.demobank.cfg, account 22289 for every user).
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

BASE="https://localhost:$HTTPS"
REDIRECT="https://client.example/cb"
PSU="benchpsu"
PSU_PASSWORD="Bench-Horse7-Battery"
OBKM_PORT_OFFSET=$OFFSET "$NODE/bin/obkm-shell" "obkm:user-add --password $PSU_PASSWORD $PSU" >/dev/null
C=$(OBKM_PORT_OFFSET=$OFFSET "$NODE/bin/obkm-shell" "obkm:client-create --name bench --scopes accounts --profile none \
  --grant-types authorization_code,client_credentials --redirect-uri $REDIRECT --json" | tail -1)
CLIENT_ID=$(echo "$C" | sed 's/.*"client_id":"\([^"]*\)".*/\1/')
CLIENT_SECRET=$(echo "$C" | sed 's/.*"client_secret":"\([^"]*\)".*/\1/')
export ACCESS_TOKEN=$(curl -sk -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials -d scope=accounts \
  "https://localhost:$HTTPS/oauth2/token" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')

run() { # label, duration [, url]; env CONSENT_ID selects reads, INTROSPECT_TOKEN introspections
  local out line
  out=$(mktemp)
  wrk -t2 -c"$CONNECTIONS" -d"$2" --timeout 5s -s "$HERE/load/consent.lua" "${3:-$URL}" >"$out" 2>&1 \
    || { cat "$out"; exit 1; }
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

# One authorization code flow with curl: PAR (plain parameters, PKCE; naming the consent $1 as
# openbanking_intent_id unless empty), authorize, login, consent with account 22289; the access token.
flow_token() {
  local jar verifier challenge rq loc page flow csrf code args
  jar=$(mktemp)
  verifier=$(head -c 48 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
  challenge=$(printf '%s' "$verifier" | openssl dgst -sha256 -binary | base64 | tr '+/' '-_' | tr -d '=\n')
  args=(-d response_type=code -d "client_id=$CLIENT_ID" --data-urlencode "redirect_uri=$REDIRECT"
    --data-urlencode "scope=openid accounts" -d state=bench -d nonce=bench -d "code_challenge=$challenge"
    -d code_challenge_method=S256)
  [[ -n "$1" ]] && args+=(--data-urlencode \
    "claims={\"id_token\":{\"openbanking_intent_id\":{\"value\":\"$1\",\"essential\":true}}}")
  rq=$(curl -sk -u "$CLIENT_ID:$CLIENT_SECRET" "${args[@]}" "$BASE/oauth2/par" | sed -n 's/.*"request_uri":"\([^"]*\)".*/\1/p')
  [[ -n "$rq" ]] || { echo "PAR refused" >&2; exit 1; }
  loc=$(curl -sk -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' -G -d "client_id=$CLIENT_ID" \
    --data-urlencode "request_uri=$rq" "$BASE/oauth2/authorize")
  page=$(curl -sk -c "$jar" -b "$jar" "$loc")
  flow=$(sed -n 's/.*name="flow" value="\([^"]*\)".*/\1/p' <<<"$page")
  csrf=$(sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' <<<"$page")
  curl -sk -c "$jar" -b "$jar" -o /dev/null --data-urlencode "flow=$flow" --data-urlencode "csrf=$csrf" \
    --data-urlencode "username=$PSU" --data-urlencode "password=$PSU_PASSWORD" "$BASE/authn/login"
  loc=$(curl -sk -c "$jar" -b "$jar" -o /dev/null -w '%{redirect_url}' --data-urlencode "flow=$flow" \
    --data-urlencode "csrf=$csrf" -d account.0=22289 -d decision=approve "$BASE/authn/consent")
  rm -f "$jar"
  code=$(sed -n 's/.*[?&]code=\([^&]*\).*/\1/p' <<<"$loc")
  [[ -n "$code" ]] || { echo "no code; the consent page answered $loc" >&2; exit 1; }
  curl -sk -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=authorization_code -d "code=$code" \
    --data-urlencode "redirect_uri=$REDIRECT" -d "code_verifier=$verifier" "$BASE/oauth2/token" \
    | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p'
}

unset CONSENT_ID
export INTROSPECT_AUTH="Basic $(printf '%s:%s' "$CLIENT_ID" "$CLIENT_SECRET" | base64 -w0)"
BOUND_CONSENT=$(curl -sk -H "Authorization: Bearer $ACCESS_TOKEN" -H 'Content-Type: application/json' \
  -d '{"Data":{"Permissions":["ReadAccountsDetail","ReadBalances"]},"Risk":{}}' "$URL" \
  | sed 's/.*"ConsentId":"\([^"]*\)".*/\1/')
BOUND=$(flow_token "$BOUND_CONSENT")
PLAIN=$(flow_token "")
curl -sk -H "Authorization: $INTROSPECT_AUTH" -d "token=$BOUND" "$BASE/oauth2/introspect" \
  | grep -q "\"openbanking_intent_id\":\"$BOUND_CONSENT\"" || { echo "the bound token does not name its consent" >&2; exit 1; }
echo "== introspections"
INTROSPECT_TOKEN="$PLAIN" run "warm-up" "$WARMUP" "$BASE/oauth2/introspect" >/dev/null
INTROSPECT_TOKEN="$PLAIN" run "introspections, plain token" "$DURATION" "$BASE/oauth2/introspect"
INTROSPECT_TOKEN="$BOUND" run "introspections, consent-bound token" "$DURATION" "$BASE/oauth2/introspect"
INTROSPECT_TOKEN="$PLAIN" run "introspections, plain token again" "$DURATION" "$BASE/oauth2/introspect"
