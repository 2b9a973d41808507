"""Site bookings (issue 14): `reserva_sitio` holds, for the current version of every live chain,
the vessel, platform and yard it books and for which days. Every write to an OT calls
`sync_chain` in its transaction, then `check`: a conflict on an exclusive site refuses the save, on
any other site it is a warning. `portfolio_conflicts` sweeps them all (conflicts.py)."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import (
    Boolean,
    Date,
    Integer,
    String,
    and_,
    bindparam,
    case,
    cast,
    delete,
    false,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    true,
    union_all,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement

from .. import audit
from ..extensions import db
from ..formatting import office_today
from ..models import (
    OTE,
    ConflictoAceptado,
    Embarcacion,
    EstatusOTId,
    FrenteId,
    Patio,
    Plataforma,
    Registro,
    ReservaSitio,
    TipoConflicto,
    TipoSitio,
)
from ..service_errors import Conflict, ValidationFailed
from ..transactions import write_transaction
from .conflict_forms import MOTIVO_REQUIRED
from .conflicts import Conflicto, Reserva, Sitio, conflicts_of, sweep, sweep_rows

SITE_MODELS = {TipoSitio.EMBARCACION: Embarcacion, TipoSitio.PLATAFORMA: Plataforma, TipoSitio.PATIO: Patio}
# The OT column naming each site (the form field a refusal is shown next to); how a message names
# its kind, and the ending of the words that agree with it.
SITE_COLUMNS = {
    TipoSitio.EMBARCACION: "id_embarcacion",
    TipoSitio.PLATAFORMA: "id_plataforma",
    TipoSitio.PATIO: "id_patio",
}

SITE_NAMES = {
    TipoSitio.EMBARCACION: ("La embarcación", "a"),
    TipoSitio.PLATAFORMA: ("La plataforma", "a"),
    TipoSitio.PATIO: ("El patio", "o"),
}
EXCLUSION = "ex_reserva_sitio_exclusivo"


def _booking_selects(where, with_sites: bool = False):
    """One SELECT per site kind of the bookings the OTs matching `where` make: THE rule of what
    books a site. A live current version (not deleted, not cancelled) with its programmed dates
    books its vessel and platform for them; its yard for its yard dates when it has them.
    `with_sites`: each row also carries a true marker and its site's capacity, gap, exclusivity
    and name (sync_chain)."""
    live = and_(
        OTE.vigente,
        OTE.estatus == Registro.ACTIVA,
        OTE.id_estatus_ot != EstatusOTId.CANCELADA,
        OTE.fecha_inicio_programado.is_not(None),
        OTE.fecha_termino_programado.is_not(None),
        where,
    )
    selects = []
    for tipo, model in SITE_MODELS.items():
        column = getattr(OTE, SITE_COLUMNS[tipo])
        desde, hasta = OTE.fecha_inicio_programado, OTE.fecha_termino_programado
        if tipo == TipoSitio.PATIO:
            has_yard = and_(OTE.fecha_inicio_patio.is_not(None), OTE.fecha_fin_patio.is_not(None))
            desde = case((has_yard, OTE.fecha_inicio_patio), else_=desde)
            hasta = case((has_yard, OTE.fecha_fin_patio), else_=hasta)
        columns = [
            OTE.id,
            literal(tipo.value),
            column,
            desde,
            hasta,
            OTE.fecha_inicio_real,
            OTE.fecha_termino_real,
            and_(model.exclusivo, model.capacidad == 1).cast(Boolean),
        ]
        if with_sites:
            columns += [
                true(),
                model.capacidad,
                model.movilizacion_dias,
                model.exclusivo,
                model.nombre,
                OTE.id_frente,
            ]
        selects.append(select(*columns).join(model, model.id == column).where(live))
    return selects


COLUMNS = ("id_ot", "tipo_sitio", "id_sitio", "desde", "hasta", "real_desde", "real_hasta", "exclusivo")


# The statements of the check on save, built once: building a SELECT of this size and its cache key
# cost more than running it (about three quarters of the check, measured on 100,000 OTs).
_STATEMENTS: dict = {}


def _once(name, build):
    statement = _STATEMENTS.get(name)
    if statement is None:
        statement = _STATEMENTS[name] = build()
    return statement


def _chain_statements():
    """The chain's wanted and stored bookings (one UNION), and deleting the stored ones, for the
    bound parameter `root`."""

    def build():
        root = bindparam("root", type_=Integer)
        members = or_(OTE.id == root, OTE.ot_principal == root)
        r = ReservaSitio
        stored = select(
            *(getattr(r, c) for c in COLUMNS),
            false(),
            *(cast(null(), t) for t in (Integer, Integer, Boolean, String, Integer)),
        ).where(r.id_ot.in_(select(OTE.id).where(members)))
        read = union_all(*_booking_selects(members, with_sites=True), stored)
        return read, delete(r).where(r.id_ot.in_(select(OTE.id).where(members)))

    return _once("chain", build)


def sync_chain(root: int, hoy: date | None = None) -> list[str]:
    """Make the bookings of the chain of initial OT `root` what its OTs now say, in the caller's
    write transaction (after the OTs are flushed and `vigente` is kept). One statement when they
    did not change (an edit of the description); otherwise checked before they are written:
    over-booking an exclusive site raises ValidationFailed naming the site's field, any other
    conflict comes back as a warning. On PostgreSQL the exclusion constraint catches what a
    concurrent writer booked after the check (IntegrityError: `is_exclusion_violation`)."""
    read, remove = _chain_statements()
    wanted, have, sitios = [], [], {}
    en_tierra = True
    for row in db.session.execute(read, {"root": root}):
        values = dict(zip(COLUMNS, row[:8], strict=True))
        if row[8]:
            wanted.append(values)
            sitios[(row[1], row[2])] = Sitio(row[9], row[10], bool(row[11]), row[12])
            en_tierra = FrenteId.en_tierra(row[13])
        else:
            have.append(values)
    key = lambda v: tuple(v.values())  # noqa: E731
    if sorted(map(key, wanted)) == sorted(map(key, have)):
        return []
    if have:
        db.session.execute(remove, {"root": root})
    if not wanted:
        return []
    warnings = _check([_reserva_of(v) for v in wanted], sitios, hoy or office_today(), en_tierra)
    db.session.execute(_once("insert", lambda: insert(ReservaSitio.__table__)), wanted)
    return warnings


def rebuild_all() -> int:
    """Every booking again from the OTs (`flask conflictos sincronizar`, and after a bulk load)."""
    db.session.execute(delete(ReservaSitio))
    db.session.execute(insert(ReservaSitio).from_select(COLUMNS, union_all(*_booking_selects(true()))))
    return db.session.scalar(select(func.count()).select_from(ReservaSitio))


def _reserva_of(values: dict) -> Reserva:
    return Reserva(**{k: values[k] for k in COLUMNS if k != "exclusivo"})


def _reserva(row) -> Reserva:
    return Reserva(
        row.id_ot, row.tipo_sitio, row.id_sitio, row.desde, row.hasta, row.real_desde, row.real_hasta
    )


def _sites(keys) -> dict[tuple[str, int], Sitio]:
    """The capacity, gap, exclusivity and name of the sites `keys` ((tipo, id) pairs), one statement."""
    by_kind: dict[str, set[int]] = {}
    for tipo, id_sitio in keys:
        by_kind.setdefault(tipo, set()).add(id_sitio)
    selects = [
        select(literal(tipo), m.id, m.capacidad, m.movilizacion_dias, m.exclusivo, m.nombre).where(
            m.id.in_(ids)
        )
        for tipo, ids in by_kind.items()
        for m in (SITE_MODELS[TipoSitio(tipo)],)
    ]
    if not selects:
        return {}
    return {
        (tipo, id_sitio): Sitio(cap, gap, bool(excl), nombre)
        for tipo, id_sitio, cap, gap, excl, nombre in db.session.execute(union_all(*selects))
    }


def _accepted(conflicts: list[Conflicto]) -> set[tuple]:
    """The keys of those of `conflicts` a person accepted (one statement, none when no conflict)."""
    if not conflicts:
        return set()

    def build():
        a = ConflictoAceptado
        return select(a.tipo, a.tipo_sitio, a.id_sitio, a.ots, a.desde, a.hasta).where(
            a.id_sitio.in_(bindparam("sitios", expanding=True))
        )

    rows = db.session.execute(_once("accepted", build), {"sitios": sorted({c.id_sitio for c in conflicts})})
    return {tuple(row) for row in rows}


FOLIOS_BY_ID = 2000


def site_field(tipo_sitio: str, en_tierra: bool) -> str:
    """The OT form's field that holds a site of this kind: offshore, the yard is the yard phase's."""
    field = SITE_COLUMNS[TipoSitio(tipo_sitio)]
    return "id_patio_fase" if field == "id_patio" and not en_tierra else field


def change_site_fields(found: list[dict]) -> dict[tuple[str, int], str]:
    """For the conflicts page's "cambiar sitio" of each conflict (its last OT): the field of that
    OT's form to open, by (tipo_sitio, id_ot). One statement when a yard is in conflict."""
    keys = {(f["conflicto"].tipo_sitio, f["conflicto"].ots[-1]) for f in found}
    yards = sorted({i for tipo, i in keys if tipo == TipoSitio.PATIO.value})
    frentes = {}
    for start in range(0, len(yards), FOLIOS_BY_ID):
        chunk = yards[start : start + FOLIOS_BY_ID]
        frentes.update(db.session.execute(select(OTE.id, OTE.id_frente).where(OTE.id.in_(chunk))).all())
    return {(tipo, i): site_field(tipo, FrenteId.en_tierra(frentes.get(i))) for tipo, i in keys}


def _folios(ids) -> dict[int, str]:
    """The folios of the OTs `ids` (one statement)."""

    if len(ids) > FOLIOS_BY_ID:
        # Thousands of conflicts (a dense portfolio): the folios of every booking OT, rather than a
        # list of ids past SQLite's bound on parameters.
        every = _once(
            "all_folios",
            lambda: select(OTE.id, OTE.orden_trabajo).where(OTE.id.in_(select(ReservaSitio.id_ot))),
        )
        return dict(db.session.execute(every).all())

    def build():
        return select(OTE.id, OTE.orden_trabajo).where(OTE.id.in_(bindparam("ids", expanding=True)))

    return dict(db.session.execute(_once("folios", build), {"ids": sorted(ids)}).all())


def _near_statement(n: int):
    """The bookings on the sites of `n` own bookings near their days, for the bound parameters
    t<i> (kind), s<i> (site), lo<i>, hi<i> (the widened days) and hoy."""

    def build():
        r = ReservaSitio
        hoy = bindparam("hoy", type_=Date)
        near = [
            and_(
                r.tipo_sitio == bindparam(f"t{i}", type_=String),
                r.id_sitio == bindparam(f"s{i}", type_=Integer),
                r.desde <= bindparam(f"hi{i}", type_=Date),
                or_(
                    r.hasta >= bindparam(f"lo{i}", type_=Date),
                    and_(
                        r.real_desde.is_not(None),
                        func.coalesce(r.real_hasta, hoy) >= bindparam(f"lo{i}", type_=Date),
                    ),
                ),
            )
            for i in range(n)
        ]
        return select(r.id_ot, r.tipo_sitio, r.id_sitio, r.desde, r.hasta, r.real_desde, r.real_hasta).where(
            or_(*near)
        )

    return _once(("near", n), build)


def _near(own: list[Reserva], sitios, hoy: date) -> list[Reserva]:
    """The bookings of other OTs on the same sites that could conflict with `own` (one statement):
    overlapping its days widened by the site's mobilisation gap and its own overrun, or running into
    them in the real."""
    params = {"hoy": hoy}
    for i, r in enumerate(own):
        gap = timedelta(days=sitios.get((r.tipo_sitio, r.id_sitio), Sitio()).movilizacion_dias)
        end = max(r.hasta, r.fin_real(hoy) or r.hasta)
        params.update(
            {f"t{i}": r.tipo_sitio, f"s{i}": r.id_sitio, f"lo{i}": r.desde - gap, f"hi{i}": end + gap}
        )
    ids = {r.id_ot for r in own}
    return [
        Reserva(*row) for row in db.session.execute(_near_statement(len(own)), params) if row[0] not in ids
    ]


def _check(own: list[Reserva], sitios: dict, hoy: date, en_tierra: bool) -> list[str]:
    id_ot = own[0].id_ot
    found = conflicts_of(id_ot, own + _near(own, sitios, hoy), sitios, hoy)
    accepted = _accepted(found)
    found = [c for c in found if c.clave not in accepted]
    if not found:
        return []
    ids = {i for c in found for i in c.ots}
    folios = _folios(ids)
    errors: dict[str, str] = {}
    warnings = []
    for c in found:
        sitio = sitios.get((c.tipo_sitio, c.id_sitio), Sitio())
        text = describe(c, sitio, folios, id_ot)
        if sitio.exclusivo and c.tipo == TipoConflicto.PROGRAMADO:
            ending = SITE_NAMES[TipoSitio(c.tipo_sitio)][1]
            field = site_field(c.tipo_sitio, en_tierra)
            errors.setdefault(field, f"{text} Es exclusiv{ending}: mueva las fechas o elija otro sitio.")
        else:
            warnings.append(text)
    if errors:
        raise ValidationFailed.from_errors(errors)
    return warnings


def describe(c: Conflicto, sitio: Sitio, folios: dict[int, str], id_ot: int | None = None) -> str:
    """A conflict in a sentence, in Spanish, naming the other OTs (all of them when `id_ot` is None)."""
    kind, o = SITE_NAMES[c.tipo_sitio]  # a StrEnum key: the plain string finds it
    nombres = " y ".join([folios.get(i) or f"ID {i}" for i in c.ots if i != id_ot])
    # By hand, not strftime: the portfolio describes every conflict, tens of thousands at worst.
    a, b = c.desde, c.hasta
    periodo = f"del {a.day:02d}/{a.month:02d}/{a.year} al {b.day:02d}/{b.month:02d}/{b.year}"
    if c.tipo is TipoConflicto.MOVILIZACION:
        entre = f"entre esta OT y {nombres}" if id_ot else f"entre {nombres}"
        return (
            f"{kind} «{sitio.nombre}» no tiene los {sitio.movilizacion_dias} días de movilización "
            f"que necesita {entre} ({periodo})."
        )
    if c.tipo is TipoConflicto.REAL:
        return f"{kind} «{sitio.nombre}» sigue ocupad{o} {periodo}, cuando {nombres} l{o} tiene reservad{o}."
    cabe = "una OT a la vez" if sitio.capacidad <= 1 else f"{sitio.capacidad} OT a la vez"
    por = f"por {nombres}" if id_ot else f"a la vez por {nombres}"
    return f"{kind} «{sitio.nombre}» ya está reservad{o} {periodo} {por} (admite {cabe})."


def is_exclusion_violation(exc: IntegrityError) -> bool:
    """PostgreSQL's exclusion constraint refused a booking (a concurrent writer got there first)."""
    return EXCLUSION in str(exc.orig)


def site_changed(model, row) -> None:
    """A site's capacity, exclusivity or gap changed (catalogs.commands.update_row, in its
    transaction): its bookings carry the new exclusivity; becoming exclusive is refused while OTs
    already over-book it (accepted or not: exclusive means never), naming the first."""
    tipo = next(t for t, m in SITE_MODELS.items() if m is model)
    r = ReservaSitio
    exclusivo = bool(row.exclusivo)
    if exclusivo:
        rows = db.session.execute(
            select(r.id_ot, r.tipo_sitio, r.id_sitio, r.desde, r.hasta, r.real_desde, r.real_hasta)
            .where(r.tipo_sitio == tipo.value, r.id_sitio == row.id)
            .order_by(r.desde, r.id_ot)
        )
        sitio = Sitio(row.capacidad, row.movilizacion_dias, True, row.nombre)
        over = [
            c
            for c in sweep([Reserva(*x) for x in rows], {(tipo.value, row.id): sitio}, office_today())
            if c.tipo == TipoConflicto.PROGRAMADO
        ]
        if over:
            folios = dict(
                db.session.execute(
                    select(OTE.id, OTE.orden_trabajo).where(OTE.id.in_({i for c in over for i in c.ots}))
                ).all()
            )
            kind, o = SITE_NAMES[tipo]
            cuantos = "un traslape" if len(over) == 1 else f"{len(over)} traslapes"
            raise ValidationFailed.from_errors(
                {
                    "exclusivo": f"{kind} «{row.nombre}» tiene {cuantos} de OT programadas "
                    f"(el primero: {describe(over[0], sitio, folios)}); resuélva{'lo' if len(over) == 1 else 'los'} "
                    f"antes de hacerl{o} exclusiv{o}."
                }
            )
    db.session.execute(
        update(r)
        .where(r.tipo_sitio == tipo.value, r.id_sitio == row.id)
        .values(exclusivo=exclusivo and row.capacidad == 1)
    )


# --------------------------------------------------------------------------- the portfolio


class ordinal(FunctionElement):
    """A date column as its day ordinal (`date.toordinal()`), computed by the database: the sweep
    works on integers, and converting 400,000 date strings in Python cost more than the sweep."""

    type = Integer()
    inherit_cache = True


@compiles(ordinal, "sqlite")
def _ordinal_sqlite(element, compiler, **kw):
    # julianday() of 0001-01-01 is 1721425.5, whose ordinal is 1.
    return f"CAST(julianday({compiler.process(element.clauses, **kw)}) - 1721424.5 AS INTEGER)"


@compiles(ordinal, "postgresql")
def _ordinal_postgresql(element, compiler, **kw):
    return f"({compiler.process(element.clauses, **kw)} - DATE '0001-01-01' + 1)"


def booking_rows(tipo_sitio: str | None = None, id_sitio: int | None = None) -> list[tuple]:
    """The bookings as `conflicts.sweep_rows` takes them, in the index's order: one narrow SELECT
    of plain tuples, the dates as ordinals."""
    r = ReservaSitio
    query = select(
        r.id_ot,
        r.tipo_sitio,
        r.id_sitio,
        ordinal(r.desde),
        ordinal(r.hasta),
        ordinal(r.real_desde),
        ordinal(r.real_hasta),
    ).order_by(r.tipo_sitio, r.id_sitio, r.desde, r.id_ot)
    if tipo_sitio:
        query = query.where(r.tipo_sitio == tipo_sitio)
        if id_sitio:
            query = query.where(r.id_sitio == id_sitio)
    result = db.session.connection().execute(query)  # Core: a CursorResult
    try:
        # The DBAPI's own tuples: every column is an integer or a string, nothing to convert, and
        # building 100,000 Row objects cost a third of the read.
        return result.cursor.fetchall()
    finally:
        result.close()


def portfolio_conflicts(
    desde: date | None = None,
    hasta: date | None = None,
    tipo_sitio: str | None = None,
    id_sitio: int | None = None,
    hoy: date | None = None,
) -> list[dict]:
    """Every conflict not accepted, on the sites asked for, that touches [desde, hasta]: one read
    of the bookings in index order, one of the sites, one of the acceptances, one of the folios."""
    hoy = hoy or office_today()
    rows = booking_rows(tipo_sitio, id_sitio)
    sitios = _sites({(x[1], x[2]) for x in rows})
    found = sweep_rows(rows, sitios, hoy.toordinal())
    if desde is not None or hasta is not None:
        found = [
            c for c in found if (desde is None or c.hasta >= desde) and (hasta is None or c.desde <= hasta)
        ]
    accepted = _accepted(found)
    if accepted:
        found = [c for c in found if c.clave not in accepted]
    ids = {i for c in found for i in c.ots}
    folios = _folios(ids) if ids else {}
    default = Sitio()
    out = []
    for c in found:
        sitio = sitios.get((c.tipo_sitio, c.id_sitio), default)
        out.append(
            {
                "conflicto": c,
                "sitio": sitio,
                "folios": {i: folios.get(i, "") for i in c.ots},
                "descripcion": describe(c, sitio, folios),
            }
        )
    return out


def accept(values: dict, actor) -> ConflictoAceptado:
    """Accept a conflict with a reason: logged, and no longer reported while the same OTs overlap
    over the same days. `values`: tipo, tipo_sitio, id_sitio, ots (ids), desde, hasta, motivo."""
    motivo = (values.get("motivo") or "").strip()
    errors = {}
    if not motivo:
        errors["motivo"] = MOTIVO_REQUIRED
    with write_transaction():
        current = {
            c["conflicto"].clave: c
            for c in portfolio_conflicts(
                values.get("desde"), values.get("hasta"), values.get("tipo_sitio"), values.get("id_sitio")
            )
        }
        ots = ",".join(str(i) for i in sorted(values.get("ots") or []))
        clave = (
            values.get("tipo"),
            values.get("tipo_sitio"),
            values.get("id_sitio"),
            ots,
            values.get("desde"),
            values.get("hasta"),
        )
        if clave not in current and not errors:
            raise Conflict(
                "Ese conflicto ya no existe (otra persona movió las fechas o ya lo aceptó): actualice la lista."
            )
        if errors:
            raise ValidationFailed.from_errors(errors)
        row = ConflictoAceptado(
            tipo=clave[0],
            tipo_sitio=clave[1],
            id_sitio=clave[2],
            ots=ots,
            desde=clave[4],
            hasta=clave[5],
            motivo=motivo,
            id_usuario=getattr(actor, "id", None),
            usuario=getattr(actor, "username", "") or "sistema",
        )
        db.session.add(row)
        db.session.flush()
        audit.log(
            actor,
            "aceptar",
            "conflicto",
            row.id,
            {"conflicto": [None, current[clave]["descripcion"]], "motivo": [None, motivo]},
        )
    return row
