"""Large uploads read in the background (annexes/jobs.py): the upload dialog gets the progress
(rows read, of the sheet's rows) and polls until the report; the job row is its user's only, read
once, swept after an hour, reported interrupted when its worker stops beating; all or nothing and
"a dry run stores nothing" still hold. Real worker threads on the test database (SQLite file or
PostgreSQL), polled through the Flask test client as the page does."""

import io
import re
import time
from datetime import timedelta

import openpyxl
import pytest
from sqlalchemy import func, select

from ot_app.annexes import jobs
from ot_app.annexes.pipeline import analyze
from ot_app.extensions import db
from ot_app.models import OTE, AnexoRenglon, AnexoRevision, AnexoTrabajo, Registro, Usuario, utcnow
from ot_app.transactions import write_transaction
from tests import factories
from tests.conftest import Auth

from .builders import HEADER, xlsx

HX = {"HX-Request": "true"}
POLL_URL = re.compile(r'hx-get="(/ot/\d+/anexos/trabajo/[^"]+)"')
ROWS_READ = re.compile(r'id="anexo-trabajo-filas">([\d,]+)<')


def big_anexo(lines=10_000, bad_row=None, write_only=False) -> bytes:
    """An Anexo C of `lines` priced lines in 10 chapters (about 3 s of reading here, 425 KB);
    `bad_row`: that line has no unit (an error). write_only: no <dimension>, so no known total."""
    wb = openpyxl.Workbook(write_only=write_only)
    ws = wb.create_sheet("ANEXO C") if write_only else wb.active
    if not write_only:
        ws.title = "ANEXO C"
    ws.append(HEADER)
    per_chapter = lines // 10
    n = 0
    for c in range(1, 11):
        ws.append([str(c), f"CAPÍTULO {c}"])
        for i in range(per_chapter):
            n += 1
            ws.append([f"{c}.{i + 1}.", f"Concepto {n}", None if n == bad_row else "M2", 2, 10, 0, 20, 0])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


@pytest.fixture(scope="module")
def large():
    return big_anexo()


@pytest.fixture(autouse=True)
def no_inline_wait(monkeypatch):
    # The POST waits INLINE_WAIT (half a second) for its job and answers the report when it is done
    # by then: a quiet machine reads the 10,000 rows within it (CI did, in both passes). These
    # tests are about the job seen from the dialog, so the POST answers the progress at once; the
    # small-file path (no job) does not wait at all.
    monkeypatch.setattr(jobs, "INLINE_WAIT", 0)


def make_ot(app):
    with app.app_context():
        ot = factories.make_ot()
        db.session.commit()
        return ot.id


def post(client, ot_id, data, confirmar="0", name="grande.xlsx"):
    return client.auth.post(
        f"/ot/{ot_id}/anexos/importar",
        data={"tipo": "anexo_c", "confirmar": confirmar, "archivo": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
        headers=HX,
    )


def follow(client, first, timeout=120, every=0.2):
    """Poll like the dialog does until the answer is no longer the progress fragment; returns
    the last answer and the row counts seen on the way."""
    assert first.status_code == 202, first.get_data(as_text=True)[:500]
    html = first.get_data(as_text=True)
    url = POLL_URL.search(html).group(1)
    seen = [int(ROWS_READ.search(html).group(1).replace(",", ""))]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(every)
        r = client.get(url, headers=HX)
        html = r.get_data(as_text=True)
        if r.status_code != 200 or 'id="anexo-trabajo"' not in html:
            return r, seen, url
        seen.append(int(ROWS_READ.search(html).group(1).replace(",", "")))
    raise AssertionError("the job never finished")


def count(app, model):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_a_large_dry_run_shows_rows_read_then_the_report_once(app, editor_client, large, monkeypatch):
    # The row count is written every REPORT_EVERY seconds and polled here every 20 ms: often enough
    # to see it grow even on a machine that reads the 10,000 rows in a fifth of a second (CI did).
    monkeypatch.setattr(jobs, "REPORT_EVERY", 0.01)
    ot_id = make_ot(app)
    first = post(editor_client, ot_id, large)
    html = first.get_data(as_text=True)
    assert "<html" not in html and "Leyendo renglones…" in html and 'hx-trigger="load delay:500ms"' in html
    assert count(app, AnexoTrabajo) == 1
    final, seen, url = follow(editor_client, first, every=0.02)
    body = final.get_data(as_text=True)
    # The rows read grew while it was read, and the sheet's own row count was the bar's maximum.
    assert max(seen) >= 1000 and seen == sorted(seen), seen
    assert final.status_code == 200 and 'id="anexo-confirmar"' in body and "Sin errores" in body
    assert 'id="reporte-total-mxn"' in body and "200,000.00" in body  # 10,000 × 2 × 10
    assert "10000" in body  # renglones
    # The same report the synchronous path renders (one template); the dry run stored nothing.
    assert count(app, AnexoRevision) == 0 and count(app, AnexoRenglon) == 0
    assert count(app, AnexoTrabajo) == 0  # read once: removed
    assert editor_client.get(url, headers=HX).status_code == 404


def test_the_progress_bar_has_the_sheets_rows_when_the_file_says(app, editor_client, large, monkeypatch):
    # The total comes with the first heartbeat naming the sheet: at the default half second a
    # machine that reads the 10,000 rows in a fifth of one finishes before any (CI's PostgreSQL pass).
    monkeypatch.setattr(jobs, "REPORT_EVERY", 0.01)
    ot_id = make_ot(app)
    first = post(editor_client, ot_id, large)
    html = first.get_data(as_text=True)
    url = POLL_URL.search(html).group(1)
    for _ in range(500):
        if 'max="10011"' in html:
            break
        time.sleep(0.02)
        html = editor_client.get(url, headers=HX).get_data(as_text=True)
    assert '<progress id="anexo-trabajo-barra" max="10011"' in html and "de 10,011" in html
    follow(editor_client, first)  # to the end: the worker is done before the test's database goes


def test_a_file_without_a_dimension_shows_an_indeterminate_bar(app, editor_client):
    ot_id = make_ot(app)
    first = post(editor_client, ot_id, big_anexo(write_only=True))
    assert '<progress id="anexo-trabajo-barra"></progress>' in first.get_data(as_text=True)
    final, _, _ = follow(editor_client, first)
    assert final.status_code == 200


def test_confirming_a_large_file_stores_one_revision_and_refreshes_the_tab(app, editor_client, large):
    ot_id = make_ot(app)
    final, _, _ = follow(editor_client, post(editor_client, ot_id, large, confirmar="1"))
    assert final.status_code == 200 and "revisión 1" in final.get_data(as_text=True)
    assert '"anexos-actualizados": true' in final.headers["HX-Trigger"]
    with app.app_context():
        rev = db.session.scalar(select(AnexoRevision))
        assert rev.renglones == 10_000 and rev.usuario == "u_editor"
    assert count(app, AnexoRenglon) == 10_000 and count(app, AnexoTrabajo) == 0


def test_all_or_nothing_a_large_file_with_an_error_stores_nothing(app, editor_client):
    ot_id = make_ot(app)
    final, _, _ = follow(editor_client, post(editor_client, ot_id, big_anexo(bad_row=9_990), confirmar="1"))
    body = final.get_data(as_text=True)
    assert final.status_code == 422 and "unidad requerida" in body and 'id="anexo-confirmar"' not in body
    assert count(app, AnexoRevision) == 0 and count(app, AnexoRenglon) == 0 and count(app, AnexoTrabajo) == 0


def test_the_ot_deleted_while_its_file_is_read_is_an_error_and_nothing_is_stored(app, editor_client, large):
    ot_id = make_ot(app)
    first = post(editor_client, ot_id, large, confirmar="1")
    with app.app_context(), write_transaction():
        # A write as the app makes one (BEGIN IMMEDIATE on SQLite): it waits for the job's
        # heartbeat to commit instead of failing on its snapshot ("database is locked").
        db.session.get(OTE, ot_id).estatus = Registro.ELIMINADA
    final, _, _ = follow(editor_client, first)
    body = final.get_data(as_text=True)
    assert final.status_code == 409 and 'id="anexo-trabajo-fallo"' in body and "está eliminada" in body
    assert count(app, AnexoRevision) == 0 and count(app, AnexoTrabajo) == 0


def test_another_users_token_is_404_and_the_owner_still_reads_it(app, editor_client, admin_client, large):
    ot_id = make_ot(app)
    with app.app_context():
        factories.make_user("otro_editor", rol="editor")
        db.session.commit()
    other = app.test_client()
    Auth(other).login("otro_editor")
    first = post(editor_client, ot_id, large)
    url = POLL_URL.search(first.get_data(as_text=True)).group(1)
    assert other.get(url, headers=HX).status_code == 404
    assert admin_client.get(url, headers=HX).status_code == 404  # not even an admin's
    assert editor_client.get(url.replace(f"/ot/{ot_id}/", f"/ot/{ot_id + 1}/"), headers=HX).status_code == 404
    assert editor_client.get(f"/ot/{ot_id}/anexos/trabajo/no-existe", headers=HX).status_code == 404
    final, _, _ = follow(editor_client, first)
    assert final.status_code == 200


def _job_row(app, ot_id, username, **values):
    with app.app_context():
        user = db.session.scalar(select(Usuario).where(Usuario.username == username))
        row = AnexoTrabajo(
            token=f"t-{time.monotonic_ns()}",
            id_ot=ot_id,
            tipo="anexo_c",
            id_usuario=user.id,
            archivo="a.xlsx",
            **values,
        )
        db.session.add(row)
        db.session.commit()
        return row.token


def test_a_job_without_a_heartbeat_for_30_s_is_interrupted(app, editor_client):
    ot_id = make_ot(app)
    stale = utcnow() - jobs.STALE_AFTER - timedelta(seconds=1)
    token = _job_row(app, ot_id, "u_editor", estado="leyendo", filas=4000, updated_at=stale)
    fresh = _job_row(app, ot_id, "u_editor", estado="leyendo", filas=3000, updated_at=utcnow())
    r = editor_client.get(f"/ot/{ot_id}/anexos/trabajo/{token}", headers=HX)
    body = r.get_data(as_text=True)
    assert r.status_code == 409 and "se interrumpió" in body and 'data-estado="interrumpido"' in body
    assert editor_client.get(f"/ot/{ot_id}/anexos/trabajo/{token}", headers=HX).status_code == 404
    r = editor_client.get(f"/ot/{ot_id}/anexos/trabajo/{fresh}", headers=HX)
    assert r.status_code == 200 and "3,000" in r.get_data(as_text=True)  # still reading: kept


def test_starting_a_job_sweeps_the_ones_older_than_an_hour(app, editor_client, large):
    ot_id = make_ot(app)
    old = _job_row(
        app, ot_id, "u_editor", estado="listo", created_at=utcnow() - timedelta(hours=1, minutes=1)
    )
    recent = _job_row(app, ot_id, "u_editor", estado="listo", created_at=utcnow() - timedelta(minutes=59))
    follow(editor_client, post(editor_client, ot_id, large))
    with app.app_context():
        assert set(db.session.scalars(select(AnexoTrabajo.token))) == {recent}
    assert old != recent


def test_a_small_file_answers_at_once_without_a_job(app, editor_client):
    ot_id = make_ot(app)
    small = xlsx([["2", "PROTECCIÓN"], ["2.401.", "Limpieza", "M2", 200, 4125.53, None]])
    assert len(small) < jobs.SYNC_BELOW
    r = post(editor_client, ot_id, small)
    assert r.status_code == 200 and 'id="anexo-confirmar"' in r.get_data(as_text=True)
    assert count(app, AnexoTrabajo) == 0


def test_a_lector_cannot_start_a_job(app, lector_client, large):
    ot_id = make_ot(app)
    assert post(lector_client, ot_id, large).status_code == 403
    assert count(app, AnexoTrabajo) == 0


def test_analyze_reports_progress_every_thousand_rows():
    calls = []
    report = analyze(
        "a.xlsx", big_anexo(3_000), "anexo_c", progress=lambda fila, hoja: calls.append((fila, hoja))
    )
    assert report.ok and len(report.lines) == 3_000
    assert calls == [(1000, "ANEXO C"), (2000, "ANEXO C"), (3000, "ANEXO C")]


def test_row_counts_from_the_file():
    assert jobs.row_counts(xlsx([["1.1.", "a", "M2", 1, 1, 0]] * 20)) == {"ANEXO C": 21}
    assert jobs.row_counts(big_anexo(100, write_only=True)) == {}
    assert jobs.row_counts(b"PARTIDA;CONCEPTO\r\n1;a\r\n2;b\r\n") == {None: 3}
    assert jobs.row_counts(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100) == {}
    assert jobs.row_counts(b"PK\x03\x04 not a zip") == {}


def test_past_the_jobs_a_worker_reads_at_once_a_large_file_is_refused_and_nothing_is_stored(
    app, editor_client
):
    data = big_anexo(lines=600)  # over SYNC_BELOW: a job
    assert len(data) >= jobs.SYNC_BELOW
    ot_id = make_ot(app)
    app.config["ANEXO_TRABAJOS_MAX"] = 0
    r = post(editor_client, ot_id, data)
    assert r.status_code == 503 and jobs.BUSY in r.get_data(as_text=True)
    assert count(app, AnexoTrabajo) == 0
    # With room for one, a job runs, and once done its place is free for the next one.
    app.config["ANEXO_TRABAJOS_MAX"] = 1
    for _ in range(2):
        first = post(editor_client, ot_id, data)
        if first.status_code == 202:
            first, _seen, _url = follow(editor_client, first)
        assert first.status_code == 200 and "Sin errores" in first.get_data(as_text=True)


def test_a_job_done_within_the_posts_wait_answers_its_report_at_once(app, editor_client, monkeypatch):
    monkeypatch.setattr(jobs, "INLINE_WAIT", 30)  # far longer than 600 lines take to read
    data = big_anexo(lines=600)
    assert len(data) >= jobs.SYNC_BELOW  # a job, not the synchronous path
    ot_id = make_ot(app)
    r = post(editor_client, ot_id, data)
    body = r.get_data(as_text=True)
    assert r.status_code == 200 and "Sin errores" in body and 'id="anexo-trabajo"' not in body
    assert count(app, AnexoTrabajo) == 0  # read once, by the POST itself
