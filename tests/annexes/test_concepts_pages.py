"""The concept catalog's page (htmx, server side): browse and search, the upload dialog with the
annex report fragment, PUE → ordinary from the row, and who sees what."""

import io

from sqlalchemy import select

from ot_app.extensions import db
from ot_app.models import Concepto

from .concept_builders import ORDINARY, contract

HX = {"HX-Request": "true"}


def upload(client, data, confirmar="0"):
    return client.auth.post(
        "/catalogos/conceptos/importar",
        data={"confirmar": confirmar, "archivo": (io.BytesIO(data), "contrato.xlsx")},
        content_type="multipart/form-data",
        headers=HX,
    )


def test_the_page_offers_the_dialog_to_an_editor_and_only_the_list_to_a_lector(
    app, editor_client, lector_client
):
    page = editor_client.get("/catalogos/conceptos").get_data(as_text=True)
    assert 'id="concepto-dialog"' in page and 'id="concepto-archivo"' in page
    assert "Sin conceptos: importe el catálogo del contrato." in page
    lector = lector_client.get("/catalogos/conceptos").get_data(as_text=True)
    assert 'id="concepto-dialog"' not in lector and 'id="conceptos-rows"' in lector
    assert 'href="/catalogos/conceptos"' in lector_client.get("/catalogos").get_data(as_text=True)


def test_a_file_with_errors_shows_them_with_their_cells_and_no_confirm(app, editor_client):
    r = upload(editor_client, contract({"C-2-CR": (ORDINARY, [["2.1.", "Sin unidad", None, 5, None]])}))
    html = r.get_data(as_text=True)
    assert r.status_code == 422 and "<html" not in html
    assert "unidad requerida" in html and "C-2-CR" in html and 'id="anexo-confirmar"' not in html


def test_a_dry_run_then_confirm_refreshes_the_list(app, editor_client):
    r = upload(editor_client, contract())
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and 'form="concepto-form"' in html and "al confirmar, 6 nuevos" in html
    r = upload(editor_client, contract(), "1")
    assert r.status_code == 200 and "conceptos-actualizados" in r.headers["HX-Trigger"]
    assert "Catálogo de conceptos actualizado" in r.get_data(as_text=True)
    rows = editor_client.get("/catalogos/conceptos?q=tubero", headers=HX).get_data(as_text=True)
    assert "<html" not in rows and "Tubero" in rows and "Soldador" not in rows and "1 concepto<" in rows
    pue = editor_client.get("/catalogos/conceptos?tipo=pue", headers=HX).get_data(as_text=True)
    assert "Buzo adicional" in pue and "Tubero" not in pue and "Convertir a ordinario" in pue


def test_an_editor_converts_a_pue_from_its_row_and_a_lector_cannot(app, editor_client, lector_client):
    upload(editor_client, contract(), "1")
    with app.app_context():
        grua = db.session.scalar(select(Concepto).where(Concepto.partida == "1C-009"))
    assert lector_client.auth.post(f"/catalogos/conceptos/{grua.id}/convertir", headers=HX).status_code == 403
    r = editor_client.auth.post(f"/catalogos/conceptos/{grua.id}/convertir", headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "Ordinario" in html and "Convertir a ordinario" not in html
    assert "es ahora un concepto ordinario" in r.headers["HX-Trigger"]
    again = editor_client.auth.post(f"/catalogos/conceptos/{grua.id}/convertir", headers=HX)
    assert again.status_code == 409 and "ya es ordinario" in again.headers["HX-Trigger"]
    assert editor_client.auth.post("/catalogos/conceptos/999999/convertir", headers=HX).status_code == 404


def test_pages_and_bad_arguments_are_never_a_500(app, admin_client):
    for url in (
        "/catalogos/conceptos?pagina=abc",
        "/catalogos/conceptos?pagina=-3&tipo=x&estado=y",
        "/catalogos/conceptos?q=%25_",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_the_page_shows_the_units_catalog_with_its_spellings(app, lector_client):
    html = lector_client.get("/catalogos/conceptos").get_data(as_text=True)
    units = html[html.index('id="unidades"') :]
    assert "<td>DIA</td><td>Día</td>" in units and "PIEZA" in units


def test_an_admin_adds_a_unit_with_its_spellings_and_the_import_then_knows_it(
    app, admin_client, editor_client
):
    from ot_app.annexes.pipeline import analyze
    from ot_app.concepts.units import alias_map

    assert (
        editor_client.auth.post(
            "/catalogos/conceptos/unidades", data={"clave": "BTO"}, headers=HX
        ).status_code
        == 403
    )
    r = admin_client.auth.post(
        "/catalogos/conceptos/unidades",
        data={"clave": "BTO", "nombre": "Bulto", "alias": "BULTO, bultos"},
        headers=HX,
    )
    assert r.status_code == 200 and "Unidad BTO guardada" in r.headers["HX-Trigger"]
    assert "<td>BTO</td><td>Bulto</td><td>BULTO, BULTOS</td>" in r.get_data(as_text=True)
    rows = [["2.9.", "Cemento", "Bultos", 5, None]]
    with app.app_context():
        report = analyze(
            "c.xlsx", contract({"C-2-CR": (ORDINARY, rows)}), "catalogo", reference={"aliases": alias_map()}
        )
        assert report.advertencias == [] and report.lines[0].clave_unidad == "BTO"
        from ot_app.models import ActividadLog, Unidad

        unit = db.session.scalar(select(Unidad).where(Unidad.clave == "BTO"))
        log = db.session.scalar(select(ActividadLog).where(ActividadLog.entidad == "unidad"))
        assert (log.accion, log.entidad_id, log.cambios["alias"]) == (
            "crear",
            unit.id,
            [None, "BTO, BULTO, BULTOS"],
        )


def test_a_spelling_of_another_unit_is_refused_beside_its_field(app, admin_client):
    r = admin_client.auth.post(
        "/catalogos/conceptos/unidades", data={"clave": "BTO", "alias": "Día"}, headers=HX
    )
    html = r.get_data(as_text=True)
    assert (
        r.status_code == 422 and 'id="unidad-alias-error"' in html and "«Día» ya es de la unidad DIA." in html
    )
    r = admin_client.auth.post("/catalogos/conceptos/unidades", data={"clave": "PIEZA"}, headers=HX)
    assert r.status_code == 422 and "ya se escribe así para la unidad PZA" in r.get_data(as_text=True)
    r = admin_client.auth.post("/catalogos/conceptos/unidades", data={"clave": ""}, headers=HX)
    assert r.status_code == 422 and "La clave de la unidad es obligatoria." in r.get_data(as_text=True)


def test_a_deactivated_unit_no_longer_normalises_and_is_logged(app, admin_client):
    from ot_app.concepts.units import alias_map, normalise
    from ot_app.models import ActividadLog, Unidad

    with app.app_context():
        pza = db.session.scalar(select(Unidad.id).where(Unidad.clave == "PZA"))
    r = admin_client.auth.post(
        f"/catalogos/conceptos/unidades/{pza}/activo", data={"activo": "0"}, headers=HX
    )
    assert r.status_code == 200 and "desactivada" in r.headers["HX-Trigger"]
    with app.app_context():
        assert normalise("PIEZA", alias_map()) == "PIEZA"
        log = db.session.scalar(select(ActividadLog).where(ActividadLog.entidad == "unidad"))
        assert (log.entidad_id, log.cambios) == (pza, {"activo": [True, False]})
    assert (
        admin_client.auth.post(
            "/catalogos/conceptos/unidades/999999/activo", data={"activo": "1"}, headers=HX
        ).status_code
        == 404
    )
    assert (
        admin_client.auth.post(f"/catalogos/conceptos/unidades/{pza}/activo", data={}, headers=HX).status_code
        == 400
    )
