"""Reprogramming in Chromium (issue 12), from the keyboard: `r` on a list row, the prefilled form
with its live 25 % warning, Ctrl+Enter, the lineage, the comparison, `+`/`-` on the grouped list."""

import re

import pytest
from playwright.sync_api import expect

from ot_app.extensions import db
from ot_app.models import OTE
from tests import factories

from .conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def chain(app):
    """OT-REP-001 (R0: 1,000,000.00 MXN, 40 days) with R1 (+10 %), and a lone OT."""
    with app.app_context():
        from werkzeug.datastructures import MultiDict

        from ot_app.orders import commands
        from ot_app.orders.forms import OTForm

        pte = factories.make_pte("PTE-REP-2026", id_cliente=2)
        resp = factories.make_responsable("Ing. Ana Torres")
        patio = factories.make_patio("Patio Frontera")
        r0 = factories.make_ot(
            pte=pte,
            responsable=resp,
            patio=patio,
            orden_trabajo="OT-REP-001",
            monto_mxn="1,000,000.00",
            plazo_dias="40",
            fecha_inicio_programado="2026-01-01",
            fecha_termino_programado="2026-02-10",
        )
        factories.make_ot(pte=pte, responsable=resp, patio=patio, orden_trabajo="OT-REP-SOLA")
        form = OTForm(
            formdata=MultiDict({"id": str(r0.id), "motivo": "Ajuste inicial", "monto_mxn": "1,100,000.00"}),
            partial=True,
        )
        assert form.validate()
        r1 = commands.reprogram_order(form.present_values(), None).ot
        db.session.commit()
        return {"r0": r0.id, "r1": r1.id}


def select_row(page, ot_id, dom_id=None):
    """Move the list's selection with j until the row is selected."""
    row = page.locator(f"#{dom_id or f'ot-{ot_id}'}")
    for _ in range(30):
        if "selected" in (row.get_attribute("class") or ""):
            return row
        page.keyboard.press("j")
    raise AssertionError(f"row {ot_id} not reachable with j")


def test_reprogram_from_the_keyboard_then_read_the_lineage_and_compare(
    browser_login, page, live_server, app, chain
):
    browser_login(page, "mgarcia", rol="editor", nombre="María García")

    # The list shows one row per chain: R1 stands for OT-REP-001; + shows R0 under it, - hides it.
    expect(page.locator(f"#ot-{chain['r0']}")).to_have_count(0)
    select_row(page, chain["r1"])
    page.keyboard.press("+")
    child = page.locator(f"#v-{chain['r0']}")
    expect(child).to_be_visible()
    expect(page.locator(f"#ot-{chain['r1']} [data-expand]")).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("j")  # onto R0's row; - from there folds the chain and goes back to R1
    expect(child).to_have_class(re.compile(r"\bselected\b"))
    page.keyboard.press("-")
    expect(child).to_have_count(0)
    expect(page.locator(f"#ot-{chain['r1']}")).to_have_class(re.compile(r"\bselected\b"))

    # r opens the Reprogramar form of the selected row, prefilled; the motivo has the focus.
    page.keyboard.press("r")
    expect(page).to_have_url(f"{live_server}/ot/{chain['r1']}/reprogramar")
    expect(page.locator("#form-title")).to_contain_text("nueva versión R2")
    expect(page.locator("#fecha_inicio_programado")).to_have_value("2026-03-22")  # R1's programmed end
    expect(page.locator("#motivo")).to_be_focused()
    page.keyboard.type("Ampliación solicitada por el cliente")

    # A 40 % increase over R0 shows the warning before saving; it does not block.
    page.locator("#monto_mxn").fill("1,400,000.00")
    page.locator("#monto_mxn").press("Tab")
    warnings = page.locator("#advertencias")
    expect(warnings).to_contain_text("más del 25.00 %")
    screenshot(page, "ot-reprogramar")
    page.keyboard.press("Control+Enter")
    expect(page).to_have_url(re.compile(rf"{live_server}/ot/\d+$"))
    with app.app_context():
        r2 = db.session.scalar(
            db.select(OTE.id).where(OTE.ot_principal == chain["r0"], OTE.num_reprogramacion == 2)
        )
    assert r2 is not None
    expect(page).to_have_url(f"{live_server}/ot/{r2}")
    expect(page.locator("#toasts")).to_contain_text("con 1 advertencia(s)")

    # The lineage: R0, R1, R2 with R2's change against R1 and against R0, its motivo and warning.
    lineage = page.locator("#linaje")
    expect(lineage.locator("tbody tr th a")).to_have_text(["R0", "R1", "R2"])
    expect(lineage).to_contain_text("ant. +300,000.00 (+27.27 %)")
    expect(lineage).to_contain_text("R0 +400,000.00 (+40.00 %)")
    expect(lineage).to_contain_text("Ampliación solicitada por el cliente")
    screenshot(page, "ot-linaje")

    # The comparison R1 → R2 from the lineage's form, by keyboard: changed fields highlighted.
    page.locator("#comparar").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server}/ot/comparar?de={chain['r1']}&a={r2}")
    expect(page.locator("#comparacion tr.changed th")).to_contain_text(["Monto MXN"])
    expect(page.locator("#resumen")).to_contain_text("de R1 a R2")
    screenshot(page, "ot-comparar")

    # R1 is now a read-only baseline that names R2.
    page.goto(f"{live_server}/ot/{chain['r1']}")
    expect(page.locator("#reemplazada")).to_contain_text("Reemplazada por R2")
    expect(page.locator("#editar-ot")).to_have_count(0)
    page.keyboard.press("r")  # nothing to reprogram here: only the current version is
    expect(page).to_have_url(f"{live_server}/ot/{chain['r1']}")
