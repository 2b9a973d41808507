"""GET /api/openapi.json: every /api route is documented, with the forms' field names, and the
document is valid OpenAPI 3.1 (as schemathesis loads it) with valid JSON Schemas inside."""

import re

import jsonschema_rs
import schemathesis

from ot_app.api.openapi import DOCUMENT
from ot_app.forms import Required
from ot_app.orders.forms import OTForm, StepForm
from ot_app.orders.serialize import OTDatos


def _get(client, headers=None):
    return client.get("/api/openapi.json", headers=headers or {})


def test_document_requires_login(client):
    r = _get(client)
    assert r.status_code == 401
    assert r.get_json() == {
        "exito": False,
        "tipo_aviso": "error",
        "detalles": "Inicie sesión para continuar.",
    }


def test_document_is_served_as_json_to_a_token(app, api_as):
    r = api_as("lector").get("/api/openapi.json")
    assert r.status_code == 200
    assert r.mimetype == "application/json"
    body = r.get_json()
    assert body["openapi"] == "3.1.0"
    assert body == DOCUMENT


def test_document_is_served_to_a_browser_session(lector_client):
    r = lector_client.get("/api/openapi.json")
    assert r.status_code == 200
    assert r.mimetype == "application/json"
    assert r.get_json() == DOCUMENT


def test_every_api_route_is_documented_with_its_methods(app):
    routes: dict[str, set[str]] = {}
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/") or rule.rule == "/api/openapi.json":
            continue
        path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)  # <nombre> → {nombre}
        routes.setdefault(path, set()).update(m.lower() for m in rule.methods - {"HEAD", "OPTIONS"})
    assert len(routes) >= 10
    documented = {path: set(item) for path, item in DOCUMENT["paths"].items()}
    for path, methods in routes.items():
        assert path in documented, f"{path} no está en el documento"
        assert documented[path] == methods, path
    assert set(documented) == set(routes), "el documento describe rutas que no existen"


def test_document_is_valid_openapi_31():
    schema = schemathesis.openapi.from_dict(DOCUMENT)
    schema.validate()  # raises on an invalid document
    operations = [result.ok().label for result in schema.get_all_operations()]
    assert len(operations) == sum(len(item) for item in DOCUMENT["paths"].values())


def _schemas(node):
    """Every JSON Schema inside the document (components, parameters, bodies, responses)."""
    if isinstance(node, dict):
        if "schema" in node and isinstance(node["schema"], dict):
            yield node["schema"]
        for value in node.values():
            yield from _schemas(value)
    elif isinstance(node, list):
        for value in node:
            yield from _schemas(value)


def test_every_embedded_schema_is_valid_json_schema_2020_12():
    schemas = list(DOCUMENT["components"]["schemas"].values()) + list(_schemas(DOCUMENT["paths"]))
    assert len(schemas) > 40
    for schema in schemas:
        jsonschema_rs.meta.validate({"$schema": "https://json-schema.org/draft/2020-12/schema", **schema})


def _form_fields(form_class) -> dict:
    """{name: unbound field} of a form class (WTForms keeps them as class attributes)."""
    return {
        name: value
        for klass in form_class.__mro__
        for name, value in vars(klass).items()
        if hasattr(value, "field_class")
    }


def _required(form_class) -> set[str]:
    return {
        name
        for name, field in _form_fields(form_class).items()
        if any(isinstance(v, Required) for v in field.kwargs.get("validators") or [])
    }


def _body_props(path, media):
    return DOCUMENT["paths"][path]["post"]["requestBody"]["content"][media]["schema"]["properties"]


def test_bodies_use_exactly_the_form_field_names():
    ot_fields = set(_form_fields(OTForm))
    assert "orden_trabajo" in ot_fields and "check_fase_patio" in ot_fields
    for media in ("application/x-www-form-urlencoded", "application/json"):
        assert set(_body_props("/api/ot/editar", media)) == ot_fields
        assert set(_body_props("/api/ot/crear", media)) == ot_fields - {"id", "version"}
        assert set(_body_props("/api/ot/paso/editar", media)) == set(_form_fields(StepForm))
        assert set(_body_props("/api/ot/eliminar", media)) == {"id"}
        assert set(_body_props("/api/ot/restaurar", media)) == {"id"}
    for path, form_class in (("/api/ot/crear", OTForm), ("/api/ot/paso/editar", StepForm)):
        for media, body in DOCUMENT["paths"][path]["post"]["requestBody"]["content"].items():
            assert set(body["schema"]["required"]) == _required(form_class), (path, media)
    assert {"orden_trabajo", "id_tipo", "descripcion_trabajo", "responsable_cliente"} <= _required(OTForm)
    # Editing is partial: absent fields keep their value, so only the id is required.
    for body in DOCUMENT["paths"]["/api/ot/editar"]["post"]["requestBody"]["content"].values():
        assert body["schema"]["required"] == ["id"]


def test_obtener_datos_lists_exactly_the_keys_ot_datos_sends(app, datos):
    from ot_app.extensions import db
    from ot_app.models import OTE

    with app.app_context():
        keys = set(OTDatos.from_model(db.session.get(OTE, datos.inicial)).to_json())
    schema = DOCUMENT["components"]["schemas"]["OTDatos"]
    assert set(schema["properties"]) == keys
    assert set(schema["required"]) == keys
    assert schema["additionalProperties"] is False


def test_every_operation_documents_its_error_envelopes():
    for path, item in DOCUMENT["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            assert {"200", "401"} <= codes, (method, path)
            if method == "post":
                assert {"400", "403", "409", "413"} <= codes, path
    assert DOCUMENT["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": DOCUMENT["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    assert DOCUMENT["security"] == [{"bearerAuth": []}]


def _media_examples():
    for path, item in DOCUMENT["paths"].items():
        for operation in item.values():
            for media, body in operation.get("requestBody", {}).get("content", {}).items():
                values = [e["value"] for e in body.get("examples", {}).values()]
                values += [body["example"]] if "example" in body else []
                for value in values:
                    yield path, media, body["schema"], value


def test_request_examples_fit_their_schemas():
    examples = list(_media_examples())
    assert len(examples) >= 10
    for path, media, schema, value in examples:
        errors = [e.message for e in jsonschema_rs.validator_for(schema).iter_errors(value)]
        assert not errors, (path, media, errors)


def test_the_create_example_creates_an_ot(api_as, datos):
    body = DOCUMENT["paths"]["/api/ot/crear"]["post"]["requestBody"]["content"]["application/json"]
    example = body["examples"]["ot_inicial_en_tierra"]["value"]
    editor = api_as("editor")
    r = editor.post("/api/ot/crear", data=example)
    assert r.status_code == 200, r.get_json()
    nueva = r.get_json()["id_nuevo"]
    assert nueva > datos.otra
    stored = editor.get(f"/api/ot/obtener?id={nueva}").get_json()["datos"]
    assert stored["orden_trabajo"] == example["orden_trabajo"]
    assert stored["oficio_ot"] == example["oficio_ot"]
    assert stored["id_tipo_id"] == int(example["id_tipo"])
    assert stored["monto_mxn"] == "1234567.50"
    assert stored["fecha_inicio_programado"] == example["fecha_inicio_programado"]
    assert editor.get(f"/api/ot/pasos?id={nueva}").get_json()["datos"], "created with its steps"
