#!/usr/bin/env bash
# Start time of a node against a bare Karaf of the same version with Pax Web, in the same run:
#   bare Karaf 4.4 (its default boot features + http-whiteboard, one servlet answering 200 on HTTP)
#   the OBKM distribution (first HTTPS 200 of /oauth2/jwks, then /health 200 = ready)
# each as a new installation's first start, then RESTARTS restarts, alternating bare/OBKM so both
# see the same machine load. Times are from running bin/start to the first 200, polled every 50 ms.
#
#   OFFSET=250 RUNS=3 RESTARTS=2 JAVA_HOME=/usr/lib/jvm/... benchmarks/run-start.sh
#
# Needs: mvn install once (the distribution) and Karaf's tar.gz in the local Maven repository
# (`mvn dependency:get -Dartifact=org.apache.karaf:apache-karaf:4.4.10:tar.gz`). Wrap it in
# `flock /tmp/obkm-itest.lock` on a shared machine. Prints a Markdown table at the end.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
OFFSET="${OFFSET:-70}"
RUNS="${RUNS:-3}"
RESTARTS="${RESTARTS:-2}"
REPO="${MAVEN_REPO:-$(mvn -q help:evaluate -Dexpression=settings.localRepository -DforceStdout 2>/dev/null || echo "$HOME/.m2/repository")}"
KARAF_VERSION=$(sed -n 's:.*<karaf.version>\(.*\)</karaf.version>.*:\1:p' "$ROOT/pom.xml" | head -1)
KARAF_TGZ="$REPO/org/apache/karaf/apache-karaf/$KARAF_VERSION/apache-karaf-$KARAF_VERSION.tar.gz"
DIST=$(ls "$ROOT"/karaf-distribution/target/obkm-distribution-*.tar.gz | head -1)
[[ -f "$KARAF_TGZ" ]] || { echo "missing $KARAF_TGZ: mvn dependency:get -Dartifact=org.apache.karaf:apache-karaf:$KARAF_VERSION:tar.gz" >&2; exit 1; }
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
WORK="$(mktemp -d /tmp/obkm-start.XXXXXX)"
BARE_HTTP=$((9766 + OFFSET)); OBKM_HTTPS=$((9446 + OFFSET))
case "$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}/release")" in
  2[4-9]|[3-9][0-9]) JAVA_OPTS_24="-XX:+UnlockDiagnosticVMOptions" ;;
  *) JAVA_OPTS_24="" ;;
esac

ms_now() { date +%s%3N; }
running() { pgrep -f "karaf.base=$1" >/dev/null; }
stop_dir() { # dir, env...
  local d=$1; shift
  env "$@" "$d/bin/stop" >/dev/null 2>&1 || true
  for _ in $(seq 1 300); do running "$d" || return 0; sleep 0.1; done
  pkill -f "karaf.base=$d" || true
}
cleanup() { for d in "$WORK"/bare-* "$WORK"/obkm-*; do [[ -d $d ]] && running "$d" && pkill -f "karaf.base=$d"; done; rm -rf "$WORK"; }
trap cleanup EXIT

# The bare baseline's one servlet, compiled once.
HELLO="$WORK/hello.jar"
mkdir -p "$WORK/hello"
"${JAVA_HOME:+$JAVA_HOME/bin/}javac" -nowarn --release 17 -d "$WORK/hello" \
  -cp "$REPO/org/osgi/osgi.core/8.0.0/osgi.core-8.0.0.jar:$REPO/jakarta/servlet/jakarta.servlet-api/4.0.4/jakarta.servlet-api-4.0.4.jar" \
  "$HERE/start/HelloActivator.java"
printf 'Bundle-ManifestVersion: 2\nBundle-SymbolicName: org.obkm.bench.hello\nBundle-Version: 1.0.0\nBundle-Activator: org.obkm.bench.hello.HelloActivator\nImport-Package: javax.servlet;version="[3.1,5)",javax.servlet.http;version="[3.1,5)",org.osgi.framework\n' >"$WORK/manifest"
"${JAVA_HOME:+$JAVA_HOME/bin/}jar" cfm "$HELLO" "$WORK/manifest" -C "$WORK/hello" .

new_bare() { # dir: Karaf's own distribution, boot features + http-whiteboard, ports moved by OFFSET
  local d=$1
  mkdir -p "$d" && tar xzf "$KARAF_TGZ" -C "$d" --strip-components=1
  sed -i 's/^\(featuresBoot *= *\\\)$/\1\n    http-whiteboard, \\/' "$d/etc/org.apache.karaf.features.cfg"
  grep -q 'http-whiteboard' "$d/etc/org.apache.karaf.features.cfg" || { echo "could not add http-whiteboard to $d" >&2; exit 1; }
  printf 'org.osgi.service.http.port = %s\n' "$BARE_HTTP" >"$d/etc/org.ops4j.pax.web.cfg"
  sed -i "s/^sshPort *= *.*/sshPort = $((8101 + OFFSET + 1))/" "$d/etc/org.apache.karaf.shell.cfg"
  sed -i "s/^rmiRegistryPort *= *.*/rmiRegistryPort = $((1099 + OFFSET + 1))/; s/^rmiServerPort *= *.*/rmiServerPort = $((44444 + OFFSET + 1))/" \
    "$d/etc/org.apache.karaf.management.cfg"
  # what the OBKM distribution adds for Java 22 and later (karaf-distribution/pom.xml): Karaf 4.4.10
  # names execution environments up to Java 21 only
  tar xzf "$DIST" -O --wildcards '*/etc/config.properties' | sed -n '/^# Java 22 and later/,$p' >>"$d/etc/config.properties"
  cp "$HELLO" "$d/deploy/"
}
new_obkm() { local d=$1; mkdir -p "$d" && tar xzf "$DIST" -C "$d" --strip-components=1; }

# start_and_time dir url [url2] -> "ms-to-200 [ms-to-200-of-url2]"
start_and_time() {
  local d=$1 url=$2 url2=${3:-} t0 first="" second="" c
  shift 3 || shift 2
  t0=$(ms_now)
  # Java 24+ refuse the -Djava.security.manager=allow of Karaf 4.4.10's bin/inc (OBKM's setenv does the same)
  env OBKM_PORT_OFFSET=$OFFSET ${JAVA_OPTS_24:+JAVA_OPTS="$JAVA_OPTS_24"} "$d/bin/start"
  for _ in $(seq 1 1200); do
    if [[ -z "$first" ]]; then
      c=$(curl -sk -o /dev/null -w '%{http_code}' "$url" || true)
      [[ "$c" == 200 ]] && first=$(( $(ms_now) - t0 ))
    fi
    if [[ -n "$first" && -n "$url2" ]]; then
      c=$(curl -sk -o /dev/null -w '%{http_code}' "$url2" || true)
      [[ "$c" == 200 ]] && { second=$(( $(ms_now) - t0 )); break; }
    elif [[ -n "$first" ]]; then break; fi
    sleep 0.05
  done
  [[ -n "$first" ]] || { echo "$d did not answer 200 on $url; see $d/data/log/karaf.log" >&2; exit 1; }
  echo "$first $second"
}

declare -a ROWS
for run in $(seq 1 "$RUNS"); do
  for kind in bare obkm; do
    d="$WORK/$kind-$run"
    "new_$kind" "$d"
    for attempt in $(seq 0 "$RESTARTS"); do
      if [[ $kind == bare ]]; then
        read -r a b < <(start_and_time "$d" "http://localhost:$BARE_HTTP/hello")
      else
        read -r a b < <(start_and_time "$d" "https://localhost:$OBKM_HTTPS/oauth2/jwks" "https://localhost:$OBKM_HTTPS/health")
      fi
      label=$([[ $attempt == 0 ]] && echo first || echo restart)
      echo "run $run $kind $label: 200 after $a ms${b:+, healthy after $b ms} (load $(cut -d' ' -f1 /proc/loadavg))"
      ROWS+=("$run $kind $label $a ${b:--}")
      stop_dir "$d" OBKM_PORT_OFFSET=$OFFSET
      sleep 1
    done
    rm -rf "$d"
  done
done

python3 - "$("$JAVA" -version 2>&1 | head -1)" "${ROWS[@]}" <<'PY'
import sys, statistics as st
jv, rows = sys.argv[1], [r.split() for r in sys.argv[2:]]
def med(kind, label, col):
    v = [int(r[col]) for r in rows if r[1] == kind and r[2] == label and r[col] != '-']
    return st.median(v) if v else None, v
print(f"\n## Start time, {jv}\n")
print("| start | bare Karaf + Pax Web, first HTTP 200 | OBKM, first HTTPS 200 | OBKM, /health 200 | **ratio OBKM healthy ÷ bare** |")
print("|---|---|---|---|---|")
for label in ("first", "restart"):
    b, bv = med("bare", label, 3); o, ov = med("obkm", label, 3); h, hv = med("obkm", label, 4)
    f = lambda m, v: f"{m/1000:.1f} s ({', '.join(f'{x/1000:.1f}' for x in v)})"
    print(f"| {label} (median, all) | {f(b, bv)} | {f(o, ov)} | {f(h, hv)} | **{h/b:.2f}** |")
PY
