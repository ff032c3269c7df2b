-- wrk script: rotate over the paths in PATHS (comma-separated, env), send
-- AUTH (env) as the Authorization header to /api/ paths, COOKIE (env) as the
-- Cookie header if set, and count answers by CACHE_HEADER (env, default
-- X-Page-Cache: hit, stale, miss; X-Proxy-Cache for nginx) and by status class.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for path in string.gmatch(os.getenv("PATHS") or "/", "([^,]+)") do
    table.insert(paths, path)
  end
  auth = os.getenv("AUTH") or ""
  cookie = os.getenv("COOKIE") or ""
  cache_header = os.getenv("CACHE_HEADER") or "X-Page-Cache"
  n = 0
  hit, stale, miss, other, bad = 0, 0, 0, 0, 0
end

function request()
  n = n + 1
  local path = paths[(n % #paths) + 1]
  local headers = {["Accept-Encoding"] = "gzip"}
  if string.sub(path, 1, 5) == "/api/" then
    headers["Authorization"] = "Bearer " .. auth
  end
  if cookie ~= "" then headers["Cookie"] = cookie end
  return wrk.format("GET", path, headers)
end

function response(status, headers, body)
  local state = string.lower(headers[cache_header] or "")
  if status >= 400 then bad = bad + 1 end
  if state == "hit" then hit = hit + 1
  elseif state == "stale" or state == "updating" then stale = stale + 1
  elseif state == "miss" then miss = miss + 1
  else other = other + 1 end
end

function done(summary, latency, requests)
  local h, s, m, o, b = 0, 0, 0, 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hit"); s = s + thread:get("stale"); m = m + thread:get("miss")
    o = o + thread:get("other"); b = b + thread:get("bad")
  end
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d status4xx5xx=%d timeouts=%d hit=%d stale=%d miss=%d other=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    b, summary.errors.timeout, h, s, m, o))
end
