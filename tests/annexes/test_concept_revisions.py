"""The concept catalog's revisions: each confirmed import is revision n + 1 (who, when, the file and
what it did), its file downloads again byte for byte, a dry run stores none; the export and the
units catalog in the API; who may read them."""

import io

from openpyxl import load_workbook

from .concept_builders import C2, ORDINARY, contract
from .test_concepts import post
from .test_concepts_pages import HX, upload

REVISIONES = "/api/catalogos/conceptos/revisiones"
ARCHIVO = "/api/catalogos/conceptos/archivo"


def test_each_confirm_is_a_revision_and_a_dry_run_is_none(app, api, api_lector):
    first, second = contract(), contract({"C-2-CR": (ORDINARY, C2)})
    assert post(api, first).status_code == 200  # a dry run
    assert api_lector.get(REVISIONES).get_json()["datos"] == []
    r1 = post(api, first, "1", name="contrato v1.xlsx").get_json()
    r2 = post(api, second, "1", name="contrato v2.xlsx").get_json()
    assert (r1["datos"]["revision"], r2["datos"]["revision"]) == (1, 2)
    revs = api_lector.get(REVISIONES).get_json()["datos"]
    assert [r["n"] for r in revs] == [2, 1]  # the newest first
    assert revs[1]["archivo"] == "contrato v1.xlsx" and revs[1]["tamano"] == len(first)
    assert revs[1]["nuevos"] == 6 and revs[1]["usuario"]
    # The second file brings only C-2: nothing new, nothing changed, nothing retired elsewhere.
    assert (revs[0]["nuevos"], revs[0]["cambiados"], revs[0]["desactivados"]) == (0, 0, 0)
    assert revs[0]["fecha"].endswith("Z") and len(revs[0]["sha256"]) == 64


def test_a_revisions_file_downloads_as_it_was_received(app, api, api_lector):
    first, second = contract(), contract({"C-2-CR": (ORDINARY, C2)})
    post(api, first, "1")
    post(api, second, "1")
    for query, expected in (("?revision=1", first), ("?revision=2", second), ("", second)):
        r = api_lector.get(ARCHIVO + query)
        assert r.status_code == 200 and r.data == expected, query
        assert r.headers["Content-Type"] == "application/octet-stream"
        assert r.headers["Content-Disposition"].startswith("attachment")
        r.close()
    missing = api_lector.get(ARCHIVO + "?revision=9")
    assert missing.status_code == 404 and "no tiene esa revisión" in missing.get_json()["detalles"]
    assert api_lector.get(ARCHIVO + "?revision=x").status_code == 400


def test_with_no_import_there_is_no_file(app, api_lector):
    r = api_lector.get(ARCHIVO)
    assert r.status_code == 404 and r.get_json()["detalles"] == "El catálogo de conceptos no se ha importado."


def test_the_page_lists_the_revisions_and_refreshes_them_after_a_confirm(app, editor_client, lector_client):
    assert "El catálogo no se ha importado todavía." in lector_client.get("/catalogos/conceptos").get_data(
        as_text=True
    )
    data = contract()
    assert "conceptos-actualizados" in upload(editor_client, data, "1").headers["HX-Trigger"]
    panel = editor_client.get("/catalogos/conceptos/revisiones", headers=HX).get_data(as_text=True)
    assert 'id="concepto-revision-1"' in panel and "<html" not in panel and " open" in panel
    page = lector_client.get("/catalogos/conceptos").get_data(as_text=True)
    assert 'href="/catalogos/conceptos/archivo?revision=1"' in page and "contrato.xlsx" in page
    r = lector_client.get("/catalogos/conceptos/archivo?revision=1")
    assert r.status_code == 200 and r.data == data
    r.close()
    assert lector_client.get("/catalogos/conceptos/archivo?revision=abc").status_code == 400


def test_the_export_in_the_api_follows_the_filters(app, api, api_lector):
    post(api, contract(), "1")
    r = api_lector.get("/api/catalogos/conceptos/exportar?tipo=pue")
    assert r.status_code == 200 and r.mimetype.endswith("spreadsheetml.sheet")
    ws = load_workbook(io.BytesIO(r.data), read_only=True).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][0] == "Sub-anexo" and len(rows) == 1 + 2  # the header and the two PUE concepts
    assert all(row[6] == "pue" for row in rows[1:])
    csv = api_lector.get("/api/catalogos/conceptos/exportar?formato=csv&q=tubero")
    assert csv.data.startswith(b"\xef\xbb\xbf") and csv.data.decode("utf-8-sig").count("\n") == 2
    bad = api_lector.get("/api/catalogos/conceptos/exportar?formato=pdf")
    assert (
        bad.status_code == 400 and bad.get_json()["detalles"] == "El parámetro formato debe ser xlsx o csv."
    )


def test_the_units_catalog_in_the_api(app, api_lector):
    datos = api_lector.get("/api/catalogos/unidades").get_json()["datos"]
    dia = next(u for u in datos if u["clave"] == "DIA")
    assert "DIAS" in dia["alias"] and dia["activo"] is True  # spellings kept normalised


def test_anonymous_clients_get_nothing(client):
    for url in (REVISIONES, ARCHIVO, "/api/catalogos/unidades", "/api/catalogos/conceptos/exportar"):
        assert client.get(url).status_code == 401, url
