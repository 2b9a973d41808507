"""The PTE checklist on its page: the rows with their keys, saving a step answers the row with the
progress (and the parent step that followed) out of band, lectors see it read-only; the OT step row
carries the same dates and link; the catalog pages for PTE templates and rules."""

import json

from ot_app.extensions import db
from ot_app.models import EstatusPasoId, PasoPte, ReglaPasoPte
from ot_app.pte import commands, read

HX = {"HX-Request": "true"}


def toast(response) -> str:
    return json.loads(response.headers["HX-Trigger"])["toast"]["message"]


def _pte():
    return commands.create_pte(
        {"oficio_pte": "PEP-PTE-0200-2026", "descripcion": "Inspección de ductos", "id_cliente": 2}, None
    ).pte


def test_detail_shows_the_checklist_with_keys_and_progress(app, editor_client):
    with app.app_context():
        pte_id = _pte().id
    html = editor_client.get(f"/pte/{pte_id}").get_data(as_text=True)
    assert 'id="pasos"' in html and 'id="pte-progress"' in html
    assert "Volumetría" in html and "según sus 3 subpasos" in html
    assert 'data-key="3"' in html and "data-dates" in html and "data-link" in html
    assert "0 de 7 pasos completados" in html


def test_lector_sees_the_checklist_read_only(app, lector_client):
    with app.app_context():
        pte_id = _pte().id
    html = lector_client.get(f"/pte/{pte_id}").get_data(as_text=True)
    assert "Volumetría" in html and "data-key=" not in html and "data-comment" not in html


def test_saving_the_last_substep_answers_its_row_the_parent_and_the_progress(app, editor_client):
    with app.app_context():
        pte = _pte()
        steps = {s["paso"]: s["id"] for s in read.steps_and_progress(pte.id)[0]}
        for name in ("Planos y croquis", "Cantidades de obra"):
            commands.set_step({"id": steps[name], "estatus_paso": EstatusPasoId.COMPLETADO}, None)
    last = steps["Revisión de la volumetría con el cliente"]
    r = editor_client.auth.post(f"/pte/paso/{last}", data={"estatus_paso": "3"}, headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<html" not in html
    assert f'id="paso-{last}"' in html and 'id="pte-progress"' in html
    assert f'id="paso-{steps["Volumetría"]}"' in html and 'hx-swap-oob="true"' in html
    assert "1 de 7 pasos completados" in html
    assert "quedó Completado" in toast(r)


def test_bad_dates_and_links_are_refused_with_their_message(app, editor_client):
    with app.app_context():
        step = read.steps_and_progress(_pte().id)[0][1]["id"]
    r = editor_client.auth.post(
        f"/pte/paso/{step}", data={"fecha_inicio": "2026-03-10", "fecha_termino": "2026-03-01"}, headers=HX
    )
    assert r.status_code == 400 and "anterior a la de inicio" in r.get_data(as_text=True)
    r = editor_client.auth.post(
        f"/pte/paso/{step}", data={"entregable_url": "javascript:alert(1)"}, headers=HX
    )
    assert r.status_code == 400 and "http://" in r.get_data(as_text=True)


def test_edit_row_focuses_what_the_key_asked_for(app, editor_client):
    with app.app_context():
        step = read.steps_and_progress(_pte().id)[0][1]["id"]
    html = editor_client.get(f"/pte/paso/{step}/editar?foco=fechas", headers=HX).get_data(as_text=True)
    assert f'id="paso-{step}-fecha_inicio" name="fecha_inicio" value="" autofocus' in html
    html = editor_client.get(f"/pte/paso/{step}/editar?foco=enlace", headers=HX).get_data(as_text=True)
    assert 'placeholder="https://…" autofocus' in html


def test_list_shows_progress(app, editor_client):
    with app.app_context():
        _pte()
    html = editor_client.get("/pte").get_data(as_text=True)
    assert "0/7" in html


def test_pte_templates_and_rules_pages(app, admin_client):
    html = admin_client.get("/catalogos/pte/pasos?tipo=1").get_data(as_text=True)
    assert "Plantillas de pasos de PTE" in html and "Volumetría" in html and "PTE que lo usan" in html
    r = admin_client.auth.post(
        "/catalogos/pte/pasos?tipo=1", data={"descripcion": "Memoria de cálculo", "id_padre": "3"}, headers=HX
    )
    assert r.status_code == 200 and "Memoria de cálculo" in r.get_data(as_text=True)
    with app.app_context():
        added = db.session.scalar(db.select(PasoPte).where(PasoPte.descripcion == "Memoria de cálculo"))
        assert (added.id_padre, added.orden, added.tipo) == (3, 43, 1)
    r = admin_client.auth.post(
        "/catalogos/pte/pasos?tipo=1", data={"descripcion": "Sub de sub", "id_padre": "4"}, headers=HX
    )
    assert r.status_code == 400 and "no es un paso principal" in r.get_data(as_text=True)
    html = admin_client.get("/catalogos/pte/reglas?id_cliente=1", headers=HX).get_data(as_text=True)
    assert "recibe el conjunto <strong>2</strong>" in html and "Revisión del Anexo C" in html
    r = admin_client.auth.post(
        "/catalogos/pte/reglas", data={"id_cliente": "3", "tipo_paso": "2"}, headers=HX
    )
    assert r.status_code == 200
    with app.app_context():
        assert db.session.scalar(db.select(ReglaPasoPte.tipo_paso).where(ReglaPasoPte.id_cliente == 3)) == 2
    r = admin_client.auth.post(
        "/catalogos/pte/reglas", data={"id_cliente": "3", "tipo_paso": "1"}, headers=HX
    )
    assert r.status_code == 400 and "Ya hay una regla para ese cliente" in r.get_data(as_text=True)


def test_ot_step_row_has_dates_and_link(app, editor_client):
    from tests import factories

    with app.app_context():
        ot = factories.make_ot()
        db.session.commit()
        step = read_ot_step(ot.id)
    r = editor_client.auth.post(
        f"/ot/paso/{step}",
        data={"fecha_inicio": "2026-02-01", "entregable_url": "https://docs.example.com/acta.pdf"},
        headers=HX,
    )
    html = r.get_data(as_text=True)
    assert (
        r.status_code == 200 and "01/02/2026" in html and 'href="https://docs.example.com/acta.pdf"' in html
    )


def read_ot_step(ot_id):
    from ot_app.orders.read import steps_of

    return steps_of(ot_id)[0]["id"]
