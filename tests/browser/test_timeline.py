"""The timeline in Chromium (issue 14): move an OT from the keyboard until its site conflict
disappears (≤ 12 keystrokes), zoom and grouping from the URL and the keys, the print stylesheet
applied, no console error."""

import re

import pytest
from playwright.sync_api import expect

from ot_app.extensions import db
from tests import factories

from .conftest import screenshot

pytestmark = pytest.mark.browser
WINDOW = "desde=2027-01-01&hasta=2027-03-31"


@pytest.fixture
def two_on_a_vessel(app):
    """OT A 10–31/01/2027 and OT B 25/01–15/02/2027 on one vessel: 7 days over its capacity."""
    with app.app_context():
        pte, resp = factories.make_pte(), factories.make_responsable()
        barco = factories.make_embarcacion("B/C Linea")
        db.session.commit()
        ids = [
            factories.make_ot(
                pte=pte,
                responsable=resp,
                id_frente="2",
                id_embarcacion=barco.id,
                orden_trabajo=folio,
                fecha_inicio_programado=inicio,
                fecha_termino_programado=fin,
            ).id
            for folio, inicio, fin in (
                ("OT-LINEA-A", "2027-01-10", "2027-01-31"),
                ("OT-LINEA-B", "2027-01-25", "2027-02-15"),
            )
        ]
        db.session.commit()
    return ids


def test_move_an_ot_from_the_keyboard_until_its_conflict_disappears(
    page, browser_login, live_server, two_on_a_vessel, console_errors
):
    a, b = two_on_a_vessel
    browser_login(page)
    page.goto(f"{live_server}/linea-tiempo?{WINDOW}")
    row_b = page.locator(f"#tl-{b}")
    expect(row_b.locator("rect.conflicto")).to_have_count(1)
    expect(page.locator(f"#tl-{a} rect.conflicto")).to_have_count(1)
    bar = row_b.get_by_role("img", name="OT OT-LINEA-B, B/C Linea, programada del 25/01/2027")
    expect(bar).to_have_count(1)
    keys = ["j", "j"] + ["]"] * 7 + ["b"]  # select B, a week later a day at a time, save
    assert len(keys) <= 12
    page.locator("body").press("j")
    page.keyboard.press("j")
    expect(row_b).to_have_class(re.compile("selected"))
    for _ in range(7):
        page.keyboard.press("]")
    expect(page.locator("#linea-pendiente")).to_contain_text("del 01/02/2027 al 22/02/2027")
    page.keyboard.press("b")
    expect(page.locator("#toasts")).to_contain_text("OT actualizada correctamente")
    expect(page.locator(f"#tl-{b} rect.conflicto")).to_have_count(0)
    expect(page.locator(f"#tl-{b}").get_by_role("img", name="del 01/02/2027 al 22/02/2027")).to_have_count(1)
    # The saved row stays selected; Shift+[ moves it back a week (pending), the warning comes on b.
    page.keyboard.press("Shift+BracketLeft")
    expect(page.locator("#linea-pendiente")).to_contain_text("del 25/01/2027 al 15/02/2027")
    page.keyboard.press("b")
    expect(page.locator("#toasts")).to_contain_text("ya está reservada")
    expect(page.locator(f"#tl-{b} rect.conflicto")).to_have_count(1)
    screenshot(page, "linea-tiempo")


def test_zoom_and_grouping_from_the_url_and_the_keys(
    page, browser_login, live_server, two_on_a_vessel, console_errors
):
    a, _ = two_on_a_vessel
    browser_login(page)
    page.goto(f"{live_server}/linea-tiempo?zoom=semana&agrupar=estatus")
    expect(page.locator("#linea")).to_have_attribute("data-zoom", "semana")
    expect(page.locator("#f-agrupar")).to_have_value("estatus")
    page.locator("body").press("+")
    expect(page.locator("#linea")).to_have_attribute("data-zoom", "dia")
    expect(page).to_have_url(re.compile(r"zoom=dia"))
    page.keyboard.press("-")
    page.keyboard.press("-")
    expect(page.locator("#linea")).to_have_attribute("data-zoom", "mes")
    page.goto(f"{live_server}/linea-tiempo?{WINDOW}&agrupar=embarcacion")
    expect(page.locator("tr.tl-g").first).to_have_text("B/C Linea")
    page.locator("body").press("j")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/ot/{a}$"))


def test_the_print_stylesheet_is_applied(page, browser_login, live_server, two_on_a_vessel, console_errors):
    browser_login(page)
    page.goto(f"{live_server}/linea-tiempo?{WINDOW}")
    page.emulate_media(media="print")
    expect(page.locator("header.topbar")).to_be_hidden()
    expect(page.locator("#linea-filtros")).to_be_hidden()
    assert page.locator(".tl thead").evaluate("e => getComputedStyle(e).display") == "table-header-group"
    assert page.locator(".linea-scroll").evaluate("e => getComputedStyle(e).overflowX") == "visible"
    page.emulate_media(media="screen")
    expect(page.locator("#linea-filtros")).to_be_visible()
