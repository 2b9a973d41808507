"""The contract's concept catalog: import with the annex machinery (kind `catalogo`), all or
nothing, per-cell errors, what a re-import does, the units catalog, PUE → ordinary, and the
matching of an OT's Anexo C / sábana lines against the catalog."""

import io
import json
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from ot_app.annexes.pipeline import analyze
from ot_app.concepts import match
from ot_app.concepts.units import alias_map, normalise, seed_units
from ot_app.extensions import db
from ot_app.models import ActividadLog, Concepto, TipoConcepto, Unidad
from tests import factories

from .builders import csv_bytes, sabana, xlsx
from .concept_builders import C2, C4, FLAT, ORDINARY, PUE, PUE_ROWS, contract

URL = "/api/catalogos/conceptos/importar"
ANEXO_URL = "/api/ot/anexos/importar"


def post(api, data, confirmar="0", name="contrato.xlsx"):
    return api.post(
        URL,
        data={"confirmar": confirmar, "archivo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def concepts(app):
    with app.app_context():
        rows = db.session.scalars(select(Concepto).order_by(Concepto.id)).all()
        return {(c.anexo, c.partida.strip(), c.concepto): c for c in rows}


def load(app, api, data=None):
    r = post(api, data or contract(), "1")
    assert r.status_code == 200, r.get_json()
    return r.get_json()


# --- reading the workbook -------------------------------------------------------------------


def test_a_dry_run_reads_every_sub_anexo_sheet_and_the_pue_list_and_stores_nothing(app, api):
    r = post(api, contract())
    body = r.get_json()
    assert r.status_code == 200, body
    datos = body["datos"]
    assert (datos["tipo"], datos["renglones"], datos["confirmado"]) == ("catalogo", 6, False)
    assert datos["capitulos"] == 2 and datos["subencabezados"] == 1
    assert "al confirmar, 6 nuevos" in body["detalles"]
    by_partida = {(m["hoja"], m["partida"], m["concepto"]): m for m in datos["muestra"]}
    tubero = by_partida[("C-4-CR", "4.7.", "Tubero")]
    assert (tubero["anexo"], tubero["capitulo"], tubero["subencabezado"]) == ("C-4", "4", "PERSONAL (MAR)")
    assert by_partida[("C-2-CR", "2.401.", "Limpieza con chorro de arena")]["pu_mxn"] == "4125.53"
    assert ("PUE", "C3EXT-1229", "Buzo adicional") in by_partida
    # 4.7. twice, with two concepts: legitimate, pointed out
    assert [w["mensaje"] for w in datos["advertencias"]] == ["partida repetida con distinto concepto"]
    assert concepts(app) == {}


def test_confirming_stores_the_concepts_with_units_normalised_and_pue_dates(app, api):
    load(app, api)
    stored = concepts(app)
    assert len(stored) == 6
    with app.app_context():
        units = dict(db.session.execute(select(Unidad.id, Unidad.clave)).all())
    limpieza = stored[("C-2", "2.401.", "Limpieza con chorro de arena")]
    primario = stored[("C-2", "2.402.", "Aplicación de primario")]
    assert units[limpieza.id_unidad] == units[primario.id_unidad] == "M2"  # M² and M2
    assert limpieza.pu_mxn == Decimal("4125.53") and limpieza.tipo == TipoConcepto.ORDINARIO
    soldador = stored[("C-4", "4.7.", "Soldador")]
    assert (soldador.pu_mxn, soldador.pu_usd) == (Decimal("10449.94"), Decimal("79712.5"))
    grua = stored[("", "1C-009", "Renta de grúa extraordinaria")]
    buzo = stored[("", "C3EXT-1229", "Buzo adicional")]
    assert (grua.tipo, str(grua.fecha_sancion), grua.estatus) == ("pue", "2025-03-14", "Autorizado")
    assert str(buzo.fecha_sancion) == "2025-04-15"
    assert units[grua.id_unidad] == units[buzo.id_unidad] == "DIA"  # DÍA and DIA
    with app.app_context():
        row = db.session.scalar(select(ActividadLog).where(ActividadLog.accion == "importar_catalogo"))
        assert row.cambios["nuevos"] == [None, 6] and row.usuario


@pytest.mark.parametrize(
    "sheet, row, columna, valor, mensaje",
    [
        ("C-2-CR", ["2.403.", "Sin unidad", None, 10, None], "UNIDAD", None, "unidad requerida"),
        ("C-2-CR", ["2.403.", "Texto", "M2", "diez", None], "P.U. M.N.", "diez", "no numérica"),
        ("C-2-CR", ["2.403.", "Negativo", "M2", -5, None], "P.U. M.N.", "-5", "negativa"),
        ("C-2-CR", ["2.403.", "Coma decimal", "M2", "4.125,53", None], "P.U. M.N.", "4.125,53", "ambiguo"),
        (
            "C-2-CR",
            ["2.401.", "Limpieza con chorro de arena", "M2", 4125.53, None],
            "PARTIDA",
            "2.401.",
            "duplicado de la fila 3",
        ),
        (
            "C-2-CR",
            ["2.401.", "Limpieza con chorro de arena", "M2", 99, None],
            "P.U. M.N.",
            "99",
            "distinto P.U.",
        ),
        (
            "PUE",
            ["1C-010", "Fecha rota", "DIA", 1, None, "13/112023", ""],
            "FECHA SANCION",
            "13/112023",
            "fecha inválida",
        ),
    ],
)
def test_a_bad_cell_is_an_error_naming_it_and_nothing_is_stored(
    app, api, sheet, row, columna, valor, mensaje
):
    sheets = {"C-2-CR": (ORDINARY, [*C2]), "PUE": (PUE, [*PUE_ROWS])}
    sheets[sheet][1].append(row)
    r = post(api, contract(sheets), "1")
    body = r.get_json()
    assert r.status_code == 422 and body["tipo_aviso"] == "error", body
    [err] = body["datos"]["errores"]
    assert (err["hoja"], err["columna"], err["valor"]) == (sheet, columna, valor)
    assert mensaje in err["mensaje"] and err["fila"] == len(sheets[sheet][1]) + 1
    assert body["datos"]["confirmado"] is False
    assert concepts(app) == {}


def test_a_workbook_without_catalog_sheets_uses_its_first_visible_sheet_with_a_header(app):
    data = contract({"Hoja1": (ORDINARY, C2)})
    with app.app_context():
        report = analyze("c.xlsx", data, "catalogo", reference={"aliases": alias_map()})
    assert report.ok and len(report.lines) == 2
    assert {line.anexo for line in report.lines} == {""}


def test_a_csv_catalog_and_a_header_missing_columns(app):
    data = csv_bytes(["PARTIDA;CONCEPTO;UNIDAD;P.U. M.N.", "2.401.;Limpieza;M2;$ 1,577,760.66"])
    with app.app_context():
        report = analyze("c.csv", data, "catalogo")
        assert report.ok and report.lines[0].pu_mxn == Decimal("1577760.66")
        bad = analyze(
            "c.xlsx", contract({"C-3-CR": (["PARTIDA", "CONCEPTO", "UNIDAD"], [["1", "x", "M"]])}), "catalogo"
        )
    assert [e.mensaje for e in bad.errores] == ["faltan columnas: P.U. M.N. o P.U. USD"]
    assert bad.errores[0].hoja == "C-3-CR"


def test_an_unknown_unit_is_a_warning_and_a_formula_text_concept_stays_text(app, api):
    # CSV: a text cell as the file has it (openpyxl would write a formula)
    data = csv_bytes(["PARTIDA;CONCEPTO;UNIDAD;P.U. M.N.", '2.9.;"=HYPERLINK(""http://x"")";BULTO;5'])
    body = post(api, data, name="c.csv").get_json()
    [w] = body["datos"]["advertencias"]
    assert (w["columna"], w["valor"], w["mensaje"]) == (
        "UNIDAD",
        "BULTO",
        "unidad que no está en el catálogo de unidades",
    )
    assert body["datos"]["muestra"][0]["concepto"] == '=HYPERLINK("http://x")'


# --- re-import --------------------------------------------------------------------------------


def test_re_importing_logs_changed_prices_retires_missing_concepts_and_never_deletes(app, api):
    load(app, api)
    changed = [C2[0], ["2.401.", "Limpieza con chorro de arena", "M2", 4200, None]]  # 2.402. gone
    sheets = {"C-2-CR": (ORDINARY, changed), "C-4-CR": (FLAT, C4), "PUE": (PUE, PUE_ROWS)}
    dry = post(api, contract(sheets)).get_json()
    assert "1 con cambios, 1 pasan a inactivos, 4 sin cambio" in dry["detalles"]
    body = load(app, api, contract(sheets))
    assert body["detalles"].startswith("Catálogo de conceptos actualizado: 0 nuevos, 1 con cambios")
    stored = concepts(app)
    assert len(stored) == 6  # nothing deleted
    limpieza = stored[("C-2", "2.401.", "Limpieza con chorro de arena")]
    assert limpieza.pu_mxn == Decimal("4200") and limpieza.activo
    assert stored[("C-2", "2.402.", "Aplicación de primario")].activo is False
    with app.app_context():
        logs = {
            (r.accion, r.entidad_id): r.cambios
            for r in db.session.scalars(select(ActividadLog).where(ActividadLog.entidad == "concepto"))
        }
    assert logs[("actualizar_concepto", limpieza.id)] == {
        "pu_mxn": ["4125.53", "4200"],
        "unidad": ["M²", "M2"],
    }
    primario = stored[("C-2", "2.402.", "Aplicación de primario")]
    assert logs[("desactivar_concepto", primario.id)] == {"activo": [True, False]}
    # The same file again: nothing to do; the old one back: 2.402. reactivated, logged.
    assert (
        "0 nuevos, 0 con cambios, 0 pasan a inactivos, 5 sin cambio"
        in load(app, api, contract(sheets))["detalles"]
    )
    load(app, api)
    assert concepts(app)[("C-2", "2.402.", "Aplicación de primario")].activo is True


def test_a_file_retires_only_within_the_sub_anexos_and_tipos_it_brings(app, api):
    load(app, api)
    load(app, api, contract({"PUE": (PUE, PUE_ROWS[:1])}))  # a PUE list alone
    stored = concepts(app)
    assert stored[("", "C3EXT-1229", "Buzo adicional")].activo is False
    assert all(c.activo for c in stored.values() if c.tipo == TipoConcepto.ORDINARIO)
    load(app, api, contract({"C-2-CR": (ORDINARY, C2[:2])}))  # C-2 alone: C-4 stays
    stored = concepts(app)
    assert (
        stored[("C-4", "4.7.", "Tubero")].activo
        and not stored[("C-2", "2.402.", "Aplicación de primario")].activo
    )


def test_a_sabana_pue_sheet_imports_as_pue_concepts(app, api):
    data = sabana([], pue=[PUE, *PUE_ROWS])
    body = load(app, api, data)
    assert body["datos"]["hoja"] == "PUE´s BME" and body["datos"]["renglones"] == 2
    assert {c.tipo for c in concepts(app).values()} == {"pue"}


# --- PUE → ordinary ---------------------------------------------------------------------------


def test_a_pue_converted_to_ordinary_is_logged_and_a_later_pue_list_keeps_it(app, api, api_lector):
    load(app, api)
    grua = concepts(app)[("", "1C-009", "Renta de grúa extraordinaria")]
    assert api_lector.post("/api/catalogos/conceptos/convertir", data={"id": grua.id}).status_code == 403
    r = api.post("/api/catalogos/conceptos/convertir", data={"id": grua.id})
    assert r.status_code == 200, r.get_json()
    assert r.get_json()["datos"]["tipo"] == "ordinario"
    again = api.post("/api/catalogos/conceptos/convertir", data={"id": grua.id})
    assert again.status_code == 409 and again.get_json()["detalles"] == "El concepto ya es ordinario."
    assert api.post("/api/catalogos/conceptos/convertir", data={"id": 999999}).status_code == 404
    assert api.post("/api/catalogos/conceptos/convertir", data={}).status_code == 400
    with app.app_context():
        log = db.session.scalar(select(ActividadLog).where(ActividadLog.accion == "convertir_concepto"))
        assert (log.entidad_id, log.cambios) == (grua.id, {"tipo": ["pue", "ordinario"]})
    load(app, api)  # the PUE list again
    assert concepts(app)[("", "1C-009", "Renta de grúa extraordinaria")].tipo == "ordinario"


# --- units -------------------------------------------------------------------------------------


def test_the_units_catalog_is_seeded_once_and_folds_spellings(app):
    with app.app_context():
        assert seed_units() == 0  # the app fixture's seed already added them
        aliases = alias_map()
        assert {normalise(u, aliases) for u in ("DÍA", "DIA", "Día", "dias")} == {"DIA"}
        assert {normalise(u, aliases) for u in ("M2", "M²", "m2", "MTS2")} == {"M2"}
        assert {normalise(u, aliases) for u in ("PZA", "PIEZA", "Pzas")} == {"PZA"}
        assert normalise("H-H", aliases) == normalise("HH", aliases) == "HH"
        assert normalise("BULTO", aliases) == "BULTO"
        assert db.session.scalar(select(func.count()).select_from(Unidad)) > 10


# --- matching an OT's lines against the catalog --------------------------------------------


@pytest.fixture
def ot_id(app):
    with app.app_context():
        ot = factories.make_ot(monto_mxn="1,000,000.00", monto_usd="0")
        db.session.commit()
        return ot.id


def annex(api, ot_id, data, tipo="anexo_c"):
    r = api.post(
        ANEXO_URL,
        data={"id": str(ot_id), "tipo": tipo, "archivo": (io.BytesIO(data), "anexo.xlsx")},
        content_type="multipart/form-data",
    )
    assert r.status_code == 200, r.get_json()
    return r.get_json()["datos"]["advertencias"]


OT_ROWS = [
    ["2.401.", "Limpieza con chorro de arena", "M2", 200, 4125.53, None],  # in the catalog (M² there)
    ["2.402.", "Aplicación de primario", "ML", 10, 310.5, None],  # another unit
    ["4.7.", "Soldador", "JORNADA", 1, 10449.94, 79000],  # another USD price
    ["4.7.", "Tubero ", "JOR", 2, 172634.6, None],  # trailing space and a unit alias: the same
    ["9.1.", "Concepto nuevo", "PZA", 1, 10, None],  # not in the catalog
]


def test_with_no_catalog_loaded_there_is_nothing_to_match(app, api, ot_id):
    assert [w for w in annex(api, ot_id, xlsx(OT_ROWS)) if "catálogo" in w["mensaje"]] == []


def test_an_ot_line_not_in_the_catalog_or_with_another_unit_or_price_is_a_warning_with_both_values(
    app, api, ot_id
):
    load(app, api)
    warnings = [w for w in annex(api, ot_id, xlsx(OT_ROWS)) if "catálogo" in w["mensaje"]]
    got = {(w["fila"], w["columna"], w["valor"], w["mensaje"]) for w in warnings}
    assert got == {
        (3, "UNIDAD", "ML", "unidad distinta a la del catálogo: el catálogo dice M2, el archivo dice ML"),
        (
            4,
            "P.U. USD",
            "79000",
            "P.U. USD distinto al del catálogo: el catálogo dice 79,712.50, el archivo dice 79,000.00",
        ),
        (6, "PARTIDA", "9.1.", "no está en el catálogo de conceptos del contrato"),
    }
    assert all(w["hoja"] == "ANEXO C" for w in warnings)


def test_a_line_is_matched_by_partida_and_unit_when_its_text_differs(app, api, ot_id):
    load(app, api)
    rows = [["2.401.", "Limpieza a chorro (texto del OT)", "m²", 1, 4000, None]]
    [w] = [w for w in annex(api, ot_id, xlsx(rows)) if "catálogo" in w["mensaje"]]
    assert (w["columna"], w["valor"]) == ("P.U. M.N.", "4000")
    assert "el catálogo dice 4,125.53, el archivo dice 4,000.00" in w["mensaje"]


def test_an_inactive_concept_is_not_in_the_catalog(app, api, ot_id):
    load(app, api)
    load(app, api, contract({"C-2-CR": (ORDINARY, C2[:2]), "C-4-CR": (FLAT, C4), "PUE": (PUE, PUE_ROWS)}))
    rows = [["2.402.", "Aplicación de primario", "M2", 10, 310.5, None]]
    [w] = [w for w in annex(api, ot_id, xlsx(rows)) if "catálogo" in w["mensaje"]]
    assert w["mensaje"] == match.NOT_IN_CATALOG


def test_sabana_lines_are_matched_too(app, api, ot_id):
    load(app, api)
    rows = [["2.401.", "Limpieza con chorro de arena", "M2", 1, 1, 1, 3], ["7.7.", "Otro", "DIA", 1, 0, 0, 1]]
    warnings = [w for w in annex(api, ot_id, sabana(rows), "sabana") if "catálogo" in w["mensaje"]]
    assert [(w["fila"], w["valor"]) for w in warnings] == [(4, "7.7.")]


# --- API reads, CLI, export ---------------------------------------------------------------------


def test_the_api_lists_searches_and_pages_the_catalog(app, api, api_lector):
    load(app, api)
    body = api_lector.get("/api/catalogos/conceptos?q=jornada").get_json()
    assert body["exito"] and body["datos"]["total"] == 2
    assert {c["concepto"] for c in body["datos"]["conceptos"]} == {"Tubero", "Soldador"}
    first = body["datos"]["conceptos"][0]
    assert set(first) >= {
        "id",
        "anexo",
        "partida",
        "unidad_clave",
        "pu_mxn",
        "tipo",
        "fecha_sancion",
        "activo",
    }
    assert "pu_mxn_texto" not in first
    pue = api_lector.get("/api/catalogos/conceptos?tipo=pue").get_json()["datos"]
    assert pue["total"] == 2 and pue["conceptos"][0]["fecha_sancion"] == "2025-03-14"
    assert api_lector.get("/api/catalogos/conceptos?pagina=2").get_json()["datos"]["conceptos"] == []
    r = post(api_lector, contract())
    assert r.status_code == 403


def test_the_cli_prints_the_report_and_confirms(app, tmp_path):
    path = tmp_path / "contrato.xlsx"
    path.write_bytes(contract())
    runner = app.test_cli_runner()
    result = runner.invoke(args=["importar-catalogo", str(path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["renglones"] == 6 and concepts(app) == {}
    assert runner.invoke(args=["importar-catalogo", "--confirmar", str(path)]).exit_code == 0
    assert len(concepts(app)) == 6
    bad = tmp_path / "malo.xlsx"
    bad.write_bytes(contract({"C-2-CR": (ORDINARY, [["2.1.", "x", None, 1, None]])}))
    assert runner.invoke(args=["importar-catalogo", str(bad)]).exit_code == 1


def test_the_catalog_exports_to_xlsx_and_csv_with_formulas_neutralised(app, api, admin_client):
    load(
        app,
        api,
        csv_bytes(["PARTIDA;CONCEPTO;UNIDAD;P.U. M.N.", "2.9.;=1+1;M2;1.5", "2.401.;Limpieza;M2;4125.53"]),
    )
    csv = admin_client.get("/catalogos/conceptos/exportar?formato=csv")
    assert csv.status_code == 200 and "attachment" in csv.headers["Content-Disposition"]
    text = csv.get_data().decode("utf-8")
    assert text.startswith("\ufeffSub-anexo,Partida,Concepto")
    assert ",2.9.,'=1+1,M2,1.5,0,ordinario,,,sí" in text
    import openpyxl

    xl = admin_client.get("/catalogos/conceptos/exportar?formato=xlsx&q=limpieza")
    ws = openpyxl.load_workbook(io.BytesIO(xl.get_data())).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:3] == ("Sub-anexo", "Partida", "Concepto") and len(rows) == 2
    assert rows[1][4] == 4125.53 and ws.freeze_panes == "A2"
    assert admin_client.get("/catalogos/conceptos/exportar?formato=pdf").status_code == 400
