"""The contract's catalog as real workbooks bring it: one sheet per sub-anexo (C-2-CR … C-6-CR),
with chapter rows or with heading levels flattened into ID PADRE / ID MADRE / ID HIJO, and a PUE list."""

import io
from datetime import date

import openpyxl

ORDINARY = ["PARTIDA", "CONCEPTO", "UNIDAD", "P.U. M.N.", "P.U. USD"]
FLAT = ["ID PADRE", "ID MADRE", "ID HIJO", "DESCRIPCIÓN DE CONCEPTOS", "UNID.", "P.U. M.N.", "P.U. USD"]
PUE = ["PARTIDA", "CONCEPTO", "UNIDAD", "P.U. M.N.", "P.U. USD", "FECHA SANCION", "ESTATUS"]

C2 = [
    ["2", "PROTECCIÓN ANTICORROSIVA"],
    ["2.401.", "Limpieza con chorro de arena", "M²", 4125.53, None],
    ["2.402.", "Aplicación de primario", "M2", 310.5, None],
]
C4 = [  # flattened: ID PADRE alone is the chapter, ID MADRE alone a sub-heading
    ["4", None, None, "CATÁLOGO DE CONCEPTOS DE PERSONAL"],
    ["4", "4.7", None, "PERSONAL (MAR)"],
    ["4", "4.7", "4.7.", "Tubero", "JORNADA", 172634.6, None],
    ["4", "4.7", "4.7.", "Soldador", "Jornada", 10449.94, 79712.5],
]
PUE_ROWS = [
    ["1C-009", "Renta de grúa extraordinaria", "DÍA", 15000, None, date(2025, 3, 14), "Autorizado"],
    ["C3EXT-1229", "Buzo adicional", "DIA", None, 850.25, "15/04/2025", "En revisión"],
]


def contract(sheets=None, *, before=()):
    """A workbook of sheets {name: (header, rows)}; by default C-2-CR, C-4-CR (flattened) and the PUE list."""
    if sheets is None:
        sheets = {"C-2-CR": (ORDINARY, C2), "C-4-CR": (FLAT, C4), "PUE": (PUE, PUE_ROWS)}
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, (header, rows) in sheets.items():
        ws = wb.create_sheet(name)
        for r in before:
            ws.append(r)
        ws.append(header)
        for r in rows:
            ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
