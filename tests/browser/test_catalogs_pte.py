"""In Chromium, as a person would: catalogs edited from the keyboard, a PTE approved and used."""

import re

import pytest
from playwright.sync_api import expect

from ot_app.extensions import db
from ot_app.models import OTE, EstatusPasoId, EstatusPTEId, Patio, PTEHeader, Registro, Usuario
from ot_app.pte import commands as pte_commands
from ot_app.pte import read as pte_read

from .. import factories
from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_add_and_edit_a_catalog_row_inline_from_the_keyboard(app, page, live_server, browser_login):
    browser_login(page, "admin", rol="admin")
    page.goto(f"{live_server}/catalogos/patios")
    page.keyboard.press("n")
    expect(page.locator("#nuevo-nombre")).to_be_focused()
    page.keyboard.type("Patio Salina Cruz")
    page.keyboard.press("Enter")
    expect(page.locator("#cat-rows")).to_contain_text("Patio Salina Cruz")

    page.keyboard.press("Escape")  # leave the field: shortcuts work again
    expect(page.locator("#cat-rows tr.selected")).to_contain_text("Patio Salina Cruz")  # the new row
    # Wait until htmx has processed the swapped-in row (a person never types within those ms).
    page.wait_for_function(
        "() => { const b = document.querySelector('#cat-rows tr.selected [data-edit]');"
        " return !!(b && b['htmx-internal-data']); }"
    )
    page.keyboard.press("j")
    page.keyboard.press("k")
    expect(page.locator("#cat-rows tr.selected")).to_contain_text("Patio Salina Cruz")
    page.keyboard.press("e")
    field = page.locator("#cat-rows tr.editing input[name=nombre]")
    expect(field).to_be_focused()
    field.fill("Patio Salina Cruz, Oax.")
    page.keyboard.press("Enter")
    expect(page.locator("#cat-rows")).to_contain_text("Patio Salina Cruz, Oax.")
    expect(page.locator("#cat-rows tr.editing")).to_have_count(0)

    page.wait_for_function(
        "() => { const b = document.querySelector('#cat-rows tr.selected [data-edit]');"
        " return !!(b && b['htmx-internal-data']); }"
    )
    page.keyboard.press("e")
    expect(field).to_be_focused()  # focus lands in the row once htmx has settled it
    page.keyboard.type(" cambio que se descarta")
    page.keyboard.press("Escape")
    expect(page.locator("#cat-rows tr.editing")).to_have_count(0)
    screenshot(page, "catalogo-patios")
    with app.app_context():
        assert db.session.scalar(db.select(Patio.nombre).where(Patio.nombre.like("Patio Salina%"))) == (
            "Patio Salina Cruz, Oax."
        )


def test_create_a_pte_approve_it_and_create_an_ot_from_it(app, page, live_server, browser_login):
    with app.app_context():
        factories.make_responsable("Ing. Mariana López")
        factories.make_patio("Patio Dos Bocas")
        db.session.commit()
    browser_login(page, "editor", rol="editor")
    page.goto(f"{live_server}/pte/nueva")
    page.fill("#oficio_pte", "PEP-PTE-0777-2026")
    page.select_option("#id_cliente", label="Cotemar")
    page.fill("#descripcion", "Rehabilitación de plataforma Akal-J")
    page.fill("#monto_mxn", "2,500,000.00")
    page.keyboard.press("Control+Enter")
    expect(page.locator("h1")).to_contain_text("PEP-PTE-0777-2026")
    expect(page.locator("h1")).to_contain_text("En elaboración")

    page.get_by_role("button", name="Marcar como Enviada").click()
    page.get_by_role("button", name="Sí, marcar como Enviada").click()
    expect(page.locator("h1")).to_contain_text("Enviada")
    page.get_by_role("button", name="Marcar como Aprobada").click()
    page.get_by_role("button", name="Sí, marcar como Aprobada").click()
    expect(page.locator("h1")).to_contain_text("Aprobada")
    screenshot(page, "pte-aprobada")

    # Its checklist done (tests/browser/test_pipeline.py walks one from the keyboard): Crear OT.
    with app.app_context():
        pte = db.session.scalar(db.select(PTEHeader).where(PTEHeader.oficio_pte == "PEP-PTE-0777-2026"))
        for step in pte_read.steps_and_progress(pte.id)[0]:
            if not step["subpasos"]:
                pte_commands.set_step({"id": step["id"], "estatus_paso": EstatusPasoId.NO_APLICA}, None)
    page.reload()
    page.get_by_role("link", name=re.compile("Crear OT")).click()
    page.fill("#orden_trabajo", "OT-PTE-0777-01")
    page.fill("#descripcion_trabajo", "Cambio de barandales")
    page.fill("#responsable_cliente", "Ing. Roberto Sánchez")
    page.select_option("#responsable_proyecto", label="Ing. Mariana López")
    expect(page.locator("#pte_buscar")).to_have_value("PEP-PTE-0777-2026")
    page.select_option("#id_frente", label="Tierra")
    page.wait_for_load_state("networkidle")  # the front swaps the site fields
    page.select_option("#id_patio", label="Patio Dos Bocas")
    page.keyboard.press("Control+Enter")
    expect(page.locator("h1")).to_contain_text("OT-PTE-0777-01")
    with app.app_context():
        ot = db.session.scalar(db.select(OTE).where(OTE.orden_trabajo == "OT-PTE-0777-01"))
        assert ot.pte.oficio_pte == "PEP-PTE-0777-2026" and ot.id_cliente == 2


def test_a_deactivated_yard_is_no_longer_offered(app, page, live_server, browser_login):
    with app.app_context():
        factories.make_patio("Patio Tampico")
        factories.make_patio("Patio Cerrado")
        db.session.commit()
    browser_login(page, "admin", rol="admin")
    page.goto(f"{live_server}/catalogos/patios")
    row = page.locator("#cat-rows tr", has_text="Patio Cerrado")
    row.get_by_role("button", name="Desactivar").click()
    expect(row).to_contain_text("Inactivo")
    page.goto(f"{live_server}/ot/nueva")
    page.select_option("#id_frente", label="Tierra")
    page.wait_for_load_state("networkidle")
    options = page.locator("#id_patio option")
    expect(options.filter(has_text="Patio Tampico")).to_have_count(1)
    expect(options.filter(has_text="Patio Cerrado")).to_have_count(0)


def test_confirmations_are_our_dialog_and_a_cancelled_one_sends_nothing(
    app, page, live_server, browser_login
):
    with app.app_context():
        pid = factories.make_pte("PEP-CONFIRMA", estatus_pte=EstatusPTEId.EN_ELABORACION).id
        uid = factories.make_user("rperez", rol="editor").id
        db.session.commit()
    browser_login(page, "admin", rol="admin")
    page.goto(f"{live_server}/pte/{pid}")
    posts, native = [], []
    page.on("request", lambda r: posts.append(r.url) if r.method == "POST" else None)

    def refuse(d):  # the browser's confirm(): never on the PTE page
        native.append(d.message)
        d.dismiss()

    page.on("dialog", refuse)
    page.get_by_role("button", name="Eliminar…").click()
    dialog = page.locator("#confirm-eliminar")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("¿Eliminar la PTE PEP-CONFIRMA?")
    page.keyboard.press("Escape")  # Cancelar has the focus; Esc closes it too
    expect(dialog).to_be_hidden()
    page.wait_for_timeout(300)
    assert not posts and not native  # a cancelled confirmation posts nothing
    with app.app_context():
        assert db.session.get(PTEHeader, pid).estatus == Registro.ACTIVA

    page.get_by_role("button", name="Eliminar…").click()
    page.get_by_role("button", name="Sí, eliminar").click()
    expect(page).to_have_url(f"{live_server}/pte")
    expect(page.locator("#toasts")).to_contain_text("PTE eliminada correctamente")
    assert not native
    page.remove_listener("dialog", refuse)

    page.goto(f"{live_server}/usuarios/{uid}")
    page.once("dialog", lambda d: d.accept())
    page.get_by_role("button", name="Desactivar").click()
    expect(page.locator("h1")).to_contain_text("Inactivo")
    expect(page.locator("#toasts")).to_contain_text("Usuario rperez desactivado")
    with app.app_context():
        assert db.session.get(Usuario, uid).activo is False


def test_the_pte_pager_swaps_the_results_and_pushes_the_url(app, page, live_server, browser_login):
    with app.app_context():
        for i in range(51):
            factories.make_pte(f"PEP-PAG-{i:03d}")
        db.session.commit()
    browser_login(page, "lector", rol="lector")
    page.goto(f"{live_server}/pte?q=PEP-PAG")
    expect(page.locator("#pte-results")).to_contain_text("Página 1 de 2")
    page.get_by_role("link", name="Siguiente →").click()
    expect(page.locator("#pte-results")).to_contain_text("Página 2 de 2")
    expect(page).to_have_url(re.compile(r"/pte\?q=PEP-PAG&page=2$"))
    expect(page.locator("#q")).to_have_value("PEP-PAG")  # only the results were swapped
    expect(page.locator("#pte-rows tr")).to_have_count(1)
    page.get_by_role("link", name="← Anterior").click()
    # Page 1 is the URL without page, as on the OT list.
    expect(page).to_have_url(re.compile(r"/pte\?q=PEP-PAG$"))
    expect(page.locator("#pte-rows tr")).to_have_count(50)
