#!/usr/bin/env bash
# What /metrics costs the token endpoint: client_credentials load on one node with the metrics bundle
# running (every request timed and counted by MetricsFilter, every token counted, /metrics scraped
# once a second as Prometheus would, more often than its usual 15 s) and with it stopped
# (bundle:stop org.obkm.metrics), alternating ON, OFF, ON, OFF on the same node within minutes.
#
#   benchmarks/run-metrics-overhead.sh       (needs: mvn install done once; OFFSET=302 by default)
#
# Env: OFFSET (302), ROUND (20s per measured round), WARMUP (30s once, then 5s before each round),
#      PAIRS (2: rounds OFF then ON). Prints each round and the median tokens/s of each mode.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
OFFSET="${OFFSET:-302}"
HTTPS=$((9446 + OFFSET))
HTTP=$((9766 + OFFSET))
ROUND="${ROUND:-20s}"
PAIRS="${PAIRS:-2}"
FIRST_WARMUP="${WARMUP:-30s}"
NODE="$(mktemp -d /tmp/obkm-bench-metrics.XXXXXX)"
DIST=$(ls "$ROOT"/karaf-distribution/target/obkm-distribution-*.tar.gz | head -1)
SCRAPER=""

cleanup() {
  [[ -n "$SCRAPER" ]] && kill "$SCRAPER" 2>/dev/null || true
  OBKM_PORT_OFFSET=$OFFSET "$NODE/bin/stop" >/dev/null 2>&1 || true
  sleep 2; rm -rf "$NODE"
}
trap cleanup EXIT

tar xzf "$DIST" -C "$NODE" --strip-components=1
OBKM_PORT_OFFSET=$OFFSET "$NODE/bin/start"
for _ in $(seq 1 1200); do
  [[ "$(curl -sk -o /dev/null -w '%{http_code}' "https://localhost:$HTTPS/health" || true)" == 200 ]] && break
  sleep 0.1
done
shell() { OBKM_PORT_OFFSET=$OFFSET "$NODE/bin/obkm-shell" "$1"; }
C=$(shell 'obkm:client-create --name bench --scopes accounts --profile none --json' | tail -1)
export CLIENT_ID=$(echo "$C" | sed 's/.*"client_id":"\([^"]*\)".*/\1/')
export CLIENT_SECRET=$(echo "$C" | sed 's/.*"client_secret":"\([^"]*\)".*/\1/')
export PORT=$HTTPS SCOPE=accounts

( while sleep 1; do curl -s -o /dev/null "http://127.0.0.1:$HTTP/metrics" || true; done ) &
SCRAPER=$!

load() { # label warmup
  local out
  out=$(mktemp)
  WARMUP=$2 DURATION=$ROUND "$HERE/load/token-load.sh" >"$out" 2>&1 || { cat "$out"; exit 1; }
  RES_rps=$(awk '/^requests\/s:/ {print $2}' "$out" | tail -1)
  RES_p50=$(awk '/^p50 ms:/ {print $3}' "$out" | tail -1)
  RES_p99=$(awk '/^p99 ms:/ {print $3}' "$out" | tail -1)
  rm -f "$out"
  echo "| $1 | $RES_rps | $RES_p50 | $RES_p99 |"
}

metrics() { # start | stop
  shell "bundle:$1 org.obkm.metrics" >/dev/null
  sleep 2
  local code
  code=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$HTTP/metrics" || true)
  if [[ "$1" == start && "$code" != 200 ]] || [[ "$1" == stop && "$code" == 200 ]]; then
    echo "FAIL: /metrics answered $code after bundle:$1" >&2; exit 1
  fi
}

echo "## /metrics overhead, $(date -u '+%Y-%m-%d %H:%M') UTC ($(nproc) cores), client_credentials PS256, wrk 16 conns, $ROUND rounds"
echo
echo "| round | tokens/s | p50 ms | p99 ms |"
echo "|---|---|---|---|"
load "metrics ON (warm-up $FIRST_WARMUP, not counted)" "$FIRST_WARMUP"
ON=(); OFF=()
for _ in $(seq 1 "$PAIRS"); do
  metrics stop;  load "metrics OFF" 5s; OFF+=("$RES_rps")
  metrics start; load "metrics ON" 5s;  ON+=("$RES_rps")
done
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo
echo "median tokens/s: metrics OFF $(median "${OFF[@]}"), metrics ON $(median "${ON[@]}")"
curl -s "http://127.0.0.1:$HTTP/metrics" | grep -E '^obkm_tokens_issued_total|^obkm_http_request_duration_seconds_count\{endpoint="token"' || true
