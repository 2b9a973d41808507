"""Reprogrammed versions (tipo 5): they share the initial OT's folio and number themselves."""

import threading

from ot_app.extensions import db
from ot_app.models import OTE

from .. import factories
from .conftest import counts


def create(api, base, **kw):
    return api.post("/api/ot/crear", data=base.payload(**kw))


def initial(api, base, folio="OT-GRZ-801-24-016.7-J-NHA"):
    r = create(api, base, orden_trabajo=folio)
    assert r.status_code == 200, r.get_json()
    return r.get_json()["id_nuevo"]


def test_reprogramacion_without_ot_principal_is_the_seed_advertencia(app, api, base):
    with app.app_context():
        before = counts()
    r = create(api, base, id_tipo=5)
    assert r.status_code == 400
    body = r.get_json()
    assert (body["exito"], body["tipo_aviso"], body["detalles"]) == (
        False,
        "advertencia",
        "Para una reprogramación, debe seleccionar la OT Inicial.",
    )
    with app.app_context():
        assert counts() == before


def test_reprogramacion_numbers_follow_the_chain(app, api, base):
    first = initial(api, base)
    ids = [
        create(
            api, base, orden_trabajo="OT-GRZ-801-24-016.7-J-NHA", id_tipo=5, ot_principal=first
        ).get_json()["id_nuevo"]
        for _ in range(3)
    ]
    with app.app_context():
        rows = [db.session.get(OTE, i) for i in ids]
        assert [(r.ot_principal, r.num_reprogramacion, r.id_tipo) for r in rows] == [
            (first, 1, 5),
            (first, 2, 5),
            (first, 3, 5),
        ]
        assert db.session.get(OTE, first).num_reprogramacion is None


def test_reprogramacion_folio_compared_trimmed_case_insensitive(app, api, base):
    first = initial(api, base, "OT-ABC-9")
    r = create(api, base, orden_trabajo="  ot-abc-9 ", id_tipo=5, ot_principal=first)
    assert r.status_code == 200, r.get_json()
    with app.app_context():
        version = db.session.get(OTE, r.get_json()["id_nuevo"])
        assert (version.ot_principal, version.num_reprogramacion) == (first, 1)
        assert version.folio_norm == db.session.get(OTE, first).folio_norm == "ot-abc-9"
        assert (
            version.orden_trabajo == "OT-ABC-9"
        )  # the chain shares the initial OT's folio, as it is written


def test_reprogramacion_folio_must_be_the_initial_ots(api, base):
    first = initial(api, base, "OT-ABC-9")
    r = create(api, base, orden_trabajo="OT-OTRO", id_tipo=5, ot_principal=first)
    assert r.status_code == 400
    assert (
        r.get_json()["errores"]["orden_trabajo"]
        == "Una reprogramación lleva el folio de su OT inicial: OT-ABC-9."
    )


def test_reprogramacion_principal_must_be_a_live_initial_ot(api, base):
    first = initial(api, base, "OT-ABC-9")
    version = create(api, base, orden_trabajo="OT-ABC-9", id_tipo=5, ot_principal=first).get_json()[
        "id_nuevo"
    ]
    r = create(api, base, orden_trabajo="OT-ABC-9", id_tipo=5, ot_principal=version)
    assert "no es una OT inicial" in r.get_json()["errores"]["ot_principal"]
    r = create(api, base, orden_trabajo="OT-ABC-9", id_tipo=5, ot_principal=99999)
    assert r.get_json()["errores"]["ot_principal"] == "La OT inicial con ID 99999 no existe."
    api.post("/api/ot/eliminar", data={"id": version})
    api.post("/api/ot/eliminar", data={"id": first})
    r = create(api, base, orden_trabajo="OT-ABC-9", id_tipo=5, ot_principal=first)
    assert r.get_json()["errores"]["ot_principal"] == "La OT inicial OT-ABC-9 está eliminada."


def test_reprogramacion_old_client_number_accepted_only_when_expected(api, base):
    first = initial(api, base, "OT-ABC-9")
    ok = create(api, base, orden_trabajo="OT-ABC-9", id_tipo=5, ot_principal=first, num_reprogramacion=1)
    assert ok.status_code == 200
    bad = create(api, base, orden_trabajo="OT-ABC-9", id_tipo=5, ot_principal=first, num_reprogramacion=5)
    assert bad.status_code == 400
    assert bad.get_json()["errores"]["num_reprogramacion"] == (
        "El número de reprogramación que sigue para OT-ABC-9 es 2, no 5."
    )


def test_reprogramacion_may_have_its_own_approved_pte_or_inherit_it(app, api, base):
    first = initial(api, base, "OT-ABC-9")
    with app.app_context():
        other = factories.make_pte("PTE-REPRO", id_cliente=2)
        db.session.commit()
        other_id = other.id
    own = create(api, base, orden_trabajo="OT-ABC-9", id_tipo=5, ot_principal=first, id_pte_header=other_id)
    inherited = create(api, base, orden_trabajo="OT-ABC-9", id_tipo=5, ot_principal=first, id_pte_header="")
    with app.app_context():
        assert db.session.get(OTE, own.get_json()["id_nuevo"]).id_pte_header == other_id
        assert db.session.get(OTE, inherited.get_json()["id_nuevo"]).id_pte_header == base.ids.pte


def test_reprogramacion_numbers_never_collide_under_concurrency(app, api_token, base):
    """Two versions created at the same moment never get the same number."""
    from .conftest import Api

    token = api_token("editor", "concurrente")
    first = initial(Api(app.test_client(), token), base, "OT-CONC-1")
    results = []

    def worker():
        client = Api(app.test_client(), token)
        for _ in range(4):
            r = create(client, base, orden_trabajo="OT-CONC-1", id_tipo=5, ot_principal=first)
            results.append(r.status_code)

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(results) <= {200, 409}
    with app.app_context():
        numbers = sorted(
            db.session.scalars(db.select(OTE.num_reprogramacion).where(OTE.ot_principal == first))
        )
    assert numbers == list(range(1, results.count(200) + 1))
    assert results.count(200) >= 1
