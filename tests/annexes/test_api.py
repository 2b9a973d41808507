"""The import through the API and the command line: dry run, all-or-nothing confirmation as
revision n + 1, reading back, comparing by key, the stored file, roles and the audit row."""

import io
import json

import jsonschema_rs
import pytest
from sqlalchemy import func, select

from ot_app.api.openapi import DOCUMENT
from ot_app.extensions import db
from ot_app.models import ActividadLog, AnexoRenglon, AnexoRevision
from tests import factories

from .builders import xlsx

URL = "/api/ot/anexos/importar"
ROWS = [
    ["2", "PROTECCIÓN ANTICORROSIVA"],
    ["2.401.", "Limpieza con chorro de arena", "M2", 200, 4125.53, None],
    ["4.7.", "Tubero", "JORNADA", 2, 172634.6, None],
    ["4.7.", "Soldador", "JORNADA", 1, 10449.94, 79712.5],
]


@pytest.fixture
def ot_id(app):
    with app.app_context():
        ot = factories.make_ot(monto_mxn="1,000,000.00", monto_usd="0")
        db.session.commit()
        return ot.id


def post(api, ot, data, *, confirmar="0", tipo="anexo_c", name="anexo.xlsx"):
    return api.post(
        URL,
        data={"id": str(ot), "tipo": tipo, "confirmar": confirmar, "archivo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def schema_of(component):
    return jsonschema_rs.validator_for({"$ref": f"#/components/schemas/{component}", **DOCUMENT})


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_dry_run_answers_the_report_and_stores_nothing(app, api, ot_id):
    r = post(api, ot_id, xlsx(ROWS))
    body = r.get_json()
    assert r.status_code == 200, body
    assert (body["exito"], body["tipo_aviso"]) == (True, "advertencia")  # 4.7. with two concepts
    datos = body["datos"]
    assert (datos["renglones"], datos["capitulos"], datos["confirmado"], datos["revision"]) == (
        3,
        1,
        False,
        None,
    )
    assert datos["totales"] == {"mxn": "1180825.14", "usd": "79712.50"}
    schema_of("ImportacionRespuesta").validate(body)
    assert count(app, AnexoRevision) == 0


def test_errors_answer_422_and_nothing_is_stored_even_when_confirming(app, api, ot_id):
    bad = [*ROWS, ["4.8.", "Mecánico", None, 1, 100]]
    r = post(api, ot_id, xlsx(bad), confirmar="1")
    body = r.get_json()
    assert r.status_code == 422
    assert (body["exito"], body["tipo_aviso"], body["datos"]["confirmado"]) == (False, "error", False)
    assert body["datos"]["errores"][0]["mensaje"] == "unidad requerida"
    schema_of("ImportacionConErrores").validate(body)
    assert count(app, AnexoRevision) == 0 and count(app, AnexoRenglon) == 0


def test_a_file_refused_as_a_whole_is_one_error(api, ot_id):
    r = post(api, ot_id, b"<!DOCTYPE html><html><table></table></html>", name="anexo.xls")
    assert r.status_code == 422
    assert r.get_json()["datos"]["errores"] == [
        {
            "hoja": None,
            "fila": None,
            "columna": None,
            "valor": None,
            "mensaje": "el archivo no es una hoja de cálculo (HTML)",
        }
    ]


def test_confirm_stores_revisions_reads_them_back_and_compares_by_key(app, api, api_lector, ot_id):
    data = xlsx(ROWS)
    r = post(api, ot_id, data, confirmar="1")
    assert r.status_code == 200
    assert (r.get_json()["datos"]["confirmado"], r.get_json()["datos"]["revision"]) == (True, 1)

    got = api_lector.get(f"/api/ot/anexos?id={ot_id}&tipo=anexo_c").get_json()
    schema_of("AnexoRespuesta").validate(got)
    datos = got["datos"]
    assert datos["revision"] == 1
    assert [x["partida"] for x in datos["renglones"]] == ["2.401.", "4.7.", "4.7."]
    assert datos["renglones"][0]["cantidad"] == "200" and datos["renglones"][0]["importe_mxn"] == "825106.00"
    assert datos["monto_ot"] == {"mxn": "1000000.00", "usd": "0.00"}
    assert datos["diferencia_ot"] == {"mxn": "180825.14", "usd": "79712.50"}
    assert datos["revisiones"][0]["archivo"] == "anexo.xlsx"

    # The same file again: revision 2, an empty comparison.
    assert post(api, ot_id, data, confirmar="1").get_json()["datos"]["revision"] == 2
    same = api_lector.get(f"/api/ot/anexos/diferencias?id={ot_id}&tipo=anexo_c").get_json()["datos"]
    assert (same["de"], same["a"], same["agregados"], same["eliminados"], same["cambiados"]) == (
        1,
        2,
        [],
        [],
        [],
    )

    # A quantity and a price change, a line removed, one added.
    changed = [
        ROWS[0],
        ["2.401.", "Limpieza con chorro de arena", "M2", 250, 4125.53, None],
        ["4.7.", "Tubero", "JORNADA", 2, 180000, None],
        ["9.1.", "Buzo", "H-H", 8, 1200, None],
    ]
    assert post(api, ot_id, xlsx(changed), confirmar="1").get_json()["datos"]["revision"] == 3
    diff = api_lector.get(f"/api/ot/anexos/diferencias?id={ot_id}&tipo=anexo_c&de=1&a=3").get_json()
    schema_of("DiferenciasRespuesta").validate(diff)
    diff = diff["datos"]
    assert [x["concepto"] for x in diff["agregados"]] == ["Buzo"]
    assert [x["concepto"] for x in diff["eliminados"]] == ["Soldador"]
    assert [(c["concepto"], c["cambios"]) for c in diff["cambiados"]] == [
        ("Limpieza con chorro de arena", {"cantidad": {"de": "200", "a": "250"}}),
        ("Tubero", {"pu_mxn": {"de": "172634.6", "a": "180000"}}),
    ]
    # Earlier revisions stay readable.
    first = api_lector.get(f"/api/ot/anexos?id={ot_id}&tipo=anexo_c&revision=1").get_json()["datos"]
    assert len(first["renglones"]) == 3

    download = api_lector.get(f"/api/ot/anexos/archivo?id={ot_id}&tipo=anexo_c&revision=1")
    assert download.status_code == 200
    assert download.data == data
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    download.close()

    with app.app_context():
        logs = db.session.scalars(select(ActividadLog).where(ActividadLog.accion == "importar_anexo")).all()
        assert [log.cambios["anexo"][1] for log in logs] == [
            "Anexo C revisión 1",
            "Anexo C revisión 2",
            "Anexo C revisión 3",
        ]
        assert logs[0].usuario == "api_editor"


def test_an_ot_without_the_annex_answers_an_empty_revision(api_lector, ot_id):
    datos = api_lector.get(f"/api/ot/anexos?id={ot_id}&tipo=anexo_c").get_json()["datos"]
    assert (datos["revision"], datos["renglones"], datos["diferencia_ot"]) == (None, [], None)
    assert api_lector.get(f"/api/ot/anexos/archivo?id={ot_id}&tipo=anexo_c").status_code == 404
    assert api_lector.get(f"/api/ot/anexos?id={ot_id}&tipo=anexo_c&revision=4").status_code == 404


def test_a_lector_reads_but_does_not_import(api_lector, ot_id):
    r = post(api_lector, ot_id, xlsx(ROWS))
    assert r.status_code == 403


@pytest.mark.parametrize(
    ("form", "field"),
    [
        ({"id": "", "tipo": "anexo_c"}, "id"),
        ({"id": "1", "tipo": "programa_x"}, "tipo"),
        ({"id": "1", "tipo": "anexo_c", "confirmar": "si"}, "confirmar"),
    ],
)
def test_bad_fields_are_400_beside_the_field(api, ot_id, form, field):
    r = api.post(
        URL, data={**form, "archivo": (io.BytesIO(xlsx(ROWS)), "a.xlsx")}, content_type="multipart/form-data"
    )
    assert r.status_code == 400
    assert field in r.get_json()["errores"]


def test_no_file_is_one_error(api, ot_id):
    r = api.post(URL, data={"id": str(ot_id), "tipo": "anexo_c"}, content_type="multipart/form-data")
    assert r.status_code == 422
    assert r.get_json()["datos"]["errores"][0]["mensaje"] == "seleccione un archivo"


def test_an_unknown_ot_is_404(api):
    assert post(api, 999, xlsx(ROWS)).status_code == 404


def test_a_deleted_ot_is_read_only(app, api, api_admin, ot_id):
    from ot_app.orders.commands import delete_order

    with app.app_context():
        delete_order(ot_id, None)
    # Below admin a deleted OT does not exist (issue 16); an admin may dry-run but not confirm.
    assert post(api, ot_id, xlsx(ROWS)).status_code == 404
    assert post(api_admin, ot_id, xlsx(ROWS)).status_code == 200  # a dry run reads only
    assert post(api_admin, ot_id, xlsx(ROWS), confirmar="1").status_code == 409
    assert count(app, AnexoRevision) == 0


def test_a_body_above_the_app_limit_but_within_the_annex_limit_is_accepted(api, ot_id):
    lines = ["PARTIDA;CONCEPTO;UNIDAD;CANTIDAD;P.U. M.N."]
    lines += [f"1.{i}.;Concepto número {i} {'x' * 40};PZA;1;10" for i in range(40_000)]
    data = ("\r\n".join(lines) + "\r\n").encode("cp1252")
    assert len(data) > 2 * 1024 * 1024
    from werkzeug.datastructures import FileStorage, MultiDict
    from werkzeug.test import encode_multipart

    boundary, payload = encode_multipart(
        MultiDict(
            {"id": str(ot_id), "tipo": "anexo_c", "archivo": FileStorage(io.BytesIO(data), "grande.csv")}
        )
    )
    r = api.post(URL, data=payload, content_type=f"multipart/form-data; boundary={boundary}")
    assert r.status_code == 200, r.get_json()["detalles"]
    assert r.get_json()["datos"]["renglones"] == 40_000


def test_the_command_line_prints_the_report_and_exits_non_zero_on_errors(app, runner, ot_id, tmp_path):
    good, bad = tmp_path / "anexo.xlsx", tmp_path / "malo.xlsx"
    good.write_bytes(xlsx(ROWS))
    bad.write_bytes(xlsx([["4.8.", "Mecánico", None, 1, 100]]))
    result = runner.invoke(args=["importar-anexo", "--ot", str(ot_id), "--tipo", "anexo_c", str(bad)])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["errores"][0]["mensaje"] == "unidad requerida"
    result = runner.invoke(
        args=["importar-anexo", "--ot", str(ot_id), "--tipo", "anexo_c", "--confirmar", str(good)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["revision"] == 1
    assert count(app, AnexoRevision) == 1
