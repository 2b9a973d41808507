"""Finding 2 of issue 16: API tokens can be listed and revoked (CLI, the users page for admins, "Mis
tokens" for everyone), a password reset and a deactivation revoke them (for good: reactivating
does not bring them back), they may expire, and every creation and revocation is in the activity log.
"""

from datetime import timedelta

import pytest
from sqlalchemy import select

from ot_app import models
from ot_app.extensions import db
from ot_app.models import ActividadLog, ApiToken, Usuario

from .conftest import logged_in, make_user, post_form

API = "/api/ot/listar"


def _cli_token(runner, username, *extra) -> str:
    r = runner.invoke(args=["users", "token", username, *extra])
    assert r.exit_code == 0, r.output
    return r.output.strip().splitlines()[-1]


def _works(app, token) -> int:
    return app.test_client().get(API, headers={"Authorization": f"Bearer {token}"}).status_code


def _uid(app, username) -> int:
    with app.app_context():
        return db.session.scalar(select(Usuario.id).where(Usuario.username == username))


def _log(app, accion) -> list[ActividadLog]:
    with app.app_context():
        return list(db.session.scalars(select(ActividadLog).where(ActividadLog.accion == accion)))


# --------------------------------------------------------------------------- CLI


def test_a_token_can_be_listed_and_revoked_from_the_cli(app, runner):
    make_user(app, "erp", rol="lector")
    first = _cli_token(runner, "erp", "--nombre", "erp-contable")
    second = _cli_token(runner, "erp", "--nombre", "tablero")
    assert _works(app, first) == 200 and _works(app, second) == 200

    listed = runner.invoke(args=["users", "tokens", "erp"])
    assert listed.exit_code == 0, listed.output
    assert "erp-contable" in listed.output and "tablero" in listed.output and "activo" in listed.output
    assert first not in listed.output  # only the hash is stored: the token is never shown again

    r = runner.invoke(args=["users", "revoke-token", "erp", "erp-contable"])
    assert r.exit_code == 0 and "1 token(s) de erp revocado(s)" in r.output, r.output
    assert _works(app, first) == 401
    assert _works(app, second) == 200
    assert "revocado" in runner.invoke(args=["users", "tokens", "erp"]).output

    r = runner.invoke(args=["users", "revoke-token", "erp", "--all"])
    assert r.exit_code == 0, r.output
    assert _works(app, second) == 401
    assert len(_log(app, "crear_token")) == 2 and len(_log(app, "revocar_token")) == 2


def test_revoke_token_refuses_an_unknown_label_and_needs_a_label_or_all(app, runner):
    make_user(app, "erp", rol="lector")
    _cli_token(runner, "erp", "--nombre", "erp-contable")
    r = runner.invoke(args=["users", "revoke-token", "erp", "otro"])
    assert r.exit_code != 0 and "no tiene un token activo llamado «otro»" in r.output
    assert runner.invoke(args=["users", "revoke-token", "erp"]).exit_code != 0
    assert runner.invoke(args=["users", "revoke-token", "nadie", "--all"]).exit_code != 0


def test_a_token_with_an_expiry_stops_working_after_it(app, runner, monkeypatch):
    make_user(app, "erp", rol="lector")
    token = _cli_token(runner, "erp", "--nombre", "temporal", "--expira-dias", "2")
    assert _works(app, token) == 200
    with app.app_context():
        row = db.session.scalar(select(ApiToken).where(ApiToken.nombre == "temporal"))
        assert timedelta(days=1, hours=23) < row.expires_at - row.created_at <= timedelta(days=2, minutes=1)
    later = models.utcnow() + timedelta(days=2, minutes=1)
    monkeypatch.setattr(models, "utcnow", lambda: later)
    assert _works(app, token) == 401
    assert "vencido" in runner.invoke(args=["users", "tokens", "erp"]).output
    assert runner.invoke(args=["users", "token", "erp", "--expira-dias", "0"]).exit_code != 0


def test_a_password_reset_revokes_the_users_tokens(app, runner):
    make_user(app, "erp", rol="lector")
    token = _cli_token(runner, "erp")
    r = runner.invoke(args=["users", "passwd", "erp", "--password-stdin"], input="piedra-azul-de-campeche\n")
    assert r.exit_code == 0 and "tokens de API quedaron revocados" in r.output, r.output
    assert _works(app, token) == 401
    # ...and from the users page, which says so.
    token = _cli_token(runner, "erp")
    admin = logged_in(app, "jefa", rol="admin")
    r = post_form(
        admin,
        f"/usuarios/{_uid(app, 'erp')}/contrasena",
        {"password": "otra-piedra-de-campeche"},
        follow_redirects=True,
    )
    assert "tokens de API quedaron revocados" in r.get_data(as_text=True)
    assert _works(app, token) == 401


def test_deactivation_revokes_tokens_for_good(app, runner):
    make_user(app, "erp", rol="lector")
    token = _cli_token(runner, "erp")
    admin = logged_in(app, "jefa", rol="admin")
    uid = _uid(app, "erp")
    assert post_form(admin, f"/usuarios/{uid}/activo", {"activo": "0"}).status_code in (302, 303)
    assert _works(app, token) == 401
    assert post_form(admin, f"/usuarios/{uid}/activo", {"activo": "1"}).status_code in (302, 303)
    assert _works(app, token) == 401  # reactivation does not revive it
    with app.app_context():
        row = db.session.scalar(select(ApiToken).where(ApiToken.id_usuario == uid))
        assert row.activo is False and row.revoked_at is not None


# --------------------------------------------------------------------------- pages


def test_the_users_page_lists_and_revokes_a_users_tokens(app, runner):
    make_user(app, "erp", rol="lector")
    uid = _uid(app, "erp")
    first = _cli_token(runner, "erp", "--nombre", "erp-contable")
    second = _cli_token(runner, "erp", "--nombre", "tablero", "--expira-dias", "30")
    admin = logged_in(app, "jefa", rol="admin")
    page = admin.get(f"/usuarios/{uid}").get_data(as_text=True)
    assert "Tokens de API" in page and "erp-contable" in page and "tablero" in page and "No vence" in page
    with app.app_context():
        ids = dict(db.session.execute(select(ApiToken.nombre, ApiToken.id)).all())
    r = post_form(admin, f"/usuarios/{uid}/tokens/{ids['erp-contable']}/revocar", follow_redirects=True)
    assert "Token «erp-contable» de erp revocado." in r.get_data(as_text=True)
    assert _works(app, first) == 401 and _works(app, second) == 200
    r = post_form(admin, f"/usuarios/{uid}/tokens/revocar", follow_redirects=True)
    assert "1 token(s) de erp revocado(s)." in r.get_data(as_text=True)
    assert _works(app, second) == 401
    # A token of someone else under this user's URL is not found.
    make_user(app, "otro", rol="lector")
    _cli_token(runner, "otro", "--nombre", "ajeno")
    with app.app_context():
        ajeno = db.session.scalar(select(ApiToken.id).where(ApiToken.nombre == "ajeno"))
    assert post_form(admin, f"/usuarios/{uid}/tokens/{ajeno}/revocar").status_code == 404
    revoked = _log(app, "revocar_token")
    assert len(revoked) == 2 and all(row.usuario == "jefa" for row in revoked)


@pytest.mark.parametrize("rol", ["lector", "editor", "admin"])
def test_every_user_sees_and_revokes_only_their_own_tokens(app, runner, rol):
    client = logged_in(app, f"yo_{rol}", rol=rol)
    mine = _cli_token(runner, f"yo_{rol}", "--nombre", "mi-script")
    make_user(app, "otro", rol="lector")
    theirs = _cli_token(runner, "otro", "--nombre", "ajeno")
    home = client.get("/").get_data(as_text=True)
    assert 'href="/usuarios/mis-tokens"' in home  # reachable from every page
    page = client.get("/usuarios/mis-tokens").get_data(as_text=True)
    assert "mi-script" in page and "ajeno" not in page
    with app.app_context():
        ids = dict(db.session.execute(select(ApiToken.nombre, ApiToken.id)).all())
    assert post_form(client, f"/usuarios/mis-tokens/{ids['ajeno']}/revocar").status_code == 404
    assert _works(app, theirs) == 200
    r = post_form(client, f"/usuarios/mis-tokens/{ids['mi-script']}/revocar", follow_redirects=True)
    assert "Token «mi-script» revocado." in r.get_data(as_text=True)
    assert _works(app, mine) == 401
    assert "Revocado" in client.get("/usuarios/mis-tokens").get_data(as_text=True)


def test_creation_and_revocation_are_logged_without_the_token(app, runner):
    make_user(app, "erp", rol="lector")
    token = _cli_token(runner, "erp", "--nombre", "erp-contable")
    runner.invoke(args=["users", "revoke-token", "erp", "erp-contable"])
    rows = _log(app, "crear_token") + _log(app, "revocar_token")
    assert [r.accion for r in rows] == ["crear_token", "revocar_token"]
    for row in rows:
        assert row.entidad == "usuario" and row.entidad_id == _uid(app, "erp")
        assert "erp-contable" in str(row.cambios) and token not in str(row.cambios)
    with app.app_context():
        assert ApiToken.hash(token) not in str([r.cambios for r in rows])
