"""The conflicts page in Chromium (issue 14): a vessel booked twice is listed with its ways out —
"Mover fechas" and "Cambiar sitio" open the OT's edit form with that field focused, "Aceptar con
motivo" works from the keyboard (the reason required beside its field, then the conflict is gone
and in the activity log) — and a site's capacity, exclusivity and mobilisation days are edited in
its catalog row, which ends the conflict of the next pair."""

import pytest
from playwright.sync_api import expect

from ot_app.extensions import db
from ot_app.models import ActividadLog, ConflictoAceptado, Embarcacion

from .. import factories
from .conftest import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def booked(app):
    """Two vessels, each booked by two OTs that overlap 25–31/01/2027."""
    with app.app_context():
        pte, responsable = factories.make_pte(), factories.make_responsable()
        ids = {}
        for name in ("B/C Isla del Carmen", "B/C Cantarell II"):
            barco = factories.make_embarcacion(name)
            db.session.commit()
            ots = [
                factories.make_ot(
                    pte=pte,
                    responsable=responsable,
                    id_frente="2",
                    id_embarcacion=barco.id,
                    fecha_inicio_programado=inicio,
                    fecha_termino_programado=fin,
                )
                for inicio, fin in (("2027-01-10", "2027-01-31"), ("2027-01-25", "2027-02-15"))
            ]
            ids[name] = {
                "barco": barco.id,
                "ots": [o.id for o in ots],
                "folios": [o.orden_trabajo for o in ots],
            }
    return ids


def test_the_conflicts_page_lists_each_conflict_and_its_ways_out_work(
    app, page, live_server, browser_login, booked, console_errors
):
    console_errors.allow(400)  # accepting without a reason, on purpose
    browser_login(page, "editora", rol="editor")
    page.goto(f"{live_server}/conflictos")
    rows = page.locator("#conflictos-results tbody tr[data-row]")
    expect(rows).to_have_count(2)
    carmen = rows.filter(has_text="B/C Isla del Carmen")
    for folio in booked["B/C Isla del Carmen"]["folios"]:
        expect(carmen).to_contain_text(folio)
    expect(carmen).to_contain_text("25/01/2027 – 31/01/2027")

    # Mover fechas: the later OT's edit form, its programmed start focused.
    later = booked["B/C Isla del Carmen"]["ots"][1]
    carmen.get_by_role("link", name="Mover fechas").click()
    expect(page).to_have_url(f"{live_server}/ot/{later}/editar#fecha_inicio_programado")
    expect(page.locator("#fecha_inicio_programado")).to_be_focused()
    page.go_back()
    # Cambiar sitio: the same form, its vessel focused.
    rows.filter(has_text="B/C Isla del Carmen").get_by_role("link", name="Cambiar sitio").click()
    expect(page).to_have_url(f"{live_server}/ot/{later}/editar#id_embarcacion")
    expect(page.locator("#id_embarcacion")).to_be_focused()
    page.go_back()

    # Aceptar con motivo, from the keyboard: the summary opens the form, Ctrl+Enter sends it.
    carmen = page.locator("#conflictos-results tbody tr[data-row]").filter(has_text="B/C Isla del Carmen")
    summary = carmen.locator("summary", has_text="Aceptar con motivo")
    summary.focus()
    page.keyboard.press("Enter")
    reason = carmen.get_by_label("Motivo")
    expect(reason).to_be_visible()
    page.keyboard.press("Tab")
    expect(reason).to_be_focused()
    page.keyboard.press("Control+Enter")  # no reason yet
    expect(page.locator("#conflictos-results").get_by_text("Escriba el motivo")).to_be_visible()
    carmen = page.locator("#conflictos-results tbody tr[data-row]").filter(has_text="B/C Isla del Carmen")
    reason = carmen.get_by_label("Motivo")
    expect(reason).to_have_attribute("aria-invalid", "true")
    reason.focus()
    page.keyboard.type("Los dos trabajos se hacen en la misma salida del barco.")
    page.keyboard.press("Control+Enter")
    expect(page.locator("#toasts")).to_contain_text("Conflicto aceptado")
    rows = page.locator("#conflictos-results tbody tr[data-row]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("B/C Cantarell II")
    screenshot(page, "conflictos")
    with app.app_context():
        accepted = db.session.scalar(db.select(ConflictoAceptado))
        assert accepted.motivo == "Los dos trabajos se hacen en la misma salida del barco."
        assert accepted.usuario == "editora"
        log = db.session.scalar(db.select(ActividadLog).where(ActividadLog.entidad == "conflicto"))
        assert log.accion == "aceptar" and log.cambios["motivo"][1] == accepted.motivo
    page.reload()  # accepted: no longer reported
    expect(page.locator("#conflictos-results tbody tr[data-row]")).to_have_count(1)


def test_a_vessels_capacity_exclusivity_and_mobilisation_edited_in_its_catalog_row(
    app, page, live_server, browser_login, booked, console_errors
):
    console_errors.allow(422)  # becoming exclusive while over-booked is refused, on purpose
    browser_login(page, "admin", rol="admin")
    barco = booked["B/C Cantarell II"]["barco"]
    page.goto(f"{live_server}/catalogos/embarcaciones")
    row = page.locator("#cat-rows tr", has_text="B/C Cantarell II")
    row.get_by_role("button", name="Editar").click()
    editing = page.locator("#cat-rows tr.editing")
    # Exclusive while two OTs over-book it: refused beside the field.
    editing.get_by_label("Exclusivo: rechaza reservas de más").select_option("1")
    editing.get_by_label("Exclusivo: rechaza reservas de más").press("Enter")
    expect(page.locator("#cat-rows tr.editing")).to_contain_text("resuélvalo antes de hacerla exclusiva")
    editing = page.locator("#cat-rows tr.editing")
    editing.get_by_label("Exclusivo: rechaza reservas de más").select_option("0")
    capacity = editing.get_by_label("Capacidad (OT a la vez)")
    capacity.fill("2")
    gap = editing.get_by_label("Días de movilización entre dos reservas")
    gap.fill("3")
    gap.press("Enter")
    expect(page.locator("#cat-rows tr.editing")).to_have_count(0)
    saved = page.locator("#cat-rows tr", has_text="B/C Cantarell II")
    expect(saved).to_contain_text("3 d")
    with app.app_context():
        vessel = db.session.get(Embarcacion, barco)
        assert (vessel.capacidad, vessel.exclusivo, vessel.movilizacion_dias) == (2, False, 3)
    # Two OTs fit now: its conflict is gone, the other vessel's stays.
    page.goto(f"{live_server}/conflictos")
    rows = page.locator("#conflictos-results tbody tr[data-row]")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("B/C Isla del Carmen")
