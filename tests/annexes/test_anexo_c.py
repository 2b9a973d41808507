"""The Anexo C importer's dry run, rule by rule of shared/annexes.md, on files built here."""

import io
import zipfile

import openpyxl.xml
import pytest

from ot_app.annexes.detect import MB, Limits
from ot_app.annexes.pipeline import analyze

from .builders import HEADER, csv_bytes, with_cached_values, xlsx

LINE = ["2.401.", "Protección anticorrosiva de estructura", "M2", 200, 4125.53, None, 825106, None]


def run(data, name="anexo.xlsx", limits=None):
    return analyze(name, data, "anexo_c", limits).to_json(sample=1000)


def messages(report, key="errores"):
    return [(e["fila"], e["columna"], e["mensaje"]) for e in report[key]]


# --- rule 1: format by content -----------------------------------------------------------------


def test_a_workbook_is_read_whatever_its_name():
    report = run(xlsx([LINE]), name="anexo.csv")
    assert (report["formato"], report["renglones"], report["errores"]) == ("xlsx", 1, [])


def test_a_macro_workbook_is_told_by_its_content_types():
    data = xlsx([LINE])
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                body = body.replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
            dst.writestr(info, body)
    assert run(out.getvalue(), name="anexo.xlsm")["formato"] == "xlsm"


def test_an_html_page_named_xls_is_refused():
    html = b"<html><body><table><tr><td>PARTIDA</td></tr></table></body></html>"
    report = run(html, name="anexo.xls")
    assert report["errores"] == [
        {
            "hoja": None,
            "fila": None,
            "columna": None,
            "valor": None,
            "mensaje": "el archivo no es una hoja de cálculo (HTML)",
        }
    ]
    assert report["renglones"] == 0


def test_a_pdf_is_not_a_spreadsheet():
    assert messages(run(b"%PDF-1.4 ...", name="anexo.xlsx")) == [
        (None, None, "el archivo no es una hoja de cálculo (PDF)")
    ]


def test_a_csv_saved_as_xlsx_is_read_as_csv_cp1252_with_semicolons():
    data = csv_bytes(
        [
            "PARTIDA;CONCEPTO;UNIDAD;CANTIDAD;P.U. M.N.;P.U. USD",
            '2.401.;"Protección; anticorrosiva\r\nen dos líneas";M²;200;"$ 4,125.53";-',
        ]
    )
    report = run(data, name="anexo.xlsx")
    assert report["formato"] == "csv"
    assert report["hoja"] is None
    assert report["errores"] == []
    line = report["muestra"][0]
    assert line["concepto"] == "Protección; anticorrosiva\r\nen dos líneas"
    assert (line["fila"], line["unidad"], line["importe_mxn"]) == (2, "M²", "825106.00")


def test_a_utf8_csv_with_bom_and_commas():
    data = csv_bytes(
        ["PARTIDA,CONCEPTO,UNIDAD,CANTIDAD,P.U. M.N.", '1.1.,Día de embarcación,DÍA,3,"10,449.94"'],
        encoding="utf-8",
        bom=True,
        newline="\n",
    )
    report = run(data, name="anexo.csv")
    assert report["errores"] == []
    assert report["totales"] == {"mxn": "31349.82", "usd": "0.00"}


def test_macros_never_run_and_xml_goes_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


# --- rule 10: limits before parsing ------------------------------------------------------------


def test_an_oversized_file_is_refused_before_reading():
    report = run(xlsx([LINE]), limits=Limits(max_bytes=1000))
    assert messages(report) == [(None, None, "el archivo excede el tamaño permitido (0 MB)")]


def test_a_zip_that_unzips_too_large_is_refused_before_parsing():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        src = zipfile.ZipFile(io.BytesIO(xlsx([LINE])))
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
        dst.writestr("xl/media/relleno.xml", b"\x00" * (3 * MB))  # compresses to a few KB
    data = out.getvalue()
    assert len(data) < 100_000
    report = run(data, limits=Limits(max_part=2 * MB))
    assert messages(report) == [(None, None, "el archivo excede el tamaño permitido (descomprimido)")]


def test_too_many_rows_is_refused():
    rows = [[f"1.{i}.", f"Concepto {i}", "PZA", 1, 10, None] for i in range(30)]
    report = run(xlsx(rows), limits=Limits(max_rows=20))
    assert messages(report) == [(None, None, "el archivo excede el tamaño permitido (más de 20 renglones)")]
    assert report["renglones"] == 0


def test_a_damaged_zip_is_an_error_not_a_500():
    data = xlsx([LINE])[:3000]
    report = run(data)
    assert report["errores"][0]["fila"] is None
    assert "hoja de cálculo" in report["errores"][0]["mensaje"]


# --- rule 2: sheet and header ------------------------------------------------------------------


def test_hidden_first_sheet_title_block_merged_two_row_header_and_table_header_below():
    before = [
        ["", "=DATOS!A1"],
        ["", "ANEXO C — CATÁLOGO DE CONCEPTOS"],
        [],
        ["PARTIDA", "DESCRIPCIÓN DE CONCEPTOS", "UNID.", "CANT.", "PRECIO UNITARIO", None, "IMPORTE", None],
        [None, None, None, None, "M.N.", "USD", "M.N.", "USD"],
    ]
    table = [
        "PARTIDA",
        "CONCEPTO",
        "UNIDAD",
        "VOLUMEN PTE",
        "P.U. M.N.",
        "P.U. USD",
        "IMPORTE PTE M.N.",
        "IMPORTE PTE USD",
        "Column64",
    ]
    data = xlsx(
        [["4.7.", "Tubero", "JORNADA", 2, 172634.6, 0, 345269.2, 0]],
        before=before,
        header=table,
        hidden_first=True,
        merge=("B2:H2", "E4:F4", "G4:H4", "A4:A5"),
    )
    report = run(data)
    assert (report["hoja"], report["fila_encabezado"], report["errores"]) == ("ANEXO C", 6, [])
    assert report["totales"]["mxn"] == "345269.20"


def test_a_folded_two_row_header_names_its_columns_joined_by_a_space():
    before = [
        ["PARTIDA", "CONCEPTO", "UNIDAD", "CANTIDAD", "PRECIO UNITARIO", None, "IMPORTE", None],
        [None, None, None, None, "M.N.", "USD", "M.N.", "USD"],
    ]
    data = xlsx(
        [["2.401.", "Pintura", "M2", 2, 100, None, 999, None]], before=before, header=None, merge=("E1:F1",)
    )
    report = run(data)
    assert report["fila_encabezado"] == 2
    assert messages(report) == [
        (3, "IMPORTE M.N.", "no coincide: 2 × 100.00 = 200.00, el archivo dice 999.00")
    ]


def test_the_sheet_named_for_the_kind_wins_else_the_first_visible_with_a_header():
    notes = ("NOTAS", [["Sin datos"]])
    data = xlsx([LINE], sheet="Hoja de trabajo", other_sheets=(notes,))
    assert run(data)["hoja"] == "Hoja de trabajo"
    data = xlsx([LINE], sheet="ANEXO C", other_sheets=(("Resumen", [HEADER, ["9.9.", "Otro", "PZA", 1, 1]]),))
    assert run(data)["hoja"] == "ANEXO C"


def test_synonyms_case_accents_and_dots_differ():
    header = [
        "Part.",
        "Descripción de conceptos",
        "unid",
        "Cantidades de referencia",
        "p.u. mn",
        "Precio Unitario USD",
    ]
    report = run(xlsx([["1C-009", "Buzo", "H-H", 8, 1200, 15.5]], header=header))
    assert report["errores"] == []
    assert report["totales"] == {"mxn": "9600.00", "usd": "124.00"}


def test_missing_columns_are_named():
    report = run(xlsx([LINE], header=["PARTIDA", "CONCEPTO", "CANTIDAD", "OBSERVACIONES"]))
    assert messages(report) == [(None, None, "faltan columnas: UNIDAD, P.U. M.N. o P.U. USD")]


def test_no_header_at_all():
    report = run(xlsx([["hola", "mundo"]], header=None))
    assert messages(report) == [(None, None, "no se encontró el encabezado")]


def test_a_header_and_no_lines():
    report = run(xlsx([["4", "CAPÍTULO SIN RENGLONES"], [], []]))
    assert messages(report) == [(None, None, "sin renglones")]


# --- row classes -------------------------------------------------------------------------------


def test_rows_of_four_classes_and_blank_rows():
    rows = [
        ["2", "CATÁLOGO DE CONCEPTOS DE PROTECCIÓN"],
        [None, "PROTECCIÓN ANTICORROSIVA"],
        LINE,
        [None, None, None, None, None, None, "#NAME?"],
        ["", "SUBTOTAL ANEXO C-2", None, None, None, None, 825106, 0],
        ["ANEXO C-4", "CATÁLOGO DE CONCEPTOS DE PERSONAL"],
        [None, "PERSONAL (MAR)"],
        ["4.7.", "Tubero", "JORNADA", 2, 172634.6, None, 345269.2, None],
        ["4.7.", "Soldador", "JORNADA", 1, 1000, 50, 1000, 50],
        [None, "SUBTOTAL ANEXO C-4", None, None, None, None, 346269.2, 50],
        [None, "TOTAL", None, None, None, None, 1171375.2, 50],
        *[[] for _ in range(120)],
    ]
    report = run(xlsx(rows))
    assert report["errores"] == []
    assert (report["renglones"], report["capitulos"], report["subencabezados"]) == (3, 2, 2)
    first = report["muestra"][0]
    assert (first["capitulo"], first["subencabezado"], first["fila"]) == ("2", "PROTECCIÓN ANTICORROSIVA", 4)
    assert report["muestra"][1]["capitulo"] == "ANEXO C-4"
    assert [(s["fila"], s["texto"], s["mxn"], s["usd"], s["coincide"]) for s in report["subtotales"]] == [
        (6, "SUBTOTAL ANEXO C-2", "825106.00", "0.00", True),
        (11, "SUBTOTAL ANEXO C-4", "346269.20", "50.00", True),
        (12, "TOTAL", "1171375.20", "50.00", True),
    ]
    assert report["totales"] == {"mxn": "1171375.20", "usd": "50.00"}
    assert messages(report, "advertencias") == [(10, "PARTIDA", "partida repetida con distinto concepto")]


# --- rule 6: subtotals -------------------------------------------------------------------------


def test_a_subtotal_that_does_not_match_is_a_warning():
    rows = [LINE, [None, "SUBTOTAL ANEXO C-2", None, None, None, None, 825000, None]]
    report = run(xlsx(rows))
    assert report["errores"] == []
    assert report["subtotales"][0]["coincide"] is False
    assert messages(report, "advertencias") == [
        (
            3,
            "IMPORTE M.N.",
            "el subtotal no coincide con sus renglones: M.N. suma 825,106.00, el archivo dice 825,000.00",
        )
    ]


# --- rule 3: numbers in cells ------------------------------------------------------------------


def test_numbers_as_text_and_float_artifacts_in_cells():
    rows = [
        ["1.1.", "Embarcación", "DÍA", "1", "$ 10,449.94", "79,712.50", "10449.94", "$ 79,712.50"],
        ["1.2.", "Material", "LOTE", 1, 1577760.6600000001, None, 1577760.6600000001, "-"],
    ]
    report = run(xlsx(rows))
    assert report["errores"] == []
    assert report["totales"] == {"mxn": "1588210.60", "usd": "79712.50"}
    assert report["muestra"][0]["pu_usd"] == "79712.5"


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({3: "4.125,53"}, "CANTIDAD", "formato numérico ambiguo"),
        ({3: -2}, "CANTIDAD", "cantidad negativa"),
        ({4: "mucho"}, "P.U. M.N.", "no numérica"),
        ({4: 1.12345, 6: None}, "P.U. M.N.", "más de 4 decimales"),
        ({3: 1.1234567, 6: None}, "CANTIDAD", "más de 6 decimales"),
        ({2: None}, "UNIDAD", "unidad requerida"),
        ({6: 5818.98}, "IMPORTE M.N.", "no coincide: 200 × 4,125.53 = 825,106.00, el archivo dice 5,818.98"),
    ],
)
def test_each_cell_error_names_the_row_and_column(cells, column, message):
    row = list(LINE)
    for col, value in cells.items():
        row[col] = value
    report = run(xlsx([row]))
    assert messages(report) == [(2, column, message)]
    assert report["errores"][0]["hoja"] == "ANEXO C"


def test_both_prices_zero_is_a_warning():
    report = run(xlsx([["3.1.", "Sin costo", "LOTE", 1, 0, "$ -"]]))
    assert report["errores"] == []
    assert messages(report, "advertencias") == [(2, "P.U. M.N.", "precio cero")]


# --- rule 1: formulas and error cells ----------------------------------------------------------


def test_a_formula_with_its_cached_value_is_read_and_one_without_is_an_error():
    data = xlsx(
        [
            ["4.7.", "Tubero", "JORNADA", 2, 172634.6, None, "=D2*E2", None],
            ["4.8.", "Soldador", "JORNADA", 1, 100, None, "=D3*E3", None],
        ]
    )
    cached = with_cached_values(data, "ANEXO C", {"G2": 345269.2})
    report = run(cached)
    assert messages(report) == [
        (3, "IMPORTE M.N.", "fórmula sin valor calculado: abra y guarde el archivo en Excel")
    ]
    assert report["renglones"] == 1


def test_a_blank_importe_is_not_a_formula():
    report = run(xlsx([["4.7.", "Tubero", "JORNADA", 2, 100, None, None, None]]))
    assert (report["errores"], report["totales"]["mxn"]) == ([], "200.00")


def test_an_excel_error_cell_is_an_error():
    data = with_cached_values(
        xlsx([["4.7.", "Tubero", "JORNADA", 2, 100, None, "=D2*#REF!", None]]), "ANEXO C", {"G2": "#REF!"}
    )
    report = run(data)
    assert [(e["fila"], e["columna"], e["valor"], e["mensaje"]) for e in report["errores"]] == [
        (2, "IMPORTE M.N.", "#REF!", "error de Excel en la celda")
    ]


# --- rule 5: keys ------------------------------------------------------------------------------


def test_the_same_partida_told_apart_by_trailing_spaces_and_concept_is_two_lines():
    rows = [["4.7.", "Tubero", "JORNADA", 1, 100], ["4.7. ", "Mecánico", "JORNADA", 1, 120]]
    report = run(xlsx(rows))
    assert report["renglones"] == 2
    assert messages(report, "advertencias") == [(3, "PARTIDA", "partida repetida con distinto concepto")]


def test_an_identical_row_is_a_duplicate():
    report = run(xlsx([LINE, list(LINE)]))
    assert messages(report) == [(3, "PARTIDA", "renglón duplicado de la fila 2")]


def test_the_same_key_with_another_price_is_an_error():
    other = list(LINE)
    other[4], other[6] = 4000, 800000
    report = run(xlsx([LINE, other]))
    assert messages(report) == [(3, "P.U. M.N.", "misma partida y concepto con distinto P.U.")]


def test_a_concept_that_looks_like_a_formula_is_kept_as_text():
    data = csv_bytes(["PARTIDA;CONCEPTO;UNIDAD;CANTIDAD;P.U. M.N.", '9.1.;=HYPERLINK("http://x");PZA;1;10'])
    report = run(data, name="anexo.csv")
    assert report["muestra"][0]["concepto"] == '=HYPERLINK("http://x")'
