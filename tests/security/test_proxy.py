"""TRUST_PROXY_HOPS: behind nginx the activity log, the security log and the login limiter see the
real client IP; with the default (0) a client cannot pick its IP with X-Forwarded-For."""

from sqlalchemy import select

from ot_app import create_app
from ot_app.config import TestConfig
from ot_app.extensions import db
from ot_app.models import ActividadLog
from tests import factories
from tests.conftest import _config_dict, csrf_token

from .conftest import logged_in

NEW_USER = {"username": "rperez", "rol": "lector", "password": "marea-alta-en-dos-bocas"}


def _app(tmp_path, **config):
    app = create_app(
        {**_config_dict(TestConfig), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'p.db'}", **config}
    )
    with app.app_context():
        db.create_all()
    return app


def _create_user_through(admin, forwarded_for=None, proto=None):
    headers = {}
    if forwarded_for:
        headers["X-Forwarded-For"] = forwarded_for
    if proto:
        headers["X-Forwarded-Proto"] = proto
    r = admin.post("/usuarios", data={**NEW_USER, "csrf_token": csrf_token(admin)}, headers=headers)
    assert r.status_code == 303, r.get_data(as_text=True)


def _logged_ip(app) -> str:
    with app.app_context():
        return db.session.scalar(select(ActividadLog.ip).where(ActividadLog.entidad == "usuario"))


def test_behind_one_proxy_the_activity_log_records_the_real_client_ip(tmp_path):
    app = _app(tmp_path, TRUST_PROXY_HOPS=1)
    admin = logged_in(app, "jefa", rol="admin", ip="127.0.0.1")  # nginx on the same host
    _create_user_through(admin, forwarded_for="192.168.10.25")
    assert _logged_ip(app) == "192.168.10.25"


def test_only_the_trusted_hops_are_believed(tmp_path):
    """A client that sends its own X-Forwarded-For gets it appended to by nginx: with one hop
    trusted, the address nginx saw (the last one) is used, not the one the client made up."""
    app = _app(tmp_path, TRUST_PROXY_HOPS=1)
    admin = logged_in(app, "jefa", rol="admin")
    _create_user_through(admin, forwarded_for="1.2.3.4, 192.168.10.25")
    assert _logged_ip(app) == "192.168.10.25"


def test_by_default_forwarded_headers_are_ignored(app):
    assert app.config["TRUST_PROXY_HOPS"] == 0
    admin = logged_in(app, "jefa", rol="admin", ip="192.168.10.30")
    _create_user_through(admin, forwarded_for="10.9.9.9")
    assert _logged_ip(app) == "192.168.10.30"


def test_behind_a_proxy_the_limiter_counts_per_real_client(tmp_path):
    app = _app(tmp_path, TRUST_PROXY_HOPS=1)
    with app.app_context():
        factories.make_user("mgarcia")
        db.session.commit()

    def login(user, password, client_ip):
        c = app.test_client()
        headers = {"X-Forwarded-For": client_ip}
        token = csrf_token(c)
        return c.post(
            "/login", data={"username": user, "password": password, "csrf_token": token}, headers=headers
        )

    for _ in range(10):  # one guessing machine behind nginx
        assert login("mgarcia", "no-es-la-clave", "192.168.10.66").status_code == 401
    assert login("mgarcia", factories.PASSWORD, "192.168.10.66").status_code == 429
    # Everybody else comes through the same nginx, but is a different client.
    assert login("mgarcia", factories.PASSWORD, "192.168.10.67").status_code == 302


def _seen_by_the_app(app, headers) -> dict:
    @app.route("/_prueba/cliente")
    def cliente():
        from flask import jsonify, request

        return jsonify(scheme=request.scheme, ip=request.remote_addr)

    with app.app_context():
        _, token = factories.make_token(factories.make_user("api_erp", rol="lector"))
        db.session.commit()
    r = app.test_client().get("/_prueba/cliente", headers={"Authorization": f"Bearer {token}", **headers})
    return r.get_json()


FORWARDED = {"X-Forwarded-For": "192.168.1.2", "X-Forwarded-Proto": "https"}


def test_x_forwarded_for_and_proto_are_applied_through_the_proxy(tmp_path):
    assert _seen_by_the_app(_app(tmp_path, TRUST_PROXY_HOPS=1), FORWARDED) == {
        "scheme": "https",
        "ip": "192.168.1.2",
    }


def test_x_forwarded_for_and_proto_are_ignored_without_a_trusted_proxy(app):
    assert _seen_by_the_app(app, FORWARDED) == {"scheme": "http", "ip": "127.0.0.1"}
