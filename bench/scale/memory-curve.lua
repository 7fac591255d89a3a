-- wrk script for memory-curve.sh: checks companies co-<from> … co-<to> (Tollgate.Scale's ids) in order, once each,
-- then writes the file $DONE_FILE (a cold pass; wrk waits out its duration, so the script interrupts it, and wrk prints
-- its statistics on SIGINT); with "cycle" as the third argument it goes round them until the duration ends (a warm run).
-- A fourth argument, the stride, checks every stride-th company only (co-<from>, co-<from + stride>, … up to <to>).
local from, to, cycle, stride
local next_id, answered, total = 0, 0, 0

function init(args)
  from, to, cycle, stride = tonumber(args[1]), tonumber(args[2]), args[3] == "cycle", tonumber(args[4] or "1")
  next_id, total = from, math.floor((to - from) / stride) + 1
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Schematic-Api-Key"] = os.getenv("KEY")
end

function request()
  local id = next_id
  next_id = next_id + stride
  if next_id > to then next_id = from end
  return wrk.format(nil, "/flags/api-calls/check", nil, string.format('{"company":{"id":"co-%07d"}}', id))
end

function response(status, headers, body)
  if status ~= 200 then
    io.stderr:write("status " .. status .. ": " .. body .. "\n")
    wrk.thread:stop()
  end
  answered = answered + 1
  if not cycle and answered == total then
    local done = io.open(os.getenv("DONE_FILE"), "w")
    done:write(answered, "\n")
    done:close()
    wrk.thread:stop()
  end
end
