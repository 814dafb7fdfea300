-- Refresh rotation: every thread owns one connection and one chain, and each request presents
-- the refresh token of the previous response. Arguments: TOKENS_FILE AUTH_HEADER.
local counter = 0
local threads = {}

function setup(thread)
  counter = counter + 1
  thread:set("chain", counter)
  table.insert(threads, thread)
end

function init(args)
  local i = 0
  for line in io.lines(args[1]) do
    i = i + 1
    if i == chain then token = line end
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Authorization"] = args[2]
  failures = 0
end

function request()
  return wrk.format(nil, nil, nil, "grant_type=refresh_token&refresh_token=" .. token)
end

function response(status, headers, body)
  local next = string.match(body, '"refresh_token"%s*:%s*"([^"]+)"')
  if status == 200 and next ~= nil then
    token = next
  else
    failures = failures + 1
  end
end

function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + (t:get("failures") or 0) end
  io.write(string.format("chain_failures %d\n", total))
end
