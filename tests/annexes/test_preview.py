"""The upload report's preview: the rows with an error or a warning, as the file has them, with the
offending cells marked (sheet, row and column from the report) and their messages."""

import io

from ot_app.annexes import preview
from ot_app.annexes.pipeline import PREVIEW_ROWS, analyze
from ot_app.extensions import db
from tests import factories

from .builders import xlsx

HX = {"HX-Request": "true"}
ROWS = [
    ["2", "PROTECCIÓN"],
    ["2.401.", "Limpieza", "M2", 200, 4125.53, None],
    ["2.402.", "Pintura", None, 10, "12,5x", None],  # no unit, a price that is not a number
    ["2.403.", "Andamio", "M2", 3, 0, None],  # a zero price: a warning
]


def test_the_rows_with_issues_keep_their_cells_and_the_bad_ones_are_marked():
    report = analyze("anexo.xlsx", xlsx(ROWS), "anexo_c")
    assert not report.ok
    view = preview.build(report)
    assert [f.fila for f in view.filas] == [4, 5]  # header on row 1: the clean row 3 is not shown
    assert [letter for letter, _ in view.columnas[:5]] == ["A", "B", "C", "D", "E"]
    assert view.columnas[2][1] == "UNIDAD" and view.columnas[4][1] == "P.U. M.N."
    bad, zero = view.filas
    assert [c.texto for c in bad.celdas[:5]] == ["2.402.", "Pintura", "", "10", "12,5x"]
    assert bad.celdas[2].clase == "error" and "unidad requerida" in bad.celdas[2].mensajes
    assert bad.celdas[4].clase == "error"
    assert bad.celdas[0].clase == bad.celdas[1].clase == ""
    assert any(m.startswith("UNIDAD: unidad requerida") for m in bad.mensajes)
    assert zero.celdas[4].clase == "warn" and zero.mensajes == ["P.U. M.N.: precio cero"]


def test_the_preview_is_bounded():
    rows = [["2", "PROTECCIÓN"]] + [[f"2.{i}.", f"Concepto {i}", None, 1, 1, None] for i in range(1, 200)]
    report = analyze("anexo.xlsx", xlsx(rows), "anexo_c")
    assert len(report.errores) == 199
    assert len(preview.build(report).filas) == PREVIEW_ROWS


def test_a_file_level_error_has_no_preview():
    report = analyze("anexo.xlsx", b"<html>no</html>", "anexo_c")
    assert not report.ok and preview.build(report) is None


def test_the_dialog_shows_the_preview_with_the_cells_marked(app, editor_client):
    with app.app_context():
        ot = factories.make_ot()
        db.session.commit()
        ot_id = ot.id
    r = editor_client.auth.post(
        f"/ot/{ot_id}/anexos/importar",
        data={"tipo": "anexo_c", "confirmar": "0", "archivo": (io.BytesIO(xlsx(ROWS)), "anexo.xlsx")},
        content_type="multipart/form-data",
        headers=HX,
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert 'id="reporte-vista-previa"' in html
    assert '<tr data-fila="4">' in html
    assert 'class="celda-error" title="unidad requerida" data-columna="C"' in html
    assert 'class="celda-warn" title="precio cero" data-columna="E"' in html
