"""Issue 17 in Chromium at 1366×768: the dashboard's numbers against the list they link to, the
own-password change from the user menu, the form's hints, a refused delete inside its dialog."""

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from ot_app.extensions import db
from ot_app.formatting import office_today
from ot_app.models import EstatusOTId
from tests import factories

from .conftest import screenshot

pytestmark = pytest.mark.browser

NEW = "una-clave-nueva-larga"


@pytest.fixture(autouse=True)
def laptop(page):
    page.set_viewport_size({"width": 1366, "height": 768})


@pytest.fixture
def ots(app):
    today = office_today()
    with app.app_context():
        pte = factories.make_pte("PTE-TAB-1", id_cliente=2)
        resp = factories.make_responsable("Ing. Ana Torres")
        patio = factories.make_patio("Patio Frontera")
        for i in range(3):
            factories.make_ot(
                pte=pte,
                responsable=resp,
                patio=patio,
                orden_trabajo=f"OT-TAB-V{i}",
                fecha_inicio_programado=today - timedelta(days=40),
                fecha_termino_programado=today - timedelta(days=i + 1),
            )
        factories.make_ot(
            pte=pte,
            responsable=resp,
            patio=patio,
            orden_trabajo="OT-TAB-T",
            id_estatus_ot=EstatusOTId.TERMINADA,
        )
        factories.make_ot(
            pte=pte,
            responsable=resp,
            patio=patio,
            orden_trabajo="OT-TAB-P",
            fecha_inicio_programado=today + timedelta(days=2),
            fecha_termino_programado=today + timedelta(days=30),
        )
        db.session.commit()


def test_the_dashboard_numbers_match_the_lists_they_link_to(page, live_server, browser_login, ots):
    browser_login(page, "lector", rol="lector")
    page.keyboard.press("g")
    page.keyboard.press("t")
    expect(page).to_have_url(f"{live_server}/tablero")
    expect(page.locator("h1")).to_contain_text("Tablero")
    screenshot(page, "tablero")
    links = page.locator("a.num-link")
    targets = [
        (links.nth(i).get_attribute("href"), int(links.nth(i).inner_text().replace(",", "")))
        for i in range(links.count())
    ]
    assert len(targets) >= 8
    checked = set()
    for href, shown in targets:
        if href in checked:
            continue
        checked.add(href)
        page.goto(f"{live_server}{href}")
        expect(page.locator("#ot-rows")).to_be_visible()
        assert page.locator("#ot-rows > tr[data-row]").count() == shown, href
    page.goto(f"{live_server}/tablero")
    page.locator("#tablero-vencidas a").click()
    expect(page).to_have_url(re.compile(r"/\?vencidas=1$"))
    expect(page.locator("#ot-rows > tr[data-row]")).to_have_count(3)


def test_change_my_own_password_from_the_user_menu(app, page, live_server, browser_login, console_errors):
    console_errors.allow(422)  # the wrong current password, on purpose
    browser_login(page, "editora", rol="editor")
    page.locator("#user-menu summary").click()
    page.locator("#menu-contrasena").click()
    expect(page.locator("h1")).to_have_text("Cambiar mi contraseña")
    expect(page.locator("#actual")).to_be_focused()
    page.keyboard.type("no-es-la-mia-123")
    page.fill("#nueva", NEW)
    page.fill("#confirmacion", NEW)
    page.keyboard.press("Control+Enter")
    expect(page.locator("#actual-error")).to_have_text("La contraseña actual no es correcta.")
    page.fill("#actual", factories.PASSWORD)
    page.fill("#nueva", NEW)
    page.fill("#confirmacion", NEW)
    page.get_by_role("button", name="Cambiar contraseña").click()
    expect(page).to_have_url(f"{live_server}/")
    expect(page.locator("#toasts")).to_contain_text("Su contraseña fue cambiada")
    page.locator("header").get_by_role("button", name="Salir").click()
    page.get_by_label("Usuario", exact=True).fill("editora")
    page.get_by_label("Contraseña", exact=True).fill(NEW)
    page.get_by_label("Contraseña", exact=True).press("Enter")
    expect(page).to_have_url(f"{live_server}/")


def test_esc_is_offered_only_where_it_closes_something(page, live_server, browser_login):
    browser_login(page, "editor", rol="editor")
    page.goto(f"{live_server}/ot/nueva")
    hint = page.locator("#ot-form .form-head")
    expect(hint).to_contain_text("Ctrl+Enter guarda")
    expect(page.locator("#ot-form .in-dialog")).to_be_hidden()
    page.goto(f"{live_server}/")
    page.keyboard.press("n")
    expect(page.locator("#ot-dialog")).to_be_visible()
    expect(page.locator("#ot-dialog .in-dialog")).to_be_visible()


def test_a_refused_delete_is_said_inside_the_dialog(app, page, live_server, browser_login, console_errors):
    console_errors.allow(409)
    with app.app_context():
        first = factories.make_ot(orden_trabajo="OT-DLG-1")
        first_id = first.id
        pte, resp, patio = first.id_pte_header, first.id_responsable_proyecto, first.id_patio
        db.session.commit()
    browser_login(page, "editor", rol="editor")
    page.goto(f"{live_server}/ot/{first_id}")  # opened before someone else reprogrammed it
    with app.app_context():
        from ot_app.models import Patio, PTEHeader, ResponsableProyecto

        factories.make_ot(
            pte=db.session.get(PTEHeader, pte),
            responsable=db.session.get(ResponsableProyecto, resp),
            patio=db.session.get(Patio, patio),
            orden_trabajo="OT-DLG-1",
            id_tipo=5,
            ot_principal=first_id,
        )
        db.session.commit()
    page.get_by_role("button", name="Eliminar…").click()
    page.locator("#confirmar-eliminar").click()
    dialog = page.locator("#confirm-delete")
    expect(dialog.locator("#delete-msg")).to_contain_text("tiene 1 reprogramación activa")
    expect(dialog).to_be_visible()
    expect(page.locator("#toasts .toast-error")).to_have_count(0)
