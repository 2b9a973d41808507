"""A small write made during a request that already read (an API token's last use, a logout's new
session token) while another worker commits in between: on SQLite, a write inside the request's
read transaction then fails with "database is locked" (the snapshot it read is stale, and the busy
timeout cannot help), which reached the user as a 500. The load test found the first one.

Each test forces that interleaving deterministically: another thread commits a write at the exact
moment between the request's read and its write. On PostgreSQL the same tests must pass as well."""

import threading

from ot_app.catalogs import commands as catalogs
from ot_app.extensions import db
from ot_app.models import ApiToken, Patio, Usuario

from .. import factories
from ..conftest import Auth


def commit_from_another_worker(app, nombre: str) -> None:
    """Another connection commits a write (a new yard) and is done before we go on."""
    failure = []

    def write():
        try:
            with app.app_context():
                catalogs.create_row("patios", nombre, None)
        except Exception as exc:  # reported below, in the test's thread
            failure.append(exc)

    t = threading.Thread(target=write)
    t.start()
    t.join(timeout=20)
    assert not t.is_alive() and not failure, failure


def test_a_token_first_used_while_another_worker_commits_answers_200(app, api, monkeypatch):
    import ot_app.auth.security as security

    real_utcnow = security.utcnow

    def utcnow_after_a_concurrent_commit():
        commit_from_another_worker(app, "Patio de otro worker")
        return real_utcnow()

    monkeypatch.setattr(security, "utcnow", utcnow_after_a_concurrent_commit)
    r = api.get("/api/ot/listar")
    assert r.status_code == 200, r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(ApiToken.last_used_at)) is not None
        assert db.session.scalar(db.select(Patio.id).where(Patio.nombre == "Patio de otro worker"))


def test_a_logout_while_another_worker_commits_ends_the_session(app, monkeypatch):
    with app.app_context():
        factories.make_user("ana", rol="editor")
        db.session.commit()
        before = db.session.scalar(db.select(Usuario.session_token).where(Usuario.username == "ana"))
    client = app.test_client()
    auth = Auth(client)
    assert auth.login("ana").status_code == 302

    real_rotate = Usuario.rotate_session

    def rotate_after_a_concurrent_commit(self):
        commit_from_another_worker(app, "Patio durante el cierre de sesión")
        real_rotate(self)

    monkeypatch.setattr(Usuario, "rotate_session", rotate_after_a_concurrent_commit)
    r = auth.logout()
    assert r.status_code == 302, r.get_data(as_text=True)
    with app.app_context():
        after = db.session.scalar(db.select(Usuario.session_token).where(Usuario.username == "ana"))
    assert after != before  # the old cookie is worthless
    assert client.get("/").status_code == 302  # and this browser is logged out
