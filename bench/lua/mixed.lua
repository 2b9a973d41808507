-- The mixed workload (issue 20): 90 % reads of the pages people live in (list, search, deep page,
-- edit page, detail; logged-in session), 10 % writes through the API (4 % step changes, 4 % OT
-- edits, 2 % creates; bearer token). Every write carries a marker unique to it, so bench/mixed.py
-- can check afterwards that each write answered 200 is in the database (no lost write).
--   wrk -s bench/lua/mixed.lua URL -- COOKIE TOKEN NONCE STEPS_FILE OTS_FILE PTE PATIO RESP READ_PATH...
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

local counter = 0
local reads, steps, ots = {}, {}, {}
local session, api = {}, {}
local nonce, pte, patio, responsable
ok_step, ok_edit, ok_create, refused, e5xx = 0, 0, 0, 0, 0

local function lines(path, into)
  for line in io.lines(path) do
    if line:match("%d") then into[#into + 1] = tonumber(line) end
  end
end

function init(args)
  session["Cookie"] = args[1]
  api["Authorization"] = "Bearer " .. args[2]
  api["Content-Type"] = "application/json"
  nonce = args[3]
  lines(args[4], steps)
  lines(args[5], ots)
  pte, patio, responsable = args[6], args[7], args[8]
  for i = 9, #args do reads[#reads + 1] = args[i] end
  counter = (tid or 0) * 7919
end

function request()
  counter = counter + 1
  local k = (counter * 7) % 100  -- a permutation of 0-99: the writes spread over the run
  local marker = string.format("MIX-%s-%d-%d", nonce, tid or 0, counter)
  if k < 90 then
    return wrk.format("GET", reads[counter % #reads + 1], session)
  elseif k < 94 then
    local body = string.format('{"id": %d, "comentario": "%s"}', steps[counter % #steps + 1], marker)
    return wrk.format("POST", "/api/ot/paso/editar", api, body)
  elseif k < 98 then
    local body = string.format('{"id": %d, "comentario_general": "%s"}', ots[counter % #ots + 1], marker)
    return wrk.format("POST", "/api/ot/editar", api, body)
  end
  local body = string.format(
    '{"orden_trabajo": "OT-%s", "id_tipo": 4, "id_pte_header": %s, "oficio_ot": "PEP-%s", ' ..
    '"descripcion_trabajo": "Mantenimiento preventivo de bombas de inyección (carga mixta)", ' ..
    '"responsable_proyecto": %s, "responsable_cliente": "Ing. Banco de Pruebas", ' ..
    '"id_frente": 1, "id_patio": %s, "fecha_inicio_programado": "2026-12-01", ' ..
    '"fecha_termino_programado": "2027-01-30", "plazo_dias": 60, "monto_mxn": "1250000.00", "monto_usd": "0"}',
    marker, pte, marker, responsable, patio)
  return wrk.format("POST", "/api/ot/crear", api, body)
end

function response(status, headers, body)
  if status >= 500 then e5xx = e5xx + 1 return end
  if status ~= 200 then
    if body:find('"exito":false', 1, true) then refused = refused + 1 end
    return
  end
  if body:find('"detalles":"Paso actualizado', 1, true) then ok_step = ok_step + 1
  elseif body:find('"detalles":"OT actualizada', 1, true) then ok_edit = ok_edit + 1
  elseif body:find('"detalles":"OT creada', 1, true) then ok_create = ok_create + 1 end
end

local all = {}
local base_setup = setup
function setup(thread)
  base_setup(thread)
  all[#all + 1] = thread
end

local base_done = done
function done(summary, latency, requests)
  base_done(summary, latency, requests)
  local t = {ok_step = 0, ok_edit = 0, ok_create = 0, refused = 0, e5xx = 0}
  for _, thread in ipairs(all) do
    for name, _ in pairs(t) do t[name] = t[name] + (thread:get(name) or 0) end
  end
  io.write(string.format('MIXJSON {"ok_step": %d, "ok_edit": %d, "ok_create": %d, "refused": %d, "e5xx": %d}\n',
    t.ok_step, t.ok_edit, t.ok_create, t.refused, t.e5xx))
end
