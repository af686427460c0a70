-- wrk script: UK account-access consent creations (POST) or reads (GET) on a running OBKM node, or
-- introspections of one token (RFC 7662).
--
--   ACCESS_TOKEN=<client_credentials token, scope accounts> [CONSENT_ID=<id>: GET it instead] \
--     wrk -t2 -c16 -d20s -s benchmarks/load/consent.lua https://localhost:9446/open-banking/v3.1/aisp/account-access-consents
--   INTROSPECT_TOKEN=<token> INTROSPECT_AUTH="Basic <id:secret, base64>" \
--     wrk -t2 -c16 -d20s -s benchmarks/load/consent.lua https://localhost:9446/oauth2/introspect
--   (an answer without "active":true counts as non-2xx: the token must stay active throughout)
--
-- Prints requests/s, p50/p90/p99 in ms and the non-2xx count, and one "OBKM_RESULT" line.

local token = os.getenv("ACCESS_TOKEN")
local introspected = os.getenv("INTROSPECT_TOKEN")
if (not token or token == "") and (not introspected or introspected == "") then
  error("ACCESS_TOKEN (or INTROSPECT_TOKEN) must be set in the environment")
end
local consent = os.getenv("CONSENT_ID")

wrk.headers["Accept"] = "application/json"
if introspected and introspected ~= "" then
  wrk.method = "POST"
  wrk.headers["Authorization"] = os.getenv("INTROSPECT_AUTH")
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.body = "token=" .. introspected
elseif consent and consent ~= "" then
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.method = "GET"
  wrk.path = wrk.path .. "/" .. consent
else
  wrk.headers["Authorization"] = "Bearer " .. token
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.body = '{"Data":{"Permissions":["ReadAccountsDetail","ReadBalances","ReadTransactionsDetail",'
    .. '"ReadTransactionsCredits","ReadTransactionsDebits"],"ExpirationDateTime":"2099-08-02T00:00:00+00:00"},"Risk":{}}'
end

responses = 0
non2xx = 0
first_error = nil
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function response(status, headers, body)
  responses = responses + 1
  if status < 200 or status > 299 or (introspected and introspected ~= "" and
      not (body or ""):find('"active":true', 1, true)) then
    non2xx = non2xx + 1
    if not first_error then first_error = status .. " " .. (body or ""):sub(1, 300) end
  end
end

function done(summary, latency, requests)
  local total, bad, sample = 0, 0, nil
  for _, t in ipairs(threads) do
    total = total + (t:get("responses") or 0)
    bad = bad + (t:get("non2xx") or 0)
    sample = sample or t:get("first_error")
  end
  local e = summary.errors
  local secs = summary.duration / 1e6
  local rps = secs > 0 and summary.requests / secs or 0
  io.write(string.format("requests/s: %.1f  (%d responses in %.1f s)\n", rps, total, secs))
  io.write(string.format("latency ms: p50 %.2f  p90 %.2f  p99 %.2f\n", latency:percentile(50) / 1000,
    latency:percentile(90) / 1000, latency:percentile(99) / 1000))
  if sample then io.write("first non-2xx: " .. sample .. "\n") end
  io.write(string.format("OBKM_RESULT rps=%.1f p50_ms=%.2f p99_ms=%.2f responses=%d non2xx=%d socket_errors=%d\n",
    rps, latency:percentile(50) / 1000, latency:percentile(99) / 1000, total, bad,
    e.connect + e.read + e.write + e.timeout))
end
