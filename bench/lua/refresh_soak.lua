-- Refresh rotation for soaks: each request presents the refresh token of an earlier answer, once, as
-- refresh_chain.lua does. When a chain ends as a user's would (invalid_grant: its family reached its
-- lifetime), it starts again with a password login: the store keeps getting new families as well as
-- rotations. Like refresh_chain.lua, the chains are dealt out to wrk's THREADS threads (a thread per chain
-- put 16 load-generator threads on the two cores in the soak, 64 in the storage run):
-- a thread keeps its chains in a pool, takes one for each request and puts back what the answer gave.
-- A pool entry is a refresh token, or "" for a chain that must log in. A thread whose pool is empty (wrk
-- calls the first thread's request() once before it connects, to check the script, and that entry is never
-- sent) logs in: a new chain in place of the one that went nowhere.
-- At the end each thread writes its pool back to TOKENS_FILE, so the next run goes on with those chains. A
-- chain whose request was in flight is dropped (its token may have rotated already: presenting it again would
-- be reuse) and a "" line puts a login in its place.
-- Arguments: TOKENS_FILE AUTH_HEADER USERNAME PASSWORD THREADS (wrk's -t).
-- Prints "chain_counts ROTATIONS RELOGINS ERRORS".
local threads = {}
local pace = tonumber(os.getenv("PACE_MS") or "0")

function setup(thread)
  table.insert(threads, thread)
  thread:set("index", #threads)
end

function init(args)
  tokens_file = args[1]
  local total = tonumber(args[5] or "1")
  pool = {}
  local i = 0
  for line in io.lines(args[1]) do
    i = i + 1
    if (i - 1) % total == index - 1 then table.insert(pool, line) end
  end
  chains = #pool
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
  wrk.headers["Authorization"] = args[2]
  login = "grant_type=password&username=" .. args[3] .. "&password=" .. args[4]
  -- A login's answer looks like a rotation's, so answers are counted together and the logins sent are
  -- taken off at the end.
  answered, logins_out, errors = 0, 0, 0
end

-- Only when pacing (see request.lua: a defined delay() costs wrk a timer per request).
if pace > 0 then
  function delay() return pace end
end

function request()
  local token = table.remove(pool)
  if token == nil or token == "" then
    logins_out = logins_out + 1
    return wrk.format(nil, nil, nil, login)
  end
  return wrk.format(nil, nil, nil, "grant_type=refresh_token&refresh_token=" .. token)
end

function response(status, headers, body)
  local next = string.match(body, '"refresh_token"%s*:%s*"([^"]+)"')
  if status == 200 and next ~= nil then
    table.insert(pool, next)
    answered = answered + 1
  elseif status == 400 and string.find(body, "invalid_grant", 1, true) then
    table.insert(pool, "")  -- the family's lifetime is over: log in again
  else
    errors = errors + 1
    table.insert(pool, "")  -- the chain is lost: a new one starts, so every connection keeps one
  end
end

function done(summary, latency, requests)
  local r, l, e = 0, 0, 0
  local out = io.open(threads[1]:get("tokens_file"), "w")
  for _, t in ipairs(threads) do
    -- Logins still in flight at the end count as relogins but not as answers: at most a thread's
    -- connections, against thousands of rotations.
    local logins = t:get("logins_out") or 0
    r = r + (t:get("answered") or 0) - logins; l = l + logins; e = e + (t:get("errors") or 0)
    local pool = t:get("pool") or {}
    for _, token in ipairs(pool) do out:write(token .. "\n") end
    -- The chains in flight are dropped; as many logins take their places, so the next run has as many chains.
    for _ = #pool + 1, (t:get("chains") or 0) do out:write("\n") end
  end
  out:close()
  io.write(string.format("chain_counts %d %d %d\n", math.max(r, 0), l, e))
end
