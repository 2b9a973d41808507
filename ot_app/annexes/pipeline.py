"""detect → read → find layout → classify → apply rules → report: the dry run of every kind. Pure:
bytes in, a Report out; nothing is stored here (commands.py confirms)."""

from __future__ import annotations

import hashlib
import itertools
import logging

from .detect import TOO_LARGE, Limits, detect
from .kinds import ALL_KINDS
from .layout import choose_sheet
from .readers import open_workbook
from .report import Report
from .rules import RuleError

log = logging.getLogger("ot_app.annexes")
# The preview of the rows with errors: bounded, whatever the file (a row a person reads, not a dump).
PREVIEW_ROWS = 50
PREVIEW_COLUMNS = 60
PROGRESS_EVERY = 1000  # rows between two calls of analyze()'s `progress` (a job's row count)


def analyze(
    nombre: str,
    data: bytes,
    tipo: str,
    limits: Limits | None = None,
    reference=None,
    catalog=None,
    progress=None,
) -> Report:
    """`progress(fila, hoja)`, when given, is called every PROGRESS_EVERY rows of the data sheet
    (annexes/jobs.py shows the count while a large file is read).
    `reference`: what the kind checks against outside the file (the sábana: the quantities of
    the OT's current Anexo C by key), given by commands.py; None when there is nothing.
    `catalog`: the contract's concept catalog the lines are matched against (None: not loaded)."""
    limits = limits or Limits()
    kind = ALL_KINDS[tipo](reference)
    kind.catalog = catalog
    report = Report(tipo, nombre, hashlib.sha256(data).hexdigest())
    try:
        report.formato = detect(data, limits)
    except RuleError as err:
        report.error(None, None, None, err.mensaje, hoja=None)
        return report
    try:
        workbook = open_workbook(data, report.formato)
    except Exception:  # a damaged file is the user's problem to fix, never a 500
        log.info("anexo ilegible: %s", nombre, exc_info=True)
        report.error(
            None, None, None, "el archivo está dañado o no se puede leer como hoja de cálculo", hoja=None
        )
        return report
    try:
        _read(report, kind, workbook, limits, progress)
    except RuleError as err:
        report.error(None, None, None, err.mensaje, hoja=None)
    except Exception:
        log.info("anexo ilegible: %s", nombre, exc_info=True)
        report.error(
            None, None, None, "el archivo está dañado o no se puede leer como hoja de cálculo", hoja=None
        )
    finally:
        if workbook.close:
            workbook.close()
    return report


def _read(report: Report, kind, workbook, limits: Limits, progress=None) -> None:
    if hasattr(kind, "read_workbook"):  # a kind of many sheets (the contract's catalog)
        kind.read_workbook(report, workbook, limits)
        return
    sheet, layout, pending, rest = choose_sheet(workbook, kind.sheet_names, kind.requirement)
    report.hoja, report.fila_encabezado = layout.hoja, layout.fila_encabezado
    kind.sheet = sheet
    kind.start(report, layout)
    report.preview_header = [layout.names.get(c) or v for c, v in enumerate(layout.header)]
    issues = 0
    for fila, row in itertools.chain(pending, rest):
        if kind.skip_rows:
            break
        if fila > limits.max_rows:
            report.error(None, None, None, f"{TOO_LARGE} (más de {limits.max_rows:,} renglones)", hoja=None)
            report.lines = []
            return
        kind.row(report, layout, fila, row)
        if progress is not None and fila % PROGRESS_EVERY == 0:
            progress(fila, report.hoja)
        if report.issue_count != issues:
            # This row got an error or a warning: keep its cells (a few rows only) for the preview.
            issues = report.issue_count
            if len(report.preview) < PREVIEW_ROWS:
                report.preview[fila] = list(row[:PREVIEW_COLUMNS])
    kind.finish(report, layout, sheet, workbook)
    if not report.lines and report.ok:
        report.error(None, None, None, "sin renglones")
