-- One fixed request per call. Arguments: METHOD BODY [HEADER=VALUE ...]; an empty BODY sends none.
-- With PACE_MS set in the environment, each connection waits that long between requests (for "half load" runs).
local pace = tonumber(os.getenv("PACE_MS") or "0")

function init(args)
  wrk.method = args[1]
  if args[2] ~= nil and args[2] ~= "" then wrk.body = args[2] end
  for i = 3, #args do
    local name, value = string.match(args[i], "^([^=]+)=(.*)$")
    wrk.headers[name] = value
  end
end

-- Only when pacing: once a script defines delay(), wrk sends every request through a timer (a Lua call,
-- two more epoll_ctl calls and a turn of its event loop), which at full load takes CPU from the server.
if pace > 0 then
  function delay() return pace end
end
