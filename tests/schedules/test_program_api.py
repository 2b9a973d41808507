"""/api/ot/programa (issue 19): read, revisions, compare, save through save_program; roles, the
expected revision, every error at once keyed by row, answers matching their OpenAPI shapes."""

import jsonschema_rs
import pytest

from ot_app.api.openapi import build_document
from ot_app.extensions import db
from ot_app.models import ProgramaRevision

ROWS = [
    {"nivel": 1, "nombre": "Ingeniería", "wbs": "1"},
    {
        "nivel": 2,
        "nombre": "Levantamiento",
        "wbs": "1.1",
        "inicio": "2026-02-02",
        "fin": "2026-02-10",
        "monto_mxn": "100000.00",
    },
    {
        "nivel": 2,
        "nombre": "Detalle",
        "wbs": "1.2",
        "inicio": "2026-02-11",
        "fin": "2026-02-25",
        "monto_mxn": "300000.00",
        "monto_usd": "500.00",
    },
    {"nivel": 1, "nombre": "Patio", "wbs": "2", "es_patio": True},
    {
        "nivel": 2,
        "nombre": "Prefabricado",
        "wbs": "2.1",
        "inicio": "2026-02-28",
        "fin": "2026-03-10",
        "monto_mxn": "600000.00",
        "peso_mxn": "50",
    },
]
LIGAS = [
    {"predecesora": 1, "sucesora": 2, "retraso_dias": 0},
    {"predecesora": 2, "sucesora": 4, "retraso_dias": 2},
]


@pytest.fixture(scope="module")
def document():
    from ot_app import create_app
    from ot_app.config import TestConfig

    app = create_app(TestConfig)
    with app.app_context():
        return build_document()


def check(document, answer_name, body):
    schema = {"$ref": f"#/components/schemas/{answer_name}", "components": document["components"]}
    errors = [e.message for e in jsonschema_rs.validator_for(schema).iter_errors(body)]
    assert not errors, errors


def save(api, ot, revision=0, actividades=ROWS, ligas=LIGAS, **kw):
    return api.post(
        "/api/ot/programa",
        json={"id": ot, "revision": revision, "actividades": actividades, "ligas": ligas, **kw},
    )


def test_save_and_read_back_with_weights_links_and_totals(api, api_lector, ot, document):
    r = save(api, ot)
    assert r.status_code == 200, r.get_json()
    body = r.get_json()
    assert body["datos"] == {"id": ot, "revision": 1, "advertencias": []}
    check(document, "ProgramaGuardadoRespuesta", body)
    r = api_lector.get(f"/api/ot/programa?id={ot}")
    body = r.get_json()
    check(document, "ProgramaRespuesta", body)
    datos = body["datos"]
    assert (datos["revision"], datos["congelado"], datos["sin_importes"]) == (1, False, [])
    assert datos["totales"] == {"mxn": "1000000.00", "usd": "500.00"}
    got = [
        (
            a["nombre"],
            a["monto_mxn"],
            a["peso_mxn"],
            a["peso_usd"],
            a["peso_editado_mxn"],
            a["peso_editado_usd"],
        )
        for a in datos["actividades"]
    ]
    assert got == [
        ("Ingeniería", "400000.00", "50.00", "100.00", False, False),  # a phase sums its activities
        ("Levantamiento", "100000.00", "12.50", "0.00", False, False),
        ("Detalle", "300000.00", "37.50", "100.00", False, False),
        ("Patio", "600000.00", "50.00", "0.00", False, False),
        ("Prefabricado", "600000.00", "50.00", "0.00", True, False),  # MXN typed, USD the default
    ]
    assert datos["ligas"] == LIGAS
    assert datos["actividades"][3]["es_patio"] is True
    # A GET → POST round trip is a valid save (the rows' ids keep their hidden data).
    again = save(api, ot, revision=1, actividades=datos["actividades"], ligas=datos["ligas"])
    assert again.status_code == 200, again.get_json()
    # peso_editado_* false sends the weights back as defaults: they still follow the amounts.
    assert [
        (a["peso_editado_mxn"], a["peso_editado_usd"])
        for a in api_lector.get(f"/api/ot/programa?id={ot}").get_json()["datos"]["actividades"]
    ] == [(False, False)] * 4 + [(True, False)]
    revs = api_lector.get(f"/api/ot/programa/revisiones?id={ot}").get_json()
    check(document, "RevisionesProgramaRespuesta", revs)
    assert [x["n"] for x in revs["datos"]] == [2, 1]
    old = api_lector.get(f"/api/ot/programa?id={ot}&revision=1").get_json()["datos"]
    assert old["revision"] == 1


def test_compare_two_revisions(api, api_lector, ot, document):
    save(api, ot)
    changed = [dict(r) for r in ROWS]
    changed[2] = {**changed[2], "fin": "2026-02-27", "monto_mxn": "350000.00"}
    del changed[1]
    changed.append(
        {
            "nivel": 2,
            "nombre": "Carga",
            "wbs": "2.2",
            "inicio": "2026-03-11",
            "fin": "2026-03-15",
            "monto_mxn": "50000.00",
        }
    )
    assert save(api, ot, revision=1, actividades=changed, ligas=[]).status_code == 200
    body = api_lector.get(f"/api/ot/programa/comparar?id={ot}&a=1&b=2").get_json()
    check(document, "ComparacionProgramaRespuesta", body)
    datos = body["datos"]
    assert (datos["a"], datos["b"]) == (1, 2)
    assert [a["nombre"] for a in datos["agregadas"]] == ["Carga"]
    assert [a["nombre"] for a in datos["eliminadas"]] == ["Levantamiento"]
    by_key = {c["clave"]: c["cambios"] for c in datos["cambiadas"]}
    assert by_key["1.2"]["fin"] == {"de": "2026-02-25", "a": "2026-02-27"}
    assert by_key["1.2"]["monto_mxn"] == {"de": "300000.00", "a": "350000.00"}
    assert "peso_mxn" in by_key["1.2"]
    # By default: the one before the latest against the latest.
    assert api_lector.get(f"/api/ot/programa/comparar?id={ot}").get_json()["datos"] == datos


def test_every_error_at_once_keyed_by_row_and_nothing_saved(api, ot, ctx):
    rows = [
        {"nivel": 1, "nombre": "Obra"},
        {"nombre": "", "inicio": "2026-02-30", "fin": "2026-02-10", "monto_mxn": "12.345"},
        {"nombre": "B", "inicio": "2026-02-10", "fin": "2026-02-01", "monto_usd": "-1", "peso_usd": "120"},
    ]
    r = save(api, ot, actividades=rows, ligas=[{"predecesora": 2, "sucesora": 7}])
    assert r.status_code == 400
    errores = r.get_json()["errores"]
    assert errores == {
        "actividades.1.inicio": "Inicio: no es una fecha válida (use AAAA-MM-DD).",
        "actividades.1.monto_mxn": "Importe MXN: admite como máximo 2 decimales.",
        "actividades.1.nombre": "El nombre es obligatorio.",
        "actividades.2.monto_usd": "Importe USD: no puede ser negativo.",
        "actividades.2.peso_usd": "Peso USD %: va de 0 a 100.",
        "actividades.2.fin": "La fecha de término no puede ser anterior a la de inicio.",
        "ligas.0": "Liga 1: apunta a una fila que no está en el programa.",
    }
    assert db.session.scalar(db.select(db.func.count()).select_from(ProgramaRevision)) == 0


def test_a_stale_revision_is_a_409_and_a_lector_may_not_save(api, api_lector, ot):
    assert save(api, ot).status_code == 200
    r = save(api, ot, revision=0)
    assert r.status_code == 409
    assert "revisión 1" in r.get_json()["detalles"]
    assert save(api_lector, ot, revision=1).status_code == 403


def test_bad_bodies_are_400s_in_spanish(api, ot):
    assert api.post("/api/ot/programa", data={"id": ot}).status_code == 400
    for body in (
        [],
        {"id": True, "actividades": []},
        {"id": ot, "actividades": "x"},
        {"id": ot, "actividades": [1, None]},
    ):
        r = api.post("/api/ot/programa", json=body)
        assert r.status_code == 400, (body, r.get_json())
        assert r.get_json()["exito"] is False
    assert api.post("/api/ot/programa", json={"id": 999999, "actividades": ROWS}).status_code == 404
    r = api.get("/api/ot/programa?id=999999")
    assert r.status_code == 404
    assert api.get(f"/api/ot/programa?id={ot}&revision=5").status_code == 404


def test_a_version_without_program_and_a_frozen_one(api, ot):
    datos = api.get(f"/api/ot/programa?id={ot}").get_json()["datos"]
    assert (datos["revision"], datos["actividades"], datos["ligas"]) == (None, [], [])
    assert save(api, ot).status_code == 200
    r = api.post("/api/ot/reprogramar", data={"id": ot, "motivo": "Ampliación"})
    assert r.status_code == 200, r.get_json()
    assert api.get(f"/api/ot/programa?id={ot}").get_json()["datos"]["congelado"] is True
    r = save(api, ot, revision=1)
    assert r.status_code == 409
    assert r.get_json()["detalles"] == "La OT ya fue reprogramada: su programa es la línea base y no cambia."
