"""The Programa tab and the grid page (issue 19): what the tab shows, the grid's save with every
error beside its cell, warnings after the save, the stale form's conflict, roles, the frozen baseline."""

import re

from ot_app.extensions import db
from ot_app.models import ProgramaRevision
from ot_app.schedules import commands

from .conftest import sample_plan


def cells(rows):
    """The grid's posted form for these rows (dicts of the cells' text)."""
    out = {}
    for i, row in enumerate(rows):
        for campo, value in row.items():
            out[f"actividades-{i}-{campo}"] = value
    return out


ROWS = [
    {"nivel": "1", "nombre": "Ingeniería", "wbs": "1"},
    {
        "nivel": "2",
        "nombre": "Levantamiento",
        "inicio": "2026-02-02",
        "fin": "2026-02-10",
        "monto_mxn": "1,000.00",
    },
    {
        "nivel": "2",
        "nombre": "Detalle",
        "inicio": "2026-02-11",
        "fin": "2026-02-20",
        "monto_mxn": "3000",
        "predecesoras": "2",
    },
]


def test_the_detail_page_includes_the_tab_which_shows_the_program(app, lector_client, ot):
    page = lector_client.get(f"/ot/{ot}").get_data(as_text=True)
    assert f'hx-get="/ot/{ot}/programa"' in page
    empty = lector_client.get(f"/ot/{ot}/programa").get_data(as_text=True)
    assert "Esta versión no tiene programa." in empty
    assert "editar-programa" not in empty  # a lector does not get the edit link
    with app.app_context():
        commands.save_program(ot, sample_plan(), None)
    html = lector_client.get(f"/ot/{ot}/programa").get_data(as_text=True)
    assert "Revisión 1" in html and "Fase de patio" in html and "Carga y amarre" in html
    assert "Sin importes en USD" not in html
    assert re.search(r"Levantamiento.*?10\.00 %", html, re.S)


def test_a_currency_without_amounts_says_so(app, lector_client, ot):
    with app.app_context():
        from .conftest import act, fase, plan

        commands.save_program(ot, plan(fase(), act("Obra", mxn="10")), None)
    assert "Sin importes en USD: sus pesos son 0.00 %." in lector_client.get(f"/ot/{ot}/programa").get_data(
        as_text=True
    )


def test_the_grid_saves_a_revision_and_goes_back_to_the_ot(app, editor_client, ot):
    page = editor_client.get(f"/ot/{ot}/programa/editar")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'name="actividades-0-nombre"' in html and 'name="revision" value="0"' in html
    r = editor_client.auth.post(f"/ot/{ot}/programa/editar", data={"revision": "0", **cells(ROWS)})
    assert r.status_code == 303, r.get_data(as_text=True)
    assert r.headers["Location"].endswith(f"/ot/{ot}#programa")
    with app.app_context():
        rev = db.session.scalars(db.select(ProgramaRevision)).one()
        assert [(a.nombre, a.peso_mxn) for a in rev.actividades][1:] == [
            ("Levantamiento", 25),
            ("Detalle", 75),
        ]
        assert len(rev.ligas) == 1
    # The grid reopens on the saved revision: predecessors as row numbers again.
    html = editor_client.get(f"/ot/{ot}/programa/editar").get_data(as_text=True)
    assert 'name="revision" value="1"' in html and 'name="actividades-2-predecesoras" value="2"' in html


def test_every_error_beside_its_cell_in_one_round(editor_client, ot):
    bad = [
        {"nivel": "1", "nombre": "Obra"},
        {"nivel": "2", "nombre": "", "inicio": "2026-02-02", "fin": "2026-02-01", "monto_mxn": "abc"},
        {"nivel": "2", "nombre": "B", "inicio": "2026-02-02", "fin": "2026-02-03", "predecesoras": "9, x"},
    ]
    r = editor_client.auth.post(
        f"/ot/{ot}/programa/editar", data={"revision": "0", **cells(bad)}, headers={"HX-Request": "true"}
    )
    assert r.status_code == 422
    html = r.get_data(as_text=True)
    assert "Revise las 4 celdas marcadas" in html
    for message in (
        "El nombre es obligatorio.",
        "La fecha de término no puede ser anterior a la de inicio.",
        "Importe MXN: no es un importe válido (ejemplo: 1,234.50).",
        "Predecesoras: «x» no es una predecesora",
    ):
        assert message in html, message
    assert 'value="abc"' in html  # what was typed stays


def test_a_link_to_a_missing_row_is_shown_beside_the_predecessors_cell(editor_client, ot):
    rows = ROWS[:2] + [{**ROWS[2], "predecesoras": "7"}]
    html = editor_client.auth.post(
        f"/ot/{ot}/programa/editar", data={"revision": "0", **cells(rows)}
    ).get_data(as_text=True)
    assert re.search(
        r'name="actividades-2-predecesoras".*?Liga 1: apunta a una fila que no está en el programa',
        html,
        re.S,
    )


def test_warnings_are_shown_after_the_save(editor_client, ot):
    rows = [*ROWS[:1], {**ROWS[1], "inicio": "2026-01-10"}, ROWS[2]]
    r = editor_client.auth.post(f"/ot/{ot}/programa/editar", data={"revision": "0", **cells(rows)})
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "Programa guardado como revisión 1" in html
    assert "sale del periodo programado de la OT" in html
    assert 'name="revision" value="1"' in html


def test_a_stale_grid_gets_the_conflict_and_keeps_its_rows(app, editor_client, ot):
    with app.app_context():
        commands.save_program(ot, sample_plan(), None)
    r = editor_client.auth.post(f"/ot/{ot}/programa/editar", data={"revision": "0", **cells(ROWS)})
    assert r.status_code == 409
    html = r.get_data(as_text=True)
    assert "Otra persona guardó el programa mientras usted lo editaba" in html
    assert 'value="Levantamiento"' in html and 'name="revision" value="1"' in html


def test_roles_and_the_frozen_baseline(app, lector_client, editor_client, ot):
    assert lector_client.get(f"/ot/{ot}/programa/editar").status_code == 403
    assert lector_client.post(f"/ot/{ot}/programa/editar").status_code in (400, 403)
    with app.app_context():
        from ot_app.orders import commands as orders

        commands.save_program(ot, sample_plan(), None)
        orders.reprogram_order({"id": ot, "motivo": "Ampliación"}, None)
    r = editor_client.get(f"/ot/{ot}/programa/editar")
    assert r.status_code == 302
    html = editor_client.get(f"/ot/{ot}/programa").get_data(as_text=True)
    assert "La OT ya fue reprogramada: su programa es la línea base y no cambia." in html
    assert "editar-programa" not in html
    r = editor_client.auth.post(f"/ot/{ot}/programa/editar", data={"revision": "1", **cells(ROWS)})
    assert r.status_code == 409
    assert "La OT ya fue reprogramada" in r.get_data(as_text=True)
