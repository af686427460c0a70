#!/usr/bin/env bash
# The foundation benchmark in one run, so every ratio compares figures taken on the same machine
# within minutes of each other:
#   1. raw JWS signing rate, PS256 and ES256, 2 threads (JMH)           -> the baseline
#   2. a fresh node from the built distribution (port offset 50): cold start to the first HTTPS 200
#      and to /health 200, twice (first start creates keys, TLS certificate and schema; restart)
#   3. client_credentials load, 16 connections: 30 s warm-up + 20 s measured, PS256 tokens
#   4. the same with ES256 tokens (config change applied live)
#   5. introspection load, 16 connections, 20 s
#   6. resident memory of the node after the load
#
#   benchmarks/run-foundation.sh            (needs: mvn install done once; wrk is installed if missing)
#
# Prints a Markdown summary at the end (copied into BENCHMARKS.md).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
OFFSET="${OFFSET:-50}"   # another free offset: OFFSET=N; another JDK: JAVA_HOME=... (node and JMH)
HTTPS=$((9446 + OFFSET))
NODE="$(mktemp -d /tmp/obkm-bench.XXXXXX)"
WARMUP="${WARMUP:-30s}"
DURATION="${DURATION:-20s}"
DIST=$(ls "$ROOT"/karaf-distribution/target/obkm-distribution-*.tar.gz | head -1)

cleanup() { OBKM_PORT_OFFSET=$OFFSET "$NODE/bin/stop" >/dev/null 2>&1 || true; sleep 2; rm -rf "$NODE"; }
trap cleanup EXIT

ms_now() { date +%s%3N; }

# Starts the node and prints "first-https-200-ms health-200-ms".
start_node() {
  local t0 first="" ready="" c
  t0=$(ms_now)
  OBKM_PORT_OFFSET=$OFFSET "$NODE/bin/start"
  for _ in $(seq 1 1200); do
    if [[ -z "$first" ]]; then
      c=$(curl -sk -o /dev/null -w '%{http_code}' "https://localhost:$HTTPS/oauth2/jwks" || true)
      [[ "$c" == 200 ]] && first=$(( $(ms_now) - t0 ))
    fi
    if [[ -n "$first" ]]; then
      c=$(curl -sk -o /dev/null -w '%{http_code}' "https://localhost:$HTTPS/health" || true)
      if [[ "$c" == 200 ]]; then ready=$(( $(ms_now) - t0 )); break; fi
    fi
    sleep 0.05
  done
  [[ -n "$ready" ]] || { echo "node did not start; see $NODE/data/log/karaf.log" >&2; exit 1; }
  echo "$first $ready"
}

stop_node() {
  OBKM_PORT_OFFSET=$OFFSET "$NODE/bin/stop"
  for _ in $(seq 1 200); do
    pgrep -f "karaf.base=$NODE" >/dev/null || return 0
    sleep 0.1
  done
}

echo "== 1. raw signing (JMH, 2 threads)"
SIGN_JSON=$(mktemp /tmp/obkm-sign.XXXXXX.json)
"$HERE/run-signing.sh" --json "$SIGN_JSON" -- 'ps256|es256' >/tmp/obkm-sign.log 2>&1 || { cat /tmp/obkm-sign.log; exit 1; }
read -r RAW_ES RAW_PS < <(python3 - "$SIGN_JSON" <<'EOF'
import json, sys
r = {x["benchmark"].rsplit(".", 1)[1]: x["primaryMetric"]["score"] for x in json.load(open(sys.argv[1]))}
print(round(r["es256"]), round(r["ps256"]))
EOF
)
echo "raw PS256 $RAW_PS/s, raw ES256 $RAW_ES/s"

echo "== 2. cold start"
tar xzf "$DIST" -C "$NODE" --strip-components=1
read -r FIRST1 READY1 < <(start_node)
stop_node
sleep 1
read -r FIRST2 READY2 < <(start_node)
echo "first start: HTTPS 200 ${FIRST1} ms, healthy ${READY1} ms; restart: HTTPS 200 ${FIRST2} ms, healthy ${READY2} ms"

C=$(OBKM_PORT_OFFSET=$OFFSET "$NODE/bin/obkm-shell" 'obkm:client-create --name bench --scopes accounts --profile none --json' | tail -1)
export CLIENT_ID=$(echo "$C" | sed 's/.*"client_id":"\([^"]*\)".*/\1/')
export CLIENT_SECRET=$(echo "$C" | sed 's/.*"client_secret":"\([^"]*\)".*/\1/')
export PORT=$HTTPS SCOPE=accounts WARMUP DURATION

load() { # label, then env for token-load.sh; leaves RES_* of the measured run
  local out
  out=$(mktemp)
  "$HERE/load/token-load.sh" >"$out" 2>&1 || { cat "$out"; exit 1; }
  RES_rps=$(awk '/^requests\/s:/ {print $2}' "$out" | tail -1)
  RES_p50=$(awk '/^p50 ms:/ {print $3}' "$out" | tail -1)
  RES_p99=$(awk '/^p99 ms:/ {print $3}' "$out" | tail -1)
  rm -f "$out"
  echo "$1: $RES_rps/s p50 $RES_p50 ms p99 $RES_p99 ms"
}

echo "== 3. PS256 tokens"
load "PS256 tokens"; PS_RPS=$RES_rps; PS_P50=$RES_p50; PS_P99=$RES_p99

echo "== 4. ES256 tokens"
sed -i 's/^accessTokenSigningAlgorithm = .*/accessTokenSigningAlgorithm = ES256/' "$NODE/etc/org.obkm.oauth.cfg"
for _ in $(seq 1 100); do
  T=$(curl -sk -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials "https://localhost:$HTTPS/oauth2/token" || true)
  H=$(echo "$T" | sed -n 's/.*"access_token":"\([^.]*\)\..*/\1/p')
  [[ -n "$H" ]] && echo "$H" | base64 -d 2>/dev/null | grep -q ES256 && break
  sleep 0.2
done
load "ES256 tokens"; ES_RPS=$RES_rps; ES_P50=$RES_p50; ES_P99=$RES_p99

echo "== 5. introspection"
AT=$(curl -sk -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials "https://localhost:$HTTPS/oauth2/token" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
ENDPOINT=introspect INTROSPECT_TOKEN=$AT WARMUP=10s load "introspection"; IN_RPS=$RES_rps; IN_P50=$RES_p50; IN_P99=$RES_p99

echo "== 6. memory"
PID=$(pgrep -f "karaf.base=$NODE" | head -1)
RSS_MB=$(( $(ps -o rss= -p "$PID") / 1024 ))

ratio() { python3 -c "print(f'{$1/$2:.2f}')"; }
cat <<EOF

## Foundation benchmark, $(date -u +%Y-%m-%d) ($(nproc) cores, $("${JAVA_HOME:+$JAVA_HOME/bin/}java" -version 2>&1 | head -1))

| measure | value |
|---|---|
| raw PS256 signatures/s (JMH, 2 threads) | $RAW_PS |
| raw ES256 signatures/s (JMH, 2 threads) | $RAW_ES |
| PS256 tokens/s (wrk, 16 conns, ${DURATION}) | $PS_RPS (p50 $PS_P50 ms, p99 $PS_P99 ms) |
| **ratio PS256 tokens/s ÷ raw PS256/s** | **$(ratio "$PS_RPS" "$RAW_PS")** |
| ES256 tokens/s | $ES_RPS (p50 $ES_P50 ms, p99 $ES_P99 ms) |
| ratio ES256 tokens/s ÷ raw ES256/s | $(ratio "$ES_RPS" "$RAW_ES") |
| introspections/s of an ES256 token (ES256 verify + revocation lookup) | $IN_RPS (p50 $IN_P50 ms, p99 $IN_P99 ms) |
| first start: first HTTPS 200 / healthy | $FIRST1 ms / $READY1 ms |
| restart: first HTTPS 200 / healthy | $FIRST2 ms / $READY2 ms |
| resident memory after the load runs | $RSS_MB MB |
EOF
