#!/usr/bin/env bash
# Load test of a running OBKM node's token endpoint (client_credentials, HTTP Basic client auth).
#
#   CLIENT_ID=... CLIENT_SECRET=... benchmarks/load/token-load.sh
#
# Env: PORT (9446), HOST (localhost), SCOPE ("accounts"), WARMUP (30s), DURATION (20s),
#      CONNECTIONS (16), THREADS (2), TIMEOUT (5s). Exits non-zero on any non-2xx response,
#      socket error or zero throughput. wrk does not verify TLS certificates (self-signed is fine).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LUA="$HERE/token.lua"
PORT="${PORT:-9446}"
HOST="${HOST:-localhost}"
# ENDPOINT=introspect (with INTROSPECT_TOKEN=<an access token>) loads /oauth2/introspect instead.
ENDPOINT="${ENDPOINT:-token}"
URL="https://$HOST:$PORT/oauth2/$ENDPOINT"
export INTROSPECT_TOKEN="${INTROSPECT_TOKEN:-}"
export SCOPE="${SCOPE:-accounts}"
WARMUP="${WARMUP:-30s}"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-16}"
THREADS="${THREADS:-2}"
TIMEOUT="${TIMEOUT:-5s}"

die() { echo "FAIL: $*" >&2; exit 1; }

: "${CLIENT_ID:?CLIENT_ID must be set}"
: "${CLIENT_SECRET:?CLIENT_SECRET must be set}"
export CLIENT_ID CLIENT_SECRET

if ! command -v wrk >/dev/null 2>&1; then
  echo ">> installing wrk" >&2
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

# One wrk run; prints its output and leaves the OBKM_RESULT line's fields in RES_* variables.
run() {
  local label="$1" duration="$2" out rc line
  shift 2
  out="$(mktemp /tmp/obkm-wrk.XXXXXX.txt)"
  echo "== $label: $duration, $THREADS threads, $CONNECTIONS connections -> $URL"
  set +e
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$duration" --timeout "$TIMEOUT" "$@" -s "$LUA" "$URL" >"$out" 2>&1
  rc=$?
  set -e
  cat "$out"
  # wrk only warns when the Lua script fails to load, and would then send plain GETs.
  if grep -q "token.lua:" "$out"; then rm -f "$out"; die "$label: token.lua failed to load"; fi
  line="$(grep '^OBKM_RESULT' "$out" || true)"
  rm -f "$out"
  [[ $rc -eq 0 && -n "$line" ]] || die "$label: wrk failed (exit $rc); is a node listening on $HOST:$PORT?"
  for kv in ${line#OBKM_RESULT }; do
    printf -v "RES_${kv%%=*}" '%s' "${kv#*=}"
  done
  # shellcheck disable=SC2154  # RES_* are assigned via printf -v above
  [[ "$RES_non2xx" == 0 ]] || die "$label: $RES_non2xx non-2xx responses (see 'non-2xx' above)"
  [[ "$RES_socket_errors" == 0 ]] || die "$label: $RES_socket_errors socket errors/timeouts"
  [[ "$RES_responses" -gt 0 ]] || die "$label: no responses"
}

run "warm-up" "$WARMUP"
run "measured" "$DURATION" --latency

echo
echo "== $ENDPOINT endpoint, $THREADS threads x $CONNECTIONS connections, $DURATION =="
printf 'requests/s: %s\np50 ms:     %s\np99 ms:     %s\nnon-2xx:    %s\n' \
  "$RES_rps" "$RES_p50_ms" "$RES_p99_ms" "$RES_non2xx"
