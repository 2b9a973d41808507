"""Exports (rule 11): formula injection neutralised, money as numbers with a format, a header row,
frozen panes; CSV in UTF-8 with BOM; an annex revision exported through the API."""

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from ot_app import exports
from ot_app.exports import Column
from tests import factories

from .builders import sabana


@pytest.mark.parametrize(
    ("text", "out"),
    [
        ('=HYPERLINK("http://x")', '\'=HYPERLINK("http://x")'),
        ("+52 55", "'+52 55"),
        ("-2", "'-2"),
        ("@SUMA", "'@SUMA"),
        ("\tcelda", "'\tcelda"),
        ("\rcelda", "'\rcelda"),
        ("Tubero", "Tubero"),
    ],
)
def test_text_that_a_spreadsheet_would_evaluate_is_neutralised(text, out):
    assert exports.neutralise(text) == out


COLUMNS = [Column("CONCEPTO", ancho=40), Column("IMPORTE M.N.", "dinero"), Column("CANTIDAD", "numero")]
ROWS = [['=cmd|" /C calc"!A0', Decimal("1234.5"), Decimal("2.5")], ["Señalización", Decimal("0"), 1]]


def test_xlsx_has_a_header_money_as_numbers_and_frozen_panes():
    data = b"".join(exports.xlsx_chunks("ANEXO C", COLUMNS, iter(ROWS)))
    ws = openpyxl.load_workbook(io.BytesIO(data)).active
    assert [c.value for c in ws[1]] == ["CONCEPTO", "IMPORTE M.N.", "CANTIDAD"]
    assert ws["A2"].value == '\'=cmd|" /C calc"!A0'
    assert ws["A2"].data_type == "s"
    assert ws["B2"].value == 1234.5 and ws["B2"].number_format == "#,##0.00"
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width == 40


def test_csv_is_utf8_with_bom_and_neutralised():
    data = b"".join(exports.csv_chunks(COLUMNS, iter(ROWS)))
    assert data.startswith(b"\xef\xbb\xbfCONCEPTO,")
    rows = list(csv.reader(io.StringIO(data[3:].decode())))
    assert rows[1] == ['\'=cmd|" /C calc"!A0', "1234.50", "2.5"]
    assert rows[2][0] == "Señalización"


def test_exports_stream_without_holding_the_rows():
    produced = []

    def rows():
        for i in range(2000):
            produced.append(i)
            yield [f"c{i}", Decimal(i), i]

    chunks = exports.csv_chunks(COLUMNS, rows())
    next(chunks)
    next(chunks)
    assert len(produced) == 500  # the first chunk of rows, not all of them


def test_an_annex_revision_exports_to_xlsx_and_csv(app, api_lector):
    with app.app_context():
        ot = factories.make_ot()
        from ot_app.extensions import db

        db.session.commit()
        factories.make_annex(ot.id, rows=[["9.1.", "@SUMA(A1:A9)", "PZA", 2, 10.5, None]])
        ot_id = ot.id
    r = api_lector.get(f"/api/ot/anexos/exportar?id={ot_id}&tipo=anexo_c")
    assert r.status_code == 200
    assert "attachment" in r.headers["Content-Disposition"] and ".xlsx" in r.headers["Content-Disposition"]
    ws = openpyxl.load_workbook(io.BytesIO(r.data)).active
    assert ws["C2"].value == "'@SUMA(A1:A9)"
    assert ws["H2"].value == 21 and ws["H2"].number_format == "#,##0.00"
    r = api_lector.get(f"/api/ot/anexos/exportar?id={ot_id}&tipo=anexo_c&formato=csv")
    assert r.data.startswith(b"\xef\xbb\xbfANEXO,PARTIDA,CONCEPTO")
    assert api_lector.get(f"/api/ot/anexos/exportar?id={ot_id}&tipo=anexo_c&formato=pdf").status_code == 400
    assert api_lector.get(f"/api/ot/anexos/exportar?id={ot_id}&tipo=sabana").status_code == 404


def test_a_sabana_exports_one_column_per_day(app, api_lector):
    import io as _io

    from werkzeug.datastructures import FileStorage

    from ot_app.annexes.commands import import_annex
    from ot_app.extensions import db

    with app.app_context():
        ot = factories.make_ot()
        db.session.commit()
        data = sabana([["4.7.", "Tubero", "JORNADA", 1, None, 2, 3]])
        assert import_annex(ot.id, "sabana", FileStorage(_io.BytesIO(data), "s.xlsx"), True, None).ok
        ot_id = ot.id
    r = api_lector.get(f"/api/ot/anexos/exportar?id={ot_id}&tipo=sabana")
    ws = openpyxl.load_workbook(io.BytesIO(r.data)).active
    header = [c.value for c in ws[1]]
    assert header[-3:] == ["2025-10-01", "2025-10-02", "2025-10-03"]
    assert [c.value for c in ws[2]][-3:] == [1, None, 2]
