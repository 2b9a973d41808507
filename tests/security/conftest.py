"""Shared helpers of the security tests: a clock that can jump, logged-in clients per role with a
cached CSRF token, and the security log captured."""

import logging
import sys
import time

import pytest

from ot_app.extensions import db
from tests import factories
from tests.conftest import Auth, csrf_token

SECURITY_LOGGER = "ot_app.security"


class Clock:
    """time.time() moved forward on demand (itsdangerous, the idle check and the limiter read it)."""

    def __init__(self, monkeypatch):
        self.offset = 0.0
        real = time.time
        monkeypatch.setattr(time, "time", lambda: real() + self.offset)

    def advance(self, hours=0.0, minutes=0.0, seconds=0.0):
        self.offset += hours * 3600 + minutes * 60 + seconds


@pytest.fixture
def clock(monkeypatch):
    return Clock(monkeypatch)


@pytest.fixture
def seclog(caplog):
    """The security log's records (INFO and up)."""
    caplog.set_level(logging.INFO, logger=SECURITY_LOGGER)

    class Records:
        @property
        def lines(self) -> list[str]:
            return [r.getMessage() for r in caplog.records if r.name == SECURITY_LOGGER]

        def events(self, evento: str) -> list[str]:
            return [line for line in self.lines if line.startswith(f"evento={evento} ")]

    return Records()


def make_user(app, username, rol="editor", **kw):
    with app.app_context():
        user = factories.make_user(username, rol=rol, **kw)
        db.session.commit()
        return user.id


def logged_in(app, username, rol="editor", ip=None):
    """A test client logged in through the login form (optionally from a given client IP)."""
    make_user(app, username, rol=rol)
    client = app.test_client()
    if ip:
        client.environ_base["REMOTE_ADDR"] = ip
    r = Auth(client).login(username)
    assert r.status_code == 302, r.get_data(as_text=True)
    client.auth = Auth(client)
    return client


def post_form(client, url, data=None, **kwargs):
    """A browser form POST carrying the session's CSRF token in the form body."""
    data = dict(data or {})
    data.setdefault("csrf_token", csrf_token(client))
    return client.post(url, data=data, **kwargs)


def pytest_terminal_summary(terminalreporter):
    """Print the role walk's figures (for SECURITY.md), when it ran."""
    walk = sys.modules.get(f"{__package__}.test_role_walk")
    line = walk.summary() if walk else None
    if line:
        terminalreporter.write_line(line)
