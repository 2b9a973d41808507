"""The OT list's toolbar and filters in Chromium at 1366×768, from the keyboard: a bulk status change
with its date and comment, the result row by row; a Tablero filter kept while another filter changes."""

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import expect

from ot_app.extensions import db
from ot_app.formatting import office_today
from ot_app.models import OTE, ActividadLog, EstatusOTId
from ot_app.orders import commands

from .. import factories
from .conftest import screenshot
from .test_orders import tab_to

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}


def make_ots(app, clientes, **kw):
    with app.app_context():
        resp = factories.make_responsable("Ing. Rosa Lima")
        ids = [
            factories.make_ot(pte=factories.make_pte(id_cliente=c), responsable=resp, **kw).id
            for c in clientes
        ]
        db.session.commit()
    return ids


def test_a_bulk_terminada_with_its_date_and_comment_from_the_keyboard(browser_login, page, live_server, app):
    page.set_viewport_size(LAPTOP)
    ids = make_ots(app, (2, 2, 2, 2))
    browser_login(page, "mgarcia", rol="editor")
    rows = page.locator("#ot-rows > tr[data-row]")
    expect(rows).to_have_count(4)
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.keyboard.press("Shift+J")
    page.keyboard.press("Shift+J")
    expect(page.locator("#sel-n")).to_have_text("3 seleccionadas")
    chosen = list(reversed(ids))[:3]
    with app.app_context():  # someone else changes the second one meanwhile
        commands.update_order({"id": chosen[1], "comentario_general": "Otra persona"}, None)

    page.keyboard.press("s")
    status = page.locator("#m-estatus")
    expect(status).to_be_focused()
    expect(page.locator("#m-fecha")).to_be_hidden()  # no status chosen: no date asked
    for _ in range(6):
        if status.evaluate("s => s.selectedOptions[0].textContent") == "Terminada":
            break
        page.keyboard.press("ArrowDown")
    expect(page.locator("#m-fecha-label")).to_have_text("Término real")
    expect(page.locator("#m-fecha")).to_be_visible()
    expect(page.locator("#m-fecha")).to_have_value(office_today().isoformat())
    page.keyboard.press("Tab")
    expect(page.locator("#m-fecha")).to_be_focused()
    page.keyboard.type("11202026")  # Chromium's date field, in its locale's order (mm/dd/yyyy)
    expect(page.locator("#m-fecha")).to_have_value("2026-11-20")
    tab_to(page, "m-comentario")  # past the date's segments and its calendar button
    page.keyboard.type("Cierre de campaña")
    page.keyboard.press("Control+Enter")

    result = page.locator("#masivo-resultado")
    expect(result).to_be_visible()
    expect(result).to_contain_text("2 OT cambiaron a «Terminada»")
    expect(result.locator("tbody tr")).to_have_count(3)
    expect(result.locator(f"tr[data-resultado='{chosen[0]}']")).to_contain_text("Cambiada")
    expect(result.locator(f"tr[data-resultado='{chosen[1]}']")).to_contain_text("Sin cambiar")
    expect(result.locator(f"tr[data-resultado='{chosen[1]}']")).to_contain_text("la modificó")
    expect(page.locator("#toasts")).to_contain_text("1 sin cambiar")
    expect(page.locator(f"#ot-{chosen[0]}")).to_contain_text("Terminada")
    expect(page.locator(f"#ot-{chosen[0]}")).to_contain_text("Real:")
    expect(page.locator(f"#ot-{chosen[0]}")).to_contain_text("20/11/2026")
    expect(page.locator("#sel-n")).to_have_text("Ninguna seleccionada")
    screenshot(page, "ot-lista-masivo-resultado", full_page=False)
    result.get_by_role("button", name="Cerrar").click()
    expect(result).to_be_hidden()
    with app.app_context():
        for ot_id in (chosen[0], chosen[2]):
            ot = db.session.get(OTE, ot_id)
            assert ot.id_estatus_ot == EstatusOTId.TERMINADA and ot.fecha_termino_real == date(2026, 11, 20)
            log = db.session.scalars(
                db.select(ActividadLog)
                .where(ActividadLog.entidad == "ot", ActividadLog.entidad_id == ot_id)
                .order_by(ActividadLog.id.desc())
            ).first()
            assert log.cambios[commands.STATUS_COMMENT] == [None, "Cierre de campaña"]
        assert db.session.get(OTE, chosen[1]).id_estatus_ot == EstatusOTId.PROGRAMADA


def test_a_tablero_filter_stays_while_another_filter_changes(browser_login, page, live_server, app):
    page.set_viewport_size(LAPTOP)
    today = office_today()
    late = {"fecha_termino_programado": today - timedelta(days=3)}
    make_ots(app, (2, 2, 3), **late)
    make_ots(
        app,
        (2,),
        fecha_inicio_programado=today + timedelta(days=1),
        fecha_termino_programado=today + timedelta(days=40),
    )
    browser_login(page, "mgarcia", rol="lector")
    page.goto(f"{live_server}/tablero")
    page.wait_for_load_state("load")
    page.locator("#tablero-vencidas a").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/\?vencidas=1"))
    rows = page.locator("#ot-rows > tr[data-row]")
    expect(rows).to_have_count(3)
    chip = page.locator("#filtros-tablero [data-chip='vencidas']")
    expect(chip).to_be_visible()
    expect(chip).to_contain_text("Vencidas")

    # Another filter changes: the Tablero's stays, in the URL and in the rows (and their count).
    page.get_by_label("Cliente").select_option("2")
    expect(page).to_have_url(re.compile(r"[?&]id_cliente=2"))
    expect(page).to_have_url(re.compile(r"[?&]vencidas=1"))
    expect(rows).to_have_count(2)
    expect(page.locator("#ot-results .results-meta")).to_contain_text("2 OT")
    expect(chip).to_be_visible()
    screenshot(page, "ot-lista-filtro-tablero", full_page=False)

    # Removed with one key: Tab to its ×, Enter.
    tab_to_remove = page.locator("#filtros-tablero a[data-remove-filter]")
    for _ in range(40):
        if tab_to_remove.evaluate("a => a === document.activeElement"):
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.locator("#filtros-tablero")).to_have_count(0)
    expect(page).to_have_url(f"{live_server}/?id_cliente=2")
    expect(rows).to_have_count(3)
    expect(page.locator("#ot-results .results-meta")).to_contain_text("3 OT")
