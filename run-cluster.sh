#!/bin/sh
# A local OBKM cluster: a database, N nodes sharing one user store folder, HAProxy in front.
#   ./run-cluster.sh [N]      start N nodes (default 3); prints the URLs and a first token command
#   ./run-cluster.sh --stop   stop exactly what the start started (recorded in run/cluster/state)
# Database: the PostgreSQL answering on 127.0.0.1:5432 (user postgres; database obkm_cluster, created
# when missing), else a throwaway one from Debian's PostgreSQL binaries (initdb, pg_ctl) on its own port
# in run/cluster/pgdata. Everything lives in run/cluster and is kept between runs (the nodes' keys, the
# database); delete the folder (and drop the database obkm_cluster) to start afresh.
# Environment (defaults): OBKM_CLUSTER_DIR (run/cluster), OBKM_CLUSTER_OFFSET (10: nodes at port offsets
# 10, 11, ...), OBKM_LB_MODE (terminate: TLS ends at HAProxy; passthrough: TCP, mTLS reaches the nodes),
# OBKM_LB_PORT (8443), OBKM_LB_STATS_PORT (8404), OBKM_DB_PORT (5440, the throwaway database),
# OBKM_DB_NAME (obkm_cluster), OBKM_DB_PASSWORD (for user postgres; unused with trust authentication), OBKM_DIST (a distribution
# tar.gz; default: the build's, built when missing or older than the sources).
# See README, "Run a cluster"; the HAProxy templates are cluster/haproxy/*.cfg.
set -eu
cd "$(dirname "$0")"
ROOT=$(pwd)
DIR=${OBKM_CLUSTER_DIR:-run/cluster}
case "$DIR" in /*) ;; *) DIR="$ROOT/$DIR" ;; esac
STATE="$DIR/state"
OFFSET0=${OBKM_CLUSTER_OFFSET:-10}
MODE=${OBKM_LB_MODE:-terminate}
LB_PORT=${OBKM_LB_PORT:-8443}
STATS_PORT=${OBKM_LB_STATS_PORT:-8404}
DB_PORT=${OBKM_DB_PORT:-5440}
DB_PASSWORD=${OBKM_DB_PASSWORD:-unused}
DB_NAME=${OBKM_DB_NAME:-obkm_cluster}
case "$DB_NAME" in ''|*[!a-z0-9_]*) echo "run-cluster.sh: OBKM_DB_NAME: lower-case letters, digits and _ only" >&2; exit 1 ;; esac
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
# The address HAProxy connects to the nodes from; in mode terminate the only one they take the
# client certificate header from (etc/org.obkm.mtls.cfg trustedProxies).
LB_SOURCE=127.0.0.2

die() { echo "run-cluster.sh: $*" >&2; exit 1; }
alive() { [ -n "$1" ] && [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' <"/proc/$1/cmdline" | grep -qF -- "$2"; }
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

stop() {
  [ -f "$STATE" ] || { echo "Nothing to stop: no $STATE"; return 0; }
  # haproxy first (no new requests), then the nodes (SIGTERM: Karaf stops in order), then the database.
  for kind in haproxy node postgres; do
    grep "^$kind " "$STATE" | while read -r _ pid what; do
      case $kind in
        postgres)
          if [ -f "$what/postmaster.pid" ]; then
            as_pg "$PG_BIN/pg_ctl" -D "$what" -m fast -w stop >/dev/null && echo "Stopped PostgreSQL ($what)"
          fi ;;
        *)
          if alive "$pid" "$what"; then
            kill "$pid"
            i=0
            while alive "$pid" "$what" && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
            if alive "$pid" "$what"; then kill -9 "$pid"; echo "Killed $kind $pid (did not stop in 30 s)"; fi
            echo "Stopped $kind $pid ($what)"
          fi ;;
      esac
    done
  done
  rm -f "$STATE"
}

as_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# set_cfg FILE KEY VALUE: replaces the line setting KEY (also ".KEY" and "#KEY"), else appends one.
set_cfg() {
  if grep -qE "^[#.]?$2 *=" "$1"; then
    awk -v k="$2" -v v="$3" '{ if (!done && match($0, "^[#.]?" k " *=")) { p = substr($0, 1, 1); if (p != ".") p = ""; print p k " = " v; done = 1 } else print }' "$1" >"$1.tmp"
    mv "$1.tmp" "$1"
  else
    printf '%s = %s\n' "$2" "$3" >>"$1"
  fi
}

# render TEMPLATE OUT NODES: fills @KEY@ from the environment of this function's caller (LB_* vars)
# and writes each line naming @NODE_...@ once per node.
render() {
  awk -v n="$3" -v off="$OFFSET0" -v bind="127.0.0.1:$LB_PORT" -v stats="127.0.0.1:$STATS_PORT" \
      -v pid="$DIR/lb/haproxy.pid" -v cert="$DIR/lb/lb.pem" -v cca="$DIR/lb/client-cas.pem" \
      -v src="$LB_SOURCE" -v lbdir="$DIR/lb" '
    function fill(l) {
      gsub(/@LB_BIND@/, bind, l); gsub(/@STATS_BIND@/, stats, l); gsub(/@PID_FILE@/, pid, l)
      gsub(/@LB_CERT@/, cert, l); gsub(/@LB_CLIENT_CA@/, cca, l); gsub(/@LB_SOURCE@/, src, l)
      gsub(/@NODES_HOST@/, "localhost", l); return l
    }
    /^[ \t]*#/ { print; next }
    /@NODE_/ {
      for (i = 1; i <= n; i++) {
        l = $0; gsub(/@NODE_CA@/, lbdir "/node" i "-tls.pem", l)
        gsub(/@NODE_NAME@/, "node" i, l); gsub(/@NODE_ADDRESS@/, "127.0.0.1", l)
        gsub(/@NODE_HTTPS_PORT@/, 9446 + off + i - 1, l); gsub(/@NODE_HTTP_PORT@/, 9766 + off + i - 1, l)
        print fill(l)
      }
      next
    }
    { print fill($0) }' "$1" >"$2"
}

if [ "${1:-}" = "--stop" ]; then
  stop
  exit 0
fi
N=${1:-3}
case "$N" in ''|*[!0-9]*|0) die "usage: ./run-cluster.sh [N] | --stop  (N: number of nodes, default 3)" ;; esac
case "$MODE" in terminate|passthrough) ;; *) die "OBKM_LB_MODE must be terminate or passthrough, not '$MODE'" ;; esac
command -v haproxy >/dev/null 2>&1 || die "haproxy is not installed (apt-get install haproxy)"
command -v openssl >/dev/null 2>&1 || die "openssl is not installed"
if [ -f "$STATE" ] && while read -r kind pid what; do alive "$pid" "$what" && exit 0; done <"$STATE"; then
  die "a cluster started from $DIR is running; stop it first: ./run-cluster.sh --stop"
fi
for i in $(seq 1 "$N"); do
  off=$((OFFSET0 + i - 1))
  for port in $((9446 + off)) $((9766 + off)) $((4000 + off)) $((8101 + off)); do
    listening $port && die "port $port (node $i, offset $off) is in use; set OBKM_CLUSTER_OFFSET"
  done
done
for port in $LB_PORT $STATS_PORT; do listening $port && die "port $port for HAProxy is in use; set OBKM_LB_PORT / OBKM_LB_STATS_PORT"; done

DIST=${OBKM_DIST:-$(ls karaf-distribution/target/obkm-distribution-*.tar.gz 2>/dev/null | head -1 || true)}
if [ -z "${OBKM_DIST:-}" ] && { [ -z "$DIST" ] || [ -n "$(find bundles features etc karaf-distribution/src -newer "$DIST" -type f 2>/dev/null | head -1)" ]; }; then
  echo "Building the distribution (mvn install -DskipTests)..."
  mvn -B -q install -DskipTests
  DIST=$(ls karaf-distribution/target/obkm-distribution-*.tar.gz | head -1)
fi
[ -f "$DIST" ] || die "no distribution: $DIST"
mkdir -p "$DIR/shared/userstores" "$DIR/lb"
: >"$STATE"

# ---- database
if command -v pg_isready >/dev/null 2>&1 && pg_isready -q -h 127.0.0.1 -p 5432; then
  DB_URL=jdbc:postgresql://127.0.0.1:5432/$DB_NAME
  export PGPASSWORD="$DB_PASSWORD"
  if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1; then
    psql -q -h 127.0.0.1 -U postgres -d postgres -c "CREATE DATABASE $DB_NAME" \
      || die "cannot create database $DB_NAME on 127.0.0.1:5432 as postgres (set OBKM_DB_PASSWORD)"
  fi
  DB_WHAT="the machine's PostgreSQL, 127.0.0.1:5432, database $DB_NAME (kept after --stop)"
else
  [ -x "$PG_BIN/initdb" ] || die "no PostgreSQL on 127.0.0.1:5432 and no initdb under /usr/lib/postgresql (apt-get install postgresql)"
  listening "$DB_PORT" && die "port $DB_PORT for the throwaway PostgreSQL is in use; set OBKM_DB_PORT"
  PGDATA="$DIR/pgdata"
  if [ ! -f "$PGDATA/PG_VERSION" ]; then
    mkdir -p "$PGDATA"
    [ "$(id -u)" = 0 ] && chown postgres "$PGDATA"
    as_pg "$PG_BIN/initdb" -D "$PGDATA" -U postgres --auth=trust >"$DIR/initdb.log" 2>&1 || die "initdb failed: $DIR/initdb.log"
  fi
  as_pg "$PG_BIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w \
    -o "-p $DB_PORT -c listen_addresses=127.0.0.1 -k $PGDATA" start >/dev/null || die "PostgreSQL did not start: $PGDATA/server.log"
  echo "postgres - $PGDATA" >>"$STATE"
  "$PG_BIN/psql" -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'" | grep -q 1 \
    || "$PG_BIN/psql" -q -h 127.0.0.1 -p "$DB_PORT" -U postgres -d postgres -c "CREATE DATABASE $DB_NAME"
  DB_URL=jdbc:postgresql://127.0.0.1:$DB_PORT/$DB_NAME
  DB_WHAT="a throwaway PostgreSQL ($PG_BIN), 127.0.0.1:$DB_PORT, data in $PGDATA (stopped by --stop)"
fi

# ---- nodes
[ -f "$DIR/encryption-secret" ] || { od -An -N32 -tx1 /dev/urandom | tr -d ' \n' >"$DIR/encryption-secret"; chmod 600 "$DIR/encryption-secret"; }
SECRET=$(cat "$DIR/encryption-secret")
MEMBERS=""
for i in $(seq 1 "$N"); do MEMBERS="$MEMBERS${MEMBERS:+,}127.0.0.1:$((4000 + OFFSET0 + i - 1))"; done
ISSUER="https://localhost:$LB_PORT/oauth2/token"
for i in $(seq 1 "$N"); do
  node="$DIR/node$i"
  off=$((OFFSET0 + i - 1))
  if [ ! -x "$node/bin/karaf" ]; then
    mkdir -p "$node"
    tar xzf "$DIST" -C "$node" --strip-components=1
  fi
  e="$node/etc"
  set_cfg "$e/org.ops4j.datasource-obkm.cfg" osgi.jdbc.driver.class org.postgresql.Driver
  set_cfg "$e/org.ops4j.datasource-obkm.cfg" url "$DB_URL"
  set_cfg "$e/org.ops4j.datasource-obkm.cfg" user postgres
  set_cfg "$e/org.ops4j.datasource-obkm.cfg" password "$DB_PASSWORD"
  set_cfg "$e/org.obkm.cluster.cfg" members "$MEMBERS"
  set_cfg "$e/org.obkm.cluster.cfg" bindAddress 127.0.0.1
  set_cfg "$e/org.obkm.keys.cfg" encryptionSecret "$SECRET"
  set_cfg "$e/org.obkm.oauth.cfg" issuer "$ISSUER"
  set_cfg "$e/org.obkm.userstore.deployer.cfg" directory "$DIR/shared/userstores"
  if [ "$MODE" = terminate ]; then
    set_cfg "$e/org.obkm.mtls.cfg" certificateHeaderEnabled true
    set_cfg "$e/org.obkm.mtls.cfg" trustedProxies "$LB_SOURCE"
  else
    set_cfg "$e/org.obkm.mtls.cfg" certificateHeaderEnabled false
  fi
  (cd "$node" && env -u EXTRA_JAVA_OPTS -u JAVA_OPTS KARAF_EXEC=exec OBKM_PORT_OFFSET=$off \
    nohup bin/karaf server >"$node/console.out" 2>&1 </dev/null &
   echo "node $! $node" >>"$STATE")
done
echo "Starting $N node(s) (offsets $OFFSET0..$((OFFSET0 + N - 1)))..."
for i in $(seq 1 "$N"); do
  port=$((9766 + OFFSET0 + i - 1))
  t=0
  until [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health" || true)" = 200 ]; do
    t=$((t + 1))
    [ $t -le 1200 ] || { stop; die "node $i did not become healthy within 240 s; see $DIR/node$i/data/log/karaf.log"; }
    sleep 0.2
  done
done

# ---- balancer
if [ ! -f "$DIR/lb/lb.pem" ]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 365 -subj /CN=localhost \
    -addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout "$DIR/lb/lb-key.pem" -out "$DIR/lb/lb-cert.pem" 2>/dev/null
  cat "$DIR/lb/lb-cert.pem" "$DIR/lb/lb-key.pem" >"$DIR/lb/lb.pem"
  chmod 600 "$DIR/lb/lb.pem" "$DIR/lb/lb-key.pem"
fi
# OpenSSL needs a CA file to ask for client certificates; any certificate is accepted (the nodes decide).
[ -f "$DIR/lb/client-cas.pem" ] || cp "$DIR/lb/lb-cert.pem" "$DIR/lb/client-cas.pem"
# Each node's own certificate, the one HAProxy verifies that node against (template: @NODE_CA@).
for i in $(seq 1 "$N"); do
  openssl pkcs12 -in "$DIR/node$i/etc/obkm-tls.p12" -passin pass:obkm-generated -nokeys 2>/dev/null \
    | sed -n '/BEGIN CERT/,/END CERT/p' >"$DIR/lb/node$i-tls.pem"
done
render "cluster/haproxy/$MODE.cfg" "$DIR/lb/haproxy.cfg" "$N"
haproxy -c -q -f "$DIR/lb/haproxy.cfg" || { stop; die "haproxy -c failed for $DIR/lb/haproxy.cfg"; }
haproxy -D -f "$DIR/lb/haproxy.cfg" || { stop; die "haproxy did not start"; }
echo "haproxy $(cat "$DIR/lb/haproxy.pid") $DIR/lb/haproxy.cfg" >>"$STATE"
t=0
until [ "$(curl -s "http://127.0.0.1:$STATS_PORT/stats;csv" | grep -c '^obkm_nodes,node[0-9]*,.*,UP' || true)" = "$N" ]; do
  t=$((t + 1))
  [ $t -le 100 ] || { echo "HAProxy does not see all $N nodes UP: http://127.0.0.1:$STATS_PORT/stats" >&2; break; }
  sleep 0.1
done

CURL_CA="--cacert $DIR/lb/lb-cert.pem"
[ "$MODE" = passthrough ] && CURL_CA="-k"
cat <<EOF

OBKM cluster of $N node(s) behind HAProxy (mode $MODE: $( [ "$MODE" = terminate ] && echo "TLS terminated at the balancer, client certificate forwarded" || echo "TLS passthrough, mTLS reaches the nodes" ))
  issuer          $ISSUER
  discovery       https://localhost:$LB_PORT/.well-known/openid-configuration
  balancer stats  http://127.0.0.1:$STATS_PORT/stats      config $DIR/lb/haproxy.cfg
EOF
for i in $(seq 1 "$N"); do
  off=$((OFFSET0 + i - 1))
  echo "  node $i          https://localhost:$((9446 + off))  (offset $off, cluster 127.0.0.1:$((4000 + off)), log $DIR/node$i/data/log/karaf.log)"
done
cat <<EOF
  database        $DB_WHAT
  user stores     $DIR/shared/userstores (shared folder of every node)

A first token through the balancer:
  C=\$(OBKM_PORT_OFFSET=$OFFSET0 $DIR/node1/bin/obkm-shell 'obkm:client-create --name demo --scopes accounts --profile none --json' | grep '^{')
  CLIENT_ID=\$(echo "\$C" | sed 's/.*"client_id":"\([^"]*\)".*/\1/'); CLIENT_SECRET=\$(echo "\$C" | sed 's/.*"client_secret":"\([^"]*\)".*/\1/')
  curl $CURL_CA -u "\$CLIENT_ID:\$CLIENT_SECRET" -d grant_type=client_credentials -d scope=accounts https://localhost:$LB_PORT/oauth2/token

Stop everything it started: ./run-cluster.sh --stop
EOF
