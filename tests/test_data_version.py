"""The data version (data_version.py): every writing transaction bumps it as it commits, reads and
logins do not, and what is cached under it (the dashboard) shows a write on the very next request
in every worker — each worker is its own app here, on the same database."""

import os
import re
import time
from pathlib import Path

from sqlalchemy import update

from ot_app import create_app, data_version
from ot_app.extensions import db
from ot_app.models import OTE, Cliente, VersionDatos

from . import factories
from .conftest import Auth, count_queries, dispose_app


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
    assert hit.count == 1  # the user, with the counter
    assert miss.count == 7  # and the dashboard's six statements, once


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
        with count_queries(db.engine) as sent:
            db.session.commit()
        assert len([s for s in sent.statements if s.startswith("UPDATE version_datos")]) == 1
        first = data_version.current()
        assert first > start
        db.session.execute(update(OTE).where(OTE.id == ot.id).values(comentario="Por sentencia"))
        db.session.commit()
        second = data_version.current()
        assert second > first
        db.session.get(OTE, ot.id).comentario = "Se deshace"
        db.session.flush()
        db.session.rollback()
        db.session.commit()  # nothing left to write: no bump
        assert data_version.current() == second


def test_a_version_is_never_below_the_clock_so_a_restored_database_never_repeats_one(app):
    """A backup restored goes on from a number it never had: what was kept for the numbers after
    the backup (in a worker, in CACHE_DIR) is never taken for the restored data."""
    with app.app_context():
        db.session.execute(update(VersionDatos).values(n=7))  # as a backup taken long ago
        db.session.commit()
        before = time.time_ns() // 1000
        factories.make_ot(orden_trabajo="OT-DV-6")
        db.session.commit()
        assert data_version.current() >= before


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
        # Evicted from this worker's memory, read back from the folder the workers share.
        assert data_version.cached("pagina", 0, lambda: "de nuevo") == "0" * 300


def test_what_one_worker_computed_the_others_read_until_the_next_write(app):
    """CACHE_DIR is shared by the workers of a host: after a write, a page is computed once, not
    once per worker; the next write makes every worker compute it again."""
    other, _ = _second_worker(app)
    computed = []

    def compute(worker):
        computed.append(worker)
        return f"calculado por {worker}"

    with app.app_context():
        assert data_version.cached("pagina", "x", lambda: compute("A")) == "calculado por A"
    with other.app_context():
        assert data_version.cached("pagina", "x", lambda: compute("B")) == "calculado por A"
    with app.app_context():
        factories.make_ot(orden_trabajo="OT-DV-7")
        db.session.commit()
    with other.app_context():
        assert data_version.cached("pagina", "x", lambda: compute("B")) == "calculado por B"
    with app.app_context():
        assert data_version.cached("pagina", "x", lambda: compute("A")) == "calculado por B"
    assert computed == ["A", "B"]
    dispose_app(other)


def test_without_a_cache_dir_each_worker_keeps_its_own(app):
    other = create_app({**app.config, "CACHE_DIR": ""})
    first = create_app({**app.config, "CACHE_DIR": ""})
    with first.app_context():
        assert data_version.cached("pagina", "y", lambda: "uno") == "uno"
    with other.app_context():
        assert data_version.cached("pagina", "y", lambda: "otro") == "otro"
    dispose_app(first)
    dispose_app(other)


def test_the_shared_folder_keeps_the_current_version_only_and_a_broken_file_is_a_miss(tmp_path):
    shared = data_version.SharedFolder(str(tmp_path / "cache"), "sqlite:///una.db")
    other_db = data_version.SharedFolder(str(tmp_path / "cache"), "sqlite:///otra.db")
    shared.put(5, "('pagina', 1)", "v5")
    other_db.put(3, "('pagina', 1)", "de otra base")
    assert shared.get(5, "('pagina', 1)") == "v5"
    shared.put(6, "('pagina', 1)", "v6")
    assert shared.get(6, "('pagina', 1)") == "v6"
    assert [p.name for p in shared.root.iterdir()] == ["6"]  # version 5's folder is gone
    assert other_db.get(3, "('pagina', 1)") == "de otra base"  # another database's are its own
    next((shared.root / "6").iterdir()).write_bytes(b"\x80")  # a file cut short
    assert shared.get(6, "('pagina', 1)") is None
    shared.put(6, "('pagina', 2)", lambda: None)  # not picklable: kept by the worker alone
    assert shared.get(6, "('pagina', 2)") is None
    assert [p.name for p in (shared.root / "6").iterdir() if p.name.startswith(".")] == []


def test_new_code_or_templates_start_from_an_empty_shared_folder(tmp_path, monkeypatch):
    """The folder outlives a restart: pages rendered by the code and templates of before a deploy are
    never served after it."""
    template = Path(data_version.__file__).resolve().parent.parent / "templates" / "orders" / "_rows.html"
    before = data_version._code_fingerprint()
    stat = template.stat()
    try:
        os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
        assert data_version._code_fingerprint() != before
    finally:
        os.utime(template, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    old = data_version.SharedFolder(str(tmp_path), "sqlite:///una.db")
    old.put(5, "('pagina', 1)", "de la versión anterior")
    monkeypatch.setattr(data_version, "_code_fingerprint", lambda: "otro despliegue")
    new = data_version.SharedFolder(str(tmp_path), "sqlite:///una.db")
    assert new.get(5, "('pagina', 1)") is None
