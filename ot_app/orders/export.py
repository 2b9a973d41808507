"""The OT list exported (xlsx or CSV): the list's own filters and sort, every page, streamed from a
server-side cursor so 100,000 OTs are never in memory at once."""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import and_, select

from ..exports import Column
from ..extensions import db
from ..models import OTE, Registro
from ..service_errors import NotFound
from . import read

# Rows fetched per round trip: big enough to amortise the cursor, small enough to stay in a few MB.
BATCH = 2000
REGISTRO = Registro.names()

COLUMNS = (
    Column("ID", "entero", 8),
    Column("Folio", "texto", 32),
    Column("Versión", "texto", 10),
    Column("Vigente", "texto", 8),
    Column("Oficio OT", "texto", 22),
    Column("Tipo", "texto", 14),
    Column("PTE", "texto", 22),
    Column("Cliente", "texto", 22),
    Column("Frente", "texto", 12),
    Column("Sitio", "texto", 22),
    Column("Responsable del proyecto", "texto", 24),
    Column("Responsable del cliente", "texto", 24),
    Column("Estatus de OT", "texto", 16),
    Column("Registro", "texto", 12),
    Column("Inicio programado", "fecha", 12),
    Column("Término programado", "fecha", 12),
    Column("Inicio real", "fecha", 12),
    Column("Término real", "fecha", 12),
    Column("Monto MXN", "dinero", 16),
    Column("Monto USD", "dinero", 16),
    Column("Descripción", "texto", 50),
)


def export_orders(query: read.ListQuery, actor=None) -> tuple[str, str, tuple[Column, ...], Iterator[tuple]]:
    """(file name, sheet, columns, rows) of the list as `query` filters and sorts it, all pages.

    The permission check runs now (a refusal is an error answer, not a broken download); the rows
    are read lazily when the response streams them."""
    conditions = read.list_conditions(query, actor)
    stmt = (
        read.list_select()
        .where(and_(*conditions))
        .order_by(*read.list_order(query))
        # yield_per: a server-side cursor on PostgreSQL, fetchmany on SQLite (bounded memory).
        .execution_options(yield_per=BATCH)
    )
    return "ordenes_de_trabajo", "OT", COLUMNS, _rows(stmt)


def export_selection(ids: list[int], actor=None) -> tuple[str, str, tuple[Column, ...], Iterator[tuple]]:
    """The list's selection (at most forms.BULK_MAX ids), in the list's order. An id the reader may
    not see (unknown, or deleted below admin) is a 404, as every read of one OT."""
    query = read.ListQuery(ids=tuple(ids), per_page=len(ids))
    seen = set(db.session.scalars(select(OTE.id).where(and_(*read.list_conditions(query, actor)))))
    missing = set(ids) - seen
    if missing:
        raise NotFound(f"No existe la OT con ID {min(missing)}.")
    _, sheet, columns, rows = export_orders(query, actor)
    return "ordenes_de_trabajo_seleccion", sheet, columns, rows


def _rows(stmt) -> Iterator[tuple]:
    for r in read.with_names(db.session.execute(stmt)):
        yield (
            r.id,
            r.orden_trabajo,
            read.version_label(r.num_reprogramacion),
            "Sí" if r.vigente else "No",
            r.oficio_ot,
            r.tipo,
            r.pte,
            r.cliente,
            r.frente,
            r.sitio,
            r.responsable,
            r.responsable_cliente,
            r.estatus_ot,
            REGISTRO.get(r.estatus, str(r.estatus)),
            r.fecha_inicio_programado,
            r.fecha_termino_programado,
            r.fecha_inicio_real,
            r.fecha_termino_real,
            r.monto_mxn,
            r.monto_usd,
            r.descripcion_trabajo,
        )
