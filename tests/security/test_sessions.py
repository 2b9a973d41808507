"""Sessions: a new session at login, idle timeout enforced by the server, cookie flags, and a CSRF
token that lives as long as the session (a page left open all day still saves)."""

from sqlalchemy import select

from ot_app import create_app
from ot_app.config import TestConfig
from ot_app.extensions import db
from ot_app.models import Usuario
from tests import factories
from tests.conftest import Auth, _config_dict, csrf_token

from .conftest import logged_in, make_user, post_form

NEW_USER = {"username": "rperez", "nombre": "Rosa", "rol": "lector", "password": "marea-alta-en-dos-bocas"}


def _goes_to_login(r) -> bool:
    return r.status_code == 302 and "/login" in r.headers["Location"]


def _session_cookie(client) -> str:
    return client.get_cookie("session").value


def _with_cookie(app, value):
    c = app.test_client()
    c.set_cookie("session", value)
    return c


# --- a new session at login --------------------------------------------------------------------


def test_the_session_changes_at_login_and_the_pre_login_cookie_never_authenticates(app, client):
    make_user(app, "mgarcia")
    token = csrf_token(client)  # the login page opened an anonymous session
    with client.session_transaction() as sess:
        sess["marca_previa"] = "puesta-por-un-atacante"
    before = _session_cookie(client)

    r = client.post(
        "/login", data={"username": "mgarcia", "password": factories.PASSWORD, "csrf_token": token}
    )
    assert r.status_code == 302
    after = _session_cookie(client)
    assert after != before
    with client.session_transaction() as sess:
        assert "marca_previa" not in sess  # nothing carried over from before the login
    assert client.get("/").status_code == 200

    # Session fixation: whoever planted or copied the pre-login cookie is still anonymous.
    assert _goes_to_login(_with_cookie(app, before).get("/"))
    assert _with_cookie(app, after).get("/").status_code == 200


def test_two_logins_of_one_user_get_different_sessions(app):
    make_user(app, "mgarcia")
    a, b = app.test_client(), app.test_client()
    Auth(a).login("mgarcia")
    Auth(b).login("mgarcia")
    assert _session_cookie(a) != _session_cookie(b)


# --- cookie flags ------------------------------------------------------------------------------


def _login_cookie(app) -> str:
    with app.app_context():
        factories.make_user("mgarcia")
        db.session.commit()
    c = app.test_client()
    r = Auth(c).login("mgarcia")
    assert r.status_code == 302
    return next(h for h in r.headers.getlist("Set-Cookie") if h.startswith("session="))


def test_session_cookie_is_httponly_samesite_lax_and_not_secure_by_default(app):
    cookie = _login_cookie(app)
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie  # plain-HTTP intranet by default


def test_session_cookie_is_secure_when_configured(tmp_path):
    app = create_app(
        {
            **_config_dict(TestConfig),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 's.db'}",
            "SESSION_COOKIE_SECURE": True,
        }
    )
    with app.app_context():
        db.create_all()
    cookie = _login_cookie(app)
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_session_cookie_expiry_follows_session_idle_hours(tmp_path):
    app = create_app(
        {
            **_config_dict(TestConfig),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 's.db'}",
            "SESSION_IDLE_HOURS": 2,
        }
    )
    assert app.permanent_session_lifetime.total_seconds() == 7200


# --- idle timeout ------------------------------------------------------------------------------


def test_idle_session_is_refused_even_if_the_browser_keeps_the_cookie(app, clock):
    c = logged_in(app, "mgarcia")
    assert c.get("/").status_code == 200
    kept = _session_cookie(c)
    clock.advance(hours=8, minutes=1)
    assert _goes_to_login(_with_cookie(app, kept).get("/"))
    r = c.get("/")
    assert _goes_to_login(r)
    assert "expiró por inactividad" in c.get(r.headers["Location"]).get_data(as_text=True)
    # An htmx request gets the login redirect header, an API request the 401 envelope.
    assert _with_cookie(app, kept).get("/", headers={"HX-Request": "true"}).status_code == 401
    assert _with_cookie(app, kept).get("/api/ot/listar").status_code == 401


def test_each_request_refreshes_the_idle_clock(app, clock):
    c = logged_in(app, "mgarcia")
    for _ in range(4):  # a working day and a half, never idle for 8 hours
        clock.advance(hours=7, minutes=50)
        assert c.get("/").status_code == 200
    clock.advance(hours=8, seconds=61)
    assert _goes_to_login(c.get("/"))


def test_the_server_checks_idle_time_itself_not_only_the_cookie_signature(app, clock):
    """Static files re-sign the cookie (Flask refreshes permanent sessions) without being activity:
    the idle check reads the last-seen time inside the session and still ends it."""
    c = logged_in(app, "mgarcia")
    for _ in range(3):
        clock.advance(hours=3)
        r = c.get("/static/css/app.css")
        assert r.status_code == 200
        r.close()
    assert _goes_to_login(c.get("/"))


def test_idle_timeout_is_configurable(tmp_path, clock):
    app = create_app(
        {
            **_config_dict(TestConfig),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 's.db'}",
            "SESSION_IDLE_HOURS": 1,
        }
    )
    with app.app_context():
        db.create_all()
    c = logged_in(app, "mgarcia")
    clock.advance(minutes=59)
    assert c.get("/").status_code == 200
    clock.advance(minutes=61)
    assert _goes_to_login(c.get("/"))


def test_an_expired_session_is_cleared_not_just_refused_once(app, clock):
    c = logged_in(app, "mgarcia")
    clock.advance(hours=9)
    assert _goes_to_login(c.get("/"))
    clock.advance(hours=-9)  # even back within the window, the browser's session was emptied
    assert _goes_to_login(c.get("/"))


def test_bearer_tokens_have_no_idle_timeout(app, client, api_token, clock):
    token = api_token("lector")
    clock.advance(hours=30)
    assert client.get("/api/ot/listar", headers={"Authorization": f"Bearer {token}"}).status_code == 200


# --- CSRF token lifetime -----------------------------------------------------------------------


def test_csrf_token_lives_as_long_as_the_session(app):
    assert app.config["WTF_CSRF_TIME_LIMIT"] is None
    assert app.config["WTF_CSRF_ENABLED"] is True


def test_a_page_left_open_all_day_still_saves(app, clock):
    """Token read at 08:00; the user works in other tabs; the form posted at 17:30 is accepted."""
    admin = logged_in(app, "jefa", rol="admin")
    morning_token = csrf_token(admin)
    for _ in range(3):  # other tabs keep the session alive
        clock.advance(hours=3)
        assert admin.get("/").status_code == 200
    clock.advance(minutes=30)
    r = admin.post("/usuarios", data={**NEW_USER, "csrf_token": morning_token})
    assert r.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Usuario).where(Usuario.username == "rperez")) is not None


def test_a_token_from_another_session_is_refused(app):
    admin = logged_in(app, "jefa", rol="admin")
    other = logged_in(app, "jefe2", rol="admin")
    r = admin.post("/usuarios", data={**NEW_USER, "csrf_token": csrf_token(other)})
    assert r.status_code == 400
    assert post_form(admin, "/usuarios", NEW_USER).status_code == 303
