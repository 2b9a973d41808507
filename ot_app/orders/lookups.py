"""Read-only lookups for the OT pages: the approved-PTE and initial-OT pickers, and the history as
people read it. No rule lives here (catalog options come from catalogs.read)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select

from .. import search
from ..auth.security import sees_deleted
from ..catalogs.read import Catalogs, names_of
from ..extensions import db
from ..formatting import fecha, money
from ..models import (
    OTE,
    Cliente,
    PTEHeader,
    Registro,
    TipoId,
    Usuario,
)
from ..service_errors import NotFound
from . import baselines, read
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


def _chosen(stmt, q: str, chosen: int | None, id_column, text_column) -> list:
    """The row `chosen` alone when the box holds exactly its text (a form opened on it); [] otherwise."""
    text = (q or "").strip().lower()
    if chosen is None or not text:
        return []
    return db.session.execute(stmt.where(id_column == chosen, func.lower(text_column) == text)).all()


def live_ptes(q: str = "", limit: int = PICKER_LIMIT) -> list[str]:
    """Oficios of live PTEs containing `q` (suggestions for the list's PTE filter)."""
    stmt = select(PTEHeader.oficio_pte).where(PTEHeader.estatus != Registro.ELIMINADA)
    stmt = _containing(stmt, q, PTEHeader.oficio_pte)
    return list(db.session.scalars(stmt.order_by(PTEHeader.oficio_pte).limit(limit)))


def approved_ptes(q: str = "", limit: int = PICKER_LIMIT, chosen: int | None = None) -> list[dict]:
    """Approved, live PTEs whose oficio or description contains `q` (for the PTE picker). A form
    that opens with a PTE chosen (`chosen`, its oficio in the box) offers that one only: typing asks
    for the rest (`buscar_ptes`). Searching for its whole oficio read every PTE's description (20 ms
    over 12,500 PTEs) for suggestions nobody looked at."""
    stmt = (
        select(
            PTEHeader.id, PTEHeader.oficio_pte, PTEHeader.descripcion, PTEHeader.id_cliente, Cliente.nombre
        )
        .outerjoin(Cliente, Cliente.id == PTEHeader.id_cliente)
        .where(PTEHeader.puede_originar_ot)
        .order_by(PTEHeader.oficio_pte)
        .limit(limit)
    )
    rows = (
        _chosen(stmt, q, chosen, PTEHeader.id, PTEHeader.oficio_pte)
        or db.session.execute(_containing(stmt, q, PTEHeader.oficio_pte, PTEHeader.descripcion)).all()
    )
    return [
        {"id": r[0], "oficio_pte": r[1], "descripcion": r[2] or "", "id_cliente": r[3], "cliente": r[4] or ""}
        for r in rows
    ]


def pte_oficio(pte_id: int) -> str | None:
    """The oficio of the PTE the list is filtered by (`id_pte_header`, from the Tablero), for its chip."""
    return db.session.scalar(select(PTEHeader.oficio_pte).where(PTEHeader.id == pte_id))


def pte_id_by_oficio(oficio: str) -> int | None:
    """The id of the PTE with exactly this oficio (the picker's text when no script filled the id)."""
    text = (oficio or "").strip()
    if not text:
        return None
    return db.session.scalar(select(PTEHeader.id).where(func.lower(PTEHeader.oficio_pte) == text.lower()))


def initial_orders(q: str = "", limit: int = PICKER_LIMIT, chosen: int | None = None) -> list[dict]:
    """Live initial OTs (tipo 4) whose folio or oficio contains `q` (for a reprogramming); with the
    one `chosen` and its folio in the box, that one only (as `approved_ptes`)."""
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
    rows = _chosen(stmt, q, chosen, OTE.id, OTE.orden_trabajo)
    if not rows:
        stmt = _containing(stmt, q, OTE.folio_norm, OTE.oficio_ot)
        prefilter = search.indexed_superset(" ".join((q or "").split()).lower(), db.engine.dialect.name)
        if prefilter is not None:
            stmt = stmt.where(prefilter)
        rows = db.session.execute(stmt).all()
    return [
        {
            "id": r[0],
            "orden_trabajo": r[1],
            "id_pte_header": r[2],
            "pte": r[3] or "",
            "id_cliente": r[4],
            "cliente": r[5] or "",
        }
        for r in rows
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
    "reprogramar": "creó esta versión (reprogramación)",
    "editar": "editó",
    "eliminar": "eliminó la OT",
    "restaurar": "restauró la OT",
    "paso": "actualizó un paso",
    "estatus": "cambió el estatus",
    "corte": "registró un corte de avance",  # schedules/cortes.py
}
CREATIONS = ("crear", "reprogramar")


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
            if row.accion in CREATIONS and old is None and new in (None, "", False):
                continue
            label = LABELS.get(field, field)
            cambios.append((label, display(field, old, cats), display(field, new, cats)))
        out.append(
            {
                "fecha": row.fecha,
                "usuario": row.usuario,
                "accion": ACCIONES.get(row.accion, row.accion),
                "alta": row.accion in CREATIONS,  # only new values to show
                "cambios": cambios,
            }
        )
    return out


# --------------------------------------------------------------------------- versions side by side

# What the comparison of two versions shows, in this order (columns of OTE).
COMPARED_COLUMNS = (
    "oficio_ot", "id_pte_header", "id_cliente", "id_frente", "id_embarcacion", "id_plataforma",
    "id_intercom", "id_patio", "requiere_patio", "fecha_inicio_patio", "fecha_fin_patio",
    "fecha_inicio_programado", "fecha_termino_programado", "plazo_dias", "monto_mxn", "monto_usd",
    "descripcion_trabajo", "id_responsable_proyecto", "responsable_cliente", "motivo",
)  # fmt: skip


@dataclass
class Comparison:
    """Two versions of one chain side by side: `filas` are (column, label, shown de, shown a, changed, change)
    where `change` is the figure's {de, a, diferencia, porcentaje} (baselines.change) or None."""

    folio: str
    ot_principal: int
    de: read.Fila
    a: read.Fila
    filas: list[tuple]

    @property
    def cambiados(self) -> int:
        return sum(1 for fila in self.filas if fila[4])


def _same(before, after) -> bool:
    if before in (None, "") and after in (None, ""):
        return True
    return before == after


def compare(de_id: int, a_id: int, actor=None) -> Comparison:
    """Versions `de_id` and `a_id` of one chain side by side, in two statements (both rows, then the
    names of the ids they hold). Deleted versions only for admins, as everywhere."""
    rows = db.session.execute(
        select(
            OTE.id,
            OTE.orden_trabajo,
            OTE.id_tipo,
            OTE.ot_principal,
            OTE.estatus,
            func.coalesce(OTE.num_reprogramacion, 0).label("num_reprogramacion"),
            *(getattr(OTE, column) for column in COMPARED_COLUMNS),
            func.coalesce(Usuario.nombre, Usuario.username).label("creada_por"),
            OTE.created_at.label("creada_en"),
        )
        .outerjoin(Usuario, Usuario.id == OTE.created_by)
        .where(OTE.id.in_({de_id, a_id}))
    ).all()
    found = {row.id: read.Fila(row._mapping) for row in rows}
    for wanted in (de_id, a_id):
        row = found.get(wanted)
        if row is None or (row["estatus"] == Registro.ELIMINADA and not sees_deleted(actor)):
            raise NotFound(f"No existe la OT con ID {wanted}.")
    de, a = found[de_id], found[a_id]
    if read.chain_root(de) != read.chain_root(a):
        raise NotFound(
            f"{de['orden_trabajo']} (ID {de_id}) y {a['orden_trabajo']} (ID {a_id}) no son versiones de la misma "
            "cadena: solo se comparan versiones de una misma OT."
        )
    wanted_names: dict[str, set] = {}
    for column in COMPARED_COLUMNS:
        if column in CATALOG_OF:
            wanted_names.setdefault(CATALOG_OF[column], set()).update(
                v for v in (de[column], a[column]) if v is not None
            )
    cats = names_of(wanted_names)
    filas = []
    for column in COMPARED_COLUMNS:
        before, after = de[column], a[column]
        changed = not _same(before, after)
        figure = baselines.change(column, before, after) if column in baselines.COMPARED else None
        filas.append(
            (
                column,
                LABELS.get(column, column),
                display(column, before, cats),
                display(column, after, cats),
                changed,
                figure,
            )
        )
    return Comparison(folio=de["orden_trabajo"], ot_principal=read.chain_root(de), de=de, a=a, filas=filas)
