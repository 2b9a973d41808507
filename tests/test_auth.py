"""Login, logout, sessions, login required everywhere, bearer tokens, CSRF, error pages."""

from urllib.parse import urlsplit

import pytest
from flask import jsonify
from flask_login import current_user
from sqlalchemy import func, select

from ot_app.extensions import db
from ot_app.models import ApiToken, Patio, Usuario
from tests import factories
from tests.conftest import Auth, csrf_token

BAD_CREDENTIALS = "Usuario o contraseña incorrectos."
PUBLIC = {"auth.login", "auth.entrar", "static"}


def _user(app, username="mgarcia", **kw) -> None:
    with app.app_context():
        factories.make_user(username, **kw)
        db.session.commit()


def _location_path(response) -> str:
    parts = urlsplit(response.headers["Location"])
    assert not parts.netloc and not parts.scheme, response.headers["Location"]
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _goes_to_login(response) -> bool:
    return response.status_code == 302 and _location_path(response).startswith("/login")


# --- login -------------------------------------------------------------------------------------


def test_login_page_has_username_and_password_inputs(client):
    page = client.get("/login").get_data(as_text=True)
    assert 'name="username"' in page and 'name="password"' in page
    assert 'name="csrf_token"' in page


def test_login_ok_redirects_home(app, client, auth):
    _user(app, nombre="María García")
    r = auth.login("mgarcia")
    assert r.status_code == 302
    assert _location_path(r) == "/"
    home = client.get("/")
    assert home.status_code == 200
    assert "María García" in home.get_data(as_text=True)


def test_wrong_password_and_unknown_user_get_the_same_generic_message(app, client, auth):
    _user(app)
    wrong = auth.login("mgarcia", "no-es-la-contraseña")
    unknown = auth.login("nadie", "no-es-la-contraseña")
    for r in (wrong, unknown):
        assert r.status_code == 401
        assert BAD_CREDENTIALS in r.get_data(as_text=True)
    # Nothing else tells the two cases apart.
    assert wrong.get_data(as_text=True).count(BAD_CREDENTIALS) == 1
    assert unknown.get_data(as_text=True).count(BAD_CREDENTIALS) == 1
    assert _goes_to_login(client.get("/"))


def test_inactive_user_cannot_log_in(app, client, auth):
    _user(app, activo=False)
    r = auth.login("mgarcia")
    assert r.status_code == 401
    assert BAD_CREDENTIALS in r.get_data(as_text=True)
    assert _goes_to_login(client.get("/"))


def test_user_deactivated_while_logged_in_loses_the_session(app, client, auth):
    _user(app)
    auth.login("mgarcia")
    assert client.get("/").status_code == 200
    with app.app_context():
        db.session.scalar(select(Usuario).where(Usuario.username == "mgarcia")).activo = False
        db.session.commit()
    assert _goes_to_login(client.get("/"))


def test_login_without_csrf_token_is_refused(app, client):
    _user(app)
    r = client.post("/login", data={"username": "mgarcia", "password": factories.PASSWORD})
    assert r.status_code == 400
    assert _goes_to_login(client.get("/"))


def _login_with_next(client, next_value):
    token = csrf_token(client)
    return client.post(
        "/login",
        data={
            "username": "mgarcia",
            "password": factories.PASSWORD,
            "csrf_token": token,
            "next": next_value,
        },
    )


def test_next_is_honoured_for_local_paths(app, client):
    _user(app)
    r = _login_with_next(client, "/ordenes?estatus=1&q=PEP")
    assert r.status_code == 302
    assert _location_path(r) == "/ordenes?estatus=1&q=PEP"


@pytest.mark.parametrize(
    "target",
    [
        "//evil.com",
        "//evil.com/ordenes",
        "http://evil.com",
        "https://evil.com/login",
        "/\\evil.com",
        "\\\\evil.com",
        "javascript:alert(1)",
        "JavaScript:alert(document.cookie)",
        "evil.com",
        "/\t/evil.com",
    ],
)
def test_next_to_another_site_goes_home(app, client, target):
    _user(app)
    r = _login_with_next(client, target)
    assert r.status_code == 302
    assert _location_path(r) == "/"


def test_login_page_carries_next_from_the_query_string(client):
    page = client.get("/login?next=/ordenes/7").get_data(as_text=True)
    assert 'value="/ordenes/7"' in page


# --- logout and sessions -----------------------------------------------------------------------


def test_logout_is_post_only(app, client, auth):
    _user(app)
    auth.login("mgarcia")
    r = client.get("/logout")
    assert r.status_code == 405
    assert client.get("/").status_code == 200  # still logged in
    r = auth.logout()
    assert r.status_code == 302 and _goes_to_login(r)
    assert _goes_to_login(client.get("/"))


def test_session_cookie_copied_before_logout_is_refused_afterwards(app, client, auth):
    _user(app)
    auth.login("mgarcia")
    assert client.get("/").status_code == 200
    copied = client.get_cookie("session").value
    auth.logout()

    thief = app.test_client()
    thief.set_cookie("session", copied)
    assert _goes_to_login(thief.get("/"))


def test_password_change_with_users_passwd_ends_sessions(app, client, auth, runner):
    _user(app)
    auth.login("mgarcia")
    assert client.get("/").status_code == 200
    r = runner.invoke(
        args=["users", "passwd", "mgarcia", "--password-stdin"], input="piedra-azul-de-campeche\n"
    )
    assert r.exit_code == 0, r.output
    assert _goes_to_login(client.get("/"))
    fresh = app.test_client()
    assert Auth(fresh).login("mgarcia", "piedra-azul-de-campeche").status_code == 302
    assert fresh.get("/").status_code == 200


def test_session_cookie_is_httponly_and_samesite_lax(app, client, auth):
    _user(app)
    r = auth.login("mgarcia")
    cookie = next(h for h in r.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


# --- login required everywhere -----------------------------------------------------------------


def _every_protected_request(app):
    """(method, path) for every rule of the URL map but the login page and static files."""
    requests = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in PUBLIC:
            continue
        # `kind` is the step-catalog kind (`<any(pte):kind>`); every other argument an id.
        _, path = rule.build(
            {arg: "pte" if arg == "kind" else 1 for arg in rule.arguments}, append_unknown=False
        )
        for method in sorted(rule.methods):
            requests.append((method, path))
    assert requests
    return requests


def _check_refused(response, method, path, htmx=False):
    where = f"{method} {path}{' (htmx)' if htmx else ''}"
    if path.startswith("/api/"):
        assert response.status_code == 401, where
        if method != "HEAD":
            body = response.get_json()
            assert body["exito"] is False and body["tipo_aviso"] == "error", where
            assert body["detalles"], where
    elif htmx:
        assert response.status_code == 401, where
        assert response.headers["HX-Redirect"].startswith("/login"), where
    else:
        assert _goes_to_login(response), f"{where}: {response.status_code}"


def test_every_route_refuses_an_anonymous_request(app, client):
    for method, path in _every_protected_request(app):
        r = client.open(path, method=method)
        _check_refused(r, method, path)


def test_every_route_refuses_an_anonymous_htmx_request(app, client):
    for method, path in _every_protected_request(app):
        r = client.open(path, method=method, headers={"HX-Request": "true"})
        _check_refused(r, method, path, htmx=True)


def test_anonymous_api_request_gets_the_401_envelope(client):
    r = client.get("/api/ordenes")
    assert r.status_code == 401
    assert r.get_json() == {"exito": False, "tipo_aviso": "error", "detalles": r.get_json()["detalles"]}
    assert r.headers.get("WWW-Authenticate", "").startswith("Bearer")


def test_anonymous_redirect_keeps_the_page_as_next(client):
    r = client.get("/?pagina=2")
    assert _goes_to_login(r)
    assert "next=" in r.headers["Location"]


def test_login_and_static_files_are_public(client):
    assert client.get("/login").status_code == 200
    r = client.get("/static/css/app.css")
    assert r.status_code == 200
    r.close()


# --- bearer tokens -----------------------------------------------------------------------------


def _register_whoami(app):
    @app.route("/api/_prueba/quien")
    def quien_soy():
        return jsonify(usuario=current_user.username)


def _bearer(token):
    return {"Authorization": f"Bearer {token}"}


def test_valid_bearer_token_authenticates(app, client, api_token):
    _register_whoami(app)
    token = api_token("editor", username="api_erp")
    r = client.get("/api/_prueba/quien", headers=_bearer(token))
    assert r.status_code == 200
    assert r.get_json() == {"usuario": "api_erp"}
    assert client.get("/", headers=_bearer(token)).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(ApiToken)).last_used_at is not None


@pytest.mark.parametrize("path", ["/api/_prueba/quien", "/"])
def test_invalid_bearer_token_is_refused_with_401(app, client, api_token, path):
    _register_whoami(app)
    token = api_token()
    for header in (f"Bearer {token}x", "Bearer ot_no-existe", "Bearer "):
        r = client.get(path, headers={"Authorization": header})
        assert r.status_code == 401, header
        assert r.get_json()["exito"] is False


def test_revoked_bearer_token_is_refused_with_401(app, client, api_token):
    _register_whoami(app)
    token = api_token()
    assert client.get("/api/_prueba/quien", headers=_bearer(token)).status_code == 200
    with app.app_context():
        db.session.scalar(select(ApiToken)).activo = False
        db.session.commit()
    assert client.get("/api/_prueba/quien", headers=_bearer(token)).status_code == 401


def test_bearer_token_of_inactive_user_is_refused(app, client, api_token):
    _register_whoami(app)
    token = api_token(username="api_baja")
    with app.app_context():
        db.session.scalar(select(Usuario).where(Usuario.username == "api_baja")).activo = False
        db.session.commit()
    assert client.get("/api/_prueba/quien", headers=_bearer(token)).status_code == 401


def test_bearer_request_does_not_open_a_browser_session(app, client, api_token):
    _register_whoami(app)
    token = api_token()
    client.get("/api/_prueba/quien", headers=_bearer(token))
    assert _goes_to_login(client.get("/"))


# --- CSRF --------------------------------------------------------------------------------------


def _register_writer(app):
    """A POST route that writes a row, to see whether a refused request changed anything."""

    @app.post("/_prueba/patio")
    def crear_patio():
        db.session.add(Patio(nombre="Patio de prueba CSRF", activo=True))
        db.session.commit()
        return "creado"


def _patios(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Patio))


def test_post_without_csrf_token_from_a_browser_session_is_refused(app, client, auth):
    _register_writer(app)
    _user(app)
    auth.login("mgarcia")
    before = _patios(app)
    r = client.post("/_prueba/patio", data={"nombre": "x"})
    assert r.status_code == 400
    assert "<html" in r.get_data(as_text=True)
    r = client.post("/_prueba/patio", headers={"X-CSRFToken": "token-inventado"})
    assert r.status_code == 400
    assert _patios(app) == before
    # Logout without the token changes nothing either: the session goes on.
    assert client.post("/logout").status_code == 400
    assert client.get("/").status_code == 200
    # With the token it goes through.
    assert auth.post("/_prueba/patio").status_code == 200
    assert _patios(app) == before + 1


def test_bearer_token_post_needs_no_csrf_token(app, client, api_token):
    _register_writer(app)
    before = _patios(app)
    r = client.post("/_prueba/patio", headers=_bearer(api_token()))
    assert r.status_code == 200
    assert _patios(app) == before + 1


# --- error pages -------------------------------------------------------------------------------


def test_404_is_a_spanish_page_for_a_browser(admin_client):
    r = admin_client.get("/no-existe")
    assert r.status_code == 404
    body = r.get_data(as_text=True)
    assert "<html" in body and 'lang="es"' in body
    assert "No se encontró" in body
    assert "Not Found" not in body


def test_404_is_a_fragment_for_htmx(admin_client):
    r = admin_client.get("/no-existe", headers={"HX-Request": "true"})
    assert r.status_code == 404
    body = r.get_data(as_text=True)
    assert "<html" not in body
    assert "No se encontró" in body


def test_404_is_the_json_envelope_under_api(admin_client, client, api_token):
    for c, headers in ((admin_client, {}), (client, _bearer(api_token()))):
        r = c.get("/api/no-existe", headers=headers)
        assert r.status_code == 404
        body = r.get_json()
        assert body["exito"] is False and body["tipo_aviso"] == "error"
        assert "No se encontró" in body["detalles"]


def test_500_shows_the_spanish_page_and_no_traceback(app, client, auth):
    @app.route("/_prueba/falla")
    def falla():
        raise RuntimeError("detalle interno secreto")

    _user(app)
    auth.login("mgarcia")
    admin_client = client
    r = admin_client.get("/_prueba/falla")
    assert r.status_code == 500
    body = r.get_data(as_text=True)
    assert "<html" in body
    assert "Ocurrió un error inesperado" in body
    for leak in ("Traceback", "RuntimeError", "detalle interno secreto", 'File "'):
        assert leak not in body

    fragment = admin_client.get("/_prueba/falla", headers={"HX-Request": "true"})
    assert fragment.status_code == 500 and "<html" not in fragment.get_data(as_text=True)


def test_500_under_api_is_the_envelope_without_traceback(app, client, api_token):
    @app.route("/api/_prueba/falla")
    def falla_api():
        raise RuntimeError("detalle interno secreto")

    r = client.get("/api/_prueba/falla", headers=_bearer(api_token()))
    assert r.status_code == 500
    assert r.get_json()["exito"] is False
    assert "detalle interno secreto" not in r.get_data(as_text=True)


def test_a_write_postgresql_ended_in_a_deadlock_is_a_409_asking_to_try_again(app, client, api_token):
    # A write no service retries (they do: transactions.retrying) lost a race: nothing was saved.
    import psycopg.errors
    from sqlalchemy.exc import OperationalError

    @app.route("/api/_prueba/interbloqueo", methods=["POST"])
    def interbloqueo():
        raise OperationalError("UPDATE ote", {}, psycopg.errors.DeadlockDetected("deadlock detected"))

    r = client.post("/api/_prueba/interbloqueo", headers=_bearer(api_token()))
    assert r.status_code == 409
    body = r.get_json()
    assert body["exito"] is False
    assert body["detalles"].startswith("Otra persona guardó cambios relacionados al mismo tiempo")
    assert "deadlock" not in r.get_data(as_text=True)
