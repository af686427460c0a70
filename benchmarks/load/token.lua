-- wrk script: OAuth 2.0 client_credentials token requests against OBKM's token endpoint.
--
--   CLIENT_ID=... CLIENT_SECRET=... [SCOPE="accounts"] \
--     wrk -t2 -c16 -d20s --latency -s benchmarks/load/token.lua https://localhost:9446/oauth2/token
--
-- HTTP Basic client authentication (RFC 6749 §2.3.1: id and secret are form-urlencoded, then
-- base64). The request is static, so wrk builds it once per thread (no per-request Lua cost).
-- done() prints p50/p90/p99 in ms and the number of non-2xx responses, plus one machine-readable
-- line starting with "OBKM_RESULT" (read by token-load.sh).

local function form_encode(s)
  s = s:gsub("[^%w%-%._~ ]", function(c) return string.format("%%%02X", c:byte()) end)
  return (s:gsub(" ", "+"))
end

local B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"

local function base64(s)
  local out = {}
  for i = 1, #s, 3 do
    local a, b, c = s:byte(i, i + 2)
    local n = a * 65536 + (b or 0) * 256 + (c or 0)
    local c1 = math.floor(n / 262144) % 64
    local c2 = math.floor(n / 4096) % 64
    local c3 = math.floor(n / 64) % 64
    local c4 = n % 64
    out[#out + 1] = B64:sub(c1 + 1, c1 + 1) .. B64:sub(c2 + 1, c2 + 1)
      .. (b and B64:sub(c3 + 1, c3 + 1) or "=") .. (c and B64:sub(c4 + 1, c4 + 1) or "=")
  end
  return table.concat(out)
end

local client_id = os.getenv("CLIENT_ID")
local client_secret = os.getenv("CLIENT_SECRET")
if not client_id or client_id == "" or not client_secret then
  error("CLIENT_ID and CLIENT_SECRET must be set in the environment")
end
local scope = os.getenv("SCOPE") or "accounts"

wrk.method = "POST"
local introspect = os.getenv("INTROSPECT_TOKEN")
if introspect and introspect ~= "" then
  -- Introspection load (RFC 7662): the same client authenticates and asks about one token.
  wrk.body = "token=" .. form_encode(introspect)
else
  wrk.body = "grant_type=client_credentials&scope=" .. form_encode(scope)
end
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Accept"] = "application/json"
wrk.headers["Authorization"] = "Basic "
  .. base64(form_encode(client_id) .. ":" .. form_encode(client_secret))

-- Per-thread state (each wrk thread has its own Lua state).
responses = 0
non2xx = 0
codes = {}          -- status -> count, non-2xx only
first_error = nil   -- body of the first non-2xx response, for diagnosis

function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    codes[status] = (codes[status] or 0) + 1
    if not first_error then
      first_error = status .. " " .. (body or ""):sub(1, 300)
    end
  end
end

-- Main state: collect the threads so done() can read their counters.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function done(summary, latency, requests)
  local total_non2xx, total_responses, all_codes, sample = 0, 0, {}, nil
  for _, t in ipairs(threads) do
    total_responses = total_responses + (t:get("responses") or 0)
    total_non2xx = total_non2xx + (t:get("non2xx") or 0)
    for status, n in pairs(t:get("codes") or {}) do
      all_codes[status] = (all_codes[status] or 0) + n
    end
    sample = sample or t:get("first_error")
  end

  local e = summary.errors
  local socket_errors = e.connect + e.read + e.write + e.timeout
  local secs = summary.duration / 1e6
  local rps = secs > 0 and summary.requests / secs or 0
  local p50 = latency:percentile(50) / 1000
  local p90 = latency:percentile(90) / 1000
  local p99 = latency:percentile(99) / 1000

  local parts = {}
  for status, n in pairs(all_codes) do parts[#parts + 1] = status .. "=" .. n end
  table.sort(parts)

  io.write("---- token endpoint (client_credentials) ----\n")
  io.write(string.format("requests/s: %.1f  (%d responses in %.1f s)\n", rps, total_responses, secs))
  io.write(string.format("latency ms: p50 %.2f  p90 %.2f  p99 %.2f  max %.2f\n",
    p50, p90, p99, latency.max / 1000))
  io.write(string.format("non-2xx:    %d %s\n", total_non2xx,
    #parts > 0 and ("(" .. table.concat(parts, ", ") .. ")") or ""))
  io.write(string.format("socket errors: connect %d, read %d, write %d, timeout %d\n",
    e.connect, e.read, e.write, e.timeout))
  if sample then io.write("first non-2xx: " .. sample .. "\n") end
  io.write(string.format(
    "OBKM_RESULT rps=%.1f p50_ms=%.2f p90_ms=%.2f p99_ms=%.2f responses=%d non2xx=%d socket_errors=%d\n",
    rps, p50, p90, p99, total_responses, total_non2xx, socket_errors))
end
