"""The reprogramming pages (issue 12): the Reprogramar form prefilled from the current version, a
replaced version read-only and naming its successor, the lineage on the OT page, two versions side
by side, the list grouped by chain. The service's rules are in test_reprogram_order.py."""

import re

import pytest

from ot_app.extensions import db
from ot_app.models import OTE, ActividadLog

from .conftest import counts

HX = {"HX-Request": "true"}


def create(api, base, **kw):
    r = api.post("/api/ot/crear", data=base.payload(**kw))
    assert r.status_code == 200, r.get_json()
    return r.get_json()["id_nuevo"]


def reprogram(api, ot_id, motivo="Ampliación de alcance", **kw):
    r = api.post("/api/ot/reprogramar", data={"id": ot_id, "motivo": motivo, **kw})
    assert r.status_code == 200, r.get_json()
    return r.get_json()["id_nuevo"]


@pytest.fixture
def chain(api, base):
    """R0 (1,000,000.00 MXN, 40 days from 2026-01-01) and R1 (+20 % MXN, one more week)."""
    r0 = create(
        api,
        base,
        orden_trabajo="OT-PAG-REP",
        monto_mxn="1,000,000.00",
        plazo_dias="40",
        fecha_inicio_programado="2026-01-01",
        fecha_termino_programado="2026-02-10",
    )
    r1 = reprogram(api, r0, motivo="Ajuste de alcance", monto_mxn="1,200,000.00", plazo_dias="47")
    return r0, r1


def field(html, name):
    """The value of an input or the text of a textarea in a rendered form."""
    found = re.search(rf'<input id="{name}" name="{name}"[^>]* value="([^"]*)"', html)
    if found:
        return found.group(1)
    found = re.search(rf'<textarea id="{name}" name="{name}"[^>]*>([^<]*)</textarea>', html)
    return found.group(1) if found else None


def post_form(client, ot_id, **changes):
    """The Reprogramar form as the page renders it, with some fields changed, posted."""
    html = client.get(f"/ot/{ot_id}/reprogramar").get_data(as_text=True)
    data = {
        name: value
        for name, value in re.findall(r'<input id="[^"]+" name="([^"]+)"[^>]* value="([^"]*)"', html)
        if name != "csrf_token"
    }
    data.update(re.findall(r'<input type="hidden" (?:id="[^"]+" )?name="([^"]+)" value="([^"]*)"', html))
    data.pop("csrf_token", None)
    for name in ("id_cliente", "responsable_proyecto", "id_frente", "id_patio"):
        selected = re.search(
            rf'<select id="{name}" name="{name}".*?<option value="(\d+)" selected', html, re.S
        )
        if selected:
            data[name] = selected.group(1)
    data["descripcion_trabajo"] = field(html, "descripcion_trabajo")
    data.update(changes)
    return client.auth.post(f"/ot/{ot_id}/reprogramar", data=data)


# --------------------------------------------------------------------------- the form


def test_the_form_is_prefilled_from_the_current_version_starting_at_its_end(editor_client, chain):
    r0, r1 = chain
    r = editor_client.get(f"/ot/{r1}/reprogramar")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert "nueva versión R2" in html and 'id="folio-fijo">OT-PAG-REP<' in html
    # R1 runs 47 days from R0's end (2026-02-10) to 2026-03-29: R2 starts then and keeps the plazo.
    assert field(html, "fecha_inicio_programado") == "2026-03-29"
    assert field(html, "fecha_termino_programado") == "2026-05-15"
    assert field(html, "plazo_dias") == "47"
    assert field(html, "monto_mxn") == "1200000.00"
    assert field(html, "motivo") == "" and field(html, "oficio_ot") == ""
    assert 'name="id_tipo"' not in html and 'name="fecha_inicio_real"' not in html


def test_any_member_of_the_chain_leads_to_the_current_versions_form(editor_client, chain):
    r0, r1 = chain
    r = editor_client.get(f"/ot/{r0}/reprogramar")
    assert r.status_code == 302 and r.headers["Location"].endswith(f"/ot/{r1}/reprogramar")


def test_saving_creates_the_next_version_with_its_motivo_and_shows_it(editor_client, app, chain):
    r0, r1 = chain
    r = post_form(editor_client, r1, motivo="Retraso por clima", oficio_ot="PEP-R2", monto_mxn="1,300,000.00")
    assert r.status_code == 303, r.get_data(as_text=True)[:500]
    with app.app_context():
        r2 = db.session.scalar(db.select(OTE).where(OTE.ot_principal == r0, OTE.num_reprogramacion == 2))
        assert (r2.motivo, r2.oficio_ot, str(r2.monto_mxn)) == ("Retraso por clima", "PEP-R2", "1300000.00")
        assert r2.fecha_inicio_programado.isoformat() == "2026-03-29"
        log = db.session.scalar(db.select(ActividadLog).where(ActividadLog.entidad_id == r2.id))
        assert log.accion == "reprogramar" and log.cambios["motivo"][1] == "Retraso por clima"
    assert r.headers["Location"].endswith(f"/ot/{r2.id}")
    page = editor_client.get(f"/ot/{r2.id}").get_data(as_text=True)
    assert f"Reprogramación R2 (ID {r2.id}) de OT-PAG-REP creada correctamente, con 1 advertencia(s)" in page
    assert "30.00 %" in page  # the 25 % rule against R0, in the flash and the lineage


def test_a_missing_motivo_is_said_with_the_other_errors_in_one_round_and_nothing_changes(
    editor_client, app, chain
):
    r0, r1 = chain
    with app.app_context():
        before = counts()
    r = post_form(editor_client, r1, motivo=" ", monto_mxn="mucho")
    html = r.get_data(as_text=True)
    assert r.status_code == 422
    assert "El motivo de la reprogramación es obligatorio." in html
    assert 'id="monto_mxn-error"' in html and 'id="motivo-error"' in html
    assert field(html, "monto_mxn") == "mucho"  # what was typed stays
    with app.app_context():
        assert counts() == before


def test_a_non_approved_pte_is_refused_beside_its_field(editor_client, app, base, chain):
    from .. import factories

    r0, r1 = chain
    with app.app_context():
        draft = factories.make_pte("PTE-BORRADOR", estatus_pte=1)
        db.session.commit()
        draft_id = draft.id
    r = post_form(editor_client, r1, motivo="Cambio de PTE", id_pte_header=str(draft_id), pte_buscar="")
    assert r.status_code == 422
    assert 'id="id_pte_header-error"' in r.get_data(as_text=True)


def test_a_form_prefilled_from_an_older_state_of_the_version_shows_the_conflict(editor_client, api, chain):
    r0, r1 = chain
    html = editor_client.get(f"/ot/{r1}/reprogramar").get_data(as_text=True)
    stale = re.search(r'name="version" value="(\d+)"', html).group(1)
    version = api.get(f"/api/ot/obtener?id={r1}").get_json()["datos"]["version"]
    api.post("/api/ot/editar", data={"id": r1, "version": version, "plazo_dias": "50"})
    r = post_form(editor_client, r1, motivo="Otro motivo", version=stale)
    body = r.get_data(as_text=True)
    assert r.status_code == 409
    assert "mientras usted la editaba" in body and "Plazo (días)" in body
    assert f'href="/ot/{r1}/reprogramar"' in body  # "take theirs" reloads the prefilled form


@pytest.mark.parametrize(
    ("monto", "warned"),
    [("1,249,900.00", False), ("1,250,000.00", False), ("1,250,100.00", True), ("740,000.00", True)],
)
def test_the_25_percent_warning_shows_in_the_form_before_saving(editor_client, chain, monto, warned):
    r0, r1 = chain
    r = editor_client.get(
        f"/ot/{r1}/reprogramar/revisar",
        query_string={
            "monto_mxn": monto,
            "monto_usd": "0",
            "plazo_dias": "47",
            "fecha_inicio_programado": "2026-03-29",
            "fecha_termino_programado": "2026-05-15",
        },
        headers=HX,
    )
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    assert ('data-campo="monto_mxn"' in html) is warned
    assert "no impide" in html if warned else "Sin advertencias" in html


def test_the_warning_check_ignores_figures_that_do_not_parse(editor_client, chain):
    r0, r1 = chain
    r = editor_client.get(
        f"/ot/{r1}/reprogramar/revisar?monto_mxn=abc&plazo_dias=x"
        "&fecha_inicio_programado=2026-03-29&fecha_termino_programado=2026-05-15",
        headers=HX,
    )
    assert r.status_code == 200 and "Sin advertencias" in r.get_data(as_text=True)


# --------------------------------------------------------------------------- a replaced version


def test_a_replaced_version_is_read_only_and_names_its_successor(editor_client, chain):
    r0, r1 = chain
    html = editor_client.get(f"/ot/{r0}").get_data(as_text=True)
    assert 'id="reemplazada"' in html and f'href="/ot/{r1}">R1</a>' in html
    assert 'id="editar-ot"' not in html and 'id="reprogramar-ot"' not in html
    assert 'data-key="3"' not in html  # its steps cannot change either
    current = editor_client.get(f"/ot/{r1}").get_data(as_text=True)
    assert 'id="reemplazada"' not in current and 'id="reprogramar-ot"' in current


def test_a_replaced_versions_step_comment_editor_is_refused(editor_client, app, chain):
    from ot_app.models import OTDetalle

    r0, r1 = chain
    with app.app_context():
        paso = db.session.scalar(db.select(OTDetalle.id).where(OTDetalle.id_ot == r0).limit(1))
    r = editor_client.get(f"/ot/paso/{paso}/comentario", headers=HX)
    assert r.status_code == 409 and "reemplazada por R1" in r.headers["HX-Trigger"]


# --------------------------------------------------------------------------- lineage and comparison


def test_the_lineage_shows_each_version_against_the_previous_and_the_original(editor_client, api, chain):
    r0, r1 = chain
    r2 = reprogram(api, r1, motivo="Segunda ampliación", monto_mxn="1,500,000.00", oficio_ot="PEP-R2")
    html = editor_client.get(f"/ot/{r1}").get_data(as_text=True)
    lineage = html.split('id="linaje"')[1].split("</section>")[0]
    assert lineage.index(">R0<") < lineage.index(">R1<") < lineage.index(">R2<")
    assert "ant. +300,000.00 (+25.00 %)" in lineage  # R2 against R1
    assert "R0 +500,000.00 (+50.00 %)" in lineage  # R2 against the original
    assert "Segunda ampliación" in lineage and "PEP-R2" in lineage and "sin oficio" in lineage
    assert "más del 25.00 %" in lineage  # R2's warning; R1 (+20 %) has none
    assert f"/ot/comparar?de={r1}&amp;a={r2}" in lineage


def test_two_versions_compare_side_by_side_with_the_changes_highlighted(editor_client, chain):
    r0, r1 = chain
    r = editor_client.get(f"/ot/comparar?de={r0}&a={r1}")
    html = r.get_data(as_text=True)
    assert r.status_code == 200
    changed = re.findall(r'<tr class="changed">\s*<th scope="row">([^<]+?) <span', html)
    assert changed == [
        "Oficio de la OT",
        "Inicio programado",
        "Término programado",
        "Plazo (días)",
        "Monto MXN",
        "Motivo de la reprogramación",
    ]
    assert "+200,000.00 (+20.00 %)" in html and "+40 días" in html and "+7 (+17.50 %)" in html
    assert "6 campos cambiaron de R0 a R1" in html


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ("", 400, "Indique las dos versiones"),
        ("de=1&a=x", 400, "Indique las dos versiones"),
        ("de=999999&a=1", 404, "No existe la OT con ID 999999"),
    ],
)
def test_a_bad_comparison_url_says_why(editor_client, chain, query, status, message):
    r = editor_client.get(f"/ot/comparar?{query}")
    assert r.status_code == status and message in r.get_data(as_text=True)


def test_versions_of_two_chains_are_not_compared(editor_client, api, base, chain):
    r0, r1 = chain
    other = create(api, base, orden_trabajo="OT-OTRA")
    r = editor_client.get(f"/ot/comparar?de={r1}&a={other}")
    assert r.status_code == 404 and "no son versiones de la misma cadena" in r.get_data(as_text=True)


def test_a_deleted_version_is_compared_only_by_an_admin(editor_client, admin_client, api, chain):
    r0, r1 = chain
    assert api.post("/api/ot/eliminar", data={"id": r1}).status_code == 200
    assert editor_client.get(f"/ot/comparar?de={r0}&a={r1}").status_code == 404
    assert admin_client.get(f"/ot/comparar?de={r0}&a={r1}").status_code == 200


# --------------------------------------------------------------------------- the list, by chain


def test_the_list_shows_one_row_per_chain_its_current_version(editor_client, chain):
    r0, r1 = chain
    html = editor_client.get("/", headers=HX).get_data(as_text=True)
    assert f'id="ot-{r1}"' in html and f'id="ot-{r0}"' not in html
    row = html.split(f'id="ot-{r1}"')[1].split("</tr>")[0]
    # The + (orders.js) fetches data-base + the row's id + "/versiones/filas": the chain says which rows it adds.
    assert ">R1<" in row and "1 ant." in row and f'data-expand="{r0}"' in row
    assert 'id="ot-rows" data-base="/ot/"' in html
    assert "una fila por cadena" in html


def test_todas_las_versiones_lists_every_row_and_the_url_keeps_it(editor_client, chain):
    r0, r1 = chain
    html = editor_client.get("/?versiones=todas").get_data(as_text=True)
    assert f'id="ot-{r1}"' in html and f'id="ot-{r0}"' in html
    assert '<option value="todas" selected>' in html
    assert "data-expand" not in html  # nothing to expand: every version is a row already


def test_plus_brings_the_earlier_versions_as_read_only_rows_newest_first(editor_client, api, chain):
    r0, r1 = chain
    r2 = reprogram(api, r1, motivo="Otra")
    html = editor_client.get(f"/ot/{r2}/versiones/filas", headers=HX).get_data(as_text=True)
    assert re.findall(r'<tr id="v-(\d+)"', html) == [str(r1), str(r0)]
    assert f'data-chain-child="{r0}"' in html
    assert "data-edit" not in html and "data-reprogram" not in html


def test_a_grouped_row_refreshed_after_an_inline_edit_keeps_its_chain(editor_client, chain):
    r0, r1 = chain
    html = editor_client.get(f"/ot/{r1}/fila", headers=HX).get_data(as_text=True)
    # Its actions (reprogram among them) are the list's template, copied into rows with data-acciones.
    assert "1 ant." in html and "data-acciones" in html
