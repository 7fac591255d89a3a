-- wrk script for bench/load/run-check-load.sh. Every request is formatted once per thread in init() and handed out in
-- rotation, so the load generator does the same (tiny) amount of Lua work per request for every endpoint.
--
--   LOAD_MODE=health      GET /health (no key, no body): the baseline
--   LOAD_MODE=check       POST /flags/{flag}/check, {"company":{"id":...}}: 4 flags x 3 demo companies
--   LOAD_MODE=check-user  the same with the company's demo user: {"company":{"id":...},"user":{"email":...}}
--   LOAD_MODE=mixed       all of the above interleaved (warm-up)
--   LOAD_API_KEY          the secret key the server was started with (TOLLGATE_API_KEY)
--
-- done() prints one line "RESULT {json}" with the figures the report uses (latencies in microseconds).

local mode = os.getenv("LOAD_MODE") or "check"
local api_key = os.getenv("LOAD_API_KEY") or error("LOAD_API_KEY is not set")

local flags = { "api-calls", "seats", "sso", "ai-credits" }
local companies = {
  { id = "acme", user = "ana@acme.test" },
  { id = "globex", user = "hank@globex.test" },
  { id = "initech", user = "peter@initech.test" },
}

local requests = {}
local next_index = 0

local function check_request(flag, body)
  return wrk.format("POST", "/flags/" .. flag .. "/check",
    { ["X-Schematic-Api-Key"] = api_key, ["Content-Type"] = "application/json" }, body)
end

local function add(req) requests[#requests + 1] = req end

-- Requests are formatted here, not at load time: wrk adds the Host header only once wrk.host is known, and Kestrel
-- answers 400 to an HTTP/1.1 request without one.
function init(args)
  local health = wrk.format("GET", "/health")
  for _, flag in ipairs(flags) do
    for _, c in ipairs(companies) do
      local plain = check_request(flag, '{"company":{"id":"' .. c.id .. '"}}')
      local with_user = check_request(flag, '{"company":{"id":"' .. c.id .. '"},"user":{"email":"' .. c.user .. '"}}')
      if mode == "health" then
        add(health)
      elseif mode == "check" then
        add(plain)
      elseif mode == "check-user" then
        add(with_user)
      elseif mode == "mixed" then
        add(plain); add(with_user); add(health)
      else
        error("unknown LOAD_MODE " .. mode)
      end
    end
  end
end

function request()
  next_index = next_index % #requests + 1
  return requests[next_index]
end

function done(summary, latency, _)
  local e = summary.errors
  io.write(string.format(
    'RESULT {"mode":"%s","duration_us":%d,"requests":%d,"bytes":%d,' ..
    '"errors":{"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d},' ..
    '"latency_us":{"p50":%d,"p90":%d,"p99":%d,"p999":%d,"max":%d,"mean":%.1f}}\n',
    mode, summary.duration, summary.requests, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9),
    latency.max, latency.mean))
end
