"""Issue 17: every role changes their own password from the user menu: the current one, the new
one twice, CSRF, logged, throttled like the login; the other sessions end, this one goes on."""

import re

import pytest

from ot_app.extensions import db
from ot_app.models import ActividadLog, Usuario

from . import factories
from .conftest import Auth

NEW = "una-clave-nueva-larga"


def login_as(app, username, rol):
    with app.app_context():
        factories.make_user(username, rol=rol)
        db.session.commit()
    client = app.test_client()
    client.auth = Auth(client)
    client.auth.login(username)
    return client


def change(client, actual=factories.PASSWORD, nueva=NEW, confirmacion=NEW, **kw):
    data = {"actual": actual, "nueva": nueva, "confirmacion": confirmacion}
    return client.auth.post("/cuenta/contrasena", data=data, **kw)


@pytest.mark.parametrize("rol", ["lector", "editor", "admin"])
def test_every_role_changes_their_own_password_from_the_user_menu(app, rol):
    client = login_as(app, f"p_{rol}", rol)
    home = client.get("/").get_data(as_text=True)
    assert (
        'id="menu-contrasena" href="/cuenta/contrasena"' in home
        or 'href="/cuenta/contrasena" id="menu-contrasena"' in home
    )
    assert client.get("/cuenta/contrasena").status_code == 200
    r = change(client)
    assert r.status_code == 303 and r.headers["Location"] == "/"
    assert "Su contraseña fue cambiada" in client.get("/").get_data(as_text=True)  # still logged in
    with app.app_context():
        user = db.session.scalar(db.select(Usuario).where(Usuario.username == f"p_{rol}"))
        assert user.check_password(NEW)
        log = db.session.scalar(db.select(ActividadLog).where(ActividadLog.accion == "cambiar_contrasena"))
        assert log.id_usuario == user.id and log.cambios == {"password": ["***", "***"]}


def test_other_sessions_end(app):
    first = login_as(app, "p_dos", "editor")
    second = app.test_client()
    Auth(second).login("p_dos")
    assert second.get("/").status_code == 200
    assert change(first).status_code == 303
    assert second.get("/").status_code in (302, 303)  # to the login page
    assert first.get("/").status_code == 200


@pytest.mark.parametrize(
    "data, field, message",
    [
        ({"actual": "no-es-la-mia-123"}, "actual", "La contraseña actual no es correcta."),
        ({"nueva": "corta", "confirmacion": "corta"}, "nueva", "al menos 10 caracteres"),
        ({"confirmacion": "otra-cosa-distinta"}, "confirmacion", "Las dos contraseñas nuevas no coinciden."),
        ({"nueva": factories.PASSWORD, "confirmacion": factories.PASSWORD}, "nueva", "distinta de la actual"),
        ({"actual": ""}, "actual", "Escriba su contraseña actual."),
    ],
)
def test_a_refusal_says_why_beside_the_field_and_changes_nothing(app, data, field, message):
    client = login_as(app, "p_mal", "lector")
    r = change(client, **data)
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert re.search(rf'id="{field}-error">[^<]*{re.escape(message)}', html), html[-3000:]
    assert NEW not in html and factories.PASSWORD not in html  # passwords never come back
    with app.app_context():
        assert db.session.scalar(db.select(Usuario).where(Usuario.username == "p_mal")).check_password(
            factories.PASSWORD
        )


def test_without_the_csrf_token_it_is_refused(app):
    client = login_as(app, "p_csrf", "editor")
    r = client.post(
        "/cuenta/contrasena", data={"actual": factories.PASSWORD, "nueva": NEW, "confirmacion": NEW}
    )
    assert r.status_code in (400, 403)


def test_wrong_current_passwords_are_throttled_like_the_login(app):
    app.config["LOGIN_MAX_FAILURES"] = 3
    client = login_as(app, "p_fuerza", "editor")
    for _ in range(3):
        assert change(client, actual="adivinando-123").status_code == 422
    r = change(client)  # even the right one waits now
    assert r.status_code == 429 and int(r.headers["Retry-After"]) > 0
    assert "Demasiados intentos" in r.get_data(as_text=True)


def test_anonymous_is_sent_to_the_login(client):
    r = client.get("/cuenta/contrasena")
    assert r.status_code in (302, 303) and "/login" in r.headers["Location"]
