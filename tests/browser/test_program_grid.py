"""The program grid in Chromium (issue 19), from the keyboard only: `p` on the OT page, typing
phases and activities with Tab/Enter, Alt+Enter adds a row, Alt+← makes it a phase, Alt+↑/↓ move
it, Alt+Supr deletes it, Ctrl+Enter saves; errors beside their cells; the tab shows the program."""

import pytest
from playwright.sync_api import expect

from ot_app.extensions import db
from ot_app.models import ProgramaRevision
from tests import factories

from .conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def ot(app):
    with app.app_context():
        made = factories.make_ot(orden_trabajo="OT-PRG-001")
        db.session.commit()
        return made.id


def cell(page, row, col):
    return page.locator(f"#programa-filas > tr:nth-child({row}) [data-col={col}]")


def test_type_a_program_from_the_keyboard(app, live_server, browser_login, page, ot, console_errors):
    browser_login(page, "editor1", rol="editor")
    page.goto(f"{live_server}/ot/{ot}")
    expect(page.locator("#programa-vacio")).to_be_visible()
    page.locator("body").press("p")
    expect(page).to_have_url(f"{live_server}/ot/{ot}/programa/editar")
    page.wait_for_load_state("load")

    cell(page, 1, "wbs").focus()
    page.keyboard.type("1")
    page.keyboard.press("Tab")
    page.keyboard.type("Ingeniería")
    page.keyboard.press("Enter")  # same column, next row
    expect(cell(page, 2, "nombre")).to_be_focused()
    for text in ("Levantamiento", "2026-02-02", "2026-02-10", "1000"):
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    page.keyboard.press("Alt+Enter")  # a row below, on its name
    expect(cell(page, 3, "nombre")).to_be_focused()
    for text in ("Detalle", "2026-02-11", "2026-02-20", "3000", "0"):
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # peso MXN: the default
    page.keyboard.press("Tab")  # peso USD
    page.keyboard.press("Tab")  # perfil: lineal
    expect(cell(page, 3, "predecesoras")).to_be_focused()
    page.keyboard.type("2")
    page.keyboard.press("Alt+Enter")
    page.keyboard.type("Patio")
    page.keyboard.press("Alt+ArrowLeft")  # a phase
    expect(page.locator("#programa-filas > tr:nth-child(4)")).to_have_class(r"grid-row fase")
    expect(page).to_have_url(f"{live_server}/ot/{ot}/programa/editar")  # Alt+← did not go back
    cell(page, 4, "predecesoras").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # the yard phase
    expect(cell(page, 4, "es_patio")).to_be_checked()
    page.keyboard.press("Alt+Enter")
    for text in ("Carga", "2026-02-21", "2026-03-01", "1000"):
        page.keyboard.type(text)
        page.keyboard.press("Tab")
    # A row added, moved up above "Carga", then deleted: the predecessors follow their rows.
    page.keyboard.press("Alt+Enter")
    page.keyboard.type("Temporal")
    page.keyboard.press("Alt+ArrowUp")
    expect(cell(page, 5, "nombre")).to_have_value("Temporal")
    expect(cell(page, 6, "nombre")).to_have_value("Carga")
    expect(page.locator("#programa-filas > tr:nth-child(6) .row-num")).to_have_text("6")
    cell(page, 6, "predecesoras").fill("5")  # Carga after Temporal…
    cell(page, 5, "nombre").focus()
    page.keyboard.press("Alt+Delete")  # …and Temporal goes: so does that link
    expect(cell(page, 5, "nombre")).to_have_value("Carga")
    expect(cell(page, 5, "predecesoras")).to_have_value("")
    cell(page, 5, "predecesoras").focus()
    page.keyboard.type("3+1")
    screenshot(page, "programa-grid")
    page.keyboard.press("Control+Enter")

    expect(page).to_have_url(f"{live_server}/ot/{ot}#programa")
    expect(page.locator("#programa-tabla")).to_be_visible()
    rows = page.locator("#programa-tabla tbody tr")
    expect(rows).to_have_count(5)
    expect(rows.nth(2)).to_contain_text("Detalle")
    expect(rows.nth(2)).to_contain_text("60.00 %")  # 3000 of 5000 MXN
    expect(rows.nth(3)).to_contain_text("Patio")
    expect(rows.nth(4)).to_contain_text("3+1")
    expect(page.locator(".sin-importes")).to_have_text("Sin importes en USD: sus pesos son 0.00 %.")
    with app.app_context():
        rev = db.session.scalars(db.select(ProgramaRevision)).one()
        assert [(a.nivel, a.nombre, a.es_patio) for a in rev.actividades] == [
            (1, "Ingeniería", False),
            (2, "Levantamiento", False),
            (2, "Detalle", False),
            (1, "Patio", True),
            (2, "Carga", False),
        ]
        assert len(rev.ligas) == 2

    # Editing again: an error beside its cell, every other cell kept, then fixed and saved.
    console_errors.allow(422)
    page.locator("body").press("p")
    expect(page).to_have_url(f"{live_server}/ot/{ot}/programa/editar")
    page.wait_for_load_state("load")
    cell(page, 2, "nombre").fill("")
    cell(page, 3, "fin").fill("2026-02-01")
    cell(page, 3, "fin").press("Control+Enter")
    expect(page.locator("#programa-filas > tr:nth-child(2) .c-nombre .error")).to_have_text(
        "El nombre es obligatorio."
    )
    expect(page.locator("#programa-filas > tr:nth-child(3) .c-fin .error")).to_have_text(
        "La fecha de término no puede ser anterior a la de inicio."
    )
    expect(cell(page, 3, "nombre")).to_have_value("Detalle")
    cell(page, 2, "nombre").fill("Levantamiento topográfico")
    cell(page, 3, "fin").fill("2026-02-20")
    cell(page, 3, "fin").press("Control+Enter")
    expect(page).to_have_url(f"{live_server}/ot/{ot}#programa")
    expect(page.locator("#programa-revision")).to_contain_text("Revisión 2")
    # Without a WBS a row is matched by its name: renamed, it is one removed and one added.
    expect(page.locator("#programa-cambios")).to_contain_text("1 agregada(s), 1 eliminada(s), 0 cambiada(s)")
