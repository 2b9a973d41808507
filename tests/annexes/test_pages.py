"""The OT page's Anexos tab and upload dialog (htmx, server side): report with the offending cells,
Confirmar only without errors, the tab refreshed after a confirmation with totals and history."""

import io
import json

from ot_app.extensions import db
from tests import factories

from .builders import xlsx

HX = {"HX-Request": "true"}
GOOD = [["2", "PROTECCIÓN"], ["2.401.", "Limpieza", "M2", 200, 4125.53, None]]
BAD = [["2", "PROTECCIÓN"], ["2.401.", "Limpieza", None, 200, 4125.53, None]]


def make_ot(app):
    with app.app_context():
        ot = factories.make_ot(monto_mxn="825,106.00")
        db.session.commit()
        return ot.id


def upload(client, ot_id, rows, confirmar="0"):
    return client.auth.post(
        f"/ot/{ot_id}/anexos/importar",
        data={"tipo": "anexo_c", "confirmar": confirmar, "archivo": (io.BytesIO(xlsx(rows)), "anexo.xlsx")},
        content_type="multipart/form-data",
        headers=HX,
    )


def test_the_ot_page_loads_the_tab_and_offers_the_dialog_to_an_editor(app, editor_client, lector_client):
    ot_id = make_ot(app)
    page = editor_client.get(f"/ot/{ot_id}").get_data(as_text=True)
    assert f'hx-get="/ot/{ot_id}/anexos"' in page
    assert 'id="anexo-dialog"' in page and 'id="anexo-archivo"' in page
    assert 'id="anexo-dialog"' not in lector_client.get(f"/ot/{ot_id}").get_data(as_text=True)
    tab = lector_client.get(f"/ot/{ot_id}/anexos", headers=HX).get_data(as_text=True)
    assert "<html" not in tab and "Sin importar." in tab


def test_errors_show_their_cells_and_no_confirm_button(app, editor_client):
    ot_id = make_ot(app)
    r = upload(editor_client, ot_id, BAD)
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "<html" not in html
    assert 'id="reporte-errores"' in html and "unidad requerida" in html and "UNIDAD" in html
    assert 'id="anexo-confirmar"' not in html


def test_a_clean_file_can_be_confirmed_and_the_tab_shows_the_revision(app, editor_client):
    ot_id = make_ot(app)
    r = upload(editor_client, ot_id, GOOD)
    assert r.status_code == 200
    assert 'id="anexo-confirmar"' in r.get_data(as_text=True)
    r = upload(editor_client, ot_id, GOOD, confirmar="1")
    assert r.status_code == 200
    assert json.loads(r.headers["HX-Trigger"])["anexos-actualizados"] is True
    assert "revisión 1" in r.get_data(as_text=True)
    tab = editor_client.get(f"/ot/{ot_id}/anexos", headers=HX).get_data(as_text=True)
    assert "revisión 1" in tab and "825,106.00" in tab and "2 · 1 renglones · M.N. 825,106.00" in tab
    # The history's date as every page writes one: dd/mm/aaaa hh:mm in the office's time zone.
    from ot_app.formatting import local
    from ot_app.models import utcnow

    assert local(utcnow()).strftime("%d/%m/%Y") in tab
    chapter = editor_client.get(f"/ot/{ot_id}/anexos/capitulo?tipo=anexo_c&revision=1&capitulo=2", headers=HX)
    assert "Limpieza" in chapter.get_data(as_text=True)  # the lines load when the chapter opens
    assert 'id="anexo-anexo_c-diferencia"' not in tab  # the annex matches the OT's amount
    upload(editor_client, ot_id, [*GOOD, ["2.402.", "Pintura", "M2", 1, 10, None]], confirmar="1")
    tab = editor_client.get(f"/ot/{ot_id}/anexos", headers=HX).get_data(as_text=True)
    assert 'id="anexo-anexo_c-diferencia"' in tab
    assert "Cambios de la revisión 1 a la 2" in tab and "1 agregados" in tab


def test_a_lector_cannot_import_from_the_page(app, lector_client):
    ot_id = make_ot(app)
    assert upload(lector_client, ot_id, GOOD).status_code == 403
