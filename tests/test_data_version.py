"""The data version (data_version.py): every writing transaction bumps it as it commits, reads and
logins do not, and what is cached under it (the dashboard) shows a write on the very next request
in every worker — each worker is its own app here, on the same database."""

import re

from sqlalchemy import update

from ot_app import create_app, data_version
from ot_app.extensions import db
from ot_app.models import OTE, Cliente

from . import factories
from .conftest import Auth


def _version(app) -> int:
    with app.app_context():
        return data_version.current()


def _second_worker(app):
    """Another process's app on the same database (its own engine, its own cache)."""
    other = create_app(dict(app.config))
    client = other.test_client()
    Auth(client).login("u_lector")
    return other, client


def _client_row(html: str, nombre: str) -> str | None:
    m = re.search(rf"{re.escape(nombre)}</a>\s*</td>\s*<td[^>]*>(?:<a[^>]*>)?([\d,]+)", html)
    return m.group(1) if m else None


def test_a_write_shows_up_on_the_next_request_in_every_worker(app, lector_client, api):
    with app.app_context():
        pte = factories.make_pte("PTE-DV-1", id_cliente=3)
        resp = factories.make_responsable("Ing. Dato Versión")
        patio = factories.make_patio()
        db.session.commit()
        nombre = db.session.get(Cliente, 3).nombre
        payload = factories.ot_payload(pte, resp, id_patio=patio.id, orden_trabajo="OT-DV-1")
    other, other_client = _second_worker(app)
    # Both workers have the dashboard cached, without the client's OTs.
    for c in (lector_client, other_client):
        for _ in range(2):
            assert nombre not in c.get("/tablero").get_data(as_text=True)

    r = api.post("/api/ot/crear", data=payload)
    assert r.status_code == 200, r.get_json()

    for c in (lector_client, other_client):
        html = c.get("/tablero").get_data(as_text=True)
        assert nombre in html
    with other.app_context():
        db.engine.dispose()


def test_a_cached_dashboard_reads_only_the_counter(app, lector_client, queries):
    with app.app_context():
        factories.make_ot(orden_trabajo="OT-DV-2")
        db.session.commit()
    lector_client.get("/tablero")
    with queries() as hit:
        assert lector_client.get("/tablero").status_code == 200
    with app.app_context():
        factories.make_ot(orden_trabajo="OT-DV-3")
        db.session.commit()
    with queries() as miss:
        assert lector_client.get("/tablero").status_code == 200
    assert hit.count == 2  # the user and the counter
    assert miss.count == 8  # and the dashboard's six statements, once


def test_reads_and_logins_do_not_bump_the_version(app, client, lector_client):
    with app.app_context():
        factories.make_ot(orden_trabajo="OT-DV-4")
        db.session.commit()
    before = _version(app)
    for url in ("/", "/tablero", "/pte/", "/catalogos/"):
        lector_client.get(url)
    Auth(client).login("u_lector")
    Auth(client).login("u_lector", password="mal")  # a failed login writes its counter too
    assert _version(app) == before


def test_every_kind_of_write_bumps_it_once_per_transaction(app):
    with app.app_context():
        ot = factories.make_ot(orden_trabajo="OT-DV-5")
        db.session.commit()
        start = data_version.current()
        row = db.session.get(OTE, ot.id)
        row.comentario = "Primera"
        db.session.flush()
        row.oficio_ot = "OF-DV-5"  # two flushes, one transaction
        db.session.commit()
        assert data_version.current() == start + 1
        db.session.execute(update(OTE).where(OTE.id == ot.id).values(comentario="Por sentencia"))
        db.session.commit()
        assert data_version.current() == start + 2
        db.session.get(OTE, ot.id).comentario = "Se deshace"
        db.session.flush()
        db.session.rollback()
        db.session.commit()  # nothing left to write: no bump
        assert data_version.current() == start + 2


def test_inside_a_writing_transaction_the_figures_include_its_own_writes(app):
    with app.app_context():
        from ot_app.dashboard.read import dashboard

        ot = factories.make_ot(orden_trabajo="OT-DV-6")
        db.session.commit()

        def clients():
            return data_version.cached("prueba", None, lambda: {g.id for g in dashboard().por_cliente})

        assert clients() == {1}
        db.session.get(OTE, ot.id).id_cliente = 2  # flushed, not committed
        db.session.flush()
        assert clients() == {2}
        db.session.rollback()
        assert clients() == {1}


def _list_total(client, url) -> int:
    html = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    return int(re.search(r"<strong>([\d,]+)</strong> OT", html).group(1).replace(",", ""))


def test_the_list_count_and_totals_show_a_write_on_the_next_request_in_every_worker(app, lector_client, api):
    with app.app_context():
        ot = factories.make_ot(orden_trabajo="OT-DV-8", monto_mxn="100.00")
        db.session.commit()
        ot_id = ot.id
    other, other_client = _second_worker(app)
    url = "/?q=OT-DV&vencidas=0"
    for c in (lector_client, other_client):
        assert [_list_total(c, url) for _ in range(2)] == [1, 1]  # the second one from the cache
    # A write that changes what the filters select (the OT is deleted, through the API).
    r = api.post("/api/ot/eliminar", data={"id": str(ot_id)})
    assert r.status_code == 200, r.get_json()
    for c in (lector_client, other_client):
        assert _list_total(c, url) == 0
    with other.app_context():
        db.engine.dispose()


def test_kept_markup_is_bounded_by_its_characters(app, monkeypatch):
    monkeypatch.setattr(data_version, "MAX_CHARS", 1000)
    with app.app_context():
        for i in range(10):
            assert data_version.cached("pagina", i, lambda i=i: str(i) * 300) == str(i) * 300
        cache = app.extensions["ot_data_cache"]
        assert [k[1] for k in cache.entries] == [7, 8, 9] and cache.chars == 900
        assert data_version.cached("pagina", 9, lambda: "otra") == "9" * 300  # still kept
        assert data_version.cached("pagina", 0, lambda: "de nuevo") == "de nuevo"  # evicted, computed
