"""Spreadsheets built in the tests (openpyxl, and text for CSV), shaped like the real files."""

import io

import openpyxl

HEADER = ["PARTIDA", "CONCEPTO", "UNIDAD", "CANTIDAD", "P.U. M.N.", "P.U. USD", "IMPORTE M.N.", "IMPORTE USD"]


def xlsx(
    rows,
    *,
    sheet="ANEXO C",
    header=HEADER,
    before=(),
    hidden_first=False,
    epoch_1904=False,
    other_sheets=(),
    merge=(),
    macro=False,
):
    """A workbook whose data sheet holds `before` rows, the header and `rows` (lists of cells;
    a string starting with '=' is written as a formula, without a cached value)."""
    wb = openpyxl.Workbook()
    first = wb.active
    if hidden_first:
        first.title = "DATOS"
        first["A1"] = "OT-001"
        first.sheet_state = "hidden"
        ws = wb.create_sheet(sheet)
    else:
        first.title = sheet
        ws = first
    for name, extra in other_sheets:
        other = wb.create_sheet(name, 0)
        for r in extra:
            other.append(r)
    if epoch_1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    for r in before:
        ws.append(r)
    if header:
        ws.append(header)
    for r in rows:
        ws.append(r)
    for cells in merge:
        ws.merge_cells(cells)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def with_cached_values(data: bytes, sheet: str, cached: dict[str, object]) -> bytes:
    """Add cached values to formula cells, as Excel does on save (openpyxl writes none): the
    sheet XML's <v> of each cell in `cached` ("F3": 345269.2 or "#REF!")."""
    import re
    import zipfile

    src = zipfile.ZipFile(io.BytesIO(data))
    wb_xml = src.read("xl/workbook.xml").decode()
    names = re.findall(r'<sheet [^>]*name="([^"]+)"', wb_xml)
    part = f"xl/worksheets/sheet{names.index(sheet) + 1}.xml"
    xml = src.read(part).decode()
    for ref, value in cached.items():
        is_error = isinstance(value, str) and value.startswith("#")

        def put(m, ref=ref, value=value, is_error=is_error):
            attrs = m.group(1)
            if is_error:
                attrs += ' t="e"'
            return f'<c r="{ref}"{attrs}>{m.group(2)}<v>{value}</v></c>'

        xml, n = re.subn(rf'<c r="{ref}"([^>]*)>(<f>[^<]*</f>)(?:<v\s*/>|<v></v>)?</c>', put, xml)
        assert n == 1, ref
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info, xml if info.filename == part else src.read(info.filename))
    return out.getvalue()


def csv_bytes(lines, *, sep=";", encoding="cp1252", bom=False, newline="\r\n"):
    text = newline.join(lines) + newline
    data = text.encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def sabana(
    rows,
    *,
    start=None,
    days=3,
    formulas=False,
    cached=True,
    epoch_1904=False,
    pue=None,
    ok_column=False,
    extra_columns=(),
):
    """A sábana: title on row 1, header on row 2 (PARTIDA, CONCEPTO, UNIDAD, [extra], one column
    per day, TOTALES[, OK]); day headers as dates or as formulas (=D2+1) with cached serials."""
    from datetime import date, timedelta

    from openpyxl.utils import get_column_letter
    from openpyxl.utils.datetime import to_excel

    start = start or date(2025, 10, 1)
    wb = openpyxl.Workbook()
    if pue is not None:
        ws_pue = wb.active
        ws_pue.title = "PUE´s BME"
        for r in pue:
            ws_pue.append(r)
        ws = wb.create_sheet("SABANA DE RECURSOS")
    else:
        ws = wb.active
        ws.title = "SABANA DE RECURSOS"
    if epoch_1904:
        wb.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    ws.append(["SÁBANA DE RECURSOS — OT-001"])
    fixed = ["PARTIDA", "CONCEPTO", "UNIDAD", *extra_columns]
    first_day_col = len(fixed) + 1
    header = list(fixed)
    serials = {}
    for i in range(days):
        day = start + timedelta(days=i)
        if formulas and i > 0:
            header.append(f"={get_column_letter(first_day_col + i - 1)}2+1")
            serials[f"{get_column_letter(first_day_col + i)}2"] = int(to_excel(day, wb.epoch))
        else:
            header.append(day)
    header.append("TOTALES")
    if ok_column:
        header.append("OK")
    ws.append(header)
    for c in range(first_day_col, first_day_col + days):
        ws.cell(row=2, column=c).number_format = "dd/mm/yyyy"
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    if formulas and cached:
        data = with_cached_values(data, "SABANA DE RECURSOS", serials)
    return data
