"""Bad input to /api: every malformed body, content type, id or list parameter answers a 400
envelope in Spanish (never a 500, never HTML); roles and missing tokens answer 403 and 401.

Each test loops over the endpoints (one app per test keeps the file fast); the assertion message
names the endpoint and value that failed."""

import re

import pytest

from ot_app.catalogs.registry import CATALOGOS

POSTS = ["/api/ot/crear", "/api/ot/editar", "/api/ot/eliminar", "/api/ot/restaurar", "/api/ot/paso/editar"]
BAD_IDS = ["abc", "-1", "99999999999999999999", "0", "1.5", "１２"]  # the last: full-width digits
SPANISH = re.compile(r"\b(el|la|los|las|de|del|no|es|debe|un|una|envíe|inicie|tiene)\b", re.IGNORECASE)
JSON_TYPE = {"Content-Type": "application/json"}


def assert_envelope(r, status: int, tipo=("error", "advertencia")) -> dict:
    """A JSON envelope with this status: never HTML, never werkzeug's English."""
    text = r.get_data(as_text=True)
    assert r.status_code == status, text
    assert r.mimetype == "application/json", text
    assert "<html" not in text.lower()
    body = r.get_json()
    assert set(body) <= {"exito", "tipo_aviso", "detalles", "errores"}, body
    assert body["exito"] is False
    assert body["tipo_aviso"] in tipo
    assert isinstance(body["detalles"], str) and SPANISH.search(body["detalles"]), body
    for message in (body.get("errores") or {}).values():
        assert SPANISH.search(message), body
    return body


@pytest.fixture
def admin(api_as):
    return api_as("admin")


# --------------------------------------------------------------------------- bodies


def test_malformed_json_is_a_400(admin, datos):
    for url in POSTS:
        for raw in ('{"id": 1,', "{id: 1}", "{'id': 1}", "", "null", "\x00"):
            r = admin.post(url, data=raw, headers=JSON_TYPE)
            assert assert_envelope(r, 400)["detalles"] == "El cuerpo JSON no es válido.", (url, raw)


def test_a_json_array_or_scalar_body_is_a_400(admin, datos):
    for url in POSTS:
        for raw in (f'[{{"id": {datos.otra}}}]', "[]", '"texto"', "12", "true"):
            body = assert_envelope(admin.post(url, data=raw, headers=JSON_TYPE), 400)
            assert body["detalles"] == "El cuerpo JSON debe ser un objeto con los campos de la OT.", (
                url,
                raw,
            )


def test_a_nested_value_is_a_400(admin, datos):
    for url in POSTS:
        for value in ({"a": 1}, [1, 2], [], {}):
            body = assert_envelope(admin.post(url, json={"id": value}), 400)
            assert body["detalles"] == "El campo id debe ser un valor simple, no una lista ni un objeto.", url
        body = assert_envelope(admin.post(url, json={"id": datos.otra, "comentario": {"texto": "x"}}), 400)
        assert body["detalles"] == "El campo comentario debe ser un valor simple, no una lista ni un objeto."


def test_a_wrong_content_type_with_a_body_is_a_400(admin, datos):
    for url in POSTS:
        for mimetype in (
            "text/plain",
            "application/xml",
            "application/octet-stream",
            "application/json-patch+json",
        ):
            r = admin.post(url, data=f"id={datos.otra}", headers={"Content-Type": mimetype})
            assert assert_envelope(r, 400)["detalles"].startswith("Tipo de contenido no admitido"), (
                url,
                mimetype,
            )


def test_deeply_nested_json_is_a_400_not_a_recursion_error(admin, datos):
    """Python's JSON parser raises RecursionError (not ValueError) on deep nesting: it was a 500."""
    for raw in ("[" * 100_000 + "]" * 100_000, '{"id":' * 50_000 + "1" + "}" * 50_000):
        for url in ("/api/ot/eliminar", "/api/ot/crear"):
            body = assert_envelope(admin.post(url, data=raw, headers=JSON_TYPE), 400)
            assert body["detalles"] == "El cuerpo JSON no es válido."


def test_an_integer_too_long_to_convert_is_a_400(admin, datos):
    r = admin.post("/api/ot/eliminar", data='{"id": 1' + "0" * 5000 + "}", headers=JSON_TYPE)
    assert assert_envelope(r, 400)["detalles"] == "El cuerpo JSON no es válido."


def test_a_nul_character_is_a_400_on_every_database(admin, datos):
    """PostgreSQL refuses NUL in text: without this check it was a 500 there."""
    for url in POSTS:
        for r in (
            admin.post(url, data={"id": str(datos.otra), "comentario": "a\x00b", "oficio_ot": "a\x00b"}),
            admin.post(url, json={"id": datos.otra, "comentario": "a\x00b", "oficio_ot": "a\x00b"}),
            admin.post(url, json={"id": datos.otra, "a\x00": "1"}),
        ):
            assert "caracteres no admitidos" in assert_envelope(r, 400)["detalles"], url


def test_a_lone_surrogate_in_json_is_a_400(admin, datos):
    """JSON "\\ud800" decodes to a string no database can encode: it was a 500 on both."""
    raw = '{"id": ID, "comentario": "x\\ud800", "oficio_ot": "x\\udfff"}'.replace("ID", str(datos.otra))
    for url in POSTS:
        r = admin.post(url, data=raw, headers=JSON_TYPE)
        assert "caracteres no admitidos" in assert_envelope(r, 400)["detalles"], url


def test_nul_in_a_query_parameter_is_a_400(admin, datos):
    for url in ("/api/ot/listar?q=a%00b", "/api/ot/obtener?id=1%00", "/api/pte/listar?aprobada=%00"):
        assert "caracteres no admitidos" in assert_envelope(admin.get(url), 400)["detalles"], url


def test_a_body_over_the_limit_is_a_413_envelope(admin, datos):
    big = "x" * (2 * 1024 * 1024 + 1)
    for url in POSTS:
        for kwargs in (
            {"data": {"id": "1", "comentario": big}},
            {"data": '{"id": 1, "c": "' + big + '"}', "headers": JSON_TYPE},
        ):
            body = assert_envelope(admin.post(url, **kwargs), 413)
            assert body["detalles"] == "La solicitud es demasiado grande.", url


# --------------------------------------------------------------------------- ids


@pytest.mark.parametrize("url", ["/api/ot/obtener", "/api/ot/pasos"])
def test_a_bad_id_in_the_query_is_a_400(admin, datos, url):
    for bad in BAD_IDS:
        body = assert_envelope(admin.get(url, query_string={"id": bad}), 400)
        assert body["detalles"] == "El parámetro id no es un identificador válido.", bad
    assert assert_envelope(admin.get(url), 400)["detalles"] == "ID del OT no proporcionado"
    assert assert_envelope(admin.get(url + "?id="), 400)["detalles"] == "ID del OT no proporcionado"
    body = assert_envelope(admin.get(url, query_string={"id": "2147483647"}), 404)
    assert body["detalles"] == "No existe la OT con ID 2147483647."


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/ot/eliminar", "El ID no es un identificador válido."),
        ("/api/ot/restaurar", "El ID no es un identificador válido."),
        ("/api/ot/editar", "El ID de la OT no es un identificador válido."),
        ("/api/ot/paso/editar", "El ID del paso no es un identificador válido."),
    ],
)
def test_a_bad_id_in_the_body_is_a_400(admin, datos, url, message):
    for bad in BAD_IDS:
        payload = {"id": bad, "comentario": "revisado", "estatus_paso": "2"}
        # ...and as a JSON number, as a typed client would send it.
        typed = {**payload, "id": int(bad) if bad.isascii() and bad.lstrip("-").isdigit() else bad}
        for r in (admin.post(url, data=payload), admin.post(url, json=payload), admin.post(url, json=typed)):
            body = assert_envelope(r, 400)
            assert body["detalles"] == message, bad
            assert body["errores"] == {"id": message}


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/ot/eliminar", "ID de la OT no proporcionado"),
        ("/api/ot/restaurar", "ID de la OT no proporcionado"),
        ("/api/ot/editar", "ID del OT no proporcionado"),
        ("/api/ot/paso/editar", "ID del paso no proporcionado"),
    ],
)
def test_a_missing_id_in_the_body_is_a_400(admin, datos, url, message):
    for r in (admin.post(url, data={"comentario": "x"}), admin.post(url, json={"id": None}), admin.post(url)):
        assert assert_envelope(r, 400)["detalles"] == message


def test_a_bad_id_in_a_create_field_is_a_400_naming_it(admin, datos):
    base = {
        "orden_trabajo": "OT-BAD-1",
        "id_tipo": "4",
        "descripcion_trabajo": "Prueba",
        "responsable_cliente": "Ing. X",
        "responsable_proyecto": str(datos.responsable),
        "id_pte_header": str(datos.pte),
        "id_frente": "1",
        "id_patio": str(datos.patio),
    }
    for field in ("id_pte_header", "responsable_proyecto", "id_patio", "ot_principal", "id_tipo"):
        for bad in ("abc", "-1", "99999999999999999999"):
            body = assert_envelope(admin.post("/api/ot/crear", data={**base, field: bad}), 400)
            assert body["errores"][field].endswith("no es un identificador válido."), (field, bad)


# --------------------------------------------------------------------------- list parameters

PAGE = "El parámetro page debe ser un entero entre 1 y 1,000,000."
PER_PAGE = "El parámetro per_page debe ser un entero entre 1 y 200."
ESTATUS = "El parámetro estatus debe ser -1 (por definir), 0 (eliminadas) o 1 (activas)."
LIST_ERRORS = [
    ({"page": "0"}, PAGE),
    ({"page": "-1"}, PAGE),
    ({"page": "abc"}, PAGE),
    ({"page": "99999999999999999999"}, PAGE),
    ({"per_page": "500"}, PER_PAGE),
    ({"per_page": "0"}, PER_PAGE),
    ({"estatus": "7"}, ESTATUS),
    ({"estatus": "abc"}, ESTATUS),
    ({"id_cliente": "abc"}, "El parámetro id_cliente no es un identificador válido."),
    ({"id_tipo": "-1"}, "El parámetro id_tipo no es un identificador válido."),
    ({"ot_principal": "99999999999999999999"}, "El parámetro ot_principal no es un identificador válido."),
]


def test_bad_list_parameters_are_a_400(admin, datos):
    for params, message in LIST_ERRORS:
        body = assert_envelope(admin.get("/api/ot/listar", query_string=params), 400)
        assert body["detalles"] == message, params
    for orden in ("bogus", "-bogus", "id;drop table ote", "+id", "id desc"):
        body = assert_envelope(admin.get("/api/ot/listar", query_string={"orden": orden}), 400)
        assert body["detalles"].startswith("El parámetro orden admite:"), orden


def test_pte_listar_aprobada_other_than_0_or_1_is_a_400(admin, datos):
    body = assert_envelope(admin.get("/api/pte/listar?aprobada=2"), 400)
    assert body["detalles"] == "El parámetro aprobada debe ser 1 o 0."


def test_good_list_parameters_still_answer_200(admin, datos):
    params = {"page": "1", "per_page": "200", "orden": "-folio", "estatus": "1", "q": "OT-GRZ"}
    r = admin.get("/api/ot/listar", query_string=params)
    assert r.status_code == 200
    body = r.get_json()
    assert (body["total"], body["page"], body["per_page"]) == (3, 1, 200)
    assert {row["id"] for row in body["datos"]} == {datos.inicial, datos.version, datos.otra}
    folios = [row["orden_trabajo"] for row in body["datos"]]
    assert folios == sorted(folios, reverse=True)  # -folio: descending
    assert all(row["estatus"] == 1 and "OT-GRZ" in row["orden_trabajo"] for row in body["datos"])


# --------------------------------------------------------------------------- catalogs, roles, tokens


def test_an_unknown_catalog_is_a_404_envelope(admin, datos):
    for nombre in ("bogus", "CLIENTES", "usuarios", "api_token", "clientes%00"):
        body = assert_envelope(admin.get(f"/api/catalogos/{nombre}"), 404)
        assert body["detalles"].startswith("No existe el catálogo"), nombre
    for url in ("/api/catalogos/..%2Fot%2Flistar", "/api/catalogos/"):
        assert assert_envelope(admin.get(url), 404)["detalles"] == "No se encontró lo que busca.", url


def test_a_lector_reads_every_get_endpoint(api_as, datos):
    lector = api_as("lector")
    urls = [
        f"/api/ot/obtener?id={datos.inicial}",
        "/api/ot/listar",
        f"/api/ot/pasos?id={datos.otra}",
        "/api/pte/listar",
        "/api/pte/listar?aprobada=1",
        "/api/openapi.json",
        *(f"/api/catalogos/{nombre}" for nombre in CATALOGOS),
    ]
    for url in urls:
        r = lector.get(url)
        assert r.status_code == 200, (url, r.get_json())
        body = r.get_json()
        if url == "/api/openapi.json":
            assert body["openapi"] == "3.1.0"
            continue
        assert body["exito"] is True and body["tipo_aviso"] == "exito", url
        assert isinstance(body["datos"], (list, dict)), url
        if not url.startswith("/api/catalogos/"):
            assert body["datos"], url  # the fixture's OTs, their steps, its PTE


def test_a_lector_gets_403_on_every_post(api_as, datos):
    lector = api_as("lector")
    for url in POSTS:
        for r in (lector.post(url, data={"id": str(datos.otra)}), lector.post(url, json={"id": datos.otra})):
            body = assert_envelope(r, 403)
            assert body["detalles"] == "No tiene permiso para realizar esta acción.", url


def test_an_editor_gets_403_on_restaurar_and_on_deleted_lists(api_as, datos):
    editor = api_as("editor")
    body = assert_envelope(editor.post("/api/ot/restaurar", data={"id": str(datos.otra)}), 403)
    assert body["detalles"] == "No tiene permiso para realizar esta acción."
    body = assert_envelope(editor.get("/api/ot/listar?estatus=0"), 403)
    assert body["detalles"] == "Solo un administrador puede ver las OT eliminadas."


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer "},
        {"Authorization": "Bearer no-es-un-token"},
        {"Authorization": "Basic eDp5"},
    ],
    ids=["sin-token", "vacio", "invalido", "basic"],
)
def test_without_a_valid_token_every_route_is_a_401_envelope(app, datos, headers):
    client = app.test_client()
    calls = [
        (method, rule.rule.replace("<nombre>", "clientes"))
        for rule in app.url_map.iter_rules()
        if rule.rule.startswith("/api/")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"})
    ]
    assert len(calls) >= 11
    for method, url in calls:
        r = client.open(url, method=method, headers=headers, json={"id": datos.otra})
        assert assert_envelope(r, 401)["detalles"] == "Inicie sesión para continuar.", (method, url)
        assert r.headers["WWW-Authenticate"] == 'Bearer realm="ot_app"'


def test_an_unknown_api_path_and_a_wrong_method_are_envelopes(admin, datos):
    assert assert_envelope(admin.get("/api/ot/no-existe"), 404)["detalles"] == "No se encontró lo que busca."
    assert assert_envelope(admin.get("/api/ot/crear"), 405)["detalles"] == "Método no permitido."
    assert assert_envelope(admin.post("/api/ot/obtener?id=1"), 405)["detalles"] == "Método no permitido."


# --------------------------------------------------------------------------- JSON types (issue 16, finding 6)


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("/api/ot/paso/editar", "El ID del paso no es un identificador válido."),
        ("/api/ot/eliminar", "El ID no es un identificador válido."),
        ("/api/ot/restaurar", "El ID no es un identificador válido."),
        ("/api/ot/editar", "El ID de la OT no es un identificador válido."),
    ],
)
def test_a_json_boolean_is_not_an_id(app, admin, datos, url, message):
    """`{"id": true}` updated step 1: a boolean is not the id 1."""
    from ot_app.extensions import db
    from ot_app.models import OTDetalle

    for value in (True, False):
        payload = {"id": value, "estatus_paso": "2", "comentario": "no debe guardarse"}
        body = assert_envelope(admin.post(url, json=payload), 400)
        assert body["errores"] == {"id": message}, (url, value)
    with app.app_context():
        assert not db.session.scalar(
            db.select(db.func.count()).where(OTDetalle.comentario == "no debe guardarse")
        )


def test_a_json_boolean_is_not_an_id_in_any_id_field(admin, datos):
    base = {
        "orden_trabajo": "OT-BOOL-1",
        "id_tipo": "4",
        "descripcion_trabajo": "Prueba",
        "responsable_cliente": "Ing. X",
        "responsable_proyecto": datos.responsable,
        "id_pte_header": datos.pte,
        "id_frente": 1,
        "id_patio": datos.patio,
    }
    assert admin.post("/api/ot/crear", json=base).status_code == 200  # numbers are fine for ids
    for field in ("id_tipo", "id_frente", "responsable_proyecto", "id_pte_header", "id_patio"):
        body = assert_envelope(
            admin.post("/api/ot/crear", json={**base, "orden_trabajo": "OT-BOOL-2", field: True}), 400
        )
        assert field in body["errores"], field


@pytest.mark.parametrize("raw", ("1e309", "12", "-0.5", "true", "false"))
def test_a_json_number_or_boolean_for_a_text_field_is_refused(app, admin, datos, raw):
    """`1e309` for a text field became the text "inf": text fields take JSON strings only."""
    from ot_app.extensions import db
    from ot_app.models import OTE, OTDetalle

    for field in (
        "descripcion_trabajo",
        "oficio_ot",
        "responsable_cliente",
        "comentario_general",
        "orden_trabajo",
    ):
        body = (
            '{"orden_trabajo": "OT-TXT-1", "id_tipo": "4", "descripcion_trabajo": "Prueba", '
            f'"responsable_cliente": "Ing. X", "responsable_proyecto": {datos.responsable}, '
            f'"id_pte_header": {datos.pte}, "id_frente": 1, '
            f'"id_patio": {datos.patio}, "{field}": {raw}}}'
        )
        refused = assert_envelope(admin.post("/api/ot/crear", data=body, headers=JSON_TYPE), 400)
        assert "debe ser un texto" in refused["errores"][field], (field, refused)
    step = f'{{"id": {datos.paso}, "comentario": {raw}}}'
    refused = assert_envelope(admin.post("/api/ot/paso/editar", data=step, headers=JSON_TYPE), 400)
    assert "debe ser un texto" in refused["errores"]["comentario"]
    with app.app_context():
        assert not db.session.scalar(db.select(db.func.count()).where(OTE.orden_trabajo == "OT-TXT-1"))
        assert not db.session.scalar(db.select(db.func.count()).where(OTDetalle.comentario == "inf"))


def test_json_booleans_still_work_for_checkboxes(admin, datos):
    body = {
        "orden_trabajo": "OT-CHK-1",
        "id_tipo": "4",
        "descripcion_trabajo": "Prueba",
        "responsable_cliente": "Ing. X",
        "responsable_proyecto": datos.responsable,
        "id_pte_header": datos.pte,
        "id_frente": 1,
        "id_patio": datos.patio,
        "por_definir": True,
    }
    r = admin.post("/api/ot/crear", json=body)
    assert r.status_code == 200, r.get_json()
