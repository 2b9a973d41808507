"""Load on one exclusive vessel (issue 14): gunicorn with 2 workers, 16 API clients released
together by a barrier, round after round, each creating an OT on the same exclusive vessel over
overlapping dates (and one on an ordinary vessel, which only warns); then each moves an OT of its
own onto the same days with an edit. Exactly one of each race may win. Afterwards no two
bookings of the exclusive vessel overlap (PostgreSQL: the exclusion constraint; SQLite: the check
inside the BEGIN IMMEDIATE transaction), the bookings are what the OTs say, and the sweep reports
exactly the conflicts a day-by-day reference finds in them: no double booking goes undetected.

SQLite runs in the SQLite pass; PostgreSQL (a database created for the test) in the PostgreSQL pass."""

import threading
from datetime import date, timedelta

import pytest
import requests

from .conftest import report
from .server import prepare_database

pytestmark = pytest.mark.load

CLIENTS = 16
ROUNDS = 3
TIMEOUT = 20
START = date(2027, 3, 1)


def _payload(n: int, tag: str, vessel: int, ids: dict, start: date, days: int = 20) -> dict:
    return {
        "orden_trabajo": f"OT-EXCL-{tag}-{n:02d}",
        "oficio_ot": f"PEP-EXCL-{tag}-{n:02d}",
        "id_tipo": "4",
        "descripcion_trabajo": f"Inspección submarina, cliente {n}",
        "responsable_cliente": "Ing. Laura Méndez",
        "responsable_proyecto": str(ids["responsable"]),
        "id_pte_header": str(ids["pte"]),
        "id_frente": "2",
        "id_embarcacion": str(vessel),
        "monto_mxn": "1,000.00",
        "monto_usd": "0",
        "plazo_dias": str(days),
        "fecha_inicio_programado": start.isoformat(),
        "fecha_termino_programado": (start + timedelta(days=days)).isoformat(),
    }


class Racer(threading.Thread):
    """One client: at each barrier, one request; records (operation, status, body)."""

    def __init__(self, n: int, base: str, token: str, ids: dict, barrier: threading.Barrier):
        super().__init__(name=f"racer-{n}", daemon=True)
        self.n, self.base, self.ids, self.barrier = n, base, ids, barrier
        self.http = requests.Session()
        self.http.headers.update({"Authorization": f"Bearer {token}", "Connection": "close"})
        self.results: list[tuple[str, int, dict | None]] = []
        self.created: dict[str, int] = {}  # label → id of an OT this client created

    def post(self, op: str, path: str, data: dict) -> tuple[int, dict | None]:
        try:
            r = self.http.post(self.base + path, data=data, timeout=TIMEOUT)
        except requests.RequestException as exc:
            self.results.append((op, -1, {"error": repr(exc)}))
            return -1, None
        try:
            body = r.json()
        except ValueError:
            body = None
        self.results.append((op, r.status_code, body))
        return r.status_code, body

    def run(self) -> None:
        n, ids = self.n, self.ids
        try:
            for k in range(ROUNDS):
                # Every client the same 20 days give or take 3: they all overlap.
                start = START + timedelta(days=60 * k + n % 4)
                self.barrier.wait(timeout=TIMEOUT)
                status, body = self.post(
                    "crear", "/api/ot/crear", _payload(n, f"X{k}", ids["exclusiva"], ids, start)
                )
                if status == 200:
                    self.created[f"X{k}"] = body["id_nuevo"]
                status, body = self.post(
                    "crear", "/api/ot/crear", _payload(n, f"O{k}", ids["ordinaria"], ids, start)
                )
                if status == 200:
                    self.created[f"O{k}"] = body["id_nuevo"]
            # Each books days of its own far ahead (no race), then all move onto the same days.
            own = START + timedelta(days=400 + 30 * n)
            status, body = self.post("crear", "/api/ot/crear", _payload(n, "M", ids["exclusiva"], ids, own))
            self.barrier.wait(timeout=TIMEOUT)
            if status == 200:
                self.created["M"] = body["id_nuevo"]
                target = START + timedelta(days=300)
                self.post(
                    "editar",
                    "/api/ot/editar",
                    {
                        "id": body["id_nuevo"],
                        "version": 1,
                        "fecha_inicio_programado": target.isoformat(),
                        "fecha_termino_programado": (target + timedelta(days=20)).isoformat(),
                    },
                )
        except threading.BrokenBarrierError:
            self.results.append(("barrier", -1, None))
        finally:
            self.http.close()


def _after_the_run(url: str, exclusive_id: int):
    """In process, on the server's database: the bookings, what a rebuild from the OTs would make,
    the sweep's conflicts and the day-by-day reference's."""
    from sqlalchemy import select

    from ot_app import create_app
    from ot_app.extensions import db
    from ot_app.formatting import office_today
    from ot_app.models import ReservaSitio
    from ot_app.schedules import bookings
    from ot_app.schedules.conflicts import Reserva, brute_force

    from .server import SECRET

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    with app.app_context():
        hoy = office_today()
        r = ReservaSitio
        columns = (r.id_ot, r.tipo_sitio, r.id_sitio, r.desde, r.hasta, r.real_desde, r.real_hasta)
        stored = sorted(tuple(x) for x in db.session.execute(select(*columns)))
        bookings.rebuild_all()
        rebuilt = sorted(tuple(x) for x in db.session.execute(select(*columns)))
        db.session.rollback()
        reservas = [Reserva(*x) for x in stored]
        sitios = bookings._sites({(x.tipo_sitio, x.id_sitio) for x in reservas})
        swept = {f["conflicto"] for f in bookings.portfolio_conflicts(hoy=hoy)}
        reference = brute_force(reservas, sitios, hoy)
        exclusive = sorted(
            (x.desde, x.hasta, x.id_ot)
            for x in reservas
            if (x.tipo_sitio, x.id_sitio) == ("embarcacion", exclusive_id)
        )
        db.session.remove()
        db.engine.dispose()
    return stored, rebuilt, swept, reference, exclusive


@pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)
def test_16_clients_booking_one_exclusive_vessel_at_once_leave_no_undetected_double_booking(
    fresh_database, servers
):
    ids = prepare_database(fresh_database.url, tokens=CLIENTS)
    from ot_app import create_app
    from ot_app.extensions import db
    from tests import factories

    from .server import SECRET

    app = create_app({"SQLALCHEMY_DATABASE_URI": fresh_database.url, "SECRET_KEY": SECRET})
    with app.app_context():
        exclusiva = factories.make_embarcacion("B/C Exclusiva de Carga")
        exclusiva.exclusivo = True
        ordinaria = factories.make_embarcacion("B/C Ordinaria de Carga")
        db.session.commit()
        ids.update(exclusiva=exclusiva.id, ordinaria=ordinaria.id)
        db.session.remove()
        db.engine.dispose()
    server = servers(fresh_database.url, ids["tokens"][0])

    barrier = threading.Barrier(CLIENTS)
    racers = [Racer(n, server.base, ids["tokens"][n], ids, barrier) for n in range(CLIENTS)]
    for racer in racers:
        racer.start()
    for racer in racers:
        racer.join(timeout=120)
    assert not any(racer.is_alive() for racer in racers), "a client hung"
    results = [x for racer in racers for x in racer.results]
    created = {
        label: [] for label in [f"X{k}" for k in range(ROUNDS)] + [f"O{k}" for k in range(ROUNDS)] + ["M"]
    }
    for racer in racers:
        for label, ot_id in racer.created.items():
            created[label].append(ot_id)
    edits = [(status, body) for op, status, body in results if op == "editar"]

    logged = server.errors_in_log()
    assert not [x for x in results if x[1] < 0 or x[1] >= 500], [
        x for x in results if x[1] < 0 or x[1] >= 500
    ][:5]
    assert not logged, "\n".join(logged[:20]) + "\n" + server.log_tail()
    # Anything but a success is the refusal in Spanish (a 400 beside the vessel's field, or the
    # 409 of a concurrent writer caught by the exclusion constraint).
    refused = [(op, status, body) for op, status, body in results if status != 200]
    assert all(status in (400, 409) for _, status, _ in refused), refused[:5]
    assert all("exclusiv" in str(body) or "otra persona" in str(body).lower() for _, _, body in refused), (
        refused[:5]
    )

    # Each race on the exclusive vessel has exactly one winner; the ordinary vessel takes them all.
    for k in range(ROUNDS):
        assert len(created[f"X{k}"]) == 1, created
        assert len(created[f"O{k}"]) == CLIENTS, created
    assert len(created["M"]) == CLIENTS
    assert sum(1 for status, _ in edits if status == 200) == 1, [s for s, _ in edits]

    stored, rebuilt, swept, reference, exclusive = _after_the_run(fresh_database.url, ids["exclusiva"])
    # No two bookings of the exclusive vessel overlap, and each winner holds it.
    for (_, end, _), (start, _, _) in zip(exclusive, exclusive[1:], strict=False):
        assert start > end, exclusive
    assert len(exclusive) == ROUNDS + CLIENTS
    # The bookings are what the OTs say; the sweep finds exactly the reference's conflicts, among
    # them the ordinary vessel's 16-fold overlaps.
    assert stored == rebuilt
    assert swept == reference
    assert any(len(c.ots) == CLIENTS and c.id_sitio == ids["ordinaria"] for c in swept)
    statuses = {}
    for op, status, _ in results:
        statuses[(op, status)] = statuses.get((op, status), 0) + 1
    report(
        f"reservas exclusivas {fresh_database.kind} ({CLIENTS} clientes a la vez, gunicorn 2 workers): "
        f"{len(results)} peticiones {dict(sorted(statuses.items()))}; {len(swept)} conflictos, los mismos que la referencia"
    )
