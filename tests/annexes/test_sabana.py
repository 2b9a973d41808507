"""The sábana importer (rule 7): day headers are real dates (1900/1904), days sum to TOTALES,
planning more than the annex quantity is a warning, the PUE sheet is validated."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from werkzeug.datastructures import FileStorage

from ot_app.annexes.commands import import_annex
from ot_app.annexes.pipeline import analyze
from ot_app.extensions import db
from tests import factories

from .builders import sabana


def run(data, reference=None):
    return analyze("sabana.xlsx", data, "sabana", reference=reference).to_json(sample=1000)


def messages(report, key="errores"):
    return [(e["hoja"], e["fila"], e["columna"], e["mensaje"]) for e in report[key]]


ROWS = [
    [None, "PERSONAL (MAR)"],
    ["4.7.", "Tubero", "JORNADA", 1, 1, None, 2],
    ["4.8.", "Soldador", "JORNADA", None, 2, 2, 4],
]


def test_days_are_read_with_their_quantities_and_totals():
    report = run(sabana(ROWS))
    assert report["errores"] == []
    assert report["dias"] == ["2025-10-01", "2025-10-02", "2025-10-03"]
    assert (report["hoja"], report["fila_encabezado"], report["renglones"], report["subencabezados"]) == (
        "SABANA DE RECURSOS",
        2,
        2,
        1,
    )
    tubero = report["muestra"][0]
    assert tubero["programa_diario"] == {"2025-10-01": "1", "2025-10-02": "1"}
    assert (tubero["suma_dias"], tubero["cantidad"], tubero["subencabezado"]) == ("2", "2", "PERSONAL (MAR)")


def test_day_headers_that_are_formulas_use_their_cached_dates():
    report = run(sabana(ROWS, formulas=True))
    assert report["errores"] == []
    assert report["dias"] == ["2025-10-01", "2025-10-02", "2025-10-03"]


def test_a_day_header_formula_without_its_value_is_an_error():
    report = run(sabana(ROWS, formulas=True, cached=False))
    assert [e["mensaje"] for e in report["errores"]][:1] == [
        "fórmula sin valor calculado: abra y guarde el archivo en Excel (encabezado de día, columna 5)"
    ]


def test_the_1904_date_system_is_honoured():
    report = run(sabana(ROWS, epoch_1904=True))
    assert report["dias"] == ["2025-10-01", "2025-10-02", "2025-10-03"]


def test_days_that_do_not_sum_to_totales_are_an_error():
    report = run(sabana([["4.7.", "Tubero", "JORNADA", 1, 1, 1, 2]]))
    assert messages(report) == [
        (
            "SABANA DE RECURSOS",
            3,
            "TOTALES",
            "la suma de los días no coincide con TOTALES: suma 3, TOTALES dice 2",
        )
    ]


def test_a_bad_day_cell_names_its_date():
    report = run(sabana([["4.7.", "Tubero", "JORNADA", 1, "-1", 1, 1]]))
    assert messages(report) == [("SABANA DE RECURSOS", 3, "2025-10-02", "cantidad negativa")]


def test_planning_more_than_the_annex_quantity_is_a_warning():
    report = run(sabana([["4.7.", "Tubero", "JORNADA", 5, 2, 3, 10]], extra_columns=()), reference=None)
    assert report["advertencias"] == []  # no Anexo C: nothing to exceed
    reference = {"by_key": {("", "4.7.", "TUBERO"): Decimal(8)}, "by_partida_unit": {}}
    report = run(sabana([["4.7.", "Tubero", "JORNADA", 5, 2, 3, 10]]), reference=reference)
    assert messages(report, "advertencias") == [
        ("SABANA DE RECURSOS", 3, "TOTALES", "excede el volumen: se planean 10, el anexo tiene 8")
    ]


def test_only_rows_flagged_ok_are_this_ots_when_there_is_an_ok_column():
    rows = [
        ["4.7.", "Tubero", "JORNADA", 1, 1, None, 2, "OK"],
        ["4.8.", "Soldador", "JORNADA", 1, 1, 1, 3, None],
    ]
    report = run(sabana(rows, ok_column=True))
    assert [x["concepto"] for x in report["muestra"]] == ["Tubero"]


def test_the_pue_sheet_is_validated_too():
    pue = [
        ["PARTIDA", "CONCEPTO", "UNIDAD", "P.U.", "FECHA SANCION"],
        ["1C-009", "Buzo", "H-H", 1200, datetime(2024, 3, 1)],
        ["C3EXT-1229", "Grúa", "DIA", 35000, "13/112023"],
        ["C3EXT-1230", "Andamio", "M2", "mucho", "15/04/2024"],
    ]
    report = run(sabana(ROWS, pue=pue))
    assert messages(report) == [
        ("PUE´s BME", 3, "FECHA SANCION", "fecha inválida"),
        ("PUE´s BME", 4, "P.U.", "no numérica"),
    ]
    assert report["pue"] == {"hoja": "PUE´s BME", "renglones": 3}


def test_a_sabana_without_day_columns_is_refused():
    from .builders import xlsx

    data = xlsx(
        [["4.7.", "Tubero", "JORNADA", 2]],
        sheet="SABANA DE RECURSOS",
        header=["PARTIDA", "CONCEPTO", "UNIDAD", "TOTALES"],
    )
    assert [e["mensaje"] for e in run(data)["errores"]] == ["no hay columnas de días (encabezados con fecha)"]


@pytest.fixture
def ot_with_anexo(app):
    with app.app_context():
        ot = factories.make_ot()
        db.session.commit()
        factories.make_annex(ot.id, rows=[["4.7.", "Tubero", "JORNADA", 3, 100, None]])
        return ot.id


def test_a_confirmed_sabana_is_checked_against_the_ots_anexo_c_and_stored(app, ot_with_anexo):
    from ot_app.annexes.read import annex

    data = sabana([["4.7.", "Tubero", "JORNADA", 2, 1, 1, 4]])
    with app.app_context():
        report = import_annex(
            ot_with_anexo, "sabana", FileStorage(io.BytesIO(data), "sabana.xlsx"), True, None
        )
        assert report.ok
        assert [w.mensaje for w in report.advertencias] == [
            "excede el volumen: se planean 4, el anexo tiene 3"
        ]
        assert report.revision == 1
        datos = annex(ot_with_anexo, "sabana", None)
        line = datos["renglones"][0]
        assert line["programa_diario"] == {"2025-10-01": "2", "2025-10-02": "1", "2025-10-03": "1"}
        assert line["suma_dias"] == "4"


def test_date_helper_refuses_impossible_text_dates():
    from ot_app.annexes.rules import RuleError
    from ot_app.annexes.sabana import to_date

    assert to_date("01/10/2025") == date(2025, 10, 1)
    for text in ("13/112023", "15/04/204", "31/02/2025"):
        with pytest.raises(RuleError, match="fecha inválida"):
            to_date(text)
