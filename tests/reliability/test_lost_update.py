"""Lost updates are impossible (issue 6, "Concurrency and faults").

1. Two people read the same OT (or PTE) at version v, then both save with version v, one after the
   other or at the same moment, through the API, the edit page or the inline row: exactly one wins,
   the other gets a 409 naming who saved and when, the stored values are the winner's and the
   activity log has exactly one edit row.
2. The race between read and write inside the service, for a client that sends no `version`: two
   threads call update_order and both load the OT before either writes. SQLAlchemy's version_id_col
   (UPDATE ... WHERE version = v) makes the loser a 409 on PostgreSQL; on SQLite the second cannot
   even load before the first commits (BEGIN IMMEDIATE), so it writes on top of what it read. In no
   case do two writes succeed from the same read.

Both run on SQLite and, in the suite's second pass, on PostgreSQL."""

import contextlib
import re
import threading
from datetime import datetime
from html import unescape
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from ot_app.extensions import db
from ot_app.models import OTE, ActividadLog, PTEHeader, Usuario
from ot_app.orders import commands
from ot_app.orders.routes import vals_from_ot
from ot_app.service_errors import Conflict

from .. import factories
from ..conftest import Api, Auth, csrf_token

PEOPLE = {"ana": "Ana Torres", "beto": "Beto Ramírez"}
VERSION_RE = re.compile(r'name="version" value="(\d+)"')


@pytest.fixture
def people(app):
    """Ana and Beto, editors, each with a bearer client and a logged-in browser."""
    with app.app_context():
        tokens = {}
        for username, nombre in PEOPLE.items():
            user = factories.make_user(username, rol="editor", nombre=nombre)
            tokens[username] = factories.make_token(user)[1]
        db.session.commit()
    out = {}
    for username in PEOPLE:
        browser = app.test_client()
        assert Auth(browser).login(username).status_code == 302
        out[username] = SimpleNamespace(
            username=username,
            nombre=PEOPLE[username],
            api=Api(app.test_client(), tokens[username]),
            web=browser,
        )
    return out


@pytest.fixture
def ot_id(app):
    with app.app_context():
        return factories.make_ot().id


@pytest.fixture
def pte_id(app):
    with app.app_context():
        pte = factories.make_pte()
        db.session.commit()
        return pte.id


def _post_page(person, url, data, token=None):
    headers = {"X-CSRFToken": token or csrf_token(person.web)}
    return person.web.post(url, data=data, headers=headers)


# Each surface: how a person reads the version, saves a value with it, and where the value lands.
class OtApi:
    entidad, column = "ot", "descripcion_trabajo"

    def read(self, app, person, target):
        return person.api.get(f"/api/ot/obtener?id={target}").get_json()["datos"]["version"]

    def save(self, app, person, target, version, value, token=None):
        data = {"id": target, "version": version, "descripcion_trabajo": value}
        return person.api.post("/api/ot/editar", data=data)


class OtPage(OtApi):
    def read(self, app, person, target):
        return int(VERSION_RE.search(person.web.get(f"/ot/{target}/editar").get_data(as_text=True)).group(1))

    def save(self, app, person, target, version, value, token=None):
        with app.app_context():
            data = vals_from_ot(db.session.get(OTE, target))  # what the edit page holds
        data.update(version=str(version), descripcion_trabajo=value)
        return _post_page(person, f"/ot/{target}/editar", data, token)


class OtRow(OtApi):
    column = "comentario"

    def read(self, app, person, target):
        page = person.web.get(f"/ot/{target}/fila/editar", headers={"HX-Request": "true"})
        return int(VERSION_RE.search(page.get_data(as_text=True)).group(1))

    def save(self, app, person, target, version, value, token=None):
        data = {"version": str(version), "comentario_general": value}
        return _post_page(person, f"/ot/{target}/fila", data, token)


class PteApi:
    entidad, column = "pte", "descripcion"

    def read(self, app, person, target):
        return person.api.get(f"/api/pte/obtener?id={target}").get_json()["datos"]["version"]

    def save(self, app, person, target, version, value, token=None):
        return person.api.post(
            "/api/pte/editar", data={"id": target, "version": version, "descripcion": value}
        )


class PtePage(PteApi):
    def read(self, app, person, target):
        return int(VERSION_RE.search(person.web.get(f"/pte/{target}/editar").get_data(as_text=True)).group(1))

    def save(self, app, person, target, version, value, token=None):
        return _post_page(
            person, f"/pte/{target}/editar", {"version": str(version), "descripcion": value}, token
        )


SURFACES = {
    "api_ot": OtApi(),
    "pagina_ot": OtPage(),
    "fila_ot": OtRow(),
    "api_pte": PteApi(),
    "pagina_pte": PtePage(),
}


def stored(app, surface, target):
    model = OTE if surface.entidad == "ot" else PTEHeader
    with app.app_context():
        row = db.session.get(model, target)
        edits = db.session.execute(
            select(ActividadLog.usuario).where(
                ActividadLog.entidad == surface.entidad,
                ActividadLog.entidad_id == target,
                ActividadLog.accion == "editar",
            )
        ).all()
        return getattr(row, surface.column), row.version, [e[0] for e in edits]


def assert_conflict_names_the_winner(response, winner, surface_name):
    assert response.status_code == 409, response.get_data(as_text=True)[:500]
    if surface_name.startswith("api"):
        body = response.get_json()
        assert body["exito"] is False
        assert body["quien"] == winner.nombre
        assert datetime.fromisoformat(body["cuando"].replace("Z", "+00:00"))
        assert "modificada por" in body["detalles"]
    else:
        assert winner.nombre in unescape(response.get_data(as_text=True))


@pytest.mark.parametrize("at_once", [False, True], ids=["uno-tras-otro", "a-la-vez"])
@pytest.mark.parametrize("surface_name", list(SURFACES))
def test_two_people_save_the_same_version_exactly_one_wins(app, people, ot_id, pte_id, surface_name, at_once):
    surface = SURFACES[surface_name]
    target = ot_id if surface.entidad == "ot" else pte_id
    ana, beto = people["ana"], people["beto"]
    _, start_version, _ = stored(app, surface, target)
    versions = {p.username: surface.read(app, p, target) for p in (ana, beto)}
    assert versions == {"ana": start_version, "beto": start_version}
    values = {"ana": "Alcance según Ana", "beto": "Alcance según Beto"}
    tokens = {p.username: csrf_token(p.web) for p in (ana, beto)}
    answers = {}

    def save(person, barrier=None):
        if barrier:
            barrier.wait(timeout=10)
        answers[person.username] = surface.save(
            app, person, target, versions[person.username], values[person.username], tokens[person.username]
        )

    if at_once:
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=save, args=(p, barrier)) for p in (ana, beto)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert not any(t.is_alive() for t in threads)
    else:
        save(ana)
        save(beto)

    won = [u for u, r in answers.items() if r.status_code in (200, 204, 303)]
    assert len(won) == 1, {u: (r.status_code, r.get_data(as_text=True)[:300]) for u, r in answers.items()}
    winner = people[won[0]]
    loser = beto if winner is ana else ana
    if not at_once:
        assert winner is ana  # the first to save wins
    assert_conflict_names_the_winner(answers[loser.username], winner, surface_name)

    value, version, edit_rows = stored(app, surface, target)
    assert value == values[winner.username]
    assert version == start_version + 1
    assert edit_rows == [winner.username]


def test_a_conflict_answer_carries_the_current_data_to_merge_with(app, people, ot_id):
    ana, beto = people["ana"], people["beto"]
    v = OtApi().read(app, ana, ot_id)
    assert OtApi().save(app, ana, ot_id, v, "Alcance según Ana").status_code == 200
    body = OtApi().save(app, beto, ot_id, v, "Alcance según Beto").get_json()
    assert body["version_actual"] == v + 1
    assert body["datos"]["descripcion_trabajo"] == "Alcance según Ana"
    # Saving again with the version the 409 gave is a deliberate overwrite, and it is allowed.
    again = OtApi().save(app, beto, ot_id, body["version_actual"], "Alcance según Beto")
    assert again.status_code == 200
    assert stored(app, OtApi(), ot_id)[0] == "Alcance según Beto"


# --------------------------------------------------------------------------- the read→write race


def test_two_updates_without_version_never_both_succeed_from_the_same_read(app, ot_id, monkeypatch):
    """Both threads load the OT, then meet at a barrier, then write. Without version_id_col the
    second UPDATE would silently overwrite the first on PostgreSQL."""
    with app.app_context():
        for username, nombre in PEOPLE.items():
            factories.make_user(username, rol="editor", nombre=nombre)
        db.session.commit()
        dialect = db.engine.dialect.name
        start_version = db.session.get(OTE, ot_id).version
    # On SQLite the second writer waits at BEGIN IMMEDIATE until the first commits, so it never
    # reaches the barrier in time: the first gives up waiting after a second and goes on.
    barrier = threading.Barrier(2, timeout=1.0 if dialect == "sqlite" else 15.0)
    loaded: dict[str, int] = {}
    outcome: dict[str, tuple] = {}
    local = threading.local()
    real_snapshot = commands.snapshot

    def snapshot_then_meet(ot):
        taken = real_snapshot(ot)
        if not getattr(local, "met", False):  # the first snapshot: right after the load
            local.met = True
            loaded[threading.current_thread().name] = ot.version
            with contextlib.suppress(threading.BrokenBarrierError):
                barrier.wait()
        return taken

    monkeypatch.setattr(commands, "snapshot", snapshot_then_meet)

    def edit(username):
        with app.app_context():
            actor = db.session.scalar(select(Usuario).where(Usuario.username == username))
            try:
                result = commands.update_order(
                    {"id": ot_id, "descripcion_trabajo": f"Alcance de {username}"}, actor
                )
                outcome[username] = ("ok", result.ot.version)
            except Conflict as err:
                outcome[username] = ("409", err.extra)
            except Exception as exc:  # anything else is the failure this test exists for
                outcome[username] = ("error", repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=edit, args=(u,), name=u) for u in PEOPLE]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not any(t.is_alive() for t in threads)

    assert all(kind in ("ok", "409") for kind, _ in outcome.values()), outcome
    succeeded = [u for u, (kind, _) in outcome.items() if kind == "ok"]
    # The property: no two successful writes started from the same version.
    assert len({loaded[u] for u in succeeded}) == len(succeeded), (loaded, outcome)

    with app.app_context():
        ot = db.session.get(OTE, ot_id)
        edit_rows = db.session.scalars(
            select(ActividadLog.usuario).where(
                ActividadLog.entidad == "ot",
                ActividadLog.entidad_id == ot_id,
                ActividadLog.accion == "editar",
            )
        ).all()
        last = max(succeeded, key=lambda u: loaded[u])
        assert ot.descripcion_trabajo == f"Alcance de {last}"
        assert sorted(edit_rows) == sorted(succeeded)
        assert ot.version == start_version + len(succeeded)

    if dialect == "sqlite":
        # Serialized: the second loaded what the first wrote, so both writes stand.
        assert sorted(loaded.values()) == [start_version, start_version + 1], loaded
        assert len(succeeded) == 2
    else:
        # A real race: both loaded the same version; the loser is a 409 naming the winner.
        assert set(loaded.values()) == {start_version}, loaded
        assert len(succeeded) == 1
        (loser,) = set(PEOPLE) - set(succeeded)
        extra = outcome[loser][1]
        assert extra["quien"] == PEOPLE[succeeded[0]]
        assert extra["cuando"] and extra["version_actual"] == start_version + 1
