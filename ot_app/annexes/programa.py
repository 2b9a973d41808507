"""The programa de ejecución: ANEXO DT-6 (volumes per relative month, MES 1 … MES n, summing to
the line's VOLUMEN PTE) and ANEXO DE-MN / ANEXO DE-ME (importes per month per currency, each
volume × P.U.). DT-6 is the kind's data sheet; the DE sheets are read beside it in finish()."""

from __future__ import annotations

import itertools
import re
from decimal import ROUND_HALF_UP, Decimal

from . import rules
from .kinds import _HEADER_REPEAT, _TOTAL_RE, EXCEL_ERROR, AnexoC, RowReader, _present
from .layout import Layout, Requirement, find_header
from .readers import ExcelError
from .report import Report
from .rules import ZERO, RuleError, fold
from .sabana import QUANTITY_TOLERANCE, _SheetReport

_MES = re.compile(r"^MES\s*(\d{1,3})$")
DE_SHEETS = {
    # currency → (sheet names, the P.U. roles in order of preference: a bare "P.U." is pu_mxn)
    "mxn": (("ANEXO DE-MN", "DE-MN", "ANEXO DE MN"), ("pu_mxn",)),
    "usd": (("ANEXO DE-ME", "DE-ME", "ANEXO DE ME"), ("pu_usd", "pu_mxn")),
}
_PU_ATTR = {"mxn": "pu_mxn", "usd": "pu_usd"}
_CUR_LABEL = {"mxn": "M.N.", "usd": "USD"}


def month_columns(header: list) -> dict[int, str]:
    """Column → "MES n" for the header cells that name a relative month (any case, spacing)."""
    out = {}
    for col, value in enumerate(header):
        if isinstance(value, str):
            match = _MES.match(fold(value))
            if match:
                out[col] = f"MES {int(match.group(1))}"
    return out


def mes_number(periodo: str) -> int:
    return int(periodo.split()[1])


class Programa(AnexoC):
    tipo = "programa"
    titulo = "Programa de ejecución"
    sheet_names = ("ANEXO DT-6", "DT-6", "ANEXO DT6", "DT6")
    requirement = Requirement(("partida", "concepto", "unidad", "cantidad"))

    def start(self, report: Report, layout: Layout) -> None:
        super().start(report, layout)
        self.prices_here = "pu_mxn" in layout.columns or "pu_usd" in layout.columns
        self.refused: set[tuple] = set()
        self.months = month_columns(layout.header)
        for col, name in self.months.items():
            layout.names.setdefault(col, name)
        if not self.months:
            report.error(layout.fila_encabezado, None, None, "no hay columnas de meses (MES 1, MES 2, …)")
            self.skip_rows = True
        names = list(self.months.values())
        if len(set(names)) != len(names):
            report.error(layout.fila_encabezado, None, None, "meses repetidos en el encabezado")
        report.extra["hojas"] = [layout.hoja]
        report.extra["periodos"] = sorted(set(names), key=mes_number)

    def line(self, report: Report, cells: RowReader, partida, concepto, unidad) -> None:
        meses = cells.quantities(self.months)
        before = len(report.lines)
        key = rules.line_key(cells.text("anexo"), partida, concepto)
        super().line(report, cells, partida, concepto, unidad)
        if len(report.lines) == before:
            self.refused.add(key)  # its errors are in the report: its DE rows say nothing more
            return
        line = report.lines[-1]
        suma = sum(meses.values(), ZERO)
        if abs(suma - line.cantidad) > QUANTITY_TOLERANCE:
            cells.error(
                "cantidad",
                rules.number_text(line.cantidad),
                f"la suma de los meses no coincide: suma {rules.fmt_plain(suma)}, "
                f"VOLUMEN PTE dice {rules.fmt_plain(line.cantidad)}",
            )
            report.lines.pop()
            self.refused.add(key)
            self.since_subtotal = [x for x in self.since_subtotal if x is not line]
            return
        # The volumes per month, where a sábana keeps its days: stored the same way.
        line.programa = {p: meses[p] for p in sorted(meses, key=mes_number)}

    def finish(self, report: Report, layout: Layout, sheet, workbook) -> None:
        super().finish(report, layout, sheet, workbook)
        by_key = {rules.line_key(x.anexo, x.partida, x.concepto): x for x in report.lines}
        found = {}
        for moneda, (names, pu_roles) in DE_SHEETS.items():
            wanted = {fold(n) for n in names}
            sheets = [s for s in workbook.sheets if s.name and fold(s.name) in wanted]
            if sheets:
                found[moneda] = self.importes(report, sheets[0], moneda, pu_roles, by_key)
                report.extra["hojas"].append(sheets[0].name)
        for moneda, (names, _) in DE_SHEETS.items():
            if moneda in found:
                continue
            priced = [x for x in report.lines if getattr(x, _PU_ATTR[moneda])]
            if priced:  # DT-6 carries the P.U.: the months are volume × P.U.
                report.warning(
                    None,
                    None,
                    None,
                    f"no se encontró la hoja {names[0]}: los importes {_CUR_LABEL[moneda]} por mes "
                    "se calculan con volumen × P.U.",
                    hoja=None,
                )
                for line in priced:
                    self.fill(line, moneda, getattr(line, _PU_ATTR[moneda]))
        if report.lines and not found and not any(x.pu_mxn or x.pu_usd for x in report.lines):
            report.error(
                None,
                None,
                None,
                "faltan las hojas ANEXO DE-MN y ANEXO DE-ME (importes por mes) y ANEXO DT-6 no trae P.U.",
                hoja=None,
            )
        if not self.prices_here:
            for line in report.lines:
                if not line.pu_mxn and not line.pu_usd:
                    report.warning(line.fila, None, "0", "precio cero", hoja=line.hoja)
        report.extra["curva_s"] = curva_s(report)

    @staticmethod
    def fill(line, moneda: str, pu: Decimal) -> None:
        """The line's P.U. and importe in `moneda` (each month's importe is its volume × P.U.)."""
        setattr(line, _PU_ATTR[moneda], pu)
        setattr(line, f"importe_{moneda}", rules.importe(line.cantidad, pu))

    def importes(self, report: Report, sheet, moneda: str, pu_roles, by_key) -> bool:
        """One DE sheet: every priced row must be a DT-6 line (by key) and each month's importe
        its volume × P.U. (±0.01); the computed importes are kept."""
        rows_iter = sheet.rows()
        need = Requirement(("partida", "concepto", pu_roles))
        sub = _SheetReport(report, sheet.name)
        layout, pending, missing = find_header(sheet, need, rows_iter)
        if layout is None:
            report.error(
                None,
                None,
                None,
                f"hoja {sheet.name}: "
                + ("faltan columnas: " + ", ".join(missing) if missing else "no se encontró el encabezado"),
                hoja=sheet.name,
            )
            return False
        months = month_columns(layout.header)
        for col, name in months.items():
            layout.names.setdefault(col, name)
        if not months:
            sub.error(layout.fila_encabezado, None, None, "no hay columnas de meses (MES 1, MES 2, …)")
            return False
        pu_role = next(r for r in pu_roles if r in layout.columns)
        seen: set = set()
        for fila, row in itertools.chain(pending, rows_iter):
            cells = RowReader(report, layout, fila, row)
            cells.report = sub
            partida, concepto = cells.text("partida"), cells.text("concepto")
            values = {col: row[col] if col < len(row) else None for col in months}
            has_values = any(_present(v) for v in values.values())
            if not partida and not concepto and not has_values:
                continue
            if fold(partida) == "PARTIDA" and fold(concepto) in _HEADER_REPEAT:
                continue
            if _TOTAL_RE.match(partida) or _TOTAL_RE.match(concepto):
                continue  # the DT-6 totals are what the S-curve adds up
            if not _present(cells.raw(pu_role)) and not has_values:
                continue  # a chapter or a sub-heading
            key = rules.line_key(cells.text("anexo"), partida, concepto)
            line = by_key.get(key)
            if line is None and key in self.refused:
                continue
            if line is None:
                cells.error("partida", partida, "el renglón no está en ANEXO DT-6")
                continue
            if key in seen:
                cells.error("partida", partida, "renglón repetido en la hoja")
                continue
            seen.add(key)
            pu = cells.number(pu_role, rules.unit_price, None)
            if cells.errors:
                continue
            dt6_pu = getattr(line, _PU_ATTR[moneda])
            if dt6_pu and dt6_pu != pu:
                cells.error(
                    pu_role,
                    rules.number_text(pu),
                    f"P.U. distinto del de ANEXO DT-6 ({rules.fmt(dt6_pu)})",
                )
                continue
            volumes = line.programa or {}
            for col, periodo in months.items():
                value = values[col]
                if isinstance(value, ExcelError):
                    cells.error(col, value, EXCEL_ERROR)
                    continue
                try:
                    declared = rules.parse_number(value) if _present(value) else None
                except RuleError as err:
                    cells.error(col, value, err.mensaje)
                    continue
                volumen = volumes.get(periodo, ZERO)
                try:
                    rules.check_declared_importe(volumen, pu, declared)
                except RuleError as err:
                    cells.error(col, rules.amount_text(declared), err.mensaje)
            if not cells.errors:
                self.fill(line, moneda, pu)
        return True


def monthly(line, moneda: str) -> dict[str, Decimal]:
    """A line's importe per month in `moneda`: volume × P.U., the rounding remainder on its last
    month so that the months add up to the line's importe exactly."""
    pu = getattr(line, _PU_ATTR[moneda])
    total = getattr(line, f"importe_{moneda}")
    if not pu or not line.programa:
        return {}
    out = {p: rules.importe(Decimal(q), pu) for p, q in line.programa.items()}
    last = next(reversed(out))
    out[last] += total - sum(out.values(), ZERO)
    return out


def curva_s(report: Report) -> dict:
    """Per currency: each period's importe, the cumulative and its % of the total (2 decimals,
    the last 100.00). A currency with no amount has an empty curve."""
    periodos = report.extra.get("periodos") or []
    out = {}
    for moneda in ("mxn", "usd"):
        per = {p: ZERO for p in periodos}
        for line in report.lines:
            for periodo, importe in monthly(line, moneda).items():
                per[periodo] += importe
        total = sum(per.values(), ZERO)
        rows, acumulado = [], ZERO
        if total:
            for periodo in periodos:
                acumulado += per[periodo]
                pct = (acumulado * 100 / total).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
                rows.append(
                    {
                        "periodo": periodo,
                        "importe": rules.amount_text(per[periodo]),
                        "acumulado": rules.amount_text(acumulado),
                        "porcentaje_acumulado": f"{pct:.2f}",
                    }
                )
        out[moneda] = rows
    return out
