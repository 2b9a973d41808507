"""POST /api/ot/programa/importar: an MSPDI file's dry run (nothing stored), its confirmation as
the OT's next program revision (file kept, links and weights stored), refusals and roles."""

import io

import jsonschema_rs
import pytest
from sqlalchemy import func, select

from ot_app.api.openapi import DOCUMENT
from ot_app.extensions import db
from ot_app.models import ProgramaActividad, ProgramaLiga, ProgramaRevision
from tests import factories

from .test_source_mspdi import SAMPLE

URL = "/api/ot/programa/importar"


@pytest.fixture
def ot_id(app):
    with app.app_context():
        ot = factories.make_ot()
        db.session.commit()
        return ot.id


def post(api, ot, data, confirmar="0", name="obra.xml"):
    return api.post(
        URL,
        data={"id": str(ot), "confirmar": confirmar, "archivo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def schema(component):
    return jsonschema_rs.validator_for({"$ref": f"#/components/schemas/{component}", **DOCUMENT})


def revisions(app):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(ProgramaRevision))


def test_a_dry_run_reports_and_stores_nothing(app, api, ot_id):
    r = post(api, ot_id, SAMPLE)
    body = r.get_json()
    assert r.status_code == 200, body
    assert (body["tipo_aviso"], body["detalles"]) == (
        "advertencia",
        "Sin errores, con advertencias: puede confirmar.",
    )
    schema("ProgramaImportadoRespuesta").validate(body)
    assert (body["datos"]["actividades"], body["datos"]["confirmado"]) == (5, False)
    assert revisions(app) == 0


def test_confirming_stores_the_next_program_revision(app, api, ot_id):
    body = post(api, ot_id, SAMPLE, confirmar="1").get_json()
    assert body["exito"], body
    assert (body["datos"]["revision"], body["detalles"]) == (1, "Programa guardado como revisión 1.")
    with app.app_context():
        rev = db.session.scalars(select(ProgramaRevision)).one()
        assert (rev.origen, rev.formato, rev.archivo_nombre) == ("mspdi", "xml", "obra.xml")
        rows = db.session.scalars(
            select(ProgramaActividad)
            .where(ProgramaActividad.id_revision == rev.id)
            .order_by(ProgramaActividad.orden)
        ).all()
        assert [(a.nivel, a.wbs) for a in rows] == [
            (1, "1"),
            (2, "1.1"),
            (2, "1.2"),
            (1, "2"),
            (2, "2.1.1"),
            (2, "2.1.2"),
            (1, "3"),
            (2, "3"),
        ]
        # The file's weights (25 / 75) are kept for the activities that have one; save_program
        # fills the rest so that they sum to 100.00.
        assert [str(a.peso_mxn) for a in rows if a.nivel == 2][:2] == ["25.00", "75.00"]
        assert sum(a.peso_mxn for a in rows if a.nivel == 2) == 100
        assert str(rows[1].avance) == "100.00"
        ligas = db.session.scalars(select(ProgramaLiga).where(ProgramaLiga.id_revision == rev.id)).all()
        by_id = {a.id: a.wbs for a in rows}
        assert sorted((by_id[x.id_predecesora], by_id[x.id_sucesora], x.retraso_dias) for x in ligas) == [
            ("1.1", "1.2", 2),
            ("1.2", "2.1.1", 0),
            ("2.1.1", "2.1.2", 1),
        ]
    again = post(api, ot_id, SAMPLE, confirmar="1").get_json()
    assert again["datos"]["revision"] == 2


def test_a_file_with_errors_answers_422_and_stores_nothing(app, api, ot_id):
    r = post(api, ot_id, b"<html><body>hola</body></html>", confirmar="1")
    assert r.status_code == 422
    body = r.get_json()
    schema("ProgramaConErrores").validate(body)
    assert body["datos"]["errores"][0]["mensaje"] == "el archivo no es un proyecto de MS Project (HTML)"
    assert revisions(app) == 0


def test_no_file_is_said_beside_the_field(api, ot_id):
    r = api.post(URL, data={"id": str(ot_id)}, content_type="multipart/form-data")
    assert r.status_code == 422
    assert r.get_json()["datos"]["errores"][0]["mensaje"] == "seleccione un archivo"


def test_an_unknown_ot_is_404(api):
    assert post(api, 999999, SAMPLE).status_code == 404


def test_a_lector_cannot_import(api_lector, ot_id):
    assert post(api_lector, ot_id, SAMPLE).status_code == 403


def test_the_dry_run_says_what_saving_would_refuse_and_warn(api, ot_id):
    from .test_source_mspdi import project, task

    data = project(
        task(1, "F", 1, summary=1),
        task(2, "A", 2, "2026-02-02", "2026-02-06", weight="80"),
        task(3, "B", 2, "2026-02-09", "2026-04-20", weight="80"),
    )
    r = post(api, ot_id, data)
    assert r.status_code == 422
    errores = r.get_json()["datos"]["errores"]
    assert [e["columna"] for e in errores] == [
        "peso_mxn",
        "peso_usd",
    ]  # the file's weight is both currencies'
    ok = project(task(1, "F", 1, summary=1), task(2, "B", 2, "2026-02-09", "2026-04-20"))
    avisos = post(api, ot_id, ok).get_json()["datos"]["advertencias"]
    assert any("sale del periodo programado de la OT" in w["mensaje"] for w in avisos)
