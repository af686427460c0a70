#!/bin/sh
# Builds OBKM (when needed) and starts one node on the embedded H2 database.
#   ./run-node.sh               build, unpack into run/node, start in the foreground with the Karaf console
#   ./run-node.sh --background  the same, in the background; waits until THIS node's /health answers 200
#   OBKM_PORT_OFFSET=1 OBKM_NODE_DIR=run/node2 ./run-node.sh --background   a second node on this host
# The node directory is kept between runs (its H2 database, keys and TLS certificate live there) and
# records its port offset in etc/obkm-port-offset: later runs, and that directory's bin/start, bin/stop,
# bin/client and bin/obkm-shell, use it without OBKM_PORT_OFFSET. When the distribution is newer than
# the node directory, the node is re-unpacked: system/, lib/, bin/ are replaced; etc/ files you changed
# and data/ are kept (etc/ files you did not change take the new version). Delete the directory to start afresh.
set -eu
cd "$(dirname "$0")"
NODE_DIR=${OBKM_NODE_DIR:-run/node}
# OBKM_DISTRIBUTION=path/to/obkm-distribution.tar.gz: use that archive and never build (tests, CI).
DIST=${OBKM_DISTRIBUTION:-$(ls karaf-distribution/target/obkm-distribution-*.tar.gz 2>/dev/null | head -1 || true)}
if [ -n "${OBKM_DISTRIBUTION:-}" ]; then
  [ -f "$DIST" ] || { echo "run-node.sh: OBKM_DISTRIBUTION=$DIST: no such file" >&2; exit 1; }
elif [ -z "$DIST" ] || [ -n "$(find pom.xml bundles features etc karaf-distribution/src karaf-distribution/pom.xml \
    -newer "$DIST" -type f ! -path '*/target/*' 2>/dev/null | head -1)" ]; then
  echo "Building the distribution (sources are newer than ${DIST:-the missing archive})"
  mvn -B -q install -DskipTests
  DIST=$(ls karaf-distribution/target/obkm-distribution-*.tar.gz | head -1)
fi

# The offset: the directory's recorded one wins over the environment (a node keeps its ports).
OFFSET_FILE="$NODE_DIR/etc/obkm-port-offset"
if [ -f "$OFFSET_FILE" ]; then
  offset=$(tr -d ' \t\r\n' < "$OFFSET_FILE")
  if [ -n "${OBKM_PORT_OFFSET:-}" ] && [ "$OBKM_PORT_OFFSET" != "$offset" ]; then
    echo "run-node.sh: $NODE_DIR has port offset $offset (in $OFFSET_FILE), not OBKM_PORT_OFFSET=$OBKM_PORT_OFFSET;" \
      "change that file to move the node" >&2
    exit 1
  fi
else
  offset=${OBKM_PORT_OFFSET:-0}
fi
case "$offset" in
  ''|*[!0-9]*) echo "run-node.sh: port offset must be a number, got '$offset'" >&2; exit 1 ;;
esac

node_pid() {
  [ -f "$NODE_DIR/data/obkm-node.pid" ] || return 1
  pid=$(cat "$NODE_DIR/data/obkm-node.pid")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-Dkaraf.base=$(cd "$NODE_DIR" && pwd) " || return 1
  echo "$pid"
}

if [ ! -x "$NODE_DIR/bin/karaf" ]; then
  mkdir -p "$NODE_DIR"
  tar xzf "$DIST" -C "$NODE_DIR" --strip-components=1
  echo "Unpacked $DIST into $NODE_DIR"
  touch "$NODE_DIR/.obkm-unpacked"
elif [ "$DIST" -nt "$NODE_DIR/.obkm-unpacked" ] || [ ! -f "$NODE_DIR/.obkm-unpacked" ]; then
  if node_pid >/dev/null; then
    echo "run-node.sh: $DIST is newer than $NODE_DIR, but that node is running (pid $(node_pid)):" \
      "stop it ($NODE_DIR/bin/stop) and run again to upgrade it" >&2
    exit 1
  fi
  fresh=$(mktemp -d)
  tar xzf "$DIST" -C "$fresh" --strip-components=1
  kept=""
  # Files the node made or the operator changed stay, in etc/ and its folders (etc/scripts, ...); the
  # rest take the new version.
  for name in $(cd "$NODE_DIR/etc" && find . -type f | sed 's|^\./||' | sort); do
    if [ ! -f "$fresh/etc/$name" ] || ! cmp -s "$NODE_DIR/etc/$name" "$fresh/etc/$name"; then
      mkdir -p "$(dirname "$fresh/etc/$name")"
      cp -p "$NODE_DIR/etc/$name" "$fresh/etc/$name"
      kept="$kept $name"
    fi
  done
  for d in bin lib system etc deploy; do
    rm -rf "${NODE_DIR:?}/$d"
    [ -e "$fresh/$d" ] && mv "$fresh/$d" "$NODE_DIR/$d"
  done
  rm -rf "$NODE_DIR/data/cache" "$fresh"
  touch "$NODE_DIR/.obkm-unpacked"
  echo "Re-unpacked $DIST into $NODE_DIR (bin/, lib/, system/ replaced; data/ kept except data/cache;" \
    "etc/ files kept as they were:${kept:- none})"
fi
if [ ! -f "$OFFSET_FILE" ]; then
  echo "$offset" > "$OFFSET_FILE"
  echo "Recorded port offset $offset in $OFFSET_FILE"
fi
export OBKM_PORT_OFFSET="$offset"
https_port=$((9446 + offset))

if [ "${1:-}" != "--background" ]; then
  exec "$NODE_DIR/bin/karaf"
fi

if pid=$(node_pid); then
  echo "run-node.sh: the node of $NODE_DIR is already running (pid $pid): https://localhost:$https_port" >&2
  exit 0
fi
for port in $((9766 + offset)) $https_port $((4000 + offset)) $((8101 + offset)); do
  if ss -Hltn "( sport = :$port )" 2>/dev/null | grep -q .; then
    echo "run-node.sh: port $port (offset $offset) is taken by another process; the node of $NODE_DIR cannot start." \
      "Stop that process or use another offset (OBKM_PORT_OFFSET=N OBKM_NODE_DIR=run/nodeN)" >&2
    exit 1
  fi
done
log="$NODE_DIR/data/log/karaf.log"
mkdir -p "$NODE_DIR/data/log"
log_start=$( [ -f "$log" ] && wc -l < "$log" || echo 0)
"$NODE_DIR/bin/start"
# bin/start forks the JVM: find it by its karaf.base, which is this directory alone.
base=$(cd "$NODE_DIR" && pwd)
i=0
pid=
reason=
while [ $i -lt 240 ]; do
  if [ -z "$pid" ]; then
    pid=$(pgrep -f -- "-Dkaraf.base=$base " | head -1 || true)
    [ -n "$pid" ] && echo "$pid" > "$NODE_DIR/data/obkm-node.pid"
  fi
  if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
    break
  fi
  if [ -n "$pid" ] && [ "$(curl -sk -o /dev/null -w '%{http_code}' "https://localhost:$https_port/health" || true)" = 200 ]; then
    # 200 from this node: its own JVM holds the HTTPS port.
    if ! command -v ss >/dev/null || ss -ltnp 2>/dev/null | grep ":$https_port " | grep -q "pid=$pid,"; then
      echo "OBKM node up: https://localhost:$https_port (pid $pid, stop with $NODE_DIR/bin/stop)"
      exit 0
    fi
  fi
  # A bind failure does not stop Karaf: fail as soon as the log says so.
  reason=$(tail -n +"$((log_start + 1))" "$log" 2>/dev/null | grep -m1 -E 'Address already in use|BindException|Failed to bind' || true)
  if [ -n "$reason" ]; then
    break
  fi
  i=$((i + 1))
  sleep 0.25
done
if [ -z "$reason" ]; then
  reason=$(tail -n +"$((log_start + 1))" "$log" 2>/dev/null | grep -m1 -E '\| (ERROR|FATAL) ' || true)
fi
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
  state="is running but not healthy after 60 s"
  if [ -n "$reason" ]; then
    state="failed to start (stopped it again)"
    "$NODE_DIR/bin/stop" >/dev/null 2>&1 || true
  fi
else
  state="exited"
fi
echo "run-node.sh: the node of $NODE_DIR (offset $offset) $state: ${reason:-no ERROR in $log}" >&2
echo "run-node.sh: see $log" >&2
exit 1
