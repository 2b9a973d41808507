"""The streaming xlsx reader (ot_app/annexes/xlsx.py): the same values as openpyxl's read-only
reader on workbooks openpyxl writes, and what only Excel and other writers put in a file (shared
strings, rich text, cells and rows without `r`, formulas with and without cached values, Strict
namespaces), built here as XML parts in a zip."""

import io
import warnings
import zipfile
from datetime import date, datetime, time, timedelta

import openpyxl
import pytest

from ot_app.annexes.pipeline import analyze
from ot_app.annexes.readers import ExcelError, _error_or_value, open_workbook
from ot_app.annexes.xlsx import XlsxError

from .builders import xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
STRICT = "http://purl.oclc.org/ooxml/spreadsheetml/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
DAMAGED = "el archivo está dañado o no se puede leer como hoja de cálculo"


def rows_of(data: bytes, sheet: int = 0) -> list[tuple[int, list]]:
    book = open_workbook(data, "xlsx")
    try:
        return list(book.sheets[sheet].rows())
    finally:
        book.close()


def openpyxl_rows(data: bytes, sheet: int = 0) -> list[tuple[int, list]]:
    """What the reader replaced gave: openpyxl read-only, values only, errors marked."""
    # openpyxl warns of a hand-built styles part without a default style and of a date out of range.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            ws = wb.worksheets[sheet]
            rows = ws.iter_rows(values_only=True)
            return [(n, [_error_or_value(v) for v in row]) for n, row in enumerate(rows, start=1)]
        finally:
            wb.close()


def workbook_zip(
    sheets,
    *,
    shared=None,
    styles=None,
    workbook_pr="",
    ns=MAIN,
    order=None,
    extra_parts=(),
    absolute_targets=False,
):
    """An xlsx from XML parts: `sheets` is [(name, state, sheetData inner XML, before sheetData)];
    `order` lists the part numbers in workbook order (the parts need not be numbered in order)."""
    order = order or list(range(1, len(sheets) + 1))
    parts = {}
    entries, rels = [], []
    for i, (number, (name, state, data, before)) in enumerate(zip(order, sheets, strict=True), start=1):
        target = f"worksheets/sheet{number}.xml"
        rels.append(
            f'<Relationship Id="rId{i}" Type="{REL}/worksheet" '
            f'Target="{"/xl/" + target if absolute_targets else target}"/>'
        )
        state_attr = f' state="{state}"' if state else ""
        entries.append(f'<sheet name="{name}" sheetId="{i}"{state_attr} r:id="rId{i}"/>')
        parts[f"xl/{target}"] = (
            f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<worksheet xmlns="{ns}" xmlns:r="{REL}">{before}<sheetData>{data}</sheetData></worksheet>'
        )
    n = len(sheets)
    if shared is not None:
        n += 1
        rels.append(f'<Relationship Id="rId{n}" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>')
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{ns}">{shared}</sst>'
    if styles is not None:
        n += 1
        rels.append(f'<Relationship Id="rId{n}" Type="{REL}/styles" Target="styles.xml"/>')
        parts["xl/styles.xml"] = f'<styleSheet xmlns="{ns}">{styles}</styleSheet>'
    parts["xl/workbook.xml"] = (
        f'<workbook xmlns="{ns}" xmlns:r="{REL}">{workbook_pr}<sheets>{"".join(entries)}</sheets></workbook>'
    )
    parts["xl/_rels/workbook.xml.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rels)
        + "</Relationships>"
    )
    parts["_rels/.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    overrides = [f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>']
    overrides += [
        f'<Override PartName="/{name}" ContentType="{ct}.worksheet+xml"/>'
        for name in parts
        if "worksheets" in name
    ]
    if shared is not None:
        overrides.append(f'<Override PartName="/xl/sharedStrings.xml" ContentType="{ct}.sharedStrings+xml"/>')
    if styles is not None:
        overrides.append(f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>')
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        + "".join(overrides)
        + "</Types>"
    )
    parts.update(extra_parts)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return out.getvalue()


# --- the same values as openpyxl -------------------------------------------------------------


def _typed_workbook(epoch_1904=False) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ANEXO C"
    if epoch_1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    hidden = wb.create_sheet("OCULTA")
    hidden.sheet_state = "veryHidden"
    hidden["B3"] = "nada"
    ws.append(["PARTIDA", "CONCEPTO", "FECHA", "HORA", "DURACIÓN", "MONTO", "OK", "ERR"])
    ws.append(
        [
            "1.1.",
            "  con espacios  ",
            datetime(2025, 10, 1),
            time(13, 30),
            timedelta(hours=30),
            1577760.66,
            True,
        ]
    )
    ws.append(["1.2.", "#N/A", date(1904, 1, 2), 0.5, 7, 12, False, "#REF!"])
    ws.append([])  # an empty row
    ws.cell(row=8, column=2, value="después de un hueco")
    ws.cell(row=8, column=6, value=1e-7)
    ws.cell(row=9, column=1, value=-3)
    ws.cell(row=9, column=3, value=45000).number_format = "dd/mm/yyyy"
    ws.cell(row=9, column=4, value=45000.75).number_format = '[$-80A]dddd, d "de" mmmm "de" yyyy h:mm'
    ws.cell(row=9, column=5, value=3).number_format = '0" días"'  # a "d" inside quotes: not a date
    ws.cell(row=9, column=6, value=4).number_format = "[Red]#,##0.00"  # brackets: not a date
    ws.cell(row=9, column=7, value=1.5).number_format = "[h]:mm"  # a duration
    ws.cell(row=3, column=5).number_format = "[h]:mm:ss"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.mark.parametrize("epoch_1904", [False, True], ids=["1900", "1904"])
def test_values_are_openpyxls(epoch_1904):
    data = _typed_workbook(epoch_1904)
    ours, theirs = rows_of(data), openpyxl_rows(data)
    assert ours == theirs
    # Types too (1 == 1.0 == True in Python): an int stays an int, a float a float.
    for (_, a), (_, b) in zip(ours, theirs, strict=True):
        assert [type(x) for x in a] == [type(x) for x in b]
    by_row = dict(ours)
    assert by_row[2][2] == datetime(2025, 10, 1) and by_row[2][3] == time(13, 30)
    assert by_row[2][4] == timedelta(hours=30) and by_row[2][6] is True
    assert isinstance(by_row[3][1], ExcelError) and isinstance(by_row[3][7], ExcelError)
    assert by_row[4] == [None] * 8 and by_row[5] == [None] * 8  # gaps come as empty rows
    assert by_row[9][2] == datetime(2023, 3, 15) + (timedelta(days=1462) if epoch_1904 else timedelta(0))
    assert by_row[9][4] == 3 and by_row[9][5] == 4 and by_row[9][6] == timedelta(hours=36)


def test_sheet_states_and_order_are_openpyxls():
    data = xlsx([["1.1.", "x", "M2", 1, 2, 0, 2, 0]], hidden_first=True, other_sheets=[("PORTADA", [["OT"]])])
    book = open_workbook(data, "xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    assert [(s.name, s.visible) for s in book.sheets] == [
        (ws.title, ws.sheet_state == "visible") for ws in wb.worksheets
    ]
    assert [s.visible for s in book.sheets] == [True, False, True]
    book.close()
    wb.close()


# --- what Excel and other writers put in a file ----------------------------------------------


def test_shared_strings_rich_text_and_phonetic_runs():
    shared = (
        "<si><t>PARTIDA</t></si>"
        '<si><r><rPr><b/></rPr><t xml:space="preserve">Suministro </t></r><r><t>y aplicación</t></r>'
        "<rPh sb='0' eb='1'><t>ふりがな</t></rPh></si>"
        "<si><t>#REF!</t></si>"
        "<si><t>a_x005F_x000D_b</t></si>"
    )
    sheet = (
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>'
        '<c r="C1" t="s"><v>2</v></c><c r="D1" t="s"><v>3</v></c></row>'
    )
    data = workbook_zip([("ANEXO C", None, sheet, "")], shared=shared)
    assert rows_of(data) == [(1, ["PARTIDA", "Suministro y aplicación", ExcelError("#REF!"), "a_x000D_b"])]
    assert rows_of(data) == openpyxl_rows(data)


def test_inline_strings_booleans_errors_and_iso_dates():
    sheet = (
        '<row r="2"><c r="A2" t="inlineStr"><is><t>texto</t></is></c>'
        '<c r="B2" t="inlineStr"><is><r><t>rico </t></r><r><rPr><i/></rPr><t>en runs</t></r></is></c>'
        '<c r="C2" t="b"><v>1</v></c><c r="D2" t="e"><v>#DIV/0!</v></c>'
        '<c r="E2" t="d"><v>2025-10-01T00:00:00</v></c><c r="F2" t="inlineStr"/>'
        '<c r="G2" t="n"><v>1.5E+3</v></c><c r="H2"><v>42</v></c></row>'
    )
    data = workbook_zip([("HOJA", None, sheet, "")])
    assert rows_of(data) == [
        (1, []),
        (2, ["texto", "rico en runs", True, ExcelError("#DIV/0!"), datetime(2025, 10, 1), None, 1500.0, 42]),
    ]
    assert rows_of(data) == openpyxl_rows(data)


def test_cells_and_rows_without_r_are_sequential():
    sheet = "<row><c t='inlineStr'><is><t>A</t></is></c><c><v>2</v></c></row><row><c/><c r='C2'><v>3</v></c><c><v>4</v></c></row>"
    data = workbook_zip([("HOJA", None, sheet, "")])
    assert rows_of(data) == [(1, ["A", 2]), (2, [None, None, 3, 4])]
    assert rows_of(data) == openpyxl_rows(data)


def test_rows_padded_to_the_dimension_and_repeated_rows_skipped():
    sheet = (
        '<row r="2"><c r="B2"><v>1</v></c></row><row r="2"><c r="A2"><v>9</v></c></row>'
        '<row r="3"><c r="A3"><v>2</v></c></row>'
    )
    data = workbook_zip([("HOJA", None, sheet, '<dimension ref="A1:D4"/>')])
    expected = [(1, [None] * 4), (2, [None, 1, None, None]), (3, [2, None, None, None])]
    assert rows_of(data) == expected == openpyxl_rows(data)


def test_styles_say_which_numbers_are_dates():
    styles = (
        '<numFmts count="3"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>'
        '<numFmt numFmtId="165" formatCode="&quot;día&quot; 0"/><numFmt numFmtId="166" formatCode="[$-F800]dddd"/></numFmts>'
        '<cellXfs count="6"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="165"/>'
        '<xf numFmtId="4"/><xf numFmtId="166"/></cellXfs>'
    )
    sheet = (
        '<row r="1"><c r="A1" s="1"><v>45931</v></c><c r="B1" s="2"><v>45931.5</v></c>'
        '<c r="C1" s="3"><v>7</v></c><c r="D1" s="4"><v>1234.5</v></c><c r="E1" s="5"><v>45931</v></c>'
        '<c r="F1" s="1"><v>99999999</v></c></row>'
    )
    for pr, base in (("", datetime(2025, 10, 1)), ('<workbookPr date1904="1"/>', datetime(2029, 10, 2))):
        data = workbook_zip([("HOJA", None, sheet, "")], styles=styles, workbook_pr=pr)
        ((_, row),) = rows_of(data)
        assert row[:5] == [base, base + timedelta(hours=12), 7, 1234.5, base]
        assert isinstance(row[5], ExcelError)  # a date Python cannot hold, as openpyxl reads it
        assert rows_of(data) == openpyxl_rows(data)


def test_sheet_order_from_the_workbook_not_the_part_names():
    sheets = [
        ("PRIMERA", None, '<row r="1"><c r="A1"><v>1</v></c></row>', ""),
        ("SEGUNDA", "hidden", '<row r="1"><c r="A1"><v>2</v></c></row>', ""),
    ]
    data = workbook_zip(sheets, order=[2, 1], absolute_targets=True)
    book = open_workbook(data, "xlsx")
    assert [(s.name, s.visible, list(s.rows())) for s in book.sheets] == [
        ("PRIMERA", True, [(1, [1])]),
        ("SEGUNDA", False, [(1, [2])]),
    ]
    book.close()


def test_strict_namespace_is_read():
    data = workbook_zip(
        [("HOJA", None, '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>', "")], ns=STRICT
    )
    assert rows_of(data) == [(1, ["x"])]


def test_formula_without_cached_value_is_told_from_a_blank_cell():
    sheet = (
        '<row r="1"><c r="A1"><f>B1*2</f></c><c r="B1"/><c r="C1"><f>1+1</f><v/></c>'
        '<c r="D1" t="str"><f>""</f><v></v></c><c r="E1"><f>2*2</f><v>4</v></c></row>'
        '<row r="5"><c r="A5"><f>A1</f></c></row>'
    )
    data = workbook_zip([("HOJA", None, sheet, "")])
    book = open_workbook(data, "xlsx")
    sheet = book.sheets[0]
    wanted = {(1, 0), (1, 1), (1, 2), (1, 3), (1, 4), (5, 0)}
    # Asked before any row was read: the sheet is parsed as far as it must.
    assert sheet.formulas(wanted) == {(1, 0), (1, 2), (5, 0)}
    assert list(sheet.rows()) == [(1, [None, None, None, None, 4]), (2, []), (3, []), (4, []), (5, [None])]
    assert sheet.formulas(wanted) == {(1, 0), (1, 2), (5, 0)}
    assert sheet.formulas({(9, 0)}) == set()
    book.close()


def test_a_formula_without_value_in_a_real_annex_is_an_error():
    data = xlsx([["1.1.", "Concepto", "M2", "=2*3", 10, 0, 60, 0]])
    report = analyze("a.xlsx", data, "anexo_c")
    assert (2, "fórmula sin valor calculado: abra y guarde el archivo en Excel") in [
        (e.fila, e.mensaje) for e in report.errores
    ]
    assert not report.lines


# --- security --------------------------------------------------------------------------------

_LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
)


@pytest.mark.parametrize("part", ["sheet", "shared", "workbook"])
def test_a_dtd_or_entity_in_any_part_refuses_the_file(part):
    sheet = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>&lol2;</t></is></c></row>'
    data = workbook_zip([("ANEXO C", None, sheet, "")], shared="<si><t>x</t></si>")
    src = zipfile.ZipFile(io.BytesIO(data))
    name = {
        "sheet": "xl/worksheets/sheet1.xml",
        "shared": "xl/sharedStrings.xml",
        "workbook": "xl/workbook.xml",
    }[part]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == name:
                body = _LAUGHS.encode() + body.split(b"?>", 1)[-1]
            dst.writestr(info, body)
    bad = out.getvalue()
    with pytest.raises(Exception) as caught:
        book = open_workbook(bad, "xlsx")
        for s in book.sheets:
            list(s.rows())
    assert isinstance(caught.value, (XlsxError, ValueError))
    report = analyze("a.xlsx", bad, "anexo_c")
    assert [e.mensaje for e in report.errores] == [DAMAGED]


def test_external_entity_is_never_fetched(tmp_path):
    secret = tmp_path / "secreto.txt"
    secret.write_text("NO")
    sheet = f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file://{secret}">]>'
    data = workbook_zip(
        [("HOJA", None, '<row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row>', "")]
    )
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                body = sheet.encode() + body.split(b"?>", 1)[-1]
            dst.writestr(info, body)
    with pytest.raises(XlsxError):
        rows_of(out.getvalue())
