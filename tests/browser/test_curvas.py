"""A cut-off typed from the keyboard in Chromium (issue 19): digits and Enter per activity,
Ctrl+Enter saves; the message beside a bad value; then the last cut-off's figures, the S-curve
(server-drawn SVG) and its table, and the currency switch."""

import re

import pytest
from playwright.sync_api import expect

from ot_app.extensions import db
from tests import factories
from tests.schedules.curve_builders import two_activities

from .conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def programmed(app):
    with app.app_context():
        ot = factories.make_ot(orden_trabajo="OT-CURVA-001")
        two_activities(ot.id)
        db.session.commit()
        return ot.id


def test_type_a_cut_off_and_see_the_curve_and_its_table(
    page, browser_login, live_server, programmed, console_errors
):
    console_errors.allow(422)  # the first try has a bad value on purpose
    browser_login(page)
    page.goto(f"{live_server}/ot/{programmed}")
    grid = page.locator("#corte-form")
    expect(grid).to_be_visible()
    expect(page.locator("#sin-cortes")).to_be_visible()
    page.locator("#fecha_corte").fill("2026-02-13")
    page.locator("#fecha_corte").press("Enter")  # Enter: to the first activity
    first = page.locator("input.avance").nth(0)
    expect(first).to_be_focused()
    page.keyboard.type("80")
    page.keyboard.press("Enter")
    expect(page.locator("input.avance").nth(1)).to_be_focused()
    page.keyboard.type("130")
    page.keyboard.press("Control+Enter")
    error = page.locator("p.error", has_text="El avance debe estar entre 0 y 100 %.")
    expect(error).to_be_visible()
    second = page.locator("input.avance").nth(1)
    expect(second).to_have_value("130")  # what was typed stays
    second.click()
    second.fill("")
    page.keyboard.type("10")
    page.keyboard.press("Control+Enter")

    summary = page.locator("#ultimo-corte")
    expect(summary).to_contain_text("13/02/2026")
    expect(summary.locator("tr[data-moneda=mxn]")).to_contain_text("27.50 %")  # 25 % × 80 + 75 % × 10
    expect(summary.locator("tr[data-moneda=usd]")).to_contain_text("10.00 %")
    expect(page.locator("#dias-atraso")).to_contain_text("de atraso")
    svg = page.locator("svg.curva-svg")
    expect(svg.locator("polyline.serie-real")).to_have_count(1)
    expect(svg.locator("circle.marca-real")).to_have_count(1)  # one cut-off: a dot
    expect(svg.locator("title").first).to_contain_text("Curva S de OT-CURVA-001 (MXN, semanal)")
    row = page.locator("table.curva-tabla tr", has=page.locator("th", has_text="2026-02-13"))
    expect(row.locator("td").nth(2)).to_have_text("27.50")
    screenshot(page, "curva-s-ot")

    page.locator("[data-curva-moneda]").select_option("usd")
    expect(page.locator("table.curva-tabla caption")).to_contain_text("USD")
    expect(row.locator("td").nth(2)).to_have_text("10.00")


def test_the_portfolio_page_draws_the_curve(page, browser_login, live_server, programmed):
    browser_login(page)
    page.goto(f"{live_server}/curva-s")
    expect(page.locator("svg.curva-svg polyline.serie-planeado")).to_have_count(1)
    page.locator("[data-curva-periodo]").select_option("mes")
    expect(page.locator("table.curva-tabla th[scope=row]").last).to_have_text("2026-03")
    expect(page).to_have_url(re.compile(r"/curva-s\?moneda=mxn&periodo=mes"))  # the view has its URL
    page.locator("#f-cliente").select_option("2")
    expect(page.locator(".curva-vacia")).to_be_visible()
