"""The check the load and crash tests rely on must itself be able to fail: a lost create, a missing
step, a missing activity-log row, an edit or a delete not in the database, a step comment not saved,
each is reported."""

import copy

from ot_app.extensions import db
from ot_app.models import ActividadLog, OTDetalle

from .. import factories
from .load import Ledger, check_database


def test_the_check_reports_every_kind_of_lost_or_half_written_write(app):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    with app.app_context():
        pte = factories.make_pte("PTE-LIBRO-2026", id_cliente=2)
        responsable = factories.make_responsable()
        patio = factories.make_patio()
        db.session.commit()
        ots = [factories.make_ot(pte=pte, responsable=responsable, patio=patio) for _ in range(4)]
        a, b, c, d = (ot.id for ot in ots)
        descripcion = ots[0].descripcion_trabajo
        step_of_a = db.session.scalar(db.select(db.func.min(OTDetalle.id)).where(OTDetalle.id_ot == a))
        db.session.commit()

    clean = Ledger()
    clean.creates = dict.fromkeys((a, b, c, d), descripcion)
    problems, figures = check_database(url, clean)
    assert problems == [] and figures["ots"] == 4 and figures["expected_steps"] > 0

    def problems_with(change) -> list[str]:
        ledger = copy.deepcopy(clean)
        change(ledger)
        return check_database(url, ledger)[0]

    assert any("not in the database" in p for p in problems_with(lambda lg: lg.creates.update({999999: "x"})))
    assert any("stored" in p for p in problems_with(lambda lg: lg.edits.append((a, 2, "otra"))))
    assert any("estatus is 1" in p for p in problems_with(lambda lg: lg.deletes.add(b)))
    assert any("step" in p for p in problems_with(lambda lg: lg.steps[step_of_a].append("comentario")))
    # Fewer acknowledged creates than rows, with no unanswered create to explain the difference.
    assert any("nobody was told about" in p for p in problems_with(lambda lg: lg.creates.pop(d)))

    with app.app_context():
        db.session.execute(db.delete(OTDetalle).where(OTDetalle.id_ot == b, OTDetalle.id != step_of_a))
        db.session.execute(
            db.delete(ActividadLog).where(ActividadLog.entidad_id == c, ActividadLog.accion == "crear")
        )
        db.session.commit()
    problems, _ = check_database(url, clean)
    assert any(f"OT {b} has" in p and "half-written" in p for p in problems), problems
    assert any(f"OT {c} has 0 'crear' rows" in p for p in problems), problems
