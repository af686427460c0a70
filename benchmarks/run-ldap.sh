#!/usr/bin/env bash
# Sign-ins against an LDAP directory (issue 4), on one machine within the same minutes:
#   1. a throwaway OpenLDAP (Debian's slapd, MDB, 127.0.0.1:$SLAPD_PORT) with USERS users
#      uid=user0000.. under ou=Users (one SSHA hash from slappasswd, reused), each a member of one of
#      20 groupOfNames, and the service account cn=obkm,ou=Services
#   2. LdapAuthLoad, plain JVM: sign-ins per second with 1, 2, 4, 8 threads, the raw LDAP API on
#      persistent connections (bind alone; search + bind; search + bind + group search) next to
#      LdapUserStore.authenticate through its pools (size 8 and 4; ReadGroups off and on), and the
#      search + bind and the pool of 8 again with StartTLS (a self-signed P-256 certificate)
#   3. unless NODE=0: a node (port offset 50) with pbkdf2Iterations = 1000, a primary user, the LDAP
#      store BENCH.TEST on that slapd; LdapSignInLatency times the login POST of complete flows for the
#      primary user and for BENCH.TEST/userNNNN, alternating, one at a time and 4 at once
#   slapd and the node are stopped and deleted at the end.
#
#   benchmarks/run-ldap.sh                              (needs: mvn install done once; about 8 min)
#   THREADS=1,4 DURATION=5 NODE=0 benchmarks/run-ldap.sh   (AUTH=0: only the node part; FLOWS=200 per kind)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"
SLAPD_PORT="${SLAPD_PORT:-3950}"
USERS="${USERS:-1000}"
THREADS="${THREADS:-1,2,4,8}"
DURATION="${DURATION:-10}"
WARMUP="${WARMUP:-5}"
NODE="${NODE:-1}"
AUTH="${AUTH:-1}"
FLOWS="${FLOWS:-200}"
WORK="$(mktemp -d /tmp/obkm-ldap-bench.XXXXXX)"
SUFFIX="dc=example,dc=com"
SERVICE_DN="cn=obkm,ou=Services,$SUFFIX"
SERVICE_PW="Service-$RANDOM-$RANDOM"
USER_PW="User-pass-$RANDOM-$RANDOM"
SLAPD_PID=""

[[ -x /usr/sbin/slapd && -x /usr/sbin/slapadd ]] || die "needs Debian's slapd and ldap-utils"
if (exec 3<>"/dev/tcp/127.0.0.1/$SLAPD_PORT") 2>/dev/null; then die "port $SLAPD_PORT is in use (SLAPD_PORT)"; fi
if [[ "$NODE" == 1 ]]; then
  require_free_node_ports
fi
ensure_benchmarks_jar

cleanup() {
  if [[ -d "$WORK/node/bin" ]]; then
    OBKM_PORT_OFFSET=$OFFSET "$WORK/node/bin/stop" >/dev/null 2>&1 || true
    for _ in $(seq 1 100); do pgrep -f "karaf.base=$WORK/node" >/dev/null || break; sleep 0.1; done
  fi
  if [[ -n "$SLAPD_PID" ]]; then kill "$SLAPD_PID" 2>/dev/null || true; wait "$SLAPD_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "== 1. slapd on 127.0.0.1:$SLAPD_PORT with $USERS users"
mkdir -p "$WORK/slapd/data"
# StartTLS: a self-signed P-256 certificate for 127.0.0.1, which the clients take as their only CA
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 -subj /CN=127.0.0.1 \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$WORK/slapd/key.pem" -out "$WORK/slapd/cert.pem" 2>/dev/null
cat >"$WORK/slapd/slapd.conf" <<EOF
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
pidfile $WORK/slapd/slapd.pid
argsfile $WORK/slapd/slapd.args
TLSCertificateFile $WORK/slapd/cert.pem
TLSCertificateKeyFile $WORK/slapd/key.pem
access to attrs=userPassword by anonymous auth by self read by * none
access to * by * read
database mdb
maxsize 268435456
suffix "$SUFFIX"
rootdn "cn=admin,$SUFFIX"
rootpw Admin-$RANDOM-$RANDOM
directory $WORK/slapd/data
index objectClass eq
index uid eq
index member eq
index entryUUID eq
EOF
SVC_HASH=$(/usr/sbin/slappasswd -s "$SERVICE_PW")
USER_HASH=$(/usr/sbin/slappasswd -s "$USER_PW")
python3 - "$USERS" "$SUFFIX" "$SVC_HASH" "$USER_HASH" >"$WORK/slapd/init.ldif" <<'EOF'
import sys
n, suffix, svc, pw = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
print(f"dn: {suffix}\nobjectClass: dcObject\nobjectClass: organization\ndc: example\no: Example Bank\n")
for ou in ("Users", "Groups", "Services"):
    print(f"dn: ou={ou},{suffix}\nobjectClass: organizationalUnit\nou: {ou}\n")
print(f"dn: cn=obkm,ou=Services,{suffix}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\n"
      f"cn: obkm\nuserPassword: {svc}\n")
for i in range(n):
    u = f"user{i:04d}"
    print(f"dn: uid={u},ou=Users,{suffix}\nobjectClass: inetOrgPerson\nuid: {u}\ncn: Bench User {i}\nsn: User{i}\n"
          f"mail: {u}@bank.test\nuserPassword: {pw}\n")
for g in range(20):
    print(f"dn: cn=group{g:02d},ou=Groups,{suffix}\nobjectClass: groupOfNames\ncn: group{g:02d}")
    for i in range(g, n, 20):
        print(f"member: uid=user{i:04d},ou=Users,{suffix}")
    print()
EOF
/usr/sbin/slapadd -q -f "$WORK/slapd/slapd.conf" -l "$WORK/slapd/init.ldif"
/usr/sbin/slapd -f "$WORK/slapd/slapd.conf" -h "ldap://127.0.0.1:$SLAPD_PORT/" -d 0 >"$WORK/slapd/slapd.log" 2>&1 &
SLAPD_PID=$!
for _ in $(seq 1 100); do (exec 3<>"/dev/tcp/127.0.0.1/$SLAPD_PORT") 2>/dev/null && break; sleep 0.1; done
(exec 3<>"/dev/tcp/127.0.0.1/$SLAPD_PORT") 2>/dev/null || die "slapd did not start: $(cat "$WORK/slapd/slapd.log")"

echo "== 2. LdapAuthLoad: threads $THREADS, ${DURATION} s per run"
[[ "$AUTH" == 1 ]] && java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.org.obkm.userstore.ldap.internal.LdapUserStoreFactory=error \
  -Dorg.slf4j.simpleLogger.log.org.apache.directory.ldap.client.api.LdapNetworkConnection=error -cp "$JAR" org.obkm.benchmarks.LdapAuthLoad \
  --url "ldap://127.0.0.1:$SLAPD_PORT" --suffix "$SUFFIX" --service-dn "$SERVICE_DN" --service-password "$SERVICE_PW" \
  --password "$USER_PW" --users "$USERS" --threads "$THREADS" --duration "$DURATION" --warmup "$WARMUP" \
  --slapd-pid "$SLAPD_PID" --ca "$WORK/slapd/cert.pem" | tee "$WORK/auth.out"
touch "$WORK/auth.out"
LOAD_AFTER_1=$(cut -d' ' -f1-3 /proc/loadavg)

if [[ "$NODE" == 1 ]]; then
  DIST=$(ls "$ROOT"/karaf-distribution/target/obkm-distribution-*.tar.gz 2>/dev/null | head -1 || true)
  [[ -n "$DIST" ]] || die "no distribution: mvn install -DskipTests first"
  N="$WORK/node"
  mkdir -p "$N"
  echo "== 3. node (offset $OFFSET) from $(basename "$DIST"), pbkdf2Iterations = 1000, LDAP store BENCH.TEST"
  tar xzf "$DIST" -C "$N" --strip-components=1
  sed -i "s|^issuer = .*|issuer = $BASE/oauth2/token|" "$N/etc/org.obkm.oauth.cfg"
  sed -i 's/^pbkdf2Iterations *=.*/pbkdf2Iterations = 1000/' "$N/etc/org.obkm.userstore.jdbc.cfg"
  export OBKM_PORT_OFFSET=$OFFSET
  "$N/bin/start"
  for _ in $(seq 1 1200); do
    [[ "$(curl -sk -o /dev/null -w '%{http_code}' "$BASE/health" || true)" == 200 ]] && break
    sleep 0.1
  done
  [[ "$(curl -sk -o /dev/null -w '%{http_code}' "$BASE/health")" == 200 ]] || die "node not healthy; see $N/data/log/karaf.log"
  shell() { "$N/bin/obkm-shell" "$1"; }
  shell "obkm:user-add --password $USER_PW bench-primary" >/dev/null
  C=$(shell "obkm:client-create --name bench-ldap --profile none --grant-types authorization_code,refresh_token \
--scopes openid,accounts --redirect-uri https://tpp.example.test/cb --json" | tr -d '\r' | grep '^{')
  CLIENT_ID=$(echo "$C" | sed 's/.*"client_id":"\([^"]*\)".*/\1/')
  SECRET=$(echo "$C" | sed 's/.*"client_secret":"\([^"]*\)".*/\1/')
  [[ -n "$CLIENT_ID" && "$CLIENT_ID" != "$C" ]] || die "client-create gave: $C"
  mkdir -p "$N/repository/deployment/server/userstores"
  printf 'type = ldap\nDomainName = BENCH.TEST\nConnectionURL = ldap://127.0.0.1:%s\nConnectionName = %s\nConnectionPassword = %s\nUserSearchBase = ou=Users,%s\nGroupSearchBase = ou=Groups,%s\n' \
    "$SLAPD_PORT" "$SERVICE_DN" "$SERVICE_PW" "$SUFFIX" "$SUFFIX" >"$WORK/BENCH_TEST.cfg"
  mv "$WORK/BENCH_TEST.cfg" "$N/repository/deployment/server/userstores/BENCH_TEST.cfg"
  for _ in $(seq 1 60); do shell "obkm:userstore-list" 2>/dev/null | grep -q "BENCH.TEST.*ACTIVE" && break; sleep 1; done
  shell "obkm:userstore-list" | grep "BENCH.TEST" || true
  java -Xmx256m -cp "$JAR" org.obkm.benchmarks.LdapSignInLatency --base "$BASE" --truststore "$N/etc/obkm-tls.p12" \
    --client-id "$CLIENT_ID" --client-secret "$SECRET" --primary-user bench-primary --primary-password "$USER_PW" \
    --ldap-users BENCH.TEST/user --ldap-password "$USER_PW" --users "$USERS" --flows "$FLOWS" --warmup 40 \
    --concurrency 1,4 | tee "$WORK/signin.out"
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
echo
echo "## LDAP run $(date -u '+%Y-%m-%d %H:%M') UTC ($(nproc) cores, $(java -version 2>&1 | head -1); load average before: $LOAD_BEFORE, after LdapAuthLoad: $LOAD_AFTER_1, at the end: $LOAD_AFTER)"
grep -v '^LDAP \|^Sign-ins\|^ERROR' "$WORK/auth.out" || true
grep '^ERROR' "$WORK/auth.out" | head -5 || true
[[ -f "$WORK/signin.out" ]] && sed 's/^/    /' "$WORK/signin.out"
