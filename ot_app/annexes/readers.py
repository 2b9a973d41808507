"""One reader interface over xlsx/xlsm (xlsx.py), xlrd (BIFF .xls) and csv: a workbook is a list
of sheets, a sheet yields (row number, values). Macros never run and formulas are never evaluated:
the cached value is what the file says.

Why these: xlsx.py streams a sheet's XML with expat in bounded memory, with openpyxl's value rules,
and notes formulas without a cached value in the same pass (openpyxl's read-only reader took 79 %
of a dry run; python-calamine is faster but shows no formulas, reads error cells as empty and
materialises a whole sheet); xlrd is the maintained BIFF reader."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

EXCEL_ERRORS = frozenset(
    {"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#GETTING_DATA", "#SPILL!", "#CALC!"}
)


class ExcelError(str):
    """An error cell (#REF!, #NAME?...): its value is the error's text."""


@dataclass
class Sheet:
    name: str | None  # None for CSV
    visible: bool
    _rows: object  # a callable giving the iterator
    _formulas: object = None

    def rows(self) -> Iterator[tuple[int, list]]:
        return self._rows()

    def formulas(self, wanted: set[tuple[int, int]]) -> set[tuple[int, int]]:
        """Which of the (row, column) cells, empty in the values view, hold a formula: a formula
        without a cached value, as a library writes it and Excel never opened."""
        if not wanted or self._formulas is None:
            return set()
        return self._formulas(wanted)


@dataclass
class Workbook:
    formato: str
    sheets: list[Sheet]
    close: object = None


def open_workbook(data: bytes, formato: str) -> Workbook:
    if formato in ("xlsx", "xlsm"):
        return _open_xlsx(data, formato)
    if formato == "xls":
        return _open_xlrd(data)
    return _open_csv(data)


# --- openpyxl ----------------------------------------------------------------------------------


def _error_or_value(value):
    if isinstance(value, str) and value in EXCEL_ERRORS:
        return ExcelError(value)
    return value


def _open_xlsx(data: bytes, formato: str) -> Workbook:
    from .xlsx import XlsxBook

    book = XlsxBook(data, _error_or_value)
    sheets = [
        Sheet(name, state == "visible", reader.rows, reader.formulas) for name, state, reader in book.sheets
    ]
    return Workbook(formato, sheets, book.close)


# --- xlrd ------------------------------------------------------------------------------------


def _open_xlrd(data: bytes) -> Workbook:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, on_demand=True)

    def make_sheet(index):
        sheet = book.sheet_by_index(index)

        def rows():
            for r in range(sheet.nrows):
                out = []
                for c in range(sheet.ncols):
                    ctype, value = sheet.cell_type(r, c), sheet.cell_value(r, c)
                    if ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                        value = None
                    elif ctype == xlrd.XL_CELL_DATE:
                        value = xlrd.xldate_as_datetime(value, book.datemode)  # 1900 or 1904
                    elif ctype == xlrd.XL_CELL_ERROR:
                        value = ExcelError(xlrd.error_text_from_code.get(value, "#N/A"))
                    elif ctype == xlrd.XL_CELL_BOOLEAN:
                        value = bool(value)
                    out.append(value)
                yield r + 1, out

        return Sheet(sheet.name, sheet.visibility == 0, rows)

    return Workbook("xls", [make_sheet(i) for i in range(book.nsheets)], book.release_resources)


# --- csv -------------------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows' cp1252: what Excel writes on each side."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", "replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("cp1252", "replace")


def sniff_delimiter(text: str) -> str:
    sample = text[: 64 * 1024]
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t|").delimiter
    except csv.Error:
        first = sample.splitlines()[0] if sample else ""
        return max(";,\t|", key=first.count)


def _open_csv(data: bytes) -> Workbook:
    text = decode_text(data)
    delimiter = sniff_delimiter(text)

    def rows():
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        for number, record in enumerate(reader, start=1):
            yield number, [_error_or_value(v) if v != "" else None for v in record]

    return Workbook("csv", [Sheet(None, True, rows)])
