-- wrk reporter of bench/run: one JSON line at the end (prefixed "BENCH-JSON "), with the
-- throughput, the 50th/95th/99th percentiles and every kind of error.
--
--   wrk ... -s bench/report.lua URL -- get
--   wrk ... -s bench/report.lua URL -- post TUPLES_FILE THREADS
--
-- "get": a page must answer 2xx. wrk itself counts only statuses above 399 as errors; a
-- 3xx here means the session is wrong (a redirect to sign-in), so it counts too.
-- "post": each request is another (path, cookie, X-Forwarded-For, body) line of
-- TUPLES_FILE, tab-separated, so every apply writes a new application; it must answer 303
-- (to the new application's page). wrk runs one Lua state per thread: thread i (0-based)
-- takes lines i, i + THREADS, i + 2 * THREADS... and never a line another thread sends.
-- Each thread reports how many lines it took ("used"), so the runner never sends one again.

local threads = {}

mode = "get"
unexpected = 0 -- responses of the wrong status, per thread
wrong_statuses = {} -- how many of each wrong status, per thread
used = 0 -- lines of TUPLES_FILE taken, per thread
local requests_of_thread = {}
local next_request = 1

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

local function split_tabs(line)
   local fields = {}
   for field in string.gmatch(line, "([^\t]*)\t?") do
      table.insert(fields, field)
   end
   return fields
end

local function load_requests(file, thread_count)
   local line_number = 0
   for line in io.lines(file) do
      if line_number % thread_count == id then
         local path, cookie, forwarded_for, body = unpack(split_tabs(line))
         local headers = {}
         for name, value in pairs(wrk.headers) do
            headers[name] = value
         end
         headers["Cookie"] = cookie
         headers["X-Forwarded-For"] = forwarded_for
         headers["Content-Type"] = "application/x-www-form-urlencoded"
         -- Flask-WTF checks that an HTTPS form post comes from our own pages.
         headers["Referer"] = "https://" .. wrk.headers["Host"] .. path
         table.insert(requests_of_thread, wrk.format("POST", path, headers, body))
      end
      line_number = line_number + 1
   end
end

function init(args)
   mode = args[1] or "get"
   if mode == "post" then
      load_requests(args[2], tonumber(args[3]))
   end
end

function request()
   if mode == "get" then
      return wrk.request()
   end
   -- Out of lines: send the last one again; its "already applied" refusal counts as wrong.
   local index = math.min(next_request, #requests_of_thread)
   next_request = next_request + 1
   used = math.min(next_request - 1, #requests_of_thread)
   return requests_of_thread[index]
end

function response(status, headers, body)
   local wrong = (mode == "get" and (status < 200 or status > 299))
      or (mode == "post" and status ~= 303)
   if wrong then
      unexpected = unexpected + 1
      wrong_statuses[status] = (wrong_statuses[status] or 0) + 1
   end
end

function done(summary, latency, requests)
   local used_by_thread = {}
   local unexpected_total = 0
   local statuses = {}
   for _, thread in ipairs(threads) do
      unexpected_total = unexpected_total + thread:get("unexpected")
      table.insert(used_by_thread, tostring(thread:get("used")))
      for status, count in pairs(thread:get("wrong_statuses")) do
         statuses[status] = (statuses[status] or 0) + count
      end
   end
   local wrong = {}
   for status, count in pairs(statuses) do
      table.insert(wrong, string.format('"%d": %d', status, count))
   end
   local errors = summary.errors
   local seconds = summary.duration / 1e6
   io.write(string.format(
      'BENCH-JSON {"requests": %d, "duration_s": %.3f, "rps": %.2f, '
         .. '"p50_ms": %.3f, "p95_ms": %.3f, "p99_ms": %.3f, "max_ms": %.3f, '
         .. '"errors": {"connect": %d, "read": %d, "write": %d, "status": %d, '
         .. '"timeout": %d, "unexpected": %d}, "wrong_statuses": {%s}, "used": [%s]}\n',
      summary.requests, seconds, summary.requests / seconds,
      latency:percentile(50) / 1000, latency:percentile(95) / 1000,
      latency:percentile(99) / 1000, latency.max / 1000,
      errors.connect, errors.read, errors.write, errors.status, errors.timeout,
      unexpected_total, table.concat(wrong, ", "), table.concat(used_by_thread, ", ")
   ))
end
