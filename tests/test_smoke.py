"""The app starts, the login page answers, and the seeded catalogs are there."""

from ot_app.extensions import db
from ot_app.models import TipoDocumento


def test_login_page_renders(client):
    r = client.get("/login")
    assert r.status_code == 200
    assert 'name="username"' in r.get_data(as_text=True)


def test_login_and_home(client, auth, app):
    with app.app_context():
        from tests.factories import make_user

        make_user("admin", rol="admin")
        db.session.commit()
    r = auth.login("admin")
    assert r.status_code == 302
    r = client.get("/")
    assert r.status_code == 200
    assert "Órdenes de trabajo" in r.get_data(as_text=True)


def test_seed_fixed_ids(ctx):
    assert db.session.get(TipoDocumento, 4).nombre == "OT inicial"
