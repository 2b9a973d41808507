"""In Chromium: the upload preview marks the offending cells, the sábana grid folds and opens weeks
and pages by keyboard, the annex search answers as one types, and the OT list exports what it shows."""

import io

import openpyxl
import pytest
from playwright.sync_api import expect
from werkzeug.datastructures import FileStorage

from ot_app.annexes.commands import import_annex
from ot_app.extensions import db
from tests import factories
from tests.annexes.builders import sabana, xlsx

from .conftest import screenshot

pytestmark = pytest.mark.browser

BAD = [
    ["2", "PROTECCIÓN"],
    ["2.401.", "Limpieza con chorro de arena", None, 200, 4125.53, None],
    ["2.402.", "Pintura", "M2", 10, 0, None],
]


def test_the_preview_marks_the_offending_cells(browser_login, page, live_server, app, console_errors):
    with app.app_context():
        ot = factories.make_ot()
        db.session.commit()
        ot_id = ot.id
    console_errors.allow(422)  # the file with errors answers 422, on purpose
    browser_login(page, "mgarcia", rol="editor")
    page.goto(f"{live_server}/ot/{ot_id}")
    page.locator("#importar-anexo").click()
    page.locator("#anexo-archivo").set_input_files(
        {"name": "anexo.xlsx", "mimeType": "application/octet-stream", "buffer": xlsx(BAD)}
    )
    page.locator("#anexo-revisar").press("Enter")
    preview = page.locator("#reporte-vista-previa")
    expect(preview.locator("tbody tr")).to_have_count(2)
    bad = preview.locator('tr[data-fila="3"] td.celda-error')
    expect(bad).to_have_count(1)
    expect(bad).to_have_attribute("data-columna", "C")
    expect(bad).to_have_attribute("title", "unidad requerida")
    expect(preview.locator('tr[data-fila="4"] td.celda-warn')).to_have_attribute("title", "precio cero")
    expect(preview.locator('tr[data-fila="3"] td.mensajes')).to_contain_text("UNIDAD: unidad requerida")
    screenshot(page, "anexo-vista-previa", full_page=False)


def test_the_sabana_grid_and_the_annex_search(
    browser_login, page, live_server, app, console_errors, monkeypatch
):
    from ot_app.annexes import read

    monkeypatch.setattr(read, "GRID_PER_PAGE", 2)  # three lines: two pages
    rows = [
        ["4.7.", "Tubero", "JORNADA", 1, 1, 0, 0, 0, 2, 2, 2, 2, 2, 12],
        ["4.8.", "Soldador", "JORNADA", 0, 3, 0, 0, 0, 0, 0, 0, 0, 1, 4],
        ["4.9.", "Pintor", "JORNADA", 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 5],
    ]
    with app.app_context():
        ot = factories.make_ot()
        db.session.commit()
        ot_id = ot.id
        report = import_annex(
            ot_id, "sabana", FileStorage(io.BytesIO(sabana(rows, days=10)), "sabana.xlsx"), True, None
        )
        assert report.ok, report.errores
    browser_login(page, "lector1", rol="lector")
    page.goto(f"{live_server}/ot/{ot_id}")
    grid = page.locator("#sabana-tabla")
    expect(grid).to_be_visible()
    expect(grid.locator("tbody tr")).to_have_count(2)
    expect(page.locator("#sabana-totales")).to_contain_text("21")  # every line, not only this page
    week = page.locator('button[data-semana="2025-W41"]')
    expect(week).to_have_attribute("aria-expanded", "false")
    week.focus()
    week.press("Enter")
    expect(page.locator('button[data-semana="2025-W41"]')).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#sabana-tabla thead")).to_contain_text("06/10")
    # j/k move along the grid's rows (the OT page's step list shares the same keys)
    page.locator("#sabana-tabla tbody tr").first.click()
    page.locator("body").press("j")
    expect(page.locator("#sabana-tabla tbody tr").nth(1)).to_have_class("selected")
    page.locator("body").press("]")
    expect(page.locator("#sabana-tabla tbody tr")).to_have_count(1)
    expect(page.locator("#sabana-tabla tbody")).to_contain_text("Pintor")
    # the open week stays open on the next page
    expect(page.locator('button[data-semana="2025-W41"]')).to_have_attribute("aria-expanded", "true")
    screenshot(page, "sabana-cuadricula", full_page=False)

    page.locator("#anexo-sabana-q").fill("soldador")
    expect(page.locator("#busqueda-total")).to_contain_text("1 renglones para «soldador»")
    expect(page.locator("#anexo-sabana-resultados")).to_contain_text("4.8.")


def test_the_list_exports_its_current_filters(
    browser_login, page, live_server, app, console_errors, tmp_path
):
    with app.app_context():
        factories.make_ot(orden_trabajo="OT-EXPORTA-UNO")
        factories.make_ot(orden_trabajo="OT-OTRA-DOS")
        db.session.commit()
    browser_login(page, "lector2", rol="lector")
    page.goto(f"{live_server}/")
    page.locator("#q").fill("EXPORTA")
    expect(page.locator("#ot-rows")).not_to_contain_text("OT-OTRA-DOS")
    page.locator("body").click()
    with page.expect_download() as download:
        page.locator("body").press("Shift+X")
    assert download.value.suggested_filename == "ordenes_de_trabajo.xlsx"
    path = tmp_path / "ot.xlsx"
    download.value.save_as(path)
    wb = openpyxl.load_workbook(path)
    folios = [row[1] for row in wb.active.iter_rows(min_row=2, values_only=True)]
    wb.close()
    assert folios == ["OT-EXPORTA-UNO"]
