-- wrk script of bench/ingest: random alerts (50 services x 4 severities by default), every answer
-- written to a file per thread for the benchmark's checks, a JSON summary line at the end.
-- Arguments after `--`: prefix, number of services, folder for the answers, alerts per request (0: one, unwrapped).
local threads = {}
local next_id = 1
local severities = { "critical", "high", "medium", "low" }
local regions = { "eu-west-1", "us-east-1" }
local prefix, services, batch, out

function setup(thread)
  thread:set("id", next_id)
  next_id = next_id + 1
  table.insert(threads, thread)
end

function init(args)
  prefix, services, batch = args[1], tonumber(args[2]), tonumber(args[4] or "0")
  math.randomseed(os.time() * 1000 + id)
  out = io.open(args[3] .. "/answers-" .. id .. ".txt", "w")
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
end

local function alert()
  return string.format(
    '{"service":"%s-svc%02d","severity":"%s","message":"synthetic alert %d","labels":{"bench":"%s","region":"%s"}}',
    prefix, math.random(0, services - 1), severities[math.random(1, 4)], math.random(0, 999999), prefix,
    regions[math.random(1, 2)])
end

function request()
  if batch == 0 then
    return wrk.format(nil, nil, nil, alert())
  end
  local parts = {}
  for i = 1, batch do parts[i] = alert() end
  return wrk.format(nil, nil, nil, '{"alerts":[' .. table.concat(parts, ",") .. "]}")
end

function response(status, headers, body)
  out:write(status, " ", (body:gsub("\n", "")), "\n")
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"socket_errors":%d,"p50_us":%d,"p99_us":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50.0), latency:percentile(99.0)))
end
