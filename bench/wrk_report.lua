-- wrk script for bench/load.py: spread requests over the signed-in sessions it is given
-- (BENCH_COOKIES, separated by "|"), say the request came through TLS as a proxy would,
-- count every answer that is not a 200 (a redirect to sign-in would flatter the figures),
-- and print the results as one JSON line. With BENCH_NONCE set, every request adds a query
-- string of its own, so no page kept for the viewer (portal.kept_pages) is ever served.
local threads = {}

setup = function(thread)
  table.insert(threads, thread)
end

local cookies = {}
for cookie in string.gmatch(os.getenv("BENCH_COOKIES") or "", "[^|]+") do
  table.insert(cookies, cookie)
end
local counter = 0
local nonce = os.getenv("BENCH_NONCE") == "1"
local prefix = ""
not_200 = 0

init = function(args)
  -- Each thread runs this script apart: a random prefix keeps their nonces apart.
  math.randomseed(os.time() + math.floor(os.clock() * 1000000))
  prefix = tostring(math.random(1, 1000000000))
end

request = function()
  counter = counter + 1
  local headers = { ["X-Forwarded-Proto"] = "https" }
  if #cookies > 0 then
    headers["Cookie"] = cookies[(counter % #cookies) + 1]
  end
  local path = nil
  if nonce then
    local joiner = string.find(wrk.path, "?", 1, true) and "&" or "?"
    path = wrk.path .. joiner .. "nonce=" .. prefix .. "-" .. counter
  end
  return wrk.format("GET", path, headers)
end

response = function(status, headers, body)
  if status ~= 200 then
    not_200 = not_200 + 1
  end
end

done = function(summary, latency, requests)
  local errors = summary.errors
  local wrong = 0
  for _, thread in ipairs(threads) do
    wrong = wrong + thread:get("not_200")
  end
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "non_200": %d, "socket_errors": %d, '
      .. '"p50_us": %d, "p95_us": %d, "p99_us": %d, "max_us": %d}\n',
    summary.requests, summary.duration, wrong,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99), latency.max
  ))
end
