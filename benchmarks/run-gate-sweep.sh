#!/usr/bin/env bash
# Sweeps the node's admission of client-authenticated requests and its CPU gate, in one run, so the
# figures compare within minutes of each other: raw PS256 signing (JMH, 2 threads) once, then for each
# variant a restart of the same node (offset 50) and client_credentials PS256 tokens and introspections
# at 16 connections.
#
#   VARIANTS="-1:0 0:0 2:0 8:0" benchmarks/run-gate-sweep.sh   # admissionPermits:permits (0 = default, -1 = off)
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
OFFSET=50; HTTPS=$((9446 + OFFSET))
NODE="$(mktemp -d /tmp/obkm-sweep.XXXXXX)"
WARMUP="${WARMUP:-20s}"; DURATION="${DURATION:-15s}"
VARIANTS="${VARIANTS:--1:0 0:0 -1:0 0:0 2:0 8:0}"
DIST=$(ls "$ROOT"/karaf-distribution/target/obkm-distribution-*.tar.gz | head -1)
stop_node() { OBKM_PORT_OFFSET=$OFFSET "$NODE/bin/stop" >/dev/null 2>&1 || true
  for _ in $(seq 1 200); do pgrep -f "karaf.base=$NODE" >/dev/null || return 0; sleep 0.1; done; }
trap 'stop_node; rm -rf "$NODE"' EXIT
start_node() {
  OBKM_PORT_OFFSET=$OFFSET EXTRA_JAVA_OPTS="$1" "$NODE/bin/start"
  for _ in $(seq 1 600); do
    [[ "$(curl -sk -o /dev/null -w '%{http_code}' "https://localhost:$HTTPS/health" || true)" == 200 ]] && return 0
    sleep 0.1
  done
  echo "node did not start" >&2; exit 1
}
SIGN_JSON=$(mktemp /tmp/obkm-sign.XXXXXX.json)
"$HERE/run-signing.sh" --json "$SIGN_JSON" -- 'ps256' >/tmp/obkm-sweep-sign.log 2>&1 || { cat /tmp/obkm-sweep-sign.log; exit 1; }
RAW_PS=$(python3 -c "import json,sys; print(round(next(x for x in json.load(open(sys.argv[1])) if x['benchmark'].endswith('.ps256'))['primaryMetric']['score']))" "$SIGN_JSON")
echo "raw PS256 $RAW_PS/s"
tar xzf "$DIST" -C "$NODE" --strip-components=1
start_node ""
C=$(OBKM_PORT_OFFSET=$OFFSET "$NODE/bin/obkm-shell" 'obkm:client-create --name bench --scopes accounts --profile none --json' | tail -1)
export CLIENT_ID=$(echo "$C" | sed 's/.*"client_id":"\([^"]*\)".*/\1/')
export CLIENT_SECRET=$(echo "$C" | sed 's/.*"client_secret":"\([^"]*\)".*/\1/')
export PORT=$HTTPS SCOPE=accounts WARMUP DURATION
load() { local out; out=$(mktemp); "$HERE/load/token-load.sh" >"$out" 2>&1 || { cat "$out"; exit 1; }
  echo "$(awk '/^requests\/s:/ {print $2}' "$out" | tail -1) $(awk '/^p50 ms:/ {print $3}' "$out" | tail -1) $(awk '/^p99 ms:/ {print $3}' "$out" | tail -1)"; rm -f "$out"; }
echo "| admission permits | CPU gate permits | PS256 tokens/s (p50, p99) | ratio to raw | introspections/s (p50, p99) |"
echo "|---|---|---|---|---|"
for v in $VARIANTS; do
  adm=${v%%:*}; gate=${v##*:}
  # Applied live (the gate is reconfigured in place); the warm-up of each load follows the change.
  printf 'permits = %s\nadmissionPermits = %s\n' "$gate" "$adm" > "$NODE/etc/org.obkm.http.cpugate.cfg"
  sleep 3
  read -r rps p50 p99 < <(load)
  AT=$(curl -sk -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials "https://localhost:$HTTPS/oauth2/token" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  read -r irps ip50 ip99 < <(ENDPOINT=introspect INTROSPECT_TOKEN=$AT WARMUP=10s load)
  echo "| $adm | $gate | $rps ($p50, $p99 ms) | $(python3 -c "print(f'{$rps/$RAW_PS:.2f}')") | $irps ($ip50, $ip99 ms) |"
done
