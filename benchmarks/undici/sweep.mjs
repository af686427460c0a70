// Issue 16: N (1,000) requests, INFLIGHT (16) at a time, malformed and valid, to /oauth2/par and /oauth2/token
// with Node's built-in fetch (undici), or with the npm undici package (LIB=fetch or LIB=request, PIPE=n
// pipelining; `npm install undici@6` here first); counts the answers and the requests without one in 20 s.
//   C=$(run/node/bin/obkm-shell 'obkm:client-create --name Sweep --profile none --scopes openid,accounts
//       --grant-types authorization_code,client_credentials --redirect-uri https://client.example.test/cb --json' | tail -1)
//   echo "$C" > /tmp/sweep-client.json
//   NODE_TLS_REJECT_UNAUTHORIZED=0 BASE=https://localhost:9446 SEED=1 [POSTONLY=1] [STREAM=0.5] node benchmarks/undici/sweep.mjs
import { readFileSync } from 'node:fs';
const U = process.env.LIB ? await import('undici') : null;
const dispatcher = process.env.LIB ? new U.Agent({ connect: { rejectUnauthorized: false }, pipelining: +(process.env.PIPE||1) }) : undefined;
const doFetch = process.env.LIB==='request' ? null : (process.env.LIB ? U.fetch : fetch);
const base = process.env.BASE || 'https://localhost:9776';
const N = +(process.env.N || 1000), INFLIGHT = +(process.env.INFLIGHT || 16);
const client = JSON.parse(readFileSync(process.env.CLIENT || '/tmp/sweep-client.json', 'utf8'));
let seed = +(process.env.SEED || 1);
const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
const pick = a => a[Math.floor(rnd() * a.length)];
const b64 = s => Buffer.from(s).toString('base64url');
const brokenJwts = ['x', 'a.b', 'a.b.c', b64('{"alg":"none"}') + '.' + b64('{}') + '.',
  b64('{"alg":"RS256"}') + '.' + b64('{"iss":1}') + '.AAAA', 'eyJ' + 'A'.repeat(5000), '....', b64('[]') + '.x.y'];
const basic = 'Basic ' + Buffer.from(client.client_id + ':' + client.client_secret).toString('base64');
function request(i) {
  const path = pick(['/oauth2/par', '/oauth2/token']);
  const kind = rnd();
  const headers = {};
  let method = 'POST', body;
  if (kind < 0.2) { // valid
    headers['content-type'] = 'application/x-www-form-urlencoded';
    headers.authorization = basic;
    body = path === '/oauth2/token' ? 'grant_type=client_credentials&scope=accounts'
      : 'response_type=code&scope=openid%20accounts&redirect_uri=' + encodeURIComponent('https://client.example.test/cb')
        + '&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeJ1t-qpp5Ymy8QmE5Xk&code_challenge_method=S256&state=s&nonce=n';
  } else {
    method = process.env.POSTONLY ? 'POST' : pick(['POST', 'POST', 'POST', 'PUT', 'GET', 'DELETE', 'PATCH']);
    headers['content-type'] = pick(['application/x-www-form-urlencoded', 'application/json', 'text/plain',
      'multipart/form-data', 'application/x-www-form-urlencoded; charset=ISO-8859-1', 'x/y']);
    if (rnd() < 0.5) headers.authorization = pick([basic, 'Basic !!!', 'Bearer ' + pick(brokenJwts), 'DPoP x']);
    if (rnd() < 0.3) headers.dpop = pick(brokenJwts);
    if (rnd() < 0.3) headers.cookie = 'a=' + 'Z'.repeat(Math.floor(rnd() * 2000));
    const size = pick([0, 10, 1000, 20000, 100000, 200000]);
    const params = ['grant_type=' + pick(['client_credentials', 'authorization_code', 'x', '']),
      'client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer',
      'client_assertion=' + pick(brokenJwts), 'request=' + pick(brokenJwts), 'client_id=' + client.client_id];
    let s = params.filter(() => rnd() < 0.6).join('&');
    while (s.length < size) s += '&pad=' + 'x'.repeat(Math.min(5000, size - s.length));
    body = method === 'GET' ? undefined : s;
  }
  if (body && process.env.STREAM && rnd() < +process.env.STREAM) {
    const bytes = Buffer.from(body); const step = 16384;
    body = new ReadableStream({ start(c) { for (let o = 0; o < bytes.length; o += step) c.enqueue(bytes.subarray(o, o + step)); c.close(); } });
  }
  if (rnd() < 0.2) headers['x-client-cert'] = pick(['-----BEGIN CERTIFICATE-----garbage', '%%%', 'MIIB' + 'A'.repeat(3000)]);
  return { path, method, headers, body };
}
const outcomes = {}; const hung = []; let next = 0, done = 0;
async function one(i) {
  const r = request(i);
  const ac = new AbortController();
  const t0 = Date.now();
  const timer = setTimeout(() => ac.abort(), 20000);
  try {
    let status, text;
    if (doFetch) { const res = await doFetch(base + r.path, { method: r.method, headers: r.headers, body: r.body, duplex: 'half', signal: ac.signal, dispatcher }); status = res.status; text = await res.text(); }
    else { const res = await U.request(base + r.path, { method: r.method, headers: r.headers, body: r.body, duplex: 'half', signal: ac.signal, dispatcher }); status = res.statusCode; text = await res.body.text(); }
    const res = { status };
    outcomes[res.status] = (outcomes[res.status] || 0) + 1;
    if (res.status >= 500 || /Exception|\tat /.test(text)) console.log('BAD', res.status, r.method, r.path, text.slice(0, 200));
  } catch (e) {
    const key = ac.signal.aborted ? 'NO_ANSWER_20s' : 'ERR:' + (e.cause?.code || e.name);
    outcomes[key] = (outcomes[key] || 0) + 1;
    if (ac.signal.aborted) hung.push({ i, ms: Date.now() - t0, path: r.path, method: r.method, len: r.body?.length, ct: r.headers['content-type'] });
    else if (process.env.V) console.log(i, key, r.method, r.path, r.body?.length, e.cause?.message);
  } finally { clearTimeout(timer); }
}
const t0 = Date.now();
await Promise.all(Array.from({ length: INFLIGHT }, async () => { while (next < N) { await one(next++); done++; } }));
console.log(JSON.stringify(outcomes), 'in', Date.now() - t0, 'ms');
for (const h of hung.slice(0, 40)) console.log('hung', JSON.stringify(h));
