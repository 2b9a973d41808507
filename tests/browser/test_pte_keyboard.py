"""The PTE pages in Chromium at 1366×768, from the keyboard: search, sort, open, a new PTE in the
dialog (an error beside its field, then fixed), edit in the dialog, delete through our own dialog."""

import re

import pytest
from playwright.sync_api import expect

from ot_app.extensions import db
from ot_app.models import PTEHeader, Registro

from .. import factories
from .conftest import screenshot
from .test_orders import tab_to

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1366, "height": 768}


@pytest.fixture
def ptes(app):
    with app.app_context():
        factories.make_pte("PEP-KB-0002-2026", id_cliente=2, descripcion="Inspección de ductos")
        factories.make_pte("PEP-KB-0001-2026", id_cliente=1, descripcion="Mantenimiento a válvulas")
        factories.make_pte("PEP-OTRA-0003-2026", id_cliente=3, descripcion="Pintura anticorrosiva")
        db.session.commit()


def open_keys(page):
    """The keys are attached once the page's scripts ran (a key pressed before is lost)."""
    page.wait_for_load_state("load")


def test_the_pte_list_from_the_keyboard(browser_login, page, live_server, app, ptes, console_errors):
    console_errors.allow(422)  # the form with an error comes back as a 422
    page.set_viewport_size(LAPTOP)
    browser_login(page, "mgarcia", rol="editor")
    page.goto(f"{live_server}/pte")
    open_keys(page)
    rows = page.locator("#pte-rows > tr[data-row]")
    expect(rows).to_have_count(3)

    # The help lists the PTE keys.
    page.keyboard.press("?")
    expect(page.locator("#help")).to_be_visible()
    expect(page.locator("#help")).to_contain_text("Nueva PTE (en la lista)")
    page.keyboard.press("Escape")
    expect(page.locator("#help")).to_be_hidden()

    # Search as one types; the URL reproduces it.
    page.keyboard.press("/")
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type("kb")
    expect(page).to_have_url(f"{live_server}/pte?q=kb")
    expect(rows).to_have_count(2)

    # Sort by oficio: Tab to its header, Enter; again: descending.
    tab_to(page, "sort-oficio")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server}/pte?q=kb&orden=oficio")
    expect(rows.first).to_contain_text("PEP-KB-0001-2026")
    expect(page.locator("#sort-oficio")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server}/pte?q=kb&orden=-oficio")
    expect(rows.first).to_contain_text("PEP-KB-0002-2026")
    # A filter keeps the sort.
    page.locator("#f-cliente").select_option("2")
    expect(page).to_have_url(f"{live_server}/pte?q=kb&id_cliente=2&orden=-oficio")
    expect(rows).to_have_count(1)
    page.go_back()
    expect(rows).to_have_count(2)

    # New PTE in the dialog: first without a description (its error beside the field), then fixed.
    page.locator("body").focus()
    page.keyboard.press("Escape")
    page.keyboard.press("n")
    dialog = page.locator("#pte-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#oficio_pte")).to_be_focused()
    page.keyboard.type("PEP-KB-0009-2026")
    tab_to(page, "id_cliente")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#descripcion-error")).to_have_text("La descripción de la PTE es obligatoria.")
    expect(page.locator("#descripcion")).to_be_focused()
    expect(page.locator("#oficio_pte")).to_have_value("PEP-KB-0009-2026")
    expect(dialog).to_be_visible()
    screenshot(page, "pte-nueva-dialogo-error", full_page=False)
    page.keyboard.type("Reparación de soportes")
    page.keyboard.press("Control+Enter")
    expect(page).to_have_url(re.compile(r"/pte/\d+$"))
    expect(page.locator("#toasts")).to_contain_text("PTE creada correctamente")
    expect(page.get_by_role("heading", level=1)).to_contain_text("PEP-KB-0009-2026")

    # Back on the list: j to the row, e edits it in the dialog, Esc closes it unsaved.
    page.goto(f"{live_server}/pte?orden=oficio")
    open_keys(page)
    page.keyboard.press("j")
    expect(rows.first).to_have_class(re.compile(r"\bselected\b"))
    page.keyboard.press("e")
    expect(dialog).to_be_visible()
    expect(page.locator("#oficio_pte")).to_have_value("PEP-KB-0001-2026")
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()

    # Enter opens the selected PTE; e edits it in the dialog there.
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/pte/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("PEP-KB-0001-2026")
    open_keys(page)
    page.keyboard.press("e")
    expect(page.locator("#pte-dialog")).to_be_visible()
    expect(page.locator("#oficio_pte")).to_be_focused()
    tab_to(page, "plazo_dias")
    page.keyboard.press("Control+a")
    page.keyboard.type("120")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#toasts")).to_contain_text("PTE")
    expect(page.locator("dl.kv")).to_contain_text("120 días")

    # Delete through our own dialog (Cancelar focused first; Esc would close it).
    tab_to(page, "eliminar-pte")
    page.keyboard.press("Enter")
    confirm = page.locator("#confirm-eliminar")
    expect(confirm).to_be_visible()
    expect(confirm.get_by_role("button", name="Cancelar")).to_be_focused()
    page.keyboard.press("Shift+Tab")
    expect(confirm.get_by_role("button", name="Sí, eliminar")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server}/pte")
    expect(rows).to_have_count(3)
    expect(page.locator("#pte-rows")).not_to_contain_text("PEP-KB-0001-2026")
    with app.app_context():
        estatus = db.session.scalar(
            db.select(PTEHeader.estatus).where(PTEHeader.oficio_pte == "PEP-KB-0001-2026")
        )
        assert estatus == Registro.ELIMINADA
