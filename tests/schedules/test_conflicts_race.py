"""Two bookings of one exclusive vessel checked at the same instant (PostgreSQL): the exclusion
constraint makes each wait on the other and the deadlock detector ends one of them. The edit it
ends runs again, sees the other's committed booking and is refused beside the vessel's field:
never a 500 (CI's 16-client load test met one, `tests/reliability/test_conflicts_load.py`).

SQLite has no such race: BEGIN IMMEDIATE serialises writers before they check."""

import threading
import time
from datetime import date

import pytest
from sqlalchemy import text

from ot_app.extensions import db
from ot_app.orders import commands
from ot_app.service_errors import ValidationFailed

from .test_conflicts_on_save import booked, create


@pytest.fixture
def postgresql(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("a PostgreSQL deadlock: it belongs to the PostgreSQL pass")


def test_an_edit_that_deadlocks_on_an_exclusive_vessel_runs_again_and_is_refused_beside_its_field(
    postgresql, sites
):
    sites["barco"].exclusivo = True
    db.session.commit()
    mine = create(sites, "2027-06-01", "2027-06-20").ot
    other = create(sites, "2027-09-01", "2027-09-20").ot
    db.session.commit()
    mine_id, other_id, version = mine.id, other.id, mine.version
    before = booked()
    engine = db.engine
    moved, done, errors = threading.Event(), threading.Event(), []

    def other_writer():
        # Another transaction moves its booking onto July and, while our edit waits on it inside
        # the exclusion constraint, asks for our chain's lock: a deadlock. Its own detector waits
        # 20 s, so ours (1 s) is the one PostgreSQL ends.
        try:
            with engine.connect() as conn:
                conn.execute(text("SET deadlock_timeout = '20s'"))
                conn.execute(
                    text(
                        "UPDATE reserva_sitio SET desde = '2027-07-05', hasta = '2027-07-25' WHERE id_ot = :id"
                    ),
                    {"id": other_id},
                )
                moved.set()
                time.sleep(0.5)  # our edit is now waiting on this row
                conn.execute(text("SELECT id FROM ote WHERE id = :id FOR UPDATE"), {"id": mine_id})
                conn.commit()
        except Exception as exc:  # noqa: BLE001  (reported by the test below)
            errors.append(exc)
        finally:
            moved.set()
            done.set()

    writer = threading.Thread(target=other_writer, daemon=True)
    writer.start()
    assert moved.wait(10)
    started = time.monotonic()
    with pytest.raises(ValidationFailed) as refused:
        commands.update_order(
            {
                "id": mine_id,
                "version": version,
                "fecha_inicio_programado": date(2027, 7, 1),
                "fecha_termino_programado": date(2027, 7, 20),
            },
            None,
        )
    assert done.wait(30) and not errors, errors
    # The detector (deadlock_timeout 1 s) ended the first try; the second saw July taken.
    assert time.monotonic() - started >= 0.9
    assert (
        "«B/C Isla del Carmen» ya está reservada del 05/07/2027 al 20/07/2027"
        in (refused.value.errores["id_embarcacion"])
    )
    db.session.rollback()
    # Ours kept June; theirs holds July.
    assert [x for x in booked() if x[0] == mine_id] == [x for x in before if x[0] == mine_id]
    assert (other_id, "embarcacion", date(2027, 7, 5), date(2027, 7, 25)) in booked()
