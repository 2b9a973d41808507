"""Where a program comes from: MS Project files (MSPDI XML, .mpp and MPX through MPXJ), the OT's
sábana, its Anexo C alone, and the annex workbook (the `programa` kind of annexes/). Each source is
a pure function giving (Plan | None, report); commands.py confirms through save_program."""

from __future__ import annotations

import hashlib
import re

from ...annexes.detect import TOO_LARGE, Limits
from .report import ProgramReport

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML = re.compile(rb"^\s*(<!doctype\s+html|<html|<table|<head|<body)", re.I)
NOT_A_PROJECT = "formato no reconocido: se aceptan proyectos de MS Project (.xml MSPDI, .mpp, .mpx)"


def read_project(nombre: str, data: bytes, limits: Limits | None = None):
    """An MS Project file by its content, never its extension."""
    from . import mpp, mspdi

    limits = limits or Limits()
    sha = hashlib.sha256(data).hexdigest()
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if len(data) > limits.max_bytes:
        plan, report = None, _refused(nombre, TOO_LARGE)
    elif data.startswith(OLE2):
        plan, report = mpp.parse(nombre, data, "mpp")
    elif head.startswith(b"MPX,"):
        plan, report = mpp.parse(nombre, data, "mpx")
    elif _HTML.match(head):
        plan, report = None, _refused(nombre, "el archivo no es un proyecto de MS Project (HTML)")
    elif head.startswith(b"<"):
        plan, report = mspdi.parse(nombre, data)
    elif data.startswith(b"PK\x03\x04"):
        plan, report = (
            None,
            _refused(
                nombre,
                "el archivo es una hoja de cálculo: impórtelo como anexo «programa» (DT-6, DE-MN, DE-ME)",
            ),
        )
    else:
        plan, report = None, _refused(nombre, NOT_A_PROJECT)
    report.archivo, report.sha256 = nombre, sha
    return plan, report


def _refused(nombre: str, mensaje: str) -> ProgramReport:
    report = ProgramReport("archivo", nombre)
    report.error(None, None, None, mensaje)
    return report
