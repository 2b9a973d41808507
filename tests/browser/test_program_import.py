"""The "Importar programa" dialog in Chromium, from the keyboard: an MS Project file with an
error, then a good one reviewed and confirmed; the workbook through the annex importer's
`programa` kind (its S-curve table, then annex and program stored together); and a program
derived from the Anexo C."""

import io

import pytest
from playwright.sync_api import expect
from sqlalchemy import select
from werkzeug.datastructures import FileStorage

from ot_app.annexes.commands import import_annex
from ot_app.extensions import db
from ot_app.models import ProgramaRevision
from tests import factories
from tests.annexes.builders import xlsx
from tests.annexes.test_programa import DE_ME, DE_MN, DT6, workbook
from tests.schedules.test_source_mspdi import SAMPLE

from .conftest import screenshot

pytestmark = pytest.mark.browser


def origins(app, ot_id):
    with app.app_context():
        return [
            r.origen
            for r in db.session.scalars(
                select(ProgramaRevision).where(ProgramaRevision.id_ot == ot_id).order_by(ProgramaRevision.n)
            )
        ]


def test_import_a_program_from_each_source_by_keyboard(browser_login, page, live_server, app, console_errors):
    with app.app_context():
        ot = factories.make_ot()
        db.session.commit()
        ot_id = ot.id
        data = xlsx(
            [["2", "PROTECCIÓN"], ["2.401.", "Limpieza con chorro de arena", "M2", 200, 4125.53, None]]
        )
        assert import_annex(ot_id, "anexo_c", FileStorage(io.BytesIO(data), "anexo.xlsx"), True, None).ok
    console_errors.allow(422)  # the bad file answers 422, on purpose
    browser_login(page, "mgarcia", rol="editor")
    page.goto(f"{live_server}/ot/{ot_id}")

    page.locator("#importar-programa").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#programa-archivo")).to_be_focused()

    # An HTML page saved as .xml: refused, no Confirmar.
    page.locator("#programa-archivo").set_input_files(
        {"name": "obra.xml", "mimeType": "text/xml", "buffer": b"<html><body>no</body></html>"}
    )
    page.locator("#programa-archivo-revisar").press("Enter")
    expect(page.locator("#programa-reporte-errores")).to_contain_text(
        "no es un proyecto de MS Project (HTML)"
    )
    expect(page.locator("#programa-confirmar")).to_have_count(0)

    page.locator("#programa-archivo").set_input_files(
        {"name": "obra.xml", "mimeType": "text/xml", "buffer": SAMPLE}
    )
    page.locator("#programa-archivo-revisar").press("Enter")
    expect(page.locator("#programa-reporte-cuenta")).to_have_text("3 · 5 · 3")
    expect(page.locator("#programa-reporte-advertencias")).to_contain_text("tomada como fin a inicio")
    page.locator("#programa-confirmar").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#programa-guardado")).to_have_text("Programa guardado como revisión 1.")
    screenshot(page, "programa-importado", full_page=False)

    # The workbook: the annex importer's programa kind, from the same dialog.
    page.locator("#programa-libro").set_input_files(
        {
            "name": "programa.xlsx",
            "mimeType": "application/octet-stream",
            "buffer": workbook(DT6, DE_MN, DE_ME),
        }
    )
    page.locator("#programa-libro-revisar").press("Enter")
    expect(page.locator("#reporte-curva-s tbody tr")).to_have_count(3)
    expect(page.locator("#reporte-curva-s tbody tr").last).to_contain_text("100.00")
    page.locator("#anexo-confirmar").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#anexo-guardado")).to_have_text(
        "Anexo guardado como revisión 1 y programa como revisión 2."
    )

    page.locator("#programa-anexo_c-revisar").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#programa-reporte-cuenta")).to_have_text("1 · 1 · 0")
    page.locator("#programa-confirmar").press("Enter")
    expect(page.locator("#programa-guardado")).to_have_text("Programa guardado como revisión 3.")
    page.keyboard.press("Escape")
    expect(page.locator("#programa-importar-dialog")).not_to_be_visible()
    assert origins(app, ot_id) == ["mspdi", "programa", "anexo"]


def test_confirm_pressed_as_soon_as_the_report_appears_confirms(browser_login, page, live_server, app):
    """htmx tracks a `form=` button's value only once the swap settles; a fast Enter on
    "Confirmar" must still confirm, not review again (app.js sends the submitter's value)."""
    with app.app_context():
        ot = factories.make_ot()
        db.session.commit()
        ot_id = ot.id
        data = xlsx([["2", "PROTECCIÓN"], ["2.401.", "Limpieza", "M2", 200, 4125.53, None]])
        assert import_annex(ot_id, "anexo_c", FileStorage(io.BytesIO(data), "anexo.xlsx"), True, None).ok
    browser_login(page, "mgarcia", rol="editor")
    page.goto(f"{live_server}/ot/{ot_id}")
    # A long settle makes the window between the swap and htmx's processing certain to be hit.
    page.evaluate("htmx.config.defaultSettleDelay = 2000")
    page.locator("#importar-programa").focus()
    page.keyboard.press("Enter")
    page.locator("#programa-anexo_c-revisar").focus()
    page.keyboard.press("Enter")
    page.locator("#programa-confirmar").press("Enter")
    expect(page.locator("#programa-guardado")).to_have_text("Programa guardado como revisión 1.")
    assert origins(app, ot_id) == ["anexo"]
