"""The upload dialog's preview: the rows that had an error or a warning, as the file has them, with
each offending cell marked and its message beside it (the report keeps those rows' raw cells)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from openpyxl.utils import get_column_letter

from .report import Report


@dataclass
class Cell:
    texto: str
    clase: str = ""  # "error", "warn" or ""
    mensajes: list[str] = field(default_factory=list)


@dataclass
class Row:
    fila: int
    celdas: list[Cell]
    mensajes: list[str]  # "COLUMNA: mensaje", the row's issues in the report's order


@dataclass
class Preview:
    columnas: list[tuple[str, str]]  # (letter, header name)
    filas: list[Row]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return (
            value.strftime("%d/%m/%Y %H:%M") if value.time() != datetime.min.time() else f"{value:%d/%m/%Y}"
        )
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float):
        return repr(value) if value != int(value) else str(int(value))
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


def build(report: Report) -> Preview | None:
    """None when no row of the main sheet had an issue (a problem with the whole file)."""
    if not report.preview:
        return None
    by_row: dict[int, list] = {}
    for cls, issues in (("error", report.errores), ("warn", report.advertencias)):
        for issue in issues:
            if issue.fila in report.preview and issue.hoja == report.hoja:
                by_row.setdefault(issue.fila, []).append((cls, issue))
    width = max(len(cells) for cells in report.preview.values())
    marked = [i.col for items in by_row.values() for _, i in items if i.col is not None]
    width = max([width, *(c + 1 for c in marked)])
    header = report.preview_header
    columnas = [(get_column_letter(c + 1), _text(header[c]) if c < len(header) else "") for c in range(width)]
    filas = []
    for fila, raw in sorted(report.preview.items()):
        cells = [Cell(_text(raw[c]) if c < len(raw) else "") for c in range(width)]
        mensajes = []
        for cls, issue in by_row.get(fila, []):
            mensajes.append(f"{issue.columna}: {issue.mensaje}" if issue.columna else issue.mensaje)
            if issue.col is not None and issue.col < width:
                cell = cells[issue.col]
                cell.mensajes.append(issue.mensaje)
                if cell.clase != "error":
                    cell.clase = cls
        filas.append(Row(fila, cells, mensajes))
    return Preview(columnas, filas)
