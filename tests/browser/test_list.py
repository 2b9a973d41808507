"""The OT list finished (issue 17): it fits 1366×768, bulk actions from the keyboard, counts that
refresh with their rows, the PTE filter that never enters the history, the OT history that follows
a step change, and the print stylesheet. Chromium at 1366×768, as the office's laptops."""

import re

import pytest
from playwright.sync_api import expect

from ot_app.extensions import db
from ot_app.models import OTE, Cliente, EstatusOTId
from ot_app.orders import commands
from tests import factories

from .conftest import screenshot

pytestmark = pytest.mark.browser
LAPTOP = {"width": 1366, "height": 768}
LONG_CLIENT = "Petróleos Mexicanos Exploración y Producción, Región Marina Noreste, Activo Integral"


def make_list(app, n, deleted=0):
    """n OTs of a client with a long name, with a vessel and a platform (the widest rows)."""
    with app.app_context():
        cliente = factories.make_catalog(Cliente, LONG_CLIENT)
        pte = factories.make_pte("PTE-008-2026", id_cliente=cliente.id)
        resp = factories.make_responsable("Ing. Guadalupe Hernández Villanueva")
        factories.make_responsable("Ing. Rosa Díaz")
        patio = factories.make_patio("Patio Dos Bocas")
        ids = [
            factories.make_ot(
                pte=pte,
                responsable=resp,
                patio=patio,
                orden_trabajo=f"OT-GRZ-{i:03d}-26-016.7-J-NHA",
                descripcion_trabajo="Rehabilitación de línea de descarga de 8 pulgadas en la batería de separación",
                monto_mxn="1,234,567.50",
                monto_usd="10,000.25",
            ).id
            for i in range(1, n + 1)
        ]
        for ot_id in ids[:deleted]:
            commands.delete_order(ot_id, None)
        db.session.commit()
    return ids


def test_the_list_fits_1366_without_horizontal_scroll_and_shows_15_rows(
    browser_login, page, live_server, app
):
    page.set_viewport_size(LAPTOP)
    make_list(app, 30)
    browser_login(page, "mgarcia", rol="editor")
    rows = page.locator("#ot-rows > tr[data-row]")
    expect(rows).to_have_count(30)
    assert page.evaluate("document.scrollingElement.scrollWidth") <= LAPTOP["width"]
    assert page.evaluate(
        "document.querySelector('.table-wrap').scrollWidth <= document.querySelector('.table-wrap').clientWidth"
    )
    visible = page.evaluate(
        "Array.from(document.querySelectorAll('#ot-rows > tr[data-row]'))"
        ".filter(r => { const b = r.getBoundingClientRect(); return b.top >= 0 && b.bottom <= innerHeight; }).length"
    )
    assert visible >= 15, f"{visible} rows visible at 1366×768"
    # A long client name is clipped, whole in its tooltip.
    client = rows.nth(0).locator("td:nth-child(5)")  # the client (cells carry no class)
    assert client.evaluate("td => td.scrollWidth > td.clientWidth")
    client.hover()
    expect(client).to_have_attribute("title", LONG_CLIENT)
    # The inline edit's buttons stay on screen.
    rows.nth(0).get_by_role("button", name=re.compile("Editar en línea")).click()
    for button in ("[data-save]", "[data-cancel]"):
        expect(page.locator(f"tr.editing {button}")).to_be_visible()
        box = page.locator(f"tr.editing {button}").bounding_box()
        assert box["x"] + box["width"] <= LAPTOP["width"] - 8, button
    assert page.evaluate("document.scrollingElement.scrollWidth") <= LAPTOP["width"]
    wrap = "document.querySelector('.table-wrap')"
    assert page.evaluate(f"{wrap}.scrollWidth <= {wrap}.clientWidth")
    screenshot(page, "ot-lista-1366", full_page=False)


def test_a_save_keeps_the_scroll_position(browser_login, page, live_server, app):
    page.set_viewport_size(LAPTOP)
    ids = make_list(app, 40)
    browser_login(page, "mgarcia", rol="editor")
    row = page.locator(f"#ot-{ids[10]}")  # newest first: well down the page
    row.scroll_into_view_if_needed()
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(100)
    before = page.evaluate("scrollY")
    assert before > 0
    row.get_by_role("button", name=re.compile("Editar en línea")).click()
    expect(row).to_have_class(re.compile(r"\bediting\b"))
    row.get_by_label("Comentario").fill("Sin cambio de lugar")
    row.get_by_label("Comentario").press("Enter")
    expect(row).not_to_have_class(re.compile(r"\bediting\b"))
    expect(row).to_contain_text("Sin cambio de lugar")
    assert abs(page.evaluate("scrollY") - before) < 40


def test_a_bulk_status_change_from_the_keyboard_skips_a_row_changed_meanwhile(
    browser_login, page, live_server, app
):
    page.set_viewport_size(LAPTOP)
    ids = make_list(app, 5)
    browser_login(page, "mgarcia", rol="editor")
    rows = page.locator("#ot-rows > tr[data-row]")
    expect(rows).to_have_count(5)
    page.keyboard.press("j")
    page.keyboard.press("x")  # the first row
    page.keyboard.press("Shift+J")  # extends to the second and the third
    page.keyboard.press("Shift+J")
    expect(page.locator("#sel-n")).to_have_text("3 seleccionadas")
    chosen = list(reversed(ids))[:3]
    # Someone else changes the second selected OT before the action.
    with app.app_context():
        commands.update_order({"id": chosen[1], "comentario_general": "Otra persona"}, None)
    page.keyboard.press("s")
    expect(page.locator("#m-estatus")).to_be_focused()
    page.keyboard.press("ArrowDown")  # — → the first status
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")  # Terminada? whichever: read it back
    chosen_label = page.evaluate("document.getElementById('m-estatus').selectedOptions[0].textContent")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#toasts")).to_contain_text("2 OT cambiaron")
    expect(page.locator("#toasts")).to_contain_text("1 sin cambiar")
    expect(page.locator(f"#ot-{chosen[0]}")).to_contain_text(chosen_label)
    expect(page.locator(f"#ot-{chosen[2]}")).to_contain_text(chosen_label)
    expect(page.locator(f"#ot-{chosen[1]}")).not_to_contain_text(chosen_label)
    expect(page.locator("#sel-n")).to_have_text("Ninguna seleccionada")
    with app.app_context():
        assert db.session.get(OTE, chosen[1]).id_estatus_ot == EstatusOTId.PROGRAMADA
        assert db.session.get(OTE, chosen[1]).comentario == "Otra persona"


def test_the_totals_cover_every_page_of_the_filtered_list(browser_login, page, live_server, app):
    make_list(app, 3)
    browser_login(page, "mgarcia", rol="lector")
    totals = page.locator("#ot-totales")
    expect(totals).to_contain_text("3 OT")
    expect(totals).to_contain_text("3,703,702.50")
    expect(totals).to_contain_text("30,000.75")
    page.get_by_label("Buscar").fill("zzz-no-existe")
    expect(totals).to_contain_text("0.00")


def test_the_pte_filter_applies_as_you_type_and_never_enters_the_history(
    browser_login, page, live_server, app
):
    make_list(app, 2)
    with app.app_context():
        factories.make_ot(orden_trabajo="OT-OTRA-PTE-001")
    browser_login(page, "mgarcia", rol="lector")
    expect(page.locator("#ot-rows > tr[data-row]")).to_have_count(3)
    page.get_by_label("PTE", exact=True).press_sequentially("008", delay=60)
    expect(page.locator("#ot-rows > tr[data-row]")).to_have_count(2)
    expect(page).to_have_url(re.compile(r"/\?pte=008$"))
    assert "ptes-filtro" not in page.url
    page.reload()
    expect(page.locator("#ot-rows > tr[data-row]")).to_have_count(2)
    expect(page.get_by_label("PTE", exact=True)).to_have_value("008")


def test_after_restaurar_the_count_says_what_the_rows_show(browser_login, page, live_server, app):
    ids = make_list(app, 5, deleted=4)
    browser_login(page, "jefa", rol="admin")
    page.goto(f"{live_server}/?estatus=0")
    meta = page.locator(".results-meta")
    expect(meta).to_contain_text("4 OT eliminadas")
    page.locator(f"#ot-{ids[0]}").get_by_role("button", name="Restaurar").click()
    expect(page.locator("#toasts")).to_contain_text("OT restaurada correctamente")
    expect(page.locator("#ot-rows > tr[data-row]")).to_have_count(3)
    expect(meta).to_contain_text("3 OT eliminadas")


def test_the_ot_history_follows_a_step_change_without_a_reload(browser_login, page, live_server, app):
    (ot_id,) = make_list(app, 1)
    browser_login(page, "mgarcia", rol="editor")
    page.goto(f"{live_server}/ot/{ot_id}")
    history = page.locator("#historial .history > li")
    before = history.count()
    page.keyboard.press("j")
    page.keyboard.press("3")  # the first step: Completado
    expect(history).to_have_count(before + 1)
    expect(page.locator("#historial")).to_contain_text("Completado")


def test_the_print_stylesheet_hides_navigation_filters_and_buttons(browser_login, page, live_server, app):
    ids = make_list(app, 3)
    browser_login(page, "mgarcia", rol="editor")
    page.emulate_media(media="print")
    hidden = "el => getComputedStyle(el).display === 'none'"
    for selector in (
        ".topbar",
        "#filtros",
        "#masivo",
        "#ot-rows > tr > td:nth-child(13)",  # the actions
        "#ot-rows > tr > td:first-child",  # the checkbox
        ".hint-keys",
    ):
        assert page.locator(selector).first.evaluate(hidden), f"{selector} is printed"
    assert not page.locator("#ot-table").evaluate(hidden)
    assert (
        page.locator("#ot-table thead").evaluate("el => getComputedStyle(el).display") == "table-header-group"
    )
    # Clipped text is printed whole.
    assert (
        page.locator(f"#ot-{ids[0]} td:nth-child(5)").evaluate("el => getComputedStyle(el).whiteSpace")
        != "nowrap"
    )
    screenshot(page, "ot-lista-impresion")
    page.goto(f"{live_server}/ot/{ids[0]}")
    assert page.locator(".topbar").evaluate(hidden)
    assert page.locator("[data-status-page]").evaluate(hidden)
    page.goto(f"{live_server}/pte")
    assert page.locator(".topbar").evaluate(hidden)
