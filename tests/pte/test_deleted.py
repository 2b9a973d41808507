"""A deleted PTE is read-only for every way in: the edit page (GET and POST), the status buttons,
delete again, and the API. The rule lives in pte/commands.py (ensure_editable); the pages show its message."""

import pytest

from ot_app.extensions import db
from ot_app.models import ActividadLog, EstatusPTEId, PTEHeader, Registro

from .. import factories

HX = {"HX-Request": "true"}
REFUSED = "La PTE PEP-BORRADA está eliminada."


@pytest.fixture
def deleted(app):
    with app.app_context():
        pte = factories.make_pte(
            "PEP-BORRADA", estatus_pte=EstatusPTEId.EN_ELABORACION, estatus=Registro.ELIMINADA
        )
        db.session.commit()
        return pte.id


def _unchanged(app, pid):
    with app.app_context():
        pte = db.session.get(PTEHeader, pid)
        assert (pte.oficio_pte, pte.plazo_dias, pte.id_estatus_pte, pte.estatus, pte.version) == (
            "PEP-BORRADA",
            90,
            EstatusPTEId.EN_ELABORACION,
            Registro.ELIMINADA,
            1,
        )
        assert not db.session.scalar(db.select(ActividadLog).where(ActividadLog.entidad == "pte"))


def test_the_edit_page_of_a_deleted_pte_sends_back_to_its_detail_saying_why(app, admin_client, deleted):
    r = admin_client.get(f"/pte/{deleted}/editar")
    assert r.status_code == 303 and r.headers["Location"] == f"/pte/{deleted}"
    html = admin_client.get(r.headers["Location"]).get_data(as_text=True)
    assert REFUSED in html and "Eliminada" in html
    # No write control is offered (the keyboard help names "Editar", so look for the controls).
    assert "data-edit-page" not in html and "data-comment" not in html and "Marcar como" not in html


def test_saving_the_edit_form_of_a_deleted_pte_is_refused(app, admin_client, editor_client, deleted):
    r = admin_client.auth.post(
        f"/pte/{deleted}/editar", data={"plazo_dias": "30", "version": "1"}, follow_redirects=True
    )
    assert REFUSED in r.get_data(as_text=True)
    # Below admin a deleted PTE is not found at all (issue 16, finding 4).
    r = editor_client.auth.post(f"/pte/{deleted}/editar", data={"plazo_dias": "30", "version": "1"})
    assert r.status_code == 404
    _unchanged(app, deleted)


@pytest.mark.parametrize("headers", [{}, HX])
def test_status_and_delete_of_a_deleted_pte_are_refused(app, editor_client, deleted, headers):
    r = editor_client.auth.post(
        f"/pte/{deleted}/estatus", data={"id_estatus_pte": "2", "version": "1"}, headers=headers
    )
    assert r.status_code in (204, 303)
    page = editor_client.get(f"/pte/{deleted}").get_data(as_text=True)
    assert REFUSED in page
    editor_client.auth.post(f"/pte/{deleted}/eliminar", headers=headers)
    assert "La PTE PEP-BORRADA ya estaba eliminada." in editor_client.get(f"/pte/{deleted}").get_data(
        as_text=True
    )
    _unchanged(app, deleted)


def test_the_api_refuses_to_change_a_deleted_pte(app, api, deleted):
    for url, data in (
        ("/api/pte/editar", {"id": deleted, "plazo_dias": "30"}),
        ("/api/pte/estatus", {"id": deleted, "id_estatus_pte": "2"}),
    ):
        r = api.post(url, data=data)
        assert r.status_code == 409, url
        assert r.get_json()["detalles"] == REFUSED
    assert "ya estaba eliminada" in api.post("/api/pte/eliminar", data={"id": deleted}).get_json()["detalles"]
    _unchanged(app, deleted)
