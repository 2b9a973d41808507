"""`flask demo`'s programs (issue 19): three OTs with a program, one reprogrammed chain whose
version 1 keeps its program as the baseline while the new version starts from the copy."""

from ot_app.extensions import db
from ot_app.models import OTE, OrigenPrograma, ProgramaRevision
from ot_app.schedules import read
from ot_app.schedules.demo import demo_programs


def test_demo_programs(app, runner):
    assert runner.invoke(args=["demo"]).exit_code == 0
    with app.app_context():
        typed = ProgramaRevision.origen.in_([OrigenPrograma.CAPTURA, OrigenPrograma.COPIA])
        ots = db.session.scalars(db.select(ProgramaRevision.id_ot).where(typed).distinct()).all()
        assert len(ots) == 4  # three OTs, and the new version of the one reprogrammed
        new = db.session.scalars(db.select(OTE).where(OTE.id.in_(ots), OTE.ot_principal.is_not(None))).one()
        baseline = read.program(new.ot_principal)
        assert baseline.congelado and [r.n for r in baseline.revisiones] == [2, 1]
        current = read.program(new.id)
        assert [(r.n, r.origen) for r in current.revisiones] == [
            (2, "captura"),
            (1, OrigenPrograma.COPIA.value),
        ]
        assert len(current.filas) == len(baseline.filas) + 1
        assert any(f.actividad.es_patio for f in baseline.filas)
        assert baseline.revision.total_mxn > 0 and baseline.revision.total_usd > 0
        assert len(baseline.revision.ligas) == 7
        assert demo_programs() == 0  # idempotent
