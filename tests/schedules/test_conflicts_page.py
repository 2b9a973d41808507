"""/conflictos: the list with its filters in the URL, a bad filter beside its field, accepting a
conflict with a reason from its row (the reason's error beside it), and who may."""

from ot_app.extensions import db
from ot_app.models import ConflictoAceptado

from ..conftest import csrf_token


def test_the_page_lists_the_conflict_with_its_ways_out(editor_client, booked):
    r = editor_client.get("/conflictos")
    assert r.status_code == 200
    html = r.get_data(as_text=True)
    assert "1 conflicto" in html
    assert "B/C Isla del Carmen" in html and "25/01/2027 – 31/01/2027" in html
    assert all(folio in html for folio in booked["folios"])
    assert f"/ot/{booked['b']}/editar#fecha_inicio_programado" in html  # mover fechas
    assert f"/ot/{booked['b']}/editar#id_embarcacion" in html  # cambiar sitio
    assert "Aceptar con motivo" in html


def test_the_filters_are_in_the_url_and_htmx_gets_the_results_alone(editor_client, booked):
    r = editor_client.get("/conflictos?sitio=plataforma", headers={"HX-Request": "true"})
    html = r.get_data(as_text=True)
    assert 'id="conflictos-results"' in html
    assert "<html" not in html and "Sin conflictos con esos filtros." in html


def test_a_bad_filter_is_a_400_with_its_message(editor_client, booked):
    r = editor_client.get("/conflictos?desde=2027-02-01&hasta=2027-01-01")
    assert r.status_code == 400
    assert "La fecha «hasta» no puede ser anterior a «desde»." in r.get_data(as_text=True)


def accept_form(client, booked, motivo):
    return client.post(
        "/conflictos/aceptar",
        data={
            "csrf_token": csrf_token(client),
            "fila": "1",
            "tipo": "programado",
            "tipo_sitio": "embarcacion",
            "id_sitio": booked["barco"],
            "ots": f"{booked['a']},{booked['b']}",
            "desde": "2027-01-25",
            "hasta": "2027-01-31",
            "motivo": motivo,
            "f_sitio": "embarcacion",
        },
        headers={"HX-Request": "true"},
    )


def test_accepting_from_the_row(app, editor_client, booked):
    r = accept_form(editor_client, booked, "")
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    assert 'id="motivo-1-error">Escriba el motivo por el que se acepta el conflicto.</p>' in html
    assert "<details open>" in html
    r = accept_form(editor_client, booked, "Autorizado por el cliente")
    assert r.status_code == 200
    assert "Conflicto aceptado" in r.headers["HX-Trigger"]
    assert "Sin conflictos con esos filtros." in r.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(ConflictoAceptado.motivo)) == "Autorizado por el cliente"


def test_a_reader_sees_the_list_but_cannot_accept(lector_client, booked):
    html = lector_client.get("/conflictos").get_data(as_text=True)
    assert "1 conflicto" in html and "Aceptar con motivo" not in html
    assert accept_form(lector_client, booked, "x").status_code == 403


def test_cambiar_sitio_opens_the_field_that_holds_the_yard_the_yard_phase_offshore(app, editor_client, sites):
    from .test_conflicts_on_save import on_land, with_yard_phase

    with app.app_context():
        land = on_land(sites, "2027-01-10", "2027-01-31").ot.id
        offshore = with_yard_phase(sites, "2027-02-01", "2027-03-31", "2027-01-20", "2027-02-05").ot.id
        later = on_land(sites, "2027-02-01", "2027-02-10").ot.id
    html = editor_client.get("/conflictos?sitio=patio").get_data(as_text=True)
    assert "2 conflictos" in html
    # Each conflict's last OT: the offshore one keeps its yard in the yard phase's field.
    assert f"/ot/{offshore}/editar#id_patio_fase" in html
    assert f"/ot/{later}/editar#id_patio" in html and f"/ot/{later}/editar#id_patio_fase" not in html
    assert f"/ot/{land}/editar#" not in html
