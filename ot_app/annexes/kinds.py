"""The kinds of annex: which sheet, which columns, how a row is classified and checked. The
pipeline (pipeline.py) is the same for every kind; a kind only says what its rows mean (sábana and
programa, built on AnexoC, in sabana.py and programa.py)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from . import rules
from .layout import SYNONYMS, Layout, Requirement
from .readers import ExcelError
from .report import Line, Report, Subtotal
from .rules import ZERO, RuleError, clean_text, fold

FORMULA_WITHOUT_VALUE = "fórmula sin valor calculado: abra y guarde el archivo en Excel"
EXCEL_ERROR = "error de Excel en la celda"
_TOTAL_RE = re.compile(r"^\s*(SUB\s*-?\s*TOTAL|TOTAL|IMPORTE\s+(DE\s+LA\s+PROPUESTA|TOTAL)|SUMA)\b", re.I)
_SUBTOTAL_RE = re.compile(r"^\s*SUB\s*-?\s*TOTAL", re.I)
_HEADER_REPEAT = {fold(s) for s in SYNONYMS["concepto"]}
_VALUE_ROLES = ("cantidad", "pu_mxn", "pu_usd", "importe_mxn", "importe_usd")


def _present(value) -> bool:
    """A value that says something (a stray error cell alone does not make a row)."""
    if value is None or isinstance(value, ExcelError):
        return False
    return not (isinstance(value, str) and not value.strip())


def _shown(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, float):
        return format(value, ".15g")
    return str(value)


def is_chapter_code(code: str) -> bool:
    """`4`, `C-4`, `ANEXO C-4`: a code without a dot (a trailing dot aside) or an annex code."""
    code = code.strip()
    folded = fold(code)
    if folded.startswith("ANEXO"):
        return True
    return "." not in code.rstrip(".")


class RowReader:
    """The cells of one row by role, with the error helpers of the report."""

    def __init__(self, report: Report, layout: Layout, fila: int, row: list):
        self.report, self.layout, self.fila, self.row = report, layout, fila, row
        self.errors = 0

    def raw(self, role):
        col = self.layout.columns.get(role)
        return self.row[col] if col is not None and col < len(self.row) else None

    def text(self, role) -> str:
        value = self.raw(role)
        return "" if isinstance(value, ExcelError) else clean_text(value)

    def col(self, role) -> int | None:
        return self.layout.columns.get(role) if isinstance(role, str) else role

    def error(self, role, value, mensaje):
        self.errors += 1
        self.report.error(self.fila, self.layout.name(role), _shown(value), mensaje, col=self.col(role))

    def warning(self, role, value, mensaje):
        self.report.warning(self.fila, self.layout.name(role), _shown(value), mensaje, col=self.col(role))

    def number(self, role, parse, pending: list | None) -> Decimal:
        """A number cell through `parse`. An empty cell is 0; when a value is expected there it is
        remembered in `pending`: in the values view a formula without a cached value looks empty
        too, and only those cells are looked up in the formula view (a second parse, so a file
        Excel saved never pays for it)."""
        value = self.raw(role)
        if isinstance(value, ExcelError):
            self.error(role, value, EXCEL_ERROR)
            return ZERO
        if value is None and pending is not None and role in self.layout.columns:
            pending.append((self.fila, self.layout.columns[role], role))
        try:
            return parse(value)
        except RuleError as err:
            self.error(role, value, err.mensaje)
            return ZERO

    def quantities(self, columns: dict[int, str]) -> dict[str, Decimal]:
        """Column → period of a row's quantity cells (a sábana's days, a programa's months): the
        non-zero quantities by period, each bad cell an error of its own."""
        found: dict[str, Decimal] = {}
        for col, periodo in columns.items():
            value = self.row[col] if col < len(self.row) else None
            if isinstance(value, ExcelError):
                self.error(col, value, EXCEL_ERROR)
                continue
            try:
                qty = rules.quantity(value)
            except RuleError as err:
                self.error(col, value, err.mensaje)
                continue
            if qty:
                found[periodo] = qty
        return found


@dataclass
class _Seen:
    fila: int
    line: Line


class AnexoC:
    """The catálogo de conceptos of one OT: priced rows become lines; chapters, sub-headings and
    subtotals are read for what they say."""

    tipo = "anexo_c"
    titulo = "Anexo C"
    sheet_names = ("ANEXO C", "ANEXOC", "ANEXO C OT", "CATALOGO DE CONCEPTOS")
    requirement = Requirement(("partida", "concepto", "unidad", "cantidad", ("pu_mxn", "pu_usd")))
    prices_here = True  # the data sheet carries the P.U. (a programa's DT-6 may not: its DE sheets do)

    def __init__(self, reference=None):
        self.reference = reference
        self.catalog = None  # the contract's concept catalog (concepts/match.py), when loaded
        self.sheet = None
        self.skip_rows = False  # the layout itself is wrong: the rows would only repeat it

    def start(self, report: Report, layout: Layout) -> None:
        self.capitulo: str | None = None
        self.subencabezado: str | None = None
        self.since_subtotal: list[Line] = []
        self.seen: dict[tuple, _Seen] = {}
        self.partidas: dict[str, str] = {}  # partida → first concept key
        self.pending_empty: list[tuple[int, int, str]] = []

    # --- classes of rows ---------------------------------------------------------------------

    def row(self, report: Report, layout: Layout, fila: int, row: list) -> None:
        cells = RowReader(report, layout, fila, row)
        partida, concepto, unidad = cells.text("partida"), cells.text("concepto"), cells.text("unidad")
        values = [cells.raw(r) for r in _VALUE_ROLES]
        if not partida and not concepto and not unidad and not any(_present(v) for v in values):
            return  # blank (stray #NAME? cells elsewhere in the row are not ours)
        if partida[:4].upper() == "PART" and fold(partida) == "PARTIDA" and fold(concepto) in _HEADER_REPEAT:
            return  # the header repeated (an Excel Table's below a human one, or a page break)
        if not unidad and (_TOTAL_RE.match(partida) or _TOTAL_RE.match(concepto)):
            self.subtotal(report, cells, partida if _TOTAL_RE.match(partida) else concepto)
            return
        has_price = _present(cells.raw("pu_mxn")) or _present(cells.raw("pu_usd"))
        priced = (
            bool(unidad) or _present(cells.raw("cantidad")) or (has_price and not is_chapter_code(partida))
        )
        if priced:
            self.line(report, cells, partida, concepto, unidad)
        elif partida and is_chapter_code(partida):
            self.capitulo, self.subencabezado = (partida.rstrip(".").strip() or partida)[:60], None
            report.capitulos += 1
            # Kept with the revision: a program derived from the annex names its phases so.
            report.extra.setdefault("titulos", {}).setdefault(self.capitulo, concepto[:200])
        else:
            self.subencabezado = concepto or partida
            report.subencabezados += 1

    def line(self, report: Report, cells: RowReader, partida: str, concepto: str, unidad: str) -> None:
        pending = self.pending_empty
        if not unidad:
            cells.error("unidad", None, "unidad requerida")
        if not partida:
            cells.error("partida", None, "partida requerida")
        if not concepto:
            cells.error("concepto", None, "concepto requerido")
        for role, value, size in (
            ("partida", partida, 60),
            ("unidad", unidad, 40),
            ("anexo", cells.text("anexo"), 40),
        ):
            if len(value) > size:
                cells.error(role, value[:80], f"más de {size} caracteres")
        cantidad = cells.number("cantidad", rules.quantity, pending)
        pu_mxn = cells.number("pu_mxn", rules.unit_price, None)  # blank: priced in the other currency
        pu_usd = cells.number("pu_usd", rules.unit_price, None)
        importes = []
        checked = not cells.errors  # an importe is not checked against a quantity already refused
        for role, pu in (("importe_mxn", pu_mxn), ("importe_usd", pu_usd)):
            value = cells.raw(role)
            declared = None
            if isinstance(value, ExcelError):
                cells.error(role, value, EXCEL_ERROR)
            elif value is None:
                if pu and role in cells.layout.columns:
                    pending.append((cells.fila, cells.layout.columns[role], role))
            else:
                try:
                    declared = rules.parse_number(value)
                except RuleError as err:
                    cells.error(role, value, err.mensaje)
            try:
                importes.append(rules.check_declared_importe(cantidad, pu, declared if checked else None))
            except RuleError as err:
                cells.error(role, rules.amount_text(declared), err.mensaje)
                importes.append(rules.importe(cantidad, pu))
        if cells.errors:
            return
        if pu_mxn == 0 and pu_usd == 0 and self.prices_here:
            cells.warning("pu_mxn", "0", "precio cero")
        line = Line(
            report.hoja,
            cells.fila,
            cells.text("anexo"),
            partida,
            concepto,
            unidad,
            cantidad,
            pu_mxn,
            pu_usd,
            importes[0],
            importes[1],
            self.capitulo,
            self.subencabezado,
        )
        if self.keys(report, cells, line):
            report.lines.append(line)
            self.since_subtotal.append(line)
            if self.catalog is not None:
                self.catalog.check(cells, line)

    def keys(self, report: Report, cells: RowReader, line: Line) -> bool:
        key = rules.line_key(line.anexo, line.partida, line.concepto)
        before = self.seen.get(key)
        if before is not None:
            prev = before.line
            if (prev.pu_mxn, prev.pu_usd) != (line.pu_mxn, line.pu_usd):
                cells.error(
                    "pu_mxn", rules.number_text(line.pu_mxn), "misma partida y concepto con distinto P.U."
                )
            elif (fold(prev.unidad), prev.cantidad) == (fold(line.unidad), line.cantidad):
                cells.error("partida", line.partida, f"renglón duplicado de la fila {before.fila}")
            else:
                cells.error(
                    "cantidad",
                    rules.number_text(line.cantidad),
                    f"misma partida y concepto con distinta cantidad (fila {before.fila})",
                )
            return False
        self.seen[key] = _Seen(cells.fila, line)
        code = line.partida.strip()
        first = self.partidas.setdefault(code, key[2])
        if first != key[2]:
            cells.warning("partida", line.partida, "partida repetida con distinto concepto")
        return True

    # --- subtotal and total rows -------------------------------------------------------------

    def subtotal(self, report: Report, cells: RowReader, texto: str) -> None:
        declared = []
        for role in ("importe_mxn", "importe_usd"):
            value = cells.raw(role)
            try:
                declared.append(
                    None if value is None or isinstance(value, ExcelError) else rules.parse_number(value)
                )
            except RuleError:
                declared.append(None)
        if declared == [None, None]:
            self.since_subtotal = []
            return
        is_total = not _SUBTOTAL_RE.match(texto)
        groups = [report.lines] if is_total else [self.since_subtotal]
        if not is_total and self.capitulo:
            groups.append([x for x in report.lines if x.capitulo == self.capitulo])
        best = None
        for lines in groups:
            mxn = sum((x.importe_mxn for x in lines), ZERO)
            usd = sum((x.importe_usd for x in lines), ZERO)
            ok = rules.reconciles(declared[0], mxn) and rules.reconciles(declared[1], usd)
            if best is None or ok:
                best = (mxn, usd, ok)
            if ok:
                break
        mxn, usd, ok = best
        report.subtotales.append(Subtotal(report.hoja, cells.fila, texto, declared[0], declared[1], ok))
        if not ok:
            parts = []
            for label, computed, said in (("M.N.", mxn, declared[0]), ("USD", usd, declared[1])):
                if said is not None and not rules.reconciles(said, computed):
                    parts.append(f"{label} suma {rules.fmt(computed)}, el archivo dice {rules.fmt(said)}")
            role = "importe_mxn" if not rules.reconciles(declared[0], mxn) else "importe_usd"
            cells.warning(
                role,
                rules.amount_text(declared[0] if role == "importe_mxn" else declared[1]),
                "el subtotal no coincide con sus renglones: " + "; ".join(parts),
            )
        self.since_subtotal = []

    def finish(self, report: Report, layout: Layout, sheet, workbook) -> None:
        """Cells that looked empty: a formula there has no cached value, which is an error."""
        if not self.pending_empty:
            return
        wanted = {(fila, col) for fila, col, _ in self.pending_empty}
        formulas = sheet.formulas(wanted)
        for fila, col, role in self.pending_empty:
            if (fila, col) in formulas:
                report.error(fila, layout.name(role), None, FORMULA_WITHOUT_VALUE)
        if formulas:
            bad = {fila for fila, col in formulas}
            report.lines = [x for x in report.lines if x.fila not in bad]


from .programa import Programa  # noqa: E402  (a kind built on AnexoC)
from .sabana import Sabana  # noqa: E402  (a kind built on AnexoC)

KINDS = {"anexo_c": AnexoC, "sabana": Sabana, "programa": Programa}  # an OT's annexes


def _all_kinds() -> dict:
    from ..concepts.kind import Catalogo  # the contract's catalog: not an OT's annex

    return {**KINDS, Catalogo.tipo: Catalogo}


ALL_KINDS = _all_kinds()
