"""Browser tests: Playwright drives Debian's Chromium (/usr/bin/chromium, never a downloaded build)
against the app served in-process on a free loopback port.

Fixtures for every browser test:
- `live_server`: base URL of the app under test (a fresh SQLite file per test, seeded).
- `browser_login(page, username, rol="admin", nombre=None)`: creates the user when missing and
  logs in through the real login page; returns the page on the home page.
A failed test leaves a screenshot in tests/artifacts/. A console error on any visited page fails the test.
Without /usr/bin/chromium the tests are skipped, except under CI=true, where they fail."""

import os
import re
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import WSGIRequestHandler, make_server

from ot_app.extensions import db
from tests import factories

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
# `make test` runs the PostgreSQL pass beside this one, so both cores are busy: expectations wait
# up to 15 s instead of Playwright's 5 s (a step that never happens still fails, only later).
expect.set_options(timeout=15_000)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    if Path(CHROMIUM).exists():
        return
    message = f"{CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI: {message}", pytrace=False)
    pytest.skip(message)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def base_url():
    """Overrides pytest-playwright's fallback `base_url`, a fixture defined on a plugin instance
    that pytest 9 deprecates (a warning, hence an error here). Tests use `live_server` instead."""
    return None


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


class _Body:
    """A response's body whose close() runs once, whoever calls it first."""

    def __init__(self, body):
        self.body = body
        self.closed = False

    def __iter__(self):
        return iter(self.body)

    def close(self):
        if not self.closed and hasattr(self.body, "close"):
            self.closed = True
            self.body.close()


class _Handler(WSGIRequestHandler):
    """werkzeug 3.1 skips the body's close() when the browser resets the connection while the
    server drains the request (serving.py, `execute`'s finally): a static file it was sending stays
    open, and its ResourceWarning (an error here) failed whichever test was running. Close it."""

    def connection_dropped(self, error, environ=None):
        body = environ.get("live_server.body") if environ else None
        if body is not None:
            body.close()


def _closing(app):
    def served(environ, start_response):
        body = environ["live_server.body"] = _Body(app(environ, start_response))
        return body

    return served


@pytest.fixture
def live_server(app):
    """The app served by werkzeug in a daemon thread; yields its base URL."""
    server = make_server("127.0.0.1", 0, _closing(app), threaded=True, request_handler=_Handler)
    thread = threading.Thread(target=server.serve_forever, name="live_server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


class ConsoleLog:
    """What the browser's console said. Chromium also logs every 4xx/5xx answer it fetched as an
    error ("Failed to load resource: ... status of 422"); a test that provokes a refusal on purpose
    (a form with errors answers 422, a collision 409) says which statuses it expects with `allow`."""

    STATUS = re.compile(r"Failed to load resource: the server responded with a status of (\d{3})")

    def __init__(self):
        self.errors: list[str] = []
        self.allowed: set[int] = set()

    def allow(self, *statuses: int) -> None:
        self.allowed.update(statuses)

    def unexpected(self) -> list[str]:
        return [e for e in self.errors if not ((m := self.STATUS.search(e)) and int(m[1]) in self.allowed)]


@pytest.fixture(autouse=True)
def console_errors(request, page):
    """Every page a browser test visits must log no console error and throw no uncaught exception
    (a CSP violation, a failed htmx selector, a missing file or a 500 fetched by htmx all show up
    here): the test fails at teardown, listing them."""
    log = ConsoleLog()
    page.on(
        "console", lambda msg: log.errors.append(f"{msg.text} ({page.url})") if msg.type == "error" else None
    )
    page.on("pageerror", lambda exc: log.errors.append(f"excepción: {exc} ({page.url})"))
    yield log
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and not page.is_closed():
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid.split("::", 1)[-1])
        # caret="initial": Playwright's caret hiding injects an inline style that the CSP blocks.
        page.screenshot(path=str(ARTIFACTS / f"fallo-{name}.png"), full_page=True, caret="initial")
        return
    unexpected = log.unexpected()
    assert not unexpected, "errores en la consola del navegador:\n" + "\n".join(unexpected)


def screenshot(page, name: str, full_page: bool = True) -> Path:
    """Save a screenshot to tests/artifacts/NAME.png (git-ignored). caret="initial": hiding the caret
    (Playwright's default) injects an inline style the CSP refuses, which is a console error."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page, caret="initial")
    return path


@pytest.fixture
def browser_login(app, live_server):
    def login(page, username="admin", rol="admin", nombre=None, password=factories.PASSWORD):
        with app.app_context():
            factories.make_user(username, rol=rol, nombre=nombre, password=password)
            db.session.commit()
        page.goto(f"{live_server}/login")
        page.get_by_label("Usuario", exact=True).fill(username)
        page.get_by_label("Contraseña", exact=True).fill(password)
        page.get_by_label("Contraseña", exact=True).press("Enter")
        expect(page).to_have_url(f"{live_server}/")
        expect(page.locator("header")).to_be_visible()
        # The keyboard map is attached by the page's scripts: a key pressed before they ran is lost.
        page.wait_for_load_state("load")
        return page

    return login
