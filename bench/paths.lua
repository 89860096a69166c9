-- wrk script of bench/dashboard: GET a random path of a file (one per line, written by the benchmark), over
-- keep-alive connections, and print a JSON summary line at the end.
-- Arguments after `--`: the file of paths.
local paths = {}

function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  math.randomseed(os.time() * 1000 + #paths)
end

function request()
  return wrk.format("GET", paths[math.random(1, #paths)])
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests":%d,"duration_us":%d,"socket_errors":%d,"non_2xx":%d,"p50_us":%d,"p99_us":%d,"max_us":%d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50.0), latency:percentile(99.0), latency.max))
end
