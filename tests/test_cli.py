"""Command line: `flask seed` and `flask users create | passwd | token | ensure-admin`."""

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from ot_app.extensions import db
from ot_app.models import (
    ApiToken,
    Cliente,
    EstatusOT,
    EstatusPaso,
    EstatusPTE,
    Frente,
    PasoOt,
    ReglaPaso,
    TipoDocumento,
    Usuario,
)
from tests import factories

SEEDED = (TipoDocumento, Frente, EstatusPaso, EstatusOT, EstatusPTE, Cliente, PasoOt, ReglaPaso)
GOOD_PASSWORD = "piedra-azul-de-campeche"


def _counts() -> dict[str, int]:
    return {m.__name__: db.session.scalar(select(func.count()).select_from(m)) for m in SEEDED}


def _empty_every_table():
    for table in reversed(db.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def _ids(model) -> set[int]:
    return set(db.session.scalars(select(model.id)))


def test_seed_twice_is_idempotent_with_fixed_ids(app, runner):
    with app.app_context():
        _empty_every_table()

    first = runner.invoke(args=["seed"])
    assert first.exit_code == 0, first.output
    assert not re.search(r"\(0 registros nuevos\)", first.output)
    with app.app_context():
        after_first = _counts()
    second = runner.invoke(args=["seed"])
    assert second.exit_code == 0, second.output
    assert "(0 registros nuevos)" in second.output

    with app.app_context():
        assert _counts() == after_first
        assert {i: db.session.get(TipoDocumento, i).nombre for i in (4, 5)} == {
            4: "OT inicial",
            5: "OT reprogramada",
        }
        assert {i: db.session.get(Frente, i).nombre for i in (1, 2)} == {1: "Tierra", 2: "Costa afuera"}
        assert {i: db.session.get(EstatusPaso, i).nombre for i in range(1, 5)} == {
            1: "Pendiente",
            2: "En proceso",
            3: "Completado",
            4: "No aplica",
        }
        assert {i: db.session.get(EstatusOT, i).nombre for i in range(1, 6)} == {
            1: "Programada",
            2: "En ejecución",
            3: "Suspendida",
            4: "Terminada",
            5: "Cancelada",
        }
        assert {1, 2, 3, 4} <= _ids(Cliente)
        assert all(db.session.get(Cliente, i).activo for i in (1, 2, 3, 4))

        set5 = db.session.scalars(select(PasoOt).where(PasoOt.tipo == 5, PasoOt.activo)).all()
        set18 = db.session.scalars(select(PasoOt).where(PasoOt.tipo == 18, PasoOt.activo)).all()
        assert len(set5) >= 10
        assert len(set18) >= 6
        assert "oficio" in set5[0].descripcion.lower()
        assert "cierre administrativo" in max(set5, key=lambda p: p.id).descripcion.lower()

        rules = {(r.id_tipo, r.id_cliente): r.tipo_paso for r in db.session.scalars(select(ReglaPaso))}
        assert rules == {
            (5, 1): 5,
            (5, 2): 18,
            (5, 3): 18,
            (5, 4): 18,
            (5, None): 5,
            (4, None): 5,
        }


def test_seed_keeps_rows_renamed_by_the_office(app, runner):
    with app.app_context():
        db.session.get(Cliente, 2).nombre = "Cotemar S.A. de C.V."
        db.session.commit()
    assert runner.invoke(args=["seed"]).exit_code == 0
    with app.app_context():
        assert db.session.get(Cliente, 2).nombre == "Cotemar S.A. de C.V."


def _user(username) -> Usuario | None:
    return db.session.scalar(select(Usuario).where(Usuario.username == username))


def test_users_create_with_password_stdin(app, runner):
    r = runner.invoke(
        args=[
            "users",
            "create",
            "mgarcia",
            "--rol",
            "editor",
            "--nombre",
            "María García",
            "--password-stdin",
        ],
        input=GOOD_PASSWORD + "\n",
    )
    assert r.exit_code == 0, r.output
    assert "mgarcia" in r.output
    with app.app_context():
        user = _user("mgarcia")
        assert user.rol == "editor"
        assert user.nombre == "María García"
        assert user.activo
        assert user.check_password(GOOD_PASSWORD)
        assert GOOD_PASSWORD not in user.password_hash
        assert user.password_hash.startswith("scrypt:")


def test_users_create_prompts_for_the_password(app, runner):
    r = runner.invoke(args=["users", "create", "jlopez"], input=f"{GOOD_PASSWORD}\n{GOOD_PASSWORD}\n")
    assert r.exit_code == 0, r.output
    with app.app_context():
        assert _user("jlopez").rol == "lector"
        assert _user("jlopez").check_password(GOOD_PASSWORD)


@pytest.mark.parametrize(
    ("password", "message"),
    [("corta", "al menos 10 caracteres"), ("1234567890", "demasiado común"), ("contraseña123", "común")],
)
def test_users_create_refuses_short_or_common_password(app, runner, password, message):
    r = runner.invoke(args=["users", "create", "debil", "--password-stdin"], input=password + "\n")
    assert r.exit_code != 0
    assert message in r.output
    with app.app_context():
        assert _user("debil") is None


def test_users_create_refuses_duplicate_user(app, runner):
    args = ["users", "create", "mgarcia", "--password-stdin"]
    assert runner.invoke(args=args, input=GOOD_PASSWORD + "\n").exit_code == 0
    r = runner.invoke(args=args, input="otra-clave-distinta-99\n")
    assert r.exit_code != 0
    assert "ya existe" in r.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Usuario)) == 1
        assert _user("mgarcia").check_password(GOOD_PASSWORD)


def test_users_create_refuses_unknown_rol(runner):
    r = runner.invoke(args=["users", "create", "x", "--rol", "jefe", "--password-stdin"], input=GOOD_PASSWORD)
    assert r.exit_code != 0


def _every_stored_value():
    for table in db.metadata.sorted_tables:
        for row in db.session.execute(table.select()):
            yield from (str(v) for v in row)


def test_users_token_prints_it_alone_on_last_line_stored_hashed_and_usable(app, runner, client):
    with app.app_context():
        factories.make_user("api_erp", rol="editor")
        db.session.commit()
    r = runner.invoke(args=["users", "token", "api_erp"])
    assert r.exit_code == 0, r.output
    token = r.output.rstrip("\n").splitlines()[-1]
    assert token == token.strip() and " " not in token and len(token) >= 32

    with app.app_context():
        row = db.session.scalar(select(ApiToken))
        assert row.usuario.username == "api_erp"
        assert row.token_hash == ApiToken.hash(token)
        assert not any(token in value for value in _every_stored_value())

    assert client.get("/", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_users_token_for_unknown_user_fails(runner):
    r = runner.invoke(args=["users", "token", "nadie"])
    assert r.exit_code != 0
    assert "No existe" in r.output


def test_users_ensure_admin_creates_admin_once_and_prints_password(app, runner, auth):
    first = runner.invoke(args=["users", "ensure-admin"])
    assert first.exit_code == 0, first.output
    match = re.search(r"contraseña:\s*(\S+)", first.output)
    assert match, first.output
    password = match.group(1)
    with app.app_context():
        admin = _user("admin")
        assert admin.rol == "admin" and admin.activo
        assert admin.check_password(password)

    second = runner.invoke(args=["users", "ensure-admin"])
    assert second.exit_code == 0
    assert second.output == ""
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Usuario)) == 1

    r = auth.login("admin", password)
    assert r.status_code == 302


def test_users_ensure_admin_does_nothing_when_users_exist(app, runner):
    with app.app_context():
        factories.make_user("operador", rol="lector")
        db.session.commit()
    r = runner.invoke(args=["users", "ensure-admin"])
    assert r.exit_code == 0 and r.output == ""
    with app.app_context():
        assert _user("admin") is None


def test_users_passwd(app, runner):
    with app.app_context():
        factories.make_user("mgarcia")
        db.session.commit()
    r = runner.invoke(args=["users", "passwd", "mgarcia", "--password-stdin"], input=GOOD_PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    with app.app_context():
        user = _user("mgarcia")
        assert user.check_password(GOOD_PASSWORD)
        assert not user.check_password(factories.PASSWORD)


def test_users_passwd_refuses_weak_password_and_unknown_user(app, runner):
    with app.app_context():
        factories.make_user("mgarcia")
        db.session.commit()
    weak = runner.invoke(args=["users", "passwd", "mgarcia", "--password-stdin"], input="corta\n")
    assert weak.exit_code != 0
    with app.app_context():
        assert _user("mgarcia").check_password(factories.PASSWORD)
    unknown = runner.invoke(args=["users", "passwd", "nadie", "--password-stdin"], input=GOOD_PASSWORD)
    assert unknown.exit_code != 0


def test_the_first_start_message_gives_a_command_that_works_as_printed(app, runner):
    # Issue 17: `make run` printed `flask users passwd admin`, which is not on PATH in the project.
    first = runner.invoke(args=["users", "ensure-admin"])
    command = re.search(r"cámbiela con `([^`]+)`", first.output).group(1)
    assert command == ".venv/bin/flask --app wsgi users passwd admin"
    assert (
        Path(__file__).resolve().parent.parent / "wsgi.py"
    ).exists()  # --app wsgi, from the project's folder
    args = command.split()[3:]  # what follows `.venv/bin/flask --app wsgi`
    r = runner.invoke(args=[*args, "--password-stdin"], input=GOOD_PASSWORD + "\n")
    assert r.exit_code == 0, r.output
    with app.app_context():
        assert _user("admin").check_password(GOOD_PASSWORD)
