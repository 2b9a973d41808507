"""Annex use cases that write: import (dry run, or confirm as revision n + 1, all or nothing).
Shared by the pages, the JSON API and `flask importar-anexo`; never sees `request`."""

from __future__ import annotations

import hashlib

from flask import current_app
from sqlalchemy import func, insert, select

from .. import audit, files
from ..auth.security import sees_deleted
from ..extensions import db
from ..models import OTE, AnexoRenglon, AnexoRevision, TipoAnexo
from ..orders.commands import ensure_editable
from ..service_errors import NotFound, ValidationFailed
from ..transactions import write_transaction
from .detect import Limits
from .kinds import KINDS
from .pipeline import analyze
from .report import Report

AREA = "anexos"
# The body of an import request: the file's limit plus room for the other fields.
MAX_BODY = Limits().max_bytes + 256 * 1024


def limits() -> Limits:
    """The limits of shared/annexes.md, overridable in the configuration (tests, a big office)."""
    return current_app.config.get("ANEXOS_LIMITES") or Limits()


def parse_tipo(tipo: str | None) -> str:
    if tipo not in KINDS:
        valid = ", ".join(KINDS)
        raise ValidationFailed.from_errors({"tipo": f"tipo de anexo no válido: use {valid}"})
    return tipo


def get_ot(ot_id: int) -> OTE:
    """The OT whose annexes are read or imported: a deleted one only for admins (`sees_deleted`)."""
    ot = db.session.get(OTE, ot_id)
    if ot is None or (ot.eliminada and not sees_deleted()):
        raise NotFound(f"No existe la OT con ID {ot_id}.")
    return ot


def key_hash(line) -> str:
    from .rules import line_key

    return hashlib.sha256("\x1f".join(line_key(line.anexo, line.partida, line.concepto)).encode()).hexdigest()


def import_annex(ot_id: int, tipo: str, storage, confirmar: bool, actor) -> Report:
    """The report of the file; with `confirmar` and no error, the lines stored as the next
    revision of that OT's annex of that kind, with the file itself and an audit row."""
    received = receive(ot_id, tipo, storage, confirmar)
    if isinstance(received, Report):
        return received
    return import_upload(ot_id, tipo, received, confirmar, actor)


def receive(ot_id: int, tipo: str, storage, confirmar: bool) -> files.Upload | Report:
    """What an import checks before reading the file: the kind, the OT (visible to the caller;
    editable when confirming), the upload within the limits. A Report holding the one error when
    the upload itself is refused (empty, too large, a path in its name)."""
    tipo = parse_tipo(tipo)
    ot = get_ot(ot_id)
    if confirmar:
        ensure_editable(ot)  # a deleted OT (or a replaced version) is read-only
    try:
        return files.read_upload(storage, max_bytes=limits().max_bytes)
    except files.UploadRefused as err:
        report = Report(tipo, getattr(storage, "filename", None) or "", "")
        report.error(None, None, None, err.detalles, hoja=None)
        return report


def import_upload(
    ot_id: int, tipo: str, upload: files.Upload, confirmar: bool, actor, progress=None
) -> Report:
    """import_annex once receive() accepted the upload: also what a background job runs
    (annexes/jobs.py), with `progress` for analyze()."""
    from ..concepts import match  # the contract's catalog, when loaded: lines are matched against it

    tipo = parse_tipo(tipo)
    report = analyze(
        upload.nombre,
        upload.data,
        tipo,
        limits(),
        reference=_reference(ot_id, tipo),
        catalog=match.load(),
        progress=progress,
    )
    then = None
    if tipo == TipoAnexo.PROGRAMA:
        from ..schedules.sources import commands as program_sources

        then = program_sources.from_programa_report(ot_id, report, actor)
    if confirmar and report.ok:
        # Stored before the transaction: content-addressed, so a failed write leaves at most an
        # unreferenced copy, never a revision without its file.
        stored = files.store_upload(upload, area=AREA)
        try:
            report.revision = _store_revision(ot_id, tipo, report, stored, actor, then)
        except ValidationFailed as err:
            if then is None:
                raise
            # The program derived from the workbook was refused: nothing stored, said in the report.
            for campo, mensaje in (err.errores or {"programa": err.detalles}).items():
                report.error(None, campo, None, mensaje, hoja=None)
            return report
        report.confirmado = True
        if then is not None:
            report.extra = {**report.extra, "revision_programa": then.revision}
            report.resumen = (
                f"Anexo guardado como revisión {report.revision} y programa como revisión {then.revision}."
            )
    return report


def _reference(ot_id: int, tipo: str) -> dict | None:
    """What a sábana is checked against: the quantities of the OT's current Anexo C, by key and
    by partida + unit (None when the OT has no Anexo C, so there is nothing to exceed)."""
    if tipo != TipoAnexo.SABANA:
        return None
    from .rules import fold, line_key

    latest = (
        select(AnexoRevision.id)
        .where(AnexoRevision.id_ot == ot_id, AnexoRevision.tipo == TipoAnexo.ANEXO_C.value)
        .order_by(AnexoRevision.n.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(
            AnexoRenglon.anexo,
            AnexoRenglon.partida,
            AnexoRenglon.concepto,
            AnexoRenglon.unidad,
            AnexoRenglon.cantidad,
        ).where(AnexoRenglon.id_revision == latest)
    ).all()
    if not rows:
        return None
    by_key, by_partida_unit = {}, {}
    for anexo, partida, concepto, unidad, cantidad in rows:
        by_key[line_key(anexo, partida, concepto)] = cantidad
        by_partida_unit.setdefault((partida.strip(), fold(unidad)), cantidad)
    return {"by_key": by_key, "by_partida_unit": by_partida_unit}


def _store_revision(ot_id: int, tipo: str, report: Report, stored: files.StoredFile, actor, then=None) -> int:
    """`then(revision, stored)`, when given, runs inside the same transaction once the revision
    has its id (the programa kind stores the program derived from it: both or neither)."""
    mxn, usd = report.totals()
    with write_transaction() as session:
        # The OT row is the lock: two confirmations of one OT take turns (SQLite's BEGIN
        # IMMEDIATE already serializes; FOR UPDATE does it on PostgreSQL), and the unique
        # (id_ot, tipo, n) is the last guard.
        ot = session.execute(select(OTE).where(OTE.id == ot_id).with_for_update()).scalar_one()
        ensure_editable(ot)
        n = (
            session.scalar(
                select(func.max(AnexoRevision.n)).where(
                    AnexoRevision.id_ot == ot_id, AnexoRevision.tipo == tipo
                )
            )
            or 0
        ) + 1
        revision = AnexoRevision(
            id_ot=ot_id,
            tipo=TipoAnexo(tipo).value,
            n=n,
            id_usuario=getattr(actor, "id", None),
            usuario=getattr(actor, "username", "") or "sistema",
            **AnexoRevision.archivo_de(stored, tipo=report.formato or ""),
            formato=report.formato or "",
            hoja=report.hoja,
            fila_encabezado=report.fila_encabezado,
            renglones=len(report.lines),
            total_mxn=mxn,
            total_usd=usd,
            extra=report.extra,
        )
        session.add(revision)
        session.flush()
        # One executemany for the lines: 10,000 ORM objects would cost seconds.
        session.execute(
            insert(AnexoRenglon),
            [
                {
                    "id_revision": revision.id,
                    "orden": i,
                    "fila": line.fila,
                    "clave": key_hash(line),
                    "anexo": line.anexo,
                    "partida": line.partida,
                    "concepto": line.concepto,
                    "unidad": line.unidad,
                    "cantidad": line.cantidad,
                    "pu_mxn": line.pu_mxn,
                    "pu_usd": line.pu_usd,
                    "importe_mxn": line.importe_mxn,
                    "importe_usd": line.importe_usd,
                    "capitulo": line.capitulo,
                    "subencabezado": line.subencabezado,
                    "programa": None
                    if line.programa is None
                    else {day: str(q) for day, q in line.programa.items()},
                }
                for i, line in enumerate(report.lines)
            ],
        )
        audit.log(
            actor,
            "importar_anexo",
            "ot",
            ot_id,
            {
                "anexo": [None, f"{KINDS[tipo].titulo} revisión {n}"],
                "archivo": [None, f"{stored.nombre} ({stored.tamano} bytes, sha256 {stored.sha256})"],
                "renglones": [None, len(report.lines)],
                "total_mxn": [None, audit.plain(mxn)],
                "total_usd": [None, audit.plain(usd)],
            },
        )
        if then is not None:
            then(revision, stored)
    return n
