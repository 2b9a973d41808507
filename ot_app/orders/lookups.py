"""Read-only lookups for the OT pages: the approved-PTE and initial-OT pickers, and the history as
people read it. No rule lives here (catalog options come from catalogs.read)."""

from __future__ import annotations

from sqlalchemy import func, or_, select

from ..catalogs.read import Catalogs, names_of
from ..extensions import db
from ..formatting import fecha, money
from ..models import (
    OTE,
    Cliente,
    PTEHeader,
    Registro,
    TipoId,
)
from . import read
from .commands import FIELD_COLUMNS
from .forms import OTForm

# --------------------------------------------------------------------------- pickers

PICKER_LIMIT = 20


def _containing(stmt, q: str, *columns):
    """Rows where any of `columns` contains `q` (spaces collapsed, any case); all rows for a blank `q`."""
    text = " ".join((q or "").split()).lower()
    if not text:
        return stmt
    return stmt.where(or_(*(func.lower(c).contains(text, autoescape=True) for c in columns)))


def live_ptes(q: str = "", limit: int = PICKER_LIMIT) -> list[str]:
    """Oficios of live PTEs containing `q` (suggestions for the list's PTE filter)."""
    stmt = select(PTEHeader.oficio_pte).where(PTEHeader.estatus != Registro.ELIMINADA)
    stmt = _containing(stmt, q, PTEHeader.oficio_pte)
    return list(db.session.scalars(stmt.order_by(PTEHeader.oficio_pte).limit(limit)))


def approved_ptes(q: str = "", limit: int = PICKER_LIMIT) -> list[dict]:
    """Approved, live PTEs whose oficio or description contains `q` (for the PTE picker)."""
    stmt = (
        select(
            PTEHeader.id, PTEHeader.oficio_pte, PTEHeader.descripcion, PTEHeader.id_cliente, Cliente.nombre
        )
        .outerjoin(Cliente, Cliente.id == PTEHeader.id_cliente)
        .where(PTEHeader.puede_originar_ot)
        .order_by(PTEHeader.oficio_pte)
        .limit(limit)
    )
    stmt = _containing(stmt, q, PTEHeader.oficio_pte, PTEHeader.descripcion)
    return [
        {"id": r[0], "oficio_pte": r[1], "descripcion": r[2] or "", "id_cliente": r[3], "cliente": r[4] or ""}
        for r in db.session.execute(stmt)
    ]


def pte_id_by_oficio(oficio: str) -> int | None:
    """The id of the PTE with exactly this oficio (the picker's text when no script filled the id)."""
    text = (oficio or "").strip()
    if not text:
        return None
    return db.session.scalar(select(PTEHeader.id).where(func.lower(PTEHeader.oficio_pte) == text.lower()))


def initial_orders(q: str = "", limit: int = PICKER_LIMIT) -> list[dict]:
    """Live initial OTs (tipo 4) whose folio or oficio contains `q` (for a reprogramming)."""
    stmt = (
        select(
            OTE.id, OTE.orden_trabajo, OTE.id_pte_header, PTEHeader.oficio_pte, OTE.id_cliente, Cliente.nombre
        )
        .outerjoin(PTEHeader, PTEHeader.id == OTE.id_pte_header)
        .outerjoin(Cliente, Cliente.id == OTE.id_cliente)
        .where(OTE.id_tipo == TipoId.INICIAL, OTE.estatus != Registro.ELIMINADA)
        .order_by(OTE.folio_norm)
        .limit(limit)
    )
    stmt = _containing(stmt, q, OTE.folio_norm, OTE.oficio_ot)
    return [
        {
            "id": r[0],
            "orden_trabajo": r[1],
            "id_pte_header": r[2],
            "pte": r[3] or "",
            "id_cliente": r[4],
            "cliente": r[5] or "",
        }
        for r in db.session.execute(stmt)
    ]


# --------------------------------------------------------------------------- history

# How the history and the conflict view name a field: the form's label, under its request name and
# under its column name; plus the columns no form field carries.
LABELS = {name: spec.label for name, spec in OTForm.specs().items()}
LABELS.update({column: LABELS[name] for name, column in FIELD_COLUMNS.items()})
LABELS.update(
    {
        "estatus": "Registro",
        "requiere_patio": LABELS["check_fase_patio"],
        "reprogramaciones_renombradas": "Reprogramaciones renombradas",
    }
)
# Which catalog names a column's ids.
CATALOG_OF = {
    "id_tipo": "tipos",
    "id_responsable_proyecto": "responsables",
    "responsable_proyecto": "responsables",
    "id_cliente": "clientes",
    "id_frente": "frentes",
    "id_embarcacion": "embarcaciones",
    "id_plataforma": "plataformas",
    "id_intercom": "intercoms",
    "id_patio": "patios",
    "id_patio_fase": "patios",
    "id_estatus_ot": "estatus_ot",
    "id_pte_header": "ptes",
}
ACCIONES = {
    "crear": "creó la OT",
    "editar": "editó",
    "eliminar": "eliminó la OT",
    "restaurar": "restauró la OT",
    "paso": "actualizó un paso",
    "estatus": "cambió el estatus",
}


def display(field: str, value, cats: Catalogs) -> str:
    """A stored value as a person reads it: names for ids, dd/mm/aaaa dates, Sí/No."""
    if value is None or value == "":
        return "—"
    if field in CATALOG_OF:
        return cats.name(CATALOG_OF[field], value)
    if field == "estatus":
        return Registro.names().get(value, str(value))
    if isinstance(value, bool):
        return "Sí" if value else "No"
    if field.startswith("fecha_"):
        return fecha(value)
    if field.startswith("monto_"):
        try:
            return money(value)
        except ArithmeticError:  # typed text that is not an amount: show it as typed
            return str(value)
    return str(value)


def history(ot_id: int) -> list[dict]:
    """The OT's activity log, newest first, each change as (label, old, new) in words.

    Two statements whatever the history's length: the rows, then the names of the ids they hold."""
    rows = read.history_of(ot_id)
    wanted: dict[str, set] = {}
    for row in rows:
        for field, pair in (row.cambios or {}).items():
            if field in CATALOG_OF and isinstance(pair, list):
                wanted.setdefault(CATALOG_OF[field], set()).update(v for v in pair if v not in (None, ""))
    cats = names_of(wanted)
    out = []
    for row in rows:
        cambios = []
        for field, pair in (row.cambios or {}).items():
            old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
            if row.accion == "crear" and old is None and new in (None, "", False):
                continue
            label = LABELS.get(field, field)
            cambios.append((label, display(field, old, cats), display(field, new, cats)))
        out.append(
            {
                "fecha": row.fecha,
                "usuario": row.usuario,
                "accion": ACCIONES.get(row.accion, row.accion),
                "cambios": cambios,
            }
        )
    return out
