-- wrk script for bench/pings.mjs: the same mix of URL forms, each to a random heartbeat. The first
-- argument names a file: the ping key on its first line, then one heartbeat id a line.
local ids = {}
local key
local body = string.rep('x', 200)

function init(args)
  local f = assert(io.open(args[1]))
  key = f:read('*l')
  for line in f:lines() do ids[#ids + 1] = line end
  f:close()
  math.randomseed(os.time() + tonumber(tostring(ids):sub(8), 16))
end

function request()
  local r = math.random()
  local i = math.random(#ids)
  if r < 0.7 then return wrk.format('GET', '/ping/' .. ids[i]) end
  if r < 0.8 then return wrk.format('GET', '/ping/' .. key .. '/job-' .. (i - 1)) end
  if r < 0.9 then return wrk.format('GET', '/ping/' .. ids[i] .. '/start') end
  return wrk.format('POST', '/ping/' .. ids[i] .. '/0', { ['Content-Type'] = 'text/plain' }, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('{"requests":%d,"durationUs":%d,"non2xx":%d,"errors":%d,"timeouts":%d,"p50":%.2f,"p90":%.2f,"p99":%.2f,"max":%.2f}\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
