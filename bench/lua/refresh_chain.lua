-- Refresh rotation: each request presents a refresh token that the previous answers gave, once. The
-- chains (one refresh token per line of TOKENS_FILE, a family each) are dealt out to wrk's THREADS
-- threads, as many to a thread as it has connections: a thread keeps its chains' current tokens in a
-- pool, takes one for each request and puts back the token that request's answer rotated it to. Every
-- family is still rotated one request at a time, as its client would, but wrk needs only a few threads
-- for many chains (a thread per chain put 64 load-generator threads on the two cores).
-- TOKENS_FILE holds one line more than the connections: before it connects, wrk calls the first thread's
-- request() once to check the script, and the token that call takes is never sent (seen with Debian's
-- wrk 4.1.0: 33 calls before the first answer on a thread of 32 connections); with the spare, every
-- connection of that thread still has a chain.
-- Arguments: TOKENS_FILE AUTH_HEADER THREADS (wrk's -t). Prints "chain_failures N": answers without a
-- new refresh token, and requests that found no token left in their thread's pool.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("index", #threads)
end

function init(args)
  local total = tonumber(args[3] or "1")
  pool = {}
  local i = 0
  for line in io.lines(args[1]) do
    i = i + 1
    if line ~= "" and (i - 1) % total == index - 1 then table.insert(pool, line) end
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Authorization"] = args[2]
  failures = 0
end

function request()
  local token = table.remove(pool)
  if token == nil then
    -- Only after an answer that gave no new token, or a lost one: say so, and let the server refuse it.
    failures = failures + 1
    token = "none"
  end
  return wrk.format(nil, nil, nil, "grant_type=refresh_token&refresh_token=" .. token)
end

function response(status, headers, body)
  local next = string.match(body, '"refresh_token"%s*:%s*"([^"]+)"')
  if status == 200 and next ~= nil then
    table.insert(pool, next)
  else
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + (t:get("failures") or 0) end
  io.write(string.format("chain_failures %d\n", total))
end
