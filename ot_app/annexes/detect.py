"""Format by content, never by extension, and the limits checked before any parser runs."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from .. import files
from .rules import RuleError

MB = 1024 * 1024
TOO_LARGE = "el archivo excede el tamaño permitido"


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 20 * MB
    max_rows: int = 100_000
    # Every part of a zip is checked by its declared size before a reader opens it: a 173 KB
    # xlsx can unzip to 44 MB of XML and make a reader take 470 MB (measured with calamine).
    max_part: int = 200 * MB
    max_unzipped: int = 400 * MB


_HTML = re.compile(rb"^\s*(<!doctype\s+html|<html|<table|<head|<body|<meta|<\?xml[^>]*>\s*<html)", re.I)


def detect(data: bytes, limits: Limits) -> str:
    """xlsx, xlsm, xls or csv, by the bytes; RuleError when the file is not a spreadsheet or is
    over a limit."""
    if len(data) > limits.max_bytes:
        raise RuleError(f"{TOO_LARGE} ({limits.max_bytes // MB} MB)")
    head = data[: files.HEAD]
    kind = files.sniff(data if data.startswith(b"PK") else head)
    if kind == "xlsx":
        return _zip_format(data, limits)
    if kind == "xls":
        return "xls"
    if kind == "text":
        body = head.lstrip(b"\xef\xbb\xbf")
        if _HTML.match(body):
            raise RuleError("el archivo no es una hoja de cálculo (HTML)")
        return "csv"
    if kind is None:
        raise RuleError("el archivo no es una hoja de cálculo")
    raise RuleError(f"el archivo no es una hoja de cálculo ({files.LABELS.get(kind, kind)})")


def _zip_format(data: bytes, limits: Limits) -> str:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as err:
        raise RuleError("el archivo no es una hoja de cálculo (ZIP dañado)") from err
    with archive:
        total = 0
        for info in archive.infolist():
            total += info.file_size
            if info.file_size > limits.max_part or total > limits.max_unzipped:
                raise RuleError(f"{TOO_LARGE} (descomprimido)")
        names = set(archive.namelist())
        if "xl/workbook.bin" in names and "xl/workbook.xml" not in names:
            raise RuleError("el archivo es un libro binario de Excel (xlsb): guárdelo como xlsx")
        macro = "xl/vbaProject.bin" in names
        if not macro and "[Content_Types].xml" in names:
            macro = b"macroEnabled" in archive.read("[Content_Types].xml")
    return "xlsm" if macro else "xlsx"
