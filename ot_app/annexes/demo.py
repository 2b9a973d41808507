"""`flask demo`'s annexes: one OT gets an Anexo C in two revisions (so the comparison shows) and a
sábana, as spreadsheets shaped like the client's and imported through the importer's commands."""

from __future__ import annotations

import io
from datetime import date, timedelta
from decimal import Decimal

from werkzeug.datastructures import FileStorage

from .commands import import_annex

HEADER = ["PARTIDA", "CONCEPTO", "UNIDAD", "CANTIDAD", "P.U. M.N.", "P.U. USD", "IMPORTE M.N.", "IMPORTE USD"]
# (chapter, partida, concepto, unidad, cantidad, P.U. M.N., P.U. USD)
LINES = [
    ("2", "2.401.", "Limpieza con chorro de arena a metal blanco", "M2", 200, "4125.53", "0"),
    ("2", "2.402.", "Aplicación de primario epóxico de 3 milésimas", "M2", 200, "612.40", "0"),
    ("2", "2.403.", "Aplicación de acabado de poliuretano", "M2", 180, "540.10", "0"),
    ("4", "4.7.", "Tubero especialista", "JORNADA", 40, "2850.00", "0"),
    ("4", "4.8.", "Soldador calificado", "JORNADA", 30, "3120.00", "0"),
    ("4", "4.12.", "Supervisor de seguridad", "JORNADA", 20, "0", "310.00"),
]
CHAPTERS = {"2": "PROTECCIÓN ANTICORROSIVA", "4": "PERSONAL"}


def _anexo_c(lines) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("ANEXO C")
    ws.append(["ANEXO C — CATÁLOGO DE CONCEPTOS Y CANTIDADES DE TRABAJO"])
    ws.append(HEADER)
    chapter = None
    for cap, partida, concepto, unidad, cantidad, pu_mxn, pu_usd in lines:
        if cap != chapter:
            chapter = cap
            ws.append([cap, CHAPTERS[cap]])
        mxn, usd = Decimal(pu_mxn), Decimal(pu_usd)
        ws.append(
            [
                partida,
                concepto,
                unidad,
                cantidad,
                float(mxn),
                float(usd),
                float(mxn * cantidad),
                float(usd * cantidad),
            ]
        )
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _sabana(lines, start: date, days: int) -> bytes:
    """The personnel lines planned day by day: weekdays only, within the Anexo C's quantities."""
    import openpyxl

    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("SABANA DE RECURSOS")
    ws.append(["SÁBANA DE RECURSOS"])
    dates = [start + timedelta(days=d) for d in range(days)]
    ws.append(["PARTIDA", "CONCEPTO", "UNIDAD", *dates, "TOTALES"])
    for _, partida, concepto, unidad, cantidad, _, _ in lines:
        if unidad != "JORNADA":
            continue
        per_day = [(1 if day.weekday() < 5 else 0) for day in dates]
        while sum(per_day) > cantidad:
            per_day[per_day.index(1, len(per_day) // 2)] = 0
        ws.append([partida, concepto, unidad, *per_day, sum(per_day)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def programa_workbook(lines, months: int, *, chapters=CHAPTERS) -> bytes:
    """ANEXO DT-6 (each line's volume spread evenly over `months` relative months, the remainder
    on the last), ANEXO DE-MN and ANEXO DE-ME (each month's volume × P.U.), as the client sends."""
    import openpyxl

    meses = [f"MES {m}" for m in range(1, months + 1)]
    wb = openpyxl.Workbook()
    dt6 = wb.active
    dt6.title = "ANEXO DT-6"
    dt6.append(["ANEXO DT-6 — PROGRAMA DE EJECUCIÓN (VOLÚMENES)"])
    dt6.append(["PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE", *meses])
    sheets = {}
    for moneda, title, pu_label in (("mxn", "ANEXO DE-MN", "P.U. M.N."), ("usd", "ANEXO DE-ME", "P.U. USD")):
        ws = wb.create_sheet(title)
        ws.append([f"{title} — PROGRAMA DE EJECUCIÓN (IMPORTES)"])
        ws.append(["PARTIDA", "CONCEPTO", "UNIDAD", pu_label, *meses])
        sheets[moneda] = ws
    chapter = None
    for cap, partida, concepto, unidad, cantidad, pu_mxn, pu_usd in lines:
        if cap != chapter:
            chapter = cap
            for ws in (dt6, *sheets.values()):
                ws.append([cap, chapters[cap]])
        cantidad = Decimal(cantidad)
        even = (cantidad / months).quantize(Decimal("0.01"))
        volumes = [even] * (months - 1) + [cantidad - even * (months - 1)]
        dt6.append([partida, concepto, unidad, float(cantidad), *(float(v) for v in volumes)])
        for moneda, pu in (("mxn", Decimal(pu_mxn)), ("usd", Decimal(pu_usd))):
            if pu:
                importes = [float((v * pu).quantize(Decimal("0.01"))) for v in volumes]
                sheets[moneda].append([partida, concepto, unidad, float(pu), *importes])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def load(ot_id: int, start: date) -> None:
    """Revision 1, then revision 2 (one quantity and one price changed, a line added, one removed),
    then the sábana of the personnel lines for four weeks from `start`, then the programa
    workbook of revision 2's lines over two months (which stores the OT's program too)."""
    import_annex(ot_id, "anexo_c", FileStorage(io.BytesIO(_anexo_c(LINES)), "anexo_c_rev1.xlsx"), True, None)
    second = [x for x in LINES if x[1] != "2.403."]
    second[0] = (*second[0][:4], 240, *second[0][5:])
    second[3] = (*second[3][:5], "2990.00", second[3][6])
    second.append(("2", "2.404.", "Recubrimiento de juntas con cinta anticorrosiva", "ML", 120, "95.75", "0"))
    second.sort(key=lambda x: (x[0], x[1]))
    import_annex(ot_id, "anexo_c", FileStorage(io.BytesIO(_anexo_c(second)), "anexo_c_rev2.xlsx"), True, None)
    import_annex(
        ot_id, "sabana", FileStorage(io.BytesIO(_sabana(second, start, 28)), "sabana.xlsx"), True, None
    )
    # The programa de ejecución over two months: the annex revision and, with it, the OT's program.
    import_annex(
        ot_id, "programa", FileStorage(io.BytesIO(programa_workbook(second, 2)), "programa.xlsx"), True, None
    )
