-- GET the URL with the headers given after `--` ("Cookie: ...", "Authorization: Bearer ...").
--   wrk -s bench/lua/get.lua URL -- "Authorization: Bearer TOKEN"
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

function init(args)
  for name, value in pairs(headers_from(args)) do
    wrk.headers[name] = value
  end
end
