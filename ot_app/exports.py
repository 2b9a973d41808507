"""xlsx and CSV writers for every export: streamed (a row at a time, never the whole list in
memory), with a header row, money as numbers with 2 decimals, dates as dates, and every text cell
that a spreadsheet would take for a formula neutralised (formula injection)."""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from flask import Response, stream_with_context

# A cell starting with one of these is a formula (or becomes one) in Excel, LibreOffice and Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "dd/mm/yyyy"
CHUNK = 64 * 1024


def neutralise(text: str) -> str:
    """Text that a spreadsheet would evaluate, made inert with a leading apostrophe (shown as
    text, the stored value is untouched: this is only for files leaving the system)."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


@dataclass(frozen=True)
class Column:
    titulo: str
    tipo: str = "texto"  # texto, dinero, numero, entero, fecha
    ancho: int = 14


def _cell_value(value, tipo: str):
    if value is None:
        return None
    if tipo == "dinero":
        return Decimal(value).quantize(Decimal("0.01"))
    if tipo in ("numero", "entero"):
        return Decimal(value) if not isinstance(value, int) else value
    if tipo == "fecha":
        if isinstance(value, str):
            return date.fromisoformat(value)
        return value
    return neutralise(str(value))


def xlsx_chunks(sheet: str, columns: Sequence[Column], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """An .xlsx written row by row (openpyxl's write-only mode keeps nothing in memory) into a
    temporary file, then sent in chunks."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    ws.freeze_panes = "A2"
    for i, col in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = col.ancho
    bold = Font(bold=True)
    header = []
    for col in columns:
        cell = WriteOnlyCell(ws, value=neutralise(col.titulo))
        cell.font = bold
        header.append(cell)
    ws.append(header)
    formats = {"dinero": MONEY_FORMAT, "fecha": DATE_FORMAT, "numero": "0.######", "entero": "0"}
    for row in rows:
        out = []
        for col, value in zip(columns, row, strict=True):
            cell = WriteOnlyCell(ws, value=_cell_value(value, col.tipo))
            if col.tipo in formats:
                cell.number_format = formats[col.tipo]
            out.append(cell)
        ws.append(out)
    fd, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(fd)
    try:
        wb.save(path)
        with open(path, "rb") as fh:
            while chunk := fh.read(CHUNK):
                yield chunk
    finally:
        os.unlink(path)


def csv_chunks(columns: Sequence[Column], rows: Iterable[Sequence]) -> Iterator[bytes]:
    """CSV in UTF-8 with a BOM (so Excel reads accents right), CRLF, a chunk every few rows."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([neutralise(c.titulo) for c in columns])
    yield "\ufeff".encode() + buf.getvalue().encode()
    buf.seek(0)
    buf.truncate()
    for n, row in enumerate(rows, start=1):
        writer.writerow([_csv_text(v, c.tipo) for c, v in zip(columns, row, strict=True)])
        if n % 500 == 0:
            yield buf.getvalue().encode()
            buf.seek(0)
            buf.truncate()
    yield buf.getvalue().encode()


def _csv_text(value, tipo: str) -> str:
    value = _cell_value(value, tipo)
    if value is None:
        return ""
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value)


def download(
    nombre: str, formato: str, sheet: str, columns: Sequence[Column], rows: Iterable[Sequence]
) -> Response:
    """The export as a streamed attachment (.xlsx or .csv)."""
    if formato == "csv":
        body, mimetype = csv_chunks(columns, rows), "text/csv; charset=utf-8"
    else:
        body = xlsx_chunks(sheet, columns, rows)
        mimetype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    response = Response(stream_with_context(body), mimetype=mimetype)
    response.headers.set("Content-Disposition", "attachment", filename=f"{nombre}.{formato}")
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
