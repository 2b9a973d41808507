"""The OT pages in Chromium, used as a person would: mostly from the keyboard."""

import re

import pytest
from playwright.sync_api import expect

from ot_app.extensions import db
from ot_app.models import OTE, OTDetalle
from tests import factories

from .conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def data(app):
    """An approved PTE of Cotemar, a draft PTE, a project manager, yards, a vessel, a platform."""
    with app.app_context():
        pte = factories.make_pte("PTE-001-2026", id_cliente=2, descripcion="Mantenimiento a ductos en Akal-C")
        factories.make_pte("PTE-BORRADOR-2026", id_cliente=1, estatus_pte=1)
        resp = factories.make_responsable("Ing. Carlos Pérez")
        patio = factories.make_patio("Patio Dos Bocas")
        factories.make_patio("Patio Ciudad del Carmen")
        factories.make_embarcacion("B/C Isla del Carmen")
        factories.make_plataforma("Akal-C")
        factories.make_intercom("Intercom Norte")
        db.session.commit()
        return {"pte": pte.id, "resp": resp.id, "patio": patio.id}


def make_ots(app, n, prefix="OT-PRUEBA", **kw):
    with app.app_context():
        pte = factories.make_pte(id_cliente=kw.pop("id_cliente", 2))
        resp = factories.make_responsable("Ing. Ana Torres")
        patio = factories.make_patio("Patio Frontera")
        ids = [
            factories.make_ot(
                pte=pte, responsable=resp, patio=patio, orden_trabajo=f"{prefix}-{i:03d}", **kw
            ).id
            for i in range(1, n + 1)
        ]
        db.session.commit()
    return ids


def tab_to(page, element_id, limit=60):
    """Press Tab until the field has the focus (the keyboard path a person takes)."""
    for _ in range(limit):
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"#{element_id} is not reachable with Tab")


def test_create_an_ot_with_the_keyboard_only_then_find_it_by_searching(
    browser_login, page, live_server, data
):
    browser_login(page, "mgarcia", rol="editor", nombre="María García")
    page.keyboard.press("n")
    dialog = page.locator("#ot-dialog")
    expect(dialog).to_be_visible()
    expect(page.locator("#id_tipo")).to_be_focused()

    tab_to(page, "orden_trabajo")
    page.keyboard.type("OT-GRZ-801-26-016.7-J-NHA")
    tab_to(page, "oficio_ot")
    expect(page.locator("#orden_trabajo-check")).to_contain_text("Folio disponible")
    page.keyboard.type("PEP-SAP-0042-2026")
    tab_to(page, "pte_buscar")
    page.keyboard.type("PTE-001-2026")
    expect(page.locator("#id_pte_header")).to_have_value(str(data["pte"]))
    expect(page.locator("#id_cliente")).to_have_value("2")  # the PTE's client
    tab_to(page, "responsable_proyecto")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#responsable_proyecto")).to_have_value(str(data["resp"]))
    tab_to(page, "responsable_cliente")
    page.keyboard.type("Ing. Laura Méndez")
    tab_to(page, "descripcion_trabajo")
    page.keyboard.type("Rehabilitación de línea de descarga de 8 pulgadas")
    tab_to(page, "id_patio")
    page.keyboard.press("ArrowDown")
    tab_to(page, "monto_mxn")
    page.keyboard.type("1,250,000.00")
    screenshot(page, "ot-nueva-dialogo", full_page=False)
    page.keyboard.press("Control+Enter")

    expect(page).to_have_url(re.compile(r"/ot/\d+$"))
    expect(page.locator("#toasts")).to_contain_text("OT creada correctamente")
    expect(page.get_by_role("heading", level=1)).to_contain_text("OT-GRZ-801-26-016.7-J-NHA")
    expect(page.locator("#ot-progress")).to_contain_text("0 de 12 pasos")

    # Chromium takes the pages gzip (compression.py), the kept markup's blocks spliced in.
    assert page.goto(f"{live_server}/").headers.get("content-encoding") == "gzip"
    page.keyboard.press("/")
    expect(page.locator("#q")).to_be_focused()
    with page.expect_response(lambda r: r.url.endswith("q=801-26")) as searched:
        page.keyboard.type("801-26")
    assert searched.value.headers.get("content-encoding") == "gzip"
    expect(page).to_have_url(re.compile(r"\?q=801-26$"))
    rows = page.locator("#ot-rows > tr[data-row]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("1,250,000.00")
    expect(rows.first).to_contain_text("Cotemar")


def test_a_form_with_errors_shows_them_beside_the_fields_and_keeps_what_was_typed(
    browser_login, page, live_server, data, console_errors
):
    console_errors.allow(422)  # the form with errors comes back as a 422
    browser_login(page, "mgarcia", rol="editor")
    page.goto(f"{live_server}/ot/nueva")
    page.get_by_label("Descripción del trabajo").fill("Cambio de válvulas en cabezal «B»")
    page.get_by_label("Responsable del cliente").fill("Ing. Laura Méndez")
    page.get_by_label("Monto MXN").fill("12.345")
    page.get_by_label("Descripción del trabajo").press("Control+Enter")

    expect(page.locator("#orden_trabajo-error")).to_have_text("El Folio de la OT es obligatorio")
    expect(page.locator("#responsable_proyecto-error")).to_have_text(
        "El responsable de proyecto es obligatorio."
    )
    expect(page.locator("#monto_mxn-error")).to_have_text("El monto en MXN admite como máximo 2 decimales.")
    expect(page.locator("#orden_trabajo")).to_be_focused()
    expect(page.get_by_label("Descripción del trabajo")).to_have_value("Cambio de válvulas en cabezal «B»")
    expect(page.get_by_label("Responsable del cliente")).to_have_value("Ing. Laura Méndez")
    expect(page.get_by_label("Monto MXN")).to_have_value("12.345")
    screenshot(page, "ot-formulario-errores")


def test_the_front_swaps_the_site_fields_and_the_yard_phase_reveals_its_own(
    browser_login, page, live_server, data
):
    browser_login(page, "mgarcia", rol="editor")
    page.goto(f"{live_server}/ot/nueva")
    expect(page.get_by_label("Patio", exact=True)).to_be_visible()
    expect(page.get_by_label("Embarcación")).to_have_count(0)

    page.get_by_label("Frente").select_option(label="Costa afuera")
    expect(page.get_by_label("Embarcación")).to_be_visible()
    expect(page.get_by_label("Plataforma")).to_be_visible()
    expect(page.get_by_label("Intercom")).to_be_visible()
    expect(page.get_by_label("Patio", exact=True)).to_have_count(0)
    expect(page.get_by_label("Patio de la fase")).to_have_count(0)

    page.get_by_label("Embarcación").select_option(label="B/C Isla del Carmen")
    page.get_by_label("Fase de patio").check()
    expect(page.get_by_label("Patio de la fase")).to_be_visible()
    expect(page.get_by_label("Inicio en patio")).to_be_visible()
    expect(page.get_by_label("Fin en patio")).to_be_visible()
    expect(page.get_by_label("Embarcación")).to_have_value(re.compile(r"\d+"))  # kept across the swap
    expect(page.get_by_label("Fase de patio")).to_be_focused()

    page.get_by_label("Fase de patio").uncheck()
    expect(page.get_by_label("Patio de la fase")).to_have_count(0)
    page.get_by_label("Frente").select_option(label="Tierra")
    expect(page.get_by_label("Patio", exact=True)).to_be_visible()


def test_j_k_e_enter_esc_edit_a_row_in_place(browser_login, page, live_server, app, data):
    ids = make_ots(app, 3)
    browser_login(page, "mgarcia", rol="editor")
    rows = page.locator("#ot-rows > tr[data-row]")
    expect(rows).to_have_count(3)
    page.keyboard.press("j")
    expect(rows.nth(0)).to_have_class(re.compile(r"\bselected\b"))
    page.keyboard.press("j")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("k")
    second = page.locator(f"#ot-{ids[1]}")  # newest first: ids[2], ids[1], ids[0]
    expect(second).to_have_class(re.compile(r"\bselected\b"))

    page.keyboard.press("e")
    expect(second).to_have_class(re.compile(r"\bediting\b"))
    expect(second.get_by_label("Responsable de proyecto")).to_be_focused()
    page.keyboard.press("Escape")
    expect(second).not_to_have_class(re.compile(r"\bediting\b"))
    expect(second).to_have_class(re.compile(r"\bselected\b"))

    page.keyboard.press("e")
    expect(second.get_by_label("Comentario")).to_be_visible()
    tab_to(page, f"row-{ids[1]}-est")
    page.keyboard.press("ArrowDown")  # Programada → En ejecución
    tab_to(page, f"row-{ids[1]}-com")
    page.keyboard.type("Arranque confirmado")
    page.keyboard.press("Enter")
    expect(second).not_to_have_class(re.compile(r"\bediting\b"))
    expect(second).to_contain_text("En ejecución")
    expect(second).to_contain_text("Arranque confirmado")
    expect(page.locator("#toasts")).to_contain_text("OT actualizada correctamente")
    expect(second).to_be_focused()

    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server}/ot/{ids[1]}")
    with app.app_context():
        assert db.session.get(OTE, ids[1]).comentario == "Arranque confirmado"


def test_step_keys_1_to_4_c_and_the_help_overlay(browser_login, page, live_server, app, data):
    (ot_id,) = make_ots(app, 1)
    browser_login(page, "mgarcia", rol="editor")
    page.goto(f"{live_server}/ot/{ot_id}")
    steps = page.locator("#pasos > tbody > tr[data-row]")
    expect(steps).to_have_count(12)

    page.keyboard.press("j")
    page.keyboard.press("3")
    expect(steps.nth(0).locator("[data-key='3']")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#ot-progress")).to_contain_text("1 de 12 pasos")
    page.keyboard.press("j")
    page.keyboard.press("2")
    expect(steps.nth(1).locator("[data-key='2']")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("j")
    page.keyboard.press("4")
    expect(steps.nth(2).locator("[data-key='4']")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#ot-progress")).to_contain_text("1 de 11 pasos")
    page.keyboard.press("k")
    page.keyboard.press("1")
    expect(steps.nth(1).locator("[data-key='1']")).to_have_attribute("aria-pressed", "true")

    page.keyboard.press("c")
    comment = steps.nth(1).locator("input[name=comentario]")  # the edit row also holds dates and the link
    expect(comment).to_be_focused()
    page.keyboard.type("Espera de firma del cliente")
    page.keyboard.press("Enter")
    expect(steps.nth(1)).to_contain_text("Espera de firma del cliente")
    expect(steps.nth(1)).to_be_focused()
    page.reload()
    expect(page.locator("#hist-h + ol")).to_contain_text("Espera de firma del cliente")
    screenshot(page, "ot-detalle")

    page.keyboard.press("?")
    help_overlay = page.locator("#help")
    expect(help_overlay).to_be_visible()
    expect(help_overlay).to_contain_text("Estatus del paso")
    screenshot(page, "ot-ayuda-atajos", full_page=False)  # the viewport: the overlay over the page
    page.keyboard.press("Escape")
    expect(help_overlay).to_be_hidden()


def test_search_and_filters_change_the_url_and_back_restores_the_list(
    browser_login, page, live_server, app, data
):
    ids = make_ots(app, 3)
    make_ots(app, 2, prefix="OT-GOLFO", id_cliente=3)  # Compañía Perforadora del Golfo
    with app.app_context():  # some progress, for the screenshot
        for n, detalle in enumerate(
            db.session.scalars(db.select(OTDetalle).where(OTDetalle.id_ot == ids[0]))
        ):
            detalle.estatus_paso = 3 if n < 7 else 1
        db.session.commit()
    browser_login(page, "mgarcia", rol="editor")
    rows = page.locator("#ot-rows > tr[data-row]")
    expect(rows).to_have_count(5)

    page.get_by_label("Cliente").select_option(label="Compañía Perforadora del Golfo")
    expect(page).to_have_url(f"{live_server}/?id_cliente=3")
    expect(rows).to_have_count(2)
    page.get_by_role("link", name=re.compile("^Folio")).click()
    expect(page).to_have_url(f"{live_server}/?id_cliente=3&orden=folio")
    page.get_by_label("Buscar").fill("OT-GOLFO-002")
    expect(page).to_have_url(f"{live_server}/?q=OT-GOLFO-002&id_cliente=3&orden=folio")
    expect(rows).to_have_count(1)

    page.go_back()
    expect(page).to_have_url(f"{live_server}/?id_cliente=3&orden=folio")
    expect(rows).to_have_count(2)
    page.go_back()
    expect(page).to_have_url(f"{live_server}/?id_cliente=3")
    expect(rows).to_have_count(2)
    page.go_back()
    expect(page).to_have_url(f"{live_server}/")
    expect(rows).to_have_count(5)
    expect(page.get_by_label("Cliente")).to_have_value("")
    page.go_forward()
    expect(page.get_by_label("Cliente")).to_have_value("3")
    expect(rows).to_have_count(2)
    page.go_back()
    expect(rows).to_have_count(5)
    page.keyboard.press("Escape")  # leave the search box; j/k then move through the rows
    page.keyboard.press("j")
    page.keyboard.press("j")
    expect(rows.nth(1)).to_have_class(re.compile(r"\bselected\b"))
    expect(page.locator("#q")).to_have_value("")
    screenshot(page, "ot-lista")


def test_delete_with_confirmation_hides_the_ot_and_an_admin_restores_it(
    browser, browser_login, page, live_server, app, data
):
    (ot_id,) = make_ots(app, 1)
    browser_login(page, "mgarcia", rol="editor")
    page.goto(f"{live_server}/ot/{ot_id}")
    page.get_by_role("button", name="Eliminar…").click()
    confirm = page.get_by_role("dialog")
    expect(confirm).to_contain_text("¿Eliminar la OT OT-PRUEBA-001?")
    confirm.get_by_role("button", name="Eliminar OT").click()
    expect(page).to_have_url(f"{live_server}/")
    expect(page.locator("#toasts")).to_contain_text("OT eliminada correctamente")
    expect(page.locator(f"#ot-{ot_id}")).to_have_count(0)

    admin_context = browser.new_context()
    admin = admin_context.new_page()
    browser_login(admin, "jefa", rol="admin")
    admin.get_by_label("Registro").select_option(label="Eliminadas")
    row = admin.locator(f"#ot-{ot_id}")
    expect(row).to_contain_text("Eliminada")
    row.get_by_role("button", name="Restaurar").click()
    expect(row).to_have_count(0)
    expect(admin.locator("#toasts")).to_contain_text("OT restaurada correctamente")
    admin_context.close()

    page.reload()
    expect(page.locator(f"#ot-{ot_id}")).to_be_visible()


def test_two_people_editing_the_same_ot_the_second_save_shows_the_conflict(
    browser, browser_login, page, live_server, app, data, console_errors
):
    console_errors.allow(409)  # the second save comes back as a 409 with both versions
    (ot_id,) = make_ots(app, 1)
    other_context = browser.new_context()
    other = other_context.new_page()
    browser_login(page, "mgarcia", rol="editor", nombre="María García")
    browser_login(other, "jruiz", rol="editor", nombre="Jorge Ruiz")
    page.goto(f"{live_server}/ot/{ot_id}/editar")
    other.goto(f"{live_server}/ot/{ot_id}/editar")

    other.get_by_label("Responsable del cliente").fill("Ing. Pedro Salas")
    other.get_by_label("Responsable del cliente").press("Control+Enter")
    expect(other).to_have_url(f"{live_server}/ot/{ot_id}")
    other_context.close()

    page.get_by_label("Responsable del cliente").fill("Ing. Laura Méndez")
    page.get_by_label("Comentario").fill("Mi nota")
    page.get_by_label("Comentario").press("Control+Enter")
    conflict = page.locator(".conflict")
    expect(conflict).to_contain_text("Jorge Ruiz guardó esta OT mientras usted la editaba")
    expect(conflict.locator("td.theirs").first).to_have_text("Ing. Pedro Salas")
    expect(conflict.locator("td.mine").first).to_have_text("Ing. Laura Méndez")
    expect(page.get_by_label("Comentario")).to_have_value("Mi nota")
    screenshot(page, "ot-conflicto")

    page.get_by_role("button", name="Conservar los míos y guardar").click()
    expect(page).to_have_url(f"{live_server}/ot/{ot_id}")
    expect(page.locator("main")).to_contain_text("Ing. Laura Méndez")


def test_a_reprogramming_picks_its_initial_ot_which_fills_folio_pte_and_client(
    browser_login, page, live_server, app, data
):
    (initial,) = make_ots(app, 1, prefix="OT-INICIAL")
    browser_login(page, "mgarcia", rol="editor")
    page.goto(f"{live_server}/ot/nueva")
    expect(page.get_by_label("OT inicial que se reprograma")).to_have_count(0)
    page.get_by_label("Tipo de OT").select_option(label="OT reprogramada")
    picker = page.get_by_label("OT inicial que se reprograma")
    expect(picker).to_be_visible()
    picker.press_sequentially("OT-INICIAL-001")
    expect(page.locator("#ot_principal")).to_have_value(str(initial))
    expect(page.get_by_label("Folio")).to_have_value("OT-INICIAL-001")
    expect(page.locator("#pte_buscar")).to_have_value(re.compile(r"^PTE-\d+-2026$"))
    expect(page.get_by_label("Cliente", exact=True)).to_have_value("2")
    page.get_by_label("Responsable de proyecto").select_option(index=1)
    page.get_by_label("Responsable del cliente").fill("Ing. Laura Méndez")
    page.get_by_label("Descripción del trabajo").fill("Reprogramación por ventana climática")
    page.get_by_label("Patio", exact=True).select_option(index=1)
    page.get_by_label("Patio", exact=True).press("Control+Enter")
    expect(page).to_have_url(re.compile(r"/ot/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("R1")
    expect(page.locator("main")).to_contain_text("Reprogramación de la OT inicial OT-INICIAL-001")
