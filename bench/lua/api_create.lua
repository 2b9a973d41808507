-- POST /api/ot/crear with a bearer token: a new initial OT (with its steps) per request, each with
-- a unique folio OT-BENCH-<nonce>-<thread>-<counter>.
--   wrk -s bench/lua/api_create.lua http://HOST/api/ot/crear -- TOKEN NONCE PTE_ID PATIO_ID RESPONSABLE_ID
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

local counter = 0
local headers = {}
local nonce, pte, patio, responsable

function init(args)
  headers["Authorization"] = "Bearer " .. args[1]
  headers["Content-Type"] = "application/json"
  nonce, pte, patio, responsable = args[2], args[3], args[4], args[5]
end

function request()
  counter = counter + 1
  local body = string.format(
    '{"orden_trabajo": "OT-BENCH-%s-%d-%d", "id_tipo": 4, "id_pte_header": %s, ' ..
    '"oficio_ot": "PEP-SAP-BENCH-%d", ' ..
    '"descripcion_trabajo": "Mantenimiento preventivo de bombas de inyección en Patio Dos Bocas (alta del banco de pruebas)", ' ..
    '"responsable_proyecto": %s, "responsable_cliente": "Ing. Banco de Pruebas", ' ..
    '"id_frente": 1, "id_patio": %s, "fecha_inicio_programado": "2026-12-01", ' ..
    '"fecha_termino_programado": "2027-01-30", "plazo_dias": 60, "monto_mxn": "1250000.00", "monto_usd": "0"}',
    nonce, tid or 0, counter, pte, counter, responsable, patio)
  return wrk.format("POST", nil, headers, body)
end
