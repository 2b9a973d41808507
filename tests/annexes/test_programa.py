"""The `programa` kind (shared/annexes.md rule 8): DT-6 volumes per month summing to VOLUMEN PTE,
DE-MN / DE-ME importes per month = volume × P.U., the report's hojas / periodos / curva_s, and the
confirmation that stores the annex revision and the program derived from it, both or neither."""

import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from sqlalchemy import func, select

from ot_app.annexes.demo import LINES, programa_workbook
from ot_app.annexes.pipeline import analyze
from ot_app.extensions import db
from ot_app.models import AnexoRevision, ProgramaActividad, ProgramaRevision
from tests import factories

from .test_api import post, schema_of

MESES = ["MES 1", "MES 2", "MES 3"]


def workbook(dt6, de_mn=None, de_me=None, *, dt6_header=None) -> bytes:
    """ANEXO DT-6 and (when given) the DE sheets, each a title row, a header and `rows`."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "ANEXO DT-6"
    ws.append(["PROGRAMA DE EJECUCIÓN"])
    ws.append(dt6_header or ["PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE", *MESES])
    for row in dt6:
        ws.append(row)
    for title, pu, rows in (("ANEXO DE-MN", "P.U. M.N.", de_mn), ("ANEXO DE-ME", "P.U. USD", de_me)):
        if rows is None:
            continue
        sheet = wb.create_sheet(title)
        sheet.append(["PARTIDA", "CONCEPTO", "UNIDAD", pu, *MESES])
        for row in rows:
            sheet.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


DT6 = [
    ["2", "PROTECCIÓN ANTICORROSIVA"],
    ["2.401.", "Limpieza con chorro de arena", "M2", 200, 100, 60, 40],
    ["4", "PERSONAL"],
    ["4.7.", "Soldador", "JORNADA", 10, 0, 5, 5],
]
DE_MN = [
    ["2", "PROTECCIÓN ANTICORROSIVA"],
    ["2.401.", "Limpieza con chorro de arena", "M2", 4125.53, 412553, 247531.8, 165021.2],
    ["4.7.", "Soldador", "JORNADA", 10449.94, 0, 52249.7, 52249.7],
]
DE_ME = [["4.7.", "Soldador", "JORNADA", 79712.5, None, 398562.5, 398562.5]]


def report(data):
    return analyze("programa.xlsx", data, "programa")


def messages(r):
    return [(e.hoja, e.fila, e.columna, e.mensaje) for e in r.errores]


def test_the_report_adds_hojas_periodos_and_the_s_curve_per_currency():
    r = report(workbook(DT6, DE_MN, DE_ME))
    assert r.ok, messages(r)
    out = r.to_json()
    assert out["hojas"] == ["ANEXO DT-6", "ANEXO DE-MN", "ANEXO DE-ME"]
    assert out["periodos"] == MESES
    assert (out["renglones"], out["capitulos"]) == (2, 2)
    assert out["totales"] == {"mxn": "929605.40", "usd": "797125.00"}
    assert out["curva_s"]["mxn"] == [
        {
            "periodo": "MES 1",
            "importe": "412553.00",
            "acumulado": "412553.00",
            "porcentaje_acumulado": "44.38",
        },
        {
            "periodo": "MES 2",
            "importe": "299781.50",
            "acumulado": "712334.50",
            "porcentaje_acumulado": "76.63",
        },
        {
            "periodo": "MES 3",
            "importe": "217270.90",
            "acumulado": "929605.40",
            "porcentaje_acumulado": "100.00",
        },
    ]
    assert [p["porcentaje_acumulado"] for p in out["curva_s"]["usd"]] == ["0.00", "50.00", "100.00"]
    assert out["curva_s"]["usd"][-1]["acumulado"] == "797125.00"
    first = out["muestra"][0]
    assert first["programa_diario"] == {"MES 1": "100", "MES 2": "60", "MES 3": "40"}
    assert (first["pu_mxn"], first["importe_mxn"], first["suma_dias"]) == ("4125.53", "825106.00", "200")
    schema_of("ReporteAnexo").validate(out)


def test_the_curve_ends_at_the_total_of_each_currency():
    out = report(workbook(DT6, DE_MN, DE_ME)).to_json()
    for moneda in ("mxn", "usd"):
        assert out["curva_s"][moneda][-1]["acumulado"] == out["totales"][moneda]
        assert out["curva_s"][moneda][-1]["porcentaje_acumulado"] == "100.00"


def test_months_that_do_not_add_up_to_the_volume_are_an_error():
    dt6 = [["2.401.", "Limpieza con chorro de arena", "M2", 200, 100, 60, 30]]
    r = report(workbook(dt6, DE_MN[1:2]))
    assert messages(r) == [
        (
            "ANEXO DT-6",
            3,
            "VOLUMEN PTE",
            "la suma de los meses no coincide: suma 190, VOLUMEN PTE dice 200",
        )
    ]
    # Its DE-MN row says nothing more (the line was refused in DT-6).
    assert r.lines == []


def test_a_monthly_importe_must_be_volume_times_the_unit_price():
    de_mn = [["2.401.", "Limpieza con chorro de arena", "M2", 4125.53, 412553, 5818.98, 165021.2]]
    r = report(workbook(DT6[:2], de_mn))
    assert messages(r) == [
        ("ANEXO DE-MN", 2, "MES 2", "no coincide: 60 × 4,125.53 = 247,531.80, el archivo dice 5,818.98")
    ]


def test_within_a_cent_is_accepted_and_the_computed_importe_kept():
    de_mn = [["2.401.", "Limpieza con chorro de arena", "M2", 4125.53, 412553.01, 247531.8, 165021.19]]
    r = report(workbook(DT6[:2], de_mn))
    assert r.ok, messages(r)
    assert r.to_json()["curva_s"]["mxn"][0]["importe"] == "412553.00"


@pytest.mark.parametrize(
    "row, mensaje",
    [
        (["9.9.", "Otro concepto", "M2", 1, 1, 0, 0], "el renglón no está en ANEXO DT-6"),
        (["2.401.", "Limpieza con chorro de arena", "M2", 4000, 400000, 240000, 160000], "P.U. distinto"),
        (["2.401.", "Limpieza con chorro de arena", "M2", "abc", 1, 1, 1], "no numérica"),
    ],
)
def test_de_rows_are_checked_against_dt6(row, mensaje):
    dt6 = [["2.401.", "Limpieza con chorro de arena", "M2", 200, 4125.53, 100, 60, 40]]
    header = ["PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE", "P.U. M.N.", *MESES]
    r = report(workbook(dt6, [row], dt6_header=header))
    assert any(e.hoja == "ANEXO DE-MN" and mensaje in e.mensaje for e in r.errores), messages(r)


def test_without_month_columns_the_sheet_is_refused():
    r = report(
        workbook([["2.401.", "X", "M2", 1]], dt6_header=["PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE"])
    )
    assert [e.mensaje for e in r.errores][:1] == ["no hay columnas de meses (MES 1, MES 2, …)"]


def test_without_de_sheets_and_without_prices_there_is_nothing_to_spread():
    r = report(workbook(DT6))
    assert "faltan las hojas ANEXO DE-MN y ANEXO DE-ME" in r.errores[-1].mensaje


def test_dt6_with_its_own_prices_needs_no_de_sheet_and_warns():
    header = ["PARTIDA", "CONCEPTO", "UNIDAD", "VOLUMEN PTE", "P.U. M.N.", *MESES]
    r = report(workbook([["2.401.", "Limpieza", "M2", 200, 4125.53, 100, 60, 40]], dt6_header=header))
    assert r.ok, messages(r)
    assert any("no se encontró la hoja ANEXO DE-MN" in w.mensaje for w in r.advertencias)
    assert r.to_json()["curva_s"]["mxn"][-1]["acumulado"] == "825106.00"


# --- confirmation: the annex revision and the program, through the API --------------------


@pytest.fixture
def ot_id(app):
    with app.app_context():
        ot = factories.make_ot(monto_mxn="1,000,000.00", monto_usd="0")
        db.session.commit()
        return ot.id


def counts(app):
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(AnexoRevision)),
            db.session.scalar(select(func.count()).select_from(ProgramaRevision)),
        )


def test_a_dry_run_through_the_api_stores_nothing(app, api, ot_id):
    r = post(api, ot_id, workbook(DT6, DE_MN, DE_ME), tipo="programa")
    body = r.get_json()
    assert r.status_code == 200, body
    assert body["datos"]["periodos"] == MESES and body["datos"]["revision_programa"] is None
    assert counts(app) == (0, 0)


def test_confirming_stores_the_annex_and_its_program(app, api, ot_id):
    r = post(api, ot_id, workbook(DT6, DE_MN, DE_ME), tipo="programa", confirmar="1")
    body = r.get_json()
    assert r.status_code == 200, body
    assert (body["datos"]["revision"], body["datos"]["revision_programa"]) == (1, 1)
    assert body["detalles"] == "Anexo guardado como revisión 1 y programa como revisión 1."
    schema_of("ReporteAnexo").validate(body["datos"])
    with app.app_context():
        anexo = db.session.scalars(select(AnexoRevision)).one()
        programa = db.session.scalars(select(ProgramaRevision)).one()
        assert (anexo.tipo, programa.origen, programa.id_anexo_revision) == ("programa", "programa", anexo.id)
        assert programa.archivo_sha256 == anexo.archivo_sha256 and programa.formato == "xlsx"
        rows = db.session.scalars(
            select(ProgramaActividad)
            .where(ProgramaActividad.id_revision == programa.id)
            .order_by(ProgramaActividad.orden)
        ).all()
        assert [(a.nivel, a.nombre) for a in rows] == [
            (1, "2 PROTECCIÓN ANTICORROSIVA"),
            (2, "2.401. Limpieza con chorro de arena"),
            (1, "4 PERSONAL"),
            (2, "4.7. Soldador"),
        ]
        limpieza, soldador = rows[1], rows[3]
        # The OT is programmed from 2026-02-01: MES 1 is February 2026.
        assert limpieza.distribucion["mxn"] == {
            "2026-02-01": "412553.00",
            "2026-03-01": "247531.80",
            "2026-04-01": "165021.20",
        }
        assert soldador.distribucion == {
            "mxn": {"2026-03-01": "52249.70", "2026-04-01": "52249.70"},
            "usd": {"2026-03-01": "398562.50", "2026-04-01": "398562.50"},
        }
        assert (soldador.inicio, soldador.fin) == (date(2026, 3, 1), date(2026, 4, 30))
        assert (limpieza.monto_mxn, soldador.monto_usd) == (Decimal("825106.00"), Decimal("797125.00"))
        assert len(limpieza.claves_anexo) == 1
        assert (programa.total_mxn, programa.total_usd) == (Decimal("929605.40"), Decimal("797125.00"))


def test_a_workbook_with_errors_stores_neither(app, api, ot_id):
    dt6 = [["2.401.", "Limpieza con chorro de arena", "M2", 200, 100, 60, 30]]
    r = post(api, ot_id, workbook(dt6, DE_MN[1:2]), tipo="programa", confirmar="1")
    assert r.status_code == 422
    assert counts(app) == (0, 0)


def test_a_refused_program_stores_no_annex_either(app, api, ot_id, monkeypatch):
    """The boundary: the program is written inside the annex revision's transaction. A failure
    injected after the program's rows are checked (the audit row of the program) must take the
    annex revision with it."""
    from ot_app.schedules import commands as program_commands
    from ot_app.service_errors import ValidationFailed

    real = program_commands.audit.log

    def failing(actor, accion, *args, **kwargs):
        if accion == "guardar_programa":
            raise ValidationFailed.from_errors({"programa": "fallo inyectado"})
        return real(actor, accion, *args, **kwargs)

    monkeypatch.setattr(program_commands.audit, "log", failing)
    r = post(api, ot_id, workbook(DT6, DE_MN, DE_ME), tipo="programa", confirmar="1")
    body = r.get_json()
    assert r.status_code == 422, body
    assert body["datos"]["errores"][-1]["mensaje"] == "fallo inyectado"
    assert counts(app) == (0, 0)


def test_an_ot_without_a_programmed_start_cannot_place_the_months(app, api):
    with app.app_context():
        ot = factories.make_ot()
        ot.fecha_inicio_programado = None
        db.session.commit()
        ot_id = ot.id
    r = post(api, ot_id, workbook(DT6, DE_MN, DE_ME), tipo="programa")
    assert r.status_code == 422
    assert "la OT no tiene fecha de inicio programada" in r.get_json()["datos"]["errores"][-1]["mensaje"]


def test_the_demo_workbook_reads_clean():
    r = report(programa_workbook(LINES, 4))
    assert r.ok and not r.advertencias, messages(r)
    assert r.to_json()["periodos"] == ["MES 1", "MES 2", "MES 3", "MES 4"]
