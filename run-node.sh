#!/bin/sh
# Builds OBKM (when needed) and starts one node on the embedded H2 database.
#   ./run-node.sh               build, unpack into run/node, start in the foreground with the Karaf console
#   ./run-node.sh --background  the same, in the background; waits until /health answers 200
#   OBKM_PORT_OFFSET=1 OBKM_NODE_DIR=run/node2 ./run-node.sh --background   a second node on this host
# The node directory is kept between runs (its H2 database, keys and TLS certificate live there);
# delete it to start afresh.
set -eu
cd "$(dirname "$0")"
NODE_DIR=${OBKM_NODE_DIR:-run/node}
DIST=$(ls karaf-distribution/target/obkm-distribution-*.tar.gz 2>/dev/null | head -1 || true)
if [ -z "$DIST" ] || [ -n "$(find bundles features etc karaf-distribution/src -newer "$DIST" -type f 2>/dev/null | head -1)" ]; then
  mvn -B -q install -DskipTests
  DIST=$(ls karaf-distribution/target/obkm-distribution-*.tar.gz | head -1)
fi
if [ ! -x "$NODE_DIR/bin/karaf" ]; then
  mkdir -p "$NODE_DIR"
  tar xzf "$DIST" -C "$NODE_DIR" --strip-components=1
  echo "Unpacked $DIST into $NODE_DIR"
fi
if [ "${1:-}" = "--background" ]; then
  "$NODE_DIR/bin/start"
  offset=${OBKM_PORT_OFFSET:-0}
  port=$((9446 + offset))
  i=0
  until [ "$(curl -sk -o /dev/null -w '%{http_code}' "https://localhost:$port/health" || true)" = 200 ]; do
    i=$((i + 1))
    if [ $i -gt 240 ]; then
      echo "The node did not become healthy within 60 s; see $NODE_DIR/data/log/karaf.log" >&2
      exit 1
    fi
    sleep 0.25
  done
  echo "OBKM node up: https://localhost:$port (stop with $NODE_DIR/bin/stop)"
else
  exec "$NODE_DIR/bin/karaf"
fi
