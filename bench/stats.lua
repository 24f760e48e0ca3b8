-- wrk script: ask for compression as a browser does, and print one machine-readable
-- line at the end (wrk's own --latency table has no 95th percentile).
wrk.headers["Accept-Encoding"] = "gzip, deflate, br"

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d " ..
    "status_errors=%d socket_errors=%d\n",
    summary.requests, summary.duration,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max,
    e.status, e.connect + e.read + e.write + e.timeout))
end
