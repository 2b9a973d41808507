"""Annex uploads read in the background, so a large file shows its progress and no request waits
for it: the page's POST hands the bytes to a worker thread in the same process and answers at
once; the upload dialog then polls the job's row (anexo_trabajo) for the rows read and, when done,
the report. Gunicorn's workers share nothing but the database, so everything a poll needs is in
the row, whichever worker answers it. The bytes stay in the process's memory, never on disk nor
in the row: a job never resumes elsewhere (a recycled worker's job is reported as interrupted,
and the file is uploaded again), and a dry run stores nothing but the row.

The JSON API and `flask importar-anexo` stay synchronous (the contract of shared/annexes.md);
every path runs the same service, commands.import_upload."""

from __future__ import annotations

import html
import io
import logging
import re
import secrets
import threading
import zipfile
from dataclasses import asdict, dataclass
from datetime import timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from ..extensions import db
from ..models import AnexoTrabajo, EstadoTrabajo, Usuario, utcnow
from ..service_errors import NotFound, ServiceError
from ..transactions import write_transaction
from . import commands, preview
from .report import Report

log = logging.getLogger("ot_app.annexes")

# Below this size a file is read inside the request, with no job row and no polling: a 16 KB
# xlsx is about 350 lines, 0.1 s on this 2-core machine idle and under 1 s with a load average of
# 7 (measured: 1,000 lines, 35 KB, took 2 s in the request at that load, hence not more).
SYNC_BELOW = 16 * 1024
# The POST waits this long for its job: a file done by then answers its report directly.
INLINE_WAIT = 0.5
REPORT_EVERY = 0.5  # seconds between two writes of the row count; each one is also a heartbeat
STALE_AFTER = timedelta(seconds=30)  # no heartbeat for this long: the worker is gone
KEEP = timedelta(hours=1)  # a job nobody came back for is swept when the next one starts
RUNNING = (EstadoTrabajo.PENDIENTE.value, EstadoTrabajo.LEYENDO.value)
# Jobs one worker process reads at once (config ANEXO_TRABAJOS_MAX): each holds its file and a
# large one's lines in memory (about 250 MB for 100,000 lines), so more are refused, not queued.
MAX_JOBS = 2
BUSY = (
    "El servidor ya está leyendo otros archivos grandes; no se guardó nada. "
    "Vuelva a subir el archivo en un momento."
)
_running = 0
_running_lock = threading.Lock()

INTERRUPTED = (
    "La lectura del archivo se interrumpió (el servidor se reinició o dejó de responder); "
    "no se guardó nada. Vuelva a subir el archivo."
)
FAILED = "No se pudo procesar el archivo por un error interno; no se guardó nada. Inténtelo de nuevo."


@dataclass
class Progreso:
    """What the upload dialog shows for a job: still running (rows read of `total`, when the
    file says), or done with the page's `resultado` (see result_of), or failed with `mensaje`."""

    token: str | None
    estado: str
    archivo: str = ""
    filas: int = 0
    total: int | None = None
    resultado: dict | None = None
    mensaje: str | None = None

    @property
    def running(self) -> bool:
        return self.estado in RUNNING


def result_of(report: Report) -> dict:
    """What templates/annexes/_reporte.html renders of a report, as JSON (the job row keeps it
    for a poll that may reach another worker; the synchronous path renders the same dict)."""
    vista = preview.build(report)
    return {
        "status": 200 if report.ok else 422,
        "r": report.to_json(),
        "report": {"ok": report.ok, "confirmado": report.confirmado, "detalles": report.detalles},
        "vista": asdict(vista) if vista else None,
    }


def submit(ot_id: int, tipo: str, storage, confirmar: bool, actor) -> Progreso:
    """The upload dialog's import: refused or small files answer their report at once; a larger
    one starts a job, waited for INLINE_WAIT, then left to the poll (`running`)."""
    received = commands.receive(ot_id, tipo, storage, confirmar)
    if isinstance(received, Report):
        return Progreso(None, EstadoTrabajo.LISTO.value, resultado=result_of(received))
    if len(received.data) < SYNC_BELOW:
        report = commands.import_upload(ot_id, tipo, received, confirmar, actor)
        return Progreso(None, EstadoTrabajo.LISTO.value, received.nombre, resultado=result_of(report))
    token, done = start(ot_id, tipo, received, confirmar, actor)
    done.wait(INLINE_WAIT)
    return poll(ot_id, token, actor)


def start(ot_id: int, tipo: str, upload, confirmar: bool, actor) -> tuple[str, threading.Event]:
    """The job's row (after sweeping the forgotten ones) and its worker thread; returns the token
    and an event set when the worker is done."""
    _claim(current_app.config.get("ANEXO_TRABAJOS_MAX", MAX_JOBS))
    try:
        return _start(ot_id, tipo, upload, confirmar, actor)
    except BaseException:
        _release()
        raise


def _claim(limit: int) -> None:
    global _running
    with _running_lock:
        if _running >= limit:
            raise ServiceError(BUSY, status=503)
        _running += 1


def _release() -> None:
    global _running
    with _running_lock:
        _running -= 1


def _start(ot_id: int, tipo: str, upload, confirmar: bool, actor) -> tuple[str, threading.Event]:
    token = secrets.token_urlsafe(32)
    counts = row_counts(upload.data)
    with write_transaction() as session:
        session.execute(delete(AnexoTrabajo).where(AnexoTrabajo.created_at < utcnow() - KEEP))
        session.add(
            AnexoTrabajo(
                token=token,
                id_ot=ot_id,
                tipo=tipo,
                confirmar=confirmar,
                id_usuario=actor.id,
                archivo=upload.nombre,
                # One sheet (or a CSV): its rows are the bar's maximum from the first answer, not
                # only once a heartbeat knows which sheet is read (a fast file may end before).
                total=next(iter(counts.values())) if len(counts) == 1 else None,
            )
        )
    done = threading.Event()
    app = current_app._get_current_object()
    worker = threading.Thread(
        target=_work,
        args=(app, token, ot_id, tipo, upload, confirmar, actor.id, counts, done),
        name=f"anexo-{token[:8]}",
        daemon=True,
    )
    worker.start()
    return token, done


def poll(ot_id: int, token: str, actor) -> Progreso:
    """The job as its user sees it: NotFound for anyone else's token, an unknown one, or one
    already read. A finished (or interrupted) job is removed as it is read: its report is shown
    once."""
    row = db.session.scalar(
        select(AnexoTrabajo).where(
            AnexoTrabajo.token == token,
            AnexoTrabajo.id_ot == ot_id,
            AnexoTrabajo.id_usuario == getattr(actor, "id", None),
        )
    )
    if row is None:
        raise NotFound("No existe ese trabajo de importación, o su resultado ya se mostró.")
    estado, resultado, mensaje = row.estado, row.resultado, None
    if estado in RUNNING:
        if utcnow() - row.updated_at <= STALE_AFTER:
            return Progreso(token, estado, row.archivo, row.filas, row.total)
        estado, mensaje = EstadoTrabajo.INTERRUMPIDO.value, INTERRUPTED
    elif estado == EstadoTrabajo.ERROR.value:
        mensaje = (resultado or {}).get("mensaje") or FAILED
        resultado = None
    found = Progreso(token, estado, row.archivo, row.filas, row.total, resultado, mensaje)
    with write_transaction() as session:
        session.execute(delete(AnexoTrabajo).where(AnexoTrabajo.id == row.id))
    return found


# --------------------------------------------------------------------------- the worker


def _work(app, token, ot_id, tipo, upload, confirmar, user_id, counts, done: threading.Event) -> None:
    """The worker thread: its own app context and session; the same service as every path."""
    seen = {"filas": 0, "hoja": None}
    stop = threading.Event()
    beat = threading.Thread(target=_heartbeat, args=(app, token, seen, counts, stop), daemon=True)

    def progress(fila, hoja):  # called by the row loop: only remember, the heartbeat writes
        seen.update(filas=fila, hoja=hoja)

    try:
        with app.app_context():
            beat.start()
            try:
                actor = db.session.get(Usuario, user_id)
                report = commands.import_upload(ot_id, tipo, upload, confirmar, actor, progress=progress)
                estado, resultado, filas = EstadoTrabajo.LISTO, result_of(report), seen["filas"]
            except ServiceError as err:  # e.g. the OT was deleted while its file was read
                db.session.rollback()
                estado, resultado, filas = EstadoTrabajo.ERROR, {"mensaje": err.detalles}, seen["filas"]
            except Exception:
                log.exception("importación de anexo en segundo plano: %s", upload.nombre)
                db.session.rollback()
                estado, resultado, filas = EstadoTrabajo.ERROR, {"mensaje": FAILED}, seen["filas"]
            finally:
                stop.set()
                beat.join()
            with write_transaction() as session:
                session.execute(
                    update(AnexoTrabajo)
                    .where(AnexoTrabajo.token == token)
                    .values(estado=estado.value, resultado=resultado, filas=filas, updated_at=utcnow())
                )
    except Exception:  # the database itself failed: the poll will call the job interrupted
        log.exception("no se pudo guardar el resultado del trabajo %s", token[:8])
    finally:
        _release()
        done.set()


def _heartbeat(app, token, seen: dict, totals: dict, stop: threading.Event) -> None:
    """Every REPORT_EVERY seconds, the rows read so far and a fresh updated_at, in a connection
    of its own (never the import's transaction): a poll tells a slow file from a dead worker."""
    with app.app_context():
        while not stop.wait(REPORT_EVERY):
            values = {"estado": EstadoTrabajo.LEYENDO.value, "filas": seen["filas"], "updated_at": utcnow()}
            total = totals.get(seen["hoja"])
            if total:
                values["total"] = total
            try:
                with db.engine.begin() as connection:
                    connection.execute(
                        update(AnexoTrabajo)
                        .where(AnexoTrabajo.token == token, AnexoTrabajo.estado.in_(RUNNING))
                        .values(**values)
                    )
            except Exception:  # a busy database skips one beat; the next one tries again
                log.warning("sin latido del trabajo %s", token[:8], exc_info=True)


# --------------------------------------------------------------------------- how many rows


_SHEET = re.compile(rb'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"[^>]*?\br:id="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?\bId="([^"]*)"[^>]*?\bTarget="([^"]*)"')
_REL_REVERSED = re.compile(rb'<Relationship\b[^>]*?\bTarget="([^"]*)"[^>]*?\bId="([^"]*)"')
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\b[^>]*\bref="[A-Z]+\d+(?::[A-Z]+(\d+))?"')


def row_counts(data: bytes) -> dict:
    """The rows each sheet says it has, for the progress bar: {sheet name: rows} from each xlsx
    sheet's <dimension> (read from the first 4 KB of its part, never the whole part); a CSV's
    line count under None. Empty when the file does not say (BIFF .xls, a sheet without one)."""
    if data.startswith(b"\xd0\xcf\x11\xe0"):  # BIFF: xlrd reads it whole, there is no cheap count
        return {}
    if not data.startswith(b"PK"):
        return {None: data.count(b"\n") + (not data.endswith(b"\n"))}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            workbook = archive.read("xl/workbook.xml")
            rels = archive.read("xl/_rels/workbook.xml.rels")
            targets = dict(_REL.findall(rels)) or {i: t for t, i in _REL_REVERSED.findall(rels)}
            counts = {}
            for name, rid in _SHEET.findall(workbook):
                target = targets.get(rid, b"").decode()
                part = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
                if part not in archive.namelist():
                    continue
                with archive.open(part) as fh:
                    match = _DIMENSION.search(fh.read(4096))
                if match:
                    counts[html.unescape(name.decode())] = int(match.group(1) or 1)
            return counts
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return {}
