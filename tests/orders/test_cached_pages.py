"""The OT list and the OT page are rendered once per (URL, role, day, data version) in each worker
(views.cached_render, issue 20). A write through any path shows up on the very next request, in
every worker; a role never sees another role's markup; a refusal is never kept."""

import re

from sqlalchemy import update

from ot_app import create_app
from ot_app.extensions import db
from ot_app.models import OTE, OTDetalle

from .. import factories
from ..conftest import Auth

HX = {"HX-Request": "true"}


def _ot(app, folio, descripcion="Antes de la escritura"):
    with app.app_context():
        ot = factories.make_ot(orden_trabajo=folio, descripcion_trabajo=descripcion)
        db.session.commit()
        paso = db.session.scalar(db.select(OTDetalle.id).where(OTDetalle.id_ot == ot.id).limit(1))
        return ot.id, paso


def _other_worker(app, username):
    """Another process's app on the same database: its own engine, its own cache."""
    other = create_app(dict(app.config))
    client = other.test_client()
    Auth(client).login(username)
    return other, client


def test_an_api_write_shows_on_the_next_list_and_ot_page_in_every_worker(app, editor_client, api):
    ot_id, _ = _ot(app, "OT-CACHE-1")
    other, other_client = _other_worker(app, "u_editor")
    pages = ("/", "/?q=OT-CACHE-1", f"/ot/{ot_id}")
    for c in (editor_client, other_client):
        for url in pages:
            for headers in (None, HX):
                for _ in range(2):  # the second answer comes from the cache
                    assert "Antes de la escritura" in c.get(url, headers=headers).get_data(as_text=True)

    r = api.post("/api/ot/editar", data={"id": str(ot_id), "descripcion_trabajo": "Después de la escritura"})
    assert r.status_code == 200, r.get_json()

    for c in (editor_client, other_client):
        for url in pages:
            for headers in (None, HX):
                html = c.get(url, headers=headers).get_data(as_text=True)
                assert "Después de la escritura" in html, url
                # (the OT page's history still says what the description was)
                assert "Antes de la escritura" not in html.split('id="historial"')[0], url
    with other.app_context():
        db.engine.dispose()


def test_a_step_change_and_a_bare_sql_write_show_on_the_next_ot_page(app, editor_client, api):
    ot_id, paso = _ot(app, "OT-CACHE-2")
    url = f"/ot/{ot_id}"
    editor_client.get(url)
    assert f'id="paso-{paso}"' in editor_client.get(url).get_data(as_text=True)
    r = api.post("/api/ot/paso/editar", data={"id": paso, "comentario": "Revisado por el cliente"})
    assert r.status_code == 200, r.get_json()
    assert "Revisado por el cliente" in editor_client.get(url).get_data(as_text=True)
    # A write outside the services (the CLI, a script) goes through a Session too.
    with app.app_context():
        db.session.execute(update(OTE).where(OTE.id == ot_id).values(descripcion_trabajo="Desde un script"))
        db.session.commit()
    assert "Desde un script" in editor_client.get(url).get_data(as_text=True)


def test_each_role_gets_its_own_markup(app, admin_client, editor_client, lector_client):
    ot_id, _ = _ot(app, "OT-CACHE-3")
    for c in (admin_client, editor_client, lector_client):
        c.get("/")
        c.get(f"/ot/{ot_id}")
    lista = {c: c.get("/").get_data(as_text=True) for c in (admin_client, editor_client, lector_client)}
    assert 'id="ot-restaurar"' in lista[admin_client]
    assert 'id="ot-acciones"' in lista[editor_client] and 'id="ot-restaurar"' not in lista[editor_client]
    assert 'id="ot-acciones"' not in lista[lector_client]
    assert 'id="editar-ot"' in editor_client.get(f"/ot/{ot_id}").get_data(as_text=True)
    assert 'id="editar-ot"' not in lector_client.get(f"/ot/{ot_id}").get_data(as_text=True)
    # Each page keeps its own session's token and its user's menu (base.html, never cached).
    tokens = {re.search(r'"X-CSRFToken": "([^"]+)"', html).group(1) for html in lista.values()}
    assert len(tokens) == 3
    for rol, c in zip(("admin", "editor", "lector"), lista, strict=True):
        assert f"U_{rol.title()} <small>({rol})</small>" in lista[c]


def test_a_deleted_ot_page_stays_refused_to_an_editor_once_an_admin_saw_it(app, admin_client, editor_client):
    ot_id, _ = _ot(app, "OT-CACHE-4")
    r = admin_client.auth.post(f"/ot/{ot_id}/eliminar", headers=HX)
    assert r.status_code == 204
    for _ in range(2):
        assert admin_client.get(f"/ot/{ot_id}").status_code == 200
        assert editor_client.get(f"/ot/{ot_id}").status_code == 404
    assert editor_client.get("/ot/999999").status_code == 404


def test_a_cached_edit_form_carries_each_session_its_own_token(app, editor_client):
    ot_id, _ = _ot(app, "OT-CACHE-5")
    with app.app_context():
        factories.make_user("u_editor2", rol="editor")
        db.session.commit()
    second = app.test_client()
    Auth(second).login("u_editor2")
    for c in (editor_client, second):
        for headers in (None, HX):
            html = c.get(f"/ot/{ot_id}/editar", headers=headers).get_data(as_text=True)
            assert "OT-CACHE-5" in html and "csrf-token-slot" not in html
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert token not in editor_client.get(f"/ot/{ot_id}/editar").get_data(as_text=True)
    version = re.search(r'name="version" value="(\d+)"', html).group(1)
    # The form posted as a browser without script would: its own token in the body, no header.
    r = second.post(
        f"/ot/{ot_id}/editar",
        data={"csrf_token": token, "version": version, "comentario_general": "Con el token del formulario"},
    )
    assert r.status_code == 303 and r.headers["Location"].endswith(f"/ot/{ot_id}")
    page = second.get(f"/ot/{ot_id}/editar").get_data(as_text=True)
    assert "Con el token del formulario" in page


def test_a_replaced_version_edit_page_sends_to_its_page_every_time(app, editor_client, api):
    ot_id, _ = _ot(app, "OT-CACHE-6")
    editor_client.get(f"/ot/{ot_id}/editar")  # cached while it is the current version
    r = api.post("/api/ot/reprogramar", data={"id": str(ot_id), "motivo": "Ampliación"})
    assert r.status_code == 200, r.get_json()
    for _ in range(2):
        r = editor_client.get(f"/ot/{ot_id}/editar")
        assert r.status_code == 302 and r.headers["Location"].endswith(f"/ot/{ot_id}")
