"""In Chromium, the PTE → OT pipeline from the keyboard: walk a PTE's checklist to 100 % (its
Volumetría completes itself with its sub-steps), set a step's dates and link, create its OT
(prefilled, Por definir), finish the OT with `s` and see the real end date."""

import re
from datetime import date

import pytest
from playwright.sync_api import expect

from ot_app.extensions import db
from ot_app.formatting import office_today
from ot_app.models import OTE, EstatusOTId, EstatusPTEId, PTEDetalle, Registro
from ot_app.pte import commands

from .. import factories
from .conftest import screenshot

pytestmark = pytest.mark.browser


def settled(page):
    """htmx has processed the selected row (a person never types within those milliseconds)."""
    page.wait_for_function(
        "() => { const b = document.querySelector('#pasos tr.selected:not(.editing) [data-comment]');"
        " return !!(b && b['htmx-internal-data'] && !document.querySelector('#pasos .htmx-request')); }"
    )


def test_walk_a_pte_checklist_to_100_create_its_ot_and_finish_it(app, page, live_server, browser_login):
    with app.app_context():
        responsable = factories.make_responsable("Ing. Mariana López")
        factories.make_patio("Patio Dos Bocas")
        db.session.commit()
        pte = commands.create_pte(
            {
                "oficio_pte": "PEP-PTE-0888-2026",
                "descripcion": "Rehabilitación de plataforma Akal-J",
                "id_cliente": 2,
                "responsable_proyecto": responsable.id,
                "plazo_dias": 45,
            },
            None,
        ).pte
        commands.change_status(pte.id, EstatusPTEId.ENVIADA, None)
        commands.change_status(pte.id, EstatusPTEId.APROBADA, None)
        pte_id = pte.id
    browser_login(page, "editor", rol="editor")
    page.goto(f"{live_server}/pte/{pte_id}")
    expect(page.locator("#crear-ot")).to_have_count(0)  # the checklist is not complete yet
    rows = page.locator("#pasos tbody tr[data-row]")
    expect(rows).to_have_count(10)

    # Row 2: dates with d, then the link with l (Enter saves, the row keeps its place).
    page.keyboard.press("j")
    page.keyboard.press("j")
    settled(page)
    page.keyboard.press("d")
    start = page.locator("#pasos tr.editing input[name=fecha_inicio]")
    expect(start).to_be_focused()
    start.fill("2026-11-02")
    page.keyboard.press("Enter")
    expect(rows.nth(1)).to_contain_text("02/11/2026")
    settled(page)
    page.keyboard.press("l")
    link = page.locator("#pasos tr.editing input[name=entregable_url]")
    expect(link).to_be_focused()
    link.fill("https://sharepoint.example.com/levantamiento.pdf")
    page.keyboard.press("Enter")
    expect(rows.nth(1).get_by_role("link", name="Entregable")).to_have_attribute(
        "href", "https://sharepoint.example.com/levantamiento.pdf"
    )
    settled(page)
    page.keyboard.press("l")  # …or a file: uploaded from the same row
    page.locator("#pasos tr.editing input[type=file]").set_input_files(
        files=[{"name": "levantamiento.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n%%EOF\n"}]
    )
    page.locator("#pasos tr.editing [data-upload]").click()
    expect(rows.nth(1).locator("a[download]")).to_contain_text("levantamiento.pdf")

    # Every step Completado with 3, from the top; Volumetría (row 3) follows its sub-steps.
    page.keyboard.press("k")
    for i in range(10):
        settled(page)
        if i != 2:
            page.keyboard.press("3")
            expect(rows.nth(i)).to_have_class(re.compile(r"\bst-completado\b"))
        if i == 5:  # its last sub-step: Volumetría completed itself (swapped out of band)
            expect(rows.nth(2)).to_have_class(re.compile(r"\bst-completado\b"))
            expect(rows.nth(2)).to_contain_text("Entregables finalizados")
        if i < 9:
            page.keyboard.press("j")
    expect(page.locator("#pte-progress")).to_contain_text("100 %")
    screenshot(page, "pte-pasos-completos")

    page.reload()
    page.keyboard.press("n")  # Crear OT
    expect(page).to_have_url(re.compile(r"/ot/nueva\?"))
    expect(page.locator("#orden_trabajo")).to_have_value("OT-PEP-PTE-0888-2026")
    expect(page.locator("#descripcion_trabajo")).to_have_value("Rehabilitación de plataforma Akal-J")
    expect(page.locator("#por_definir")).to_be_checked()
    page.fill("#responsable_cliente", "Ing. Roberto Sánchez")
    page.select_option("#id_frente", label="Tierra")
    page.wait_for_load_state("networkidle")  # the front swaps the site fields
    page.select_option("#id_patio", label="Patio Dos Bocas")
    page.keyboard.press("Control+Enter")
    expect(page.locator("h1")).to_contain_text("OT-PEP-PTE-0888-2026")
    expect(page.locator("h1")).to_contain_text("Por definir")

    page.locator("body").click(position={"x": 5, "y": 5})
    page.keyboard.press("s")
    dialog = page.locator("#ot-dialog")
    expect(dialog).to_be_visible()
    page.select_option("#estatus-nuevo", label="Terminada")
    page.fill("#estatus-comentario", "Acta de entrega firmada")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#toasts")).to_contain_text("ahora está Terminada")
    today = office_today()
    expect(page.locator(".kv")).to_contain_text(today.strftime("%d/%m/%Y"))
    expect(page.locator(".history")).to_contain_text("Acta de entrega firmada")
    with app.app_context():
        ot = db.session.scalar(db.select(OTE).where(OTE.orden_trabajo == "OT-PEP-PTE-0888-2026"))
        assert ot.estatus == Registro.POR_DEFINIR and ot.id_pte_header == pte_id
        assert (ot.id_estatus_ot, ot.fecha_termino_real) == (EstatusOTId.TERMINADA, today)
        dated = db.session.scalar(db.select(PTEDetalle).where(PTEDetalle.fecha_inicio.is_not(None)))
        assert dated.fecha_inicio == date(2026, 11, 2) and dated.fecha_entrega == today
