"""Annex reads: an OT's revisions of one kind, one revision's lines, two revisions compared by key."""

from __future__ import annotations

from sqlalchemy import select

from ..extensions import db
from ..models import AnexoRenglon, AnexoRevision
from ..service_errors import NotFound
from .commands import get_ot, parse_tipo
from .rules import ZERO, amount_text, number_text

COMPARED = ("unidad", "cantidad", "pu_mxn", "pu_usd")


def revisions(ot_id: int, tipo: str) -> list[AnexoRevision]:
    return list(
        db.session.scalars(
            select(AnexoRevision)
            .where(AnexoRevision.id_ot == ot_id, AnexoRevision.tipo == tipo)
            .order_by(AnexoRevision.n)
        )
    )


def revision(ot_id: int, tipo: str, n: int | None) -> AnexoRevision | None:
    """Revision n (NotFound when it does not exist), or the latest (None when there is none)."""
    query = select(AnexoRevision).where(AnexoRevision.id_ot == ot_id, AnexoRevision.tipo == tipo)
    if n is None:
        return db.session.scalar(query.order_by(AnexoRevision.n.desc()).limit(1))
    found = db.session.scalar(query.where(AnexoRevision.n == n))
    if found is None:
        raise NotFound(f"La OT {ot_id} no tiene la revisión {n} de ese anexo.")
    return found


def lines(rev: AnexoRevision) -> list[AnexoRenglon]:
    return list(
        db.session.scalars(
            select(AnexoRenglon).where(AnexoRenglon.id_revision == rev.id).order_by(AnexoRenglon.orden)
        )
    )


def line_json(line: AnexoRenglon, hoja: str | None) -> dict:
    """A stored line with the keys of the report's `muestra`."""
    out = {
        "hoja": hoja,
        "fila": line.fila,
        "anexo": line.anexo,
        "partida": line.partida,
        "concepto": line.concepto,
        "unidad": line.unidad,
        "cantidad": number_text(line.cantidad),
        "pu_mxn": number_text(line.pu_mxn),
        "pu_usd": number_text(line.pu_usd),
        "importe_mxn": amount_text(line.importe_mxn),
        "importe_usd": amount_text(line.importe_usd),
        "capitulo": line.capitulo,
        "subencabezado": line.subencabezado,
    }
    out["programa_diario"] = line.programa
    out["suma_dias"] = number_text(line.cantidad) if line.programa is not None else None
    return out


def revision_json(rev: AnexoRevision) -> dict:
    return {
        **rev.resumen(),
        "hoja": rev.hoja,
        "renglones": rev.renglones,
        "totales": {"mxn": amount_text(rev.total_mxn), "usd": amount_text(rev.total_usd)},
    }


def annex(ot_id: int, tipo: str, n: int | None, with_lines: bool = True) -> dict:
    """What GET /api/ot/anexos answers: the revision's lines, its history, and the annex totals
    beside the OT's own amounts (a difference is pointed out, never reconciled). `with_lines`
    False: no lines (the tab shows a sábana through its paged grid instead)."""
    tipo = parse_tipo(tipo)
    ot = get_ot(ot_id)
    rev = revision(ot_id, tipo, n)
    history = revisions(ot_id, tipo)
    out = {
        "id": ot_id,
        "tipo": tipo,
        "revision": rev.n if rev else None,
        "revisiones": [revision_json(r) for r in history],
        "renglones": [line_json(x, rev.hoja) for x in lines(rev)] if rev and with_lines else [],
        "totales": revision_json(rev)["totales"] if rev else {"mxn": "0.00", "usd": "0.00"},
        "monto_ot": {"mxn": amount_text(ot.monto_mxn or ZERO), "usd": amount_text(ot.monto_usd or ZERO)},
    }
    if rev is not None:
        out["diferencia_ot"] = {
            "mxn": amount_text(rev.total_mxn - (ot.monto_mxn or ZERO)),
            "usd": amount_text(rev.total_usd - (ot.monto_usd or ZERO)),
        }
    else:
        out["diferencia_ot"] = None
    return out


def _compared(line: AnexoRenglon) -> dict:
    return {
        "unidad": line.unidad,
        "cantidad": number_text(line.cantidad),
        "pu_mxn": number_text(line.pu_mxn),
        "pu_usd": number_text(line.pu_usd),
    }


def differences(ot_id: int, tipo: str, de: int | None, a: int | None) -> dict:
    """Two revisions compared by key: lines added, removed, and changed (unit, quantity or P.U.,
    each with its before and after). By default the latest against the one before it."""
    tipo = parse_tipo(tipo)
    get_ot(ot_id)
    after = revision(ot_id, tipo, a)
    if after is None:
        return {"de": None, "a": None, "agregados": [], "eliminados": [], "cambiados": []}
    if de is None:
        de = after.n - 1
    before = revision(ot_id, tipo, de) if de >= 1 else None
    old = {x.clave: x for x in lines(before)} if before else {}
    new = {x.clave: x for x in lines(after)}
    added = [line_json(x, after.hoja) for k, x in new.items() if k not in old]
    removed = [line_json(x, before.hoja) for k, x in old.items() if k not in new]
    changed = []
    for k, x in new.items():
        if k not in old:
            continue
        was, now = _compared(old[k]), _compared(x)
        cambios = {f: {"de": was[f], "a": now[f]} for f in COMPARED if was[f] != now[f]}
        if cambios:
            changed.append({"partida": x.partida, "concepto": x.concepto, "fila": x.fila, "cambios": cambios})
    return {
        "de": before.n if before else None,
        "a": after.n,
        "agregados": added,
        "eliminados": removed,
        "cambiados": changed,
    }


def stored_file(ot_id: int, tipo: str, n: int | None):
    tipo = parse_tipo(tipo)
    get_ot(ot_id)
    rev = revision(ot_id, tipo, n)
    if rev is None:
        raise NotFound("La OT no tiene ese anexo importado.")
    return rev.archivo


def export(ot_id: int, tipo: str, n: int | None):
    """(file name, sheet name, columns, rows) of a revision, for exports.download."""
    from ..exports import Column
    from .kinds import KINDS

    tipo = parse_tipo(tipo)
    ot = get_ot(ot_id)
    rev = revision(ot_id, tipo, n)
    if rev is None:
        raise NotFound("La OT no tiene ese anexo importado.")
    days = list((rev.extra or {}).get("dias") or [])
    columns = [
        Column("ANEXO", ancho=10),
        Column("PARTIDA", ancho=12),
        Column("CONCEPTO", ancho=60),
        Column("UNIDAD", ancho=10),
        Column("CANTIDAD", "numero"),
        Column("P.U. M.N.", "numero"),
        Column("P.U. USD", "numero"),
        Column("IMPORTE M.N.", "dinero", 16),
        Column("IMPORTE USD", "dinero", 16),
        Column("CAPÍTULO", ancho=12),
        Column("SUBENCABEZADO", ancho=30),
        *(Column(day, "numero", 11) for day in days),
    ]

    def rows():
        for x in lines(rev):
            programa = x.programa or {}
            yield [
                x.anexo,
                x.partida,
                x.concepto,
                x.unidad,
                x.cantidad,
                x.pu_mxn,
                x.pu_usd,
                x.importe_mxn,
                x.importe_usd,
                x.capitulo,
                x.subencabezado,
                *(programa.get(day) for day in days),
            ]

    folio = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in (ot.orden_trabajo or str(ot.id)))
    return f"{folio}_{tipo}_rev{rev.n}", KINDS[tipo].titulo, columns, rows()


def chapters(ot_id: int, tipo: str, n: int | None) -> list[dict]:
    """Revision n's chapters in file order, each with its line count and totals per currency,
    in one grouped statement whatever the size: the tab shows them collapsed and loads a
    chapter's lines when it is opened (chapter_lines). Lines without a chapter come as None."""
    from sqlalchemy import func

    if n is None:
        return []
    rev_id = (
        select(AnexoRevision.id)
        .where(AnexoRevision.id_ot == ot_id, AnexoRevision.tipo == tipo, AnexoRevision.n == n)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            AnexoRenglon.capitulo,
            func.count(),
            func.sum(AnexoRenglon.importe_mxn),
            func.sum(AnexoRenglon.importe_usd),
        )
        .where(AnexoRenglon.id_revision == rev_id)
        .group_by(AnexoRenglon.capitulo)
        .order_by(func.min(AnexoRenglon.orden))
    )
    return [
        {"capitulo": capitulo or None, "renglones": n, "mxn": mxn or ZERO, "usd": usd or ZERO}
        for capitulo, n, mxn, usd in rows
    ]


CHAPTER_PAGE = 500  # lines of a chapter drawn at once; "Mostrar más" loads the next ones


def chapter_lines(ot_id: int, tipo: str, n: int | None, capitulo: str, page: int) -> dict:
    """One page of a chapter's lines (`capitulo` "" for the lines without one), in file order;
    each line says whether a sub-heading starts at it (compared with the line before, also
    across pages). Three statements whatever the size (OT, revision, page)."""
    from sqlalchemy import or_

    tipo = parse_tipo(tipo)
    get_ot(ot_id)
    rev = revision(ot_id, tipo, n)
    if rev is None:
        raise NotFound("La OT no tiene ese anexo importado.")
    if capitulo:
        where = AnexoRenglon.capitulo == capitulo
    else:
        where = or_(AnexoRenglon.capitulo.is_(None), AnexoRenglon.capitulo == "")
    start = (page - 1) * CHAPTER_PAGE
    # From the line before the page (when there is one): its sub-heading tells whether the
    # page's first line starts a new one.
    rows = list(
        db.session.scalars(
            select(AnexoRenglon)
            .where(AnexoRenglon.id_revision == rev.id, where)
            .order_by(AnexoRenglon.orden)
            .offset(max(start - 1, 0))
            .limit(CHAPTER_PAGE + 1 + (start > 0))
        )
    )
    previous = rows.pop(0).subencabezado if start > 0 and rows else None
    more = len(rows) > CHAPTER_PAGE
    out = []
    for x in rows[:CHAPTER_PAGE]:
        line = line_json(x, rev.hoja)
        line["orden"] = x.orden
        line["nuevo_subencabezado"] = bool(x.subencabezado) and x.subencabezado != previous
        previous = x.subencabezado
        out.append(line)
    return {
        "tipo": tipo,
        "revision": rev.n,
        "capitulo": capitulo,
        "page": page,
        "renglones": out,
        "mas": more,
        "desde": start + 1,
    }


# --------------------------------------------------------------------------- the sábana as a grid

GRID_PER_PAGE = 100  # lines per page of the grid: 100 × 31 days is a page a browser draws at once


def _weeks(days: list[str]) -> list[dict]:
    """The revision's days grouped by ISO week (Monday to Sunday), in order."""
    from datetime import date

    weeks: list[dict] = []
    for day in days:
        y, w, _ = date.fromisoformat(day).isocalendar()
        key = f"{y}-W{w:02d}"
        if not weeks or weeks[-1]["clave"] != key:
            weeks.append({"clave": key, "semana": w, "dias": []})
        weeks[-1]["dias"].append(day)
    return weeks


def sabana_grid(ot_id: int, n: int | None, page: int, abiertas: set[str] | None) -> dict | None:
    """One page of the sábana's lines × days: weeks folded into a total unless open (`abiertas`,
    ISO week keys; None opens none), totals per line, per day and per week over every line.
    None when the OT has no sábana. Three statements whatever the size (OT, revision, page)."""
    from decimal import Decimal

    from ..models import TipoAnexo

    get_ot(ot_id)
    rev = revision(ot_id, TipoAnexo.SABANA.value, n)
    if rev is None:
        return None
    extra = rev.extra or {}
    days = list(extra.get("dias") or [])
    weeks = _weeks(days)
    keys = {w["clave"] for w in weeks}
    opened = keys if "todas" in (abiertas or ()) else {k for k in (abiertas or ()) if k in keys}
    pages = max(1, -(-rev.renglones // GRID_PER_PAGE))
    page = min(max(page, 1), pages)
    rows = db.session.scalars(
        select(AnexoRenglon)
        .where(AnexoRenglon.id_revision == rev.id)
        .order_by(AnexoRenglon.orden)
        .limit(GRID_PER_PAGE)
        .offset((page - 1) * GRID_PER_PAGE)
    )
    per_day = {d: Decimal(q) for d, q in (extra.get("totales_dia") or {}).items()}
    lines = []
    for x in rows:
        programa = {d: Decimal(q) for d, q in (x.programa or {}).items()}
        lines.append(
            {
                "orden": x.orden,
                "fila": x.fila,
                "partida": x.partida,
                "concepto": x.concepto,
                "unidad": x.unidad,
                "dias": {d: number_text(q) for d, q in programa.items()},
                "semanas": {
                    w["clave"]: number_text(sum((programa.get(d, ZERO) for d in w["dias"]), ZERO))
                    for w in weeks
                },
                "total": number_text(sum(programa.values(), ZERO)),
            }
        )
    for w in weeks:
        w["abierta"] = w["clave"] in opened
        w["total"] = number_text(sum((per_day.get(d, ZERO) for d in w["dias"]), ZERO))
    return {
        "revision": rev.n,
        "renglones": rev.renglones,
        "page": page,
        "pages": pages,
        "desde": (page - 1) * GRID_PER_PAGE + 1 if lines else 0,
        "hasta": (page - 1) * GRID_PER_PAGE + len(lines),
        "semanas": weeks,
        "abiertas": sorted(opened),
        "lineas": lines,
        "totales_dia": {d: number_text(q) for d, q in per_day.items()},
        "total": number_text(sum(per_day.values(), ZERO)),
    }


# --------------------------------------------------------------------------- search in an annex

SEARCH_LIMIT = 200  # lines shown for one search; the count says how many matched


def search_lines(ot_id: int, tipo: str, q: str) -> dict:
    """Lines of the current revision whose partida, concepto, unidad, chapter or sub-heading hold
    every word of `q`, compared folded (no accents, any case: "proteccion" finds "PROTECCIÓN")."""
    from .rules import fold

    tipo = parse_tipo(tipo)
    get_ot(ot_id)
    words = [w for w in (fold(part) for part in q.split()[:10]) if w]
    rev = revision(ot_id, tipo, None)
    found: list[dict] = []
    total = 0
    if rev is not None and words:
        for x in lines(rev):
            text = fold(" ".join((x.partida, x.concepto, x.unidad, x.capitulo or "", x.subencabezado or "")))
            if all(w in text for w in words):
                total += 1
                if len(found) < SEARCH_LIMIT:
                    found.append(line_json(x, rev.hoja))
    return {"revision": rev.n if rev else None, "q": q, "total": total, "renglones": found}
