"""The contract's concept catalog in Chromium: import it from the dialog (dry run, confirm), find a
concept from the keyboard (/ to search, ↓ into the results), convert a PUE to ordinary with `e`."""

import pytest
from playwright.sync_api import expect

from tests.annexes.concept_builders import contract

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_import_the_catalog_find_a_concept_from_the_keyboard_and_convert_a_pue(
    browser_login, page, live_server, app, console_errors
):
    browser_login(page, "mgarcia", rol="editor")
    page.goto(f"{live_server}/catalogos/conceptos")
    expect(page.locator("#conceptos-rows")).to_contain_text("Sin conceptos")

    page.keyboard.press("n")  # opens the upload dialog, the file input focused
    expect(page.locator("#concepto-archivo")).to_be_focused()
    page.locator("#concepto-archivo").set_input_files(
        {"name": "contrato.xlsx", "mimeType": "application/octet-stream", "buffer": contract()}
    )
    page.locator("#concepto-revisar").press("Enter")
    expect(page.locator("#concepto-reporte")).to_contain_text("al confirmar, 6 nuevos")
    page.locator("#anexo-confirmar").click()
    expect(page.locator("#anexo-guardado")).to_contain_text("Catálogo de conceptos actualizado: 6 nuevos")
    page.locator("#concepto-dialog [data-close-dialog]").click()
    expect(page.locator("#conceptos-total")).to_have_text("6 conceptos")

    page.keyboard.press("/")
    expect(page.locator("#q")).to_be_focused()
    page.keyboard.type("grúa")
    rows = page.locator("#conceptos-rows tr[data-row]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("1C-009")
    expect(page).to_have_url(f"{live_server}/catalogos/conceptos?q=gr%C3%BAa&tipo=&estado=activos")
    page.keyboard.press("ArrowDown")
    expect(rows.first).to_have_class("selected")
    page.once("dialog", lambda d: d.accept())  # hx-confirm: "¿Convertir …?"
    page.keyboard.press("e")
    expect(rows.first).to_contain_text("Ordinario")
    expect(rows.first.locator("button", has_text="Convertir a ordinario")).to_have_count(0)
    screenshot(page, "catalogo-conceptos", full_page=False)
    page.select_option("#filtro-tipo", "pue")  # the converted concept is no longer a PUE
    expect(page.locator("#conceptos-rows")).to_contain_text("Nada coincide con «grúa»")
