"""The portfolio timeline (issue 14): the read (grouping, bars, baseline, behind schedule, overdue,
window clipping, paging), the page and its fragments, the move from the keyboard's route, and the
API (rows and bars as JSON, bad parameters in the Spanish envelope)."""

import json
from datetime import date

import pytest
from werkzeug.datastructures import MultiDict

from ot_app.extensions import db
from ot_app.models import OTE, EstatusOTId
from ot_app.orders import commands
from ot_app.schedules import timeline

from ..conftest import csrf_token

WINDOW = "desde=2027-01-01&hasta=2027-03-31"
HX = {"HX-Request": "true"}


def view(args: str, hoy=date(2027, 1, 20)):
    return timeline.parse(MultiDict([tuple(p.split("=", 1)) for p in args.split("&") if p]), hoy)


def read(app, args=WINDOW, hoy=date(2027, 1, 20)):
    with app.test_request_context():
        return timeline.timeline(view(args, hoy), None, hoy)


def test_one_row_per_chain_grouped_by_vessel_with_the_conflict_in_red(app, booked):
    linea = read(app)
    assert [f.id for f in linea.filas] == [booked["a"], booked["b"], booked["c"]]
    assert [f.grupo for f in linea.filas] == ["B/C Isla del Carmen"] * 2 + ["Sin embarcación"]
    a, b, c = linea.filas
    prog = next(x for x in a.barras if x.clase == "programado")
    assert (prog.x, prog.w) == (9, 22)  # 10/01 – 31/01 from 01/01
    # The overlap 25–31/01 is red on both, not on the platform's OT.
    assert [(s.x, s.w) for s in a.conflictos] == [(24, 7)] == [(s.x, s.w) for s in b.conflictos]
    assert not c.conflictos
    assert "B/C Isla del Carmen" in a.etiqueta and "1 conflicto de sitio" in a.etiqueta


@pytest.mark.parametrize(
    ("agrupar", "grupos"),
    [
        ("plataforma", ["Akal-C", "Sin plataforma", "Sin plataforma"]),
        ("estatus", ["Programada"] * 3),
        ("ninguno", ["", "", ""]),
    ],
)
def test_grouping(app, booked, agrupar, grupos):
    assert [f.grupo for f in read(app, f"{WINDOW}&agrupar={agrupar}").filas] == grupos


def test_bars_are_clipped_to_the_window(app, booked):
    linea = read(app, "desde=2027-02-01&hasta=2027-02-28")
    by_id = {f.id: f for f in linea.filas}
    assert booked["a"] not in by_id  # ended 31/01
    prog = next(x for x in by_id[booked["c"]].barras if x.clase == "programado")
    assert (prog.x, prog.w, prog.cortada_izq, prog.cortada_der) == (0, 28, True, True)


def test_overdue_and_behind_schedule(app, booked):
    # 10/02: OT a ended 31/01 and is not closed (overdue, 10 days); OT c is 68 % through with no progress.
    linea = read(app, hoy=date(2027, 2, 10))
    by_id = {f.id: f for f in linea.filas}
    a, c = by_id[booked["a"]], by_id[booked["c"]]
    assert a.vencida and a.dias_atraso == 10 and "10 días de retraso" in a.etiqueta
    assert c.atrasada and not c.vencida and 68 < c.transcurrido < 69  # 41 of 60 days
    # Before anything starts, nothing is behind.
    early = {f.id: f for f in read(app, hoy=date(2026, 12, 1)).filas}
    assert not any(f.atrasada or f.vencida for f in early.values())


def test_closed_ots_are_not_behind(app, booked):
    with app.app_context():
        ot = db.session.get(OTE, booked["c"])
        ot.id_estatus_ot = EstatusOTId.TERMINADA
        db.session.commit()
    c = next(f for f in read(app, hoy=date(2027, 2, 10)).filas if f.id == booked["c"])
    assert not c.atrasada and not c.vencida


def test_the_baseline_is_version_1s_dates(app, booked):
    with app.app_context():
        user = None
        result = commands.reprogram_order(
            {
                "id": booked["c"],
                "motivo": "Cambio de alcance",
                "fecha_inicio_programado": date(2027, 1, 15),
                "fecha_termino_programado": date(2027, 3, 15),
                "plazo_dias": 60,
            },
            user,
        )
        db.session.commit()
        new_id = result.ot.id
    rows = {f.id: f for f in read(app).filas}
    assert booked["c"] not in rows  # replaced: one row per chain, its current version
    row = rows[new_id]
    assert row.num == 1 and (row.base_inicio, row.base_termino) == (date(2027, 1, 1), date(2027, 3, 1))
    assert [b.clase for b in row.barras][:2] == ["base", "programado"]


def test_paging_keeps_the_group_header_once(app, booked):
    first = read(app, f"{WINDOW}&por_pagina=1")
    second = read(app, f"{WINDOW}&por_pagina=1&pagina=2")
    assert first.hay_mas and second.hay_mas
    assert [f.id for f in second.filas] == [booked["b"]]
    assert second.grupo_anterior == "B/C Isla del Carmen"
    assert not read(app, f"{WINDOW}&por_pagina=1&pagina=3").hay_mas


def test_the_list_filters_apply(app, booked):
    with app.app_context():
        folio = db.session.get(OTE, booked["b"]).orden_trabajo
    assert [f.id for f in read(app, f"{WINDOW}&q={folio}").filas] == [booked["b"]]


# --------------------------------------------------------------------------- the page


def test_the_page_has_the_view_in_the_url(editor_client, booked):
    r = editor_client.get(f"/linea-tiempo?{WINDOW}&zoom=semana&agrupar=plataforma")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert 'data-zoom="semana"' in html and '<option value="plataforma" selected>' in html
    assert "Línea de tiempo" in html and '<rect class="conflicto"' in html
    assert '<rect class="programado"' in html and 'role="img" aria-label="OT ' in html
    assert "style=" not in html.split('id="linea"')[1]  # the CSP allows no inline style
    assert 'id="f-q"' not in html and 'id="q"' in html  # the list's own filter fields


def test_htmx_gets_the_timeline_alone(editor_client, booked):
    r = editor_client.get(f"/linea-tiempo?{WINDOW}", headers=HX)
    html = r.get_data(as_text=True)
    assert r.status_code == 200 and "<html" not in html and 'id="linea"' in html
    assert "HX-Request" in r.headers["Vary"]


def test_the_next_page_loads_as_the_user_scrolls(editor_client, booked):
    html = editor_client.get(f"/linea-tiempo?{WINDOW}&por_pagina=2").get_data(as_text=True)
    assert 'hx-trigger="revealed"' in html and "/linea-tiempo/filas?" in html
    more = editor_client.get(f"/linea-tiempo/filas?{WINDOW}&por_pagina=2&pagina=2", headers=HX)
    text = more.get_data(as_text=True)
    assert f'id="tl-{booked["c"]}"' in text and "revealed" not in text and "Sin embarcación" in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("zoom=anio", "El parámetro zoom admite"),
        ("agrupar=color", "El parámetro agrupar admite"),
        ("desde=2027-13-01", "El parámetro desde no es una fecha válida"),
        ("desde=2027-03-01&hasta=2027-01-01", "hasta debe ser igual o posterior"),
        ("desde=2020-01-01&hasta=2027-01-01", "La ventana admite a lo más"),
        ("pagina=0", "El parámetro pagina debe ser un entero"),
        ("id_cliente=x", "El parámetro id_cliente no es un identificador"),
    ],
)
def test_bad_parameters_are_a_400_in_spanish(editor_client, query, message):
    page = editor_client.get(f"/linea-tiempo?{query}")
    assert page.status_code == 400 and message in page.get_data(as_text=True)
    api = editor_client.get(f"/api/linea-tiempo?{query}")
    assert api.status_code == 400 and api.json["exito"] is False and message in api.json["detalles"]


def toast(response) -> str:
    return json.loads(response.headers["HX-Trigger"])["toast"]["message"]


def test_moving_an_ot_saves_through_the_ot_edit_and_says_the_conflict(editor_client, booked, app):
    with app.app_context():
        version = db.session.get(OTE, booked["b"]).version
    data = {
        "csrf_token": csrf_token(editor_client),
        "id": booked["b"],
        "version": version,
        "fecha_inicio_programado": "2027-01-27",
        "fecha_termino_programado": "2027-02-17",
    }
    r = editor_client.post(f"/linea-tiempo/mover?{WINDOW}", data=data, headers=HX)
    assert r.status_code == 200
    assert f'id="tl-{booked["b"]}"' in r.get_data(as_text=True)
    assert "ya está reservada" in toast(r)  # still overlapping: the warning
    # The same version again: someone (we) saved meanwhile, a 409 in a toast.
    stale = editor_client.post(f"/linea-tiempo/mover?{WINDOW}", data=data, headers=HX)
    assert stale.status_code == 409 and stale.headers["HX-Reswap"] == "none"
    with app.app_context():
        ot = db.session.get(OTE, booked["b"])
        assert ot.fecha_inicio_programado == date(2027, 1, 27) and ot.version == version + 1
        data["version"] = ot.version
    data.update(fecha_inicio_programado="2027-02-01", fecha_termino_programado="2027-02-22")
    clear = editor_client.post(f"/linea-tiempo/mover?{WINDOW}", data=data, headers=HX)
    assert clear.status_code == 200 and "ya está reservada" not in toast(clear)
    assert "conflicto" not in clear.get_data(as_text=True)


def test_a_lector_cannot_move(lector_client, booked):
    r = lector_client.post("/linea-tiempo/mover", data={"csrf_token": csrf_token(lector_client)}, headers=HX)
    assert r.status_code == 403


# --------------------------------------------------------------------------- the API


def test_the_api_answers_rows_and_bars(editor_client, booked):
    r = editor_client.get(f"/api/linea-tiempo?{WINDOW}&agrupar=embarcacion")
    assert r.status_code == 200 and r.json["exito"] is True
    filas = r.json["datos"]
    assert [f["id"] for f in filas] == [booked["a"], booked["b"], booked["c"]]
    a = filas[0]
    assert a["grupo"] == "B/C Isla del Carmen" and a["programado"] == {
        "desde": "2027-01-10",
        "hasta": "2027-01-31",
    }
    assert a["conflictos"][0]["desde"] == "2027-01-25" and a["conflictos"][0]["tipo"] == "programado"
    assert r.json["desde"] == "2027-01-01" and r.json["hasta"] == "2027-03-31" and r.json["hay_mas"] is False
