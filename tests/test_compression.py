"""gzip on the wire (issue 20, ot_app/compression.py): the same bytes as without it, kept markup's
blocks spliced in, the CSRF token never compressed, streamed and small answers left alone."""

import gzip
import re
import zlib

from ot_app import compression

from . import factories

GZIP = {"Accept-Encoding": "gzip, deflate"}
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def _seed(app, n=30):
    with app.app_context():
        pte, responsable, patio = factories.make_pte(), factories.make_responsable(), factories.make_patio()
        for i in range(n):
            factories.make_ot(
                pte=pte, responsable=responsable, patio=patio, descripcion_trabajo=f"Trabajo {i}"
            )


def _without_token(html: str) -> str:
    return html.replace(TOKEN.search(html).group(1), "T")


def test_a_page_is_gzip_when_asked_and_says_so_in_vary(editor_client, app):
    _seed(app)
    plain = editor_client.get("/")
    assert "Content-Encoding" not in plain.headers  # the client did not ask
    assert "Accept-Encoding" in plain.headers["Vary"] and "HX-Request" in plain.headers["Vary"]
    for _ in range(2):  # computed, then kept
        r = editor_client.get("/", headers=GZIP)
        assert r.status_code == 200 and r.headers["Content-Encoding"] == "gzip"
        assert "Accept-Encoding" in r.headers["Vary"]
        assert int(r.headers["Content-Length"]) == len(r.get_data())
        html = gzip.decompress(r.get_data()).decode()
        assert _without_token(html) == _without_token(plain.get_data(as_text=True))


def test_the_token_goes_out_stored_never_compressed_with_the_page(editor_client, app):
    _seed(app)
    # A search reflects what was typed: it must never share a compression window with the token.
    for path in ("/?q=Trabajo", "/?q=Trabajo"):
        r = editor_client.get(path, headers=GZIP)
        html = gzip.decompress(r.get_data()).decode()
        token = TOKEN.search(html).group(1)
        assert html.count(token) >= 2  # the header htmx sends and the menu's logout form
        assert r.get_data().count(token.encode()) == html.count(token)  # stored as-is, each time


def test_a_kept_fragment_is_spliced_into_the_same_bytes(editor_client, app):
    _seed(app)
    hx = {"HX-Request": "true", **GZIP}
    first = editor_client.get("/?page=1", headers=hx).get_data()
    kept = editor_client.get("/?page=1", headers=hx).get_data()
    assert gzip.decompress(first) == gzip.decompress(kept)
    assert kept.startswith(b"\x1f\x8b")


def test_what_was_not_asked_small_or_streamed_goes_out_as_it_is(editor_client, app):
    _seed(app)
    refused = editor_client.get("/", headers={"Accept-Encoding": "gzip;q=0, identity"})
    assert "Content-Encoding" not in refused.headers and b"<html" in refused.get_data()
    small = editor_client.get("/ot/buscar/ptes-filtro?pte=zz", headers={"HX-Request": "true", **GZIP})
    assert "Content-Encoding" not in small.headers
    export = editor_client.get("/ot/exportar?formato=csv", headers=GZIP)
    assert export.status_code == 200 and "Content-Encoding" not in export.headers
    assert export.get_data().count(b"\n") >= 31
    static = editor_client.get("/static/vendor/htmx-2.0.11.min.js", headers=GZIP)
    static.close()
    assert "Content-Encoding" not in static.headers


def test_a_json_answer_is_compressed_too(api, app):
    _seed(app, 40)
    r = api.get("/api/ot/listar", headers=GZIP)
    assert r.headers["Content-Encoding"] == "gzip"
    assert len(gzip.decompress(r.get_data())) > len(r.get_data())


def test_splicing_keeps_the_bytes_whatever_was_kept():
    inner = ("<tr><td>fila " * 400).encode()
    outer = b"<main>" + inner + b"<p>pie</p>" * 200 + b"</main>"
    body = b"<head>token-123</head>" + outer + b"<footer>fin</footer>"
    gone = (b"<div>ya no" * 300, compression._deflate(b"<div>ya no" * 300))
    cases = [
        [],
        [(inner, compression._deflate(inner))],
        [(inner, compression._deflate(inner)), (outer, compression._deflate(outer))],  # nested
        [gone, (outer, compression._deflate(outer))],  # no longer in the answer
    ]
    for kept in cases:
        gz = compression.gzip_body(body, kept, secrets=(b"token-123",))
        assert gzip.decompress(gz) == body
        assert b"token-123" in gz
        assert zlib.decompress(gz, 16 + zlib.MAX_WBITS) == body
