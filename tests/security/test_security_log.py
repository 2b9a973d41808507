"""Security log ("ot_app.security"): login success and failure, 403, 429 and 409 with user, IP and
UTC time, never a password; a hostile username cannot forge a line; production shows no traceback."""

import logging
import re
from datetime import UTC, datetime

import pytest

from ot_app import create_app
from ot_app.auth.events import clean
from ot_app.config import Config
from ot_app.extensions import db
from tests import factories
from tests.conftest import csrf_token

from .conftest import SECURITY_LOGGER, logged_in, make_user, post_form

WRONG = "clave-equivocada-secreta"
LINE = re.compile(
    r'^evento=(?P<evento>[a-z_]+) usuario="(?P<usuario>(?:[^"\\]|\\.)*)" ip="(?P<ip>[^"]*)" '
    r'utc=(?P<utc>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) metodo="[A-Z]+" ruta="[^"]*"(?: [a-z_]+="(?:[^"\\]|\\.)*")*$'
)


def _login(app, username, password, ip="10.1.1.1"):
    c = app.test_client()
    c.environ_base["REMOTE_ADDR"] = ip
    return c.post("/login", data={"username": username, "password": password, "csrf_token": csrf_token(c)})


def _parse(line: str) -> dict:
    m = LINE.match(line)
    assert m, f"not a well-formed security line: {line!r}"
    when = datetime.strptime(m["utc"], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    assert abs((datetime.now(UTC) - when).total_seconds()) < 120, "utc= is not the current UTC time"
    return m.groupdict()


def test_login_success_and_failure_are_logged_with_user_ip_and_utc_time(app, seclog):
    make_user(app, "mgarcia")
    assert _login(app, "mgarcia", factories.PASSWORD, ip="10.1.1.7").status_code == 302
    assert _login(app, "mgarcia", WRONG, ip="10.1.1.8").status_code == 401
    assert _login(app, "nadie", WRONG, ip="10.1.1.9").status_code == 401
    [ok] = seclog.events("login_ok")
    d = _parse(ok)
    assert d["usuario"] == "mgarcia" and d["ip"] == "10.1.1.7"
    failed = [_parse(line) for line in seclog.events("login_fallido")]
    assert [(f["usuario"], f["ip"]) for f in failed] == [("mgarcia", "10.1.1.8"), ("nadie", "10.1.1.9")]
    for line in seclog.lines:
        assert WRONG not in line and factories.PASSWORD not in line


def test_no_password_anywhere_in_any_log_record(app, caplog):
    caplog.set_level(logging.DEBUG)
    make_user(app, "mgarcia")
    _login(app, "mgarcia", WRONG)
    _login(app, "mgarcia", factories.PASSWORD)
    for _ in range(11):
        _login(app, "mgarcia", WRONG)
    assert caplog.records
    for record in caplog.records:
        text = record.getMessage() + repr(record.args)
        assert WRONG not in text and factories.PASSWORD not in text


def test_403_is_logged_with_the_user(app, seclog):
    lector = logged_in(app, "lectora", rol="lector", ip="10.1.2.3")
    assert lector.get("/ot/nueva").status_code == 403
    assert lector.get("/usuarios").status_code == 403
    lines = [_parse(line) for line in seclog.events("acceso_denegado")]
    assert [(d["usuario"], d["ip"]) for d in lines] == [("lectora", "10.1.2.3")] * 2


def test_429_is_logged(app, seclog):
    make_user(app, "mgarcia")
    for _ in range(10):
        _login(app, "mgarcia", WRONG, ip="10.1.3.1")
    assert _login(app, "mgarcia", factories.PASSWORD, ip="10.1.3.1").status_code == 429
    [line] = seclog.events("login_bloqueado")
    d = _parse(line)
    assert d["usuario"] == "mgarcia" and d["ip"] == "10.1.3.1"
    assert line.endswith('"') and 'por="' in line
    assert logging.getLogger(SECURITY_LOGGER).isEnabledFor(logging.WARNING)


def test_409_conflicts_are_logged(app, seclog):
    admin = logged_in(app, "jefa", rol="admin", ip="10.1.4.1")
    with app.app_context():
        uid = db.session.scalar(db.select(factories.Usuario.id).where(factories.Usuario.username == "jefa"))
    assert post_form(admin, f"/usuarios/{uid}/activo", {"activo": "0"}).status_code == 409
    [line] = seclog.events("conflicto")
    assert _parse(line)["usuario"] == "jefa"


def test_an_ot_edit_conflict_on_the_page_is_logged(app, seclog):
    editor = logged_in(app, "editora", rol="editor")
    with app.app_context():
        ot = factories.make_ot()
        ot_id, version = ot.id, ot.version
    page = editor.get(f"/ot/{ot_id}/editar").get_data(as_text=True)
    form = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', page))
    form["version"] = str(version - 1 if version > 1 else version + 5)
    form["csrf_token"] = csrf_token(editor)
    r = editor.post(f"/ot/{ot_id}/editar", data=form)
    assert r.status_code == 409
    assert len(seclog.events("conflicto")) == 1


@pytest.mark.parametrize(
    "username",
    [
        'mallory\nevento=login_ok usuario="admin" ip="10.0.0.1"',
        "mallory\r\nevento=login_ok",
        "mallory\u2028evento=login_ok",
        "mallory\x1b[2Jevento=login_ok",
        'mallory" usuario="admin',
    ],
)
def test_a_username_with_a_newline_cannot_forge_a_log_line(app, seclog, username):
    _login(app, username, WRONG)
    [line] = seclog.lines
    assert "\n" not in line and "\r" not in line and "\u2028" not in line and "\x1b" not in line
    assert line.startswith("evento=login_fallido ")
    d = _parse(line)  # one event, every value quoted: the forged text stays inside `usuario`
    assert d["usuario"] == clean(username)[1:-1]
    assert d["ip"] == "10.1.1.1"


def test_clean_escapes_control_characters_and_quotes():
    assert clean("a\nb") == '"a\\nb"'
    assert clean('say "hi"\\') == '"say \\"hi\\"\\\\"'
    assert clean("tab\tend\x00") == '"tab\\tend\\x00"'
    assert clean("línea\u2028otra") == '"línea\\u2028otra"'
    assert clean("José Pérez") == '"José Pérez"'


# --- production configuration ------------------------------------------------------------------


@pytest.fixture
def production_app(tmp_path, monkeypatch):
    for name in ("FLASK_DEBUG", "PROPAGATE_EXCEPTIONS"):
        monkeypatch.delenv(name, raising=False)
    overrides = {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'prod.db'}", "SECRET_KEY": "k" * 32}
    app = create_app({k: getattr(Config, k) for k in dir(Config) if k.isupper()} | overrides)
    with app.app_context():
        db.create_all()
        factories.make_user("jefa", rol="admin")
        db.session.commit()

    @app.route("/_prueba/falla")
    def falla():
        raise RuntimeError("detalle interno secreto")

    return app


def test_production_config_has_debug_and_propagation_off(production_app):
    assert production_app.debug is False
    assert production_app.testing is False
    assert production_app.config["PROPAGATE_EXCEPTIONS"] is False


def test_production_never_shows_a_traceback_and_logs_it(production_app, caplog):
    caplog.set_level(logging.ERROR, logger="ot_app")
    c = production_app.test_client()
    c.post("/login", data={"username": "jefa", "password": factories.PASSWORD, "csrf_token": csrf_token(c)})
    for headers in ({}, {"HX-Request": "true"}):
        r = c.get("/_prueba/falla", headers=headers)
        assert r.status_code == 500
        body = r.get_data(as_text=True)
        assert "Ocurrió un error inesperado" in body
        for leak in ("Traceback", "RuntimeError", "detalle interno secreto", 'File "', "werkzeug"):
            assert leak not in body
    logged = [r for r in caplog.records if r.exc_info]
    assert logged and "detalle interno secreto" in str(logged[0].exc_info[1])


def test_even_with_debug_on_no_traceback_reaches_the_page(production_app):
    production_app.debug = True
    c = production_app.test_client()
    c.post("/login", data={"username": "jefa", "password": factories.PASSWORD, "csrf_token": csrf_token(c)})
    body = c.get("/_prueba/falla").get_data(as_text=True)
    assert "Traceback" not in body and "detalle interno secreto" not in body
