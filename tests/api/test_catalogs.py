"""GET /api/catalogos/<nombre> serves every catalog the catalog pages show, with the same rows
(issue 18: the pages and the API each had their own slug → model map, and
/api/catalogos/estatus_pte was a 404 while /catalogos/estatus_pte was a page)."""

import re

from ot_app.api.openapi import DOCUMENT
from ot_app.catalogs.registry import MODELS
from ot_app.extensions import db

PAGE_LINK = re.compile(r'href="/catalogos/([a-z_]+)"')


def page_slugs(app, client) -> list[str]:
    """The simple catalogs the index page links to (links to the one catalog-list view): what a
    person can open, whatever map the code keeps."""
    r = client.get("/catalogos")
    assert r.status_code == 200
    urls = app.url_map.bind("localhost")
    slugs = set()
    for slug in PAGE_LINK.findall(r.get_data(as_text=True)):
        endpoint, _ = urls.match(f"/catalogos/{slug}")
        if endpoint == "catalogs.lista":
            slugs.add(slug)
    return sorted(slugs)


def test_every_catalog_page_is_served_by_the_api_with_its_rows(app, admin_client, api_as):
    slugs = page_slugs(app, admin_client)
    assert "estatus_pte" in slugs and len(slugs) >= 10
    lector = api_as("lector")
    for slug in slugs:
        assert admin_client.get(f"/catalogos/{slug}").status_code == 200, slug
        r = lector.get(f"/api/catalogos/{slug}")
        assert r.status_code == 200, (slug, r.get_json())
        body = r.get_json()
        with app.app_context():
            model = MODELS[slug]
            stored = [
                {"id": row.id, "nombre": row.nombre, "activo": bool(row.activo)}
                for row in db.session.scalars(db.select(model).order_by(model.id))
            ]
        assert body["datos"] == stored, slug
        assert body["detalles"] == f"{len(stored)} registros"


def test_estatus_pte_is_served_with_the_workflow_statuses(api_as):
    body = api_as("lector").get("/api/catalogos/estatus_pte").get_json()
    assert [row["nombre"] for row in body["datos"]] == ["En elaboración", "Enviada", "Aprobada", "Cancelada"]


def test_the_documented_catalog_names_are_the_pages_catalogs(app, admin_client):
    (param,) = DOCUMENT["paths"]["/api/catalogos/{nombre}"]["get"]["parameters"]
    assert param["in"] == "path"
    assert sorted(param["schema"]["enum"]) == page_slugs(app, admin_client)
