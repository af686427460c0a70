#!/usr/bin/env bash
# Where a node's CPU went in a JFR recording (jdk.ExecutionSample, the JFR "profile" settings sample every
# 10-20 ms per running thread): the top methods by self samples, and the top "areas" by inclusive samples,
# an area being the first frame of a stack that matches one of AREAS (in order of the stack, innermost
# first), so a PS256 signature inside the token endpoint counts as signing, not as the endpoint.
#   benchmarks/jfr-top.sh /tmp/flows.jfr [TOP]
set -euo pipefail
JFR_FILE="$1"; TOP="${2:-25}"
jfr print --events jdk.ExecutionSample --stack-depth 64 "$JFR_FILE" | python3 -c '
import re, sys, collections
top = int(sys.argv[1])
# innermost match wins: the order is from specific to general
AREAS = [
  ("password hash (PBKDF2)", r"PBKDF2|javax\.crypto\.Mac|HmacCore"),
  ("RSA/EC signing and verifying", r"sun\.security\.(rsa|ec|util\.math)|java\.math\.BigInteger|sun\.security\.provider\.(SHA|Digest)|java\.security\.Signature"),
  ("TLS (JSSE record and handshake)", r"sun\.security\.ssl|com\.sun\.crypto\.provider\.(GaloisCounterMode|AES|GHASH)"),
  ("base64 / base64url", r"Base64"),
  ("JSON (json-smart, Gson, Jackson, JSON-P, Nimbus JSON utils)", r"net\.minidev|com\.google\.gson|com\.fasterxml|jakarta\.json|javax\.json|org\.glassfish\.json|com\.nimbusds\..*JSON"),
  ("JDBC / EclipseLink / H2", r"org\.eclipse\.persistence|org\.h2\.|java\.sql|org\.postgresql|com\.zaxxer"),
  ("Hazelcast", r"com\.hazelcast"),
  ("Nimbus JOSE/OAuth (other)", r"com\.nimbusds"),
  ("OBKM code (self)", r"org\.obkm\."),
  ("Jetty / Pax Web / servlet", r"org\.eclipse\.jetty|org\.ops4j\.pax\.web|javax\.servlet"),
]
self_c = collections.Counter(); area_c = collections.Counter(); total = 0
stack = []; in_stack = False
def flush():
    global total
    if not stack: return
    total += 1
    self_c[stack[0]] += 1
    for name, rx in AREAS:
        if any(re.search(rx, f) for f in stack):
            area_c[name] += 1; return
    area_c["other (JDK, collections, ...)"] += 1
for line in sys.stdin:
    s = line.strip()
    if s.startswith("jdk.ExecutionSample"):
        flush(); stack = []; in_stack = False
    elif s.startswith("stackTrace = ["):
        in_stack = True
    elif in_stack:
        if s.startswith("]"): in_stack = False; continue
        if s == "...": continue
        m = re.match(r"([\w$.<>/]+)\(", s)
        if m: stack.append(m.group(1))
flush()
print(f"samples: {total}")
print("\n| area (inclusive, innermost match) | samples | share |\n|---|---|---|")
for k, v in area_c.most_common(): print(f"| {k} | {v} | {100*v/total:.1f} % |")
print(f"\n| top {top} methods by self samples | samples | share |\n|---|---|---|")
for k, v in self_c.most_common(top): print(f"| `{k}` | {v} | {100*v/total:.1f} % |")
' "$TOP"
