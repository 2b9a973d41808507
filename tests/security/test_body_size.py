"""Request bodies over MAX_CONTENT_LENGTH are refused with 413: a Spanish page for a browser, a
fragment for htmx, the envelope under /api/; nothing is written."""

from sqlalchemy import func, select

from ot_app.extensions import db
from ot_app.models import OTE, ActividadLog
from tests.conftest import csrf_token

MESSAGE = "La solicitud es demasiado grande."


def _too_big(app) -> dict:
    return {"descripcion_trabajo": "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)}


def _counts(app):
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(OTE)),
            db.session.scalar(select(func.count()).select_from(ActividadLog)),
        )


def test_the_limit_is_configured(app):
    assert app.config["MAX_CONTENT_LENGTH"] == 2 * 1024 * 1024


def test_oversized_form_from_a_browser_gets_the_413_page(app, editor_client):
    before = _counts(app)
    data = {**_too_big(app), "csrf_token": csrf_token(editor_client)}
    r = editor_client.post("/ot/nueva", data=data)
    assert r.status_code == 413
    body = r.get_data(as_text=True)
    assert "<html" in body and MESSAGE in body
    assert "Request Entity Too Large" not in body
    assert _counts(app) == before


def test_oversized_htmx_post_gets_the_413_fragment(app, editor_client):
    r = editor_client.post(
        "/ot/nueva",
        data=_too_big(app),
        headers={"HX-Request": "true", "X-CSRFToken": csrf_token(editor_client)},
    )
    assert r.status_code == 413
    body = r.get_data(as_text=True)
    assert "<html" not in body and MESSAGE in body


def test_oversized_api_body_gets_the_413_envelope(app, client, api_token):
    before = _counts(app)
    headers = {"Authorization": f"Bearer {api_token()}"}
    for kwargs in ({"data": _too_big(app)}, {"json": _too_big(app)}):
        r = client.post("/api/ot/crear", headers=headers, **kwargs)
        assert r.status_code == 413, kwargs.keys()
        assert r.get_json() == {"exito": False, "tipo_aviso": "error", "detalles": MESSAGE}
    assert _counts(app) == before


def test_oversized_login_post_is_refused_before_anything_else(client):
    r = client.post("/login", data={"username": "x" * (3 * 1024 * 1024), "password": "y"})
    assert r.status_code == 413


def test_a_body_just_under_the_limit_is_not_413(app, editor_client):
    # Form fields are also bounded by Werkzeug's MAX_FORM_MEMORY_SIZE (500 KB), so stay under both.
    data = {"descripcion_trabajo": "x" * 400_000, "csrf_token": csrf_token(editor_client)}
    r = editor_client.post("/ot/nueva", data=data)
    assert r.status_code != 413
