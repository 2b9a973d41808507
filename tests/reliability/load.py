"""Concurrent API clients for the load and crash tests, and the check of the database afterwards.

Each client (a thread with its own bearer token) loops: create an OT, edit one of its own with the
version it holds, change a step of it, every third turn delete its oldest OT, every other turn read
somebody else's OT and edit it with the version just read (a 409 is then a correct answer, with
`quien` and `cuando`). Every acknowledged write goes to the client's ledger; a write whose answer
never came (the server was killed) goes there as "unknown": it may or may not have committed, but
it must be all there or not there at all."""

from __future__ import annotations

import random
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import requests
from sqlalchemy import func, select

from ot_app.orders.commands import DELETED_READ_ONLY

REQUEST_TIMEOUT = 20  # seconds; a request slower than this is a failure, not a hang
MAX_TURNS = 5000  # per client: the load is bounded in requests as well as in time
EXPECTED = {
    "crear": {200},
    "editar": {200, 409},
    "editar_ajena": {200, 409},
    # Another client may have just deleted it: a deleted OT is a 404 below admin (issue 16).
    "obtener": {200, 404},
    "pasos": {200},
    "paso": {200},
    # Someone else may have just saved the OT being deleted (their turn edits others' OTs): 409.
    "eliminar": {200, 409},
}


class Lost(Exception):
    """No answer: connection refused or reset, or a timeout."""


@dataclass
class Ledger:
    creates: dict[int, str] = field(default_factory=dict)  # id → descripcion it was created with
    creates_unknown: int = 0
    edits: list[tuple[int, int, str]] = field(default_factory=list)  # (id, version answered, descripcion)
    edits_unknown: list[tuple[int, str]] = field(default_factory=list)
    conflicts: int = 0
    steps: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))  # step id → comentarios
    steps_unknown: dict[int, list[str]] = field(default_factory=lambda: defaultdict(list))
    deletes: set[int] = field(default_factory=set)
    deletes_unknown: set[int] = field(default_factory=set)
    latencies: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: Counter = field(default_factory=Counter)
    server_errors: list[tuple] = field(default_factory=list)
    unexpected: list[tuple] = field(default_factory=list)
    connection_errors: list[tuple[float, str, str]] = field(default_factory=list)
    elapsed: float = 0.0

    def merge(self, other: Ledger) -> None:
        self.creates.update(other.creates)
        self.creates_unknown += other.creates_unknown
        self.edits += other.edits
        self.edits_unknown += other.edits_unknown
        self.conflicts += other.conflicts
        for k, v in other.steps.items():
            self.steps[k] += v
        for k, v in other.steps_unknown.items():
            self.steps_unknown[k] += v
        self.deletes |= other.deletes
        self.deletes_unknown |= other.deletes_unknown
        for k, v in other.latencies.items():
            self.latencies[k] += v
        self.statuses.update(other.statuses)
        self.server_errors += other.server_errors
        self.unexpected += other.unexpected
        self.connection_errors += other.connection_errors

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.latencies.values())

    @property
    def acknowledged_writes(self) -> int:
        return (
            len(self.creates) + len(self.edits) + sum(len(v) for v in self.steps.values()) + len(self.deletes)
        )


class Client(threading.Thread):
    def __init__(self, n: int, base: str, token: str, ids: dict, deadline: float, shared: list, tag: str):
        super().__init__(name=f"cliente-{n}", daemon=True)
        self.n = n
        self.base = base
        self.ids = ids
        self.deadline = deadline
        self.shared = shared  # every acknowledged OT id, for the cross edits
        self.tag = tag
        self.rnd = random.Random(f"{tag}-{n}")
        self.http = requests.Session()
        self.http.headers.update({"Authorization": f"Bearer {token}", "Connection": "close"})
        self.ledger = Ledger()
        self.own: list[list[int]] = []  # [id, version] of this client's live OTs
        self.step_ids: dict[int, list[int]] = {}

    def run(self) -> None:
        start = time.monotonic()
        try:
            for turn in range(MAX_TURNS):
                if time.monotonic() >= self.deadline:
                    break
                self.turn(turn)
        except Lost:
            pass  # the server is gone: this client stops (the crash test expects it)
        finally:
            self.ledger.elapsed = time.monotonic() - start
            self.http.close()

    def call(self, op: str, path: str, data: dict | None = None) -> tuple[int, dict | None]:
        t0 = time.perf_counter()
        try:
            if data is None:
                r = self.http.get(self.base + path, timeout=REQUEST_TIMEOUT)
            else:
                r = self.http.post(self.base + path, data=data, timeout=REQUEST_TIMEOUT)
        except requests.RequestException as exc:
            self.ledger.connection_errors.append((time.monotonic(), op, repr(exc)))
            raise Lost(op) from exc
        self.ledger.latencies[op].append(time.perf_counter() - t0)
        self.ledger.statuses[(op, r.status_code)] += 1
        try:
            body = r.json()
        except ValueError:
            body = None
        if r.status_code >= 500:
            self.ledger.server_errors.append((op, r.status_code, r.text[:500]))
        elif r.status_code not in EXPECTED[op]:
            self.ledger.unexpected.append((op, r.status_code, r.text[:500]))
        return r.status_code, body

    def _conflict(self, body: dict | None) -> int | None:
        """A 409 must say who saved and when; its version_actual lets the client go on. The other
        correct 409: the OT was deleted meanwhile (its owner's turn), and a deleted OT is read-only."""
        self.ledger.conflicts += 1
        if body and body.get("detalles") == DELETED_READ_ONLY:
            return None
        if not (body and body.get("quien") and body.get("cuando") and body.get("version_actual")):
            self.ledger.unexpected.append(("409 sin quien/cuando", 409, str(body)[:500]))
            return None
        return body["version_actual"]

    def turn(self, i: int) -> None:
        n, ids, led = self.n, self.ids, self.ledger
        descripcion = f"Carga c{n} #{i}: rehabilitación de línea de descarga"
        payload = {
            "orden_trabajo": f"OT-CARGA-{self.tag}-{n:02d}-{i:05d}",
            "oficio_ot": f"PEP-CARGA-{n:02d}-{i:05d}",
            "id_tipo": "4",
            "descripcion_trabajo": descripcion,
            "responsable_cliente": "Ing. Laura Méndez",
            "responsable_proyecto": str(ids["responsable"]),
            "id_pte_header": str(ids["pte"]),
            "id_frente": "1",
            "id_patio": str(ids["patio"]),
            "monto_mxn": "1,234,567.50",
            "monto_usd": "0",
            "plazo_dias": "45",
            "fecha_inicio_programado": "2026-02-01",
            "fecha_termino_programado": "2026-03-17",
        }
        try:
            status, body = self.call("crear", "/api/ot/crear", payload)
        except Lost:
            led.creates_unknown += 1
            raise
        if status == 200:
            new_id = body["id_nuevo"]
            led.creates[new_id] = descripcion
            self.own.append([new_id, 1])
            self.shared.append(new_id)
        if not self.own:
            return

        # Edit one of its own OTs with the version it holds.
        ot = self.rnd.choice(self.own)
        descripcion = f"Editada por c{n} en el turno {i}"
        data = {
            "id": ot[0],
            "version": ot[1],
            "descripcion_trabajo": descripcion,
            "monto_mxn": f"{self.rnd.randint(0, 10**9)}.{self.rnd.randint(0, 99):02d}",
        }
        try:
            status, body = self.call("editar", "/api/ot/editar", data)
        except Lost:
            led.edits_unknown.append((ot[0], descripcion))
            raise
        if status == 200:
            ot[1] = body["version"]
            led.edits.append((ot[0], body["version"], descripcion))
        elif status == 409:
            ot[1] = self._conflict(body) or ot[1]

        # Change one of its steps.
        if ot[0] not in self.step_ids:
            status, body = self.call("pasos", f"/api/ot/pasos?id={ot[0]}")
            self.step_ids[ot[0]] = [p["id"] for p in body["datos"]] if status == 200 else []
        if self.step_ids[ot[0]]:
            step = self.rnd.choice(self.step_ids[ot[0]])
            comentario = f"Paso revisado por c{n} en el turno {i}"
            data = {"id": step, "estatus_paso": self.rnd.randint(1, 4), "comentario": comentario}
            try:
                status, _ = self.call("paso", "/api/ot/paso/editar", data)
            except Lost:
                led.steps_unknown[step].append(comentario)
                raise
            if status == 200:
                led.steps[step].append(comentario)

        # Every third turn: delete its oldest OT.
        if i % 3 == 2 and len(self.own) > 1:
            victim = self.own.pop(0)
            try:
                status, body = self.call("eliminar", "/api/ot/eliminar", {"id": victim[0]})
            except Lost:
                led.deletes_unknown.add(victim[0])
                raise
            if status == 200:
                led.deletes.add(victim[0])
            elif status == 409:
                self._conflict(body)

        # Every other turn: somebody else's OT, read then saved with the version read.
        if i % 2 == 1 and len(self.shared) > 1:
            target = self.rnd.choice(self.shared)
            status, body = self.call("obtener", f"/api/ot/obtener?id={target}")
            if status != 200:
                return
            descripcion = f"Editada (ajena) por c{n} en el turno {i}"
            data = {"id": target, "version": body["datos"]["version"], "descripcion_trabajo": descripcion}
            try:
                status, body = self.call("editar_ajena", "/api/ot/editar", data)
            except Lost:
                led.edits_unknown.append((target, descripcion))
                raise
            if status == 200:
                led.edits.append((target, body["version"], descripcion))
            elif status == 409:
                self._conflict(body)


def run_load(
    base: str, tokens: list[str], ids: dict, seconds: float, clients: int = 16, tag: str | None = None
) -> tuple[Ledger, list[Client]]:
    """Start `clients` threads for `seconds`; returns the merged ledger once every thread ended."""
    tag = tag or uuid.uuid4().hex[:6]
    shared: list[int] = []
    deadline = time.monotonic() + seconds
    threads = [Client(n, base, tokens[n % len(tokens)], ids, deadline, shared, tag) for n in range(clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + REQUEST_TIMEOUT + 10)
    assert not any(t.is_alive() for t in threads), "a load client did not finish in time"
    ledger = Ledger()
    for t in threads:
        ledger.merge(t.ledger)
    ledger.elapsed = time.monotonic() - start
    return ledger, threads


def percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def summary(label: str, ledger: Ledger) -> str:
    every = [x for v in ledger.latencies.values() for x in v]
    writes = sum(len(ledger.latencies[k]) for k in ("crear", "editar", "editar_ajena", "paso", "eliminar"))
    per_op = ", ".join(
        f"{op} {len(v)} (p50 {percentile(v, 0.5) * 1000:.0f} ms, p99 {percentile(v, 0.99) * 1000:.0f} ms)"
        for op, v in sorted(ledger.latencies.items())
    )
    return (
        f"{label}: {ledger.requests} solicitudes en {ledger.elapsed:.1f} s = "
        f"{ledger.requests / max(ledger.elapsed, 1e-9):.0f} req/s ({writes / max(ledger.elapsed, 1e-9):.0f} "
        f"escrituras/s); latencia p50 {percentile(every, 0.5) * 1000:.0f} ms, "
        f"p99 {percentile(every, 0.99) * 1000:.0f} ms; escrituras confirmadas {ledger.acknowledged_writes} "
        f"({len(ledger.creates)} altas, {len(ledger.edits)} ediciones, "
        f"{sum(len(v) for v in ledger.steps.values())} pasos, {len(ledger.deletes)} bajas), "
        f"409 correctos {ledger.conflicts}. Por operación: {per_op}"
    )


def check_database(url: str, ledger: Ledger) -> tuple[list[str], dict]:
    """Everything acknowledged is there, whole; anything unknown is there whole or not at all."""
    from ot_app import create_app
    from ot_app.extensions import db
    from ot_app.models import OTE, ActividadLog, OTDetalle, PasoOt
    from ot_app.orders import read

    from .server import SECRET

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": SECRET})
    with app.app_context():
        ots = {
            r[0]: r
            for r in db.session.execute(select(OTE.id, OTE.estatus, OTE.descripcion_trabajo, OTE.version))
        }
        steps_per_ot = dict(
            db.session.execute(select(OTDetalle.id_ot, func.count()).group_by(OTDetalle.id_ot)).all()
        )
        logs = Counter(
            (r[0], r[1])
            for r in db.session.execute(
                select(ActividadLog.entidad_id, ActividadLog.accion).where(ActividadLog.entidad == "ot")
            )
        )
        step_set = read.step_set_for(4, 2)
        expected_steps = db.session.scalar(
            select(func.count()).select_from(PasoOt).where(PasoOt.tipo == step_set, PasoOt.activo.is_(True))
        )
        touched = set(ledger.steps) | set(ledger.steps_unknown)
        comentarios = (
            dict(
                db.session.execute(
                    select(OTDetalle.id, OTDetalle.comentario).where(OTDetalle.id.in_(touched))
                ).all()
            )
            if touched
            else {}
        )
        db.session.remove()
        db.engine.dispose()

    problems: list[str] = []

    def problem(message: str) -> None:
        if len(problems) < 40:
            problems.append(message)

    acked = set(ledger.creates)
    for missing in sorted(acked - set(ots)):
        problem(f"OT {missing} acknowledged (id_nuevo) but not in the database")
    extra = set(ots) - acked
    if len(extra) > ledger.creates_unknown:
        problem(
            f"{len(extra)} OTs nobody was told about, but only {ledger.creates_unknown} creates went unanswered"
        )
    if expected_steps == 0:
        problem("the step set has no active steps: the test would prove nothing")
    for ot_id in ots:
        if steps_per_ot.get(ot_id, 0) != expected_steps:
            problem(f"OT {ot_id} has {steps_per_ot.get(ot_id, 0)} steps, not {expected_steps}: half-written")
        if logs[(ot_id, "crear")] != 1:
            problem(f"OT {ot_id} has {logs[(ot_id, 'crear')]} 'crear' rows in the activity log, not 1")

    for ot_id in ledger.deletes:
        if ot_id in ots and ots[ot_id][1] != 0:
            problem(f"OT {ot_id}: delete acknowledged, estatus is {ots[ot_id][1]}")
        if logs[(ot_id, "eliminar")] != 1:
            problem(f"OT {ot_id}: delete acknowledged, {logs[(ot_id, 'eliminar')]} 'eliminar' log rows")
    for ot_id in acked - ledger.deletes - ledger.deletes_unknown:
        if ot_id in ots and ots[ot_id][1] != 1:
            problem(f"OT {ot_id} was never deleted but its estatus is {ots[ot_id][1]}")

    edits = defaultdict(list)
    for ot_id, version, descripcion in ledger.edits:
        edits[ot_id].append((version, descripcion))
    unknown_edits = defaultdict(set)
    for ot_id, descripcion in ledger.edits_unknown:
        unknown_edits[ot_id].add(descripcion)
    for ot_id in acked & set(ots):
        _, _, descripcion, version = ots[ot_id]
        done = sorted(edits.get(ot_id, []))
        if done:
            last_version, last = done[-1]
            if version < last_version:
                problem(f"OT {ot_id}: version {version} is older than the acknowledged {last_version}")
        else:
            last = ledger.creates[ot_id]
        if descripcion != last and descripcion not in unknown_edits[ot_id]:
            problem(f"OT {ot_id}: stored {descripcion!r}, the last acknowledged edit saved {last!r}")
        rows = logs[(ot_id, "editar")]
        if not len(done) <= rows <= len(done) + len(unknown_edits[ot_id]):
            problem(f"OT {ot_id}: {len(done)} edits acknowledged, {rows} 'editar' log rows")

    for step_id, acked_comments in ledger.steps.items():
        allowed = {acked_comments[-1], *ledger.steps_unknown.get(step_id, [])}
        if comentarios.get(step_id) not in allowed:
            problem(
                f"step {step_id}: stored {comentarios.get(step_id)!r}, acknowledged {acked_comments[-1]!r}"
            )
    paso_rows = sum(n for (_, accion), n in logs.items() if accion == "paso")
    acked_steps = sum(len(v) for v in ledger.steps.values())
    unknown_steps = sum(len(v) for v in ledger.steps_unknown.values())
    if not acked_steps <= paso_rows <= acked_steps + unknown_steps:
        problem(f"{acked_steps} step changes acknowledged, {paso_rows} 'paso' log rows")

    figures = {
        "ots": len(ots),
        "acked_creates": len(acked),
        "unknown_creates": ledger.creates_unknown,
        "committed_unknown_creates": len(extra),
        "expected_steps": expected_steps,
    }
    return problems, figures
