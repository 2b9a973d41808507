"""Site bookings kept by every write to an OT, and the check on save (schedules/bookings.py): a
conflict is a warning, or a refusal on an exclusive site; nothing is written when refused."""

from datetime import date

import pytest
from sqlalchemy import func, select
from werkzeug.datastructures import MultiDict

from ot_app.extensions import db
from ot_app.models import OTE, EstatusOTId, ReservaSitio
from ot_app.orders import commands
from ot_app.orders.forms import OTForm
from ot_app.schedules import bookings
from ot_app.service_errors import ValidationFailed

from .. import factories


def values(sites, **kw):
    payload = factories.ot_payload(sites["pte"], sites["responsable"], **kw)
    form = OTForm(formdata=MultiDict(payload))
    assert form.validate(), form.first_errors()
    return form.present_values()


def offshore(sites, inicio, fin, barco="barco", **kw):
    return values(
        sites,
        id_frente="2",
        id_embarcacion=str(sites[barco].id),
        fecha_inicio_programado=inicio,
        fecha_termino_programado=fin,
        **kw,
    )


def create(sites, inicio, fin, **kw):
    return commands.create_order(offshore(sites, inicio, fin, **kw), None)


def on_land(sites, inicio, fin):
    """An OT on land, in the yard `sites["patio"]` for its programmed dates."""
    return commands.create_order(
        values(sites, patio=sites["patio"], fecha_inicio_programado=inicio, fecha_termino_programado=fin),
        None,
    )


def with_yard_phase(sites, inicio, fin, patio_desde, patio_hasta):
    """An offshore OT with a yard phase in `sites["patio"]`."""
    return create(
        sites,
        inicio,
        fin,
        check_fase_patio="on",
        id_patio_fase=str(sites["patio"].id),
        fecha_inicio_patio=patio_desde,
        fecha_fin_patio=patio_hasta,
    )


def booked():
    return sorted((r.id_ot, r.tipo_sitio, r.desde, r.hasta) for r in db.session.scalars(select(ReservaSitio)))


def test_an_ot_books_its_vessel_for_its_programmed_dates(sites):
    ot = create(sites, "2027-01-10", "2027-01-31").ot
    assert booked() == [(ot.id, "embarcacion", date(2027, 1, 10), date(2027, 1, 31))]


def test_a_second_booking_of_the_vessel_is_a_warning_and_the_message_keeps_the_seed_words(sites):
    first = create(sites, "2027-01-10", "2027-01-31").ot
    second = create(sites, "2027-01-25", "2027-02-15")
    assert second.detalles == "OT creada correctamente"
    assert second.conflictos == [
        "La embarcación «B/C Isla del Carmen» ya está reservada del 25/01/2027 al 31/01/2027 "
        f"por {first.orden_trabajo} (admite una OT a la vez)."
    ]
    assert len(booked()) == 2
    # Another vessel, or days that only touch: no conflict.
    assert create(sites, "2027-01-25", "2027-02-15", barco="barco2").conflictos == []
    assert create(sites, "2027-02-16", "2027-02-20").conflictos == []


def test_an_exclusive_vessel_refuses_the_overlap_next_to_its_field_and_nothing_is_written(sites):
    sites["barco"].exclusivo = True
    db.session.commit()
    create(sites, "2027-01-10", "2027-01-31")
    before = (db.session.scalar(select(func.count()).select_from(OTE)), booked())
    with pytest.raises(ValidationFailed) as refused:
        create(sites, "2027-01-31", "2027-02-15")
    message = refused.value.errores["id_embarcacion"]
    assert message.startswith(
        "La embarcación «B/C Isla del Carmen» ya está reservada del 31/01/2027 al 31/01/2027"
    )
    assert message.endswith("Es exclusiva: mueva las fechas o elija otro sitio.")
    assert (db.session.scalar(select(func.count()).select_from(OTE)), booked()) == before


def test_moving_the_dates_of_an_edit_moves_its_booking_and_clears_the_conflict(sites):
    create(sites, "2027-01-10", "2027-01-31")
    ot = create(sites, "2027-01-25", "2027-02-15").ot
    result = commands.update_order(
        {
            "id": ot.id,
            "fecha_inicio_programado": date(2027, 2, 1),
            "fecha_termino_programado": date(2027, 2, 20),
        },
        None,
    )
    assert result.conflictos == []
    assert (ot.id, "embarcacion", date(2027, 2, 1), date(2027, 2, 20)) in booked()


def test_an_edit_that_does_not_touch_dates_or_sites_rewrites_no_booking(sites, app):
    ot = create(sites, "2027-01-10", "2027-01-31").ot
    row_id = db.session.scalar(select(ReservaSitio.id))
    commands.update_order({"id": ot.id, "descripcion_trabajo": "Otro alcance"}, None)
    assert db.session.scalar(select(ReservaSitio.id)) == row_id


def test_a_cancelled_ot_frees_its_vessel_and_leaving_cancelled_books_it_again(sites):
    sites["barco"].exclusivo = True
    db.session.commit()
    first = create(sites, "2027-01-10", "2027-01-31").ot
    commands.change_status({"id": first.id, "id_estatus_ot": EstatusOTId.CANCELADA}, None)
    assert booked() == []
    create(sites, "2027-01-20", "2027-02-10")  # the vessel is free now
    with pytest.raises(ValidationFailed):
        commands.change_status({"id": first.id, "id_estatus_ot": EstatusOTId.PROGRAMADA}, None)
    assert db.session.get(OTE, first.id).id_estatus_ot == EstatusOTId.CANCELADA


def test_a_deleted_ot_frees_its_sites_and_a_restored_one_books_them_again(sites):
    ot = create(sites, "2027-01-10", "2027-01-31").ot
    commands.delete_order(ot.id, None)
    assert booked() == []
    commands.restore_order(ot.id, None)
    assert [b[0] for b in booked()] == [ot.id]


def test_only_the_current_version_of_a_chain_books(sites):
    initial = create(sites, "2027-01-10", "2027-01-31").ot
    version = commands.reprogram_order(
        {
            "id": initial.id,
            "motivo": "Clima",
            "fecha_inicio_programado": date(2027, 3, 1),
            "fecha_termino_programado": date(2027, 3, 31),
        },
        None,
    ).ot
    assert booked() == [(version.id, "embarcacion", date(2027, 3, 1), date(2027, 3, 31))]
    commands.delete_order(version.id, None)
    assert booked() == [(initial.id, "embarcacion", date(2027, 1, 10), date(2027, 1, 31))]


def test_a_yard_is_booked_for_the_yard_phase_when_there_is_one(sites):
    land = on_land(sites, "2027-01-10", "2027-01-31").ot
    phase = with_yard_phase(sites, "2027-02-01", "2027-03-31", "2027-01-20", "2027-02-05")
    assert (land.id, "patio", date(2027, 1, 10), date(2027, 1, 31)) in booked()
    assert (phase.ot.id, "patio", date(2027, 1, 20), date(2027, 2, 5)) in booked()
    assert [c.split("»")[0] for c in phase.conflictos] == ["El patio «Patio Dos Bocas"]
    assert "ya está reservado del 20/01/2027 al 31/01/2027" in phase.conflictos[0]


def test_the_bookings_kept_on_every_write_are_those_rebuilt_from_the_ots(sites):
    a = create(sites, "2027-01-10", "2027-01-31").ot
    b = create(sites, "2027-01-15", "2027-02-28", barco="barco2").ot
    commands.update_order({"id": a.id, "id_embarcacion": sites["barco2"].id}, None)
    commands.change_status({"id": b.id, "id_estatus_ot": EstatusOTId.EN_EJECUCION}, None)
    commands.delete_order(a.id, None)
    kept = booked()
    bookings.rebuild_all()
    db.session.commit()
    assert booked() == kept
