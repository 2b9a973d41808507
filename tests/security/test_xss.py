"""Stored XSS and template injection: hostile text in every text field of an OT and a PTE (and in
the catalog names and the user name they show) comes back inert from full pages, htmx fragments
and the JSON API."""

from datetime import date
from decimal import Decimal

import pytest
from markupsafe import escape
from sqlalchemy import select

from ot_app.extensions import db
from ot_app.models import Cliente, EstatusPTEId, OTDetalle
from ot_app.orders import commands
from ot_app.pte import commands as ptes
from tests import factories

PAYLOAD = '<script>alert(1)</script>" onmouseover="x hx-get="/logout" {{7*7}}'
ESCAPED = str(escape(PAYLOAD))
# What must never reach a browser raw (an element, an attribute, an htmx attribute, evaluated SSTI).
RAW = ["<script>alert", 'onmouseover="x', 'hx-get="/logout"', "/logout&#34; 49", '/logout" 49']


def hostile(tag: str) -> str:
    return f"{tag} {PAYLOAD}"


@pytest.fixture
def data(app):
    """An approved PTE and an OT (with a step comment) whose every text is hostile."""
    with app.app_context():
        actor = factories.make_user("x_editor", rol="editor", nombre=hostile("N"))
        cliente = factories.make_catalog(Cliente, nombre=hostile("C"))
        responsable = factories.make_responsable(hostile("R"))
        patio = factories.make_patio(hostile("P"))
        db.session.commit()
        pte = ptes.create_pte(
            {
                "oficio_pte": hostile("PTE-1"),
                "descripcion": hostile("D"),
                "id_cliente": cliente.id,
                "responsable_proyecto": responsable.id,
                "fecha_solicitud": date(2026, 1, 15),
                "plazo_dias": 30,
                "monto_mxn": Decimal("1000.00"),
                "monto_usd": Decimal("0"),
            },
            actor,
        ).pte
        factories.complete_checklist(pte.id, actor)  # so it may parent the OT (issue 13)
        ptes.change_status(pte.id, EstatusPTEId.ENVIADA, actor)
        ptes.change_status(pte.id, EstatusPTEId.APROBADA, actor)
        ot = factories.make_ot(
            actor,
            pte=pte,
            responsable=responsable,
            patio=patio,
            orden_trabajo=hostile("OT-1"),
            oficio_ot=hostile("OF"),
            descripcion_trabajo=hostile("DT"),
            comentario_general=hostile("CG"),
            responsable_cliente=hostile("RC")[:150],
            id_cliente=cliente.id,
        )
        step = db.session.scalar(select(OTDetalle).where(OTDetalle.id_ot == ot.id).order_by(OTDetalle.id))
        commands.set_step({"id": step.id, "comentario": hostile("S")}, actor)
        db.session.commit()
        return {"ot": ot.id, "pte": pte.id, "paso": step.id, "responsables": responsable.id}


def _pages(d) -> list[str]:
    return [
        "/",
        f"/ot/{d['ot']}",
        f"/ot/{d['ot']}/editar",
        f"/ot/{d['ot']}/fila",
        f"/ot/{d['ot']}/fila/editar",
        f"/ot/paso/{d['paso']}",
        f"/ot/paso/{d['paso']}/comentario",
        "/ot/buscar/ptes?q=PTE-1",
        "/ot/buscar/iniciales?q=OT-1",
        "/pte",
        f"/pte/{d['pte']}",
        f"/pte/{d['pte']}/editar",
        "/catalogos/responsables",
        "/catalogos/patios",
        "/catalogos/clientes",
    ]


def _existing(app, urls):
    adapter = app.url_map.bind("localhost")
    out, missing = [], []
    for url in urls:
        try:
            adapter.match(url.split("?")[0], method="GET")
            out.append(url)
        except Exception:  # noqa: BLE001  (a page another engineer has not built yet)
            missing.append(url)
    return out, missing


def _check_inert_html(body: str, where: str):
    for raw in RAW:
        assert raw not in body, f"{where}: {raw!r} reached the page raw"
    assert "{{7*7}}" in body, f"{where}: the template text was evaluated or is not shown"


def test_pages_and_fragments_show_hostile_text_escaped(app, data, admin_client):
    urls, missing = _existing(app, _pages(data))
    assert not missing, f"pages not built yet: {missing}"
    shown = 0
    for url in urls:
        for headers, kind in (({}, "page"), ({"HX-Request": "true"}, "fragment")):
            r = admin_client.get(url, headers=headers)
            where = f"{kind} {url}"
            assert r.status_code == 200, f"{where}: {r.status_code}"
            body = r.get_data(as_text=True)
            _check_inert_html(body, where)
            shown += body.count(ESCAPED) > 0
    assert shown >= len(urls)  # the full escaped text appears on most of them


def test_the_escaped_text_is_what_the_user_typed(app, data, admin_client):
    body = admin_client.get(f"/ot/{data['ot']}").get_data(as_text=True)
    for tag in ("OT-1", "OF", "DT", "CG", "RC", "R", "PTE-1"):
        assert f"{tag} {ESCAPED}" in body, tag
    body = admin_client.get(f"/pte/{data['pte']}").get_data(as_text=True)
    for tag in ("PTE-1", "D", "C"):
        assert f"{tag} {ESCAPED}" in body, tag


def test_edit_form_keeps_hostile_text_inside_its_value_attribute(app, data, admin_client):
    body = admin_client.get(f"/ot/{data['ot']}/editar").get_data(as_text=True)
    assert f'value="OT-1 {ESCAPED}"' in body
    body = admin_client.get(f"/pte/{data['pte']}/editar").get_data(as_text=True)
    assert f'value="PTE-1 {ESCAPED}"' in body


def test_api_returns_the_text_as_json_data_unevaluated(app, data, admin_client):
    for url in (
        f"/api/ot/obtener?id={data['ot']}",
        "/api/ot/listar",
        f"/api/ot/pasos?id={data['ot']}",
        "/api/pte/listar",
        f"/api/pte/obtener?id={data['pte']}",
    ):
        if _existing(app, [url])[1]:
            continue  # not built yet
        r = admin_client.get(url)
        assert r.status_code == 200, url
        assert r.mimetype == "application/json", url
        assert r.headers["X-Content-Type-Options"] == "nosniff", url
        text = r.get_data(as_text=True)
        assert "{{7*7}}" in text and '/logout\\" 49' not in text, url

    datos = admin_client.get(f"/api/ot/obtener?id={data['ot']}").get_json()["datos"]
    assert datos["orden_trabajo"] == hostile("OT-1")
    assert datos["descripcion_trabajo"] == hostile("DT")
    listed = admin_client.get("/api/ot/listar").get_json()
    assert hostile("OT-1") in str(listed)


def test_hostile_text_through_the_api_is_stored_verbatim_and_shown_escaped(app, admin_client):
    with app.app_context():
        pte = factories.make_pte()
        responsable = factories.make_responsable()
        patio = factories.make_patio()
        db.session.commit()
        payload = factories.ot_payload(
            pte, responsable, patio=patio, orden_trabajo=hostile("API"), descripcion_trabajo=PAYLOAD
        )
    r = admin_client.auth.post("/api/ot/crear", data=payload)
    assert r.status_code == 200, r.get_data(as_text=True)
    ot_id = r.get_json()["id_nuevo"]
    assert admin_client.get(f"/api/ot/obtener?id={ot_id}").get_json()["datos"]["orden_trabajo"] == hostile(
        "API"
    )
    body = admin_client.get(f"/ot/{ot_id}").get_data(as_text=True)
    _check_inert_html(body, "page after API create")
    assert f"API {ESCAPED}" in body
