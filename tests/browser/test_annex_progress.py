"""A large annex upload in Chromium: the dialog shows the rows being read (a <progress> with the
sheet's rows), stays usable meanwhile, then shows the report; confirming goes the same way and the
tab shows the revision."""

import pytest
from playwright.sync_api import expect

from ot_app.extensions import db
from tests import factories
from tests.annexes.test_jobs import big_anexo

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_a_large_file_shows_its_progress_then_the_report_and_confirms(
    browser_login, page, live_server, app, console_errors
):
    with app.app_context():
        ot = factories.make_ot(monto_mxn="200,000.00")
        db.session.commit()
        ot_id = ot.id
    data = big_anexo(10_000)  # about 3 s of reading here
    browser_login(page, "mgarcia", rol="editor")
    page.goto(f"{live_server}/ot/{ot_id}")
    page.locator("#importar-anexo").click()
    page.locator("#anexo-archivo").set_input_files(
        {"name": "anexo-grande.xlsx", "mimeType": "application/octet-stream", "buffer": data}
    )
    page.locator("#anexo-revisar").press("Enter")

    job = page.locator("#anexo-trabajo")
    expect(job).to_contain_text("Leyendo renglones…")
    expect(job.locator("progress")).to_have_attribute("max", "10011")  # the sheet's rows
    expect(page.locator("#anexo-trabajo-filas")).not_to_have_text("0")  # rows read, counting up
    screenshot(page, "anexo-progreso", full_page=False)
    # The page is not frozen while the file is read: the type select still answers.
    page.locator("#anexo-tipo").select_option("sabana")
    page.locator("#anexo-tipo").select_option("anexo_c")

    expect(page.locator("#reporte-total-mxn")).to_contain_text("200,000.00", timeout=60_000)
    expect(page.locator("#anexo-trabajo")).to_have_count(0)
    page.locator("#anexo-confirmar").click()
    expect(page.locator("#anexo-trabajo")).to_be_visible()
    expect(page.locator("#anexo-guardado")).to_contain_text("revisión 1", timeout=60_000)
    expect(page.locator("#anexo-anexo_c")).to_contain_text("revisión 1")
