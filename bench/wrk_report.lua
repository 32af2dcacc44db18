-- wrk's figures as one JSON line (bench/api_load reads it). The method and a JSON body come from
-- the environment: WRK_METHOD (default GET) and WRK_BODY.
local method = os.getenv("WRK_METHOD") or "GET"
local body = os.getenv("WRK_BODY")
wrk.method = method
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

function done(summary, latency, requests)
  local errors = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "status_errors": %d, "socket_errors": %d, ' ..
    '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max))
end
