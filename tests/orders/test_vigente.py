"""`OTE.vigente` (issue 12): the flag the list's "one row per chain" filters on always equals the
rule `read.current_version` computes, after every write that changes a chain."""

from ot_app.extensions import db
from ot_app.models import OTE
from ot_app.orders import read


def create(api, base, **kw):
    r = api.post("/api/ot/crear", data=base.payload(**kw))
    assert r.status_code == 200, r.get_json()
    return r.get_json()["id_nuevo"]


def reprogram(api, ot_id, **kw):
    r = api.post("/api/ot/reprogramar", data={"id": ot_id, "motivo": "Cambio", **kw})
    assert r.status_code == 200, r.get_json()
    return r.get_json()["id_nuevo"]


def flagged(app) -> set[int]:
    with app.app_context():
        db.session.expire_all()
        return set(db.session.scalars(db.select(OTE.id).where(OTE.vigente)))


def computed(app) -> set[int]:
    with app.app_context():
        roots = db.session.scalars(db.select(OTE.id).where(OTE.ot_principal.is_(None))).all()
        return {c.id for c in (read.current_of_chain(r) for r in roots) if c is not None}


def test_the_flag_follows_every_write_that_changes_a_chain(app, api, api_admin, base):
    r0 = create(api, base, orden_trabajo="OT-VIG-1")
    lone = create(api, base, orden_trabajo="OT-VIG-SOLA")
    assert flagged(app) == computed(app) == {r0, lone}

    r1 = reprogram(api, r0)
    r2 = reprogram(api, r1)
    assert flagged(app) == computed(app) == {r2, lone}

    assert api.post("/api/ot/eliminar", data={"id": r2}).status_code == 200
    assert flagged(app) == computed(app) == {r1, lone}

    assert api_admin.post("/api/ot/restaurar", data={"id": r2}).status_code == 200
    assert flagged(app) == computed(app) == {r2, lone}

    # The lone initial OT becomes a version of the chain: it is numbered R3 and is current.
    version = api.get(f"/api/ot/obtener?id={lone}").get_json()["datos"]["version"]
    r = api.post(
        "/api/ot/editar",
        data={
            "id": lone,
            "version": version,
            "id_tipo": "5",
            "ot_principal": r0,
            "orden_trabajo": "OT-VIG-1",
        },
    )
    assert r.status_code == 200, r.get_json()
    assert flagged(app) == computed(app) == {lone}

    assert api.post("/api/ot/eliminar", data={"id": lone}).status_code == 200
    assert api.post("/api/ot/eliminar", data={"id": r2}).status_code == 200
    assert api.post("/api/ot/eliminar", data={"id": r1}).status_code == 200
    assert api.post("/api/ot/eliminar", data={"id": r0}).status_code == 200
    assert flagged(app) == computed(app) == set()  # a deleted OT is nobody's current version


def test_the_list_by_chain_is_the_flag(app, api, base):
    r0 = create(api, base, orden_trabajo="OT-VIG-LISTA")
    r1 = reprogram(api, r0)
    ids = [row["id"] for row in api.get("/api/ot/listar?vigentes=1").get_json()["datos"]]
    assert r1 in ids and r0 not in ids
