#!/usr/bin/env bash
# JWS signing throughput (Nimbus; PS256/ES256 and RS256 for comparison), 2 threads.
#
#   benchmarks/run-signing.sh                       # default settings, ~2.5 min
#   benchmarks/run-signing.sh --json /tmp/sign.json # also write JMH JSON results
#   QUICK=1 benchmarks/run-signing.sh               # smoke run (~40 s)
#   benchmarks/run-signing.sh -- 'ps256'            # args after -- go to JMH (e.g. a regexp)
#   REBUILD=1 benchmarks/run-signing.sh             # force a rebuild of target/benchmarks.jar
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAR="$HERE/target/benchmarks.jar"
JSON=""
EXTRA=()

while [[ $# -gt 0 ]]; do
  case "$1" in
    --json) JSON="${2:?--json needs a file}"; shift 2 ;;
    --) shift; EXTRA=("$@"); break ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "unknown option: $1 (JMH options go after --)" >&2; exit 2 ;;
  esac
done

# Build when the jar is missing or older than the sources / pom.
if [[ "${REBUILD:-0}" == 1 || ! -f "$JAR" ]] \
   || [[ -n "$(find "$HERE/src" "$HERE/pom.xml" -newer "$JAR" -print -quit)" ]]; then
  echo ">> building $JAR" >&2
  mvn -q -B -f "$HERE/pom.xml" package
fi

if [[ "${QUICK:-0}" == 1 ]]; then
  SETTINGS=(-f 1 -wi 1 -w 2s -i 2 -r 3s -t 2)
else
  SETTINGS=(-f 1 -wi 3 -w 5s -i 5 -r 5s -t 2)
fi

OUT="$(mktemp /tmp/obkm-signing.XXXXXX.txt)"
RESULT_ARGS=()
[[ -n "$JSON" ]] && RESULT_ARGS=(-rf json -rff "$JSON")

"${JAVA_HOME:+$JAVA_HOME/bin/}java" -jar "$JAR" "${SETTINGS[@]}" "${RESULT_ARGS[@]}" "${EXTRA[@]}" \
  'org.obkm.benchmarks.SigningBenchmark' | tee "$OUT"

echo
echo "== JWS signing throughput, 2 threads ($(nproc) CPUs) =="
# Summary table lines: "SigningBenchmark.ps256  thrpt  5  1234.567 ± 12.345  ops/s"
awk '/^Benchmark +Mode/ { table = 1; next }
     table && $2 == "thrpt" { n = split($1, p, "."); err = (NF >= 7) ? "  (± " $6 ")" : ""
                                     printf "%-6s %12s ops/s%s\n", toupper(p[n]), $4, err }' "$OUT"
[[ -n "$JSON" ]] && echo "JSON results: $JSON"
rm -f "$OUT"
