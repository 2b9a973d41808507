"""Programs derived from the OT's annexes through POST /api/ot/programa/derivar: the sábana (each
day's quantity × P.U. is that day's planned amount) and the Anexo C alone (one activity per
chapter over the version's programmed dates). Dry run first, then confirm."""

import io
from datetime import date
from decimal import Decimal

import jsonschema_rs
import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from ot_app.annexes.commands import import_annex
from ot_app.api.openapi import DOCUMENT
from ot_app.extensions import db
from ot_app.models import AnexoRevision, ProgramaActividad, ProgramaRevision
from tests import factories
from tests.annexes.builders import sabana, xlsx

URL = "/api/ot/programa/derivar"
ANEXO_C = [
    ["2", "PROTECCIÓN ANTICORROSIVA"],
    ["2.401.", "Limpieza con chorro de arena", "M2", 200, 4125.53, None],
    ["4", "PERSONAL"],
    ["4.7.", "Tubero", "JORNADA", 2, 172634.6, None],
    ["4.8.", "Soldador", "JORNADA", 3, 10449.94, 79712.5],
]
SABANA = [
    ["4.7.", "Tubero", "JORNADA", 172634.6, None, 1, 1, 0, 2],
    ["4.8.", "Soldador", "JORNADA", 10449.94, 79712.5, 1, 1, 1, 3],
]


def validator(component):
    return jsonschema_rs.validator_for({"$ref": f"#/components/schemas/{component}", **DOCUMENT})


@pytest.fixture
def ot_id(app):
    with app.app_context():
        ot = factories.make_ot()
        db.session.commit()
        return ot.id


def load(app, ot_id, tipo, data):
    with app.app_context():
        report = import_annex(ot_id, tipo, FileStorage(io.BytesIO(data), f"{tipo}.xlsx"), True, None)
        assert report.ok, report.errores


def derive(api, ot_id, fuente, confirmar="0"):
    return api.post(URL, data={"id": str(ot_id), "fuente": fuente, "confirmar": confirmar})


def activities(app):
    with app.app_context():
        rev = db.session.scalars(select(ProgramaRevision).order_by(ProgramaRevision.n.desc())).first()
        rows = db.session.scalars(
            select(ProgramaActividad)
            .where(ProgramaActividad.id_revision == rev.id)
            .order_by(ProgramaActividad.orden)
        ).all()
        db.session.expunge_all()
        return rev, rows


def test_the_sabana_gives_one_activity_per_line_with_its_daily_amounts(app, api, ot_id):
    load(app, ot_id, "anexo_c", xlsx(ANEXO_C))
    load(
        app, ot_id, "sabana", sabana(SABANA, start=date(2026, 2, 2), extra_columns=("P.U. M.N.", "P.U. USD"))
    )
    dry = derive(api, ot_id, "sabana")
    body = dry.get_json()
    assert dry.status_code == 200, body
    datos = body["datos"]
    validator("ReportePrograma").validate(datos)
    assert (datos["fuente"], datos["actividades"], datos["confirmado"]) == ("sabana", 2, False)
    assert (datos["inicio"], datos["fin"]) == ("2026-02-02", "2026-02-04")
    assert datos["totales"] == {"mxn": "376619.02", "usd": "239137.50"}
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProgramaRevision)) == 0
    done = derive(api, ot_id, "sabana", confirmar="1").get_json()
    assert (done["exito"], done["datos"]["revision"], done["datos"]["confirmado"]) == (True, 1, True)
    rev, rows = activities(app)
    with app.app_context():
        sabana_rev = db.session.scalars(select(AnexoRevision).where(AnexoRevision.tipo == "sabana")).one()
    assert (rev.origen, rev.id_anexo_revision) == ("sabana", sabana_rev.id)
    # The sábana has no chapter rows: the phases are its lines' chapters in the Anexo C.
    assert [(a.nivel, a.nombre) for a in rows] == [
        (1, "4 PERSONAL"),
        (2, "4.7. Tubero"),
        (2, "4.8. Soldador"),
    ]
    soldador = rows[-1]
    assert soldador.distribucion == {
        "mxn": {"2026-02-02": "10449.94", "2026-02-03": "10449.94", "2026-02-04": "10449.94"},
        "usd": {"2026-02-02": "79712.50", "2026-02-03": "79712.50", "2026-02-04": "79712.50"},
    }
    assert (soldador.inicio, soldador.fin, soldador.monto_usd) == (
        date(2026, 2, 2),
        date(2026, 2, 4),
        Decimal("239137.50"),
    )
    assert rows[-2].distribucion["mxn"] == {"2026-02-02": "172634.60", "2026-02-03": "172634.60"}


def test_the_anexo_c_alone_gives_one_activity_per_chapter_over_the_programmed_dates(app, api, ot_id):
    load(app, ot_id, "anexo_c", xlsx(ANEXO_C))
    body = derive(api, ot_id, "anexo_c", confirmar="1").get_json()
    assert body["exito"], body
    rev, rows = activities(app)
    assert rev.origen == "anexo"
    assert [(a.nivel, a.nombre, a.monto_mxn, a.monto_usd) for a in rows] == [
        (1, "Anexo C", 0, 0),
        (2, "2 PROTECCIÓN ANTICORROSIVA", Decimal("825106.00"), 0),
        (2, "4 PERSONAL", Decimal("376619.02"), Decimal("239137.50")),
    ]
    personal = rows[2]
    assert (personal.inicio, personal.fin, personal.perfil, personal.distribucion) == (
        date(2026, 2, 1),
        date(2026, 3, 17),
        "lineal",
        None,
    )
    assert len(personal.claves_anexo) == 2 and len(rows[1].claves_anexo) == 1


def test_without_the_annex_the_report_says_to_import_it(app, api, ot_id):
    r = derive(api, ot_id, "sabana")
    assert r.status_code == 422
    assert r.get_json()["datos"]["errores"][0]["mensaje"] == (
        "la OT no tiene sábana: impórtelo primero en la pestaña Anexos"
    )


@pytest.mark.parametrize(
    "data, campo",
    [
        ({"fuente": "sabana"}, "id"),
        ({"id": "1", "fuente": "otra"}, "fuente"),
        ({"id": "1", "fuente": "sabana", "confirmar": "2"}, "confirmar"),
    ],
)
def test_bad_fields_are_named(api, ot_id, data, campo):
    r = api.post(URL, data=data)
    assert r.status_code == 400
    assert campo in r.get_json()["errores"]


def test_a_lector_cannot_derive(api_lector, ot_id):
    assert derive(api_lector, ot_id, "anexo_c").status_code == 403
