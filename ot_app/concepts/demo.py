"""`flask demo`'s contract catalog: a small workbook shaped like the contract's (C-2 … C-5 sheets,
one with its heading levels flattened, and a PUE list), imported through the same service as the
page, so the catalog page shows data. Idempotent: nothing happens once a concept exists."""

from __future__ import annotations

import io
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import Concepto

ORDINARY = ["PARTIDA", "CONCEPTO", "UNIDAD", "P.U. M.N.", "P.U. USD"]
FLAT = ["ID PADRE", "ID MADRE", "ID HIJO", "DESCRIPCIÓN DE CONCEPTOS", "UNIDAD", "P.U. M.N.", "P.U. USD"]
PUE = ["PARTIDA", "CONCEPTO", "UNIDAD", "P.U. M.N.", "P.U. USD", "FECHA SANCION", "ESTATUS"]

SHEETS = {
    "C-2-CR": (
        ORDINARY,
        [
            ["2", "PROTECCIÓN ANTICORROSIVA"],
            [None, "LIMPIEZA"],
            ["2.401.", "Limpieza con chorro de arena a metal blanco", "M2", 412.55, None],
            ["2.402.", "Aplicación de primario epóxico de 3 milésimas", "M²", 198.3, None],
            ["2.403.", "Aplicación de acabado poliuretano", "M2", 221.75, None],
        ],
    ),
    "C-3-CR": (
        ORDINARY,
        [
            ["3", "MATERIALES"],
            ["3.101.", 'Tubo de acero al carbono Ø 6" ced. 40', "M", 1890.4, 96.2],
            ["3.102.", 'Brida de cuello soldable Ø 6" 150#', "PZA", 3520, None],
            ["3.103.", 'Placa de acero A-36 de 1/2"', "TON", 41250, None],
        ],
    ),
    "C-4-CR": (
        FLAT,
        [
            ["4", None, None, "CATÁLOGO DE CONCEPTOS DE PERSONAL"],
            ["4", "4.7", None, "PERSONAL (MAR)"],
            ["4", "4.7", "4.7.", "Tubero", "JORNADA", 3450.8, None],
            ["4", "4.7", "4.7.", "Soldador calificado", "JORNADA", 3980.15, None],
            ["4", "4.7", "4.7.", "Mecánico", "Jornada", 3210, None],
            ["4", "4.8", None, "PERSONAL (TIERRA)"],
            ["4", "4.8", "4.8.1", "Supervisor de obra", "DÍA", 5200, None],
        ],
    ),
    "C-5-CR": (
        ORDINARY,
        [
            ["5", "EQUIPO"],
            ["5.1.", "Embarcación de apoyo tipo abastecedor", "DIA", 10449.94, 79712.5],
            ["5.2.", "Grúa sobre orugas de 90 t", "DÍA", 28500, None],
        ],
    ),
    "PUE´s BME": (
        PUE,
        [
            [
                "1C-009",
                "Buzo para inspección submarina adicional",
                "DIA",
                18750,
                None,
                date(2025, 3, 14),
                "Autorizado",
            ],
            [
                "C3EXT-1229",
                "Renta de compresor de 1,600 PCM",
                "DÍA",
                None,
                850.25,
                date(2025, 6, 2),
                "Autorizado",
            ],
            ["C3EXT-1230", "Andamio tubular certificado", "M2", 145.6, None, None, "En revisión"],
        ],
    ),
}


def workbook() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, (header, rows) in SHEETS.items():
        ws = wb.create_sheet(name)
        ws.append(["CONTRATO DE OBRA — CATÁLOGO DE CONCEPTOS"])
        ws.append(header)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def load_demo_catalog() -> int:
    """The demo catalog, imported and confirmed; how many concepts it added (0 when one existed)."""
    if db.session.scalar(select(Concepto.id).limit(1)) is not None:
        return 0
    from werkzeug.datastructures import FileStorage

    from .commands import import_catalog

    report = import_catalog(
        FileStorage(io.BytesIO(workbook()), filename="catalogo-contrato-demo.xlsx"), True, None
    )
    if not report.ok:  # the demo's own workbook: an error here is a bug, said loudly
        raise RuntimeError(f"catálogo de demostración: {[e.mensaje for e in report.errores]}")
    return len(report.lines)
