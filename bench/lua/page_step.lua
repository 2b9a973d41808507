-- The step page's htmx POST /ot/paso/<id> from a logged-in browser: session cookie, X-CSRFToken
-- header, HX-Request; statuses cycle 1-3 over step ids read from a file, with a comment unique to
-- the request so that every request changes the step.
--   wrk -s bench/lua/page_step.lua http://HOST/ -- STEP_IDS_FILE NONCE "Cookie: session=..." "X-CSRFToken: ..."
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

local ids = {}
local counter = 0
local headers = {}
local nonce = ""

function init(args)
  for line in io.lines(args[1]) do
    if line:match("%d") then ids[#ids + 1] = tonumber(line) end
  end
  nonce = args[2]
  headers = headers_from(args, 3)
  headers["HX-Request"] = "true"
  headers["Content-Type"] = "application/x-www-form-urlencoded"
  counter = (tid or 0) * 7919 + 500
end

function request()
  local n = #ids
  local i = counter % n
  local pass = math.floor(counter / n)
  counter = counter + 1
  local status = 1 + (i + pass + (tid or 0)) % 3
  local body = string.format("estatus_paso=%d&comentario=Revisi%%C3%%B3n+%s-%d-%d", status, nonce, tid or 0, counter)
  return wrk.format("POST", "/ot/paso/" .. ids[i + 1], headers, body)
end
