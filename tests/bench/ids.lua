-- SPDX-License-Identifier: Apache-2.0
-- wrk script: GET /schemas/ids/{id} cycling over ids 1..WEIR_BENCH_MAX_ID (env).
local max_id = tonumber(os.getenv("WEIR_BENCH_MAX_ID") or "1")
local i = 0

function init(args)
  i = math.random(0, max_id - 1)
end

function request()
  i = (i % max_id) + 1
  return wrk.format("GET", "/schemas/ids/" .. i)
end
