"""BIFF .xls files (xlrd), built in the tests with xlwt (a dev-only writer): the same rules as xlsx
— a hidden first sheet skipped, a title block above the header, numbers, per-cell errors with their
row and column, day headers as real dates in the 1900 and 1904 systems."""

import io
from datetime import date, datetime

import pytest

from ot_app.annexes.pipeline import analyze

xlwt = pytest.importorskip("xlwt")

HEADER = ["PARTIDA", "CONCEPTO", "UNIDAD", "CANTIDAD", "P.U. M.N.", "P.U. USD", "IMPORTE M.N.", "IMPORTE USD"]
DATE = xlwt.easyxf(num_format_str="dd/mm/yyyy")


def xls(sheets, *, dates_1904=False) -> bytes:
    """sheets: (name, rows, hidden); a date/datetime cell is written with a date format."""
    wb = xlwt.Workbook(encoding="utf-8")
    wb.dates_1904 = dates_1904
    for name, rows, hidden in sheets:
        ws = wb.add_sheet(name)
        if hidden:
            ws.visibility = 1
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is None:
                    continue
                if isinstance(value, (date, datetime)):
                    ws.write(r, c, value, DATE)
                else:
                    ws.write(r, c, value)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def anexo(rows):
    return [["ANEXO C — OT-001"], ["Contrato 421004855"], HEADER, *rows]


def test_a_real_xls_is_detected_and_read_like_an_xlsx():
    data = xls(
        [
            ("DATOS", [["OT-001"]], True),
            (
                "ANEXO C",
                anexo(
                    [
                        ["2", "PROTECCIÓN ANTICORROSIVA"],
                        ["2.401.", "Limpieza con chorro de arena", "M2", 200, 4125.53, 0, 825106, 0],
                        ["2.402.", "Aplicación de primario", "M2", "1,000.5", 10, 0, 10005, 0],
                    ]
                ),
                False,
            ),
        ]
    )
    assert data[:8] == bytes.fromhex("d0cf11e0a1b11ae1")  # an OLE2 compound file: BIFF inside
    report = analyze("anexo.xls", data, "anexo_c").to_json()
    assert report["errores"] == []
    assert (report["formato"], report["hoja"], report["fila_encabezado"]) == ("xls", "ANEXO C", 3)
    assert report["renglones"] == 2 and report["capitulos"] == 1
    assert report["totales"] == {"mxn": "835111.00", "usd": "0.00"}
    first, second = report["muestra"]
    assert (first["fila"], first["partida"], first["cantidad"], first["pu_mxn"]) == (
        5,
        "2.401.",
        "200",
        "4125.53",
    )
    assert (second["cantidad"], second["importe_mxn"]) == ("1000.5", "10005.00")


def test_errors_in_an_xls_name_their_row_and_column():
    data = xls([("ANEXO C", anexo([["2.401.", "Limpieza", None, 200, "abc", 0]]), False)])
    report = analyze("anexo.xls", data, "anexo_c").to_json()
    found = {(e["fila"], e["columna"]) for e in report["errores"]}
    assert (4, "UNIDAD") in found and (4, "P.U. M.N.") in found


@pytest.mark.parametrize("dates_1904", [False, True])
def test_sabana_day_headers_in_an_xls_are_dates_in_either_system(dates_1904):
    days = [date(2025, 10, 1), date(2025, 10, 2)]
    rows = [
        ["SÁBANA DE RECURSOS — OT-001"],
        ["PARTIDA", "CONCEPTO", "UNIDAD", *days, "TOTALES"],
        ["4.7.", "Tubero", "JORNADA", 1, 2, 3],
    ]
    data = xls([("SABANA DE RECURSOS", rows, False)], dates_1904=dates_1904)
    report = analyze("sabana.xls", data, "sabana").to_json()
    assert report["errores"] == []
    assert report["dias"] == ["2025-10-01", "2025-10-02"]
    assert report["muestra"][0]["programa_diario"] == {"2025-10-01": "1", "2025-10-02": "2"}
