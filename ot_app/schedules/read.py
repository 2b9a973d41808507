"""Reading programs: an OT version's current program (or any revision), its revisions newest
first, and two revisions compared (by WBS, else by name). Shared by the Programa tab, the grid
and the JSON API; statement counts in tests/test_query_budget.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..auth.security import sees_deleted
from ..extensions import db
from ..models import OTE, ProgramaActividad, ProgramaRevision, Registro
from ..service_errors import NotFound

ZERO = Decimal("0")
# What a comparison looks at, in the order the changes are listed.
COMPARED = (
    "nombre",
    "nivel",
    "es_patio",
    "inicio",
    "fin",
    "monto_mxn",
    "monto_usd",
    "peso_mxn",
    "peso_usd",
    "perfil",
)


def get_ot(ot_id: int) -> OTE:
    """The OT version whose program is read: a deleted one only for admins (`sees_deleted`)."""
    ot = db.session.get(OTE, ot_id)
    if ot is None or (ot.estatus == Registro.ELIMINADA and not sees_deleted()):
        raise NotFound(f"No existe la OT con ID {ot_id}.")
    return ot


def revisions(ot_id: int) -> list[ProgramaRevision]:
    """Every program revision of the version, newest first (without their rows)."""
    return list(
        db.session.scalars(
            select(ProgramaRevision)
            .where(ProgramaRevision.id_ot == ot_id)
            .order_by(ProgramaRevision.n.desc())
        )
    )


def revision(ot_id: int, n: int | None = None) -> ProgramaRevision | None:
    """Revision `n` (the latest when None) with its rows and links loaded; None when the version
    has no program; a missing `n` is a 404."""
    query = (
        select(ProgramaRevision)
        .where(ProgramaRevision.id_ot == ot_id)
        .options(selectinload(ProgramaRevision.actividades), selectinload(ProgramaRevision.ligas))
    )
    if n is None:
        query = query.order_by(ProgramaRevision.n.desc()).limit(1)
    else:
        query = query.where(ProgramaRevision.n == n)
    found = db.session.scalar(query)
    if found is None and n is not None:
        raise NotFound(f"La OT no tiene la revisión {n} del programa.")
    return found


@dataclass
class Fila:
    """A row as the pages and the API show it: its number (1-based, what the grid's predecessors
    name), a phase's sums of its activities, and its predecessors written as in MS Project."""

    actividad: ProgramaActividad
    numero: int
    monto_mxn: Decimal
    monto_usd: Decimal
    peso_mxn: Decimal
    peso_usd: Decimal
    predecesoras: list[tuple[int, int]] = field(default_factory=list)  # (row number, lag days)

    @property
    def es_fase(self) -> bool:
        return self.actividad.nivel == 1

    @property
    def predecesoras_texto(self) -> str:
        return ", ".join(f"{n}{lag:+d}" if lag else str(n) for n, lag in self.predecesoras)


def rows(rev: ProgramaRevision | None) -> list[Fila]:
    if rev is None:
        return []
    out = [
        Fila(a, k + 1, a.monto_mxn, a.monto_usd, a.peso_mxn or ZERO, a.peso_usd or ZERO)
        for k, a in enumerate(rev.actividades)
    ]
    numero = {f.actividad.id: f.numero for f in out}
    by_id = {f.actividad.id: f for f in out}
    for liga in sorted(rev.ligas, key=lambda li: (numero[li.id_sucesora], numero[li.id_predecesora])):
        by_id[liga.id_sucesora].predecesoras.append((numero[liga.id_predecesora], liga.retraso_dias))
    phase = None
    for f in out:
        if f.es_fase:
            phase = f
            phase.monto_mxn = phase.monto_usd = phase.peso_mxn = phase.peso_usd = ZERO
        elif phase is not None:
            phase.monto_mxn += f.monto_mxn
            phase.monto_usd += f.monto_usd
            phase.peso_mxn += f.peso_mxn
            phase.peso_usd += f.peso_usd
    return out


@dataclass
class Programa:
    ot: OTE
    revision: ProgramaRevision | None
    revisiones: list[ProgramaRevision]
    filas: list[Fila]
    congelado: bool  # the version was reprogrammed: its program is a baseline

    @property
    def sin_importes(self) -> list[str]:
        """The currencies with no amount (their weights are all 0.00)."""
        if self.revision is None:
            return []
        return [m.upper() for m in ("mxn", "usd") if not getattr(self.revision, f"total_{m}")]


def is_frozen(ot: OTE) -> bool:
    """A version with a later live version: its program no longer changes (commands.FROZEN)."""
    from ..orders.read import current_version

    if ot.estatus == Registro.ELIMINADA:
        return False
    current = current_version(ot)
    return current is not None and current.id != ot.id


def program(ot_id: int, n: int | None = None, ot: OTE | None = None) -> Programa:
    """The version's program at revision `n` (the current one when None), its history and rows."""
    ot = ot or get_ot(ot_id)
    history = revisions(ot_id)
    rev = revision(ot_id, n) if history or n is not None else None
    return Programa(ot, rev, history, rows(rev), is_frozen(ot))


# --------------------------------------------------------------------------- comparison


@dataclass
class Cambio:
    clave: str
    nombre: str
    campos: dict[str, tuple[object, object]]  # field → (in a, in b)


@dataclass
class Comparacion:
    a: int | None
    b: int | None
    agregadas: list[ProgramaActividad]
    eliminadas: list[ProgramaActividad]
    cambiadas: list[Cambio]


def _keys(actividades) -> dict[str, ProgramaActividad]:
    """Rows keyed by WBS, else by their folded name; a repeated key gets its occurrence (#2)."""
    out: dict[str, ProgramaActividad] = {}
    for a in actividades:
        base = f"wbs:{a.wbs.strip()}" if a.wbs.strip() else "nombre:" + " ".join(a.nombre.lower().split())
        key, k = base, 1
        while key in out:
            k += 1
            key = f"{base}#{k}"
        out[key] = a
    return out


def compare_rows(old, new) -> tuple[list, list, list[Cambio]]:
    """Pure: the rows of `new` not in `old`, those of `old` not in `new`, and the changes of the
    rows in both (COMPARED fields)."""
    before, after = _keys(old), _keys(new)
    added = [a for k, a in after.items() if k not in before]
    removed = [a for k, a in before.items() if k not in after]
    changed = []
    fields = attrgetter(*COMPARED)
    for key, a in after.items():
        b = before.get(key)
        if b is None:
            continue
        old_values, new_values = fields(b), fields(a)
        if old_values == new_values:
            continue
        campos = {c: (o, n) for c, o, n in zip(COMPARED, old_values, new_values, strict=True) if o != n}
        changed.append(Cambio(key.split(":", 1)[1], a.nombre, campos))
    return added, removed, changed


def _revision_head(ot_id: int, n: int | None) -> ProgramaRevision | None:
    """Revision `n` (the latest when None) without its rows; a missing `n` is a 404."""
    query = select(ProgramaRevision).where(ProgramaRevision.id_ot == ot_id)
    query = (
        query.order_by(ProgramaRevision.n.desc()).limit(1)
        if n is None
        else query.where(ProgramaRevision.n == n)
    )
    found = db.session.scalar(query)
    if found is None and n is not None:
        raise NotFound(f"La OT no tiene la revisión {n} del programa.")
    return found


_ROW_COLUMNS = (
    ProgramaActividad.id_revision,
    ProgramaActividad.wbs,
    ProgramaActividad.monto_mxn,
    ProgramaActividad.monto_usd,
) + tuple(getattr(ProgramaActividad, c) for c in COMPARED if c not in ("monto_mxn", "monto_usd"))


def compare(ot_id: int, a: int | None = None, b: int | None = None) -> Comparacion:
    """Revision `a` against revision `b` of one version (by default the one before the latest
    against the latest). The rows of both in one statement, only the compared columns: no ORM
    objects (a 200-row program's comparison stays well under 50 ms)."""
    get_ot(ot_id)
    after = _revision_head(ot_id, b)
    if after is None:
        return Comparacion(None, None, [], [], [])
    if a is None:
        a = after.n - 1
    before = _revision_head(ot_id, a) if a >= 1 else None
    ids = [after.id] + ([before.id] if before else [])
    rows_of = {i: [] for i in ids}
    for row in db.session.execute(
        select(*_ROW_COLUMNS)
        .where(ProgramaActividad.id_revision.in_(ids))
        .order_by(ProgramaActividad.id_revision, ProgramaActividad.orden)
    ):
        rows_of[row.id_revision].append(row)
    added, removed, changed = compare_rows(rows_of[before.id] if before else [], rows_of[after.id])
    return Comparacion(before.n if before else None, after.n, added, removed, changed)


def against(before: ProgramaRevision | None, after: ProgramaRevision) -> Comparacion:
    """Two loaded revisions compared (the tab already holds the later one)."""
    added, removed, changed = compare_rows(before.actividades if before else [], after.actividades)
    return Comparacion(before.n if before else None, after.n, added, removed, changed)
