"""The users page (/usuarios): admins only; create, deactivate/activate, reset a password, change a
role; every write through the service with its activity-log row and never a password in it."""

import re

import pytest
from sqlalchemy import func, select

from ot_app.extensions import db
from ot_app.models import ActividadLog, ApiToken, Usuario
from tests import factories
from tests.conftest import Auth

from .conftest import logged_in, make_user, post_form

NEW_PASSWORD = "marea-alta-en-dos-bocas"


def _user(app, username) -> Usuario | None:
    with app.app_context():
        return db.session.scalar(select(Usuario).where(Usuario.username == username))


def _log_rows(app, accion=None) -> list[ActividadLog]:
    with app.app_context():
        stmt = select(ActividadLog).where(ActividadLog.entidad == "usuario").order_by(ActividadLog.id)
        if accion:
            stmt = stmt.where(ActividadLog.accion == accion)
        return list(db.session.scalars(stmt))


def _goes_to_login(r) -> bool:
    return r.status_code == 302 and "/login" in r.headers["Location"]


def _field_error(html: str, field: str) -> str:
    m = re.search(rf'<p class="error" id="{field}-error"[^>]*>([^<]*)</p>', html)
    assert m, f"no error shown beside {field}"
    return m.group(1)


def _no_secret_in_log(app, *secrets):
    with app.app_context():
        for row in db.session.scalars(select(ActividadLog)):
            stored = " ".join(str(v) for v in (row.cambios, row.accion, row.usuario, row.entidad))
            for secret in secrets:
                assert secret not in stored, f"{secret!r} stored in the activity log"


@pytest.fixture
def admin(app):
    return logged_in(app, "jefa", rol="admin")


def test_only_admins_see_the_users_page_and_its_link(app, admin, editor_client, lector_client):
    page = admin.get("/usuarios")
    assert page.status_code == 200
    assert "jefa" in page.get_data(as_text=True)
    assert 'href="/usuarios"' in admin.get("/").get_data(as_text=True)
    for c in (editor_client, lector_client):
        assert c.get("/usuarios").status_code == 403
        assert 'href="/usuarios"' not in c.get("/").get_data(as_text=True)
        uid = _user(app, "jefa").id
        assert c.get(f"/usuarios/{uid}").status_code == 403


def test_admin_creates_a_user_who_can_log_in_and_the_log_has_no_password(app, admin):
    r = post_form(
        admin,
        "/usuarios",
        {"username": "rperez", "nombre": "Rosa  Pérez", "rol": "editor", "password": NEW_PASSWORD},
    )
    assert r.status_code == 303
    user = _user(app, "rperez")
    assert user.rol == "editor" and user.activo and user.nombre == "Rosa Pérez"
    assert user.check_password(NEW_PASSWORD)
    [row] = _log_rows(app, "crear")
    assert row.entidad_id == user.id and row.usuario == "jefa"
    assert row.cambios["rol"] == [None, "editor"]
    _no_secret_in_log(app, NEW_PASSWORD, user.password_hash)

    fresh = app.test_client()
    assert Auth(fresh).login("rperez", NEW_PASSWORD).status_code == 302
    assert fresh.get("/").status_code == 200


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"password": "corta"}, "password", "al menos 10 caracteres"),
        ({"password": "1234567890"}, "password", "demasiado común"),
        ({"password": "rperez"}, "password", "al menos 10"),
        ({"username": "rperez.largo1", "password": "rperez.largo1"}, "password", "igual al usuario"),
        ({"username": ""}, "username", "Escriba el usuario"),
        ({"username": "ana maría"}, "username", "sin espacios"),
        ({"username": "x" * 81}, "username", "hasta 80"),
        ({"username": "JEFA"}, "username", "ya existe"),
        ({"rol": "jefe"}, "rol", "Elija un rol"),
        ({"nombre": "n" * 151}, "nombre", "hasta 150"),
    ],
)
def test_create_refuses_bad_input_with_the_message_beside_the_field(app, admin, data, field, message):
    before = len(_log_rows(app))
    form = {"username": "rperez", "nombre": "Rosa", "rol": "editor", "password": NEW_PASSWORD, **data}
    r = post_form(admin, "/usuarios", form)
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert message in _field_error(html, field)
    assert 'aria-invalid="true"' in html
    assert re.search(r'name="password" type="password" value=""', html)  # never sent back
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Usuario)) == 1
    assert len(_log_rows(app)) == before


def test_deactivating_ends_the_users_sessions_and_tokens_and_activating_restores_login(app, admin):
    victim = logged_in(app, "rperez", rol="editor")
    with app.app_context():
        _, token = factories.make_token(db.session.get(Usuario, _user(app, "rperez").id))
        db.session.commit()
    bearer = {"Authorization": f"Bearer {token}"}
    assert victim.get("/").status_code == 200
    uid = _user(app, "rperez").id

    r = post_form(admin, f"/usuarios/{uid}/activo", {"activo": "0"})
    assert r.status_code == 303
    assert not _user(app, "rperez").activo
    assert _goes_to_login(victim.get("/"))
    assert app.test_client().get("/api/ot/listar", headers=bearer).status_code == 401
    assert Auth(app.test_client()).login("rperez").status_code == 401
    [row] = _log_rows(app, "desactivar")
    assert row.cambios == {"activo": [True, False]} and row.entidad_id == uid

    assert post_form(admin, f"/usuarios/{uid}/activo", {"activo": "1"}).status_code == 303
    assert _user(app, "rperez").activo
    assert len(_log_rows(app, "activar")) == 1
    assert Auth(app.test_client()).login("rperez").status_code == 302
    with app.app_context():
        # Deactivation revoked it for good (issue 16): reactivating does not bring it back.
        assert not db.session.scalar(select(ApiToken)).activo
    assert app.test_client().get("/api/ot/listar", headers=bearer).status_code == 401


def test_state_form_without_a_value_changes_nothing(app, admin):
    uid = make_user(app, "rperez")
    r = post_form(admin, f"/usuarios/{uid}/activo", {})
    assert r.status_code == 422
    assert "activo" in _field_error(r.get_data(as_text=True), "activo")
    assert _user(app, "rperez").activo and not _log_rows(app, "desactivar")


def test_reset_password_ends_the_users_sessions_and_logs_no_password(app, admin):
    victim = logged_in(app, "rperez", rol="editor")
    uid = _user(app, "rperez").id
    old_hash = _user(app, "rperez").password_hash

    weak = post_form(admin, f"/usuarios/{uid}/contrasena", {"password": "corta"})
    assert weak.status_code == 422
    assert "al menos 10" in _field_error(weak.get_data(as_text=True), "password")
    assert victim.get("/").status_code == 200  # a refused reset ends nothing

    r = post_form(admin, f"/usuarios/{uid}/contrasena", {"password": NEW_PASSWORD})
    assert r.status_code == 303
    assert _goes_to_login(victim.get("/"))
    assert Auth(app.test_client()).login("rperez", factories.PASSWORD).status_code == 401
    assert Auth(app.test_client()).login("rperez", NEW_PASSWORD).status_code == 302
    [row] = _log_rows(app, "restablecer_contrasena")
    assert row.entidad_id == uid and row.usuario == "jefa"
    _no_secret_in_log(app, NEW_PASSWORD, "corta", old_hash, _user(app, "rperez").password_hash)


def test_admin_resetting_their_own_password_keeps_this_session_and_ends_the_others(app, admin):
    other_browser = app.test_client()
    Auth(other_browser).login("jefa")
    uid = _user(app, "jefa").id
    r = post_form(admin, f"/usuarios/{uid}/contrasena", {"password": NEW_PASSWORD})
    assert r.status_code == 303
    assert admin.get("/usuarios").status_code == 200
    assert _goes_to_login(other_browser.get("/"))


def test_change_role_takes_effect_on_the_users_next_request(app, admin):
    victim = logged_in(app, "rperez", rol="lector")
    uid = _user(app, "rperez").id
    assert victim.get("/ot/nueva").status_code == 403
    r = post_form(admin, f"/usuarios/{uid}/rol", {"rol": "editor"})
    assert r.status_code == 303
    assert _user(app, "rperez").rol == "editor"
    assert victim.get("/ot/nueva").status_code == 200
    [row] = _log_rows(app, "cambiar_rol")
    assert row.cambios == {"rol": ["lector", "editor"]}

    bad = post_form(admin, f"/usuarios/{uid}/rol", {"rol": "superusuario"})
    assert bad.status_code == 422
    assert "Elija un rol" in _field_error(bad.get_data(as_text=True), "rol")
    assert _user(app, "rperez").rol == "editor"


def test_the_last_active_admin_can_neither_deactivate_nor_demote_themselves(app, admin):
    uid = _user(app, "jefa").id
    for url, data, field in (
        (f"/usuarios/{uid}/activo", {"activo": "0"}, "activo"),
        (f"/usuarios/{uid}/rol", {"rol": "editor"}, "rol"),
    ):
        r = post_form(admin, url, data)
        assert r.status_code == 409, url
        assert "sin un administrador activo" in _field_error(r.get_data(as_text=True), field)
    user = _user(app, "jefa")
    assert user.rol == "admin" and user.activo
    assert admin.get("/usuarios").status_code == 200
    assert not _log_rows(app, "desactivar") and not _log_rows(app, "cambiar_rol")


def test_an_inactive_admin_does_not_count_as_the_other_admin(app, admin):
    make_user(app, "admin_baja", rol="admin", activo=False)
    uid = _user(app, "jefa").id
    r = post_form(admin, f"/usuarios/{uid}/rol", {"rol": "lector"})
    assert r.status_code == 409
    assert "sin un administrador activo" in _field_error(r.get_data(as_text=True), "rol")
    assert _user(app, "jefa").rol == "admin"


def test_with_another_active_admin_an_admin_may_step_down(app, admin):
    make_user(app, "segunda", rol="admin")
    uid = _user(app, "jefa").id
    assert post_form(admin, f"/usuarios/{uid}/rol", {"rol": "editor"}).status_code == 303
    assert _user(app, "jefa").rol == "editor"
    assert admin.get("/usuarios").status_code == 403  # no longer an admin, from the next request
    # and the remaining admin is now the last one
    segunda = app.test_client()
    Auth(segunda).login("segunda")
    sid = _user(app, "segunda").id
    assert post_form(segunda, f"/usuarios/{sid}/activo", {"activo": "0"}).status_code == 409
    assert _user(app, "segunda").activo


def test_admin_deactivating_themselves_is_logged_out(app, admin):
    make_user(app, "segunda", rol="admin")
    uid = _user(app, "jefa").id
    r = post_form(admin, f"/usuarios/{uid}/activo", {"activo": "0"})
    assert r.status_code == 303 and "/login" in r.headers["Location"]
    assert _goes_to_login(admin.get("/"))


@pytest.mark.parametrize(
    ("url", "data", "field", "message"),
    [
        ("activo", {"activo": "quizá"}, "activo", "El valor de «activo» debe ser 1 (activo) o 0 (inactivo)."),
        ("contrasena", {"password": "x" * 201}, "password", "no puede tener más de 200 caracteres"),
        ("contrasena", {}, "password", "al menos 10 caracteres"),
        ("rol", {}, "rol", "Elija un rol"),
    ],
)
def test_user_forms_refuse_malformed_values_beside_the_field(app, admin, url, data, field, message):
    uid = make_user(app, "rperez")
    before = _user(app, "rperez")
    r = post_form(admin, f"/usuarios/{uid}/{url}", data)
    assert r.status_code == 422
    assert message in _field_error(r.get_data(as_text=True), field)
    after = _user(app, "rperez")
    assert (after.rol, after.activo, after.password_hash) == (before.rol, before.activo, before.password_hash)
    assert not _log_rows(app)


def test_the_user_page_reads_its_fields_off_the_forms(app, admin):
    html = admin.get("/usuarios").get_data(as_text=True)
    assert 'name="username" type="text" value=""' in html and 'maxlength="80"' in html
    assert '<label for="password" class="req">Contraseña inicial</label>' in html
    assert '<option value="admin">Administrador</option>' in html
    uid = make_user(app, "rperez")
    html = admin.get(f"/usuarios/{uid}").get_data(as_text=True)
    assert '<label for="password" class="req">Nueva contraseña</label>' in html and 'maxlength="200"' in html
    assert '<option value="editor" selected>Editor</option>' in html


def test_deactivating_asks_first_through_htmx_and_answers_with_a_redirect(app, admin):
    uid = make_user(app, "rperez")
    html = admin.get(f"/usuarios/{uid}").get_data(as_text=True)
    assert 'hx-confirm="¿Desactivar a rperez?"' in html and "data-confirm" not in html
    r = post_form(admin, f"/usuarios/{uid}/activo", {"activo": "0"}, headers={"HX-Request": "true"})
    assert r.status_code == 204 and r.headers["HX-Redirect"] == f"/usuarios/{uid}"
    assert not _user(app, "rperez").activo


def test_a_refused_htmx_deactivation_comes_back_as_the_page_to_swap(app, admin):
    uid = _user(app, "jefa").id
    r = post_form(admin, f"/usuarios/{uid}/activo", {"activo": "0"}, headers={"HX-Request": "true"})
    html = r.get_data(as_text=True)
    assert r.status_code == 409 and '<main id="main"' in html  # the form's hx-select takes its <main>
    assert "sin un administrador activo" in _field_error(html, "activo")
    assert _user(app, "jefa").activo


def test_unknown_user_is_404(admin):
    assert admin.get("/usuarios/9999").status_code == 404
    assert post_form(admin, "/usuarios/9999/rol", {"rol": "editor"}).status_code == 404


def test_writes_need_the_csrf_token(app, admin):
    uid = make_user(app, "rperez")
    r = admin.post(f"/usuarios/{uid}/rol", data={"rol": "admin"})
    assert r.status_code == 400
    assert _user(app, "rperez").rol == "editor"


def test_cli_passwd_goes_through_the_service_and_writes_the_log(app, runner):
    make_user(app, "rperez")
    r = runner.invoke(args=["users", "passwd", "rperez", "--password-stdin"], input=NEW_PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    [row] = _log_rows(app, "restablecer_contrasena")
    assert row.usuario == "sistema"
    _no_secret_in_log(app, NEW_PASSWORD)


def test_cli_create_goes_through_the_service(app, runner):
    r = runner.invoke(
        args=["users", "create", "rperez", "--rol", "admin", "--password-stdin"], input=NEW_PASSWORD
    )
    assert r.exit_code == 0, r.output
    [row] = _log_rows(app, "crear")
    assert row.cambios["rol"] == [None, "admin"]
    bad = runner.invoke(args=["users", "create", "con espacio", "--password-stdin"], input=NEW_PASSWORD)
    assert bad.exit_code != 0 and "sin espacios" in bad.output
