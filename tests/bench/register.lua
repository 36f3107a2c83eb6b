-- SPDX-License-Identifier: Apache-2.0
-- wrk script: every request registers a new, distinct Avro schema under its own
-- subject (POST /subjects/{s}/versions), so each one is a durable write.
-- Non-200 answers are counted and printed at the end.
-- setup() runs in the main Lua state; thread:set() makes "tid" and "run"
-- globals of each thread's own state, read by init().
local counter = 0
local threads = {}
local nthreads = 0

function setup(thread)
  nthreads = nthreads + 1
  thread:set("tid", nthreads)
  thread:set("run", os.time())
  table.insert(threads, thread)
end

function init(args)
  prefix = string.format("bench_%d_%d", run, tid)
  bad = 0
end

function request()
  counter = counter + 1
  local name = string.format("%s_%d", prefix, counter)
  local body = string.format(
    '{"schema":"{\\"type\\":\\"record\\",\\"name\\":\\"%s\\",\\"fields\\":[{\\"name\\":\\"id\\",\\"type\\":\\"long\\"},{\\"name\\":\\"v\\",\\"type\\":\\"string\\"}]}"}',
    name)
  return wrk.format("POST", "/subjects/bench-reg-" .. name .. "/versions",
    {["Content-Type"] = "application/vnd.schemaregistry.v1+json"}, body)
end

function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end

function done(summary, latency, requests)
  local total_bad = 0
  for _, t in ipairs(threads) do total_bad = total_bad + (t:get("bad") or 0) end
  io.write(string.format("non-200 registrations: %d\n", total_bad))
end
