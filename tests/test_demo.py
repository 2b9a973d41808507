"""`flask demo`: idempotent data that looks like a real office's."""

from ot_app.extensions import db
from ot_app.models import OTE, Cliente, OTDetalle, PTEHeader
from ot_app.orders import read


def test_demo_is_idempotent_and_realistic(app, runner):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    with app.app_context():
        ots = db.session.scalar(db.select(db.func.count()).select_from(OTE))
        assert 45 <= ots <= 70
        assert {c.id for c in db.session.scalars(db.select(Cliente))} >= {1, 2, 3, 4, 5}
        approved = db.session.scalar(db.select(db.func.count()).where(PTEHeader.id_estatus_pte == 3))
        assert approved > db.session.scalar(db.select(db.func.count()).select_from(PTEHeader)) / 2
        assert db.session.scalar(db.select(db.func.count()).where(OTE.id_tipo == 5)) >= 6
        # issue 12: every version has its motivo, and one chain changed its amount by more than 25 %
        assert (
            db.session.scalar(db.select(db.func.count()).where(OTE.id_tipo == 5, OTE.motivo.is_(None))) == 0
        )
        initials = db.session.scalars(db.select(OTE).where(OTE.id.in_(db.select(OTE.ot_principal)))).all()
        warned = [
            w
            for ot in initials
            for v in read.versions_of(ot).versiones
            for w in v["advertencias"]
            if w["campo"] == "monto_mxn" and "más del 25.00 %" in w["mensaje"]
        ]
        assert warned
        assert db.session.scalar(db.select(db.func.count()).where(OTE.estatus == -1)) >= 1
        assert db.session.scalar(db.select(db.func.count()).where(OTE.estatus == 0)) >= 1
        assert db.session.scalar(db.select(db.func.count(OTE.id_estatus_ot.distinct()))) >= 4
        # every OT has its steps, and some progress was made
        without_steps = db.session.scalar(
            db.select(db.func.count()).where(~OTE.id.in_(db.select(OTDetalle.id_ot)))
        )
        assert without_steps == 0
        assert db.session.scalar(db.select(db.func.count()).where(OTDetalle.estatus_paso == 3)) > 50
        # issue 13: PTEs with checklists, one ready for "Crear OT", one approved but incomplete
        from ot_app.models import PTEDetalle
        from ot_app.pte import read as pte_read

        checked = db.session.scalars(
            db.select(PTEHeader).where(PTEHeader.id.in_(db.select(PTEDetalle.id_pte))).order_by(PTEHeader.id)
        ).all()
        assert [p.oficio_pte for p in checked][:3] == [f"PEP-DEMO-CHK-00{n}-2026" for n in (1, 2, 3)]
        assert pte_read.missing_for_ot(checked[0]) is None
        assert pte_read.missing_for_ot(checked[1])
        # issue 15: one OT has an Anexo C in two revisions (a comparison to see) and a sábana
        from ot_app.annexes import read as annex_read
        from ot_app.models import AnexoRevision

        annexed = db.session.scalars(db.select(AnexoRevision.id_ot).distinct()).all()
        assert len(annexed) == 1
        anexo = annex_read.annex(annexed[0], "anexo_c", None)
        assert anexo["revision"] == 2 and len(anexo["renglones"]) == 6
        diff = annex_read.differences(annexed[0], "anexo_c", None, None)
        assert (len(diff["agregados"]), len(diff["eliminados"]), len(diff["cambiados"])) == (1, 1, 2)
        grid = annex_read.sabana_grid(annexed[0], None, 1, None)
        assert len(grid["lineas"]) == 3 and len(grid["semanas"]) >= 4 and grid["total"] != "0"
        # issue 15: a small contract catalog, ordinary and PUE concepts, so its page shows data
        from ot_app.models import Concepto

        tipos = dict(
            db.session.execute(db.select(Concepto.tipo, db.func.count()).group_by(Concepto.tipo)).all()
        )
        assert tipos["ordinario"] >= 10 and tipos["pue"] >= 2
        concepts = db.session.scalar(db.select(db.func.count()).select_from(Concepto))
    # issue 14: the timeline's default window shows a conflict, an OT behind schedule, an overdue
    # one and a version-1 baseline (the demo's dates are fixed around 27/11/2026: that day's window)
    from datetime import date

    from werkzeug.datastructures import MultiDict

    from ot_app.schedules import timeline

    with app.test_request_context():
        demo_day = date(2026, 11, 27)
        filas = timeline.timeline(timeline.parse(MultiDict(), demo_day), None, demo_day).filas
    assert all(
        any(getattr(f, mark) for f in filas) for mark in ("conflictos", "atrasada", "vencida", "base_inicio")
    )
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(OTE)) == ots
        assert db.session.scalar(db.select(db.func.count()).select_from(Concepto)) == concepts


def test_demo_if_empty_skips_when_there_are_ots(app, runner):
    runner.invoke(args=["demo"])
    r = runner.invoke(args=["demo", "--if-empty"])
    assert "no se cargan" in r.output
