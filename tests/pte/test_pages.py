"""PTE pages: list, create/edit with errors beside the fields, workflow buttons, OTs nested."""

import re

import pytest

from ot_app.extensions import db
from ot_app.models import EstatusOTId, EstatusPTEId, PTEHeader, Registro

from .. import factories

HX = {"HX-Request": "true"}


def form(**kw):
    data = {
        "oficio_pte": "PEP-PTE-0100-2026",
        "descripcion": "Mantenimiento integral a ductos",
        "id_cliente": "1",
        "fecha_solicitud": "2026-03-01",
        "plazo_dias": "90",
        "monto_mxn": "1,500,000.00",
        "monto_usd": "",
    }
    data.update(kw)
    return data


def test_create_redirects_to_detail_with_flash(app, editor_client):
    r = editor_client.auth.post("/pte/nueva", data=form())
    assert r.status_code == 303
    detail = editor_client.get(r.headers["Location"]).get_data(as_text=True)
    assert (
        "PEP-PTE-0100-2026" in detail and "PTE creada correctamente" in detail and "En elaboración" in detail
    )


def test_form_errors_beside_fields_keep_what_was_typed(editor_client):
    r = editor_client.auth.post(
        "/pte/nueva", data=form(oficio_pte="", monto_mxn="12.345", descripcion="Texto escrito")
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "El oficio de la PTE es obligatorio." in html and "admite como máximo 2 decimales" in html
    assert "Texto escrito" in html and 'value="12.345"' in html


def test_workflow_buttons_follow_the_status(app, editor_client):
    with app.app_context():
        pte = factories.make_pte("PEP-W-1", estatus_pte=1)
        db.session.commit()
        pid = pte.id
    html = editor_client.get(f"/pte/{pid}").get_data(as_text=True)
    assert (
        "Marcar como Enviada" in html
        and "Marcar como Cancelada" in html
        and "Marcar como Aprobada" not in html
    )
    editor_client.auth.post(f"/pte/{pid}/estatus", data={"id_estatus_pte": "2", "version": "1"})
    editor_client.auth.post(f"/pte/{pid}/estatus", data={"id_estatus_pte": "3", "version": "2"})
    html = editor_client.get(f"/pte/{pid}").get_data(as_text=True)
    assert "Crear OT" in html and "Marcar como" not in html


def test_invalid_transition_is_refused_with_a_message(app, editor_client):
    with app.app_context():
        pte = factories.make_pte("PEP-W-2", estatus_pte=1)
        db.session.commit()
        pid = pte.id
    r = editor_client.auth.post(f"/pte/{pid}/estatus", data={"id_estatus_pte": "3"}, follow_redirects=True)
    assert "no puede pasar a Aprobada" in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(PTEHeader, pid).id_estatus_pte == 1


def test_detail_lists_ots_with_versions_nested(app, editor_client):
    with app.app_context():
        pte = factories.make_pte("PEP-N-1")
        first = factories.make_ot(pte=pte, orden_trabajo="OT-N-1")
        factories.make_ot(pte=pte, orden_trabajo="OT-N-1", id_tipo=5, ot_principal=first.id)
        pid = pte.id
    html = editor_client.get(f"/pte/{pid}").get_data(as_text=True)
    assert html.count("OT-N-1") >= 2 and "Reprog. 1" in html and "↳" in html


def test_list_search_fragment_and_filters(app, lector_client):
    with app.app_context():
        factories.make_pte("PEP-A", descripcion="Pintura de barandales")
        factories.make_pte("PEP-B", descripcion="Soldadura", id_cliente=2)
        db.session.commit()
    r = lector_client.get("/pte?q=pintura", headers=HX)
    html = r.get_data(as_text=True)
    assert (
        "<html" not in html and "PEP-A" in html and "PEP-B" not in html and "HX-Request" in r.headers["Vary"]
    )
    assert "PEP-B" in lector_client.get("/pte?id_cliente=2").get_data(as_text=True)


def test_lector_sees_no_write_controls_and_cannot_write(app, lector_client):
    with app.app_context():
        pid = factories.make_pte("PEP-L").id
        db.session.commit()
    html = lector_client.get(f"/pte/{pid}").get_data(as_text=True)
    assert "data-edit-page" not in html and "data-comment" not in html and "Marcar como" not in html
    assert lector_client.auth.post("/pte/nueva", data=form()).status_code == 403
    assert lector_client.auth.post(f"/pte/{pid}/estatus", data={"id_estatus_pte": "4"}).status_code == 403
    assert lector_client.auth.post(f"/pte/{pid}/eliminar").status_code == 403
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(PTEHeader)) == 1
        pte = db.session.get(PTEHeader, pid)
        assert (pte.id_estatus_pte, pte.estatus, pte.version) == (EstatusPTEId.APROBADA, Registro.ACTIVA, 1)


def test_edit_with_stale_version_keeps_the_users_values(app, editor_client):
    with app.app_context():
        pid = factories.make_pte("PEP-V").id
        db.session.commit()
    editor_client.auth.post(f"/pte/{pid}/editar", data=form(oficio_pte="PEP-V", version="1", plazo_dias="30"))
    r = editor_client.auth.post(
        f"/pte/{pid}/editar", data=form(oficio_pte="PEP-V", version="1", plazo_dias="77")
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and "fue modificada por" in html and 'value="77"' in html


@pytest.mark.parametrize("n", [1, 50])
def test_list_statement_budget(app, lector_client, queries, n):
    with app.app_context():
        for i in range(n):
            factories.make_pte(f"PEP-Q-{i:03d}")
        db.session.commit()
    with queries() as q:
        r = lector_client.get("/pte")
    assert r.status_code == 200
    assert q.count <= 7, q.statements


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Indique el nuevo estatus de la PTE."),
        ({"id_estatus_pte": "enviada"}, "El estatus de la PTE no es un identificador válido."),
        ({"id_estatus_pte": "2", "version": "v2"}, "La versión debe ser un número entero mayor o igual a 0."),
        ({"id_estatus_pte": "99"}, "El estatus 99 no existe."),
    ],
)
@pytest.mark.parametrize("headers", [{}, HX])
def test_a_bad_status_change_says_why_and_changes_nothing(app, editor_client, data, message, headers):
    """Through PTEStatusForm, like the API: a Spanish message in the toast, never a bare 400."""
    with app.app_context():
        pid = factories.make_pte("PEP-S-1", estatus_pte=EstatusPTEId.EN_ELABORACION).id
        db.session.commit()
    r = editor_client.auth.post(f"/pte/{pid}/estatus", data=data, headers=headers)
    if headers:
        assert r.status_code == 204 and r.headers["HX-Redirect"] == f"/pte/{pid}"
    else:
        assert r.status_code == 303 and r.headers["Location"] == f"/pte/{pid}"
    assert message in editor_client.get(f"/pte/{pid}").get_data(as_text=True)
    with app.app_context():
        pte = db.session.get(PTEHeader, pid)
        assert (pte.id_estatus_pte, pte.version) == (EstatusPTEId.EN_ELABORACION, 1)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("id_cliente=Pemex", "El parámetro id_cliente no es un identificador válido."),
        ("id_estatus_pte=-1", "El parámetro id_estatus_pte no es un identificador válido."),
        ("page=dos", "El parámetro page debe ser un entero entre 1 y 100,000."),
    ],
)
def test_a_bad_list_argument_is_a_spanish_400(lector_client, args, message):
    r = lector_client.get(f"/pte?{args}")
    assert r.status_code == 400 and message in r.get_data(as_text=True)
    r = lector_client.get(f"/pte?{args}", headers=HX)
    assert (
        r.status_code == 400
        and message in r.get_data(as_text=True)
        and "<html" not in r.get_data(as_text=True)
    )


def test_the_status_buttons_post_through_htmx_with_a_confirmation(app, editor_client):
    with app.app_context():
        pid = factories.make_pte("PEP-S-2", estatus_pte=EstatusPTEId.ENVIADA).id
        db.session.commit()
    html = editor_client.get(f"/pte/{pid}").get_data(as_text=True)
    # Our own confirmation dialog (issue 17), never the browser's confirm().
    assert f'hx-post="/pte/{pid}/estatus"' in html and "¿Cambiar la PTE PEP-S-2 a Aprobada?</h2>" in html
    assert 'data-open-dialog="confirm-estatus-3"' in html and 'data-open-dialog="confirm-eliminar"' in html
    assert "¿Eliminar la PTE PEP-S-2?</h2>" in html and "hx-confirm" not in html
    r = editor_client.auth.post(
        f"/pte/{pid}/estatus", data={"id_estatus_pte": "3", "version": "1"}, headers=HX
    )
    assert r.status_code == 204 and r.headers["HX-Redirect"] == f"/pte/{pid}"
    assert "La PTE PEP-S-2 ahora está Aprobada." in editor_client.get(f"/pte/{pid}").get_data(as_text=True)


def test_an_empty_list_says_whether_filters_hide_the_ptes(app, lector_client):
    assert "Aún no hay PTE." in lector_client.get("/pte").get_data(as_text=True)
    with app.app_context():
        factories.make_pte("PEP-E-1")
        db.session.commit()
    assert "No hay PTE con esos filtros." in lector_client.get("/pte?id_estatus_pte=4").get_data(as_text=True)
    assert "Ninguna PTE coincide con «zzz»." in lector_client.get("/pte?q=zzz").get_data(as_text=True)


def test_the_form_reads_labels_and_lengths_off_pteform(editor_client):
    html = editor_client.get("/pte/nueva").get_data(as_text=True)
    assert '<label for="oficio_pte" class="req">Oficio de la PTE</label>' in html
    assert 'maxlength="100"' in html and 'maxlength="5000"' in html
    assert "data-focus-error" not in html


def test_a_create_that_collides_with_another_save_keeps_what_was_typed(app, editor_client, monkeypatch):
    from sqlalchemy.exc import IntegrityError

    from ot_app.pte import commands

    def collide(values, actor):  # the unique index refused it: someone saved that oficio just now
        raise IntegrityError("INSERT INTO pte_header ...", {}, Exception("UNIQUE constraint failed"))

    monkeypatch.setattr(commands, "_create_pte", collide)
    r = editor_client.auth.post("/pte/nueva", data=form(descripcion="Texto que no se pierde"))
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and "al mismo tiempo" in html and "Texto que no se pierde" in html


def test_the_ots_heading_counts_the_rows_it_heads_and_each_row_shows_the_ot_status(app, editor_client):
    # Issue 17, bug 2: "OT de esta PTE (6)" over 13 rows (it counted chains), and "Estado" showed
    # the record's "Activa" instead of the OT's status.
    with app.app_context():
        pte = factories.make_pte("PEP-C-17")
        first = factories.make_ot(pte=pte, orden_trabajo="OT-C-1", id_estatus_ot=EstatusOTId.EN_EJECUCION)
        factories.make_ot(pte=pte, orden_trabajo="OT-C-1", id_tipo=5, ot_principal=first.id)
        factories.make_ot(pte=pte, orden_trabajo="OT-C-1", id_tipo=5, ot_principal=first.id)
        factories.make_ot(pte=pte, orden_trabajo="OT-C-2")
        db.session.commit()
        pid = pte.id
    html = editor_client.get(f"/pte/{pid}").get_data(as_text=True)
    table = html.split("OT de esta PTE", 1)[1]
    rows = re.findall(r"<tr data-row", table)
    assert len(rows) == 4
    assert re.search(r'id="pte-ots-total">\(4\)<', html)
    # The PTE list counts the same rows.
    listing = editor_client.get("/pte?q=PEP-C-17").get_data(as_text=True)
    assert re.search(r"<td class=\"num\">\s*4\s*</td>", listing)
    assert "En ejecución" in table and "Programada" in table
    assert ">Activa<" not in table
