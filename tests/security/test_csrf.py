"""CSRF on every state change: no method that skips the CSRF check (GET, HEAD, OPTIONS) can write,
whatever the view does with the method."""

import pytest
from sqlalchemy import func, select

from ot_app.extensions import db
from ot_app.models import OTE, ActividadLog, PTEHeader
from tests import factories


def _state(app):
    with app.app_context():
        return (
            db.session.scalar(select(func.count()).select_from(ActividadLog)),
            db.session.scalar(select(func.sum(OTE.version))),
            db.session.scalar(select(func.sum(PTEHeader.version))),
        )


@pytest.fixture
def ot(app):
    with app.app_context():
        ot = factories.make_ot()
        db.session.commit()
        return ot.id, ot.version, ot.id_pte_header


def _form_urls(app, ot_id, pte_id) -> list[str]:
    """Every URL that answers both GET and POST (a form page that also saves; its GET and POST are
    separate views, so the methods are gathered per URL over the rules)."""
    methods: dict[str, set] = {}
    for rule in app.url_map.iter_rules():
        values = {"ot_id": ot_id, "pte_id": pte_id}
        if set(rule.arguments) - set(values):
            continue
        methods.setdefault(rule.build(values, append_unknown=False)[1], set()).update(rule.methods)
    # Pages only: an API URL that reads and writes (a step's file) needs its id in the query.
    return sorted(
        url
        for url, answered in methods.items()
        if {"GET", "POST"} <= answered and not url.startswith("/api/")
    )


@pytest.mark.parametrize("method", ["HEAD", "GET", "OPTIONS"])
def test_safe_methods_with_a_form_body_write_nothing(app, admin_client, ot, method):
    ot_id, version, pte_id = ot
    urls = _form_urls(app, ot_id, pte_id)
    assert any("/editar" in u for u in urls) and any("/nueva" in u for u in urls)
    body = {
        "version": str(version),
        "descripcion_trabajo": "cambiada sin token CSRF",
        "descripcion": "cambiada sin token CSRF",
        "oficio_pte": "PTE-SIN-CSRF",
        "orden_trabajo": "OT-SIN-CSRF",
        "username": "intruso",
        "password": "una-clave-bastante-larga",
        "rol": "admin",
    }
    before = _state(app)
    for url in urls + ["/usuarios"]:
        r = admin_client.open(url, method=method, data=body)
        assert r.status_code in (200, 302), f"{method} {url}: {r.status_code}"
        if method == "HEAD":
            assert r.get_data() == b""
    assert _state(app) == before


def test_head_answers_like_get(admin_client, ot):
    ot_id, _, _ = ot
    get = admin_client.get(f"/ot/{ot_id}/editar")
    head = admin_client.head(f"/ot/{ot_id}/editar")
    assert head.status_code == get.status_code == 200
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    assert head.get_data() == b""


def test_post_without_token_on_every_form_url_is_refused(app, admin_client, ot):
    ot_id, _, pte_id = ot
    before = _state(app)
    for url in _form_urls(app, ot_id, pte_id):
        assert admin_client.post(url, data={"descripcion": "x"}).status_code == 400, url
    assert _state(app) == before
