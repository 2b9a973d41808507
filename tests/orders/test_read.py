"""obtener / listar / pasos / paso editar / catalogos / pte listar, and their statement budgets."""

import pytest

from ot_app.extensions import db
from ot_app.models import ActividadLog

from .. import factories

SEED_KEYS = {
    "id", "id_tipo_id", "id_frente", "id_embarcacion", "id_plataforma", "id_intercom", "id_cliente",
    "id_patio", "descripcion_tipo", "estatus_ot", "responsable_proyecto", "responsable_cliente", "id_pte_id",
    "pte_padre", "oficio_ot", "estatus", "orden_trabajo", "descripcion_trabajo", "fecha_inicio_programado",
    "fecha_inicio_real", "fecha_termino_programado", "fecha_termino_real", "comentario", "ot_principal",
    "num_reprogramacion", "monto_mxn", "monto_usd", "plazo_dias", "requiere_patio", "fecha_inicio_patio",
    "fecha_fin_patio",
}  # fmt: skip


def created(api, base, **kw):
    r = api.post("/api/ot/crear", data=base.payload(**kw))
    assert r.status_code == 200, r.get_json()
    return r.get_json()["id_nuevo"]


def test_obtener_returns_exactly_the_seed_keys_plus_version_and_reprogramaciones(api, base):
    ot_id = created(api, base, orden_trabajo="OT-OB-1")
    created(api, base, orden_trabajo="OT-OB-1", id_tipo=5, ot_principal=ot_id)
    body = api.get(f"/api/ot/obtener?id={ot_id}").get_json()
    assert body["exito"] is True
    datos = body["datos"]
    assert set(datos) == SEED_KEYS | {"version", "reprogramaciones"}
    assert datos["fecha_inicio_programado"] == "2026-02-01" and datos["fecha_inicio_real"] is None
    assert datos["monto_mxn"] == "1234567.50" and datos["monto_usd"] == "0.00"
    assert datos["pte_padre"] == "PTE-001-2026" and datos["descripcion_tipo"] == "OT inicial"
    assert [v["num_reprogramacion"] for v in datos["reprogramaciones"]] == [1]


@pytest.mark.parametrize("bad", ["", "abc", "-1", "99999999999999999999", "1.5"])
def test_obtener_bad_id_is_a_400_envelope(api, bad):
    r = api.get(f"/api/ot/obtener?id={bad}")
    assert r.status_code == 400 and r.get_json()["exito"] is False


def test_obtener_unknown_is_404(api):
    r = api.get("/api/ot/obtener?id=31337")
    assert r.status_code == 404 and r.get_json()["exito"] is False


def test_listar_filters_search_and_counts_versions(app, api, base):
    a = created(api, base, orden_trabajo="OT-LIST-A", descripcion_trabajo="Pintura de barandales")
    created(api, base, orden_trabajo="OT-LIST-A", id_tipo=5, ot_principal=a)
    created(api, base, orden_trabajo="OT-LIST-B", id_cliente=3)
    body = api.get("/api/ot/listar").get_json()
    assert body["total"] == 3 and body["page"] == 1
    by_id = {r["id"]: r for r in body["datos"]}
    assert by_id[a]["reprogramaciones"] == 1 and by_id[a]["ot_principal"] is None
    assert api.get("/api/ot/listar?q=barandal").get_json()["total"] == 1
    assert api.get("/api/ot/listar?id_cliente=3").get_json()["total"] == 1
    assert api.get("/api/ot/listar?id_tipo=5").get_json()["total"] == 1
    assert api.get(f"/api/ot/listar?ot_principal={a}").get_json()["total"] == 1
    assert api.get("/api/ot/listar?q=100%25").get_json()["total"] == 0  # % is literal, not a wildcard


def test_listar_sorts_and_paginates(api, base):
    ids = [created(api, base, orden_trabajo=f"OT-P-{i}") for i in range(5)]
    body = api.get("/api/ot/listar?orden=folio&per_page=2&page=2").get_json()
    assert [r["orden_trabajo"] for r in body["datos"]] == ["OT-P-2", "OT-P-3"]
    assert body["total"] == 5 and len(ids) == 5


def test_listar_per_page_is_capped(api):
    r = api.get("/api/ot/listar?per_page=201")
    assert r.status_code == 400


def test_pasos_in_order_and_paso_editar_logged(app, api, base):
    ot_id = created(api, base)
    pasos = api.get(f"/api/ot/pasos?id={ot_id}").get_json()["datos"]
    assert [p["id_paso"] for p in pasos] == sorted(p["id_paso"] for p in pasos)
    assert set(pasos[0]) == {
        "id", "id_paso", "paso", "estatus_paso", "comentario",
        "fecha_inicio", "fecha_termino", "fecha_entrega", "entregable_url", "archivo_nombre",
    }  # fmt: skip
    r = api.post(
        "/api/ot/paso/editar",
        data={"id": pasos[0]["id"], "estatus_paso": "3", "comentario": "Oficio recibido"},
    )
    assert r.status_code == 200, r.get_json()
    first = api.get(f"/api/ot/pasos?id={ot_id}").get_json()["datos"][0]
    assert (first["estatus_paso"], first["comentario"]) == (3, "Oficio recibido")
    with app.app_context():
        log = db.session.scalars(db.select(ActividadLog).where(ActividadLog.accion == "paso")).one()
        assert log.entidad_id == ot_id
        assert list(log.cambios.values())[0] == ["Pendiente", "Completado"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"estatus_paso": "5"}, "El estatus del paso debe ser 1, 2, 3 o 4."),
        ({"comentario": "x" * 1001}, "El comentario del paso admite hasta 1,000 caracteres."),
    ],
)
def test_paso_editar_validation(api, base, data, message):
    ot_id = created(api, base)
    paso = api.get(f"/api/ot/pasos?id={ot_id}").get_json()["datos"][0]
    r = api.post("/api/ot/paso/editar", data={"id": paso["id"], **data})
    assert r.status_code == 400 and message in r.get_json()["errores"].values()


def test_paso_editar_on_a_deleted_ot_is_refused(api, base):
    ot_id = created(api, base)
    paso = api.get(f"/api/ot/pasos?id={ot_id}").get_json()["datos"][0]
    api.post("/api/ot/eliminar", data={"id": ot_id})
    r = api.post("/api/ot/paso/editar", data={"id": paso["id"], "estatus_paso": "2"})
    assert r.status_code == 409
    assert r.get_json()["detalles"] == "La OT está eliminada: restáurela para editarla."
    # Below admin a deleted OT's steps are not found (issue 16, finding 4).
    assert api.get(f"/api/ot/pasos?id={ot_id}").status_code == 404


@pytest.mark.parametrize(
    "nombre",
    [
        "clientes",
        "frentes",
        "embarcaciones",
        "plataformas",
        "intercoms",
        "patios",
        "responsables",
        "tipos",
        "estatus_ot",
        "estatus_paso",
    ],
)
def test_catalogos(api, base, nombre):
    body = api.get(f"/api/catalogos/{nombre}").get_json()
    assert body["exito"] is True and body["datos"]
    assert set(body["datos"][0]) == {"id", "nombre", "activo"}


def test_pte_listar_aprobada_filter(app, api, base):
    with app.app_context():
        factories.make_pte("PTE-BORRADOR", estatus_pte=1)
        db.session.commit()
    all_ptes = api.get("/api/pte/listar").get_json()["datos"]
    approved = api.get("/api/pte/listar?aprobada=1").get_json()["datos"]
    assert {p["oficio_pte"] for p in all_ptes} == {"PTE-001-2026", "PTE-BORRADOR"}
    assert [p["oficio_pte"] for p in approved] == ["PTE-001-2026"]


def _make_ots(app, n):
    with app.app_context():
        pte = factories.make_pte()
        resp = factories.make_responsable()
        patio = factories.make_patio()
        db.session.commit()
        for i in range(n):
            factories.make_ot(pte=pte, responsable=resp, patio=patio, orden_trabajo=f"OT-Q-{i:03d}")


@pytest.mark.parametrize("n", [1, 50])
def test_listar_statement_budget_is_constant(app, api, queries, n):
    _make_ots(app, n)
    api.get("/api/ot/listar")
    with queries() as q:
        body = api.get("/api/ot/listar?per_page=50").get_json()
    assert len(body["datos"]) == n
    assert q.count <= 6, q.statements  # user + token, count, rows, progress, version counts


@pytest.mark.parametrize("n", [1, 50])
def test_obtener_and_pasos_statement_budget(app, api, queries, n):
    _make_ots(app, n)
    with queries() as q:
        api.get("/api/ot/obtener?id=1")
    assert q.count <= 5, q.statements
    with queries() as q:
        api.get("/api/ot/pasos?id=1")
    assert q.count <= 5, q.statements
