# Sourced by the run-*.sh benchmarks that start a node (after setting HERE and ROOT): the node's
# ports at OFFSET 50, the benchmarks jar, and the checks they share.
OFFSET=50
HTTPS=$((9446 + OFFSET))
BASE="https://localhost:$HTTPS"
JAR="$HERE/target/benchmarks.jar"

die() { echo "FAIL: $*" >&2; exit 1; }
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

# Refuses to start when another benchmark node holds the ports of OFFSET.
require_free_node_ports() {
  for port in $HTTPS $((9766 + OFFSET)) $((4000 + OFFSET)) $((8101 + OFFSET)); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "port $port (offset $OFFSET) is in use: another benchmark node is running"
    fi
  done
}

# (Re)builds the benchmarks jar when its sources are newer.
ensure_benchmarks_jar() {
  if [[ ! -f "$JAR" || -n "$(find "$HERE/src" "$HERE/pom.xml" -newer "$JAR" -print -quit)" ]]; then
    echo ">> building $JAR" >&2
    mvn -o -q -B -f "$HERE/pom.xml" package
  fi
}
