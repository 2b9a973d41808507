"""Rules of creating an OT (issue 9, design.md rules 1, 2 and 4), through the JSON API."""

import pytest

from ot_app.extensions import db
from ot_app.models import OTE, ActividadLog, OTDetalle, PasoOt

from .. import factories
from .conftest import counts


def ot(app, id_):
    with app.app_context():
        return db.session.get(OTE, id_)


def test_create_initial_ot_returns_envelope_with_id_nuevo(app, api, base):
    r = api.post("/api/ot/crear", data=base.payload())
    body = r.get_json()
    assert r.status_code == 200, body
    assert body["exito"] is True and body["tipo_aviso"] == "exito"
    assert body["detalles"] == "OT creada correctamente"
    row = ot(app, body["id_nuevo"])
    assert (
        row.id_tipo == 4 and row.estatus == 1 and row.ot_principal is None and row.num_reprogramacion is None
    )
    assert str(row.monto_mxn) == "1234567.50"
    assert row.id_cliente == 2  # defaulted from the PTE


def test_missing_folio_answers_the_seed_message(app, api, base):
    with app.app_context():
        before = counts()
    r = api.post("/api/ot/crear", data=base.payload(orden_trabajo=""))
    body = r.get_json()
    assert r.status_code == 400
    assert body == {
        "exito": False,
        "tipo_aviso": "error",
        "detalles": "El Folio de la OT es obligatorio",
        "errores": {"orden_trabajo": "El Folio de la OT es obligatorio"},
    }
    with app.app_context():
        assert counts() == before


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_tipo", "", "El tipo de OT es obligatorio."),
        ("id_tipo", "7", "El tipo de OT debe ser 4 (OT inicial) o 5 (OT reprogramada)."),
        ("id_tipo", "abc", "El tipo de OT no es un identificador válido."),
        ("descripcion_trabajo", "  ", "La descripción del trabajo es obligatoria."),
        ("responsable_proyecto", "", "El responsable de proyecto es obligatorio."),
        ("responsable_proyecto", "999", "El responsable de proyecto con ID 999 no existe."),
        ("responsable_cliente", "", "El responsable del cliente es obligatorio."),
        ("id_pte_header", "", "La PTE padre es obligatoria."),
        ("id_pte_header", "999", "La PTE con ID 999 no existe."),
        ("monto_mxn", "-5", "El monto en MXN no puede ser negativo."),
        ("monto_mxn", "12.345", "El monto en MXN admite como máximo 2 decimales."),
        ("monto_usd", "1.234,50", "El monto en USD no es un importe válido (ejemplo: 1,234.50)."),
        ("plazo_dias", "-1", "El plazo en días debe ser un número entero mayor o igual a 0."),
        ("plazo_dias", "3.5", "El plazo en días debe ser un número entero mayor o igual a 0."),
        (
            "fecha_inicio_programado",
            "01/02/2026",
            "La fecha de inicio programado no es una fecha válida (use AAAA-MM-DD).",
        ),
        (
            "fecha_termino_programado",
            "2026-01-01",
            "La fecha de término programado no puede ser anterior a la de inicio.",
        ),
        ("id_frente", "99999999999999999999", "El frente no es un identificador válido."),
        ("id_patio", "", "En un frente de Tierra el patio es obligatorio."),
        ("id_cliente", "-1", "El cliente no es un identificador válido."),
    ],
)
def test_each_wrong_field_has_its_own_spanish_message(app, api, base, field, value, message):
    with app.app_context():
        before = counts()
    r = api.post("/api/ot/crear", data=base.payload(**{field: value}))
    body = r.get_json()
    assert r.status_code == 400, body
    assert body["exito"] is False
    assert body["errores"][field] == message
    with app.app_context():
        assert counts() == before


def test_real_dates_in_order(api, base):
    r = api.post(
        "/api/ot/crear", data=base.payload(fecha_inicio_real="2026-03-02", fecha_termino_real="2026-03-01")
    )
    assert r.get_json()["errores"] == {
        "fecha_termino_real": "La fecha de término real no puede ser anterior a la de inicio."
    }


@pytest.mark.parametrize(("raw", "stored"), [("1,234.50", "1234.50"), ("1234.5", "1234.50"), ("", "0.00")])
def test_amounts_accept_commas_and_empty_is_zero(app, api, base, raw, stored):
    r = api.post("/api/ot/crear", data=base.payload(monto_mxn=raw, monto_usd=raw))
    row = ot(app, r.get_json()["id_nuevo"])
    assert f"{row.monto_mxn:.2f}" == stored and f"{row.monto_usd:.2f}" == stored


def test_pte_must_be_approved(app, api, base):
    with app.app_context():
        pte = factories.make_pte("PTE-BORRADOR", estatus_pte=1)
        db.session.commit()
        pte_id = pte.id
    r = api.post("/api/ot/crear", data=base.payload(id_pte_header=pte_id))
    assert r.status_code == 400
    assert r.get_json()["errores"]["id_pte_header"] == (
        "La PTE PTE-BORRADOR no está aprobada; solo una PTE aprobada puede originar una OT."
    )


def test_pte_must_not_be_deleted(app, api, base):
    with app.app_context():
        pte = factories.make_pte("PTE-BORRADA", estatus=0)
        db.session.commit()
        pte_id = pte.id
    r = api.post("/api/ot/crear", data=base.payload(id_pte_header=pte_id))
    assert r.get_json()["errores"]["id_pte_header"] == "La PTE PTE-BORRADA fue eliminada."


def test_client_defaults_to_the_pte_client_but_can_be_given(app, api, base):
    r = api.post("/api/ot/crear", data=base.payload(id_cliente="3"))
    assert ot(app, r.get_json()["id_nuevo"]).id_cliente == 3


def test_inactive_catalog_row_is_refused(app, api, base):
    with app.app_context():
        patio = factories.make_patio("Patio Cerrado", activo=False)
        db.session.commit()
        patio_id = patio.id
    r = api.post("/api/ot/crear", data=base.payload(id_patio=patio_id))
    assert (
        r.get_json()["errores"]["id_patio"] == "El patio «Patio Cerrado» está inactivo y no puede asignarse."
    )


def test_initial_folio_unique_trimmed_and_case_insensitive(app, api, base):
    assert api.post("/api/ot/crear", data=base.payload(orden_trabajo="OT-ABC-001")).status_code == 200
    r = api.post("/api/ot/crear", data=base.payload(orden_trabajo="  ot-abc-001 "))
    assert r.status_code == 400
    assert r.get_json()["errores"]["orden_trabajo"].startswith("Ya existe una OT inicial con el folio")


def test_folio_of_a_deleted_initial_ot_can_be_reused(app, api, base):
    first = api.post("/api/ot/crear", data=base.payload(orden_trabajo="OT-REUSO")).get_json()["id_nuevo"]
    assert api.post("/api/ot/eliminar", data={"id": first}).status_code == 200
    r = api.post("/api/ot/crear", data=base.payload(orden_trabajo="OT-REUSO"))
    assert r.status_code == 200, r.get_json()
    second = r.get_json()["id_nuevo"]
    with app.app_context():
        old, new = db.session.get(OTE, first), db.session.get(OTE, second)
        assert second != first and old.estatus == 0  # the deleted one stays deleted, untouched
        assert (new.orden_trabajo, new.id_tipo, new.estatus) == ("OT-REUSO", 4, 1)


def test_por_definir_creates_with_estatus_minus_one(app, api, base):
    r = api.post("/api/ot/crear", data=base.payload(por_definir="on"))
    assert ot(app, r.get_json()["id_nuevo"]).estatus == -1


def test_create_writes_one_log_row_and_none_on_failure(app, api, base):
    r = api.post("/api/ot/crear", data=base.payload())
    new_id = r.get_json()["id_nuevo"]
    api.post("/api/ot/crear", data=base.payload(orden_trabajo=""))
    with app.app_context():
        rows = db.session.scalars(db.select(ActividadLog)).all()
        assert [(x.accion, x.entidad, x.entidad_id) for x in rows] == [("crear", "ot", new_id)]
        assert rows[0].usuario == "api_editor"
        assert rows[0].cambios["orden_trabajo"][0] is None


def test_json_body_is_accepted(app, api, base):
    payload = base.payload()
    payload["id_tipo"] = 4
    payload["monto_mxn"] = 1500.5
    r = api.post("/api/ot/crear", json=payload)
    assert r.status_code == 200, r.get_json()
    assert f"{ot(app, r.get_json()['id_nuevo']).monto_mxn:.2f}" == "1500.50"


# --------------------------------------------------------------------------- steps


def steps(app, ot_id):
    with app.app_context():
        return db.session.execute(
            db.select(OTDetalle.id_paso, OTDetalle.estatus_paso, OTDetalle.comentario)
            .where(OTDetalle.id_ot == ot_id)
            .order_by(OTDetalle.id)
        ).all()


def template_ids(app, step_set):
    with app.app_context():
        return list(
            db.session.scalars(
                db.select(PasoOt.id)
                .where(PasoOt.tipo == step_set, PasoOt.activo.is_(True))
                .order_by(PasoOt.id)
            )
        )


def test_steps_initial_ot_gets_set_5_pending_in_id_order(app, api, base):
    new_id = api.post("/api/ot/crear", data=base.payload()).get_json()["id_nuevo"]
    rows = steps(app, new_id)
    assert [r[0] for r in rows] == template_ids(app, 5)
    assert all(r[1] == 1 and r[2] == "" for r in rows)


@pytest.mark.parametrize(("cliente", "step_set"), [(1, 5), (2, 18), (3, 18), (4, 18), (None, 5)])
def test_steps_reprogrammed_set_depends_on_client(app, api, base, cliente, step_set):
    with app.app_context():
        extra = factories.make_catalog(
            __import__("ot_app.models", fromlist=["Cliente"]).Cliente, "Cliente Cinco"
        )
        db.session.commit()
        cliente = cliente or extra.id
    initial = api.post("/api/ot/crear", data=base.payload(orden_trabajo="OT-CADENA-1")).get_json()["id_nuevo"]
    r = api.post(
        "/api/ot/crear",
        data=base.payload(orden_trabajo="OT-CADENA-1", id_tipo=5, ot_principal=initial, id_cliente=cliente),
    )
    assert r.status_code == 200, r.get_json()
    assert [s[0] for s in steps(app, r.get_json()["id_nuevo"])] == template_ids(app, step_set)


def test_steps_inactive_templates_are_skipped(app, api, base):
    with app.app_context():
        db.session.get(PasoOt, 3).activo = False
        db.session.commit()
    new_id = api.post("/api/ot/crear", data=base.payload()).get_json()["id_nuevo"]
    assert 3 not in [s[0] for s in steps(app, new_id)]


def test_steps_empty_set_still_creates_with_advertencia(app, api, base):
    with app.app_context():
        db.session.execute(db.update(PasoOt).where(PasoOt.tipo == 5).values(activo=False))
        db.session.commit()
    r = api.post("/api/ot/crear", data=base.payload())
    body = r.get_json()
    assert r.status_code == 200 and body["exito"] is True and body["tipo_aviso"] == "advertencia"
    assert "no tiene pasos activos" in body["detalles"]
    assert steps(app, body["id_nuevo"]) == []


def test_create_runs_a_constant_number_of_statements(app, api, base, queries):
    api.post("/api/ot/crear", data=base.payload())  # warm caches
    with queries() as q:
        r = api.post("/api/ot/crear", data=base.payload())
    assert r.status_code == 200
    inserts = [s for s in q.statements if s.lstrip().upper().startswith("INSERT")]
    # The OT, all its steps in one statement, the log row, its site bookings in one statement, and
    # its stored planned curve (curve_store.refresh: the version, its currencies, its periods).
    assert len(inserts) == 7
    assert q.count <= 25  # 25 on both databases: the bookings' and the curve's reads included


# --------------------------------------------------------------------------- yard phase


def test_yard_land_front_yard_is_the_site(app, api, base):
    r = api.post("/api/ot/crear", data=base.payload(id_frente=1, id_patio=base.ids.patio))
    row = ot(app, r.get_json()["id_nuevo"])
    assert row.id_patio == base.ids.patio and row.requiere_patio is False
    assert row.fecha_inicio_patio is None and row.fecha_fin_patio is None


def test_yard_offshore_with_phase_stores_the_four_fields(app, api, base):
    r = api.post(
        "/api/ot/crear",
        data=base.payload(
            id_frente=2,
            id_patio="",
            id_embarcacion=base.ids.embarcacion,
            check_fase_patio="on",
            id_patio_fase=base.ids.patio2,
            fecha_inicio_patio="2026-01-10",
            fecha_fin_patio="2026-01-25",
        ),
    )
    row = ot(app, r.get_json()["id_nuevo"])
    assert (row.id_patio, row.requiere_patio) == (base.ids.patio2, True)
    assert (row.fecha_inicio_patio.isoformat(), row.fecha_fin_patio.isoformat()) == (
        "2026-01-10",
        "2026-01-25",
    )


def test_yard_offshore_without_checkbox_clears_all_four(app, api, base):
    r = api.post(
        "/api/ot/crear",
        data=base.payload(
            id_frente=2,
            id_patio=base.ids.patio,
            id_patio_fase=base.ids.patio2,
            fecha_inicio_patio="2026-01-10",
        ),
    )
    row = ot(app, r.get_json()["id_nuevo"])
    assert (row.id_patio, row.requiere_patio, row.fecha_inicio_patio, row.fecha_fin_patio) == (
        None,
        False,
        None,
        None,
    )


def test_yard_phase_end_not_before_start(api, base):
    r = api.post(
        "/api/ot/crear",
        data=base.payload(
            id_frente=2,
            check_fase_patio="on",
            id_patio_fase=base.ids.patio2,
            fecha_inicio_patio="2026-01-10",
            fecha_fin_patio="2026-01-05",
        ),
    )
    assert r.get_json()["errores"] == {
        "fecha_fin_patio": "La fecha de fin en patio no puede ser anterior a la de inicio."
    }


def test_yard_phase_checked_without_yard_is_an_error(api, base):
    r = api.post("/api/ot/crear", data=base.payload(id_frente=2, check_fase_patio="on", id_patio_fase=""))
    assert r.get_json()["errores"] == {"id_patio_fase": "Seleccione el patio de la fase de patio."}


def test_missing_pte_is_reported_with_the_other_errors(api, base):
    r = api.post("/api/ot/crear", data=base.payload(id_pte_header="", descripcion_trabajo=""))
    assert set(r.get_json()["errores"]) == {"id_pte_header", "descripcion_trabajo"}
    assert r.get_json()["errores"]["id_pte_header"] == "La PTE padre es obligatoria."
