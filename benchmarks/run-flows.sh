#!/usr/bin/env bash
# Complete authorization code flows per second, next to the cost of one password hash, on one machine
# within the same minutes:
#   1. a fresh node from the built distribution (port offset 50, H2, a cluster of one)
#   2. a user (obkm:user-add) and a client of profile fapi2-message-signing (obkm:client-create:
#      private_key_jwt with an ES256 key, authorization_code + refresh_token, scopes openid accounts)
#   3. FlowLoad: N virtual users, each doing complete flows (PAR with a signed request object and DPoP,
#      authorize, login page, login POST, consent page, consent POST, token) for DURATION seconds,
#      after a WARMUP; N = USERS (2,4,8). Right before each run it measures one PBKDF2-HMAC-SHA256 hash
#      at the node's configured pbkdf2Iterations (PasswordHashCost: the user store's JDK call, median
#      of 7 on one thread, and all cores at once): this host's speed drifts within minutes
#   4. unless CHEAP=0: pbkdf2Iterations lowered to 1000, a second user, one more run with the largest N,
#      to show what a flow costs besides the hash
#   prints a Markdown summary; the node is stopped and deleted at the end.
#
#   benchmarks/run-flows.sh                  (needs: mvn install done once; about 4 min)
#   USERS=2,4 DURATION=20 CHEAP=0 PROFILE=none benchmarks/run-flows.sh
#   JFR=/tmp/flows.jfr CHEAP_ONLY=1 USERS=4 benchmarks/run-flows.sh   (only the cheap-hash run, recorded by
#      JFR with the profile settings; `benchmarks/jfr-top.sh /tmp/flows.jfr` then says where the node's CPU goes)
#
# PROFILE=none uses a client_secret_basic client with plain PAR parameters (obkm:client-create --profile none);
# PROFILE=fapi2-security-profile the FAPI client of step 2 with that profile (the flow is the same: it still
# sends a signed request object). The former name fapi2 means fapi2-message-signing.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
# shellcheck source=common.sh
. "$HERE/common.sh"
USERS="${USERS:-2,4,8}"
DURATION="${DURATION:-30}"
WARMUP="${WARMUP:-10}"
CHEAP="${CHEAP:-1}"
PROFILE="${PROFILE:-fapi2-message-signing}"
[[ "$PROFILE" == fapi2 ]] && PROFILE=fapi2-message-signing
NODE="$(mktemp -d /tmp/obkm-flows.XXXXXX)"
OUT="$NODE.out"

require_free_node_ports

# DIST=path/to/obkm-distribution.tar.gz measures another build (an A/B comparison in one session)
DIST=${DIST:-$(ls "$ROOT"/karaf-distribution/target/obkm-distribution-*.tar.gz 2>/dev/null | head -1 || true)}
if [[ -z "$DIST" ]]; then
  echo ">> no distribution yet: mvn install -DskipTests" >&2
  (cd "$ROOT" && mvn -o -q -B install -DskipTests)
  DIST=$(ls "$ROOT"/karaf-distribution/target/obkm-distribution-*.tar.gz | head -1)
fi
ensure_benchmarks_jar

cleanup() {
  OBKM_PORT_OFFSET=$OFFSET "$NODE/bin/stop" >/dev/null 2>&1 || true
  for _ in $(seq 1 100); do pgrep -f "karaf.base=$NODE" >/dev/null || break; sleep 0.1; done
  rm -rf "$NODE" "$OUT"
}
trap cleanup EXIT

shell() { OBKM_PORT_OFFSET=$OFFSET "$NODE/bin/obkm-shell" "$1"; }
java_bench() { java -Xmx256m -cp "$JAR" "$@"; }

echo "== 1. node (offset $OFFSET) from $(basename "$DIST")"
tar xzf "$DIST" -C "$NODE" --strip-components=1
# The issuer is this node's own URL, so iss, aud and DPoP htu are what a client of it would use.
sed -i "s|^issuer = .*|issuer = $BASE/oauth2/token|" "$NODE/etc/org.obkm.oauth.cfg"
export OBKM_PORT_OFFSET=$OFFSET
"$NODE/bin/start"
for _ in $(seq 1 1200); do
  [[ "$(curl -sk -o /dev/null -w '%{http_code}' "$BASE/health" || true)" == 200 ]] && break
  sleep 0.1
done
[[ "$(curl -sk -o /dev/null -w '%{http_code}' "$BASE/health")" == 200 ]] || die "node not healthy; see $NODE/data/log/karaf.log"
PID=$(pgrep -f "karaf.base=$NODE" | head -1)

echo "== 2. user and client ($PROFILE)"
PASSWORD="Bench-pass-$RANDOM-$RANDOM"
shell "obkm:user-add --password $PASSWORD bench-user" >/dev/null
if [[ "$PROFILE" != none ]]; then
  java_bench org.obkm.benchmarks.FlowLoad --generate-key "$NODE/bench-key.json" >"$NODE/bench-jwks.json"
  C=$(shell "obkm:client-create --name bench-flows --profile $PROFILE --auth-method private_key_jwt --jwks-file $NODE/bench-jwks.json \
--grant-types authorization_code,refresh_token --scopes openid,accounts --redirect-uri https://tpp.example.test/cb --json" | tr -d '\r' | grep '^{')
  CLIENT_ARGS=(--profile "$PROFILE" --client-key "$NODE/bench-key.json")
else
  C=$(shell "obkm:client-create --name bench-flows --profile none --grant-types authorization_code,refresh_token \
--scopes openid,accounts --redirect-uri https://tpp.example.test/cb --json" | tr -d '\r' | grep '^{')
  CLIENT_ARGS=(--profile none --client-secret "$(echo "$C" | sed 's/.*"client_secret":"\([^"]*\)".*/\1/')")
fi
CLIENT_ID=$(echo "$C" | sed 's/.*"client_id":"\([^"]*\)".*/\1/')
[[ -n "$CLIENT_ID" && "$CLIENT_ID" != "$C" ]] || die "client-create gave: $C"

ITER=$(sed -n 's/^pbkdf2Iterations *= *\([0-9]*\).*/\1/p' "$NODE/etc/org.obkm.userstore.jdbc.cfg")
ITER=${ITER:-600000}
CORES=$(nproc)

echo "== 3. flows: users $USERS, ${DURATION} s each after ${WARMUP} s warm-up; hash cost ($ITER iterations) before each"
LOAD_ARGS=(--base "$BASE" --truststore "$NODE/etc/obkm-tls.p12" --client-id "$CLIENT_ID" "${CLIENT_ARGS[@]}"
  --node-pid "$PID")
if [[ "${CHEAP_ONLY:-0}" == 1 ]]; then
  CHEAP=1; CHEAP_WARMUP=$WARMUP; : >"$OUT"
else
  java_bench org.obkm.benchmarks.FlowLoad "${LOAD_ARGS[@]}" --user bench-user --password "$PASSWORD" \
    --users "$USERS" --warmup "$WARMUP" --duration "$DURATION" --hash-iterations "$ITER" | tee "$OUT"
fi
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

if [[ "$CHEAP" == 1 ]]; then
  MAXU=${USERS##*,}
  echo "== 4. the same flows with a 1000-iteration hash, $MAXU users"
  sed -i 's/^pbkdf2Iterations *=.*/pbkdf2Iterations = 1000/' "$NODE/etc/org.obkm.userstore.jdbc.cfg"
  sleep 4 # fileinstall; the new user's hash then has 1000 iterations
  shell "obkm:user-add --password $PASSWORD bench-cheap" >/dev/null
  if [[ -n "${JFR:-}" ]]; then
    # started after the warm-up flows of a first short run, so the profile holds steady-state flows only
    java_bench org.obkm.benchmarks.FlowLoad "${LOAD_ARGS[@]}" --duration 5 --user bench-cheap --password "$PASSWORD" \
      --users "$MAXU" --warmup "$WARMUP" >/dev/null
    jcmd "$PID" JFR.start name=flows settings=profile filename="$JFR" >/dev/null
  fi
  java_bench org.obkm.benchmarks.FlowLoad "${LOAD_ARGS[@]}" --user bench-cheap --password "$PASSWORD" \
    --users "$MAXU" --warmup "${CHEAP_WARMUP:-5}" --duration "$DURATION" | sed 's/^RESULT /RESULT cheap=1 /; s/^STEPS /STEPS cheap=1 /' | tee -a "$OUT"
  [[ -z "${JFR:-}" ]] || jcmd "$PID" JFR.stop name=flows >/dev/null
fi

field() { echo "$1" | sed -n "s/.* $2=\([^ ]*\).*/\1/p"; }
cat <<EOF

## Authorization code flow, $(date -u '+%Y-%m-%d %H:%M') UTC ($CORES cores, $(java -version 2>&1 | head -1); load average before the node started: $LOAD_BEFORE, after the runs: $LOAD_AFTER)

Client profile $PROFILE; PBKDF2-HMAC-SHA256 at $ITER iterations. Hash: single-thread median of 7 right before
the run; ceiling = $CORES cores ÷ hash s. CPU in cores: node / driver / all other processes during the run.

| users | flows/s | p50 | p99 | errors | hash | ceiling | **flows/s ÷ ceiling** | hashes/s, all cores at once | flows/s ÷ that | node CPU per flow | CPU node / driver / other |
|---|---|---|---|---|---|---|---|---|---|---|---|
EOF
while read -r line; do
  [[ "$line" == RESULT* ]] || continue
  fps=$(field "$line" flows_per_s)
  label=$(field "$line" users)
  hms=$(field "$line" hash_ms)
  if [[ "$line" == *cheap=1* || "$hms" == 0.0 ]]; then
    label="$label, 1000-iteration hash"; hash="-"; par="-"; ceil="-"; ratio="-"; ratio2="-"
  else
    hash="$hms ms"; par=$(field "$line" hash_parallel_per_s)
    ceil=$(python3 -c "print(f'{$CORES/($hms/1000):.2f}')")
    ratio="**$(python3 -c "print(f'{$fps/($CORES/($hms/1000)):.2f}')")**"
    ratio2=$(python3 -c "print(f'{$fps/$par:.2f}')")
  fi
  echo "| $label | $fps | $(field "$line" p50_ms) ms | $(field "$line" p99_ms) ms | $(field "$line" errors) | $hash | $ceil | $ratio | $par | $ratio2 | $(field "$line" node_cpu_ms_per_flow) ms | $(field "$line" node_cores) / $(field "$line" driver_cores) / $(field "$line" other_cores) |"
done <"$OUT"
echo
grep '^STEPS' "$OUT" | sed 's/^/    /'
