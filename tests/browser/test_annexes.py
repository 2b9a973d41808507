"""The Anexos tab in Chromium: upload a file with errors, read its cells, upload the fixed file,
confirm, see the revision and its comparison, export it."""

import pytest
from playwright.sync_api import expect

from ot_app.extensions import db
from tests import factories
from tests.annexes.builders import xlsx

from .conftest import screenshot

pytestmark = pytest.mark.browser

GOOD = [["2", "PROTECCIÓN"], ["2.401.", "Limpieza con chorro de arena", "M2", 200, 4125.53, None]]
BAD = [["2", "PROTECCIÓN"], ["2.401.", "Limpieza con chorro de arena", None, 200, 4125.53, None]]
MORE = [*GOOD, ["2.402.", "Pintura epóxica", "M2", 10, 350, None]]


def choose(page, rows, name="anexo.xlsx"):
    page.locator("#anexo-archivo").set_input_files(
        {"name": name, "mimeType": "application/octet-stream", "buffer": xlsx(rows)}
    )


def test_upload_errors_then_the_fixed_file_confirm_compare_and_export(
    browser_login, page, live_server, app, console_errors
):
    with app.app_context():
        ot = factories.make_ot(monto_mxn="825,106.00")
        db.session.commit()
        ot_id = ot.id
    console_errors.allow(422)  # the file with errors answers 422, on purpose
    browser_login(page, "mgarcia", rol="editor")
    page.goto(f"{live_server}/ot/{ot_id}")
    expect(page.locator("#anexo-anexo_c")).to_contain_text("Sin importar.")

    page.locator("#importar-anexo").click()
    expect(page.locator("#anexo-archivo")).to_be_focused()
    choose(page, BAD)
    page.locator("#anexo-revisar").press("Enter")
    errors = page.locator("#reporte-errores tbody tr")
    expect(errors).to_have_count(1)
    expect(errors.first).to_contain_text("ANEXO C")
    expect(errors.first).to_contain_text("UNIDAD")
    expect(errors.first).to_contain_text("unidad requerida")
    expect(page.locator("#anexo-confirmar")).to_have_count(0)
    screenshot(page, "anexo-con-errores", full_page=False)

    choose(page, GOOD)
    page.locator("#anexo-revisar").click()
    expect(page.locator("#reporte-total-mxn")).to_contain_text("825,106.00")
    page.locator("#anexo-confirmar").click()
    expect(page.locator("#anexo-guardado")).to_contain_text("revisión 1")
    expect(page.locator("#anexo-anexo_c")).to_contain_text("revisión 1")

    choose(page, MORE, name="anexo-v2.xlsx")
    page.locator("#anexo-revisar").click()
    page.locator("#anexo-confirmar").click()
    expect(page.locator("#anexo-guardado")).to_contain_text("revisión 2")
    page.locator("#anexo-dialog [data-close-dialog]").click()
    tab = page.locator("#anexo-anexo_c")
    expect(tab).to_contain_text("revisión 2")
    expect(page.locator("#anexo-anexo_c-cambios")).to_contain_text("1 agregados: 2.402. Pintura epóxica")
    expect(page.locator("#anexo-anexo_c-diferencia")).to_be_visible()
    screenshot(page, "anexos-pestana")

    with page.expect_download() as download:
        tab.locator("table.revisiones a", has_text="xlsx").first.click()
    assert download.value.suggested_filename.endswith("_anexo_c_rev2.xlsx")
