-- POST /api/ot/paso/editar with a bearer token, cycling over step ids read from a file and over
-- the statuses 1-3, with a comment unique to the request, so that every request really changes a
-- step (one UPDATE and one history row), never "Sin cambios".
--   wrk -s bench/lua/api_step.lua http://HOST/api/ot/paso/editar -- TOKEN STEP_IDS_FILE NONCE
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

local ids = {}
local counter = 0
local headers = {}
local nonce = ""

function init(args)
  headers["Authorization"] = "Bearer " .. args[1]
  headers["Content-Type"] = "application/json"
  for line in io.lines(args[2]) do
    if line:match("%d") then ids[#ids + 1] = tonumber(line) end
  end
  nonce = args[3] or ""
  counter = (tid or 0) * 7919
end

function request()
  local n = #ids
  local i = counter % n
  local pass = math.floor(counter / n)
  counter = counter + 1
  local status = 1 + (i + pass + (tid or 0)) % 3
  local body = string.format('{"id": %d, "estatus_paso": %d, "comentario": "Revisión %s-%d-%d"}',
    ids[i + 1], status, nonce, tid or 0, counter)
  return wrk.format("POST", nil, headers, body)
end
