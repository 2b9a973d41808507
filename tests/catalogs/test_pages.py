"""Catalog pages: the same data-driven pages for every simple catalog; writes for admins only."""

import json

import pytest

from ot_app.catalogs.registry import CATALOGOS
from ot_app.extensions import db
from ot_app.models import Frente, PasoOt, Patio, ReglaPaso

from .. import factories

HX = {"HX-Request": "true"}


def test_index_lists_editable_and_fixed(admin_client):
    html = admin_client.get("/catalogos").get_data(as_text=True)
    assert "Embarcaciones" in html and "Frentes" in html and "Reglas de conjuntos de pasos" in html


@pytest.mark.parametrize(
    "slug", ["clientes", "embarcaciones", "plataformas", "intercoms", "patios", "responsables", "estatus_ot"]
)
def test_every_simple_catalog_page_and_inline_add(app, admin_client, slug):
    assert admin_client.get(f"/catalogos/{slug}").status_code == 200
    r = admin_client.auth.post(f"/catalogos/{slug}", data={"nombre": "  Registro   nuevo "}, headers=HX)
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Registro nuevo" in html and 'hx-swap-oob="true"' in html
    assert json.loads(r.headers["HX-Trigger"])["toast"]["message"] == "«Registro nuevo» agregado."
    with app.app_context():
        model = CATALOGOS[slug].model
        row = db.session.scalar(db.select(model).where(model.nombre == "Registro nuevo"))
        assert row is not None and row.activo  # stored with its spaces collapsed, active


def test_search_answers_the_rows_fragment_with_vary(app, admin_client):
    with app.app_context():
        factories.make_patio("Patio Dos Bocas")
        factories.make_patio("Patio Tampico")
        db.session.commit()
    r = admin_client.get("/catalogos/patios?q=tamp", headers=HX)
    html = r.get_data(as_text=True)
    assert "<html" not in html and "Patio Tampico" in html and "Dos Bocas" not in html
    assert "HX-Request" in r.headers["Vary"]
    assert "<html" in admin_client.get("/catalogos/patios?q=tamp").get_data(as_text=True)


def test_duplicate_name_is_a_422_next_to_the_field_keeping_the_text(app, admin_client):
    with app.app_context():
        factories.make_patio("Patio Dos Bocas")
        db.session.commit()
    r = admin_client.auth.post("/catalogos/patios", data={"nombre": "patio dos bocas"}, headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "Ya existe un patio «Patio Dos Bocas»" in html and 'value="patio dos bocas"' in html


def test_inline_edit_row_save_and_cancel(app, admin_client):
    with app.app_context():
        patio = factories.make_patio("Patio Frontera")
        db.session.commit()
        pid = patio.id
    edit = admin_client.get(f"/catalogos/patios/{pid}/editar", headers=HX).get_data(as_text=True)
    assert 'class="editing"' in edit and "data-save" in edit and "data-cancel" in edit
    r = admin_client.auth.post(
        f"/catalogos/patios/{pid}", data={"nombre": "Patio Frontera Tabasco"}, headers=HX
    )
    assert r.status_code == 200 and "Patio Frontera Tabasco" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Patio, pid).nombre == "Patio Frontera Tabasco"


def test_deactivate_and_referenced_row_cannot_be_deleted(app, admin_client):
    with app.app_context():
        patio = factories.make_patio("Patio Usado")
        factories.make_ot(patio=patio)
        pid = patio.id
    r = admin_client.auth.post(f"/catalogos/patios/{pid}/eliminar", headers=HX)
    assert r.status_code == 409
    assert "lo usan 1 OT" in r.headers["HX-Trigger"]
    r = admin_client.auth.post(f"/catalogos/patios/{pid}", data={"activo": "0"}, headers=HX)
    assert "Inactivo" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Patio, pid).activo is False


def test_fixed_catalog_is_read_only(admin_client):
    html = admin_client.get("/catalogos/frentes").get_data(as_text=True)
    assert "Catálogo fijo" in html and "Costa afuera" in html and "data-edit" not in html
    r = admin_client.auth.post("/catalogos/frentes", data={"nombre": "Aire"}, headers=HX)
    assert r.status_code == 403 and "es fijo" in r.get_data(as_text=True)
    with admin_client.application.app_context():
        assert not db.session.scalar(db.select(Frente).where(Frente.nombre == "Aire"))


@pytest.mark.parametrize("who", ["editor_client", "lector_client"])
def test_writes_are_admin_only(request, who):
    client = request.getfixturevalue(who)
    html = client.get("/catalogos/patios").get_data(as_text=True)
    assert "data-edit" not in html and "Agregar" not in html
    assert client.auth.post("/catalogos/patios", data={"nombre": "X"}, headers=HX).status_code == 403
    assert client.auth.post("/catalogos/pasos?tipo=5", data={"descripcion": "X"}).status_code == 403
    assert client.auth.post("/catalogos/reglas", data={"id_tipo": 4, "tipo_paso": 18}).status_code == 403
    with client.application.app_context():
        assert not db.session.scalar(db.select(Patio).where(Patio.nombre == "X"))
        assert not db.session.scalar(db.select(PasoOt).where(PasoOt.descripcion == "X"))
        assert not db.session.scalar(
            db.select(ReglaPaso).where(ReglaPaso.id_tipo == 4, ReglaPaso.tipo_paso == 18)
        )


def test_steps_page_add_rename_toggle(app, admin_client):
    html = admin_client.get("/catalogos/pasos?tipo=18").get_data(as_text=True)
    assert "Recepción del oficio de reprogramación" in html
    r = admin_client.auth.post(
        "/catalogos/pasos?tipo=18", data={"descripcion": "Validación de fianzas"}, headers=HX
    )
    assert r.status_code == 200 and "Validación de fianzas" in r.get_data(as_text=True)
    admin_client.auth.post("/catalogos/pasos/101", data={"activo": "0"}, headers=HX)
    with app.app_context():
        assert db.session.get(PasoOt, 101).activo is False
        assert (
            db.session.scalar(db.select(PasoOt.tipo).where(PasoOt.descripcion == "Validación de fianzas"))
            == 18
        )


def test_rules_page_preview_and_edit(app, admin_client):
    html = admin_client.get("/catalogos/reglas?id_tipo=5&id_cliente=2", headers=HX).get_data(as_text=True)
    assert "recibe el conjunto <strong>18</strong>: 7 pasos" in html
    r = admin_client.auth.post(
        "/catalogos/reglas", data={"id_tipo": "4", "id_cliente": "3", "tipo_paso": "18"}, headers=HX
    )
    assert r.status_code == 200
    with app.app_context():
        assert (
            db.session.scalar(
                db.select(ReglaPaso.tipo_paso).where(ReglaPaso.id_tipo == 4, ReglaPaso.id_cliente == 3)
            )
            == 18
        )
    html = admin_client.get("/catalogos/reglas?id_tipo=4&id_cliente=3", headers=HX).get_data(as_text=True)
    assert "recibe el conjunto <strong>18</strong>" in html


def test_catalog_page_statement_budget(app, admin_client, queries):
    with app.app_context():
        for i in range(50):
            factories.make_patio(f"Patio {i:02d}")
        db.session.commit()
    with queries() as q:
        admin_client.get("/catalogos/patios")
    assert q.count <= 4, q.statements
