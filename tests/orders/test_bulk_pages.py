"""The list's bulk status asks for the date the chosen status stamps and a comment, as the single
status change does (one rule, commands.STATUS_DATES / _apply_status), and shows what happened to each
selected OT under the toolbar."""

import re
from datetime import date

from ot_app.extensions import db
from ot_app.formatting import office_today
from ot_app.models import OTE, ActividadLog, EstatusOTId
from ot_app.orders import commands

from .. import factories

HX = {"HX-Request": "true"}


def test_the_toolbar_names_the_date_only_for_a_status_that_stamps_one(app, editor_client):
    with app.app_context():
        factories.make_ot()
    html = editor_client.get("/").get_data(as_text=True)
    toolbar = html[html.index('<form id="masivo"') : html.index("</form>", html.index('<form id="masivo"'))]
    options = dict(re.findall(r'<option value="(\d)"((?: data-fecha="[^"]+")?)>', toolbar))
    assert options[str(EstatusOTId.TERMINADA)] == ' data-fecha="Término real"'
    assert options[str(EstatusOTId.EN_EJECUCION)] == ' data-fecha="Inicio real"'
    assert options[str(EstatusOTId.SUSPENDIDA)] == options[str(EstatusOTId.PROGRAMADA)] == ""
    today = office_today().isoformat()
    assert f'id="m-fecha" name="fecha" value="{today}"' in toolbar and 'name="comentario"' in toolbar
    assert 'hx-target="#masivo-resultado"' in toolbar and '<div id="masivo-resultado" hidden></div>' in html


def test_a_bulk_terminada_stamps_the_date_given_logs_the_comment_and_answers_row_by_row(app, editor_client):
    with app.app_context():
        a, b, c = (factories.make_ot() for _ in range(3))
        pairs = [f"{o.id}:{o.version}" for o in (a, b, c)]
        commands.update_order({"id": b.id, "comentario_general": "Otra persona"}, None)
        db.session.commit()
        ids, folios = [o.id for o in (a, b, c)], [o.orden_trabajo for o in (a, b, c)]
    r = editor_client.auth.post(
        "/ot/masivo",
        data={
            "accion": "estatus",
            "ots": pairs,
            "id_estatus_ot": str(EstatusOTId.TERMINADA),
            "fecha": "2026-11-20",
            "comentario": "Cierre de campaña",
        },
        headers=HX,
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<html" not in html
    assert "ot-cambios" in r.headers["HX-Trigger"] and "2 OT cambiaron" in r.headers["HX-Trigger"]
    rows = re.findall(r'<tr data-resultado="(\d+)" class="(\w+)">\s*<td class="folio">([^<]+)</td>', html)
    assert rows == [
        (str(ids[0]), "ok", folios[0]),
        (str(ids[1]), "omitida", folios[1]),
        (str(ids[2]), "ok", folios[2]),
    ]
    assert "a «Terminada»" in html and "la modificó mientras usted la tenía seleccionada" in html
    with app.app_context():
        for ot_id in (ids[0], ids[2]):
            ot = db.session.get(OTE, ot_id)
            assert ot.id_estatus_ot == EstatusOTId.TERMINADA and ot.fecha_termino_real == date(2026, 11, 20)
            log = db.session.scalars(
                db.select(ActividadLog)
                .where(ActividadLog.entidad == "ot", ActividadLog.entidad_id == ot_id)
                .order_by(ActividadLog.id.desc())
            ).first()
            assert log.accion == "estatus" and log.cambios[commands.STATUS_COMMENT] == [
                None,
                "Cierre de campaña",
            ]
        assert db.session.get(OTE, ids[1]).id_estatus_ot == EstatusOTId.PROGRAMADA


def test_a_date_the_status_rule_refuses_skips_that_ot_with_the_reason_in_its_row(app, editor_client):
    with app.app_context():
        started = factories.make_ot(fecha_inicio_real="2026-11-10")
        fresh = factories.make_ot()
        pairs = [f"{o.id}:{o.version}" for o in (started, fresh)]
        ids = (started.id, fresh.id)
    r = editor_client.auth.post(
        "/ot/masivo",
        data={
            "accion": "estatus",
            "ots": pairs,
            "id_estatus_ot": str(EstatusOTId.TERMINADA),
            "fecha": "2026-11-01",
        },
        headers=HX,
    )
    html = r.get_data(as_text=True)
    assert f'<tr data-resultado="{ids[0]}" class="omitida">' in html
    assert "La fecha de término real no puede ser anterior a la de inicio real." in html
    assert f'<tr data-resultado="{ids[1]}" class="ok">' in html
    with app.app_context():
        assert db.session.get(OTE, ids[0]).id_estatus_ot == EstatusOTId.PROGRAMADA


def test_en_ejecucion_stamps_the_real_start_only_when_empty(app, editor_client):
    with app.app_context():
        started = factories.make_ot(fecha_inicio_real="2026-10-01")
        fresh = factories.make_ot()
        pairs = [f"{o.id}:{o.version}" for o in (started, fresh)]
        ids = (started.id, fresh.id)
    r = editor_client.auth.post(
        "/ot/masivo",
        data={
            "accion": "estatus",
            "ots": pairs,
            "id_estatus_ot": str(EstatusOTId.EN_EJECUCION),
            "fecha": "2026-11-15",
        },
        headers=HX,
    )
    assert r.status_code == 200
    with app.app_context():
        assert db.session.get(OTE, ids[0]).fecha_inicio_real == date(2026, 10, 1)
        assert db.session.get(OTE, ids[1]).fecha_inicio_real == date(2026, 11, 15)


def test_a_bad_date_is_refused_before_anything_changes(app, editor_client):
    with app.app_context():
        ot = factories.make_ot()
        pair, ot_id = f"{ot.id}:{ot.version}", ot.id
    r = editor_client.auth.post(
        "/ot/masivo",
        data={
            "accion": "estatus",
            "ots": pair,
            "id_estatus_ot": str(EstatusOTId.TERMINADA),
            "fecha": "31/02/2026",
        },
        headers=HX,
    )
    assert r.status_code == 422 and r.headers["HX-Reswap"] == "none"
    with app.app_context():
        assert db.session.get(OTE, ot_id).id_estatus_ot == EstatusOTId.PROGRAMADA
