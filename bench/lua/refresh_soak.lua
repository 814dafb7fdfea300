-- Refresh rotation for soaks: every thread owns one connection and one chain, each request presents the
-- refresh token of the previous response, as refresh_chain.lua does. When a chain ends as a user's would
-- (invalid_grant: its family reached its lifetime), the next request logs in again with a password and
-- a new chain starts: the store keeps getting new families as well as rotations.
-- At the end it writes each chain's current token back to TOKENS_FILE, so back-to-back runs continue the chains.
-- Arguments: TOKENS_FILE AUTH_HEADER USERNAME PASSWORD. Prints "chain_counts ROTATIONS RELOGINS ERRORS".
local counter = 0
local threads = {}
local pace = tonumber(os.getenv("PACE_MS") or "0")

function setup(thread)
  counter = counter + 1
  thread:set("chain", counter)
  table.insert(threads, thread)
end

function init(args)
  tokens_file = args[1]
  local i = 0
  for line in io.lines(args[1]) do
    i = i + 1
    if i == chain then token = line end
  end
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Authorization"] = args[2]
  login = "grant_type=password&username=" .. args[3] .. "&password=" .. args[4]
  relogin = (token == nil or token == "")
  rotations, relogins, errors = 0, 0, 0
end

-- Only when pacing (see request.lua: a defined delay() costs wrk a timer per request).
if pace > 0 then
  function delay() return pace end
end

function request()
  if relogin then return wrk.format(nil, nil, nil, login) end
  return wrk.format(nil, nil, nil, "grant_type=refresh_token&refresh_token=" .. token)
end

function response(status, headers, body)
  local next = string.match(body, '"refresh_token"%s*:%s*"([^"]+)"')
  if status == 200 and next ~= nil then
    if relogin then relogins = relogins + 1 else rotations = rotations + 1 end
    token = next
    relogin = false
  elseif status == 400 and not relogin and string.find(body, "invalid_grant", 1, true) then
    relogin = true          -- the family's lifetime is over: log in again
  else
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local r, l, e = 0, 0, 0
  local out = io.open(threads[1]:get("tokens_file"), "w")
  for _, t in ipairs(threads) do
    r = r + (t:get("rotations") or 0); l = l + (t:get("relogins") or 0); e = e + (t:get("errors") or 0)
    out:write((t:get("relogin") and "" or (t:get("token") or "")) .. "\n")
  end
  out:close()
  io.write(string.format("chain_counts %d %d %d\n", r, l, e))
end
