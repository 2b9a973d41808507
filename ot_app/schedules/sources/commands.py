"""The use cases of program sources: import an MS Project file, derive a program from the OT's
sábana or Anexo C, and the program that confirming a `programa` workbook stores beside its annex
revision. A dry run reads and reports; confirming stores through schedules.commands.save_program
(one revision, its audit row). Shared by the pages and the JSON API; never sees `request`."""

from __future__ import annotations

from sqlalchemy import select

from ... import files
from ...annexes.commands import MAX_BODY as MAX_ANNEX_BODY
from ...annexes.commands import get_ot, key_hash, limits
from ...annexes.report import Report
from ...extensions import db
from ...models import OTE, AnexoRenglon, AnexoRevision, TipoAnexo
from ...orders.commands import ensure_editable
from ...service_errors import ServiceError, ValidationFailed
from . import annex, read_project
from .forms import FUENTES
from .report import ProgramReport

AREA = "programas"
MAX_BODY = MAX_ANNEX_BODY
NO_START = "la OT no tiene fecha de inicio programada: MES 1 no se puede ubicar en el calendario"


def _save(ot_id: int, plan, actor, report, **kwargs):
    """save_program, its refusals as the report's errors (a stale or invalid program is told
    in the report like any other error); its warnings added to the report's."""
    from ..commands import save_program

    try:
        guardado = save_program(ot_id, plan, actor, **kwargs)
    except ValidationFailed as err:
        for campo, mensaje in (err.errores or {"programa": err.detalles}).items():
            report.error(None, campo, None, mensaje)
        raise
    for aviso in guardado.advertencias:
        report.warning(None, None, None, aviso)
    return guardado.revision


def check(ot: OTE, plan, report) -> None:
    """The dry run says what saving would: save_program's own checks (commands.prepare: every
    row, the weights, the links) and its warnings, the version's window among them. Nothing is
    stored; a confirmation runs them again inside save_program."""
    from .. import commands as program

    try:
        rows, _, warnings = program.prepare(plan)
    except ValidationFailed as err:
        for campo, mensaje in (err.errores or {"programa": err.detalles}).items():
            report.error(None, campo, None, mensaje, hoja=None)
        return
    for aviso in warnings + program._window_warnings(ot, rows):
        report.warning(None, None, None, aviso, hoja=None)


def import_program(ot_id: int, storage, confirmar: bool, actor) -> ProgramReport:
    """An MS Project file (MSPDI, .mpp, MPX, by content): the report; with `confirmar` and no
    error, the program stored as the OT's next program revision with the file kept."""
    ot = get_ot(ot_id)
    if confirmar:
        ensure_editable(ot)
    try:
        upload = files.read_upload(storage, max_bytes=limits().max_bytes)
    except files.UploadRefused as err:
        report = ProgramReport("archivo", getattr(storage, "filename", None) or "")
        report.error(None, None, None, err.detalles)
        return report
    plan, report = read_project(upload.nombre, upload.data, limits())
    if not confirmar and report.ok:
        check(ot, plan, report)
    if confirmar and report.ok:
        stored = files.store_upload(upload, area=AREA)
        try:
            revision = _save(
                ot_id,
                plan,
                actor,
                report,
                archivo=stored,
                formato=report.formato or "",
                comentario=f"Importado de {upload.nombre}",
            )
        except ValidationFailed:
            return report
        report.revision, report.confirmado = revision.n, True
    return report


def _latest(ot_id: int, tipo: TipoAnexo) -> AnexoRevision | None:
    return db.session.scalars(
        select(AnexoRevision)
        .where(AnexoRevision.id_ot == ot_id, AnexoRevision.tipo == tipo.value)
        .order_by(AnexoRevision.n.desc())
        .limit(1)
    ).first()


def derive_program(ot_id: int, fuente: str, confirmar: bool, actor) -> ProgramReport:
    """A program from the OT's current sábana (its days × P.U.) or Anexo C (one activity per
    chapter over the version's dates): the report; with `confirmar`, stored as the next revision
    with `id_anexo_revision` naming the annex revision it came from."""
    if fuente not in FUENTES:
        raise ValidationFailed.from_errors({"fuente": "fuente no válida: use anexo_c o sabana"})
    ot = get_ot(ot_id)
    if confirmar:
        ensure_editable(ot)
    tipo = TipoAnexo(fuente)
    report = ProgramReport(fuente)
    revision = _latest(ot_id, tipo)
    if revision is None:
        titulo = "Anexo C" if tipo == TipoAnexo.ANEXO_C else "sábana"
        report.error(None, None, None, f"la OT no tiene {titulo}: impórtelo primero en la pestaña Anexos")
        return report
    report.id_anexo_revision = revision.id
    report.archivo, report.sha256, report.formato = (
        revision.archivo_nombre,
        revision.archivo_sha256,
        revision.formato,
    )
    lines = db.session.scalars(
        select(AnexoRenglon).where(AnexoRenglon.id_revision == revision.id).order_by(AnexoRenglon.orden)
    ).all()
    titulos = (revision.extra or {}).get("titulos") or {}
    clave = _clave
    if tipo == TipoAnexo.SABANA:
        lines, titulos = _chapters_from_anexo_c(ot_id, lines, titulos)
        plan = annex.from_sabana(lines, titulos, clave)
        sin_dias = [x for x in lines if not x.programa]
        for x in sin_dias[:20]:
            report.warning(x.fila, None, x.partida, "renglón sin días planeados")
    else:
        if ot.fecha_inicio_programado is None or ot.fecha_termino_programado is None:
            report.error(
                None, None, None, "la OT no tiene fechas programadas: no hay sobre qué repartir el anexo"
            )
            return report
        plan = annex.from_anexo_c(
            lines, titulos, ot.fecha_inicio_programado, ot.fecha_termino_programado, clave
        )
    report.plan = plan
    if not confirmar and report.ok:
        check(ot, plan, report)
    if confirmar and report.ok:
        try:
            saved = _save(
                ot_id,
                plan,
                actor,
                report,
                id_anexo_revision=revision.id,
                comentario=f"Derivado de {'la sábana' if tipo == TipoAnexo.SABANA else 'el Anexo C'} revisión {revision.n}",
            )
        except ValidationFailed:
            return report
        report.revision, report.confirmado = saved.n, True
    return report


def _chapters_from_anexo_c(ot_id: int, lines, titulos: dict):
    """A sábana has no chapter rows: its lines take the chapter of the same line (by key) in the
    OT's current Anexo C, so that the program's phases are the chapters there too."""
    anexo_c = _latest(ot_id, TipoAnexo.ANEXO_C)
    if anexo_c is None or all(x.capitulo for x in lines):
        return lines, titulos
    chapter_of = dict(
        db.session.execute(
            select(AnexoRenglon.clave, AnexoRenglon.capitulo).where(AnexoRenglon.id_revision == anexo_c.id)
        ).all()
    )
    for line in lines:
        if not line.capitulo and chapter_of.get(line.clave):
            db.session.expunge(line)  # read-only here: the stored sábana line is not changed
            line.capitulo = chapter_of[line.clave]
    return lines, {**((anexo_c.extra or {}).get("titulos") or {}), **titulos}


def _clave(line) -> str:
    """A line's key: a stored line carries it; a report's line is hashed the way it will be."""
    return getattr(line, "clave", None) or key_hash(line)


class _ProgramaConfirm:
    """What confirming a `programa` workbook runs inside the annex revision's transaction: the
    program derived from the report, stored with `id_anexo_revision` (both or neither)."""

    def __init__(self, ot_id: int, plan, actor):
        self.ot_id, self.plan, self.actor = ot_id, plan, actor
        self.revision: int | None = None

    def __call__(self, revision: AnexoRevision, stored) -> None:
        from ..commands import save_program

        guardado = save_program(
            self.ot_id,
            self.plan,
            self.actor,
            archivo=stored,
            formato=revision.formato,
            id_anexo_revision=revision.id,
            comentario=f"Programa de ejecución del anexo, revisión {revision.n}",
        )
        self.revision = guardado.revision.n


def from_programa_report(ot_id: int, report: Report, actor) -> _ProgramaConfirm | None:
    """The Plan of a `programa` workbook's report (its months placed from the version's
    programmed start); an error in the report when the OT has no start to place them from."""
    ot = db.session.get(OTE, ot_id)
    if ot is None:
        return None
    if ot.fecha_inicio_programado is None:
        report.error(None, None, None, NO_START, hoja=None)
        return None
    plan = annex.from_programa(
        report.lines,
        report.extra.get("titulos") or {},
        ot.fecha_inicio_programado,
        ot.fecha_termino_programado,
        _clave,
    )
    plan.extra = {"periodos": report.extra.get("periodos"), "hojas": report.extra.get("hojas")}
    if report.ok and plan.actividades:
        check(ot, plan, report)  # a confirmation's warnings are the same: said once, here
    return _ProgramaConfirm(ot_id, plan, actor)


__all__ = ["import_program", "derive_program", "from_programa_report", "ServiceError"]
