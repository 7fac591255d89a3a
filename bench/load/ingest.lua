-- wrk script for bench/load/run-ingest-load.sh: POST /batch with 100 track events per request, as the Schematic SDKs
-- send them (api_key in every event, sent_at, 20 companies, quantities 1-5).
--
--   INGEST_MODE=plain   events without idempotency keys; bodies formatted once per thread in init() and rotated
--   INGEST_MODE=keyed   every event carries a fresh idempotency key, so every event takes the deduplication path
--                       and none is a duplicate; the body is assembled per request (more Lua work per request)
--   LOAD_API_KEY        the secret key the server was started with
--
-- done() prints "RESULT {json}": requests, non-200 answers, socket errors and latency percentiles (microseconds).

local mode = os.getenv("INGEST_MODE") or "plain"
local api_key = os.getenv("LOAD_API_KEY") or error("LOAD_API_KEY is not set")
local per_batch = 100
local headers = { ["X-Schematic-Api-Key"] = api_key, ["Content-Type"] = "application/json" }

-- thread_id and failures are globals: wrk's thread:set/get reach a thread's globals, not its locals.
thread_id = 0
failures = 0
local counter = 0
local bodies = {}
local next_index = 0

local function event(i, key)
  local e = '{"api_key":"' .. api_key .. '","type":"track","body":{"event":"api_call","company":{"id":"c' .. (i % 20) ..
    '"},"quantity":' .. (1 + i % 5) .. '},"sent_at":"2026-11-25T12:00:00.000Z"'
  if key then e = e .. ',"idempotency_key":"' .. key .. '"' end
  return e .. '}'
end

local function batch(prefix)
  local events = {}
  for i = 1, per_batch do
    events[i] = event(i, prefix and (prefix .. i) or nil)
  end
  return '{"events":[' .. table.concat(events, ",") .. ']}'
end

local threads = {}
local started = 0
function setup(thread)
  started = started + 1
  thread:set("thread_id", started)
  threads[#threads + 1] = thread
end

function init(args)
  if mode == "plain" then
    for i = 1, 16 do bodies[i] = wrk.format("POST", "/batch", headers, batch(nil)) end
  elseif mode ~= "keyed" then
    error("unknown INGEST_MODE " .. mode)
  end
end

function request()
  if mode == "keyed" then
    counter = counter + 1
    return wrk.format("POST", "/batch", headers, batch("t" .. thread_id .. "-" .. os.time() .. "-" .. counter .. "-"))
  end
  next_index = next_index % #bodies + 1
  return bodies[next_index]
end

function response(status, headers, body)
  if status ~= 200 then failures = failures + 1 end
end

function done(summary, latency, requests)
  local non200 = 0
  for _, thread in ipairs(threads) do non200 = non200 + (thread:get("failures") or 0) end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests":%d,"duration_us":%d,"non_200":%d,"socket_errors":%d,"events_per_request":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, non200, e.connect + e.read + e.write + e.timeout, per_batch,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max))
end
