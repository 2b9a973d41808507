"""The sábana de recursos: partidas × calendar days of planned quantities, with a TOTALES column,
an optional OK column flagging this OT's rows, and a PUE price-list sheet validated beside it."""

from __future__ import annotations

import itertools
import re
from datetime import date, datetime
from decimal import Decimal

from . import rules
from .kinds import FORMULA_WITHOUT_VALUE, AnexoC, RowReader, _present
from .layout import Layout, Requirement, find_header
from .report import Line, Report
from .rules import ZERO, RuleError, fold, number_text

QUANTITY_TOLERANCE = Decimal("0.000001")
_TEXT_DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
_FLAGGED = {"OK", "SI", "X", "1", "TRUE", "VERDADERO"}


def to_date(value) -> date:
    """A real date: a date cell (the workbook's 1900/1904 system already applied by the reader)
    or a dd/mm/yyyy text; anything else (13/112023, 15/04/204) is "fecha inválida"."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = _TEXT_DATE.match(value)
        if match:
            day, month, year = (int(g) for g in match.groups())
            try:
                return date(year, month, day)
            except ValueError:
                pass
    raise RuleError("fecha inválida")


class Sabana(AnexoC):
    tipo = "sabana"
    titulo = "Sábana de recursos"
    sheet_names = ("SABANA DE RECURSOS", "SABANA", "SÁBANA")
    requirement = Requirement(("partida", "concepto", "unidad", "totales"))
    pue_requirement = Requirement(("partida", "concepto", "unidad", ("pu_mxn", "pu_usd")))

    def start(self, report: Report, layout: Layout) -> None:
        super().start(report, layout)
        self.days: dict[int, str] = {}  # column → ISO date
        empty_headers = []
        for col, value in enumerate(layout.header):
            if col in layout.columns.values():
                continue
            if isinstance(value, (date, datetime)) or (isinstance(value, str) and "/" in value):
                try:
                    self.days[col] = to_date(value).isoformat()
                except RuleError as err:
                    report.error(layout.fila_encabezado, str(value), str(value), err.mensaje)
                    continue
                layout.names[col] = self.days[col]
            elif value is None:
                empty_headers.append(col)
        if not self.days and report.ok:
            report.error(
                layout.fila_encabezado, None, None, "no hay columnas de días (encabezados con fecha)"
            )
            self.skip_rows = True
        if self.days:
            first, last = min(self.days), layout.columns.get("totales", len(layout.header))
            # A day header left empty after the first date: a formula (=L2+1) without its value.
            gaps = {(layout.fila_encabezado, c) for c in empty_headers if first < c < last}
            for _, col in sorted(self.sheet.formulas(gaps) if gaps and self.sheet else ()):
                mensaje = f"{FORMULA_WITHOUT_VALUE} (encabezado de día, columna {col + 1})"
                report.error(layout.fila_encabezado, None, None, mensaje)
                self.skip_rows = True
        ordered = sorted(self.days.values())
        if len(set(ordered)) != len(ordered):
            report.error(layout.fila_encabezado, None, None, "fechas repetidas en el encabezado")
        report.extra["dias"] = ordered
        self.flagged_only = "ok" in layout.columns

    def row(self, report: Report, layout: Layout, fila: int, row: list) -> None:
        cells = RowReader(report, layout, fila, row)
        partida, concepto, unidad = cells.text("partida"), cells.text("concepto"), cells.text("unidad")
        day_values = {col: row[col] if col < len(row) else None for col in self.days}
        has_days = any(_present(v) for v in day_values.values())
        if (
            not partida
            and not concepto
            and not unidad
            and not has_days
            and not _present(cells.raw("totales"))
        ):
            return
        if self.flagged_only and fold(cells.text("ok")) not in _FLAGGED:
            return  # another OT's row
        if not unidad and not has_days:
            if partida and not concepto:
                return
            self.subencabezado = concepto or partida
            report.subencabezados += 1
            return
        self.sabana_line(report, cells, partida, concepto, unidad, day_values)

    def sabana_line(self, report, cells: RowReader, partida, concepto, unidad, day_values) -> None:
        if not unidad:
            cells.error("unidad", None, "unidad requerida")
        if not partida:
            cells.error("partida", None, "partida requerida")
        programa = cells.quantities({col: self.days[col] for col in day_values})
        totales = cells.number("totales", rules.quantity, self.pending_empty)
        pu_mxn = cells.number("pu_mxn", rules.unit_price, None)
        pu_usd = cells.number("pu_usd", rules.unit_price, None)
        if cells.errors:
            return
        suma = sum(programa.values(), ZERO)
        if abs(suma - totales) > QUANTITY_TOLERANCE:
            cells.error(
                "totales",
                rules.number_text(totales),
                f"la suma de los días no coincide con TOTALES: suma {rules.fmt_plain(suma)}, "
                f"TOTALES dice {rules.fmt_plain(totales)}",
            )
            return
        limit = self._volume(cells, partida, concepto, unidad)
        if limit is not None and suma > limit:
            cells.warning(
                "totales",
                rules.number_text(suma),
                f"excede el volumen: se planean {rules.fmt_plain(suma)}, el anexo tiene {rules.fmt_plain(limit)}",
            )
        line = Line(
            report.hoja,
            cells.fila,
            cells.text("anexo"),
            partida,
            concepto,
            unidad,
            suma,
            pu_mxn,
            pu_usd,
            rules.importe(suma, pu_mxn),
            rules.importe(suma, pu_usd),
            self.capitulo,
            self.subencabezado,
            programa={day: programa[day] for day in sorted(programa)},
        )
        if self.keys(report, cells, line):
            report.lines.append(line)
            if self.catalog is not None:
                self.catalog.check(cells, line)

    def _volume(self, cells: RowReader, partida, concepto, unidad) -> Decimal | None:
        """The line's annex quantity: the sábana's own CANTIDAD column, else the OT's current
        Anexo C (by key, then by partida + unit); None when neither says."""
        if "cantidad" in cells.layout.columns and _present(cells.raw("cantidad")):
            try:
                return rules.quantity(cells.raw("cantidad"))
            except RuleError as err:
                cells.error("cantidad", cells.raw("cantidad"), err.mensaje)
                return None
        if not self.reference:
            return None
        key = rules.line_key(cells.text("anexo"), partida, concepto)
        found = self.reference["by_key"].get(key)
        if found is None:
            found = self.reference["by_partida_unit"].get((partida.strip(), fold(unidad)))
        return None if found is None else Decimal(found)

    def finish(self, report: Report, layout: Layout, sheet, workbook) -> None:
        super().finish(report, layout, sheet, workbook)
        self.pue(report, workbook)
        # Totals per day over every line, kept with the revision: the grid's footer, without
        # reading 4,757 lines' programs on every page of it.
        per_day: dict[str, Decimal] = {}
        for line in report.lines:
            for day, quantity in (line.programa or {}).items():
                per_day[day] = per_day.get(day, ZERO) + quantity
        report.extra["totales_dia"] = {day: number_text(q) for day, q in sorted(per_day.items())}

    def pue(self, report: Report, workbook) -> None:
        """The PUE price list (extraordinary prices): every row validated, dates in FECHA SANCION."""
        sheets = [s for s in workbook.sheets if s.name and fold(s.name).startswith("PUE")]
        if not sheets:
            return
        sheet = sheets[0]
        rows_iter = sheet.rows()
        layout, pending, missing = find_header(sheet, self.pue_requirement, rows_iter)
        if layout is None:
            report.error(
                None,
                None,
                None,
                "hoja de PUE: "
                + ("faltan columnas: " + ", ".join(missing) if missing else "no se encontró el encabezado"),
                hoja=sheet.name,
            )
            return
        rows = 0
        for fila, row in itertools.chain(pending, rows_iter):
            cells = RowReader(report, layout, fila, row)
            cells.report = _SheetReport(report, sheet.name)
            partida = cells.text("partida")
            if not partida and not cells.text("concepto"):
                continue
            rows += 1
            if not cells.text("unidad"):
                cells.error("unidad", None, "unidad requerida")
            cells.number("pu_mxn", rules.unit_price, None)
            cells.number("pu_usd", rules.unit_price, None)
            fecha = cells.raw("fecha_sancion")
            if _present(fecha):
                try:
                    to_date(fecha)
                except RuleError as err:
                    cells.error("fecha_sancion", fecha, err.mensaje)
        report.extra["pue"] = {"hoja": sheet.name, "renglones": rows}


class _SheetReport:
    """The report, naming another sheet in its errors and warnings."""

    def __init__(self, report: Report, hoja: str):
        self.report, self.hoja = report, hoja

    def error(self, fila, columna, valor, mensaje, col=None):
        self.report.error(fila, columna, valor, mensaje, hoja=self.hoja, col=col)

    def warning(self, fila, columna, valor, mensaje, col=None):
        self.report.warning(fila, columna, valor, mensaje, hoja=self.hoja, col=col)
