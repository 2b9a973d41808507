-- Shared by every bench script: at the end, one machine-readable line for bench/run.py.
-- Latencies are in microseconds; "status" counts responses with a status of 400 or more.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'WRKJSON {"requests": %.0f, "duration_us": %.0f, "bytes": %.0f, "connect": %.0f, "read": %.0f, ' ..
    '"write": %.0f, "status": %.0f, "timeout": %.0f, "mean_us": %.1f, "stdev_us": %.1f, "max_us": %.0f, ' ..
    '"p50_us": %.0f, "p75_us": %.0f, "p90_us": %.0f, "p99_us": %.0f}\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency.mean, latency.stdev, latency.max,
    latency:percentile(50), latency:percentile(75), latency:percentile(90), latency:percentile(99)))
end

-- Each wrk thread gets its own number (for unique folios and disjoint counters).
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end

-- "Name: value" arguments become request headers.
function headers_from(args, first)
  local headers = {}
  for i = first or 1, #args do
    local name, value = args[i]:match("^([^:]+):%s*(.*)$")
    if name then headers[name] = value end
  end
  return headers
end
