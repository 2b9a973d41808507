"""A large annex upload in Chromium: the dialog shows the rows being read (a <progress> with the
sheet's rows), stays usable meanwhile, then shows the report; confirming goes the same way and the
tab shows the revision."""

import pytest
from playwright.sync_api import expect

from ot_app.annexes import jobs
from ot_app.extensions import db
from tests import factories
from tests.annexes.test_jobs import big_anexo

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_a_large_file_shows_its_progress_then_the_report_and_confirms(
    browser_login, page, live_server, app, console_errors, monkeypatch
):
    # The row count is written every 50 ms (the live server is a thread of this process), so the
    # dialog's poll sees it count up even on a machine that reads the file in under a second.
    monkeypatch.setattr(jobs, "REPORT_EVERY", 0.05)
    with app.app_context():
        ot = factories.make_ot(monto_mxn="1,000,000.00")
        db.session.commit()
        ot_id = ot.id
    # 50,000 lines: the dialog polls every half second, and a quiet machine reads 10,000 in a fifth.
    data = big_anexo(50_000)
    browser_login(page, "mgarcia", rol="editor")
    page.goto(f"{live_server}/ot/{ot_id}")
    page.locator("#importar-anexo").click()
    page.locator("#anexo-archivo").set_input_files(
        {"name": "anexo-grande.xlsx", "mimeType": "application/octet-stream", "buffer": data}
    )
    page.locator("#anexo-revisar").press("Enter")

    job = page.locator("#anexo-trabajo")
    expect(job).to_contain_text("Leyendo renglones…")
    expect(job.locator("progress")).to_have_attribute("max", "50011")  # the sheet's rows
    expect(page.locator("#anexo-trabajo-filas")).not_to_have_text("0")  # rows read, counting up
    screenshot(page, "anexo-progreso", full_page=False)
    # The page is not frozen while the file is read: the type select still answers.
    page.locator("#anexo-tipo").select_option("sabana")
    page.locator("#anexo-tipo").select_option("anexo_c")

    expect(page.locator("#reporte-total-mxn")).to_contain_text("1,000,000.00", timeout=60_000)
    expect(page.locator("#anexo-trabajo")).to_have_count(0)
    page.locator("#anexo-confirmar").click()
    expect(page.locator("#anexo-trabajo")).to_be_visible()
    expect(page.locator("#anexo-guardado")).to_contain_text("revisión 1", timeout=60_000)
    expect(page.locator("#anexo-anexo_c")).to_contain_text("revisión 1")


def test_the_anexo_c_tab_loads_a_chapter_when_opened_from_the_keyboard(
    browser_login, page, live_server, app, console_errors
):
    rows = [
        ["2", "PROTECCIÓN ANTICORROSIVA"],
        [None, "LIMPIEZA"],
        ["2.401.", "Limpieza con chorro de arena", "M2", 200, 4125.53, None],
        ["2.402.", "Limpieza manual", "M2", 10, 100, None],
        ["4", "PERSONAL"],
        ["4.7.", "Tubero especialista", "JORNADA", 40, 2850, 100],
    ]
    with app.app_context():
        ot = factories.make_ot()
        db.session.commit()
        factories.make_annex(ot.id, rows)
        ot_id = ot.id
    browser_login(page, "lector1", rol="lector")
    page.goto(f"{live_server}/ot/{ot_id}")
    chapters = page.locator("#anexo-anexo_c details.capitulo")
    expect(chapters).to_have_count(2)
    expect(chapters.first.locator("summary")).to_have_text("2 · 2 renglones · M.N. 826,106.00 · USD 0.00")
    expect(page.locator("#anexo-anexo_c")).not_to_contain_text("Limpieza manual")  # collapsed, not loaded
    summary = chapters.first.locator("summary")
    summary.focus()
    summary.press("Enter")
    table = chapters.first.locator("table.capitulo-tabla")
    expect(table.locator("tr.subencabezado")).to_have_text("LIMPIEZA")
    expect(table.locator("tr[data-row]")).to_have_count(2)
    # j moves along the chapter's rows, like every list of the page
    table.locator("tr[data-row]").first.click()
    page.locator("body").press("j")
    expect(table.locator("tr[data-row]").nth(1)).to_have_class("selected")
    expect(chapters.nth(1).locator("tr[data-row]")).to_have_count(0)  # the other chapter waits
    screenshot(page, "anexo-capitulos", full_page=False)
    # The annex search still finds lines of chapters never opened.
    page.locator("#anexo-anexo_c-q").fill("tubero")
    expect(page.locator("#anexo-anexo_c-resultados")).to_contain_text("Tubero especialista")
