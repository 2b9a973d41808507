"""Logging in through the real login page, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from ot_app.extensions import db
from tests import factories

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_login_through_the_login_page_then_logout(app, live_server, page):
    with app.app_context():
        factories.make_user("mgarcia", rol="editor", nombre="María García")
        db.session.commit()

    page.goto(f"{live_server}/")
    expect(page).to_have_url(re.compile(r"/login\b"))
    expect(page.get_by_role("button", name="Entrar")).to_be_visible()

    page.get_by_label("Usuario", exact=True).fill("mgarcia")
    page.get_by_label("Contraseña", exact=True).fill(factories.PASSWORD)
    page.get_by_label("Contraseña", exact=True).press("Enter")

    expect(page).to_have_url(f"{live_server}/")
    expect(page.get_by_role("heading", name="Órdenes de trabajo")).to_be_visible()
    expect(page.locator("header")).to_contain_text("María García")
    screenshot(page, "login-inicio")

    page.locator("header").get_by_role("button", name="Salir").click()
    expect(page).to_have_url(re.compile(r"/login\b"))
    expect(page.locator("#toasts")).to_contain_text("Sesión cerrada.")
    page.goto(f"{live_server}/")
    expect(page).to_have_url(re.compile(r"/login\b"))


def test_wrong_password_shows_the_generic_message(app, live_server, page, console_errors):
    console_errors.allow(401)  # the refused login answers 401 with the form again
    with app.app_context():
        factories.make_user("mgarcia")
        db.session.commit()
    page.goto(f"{live_server}/login")
    page.get_by_label("Usuario", exact=True).fill("mgarcia")
    page.get_by_label("Contraseña", exact=True).fill("no-es-la-contraseña")
    page.get_by_role("button", name="Entrar").click()
    expect(page.get_by_role("alert")).to_have_text("Usuario o contraseña incorrectos.")
    expect(page).to_have_url(re.compile(r"/login\b"))


def test_browser_login_helper(browser_login, page, live_server):
    browser_login(page, "supervisor", rol="lector", nombre="Jorge Ruiz")
    expect(page.locator("header")).to_contain_text("Jorge Ruiz")
    expect(page.locator("header")).to_contain_text("lector")
