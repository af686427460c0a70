#!/usr/bin/env bash
# client_credentials tokens/s and introspections/s through HAProxy (mode terminate, cluster/haproxy/)
# with 1, 2 and 3 nodes started by ./run-cluster.sh on the machine's PostgreSQL (or a throwaway one).
#
#   flock /tmp/obkm-itest.lock benchmarks/run-cluster-lb.sh     (needs: mvn install done once)
#
# Env: NODES ("1 2 3"), WARMUP (10s), DURATION (15s), CONNECTIONS (16), OBKM_CLUSTER_OFFSET (260),
# OBKM_LB_PORT (19462), OBKM_LB_STATS_PORT (19467), OBKM_DIST (distribution tar.gz). Each cluster size
# gets fresh nodes and a fresh database; prints a Markdown table at the end (copied into BENCHMARKS.md).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
export OBKM_CLUSTER_OFFSET="${OBKM_CLUSTER_OFFSET:-260}"
export OBKM_LB_PORT="${OBKM_LB_PORT:-19462}"
export OBKM_LB_STATS_PORT="${OBKM_LB_STATS_PORT:-19467}"
export OBKM_CLUSTER_DIR="${OBKM_CLUSTER_DIR:-$(mktemp -d /tmp/obkm-cluster-bench.XXXXXX)}"
export WARMUP="${WARMUP:-10s}" DURATION="${DURATION:-15s}" CONNECTIONS="${CONNECTIONS:-16}"
NODES="${NODES:-1 2 3}"
export OBKM_DB_NAME="${OBKM_DB_NAME:-obkm_cluster_bench}"; DB=$OBKM_DB_NAME

cleanup() { "$ROOT/run-cluster.sh" --stop >/dev/null 2>&1 || true; }
trap cleanup EXIT

fresh_db() {
  if pg_isready -q -h 127.0.0.1 -p 5432; then
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
  fi
}

load() { # label [port]; leaves RES_rps RES_p50 RES_p99
  local out
  out=$(mktemp)
  HOST=localhost PORT=${2:-$OBKM_LB_PORT} "$HERE/load/token-load.sh" >"$out" 2>&1 || { cat "$out"; exit 1; }
  RES_rps=$(awk '/^requests\/s:/ {print $2}' "$out" | tail -1)
  RES_p50=$(awk '/^p50 ms:/ {print $3}' "$out" | tail -1)
  RES_p99=$(awk '/^p99 ms:/ {print $3}' "$out" | tail -1)
  rm -f "$out"
  echo "$1: $RES_rps/s p50 $RES_p50 ms p99 $RES_p99 ms"
}

ROWS=""
DIRECT=""
for n in $NODES; do
  echo "== $n node(s)"
  cleanup
  rm -rf "$OBKM_CLUSTER_DIR"/node* "$OBKM_CLUSTER_DIR"/lb
  fresh_db
  "$ROOT/run-cluster.sh" "$n" >"$OBKM_CLUSTER_DIR/start-$n.log" 2>&1 || { cat "$OBKM_CLUSTER_DIR/start-$n.log"; exit 1; }
  C=$(OBKM_PORT_OFFSET=$OBKM_CLUSTER_OFFSET "$OBKM_CLUSTER_DIR/node1/bin/obkm-shell" \
    'obkm:client-create --name bench --scopes accounts --profile none --json' | grep '^{')
  export CLIENT_ID=$(echo "$C" | sed 's/.*"client_id":"\([^"]*\)".*/\1/')
  export CLIENT_SECRET=$(echo "$C" | sed 's/.*"client_secret":"\([^"]*\)".*/\1/')
  export SCOPE=accounts ENDPOINT=token INTROSPECT_TOKEN=
  if [[ $n == 1 ]]; then
    # The same node without the balancer: what HAProxy costs on this machine.
    load "1 node, direct to its HTTPS port" $((9446 + OBKM_CLUSTER_OFFSET))
    DIRECT="$RES_rps (p50 $RES_p50 ms, p99 $RES_p99 ms)"
  fi
  load "$n node(s) tokens"; T_RPS=$RES_rps; T_P50=$RES_p50; T_P99=$RES_p99
  AT=$(curl -sk -u "$CLIENT_ID:$CLIENT_SECRET" -d grant_type=client_credentials -d scope=accounts \
    "https://localhost:$OBKM_LB_PORT/oauth2/token" | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
  ENDPOINT=introspect INTROSPECT_TOKEN=$AT load "$n node(s) introspections"
  ROWS="$ROWS| $n | $T_RPS (p50 $T_P50 ms, p99 $T_P99 ms) | $RES_rps (p50 $RES_p50 ms, p99 $RES_p99 ms) |
"
done
cleanup
fresh_db

cat <<EOF

## Through HAProxy, $(date -u +%Y-%m-%d) ($(nproc) cores, $(haproxy -v | head -1 | cut -d' ' -f1-3), mode terminate, wrk ${CONNECTIONS} connections, ${DURATION} after ${WARMUP} warm-up)

| nodes | client_credentials tokens/s (PS256) | introspections/s |
|---|---|---|
$ROWS
1 node without the balancer (direct to its HTTPS port): ${DIRECT:-not measured} tokens/s.
EOF
