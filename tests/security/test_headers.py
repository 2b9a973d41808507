"""Security headers on a page, a fragment, an API answer, a 404 and a 500; no inline script, handler
or style anywhere in the templates; no HTTPS redirect unless FORCE_HTTPS."""

import re
from pathlib import Path

import pytest

from ot_app import create_app
from ot_app.config import ROOT, TestConfig
from ot_app.extensions import db
from tests.conftest import _config_dict

CSP_DIRECTIVES = {
    "default-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'none'",
}


def _csp(response) -> dict[str, str]:
    header = response.headers.get("Content-Security-Policy", "")
    out = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        if name:
            out[name] = value.strip()
    return out


def _check_headers(response, where: str, no_store: bool = True):
    csp = _csp(response)
    for name, value in CSP_DIRECTIVES.items():
        assert csp.get(name) == value, f"{where}: CSP {name} is {csp.get(name)!r}"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"], where
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"], where
    assert response.headers.get("X-Content-Type-Options") == "nosniff", where
    assert response.headers.get("Referrer-Policy") == "same-origin", where
    assert response.headers.get("X-Frame-Options") == "DENY", where
    assert "Strict-Transport-Security" not in response.headers, where  # no HTTPS by default
    if no_store:
        assert response.headers.get("Cache-Control") == "no-store", (
            f"{where}: {response.headers.get('Cache-Control')}"
        )


@pytest.fixture
def failing(app):
    @app.route("/_prueba/falla")
    def falla():
        raise RuntimeError("detalle interno")

    @app.route("/api/_prueba/falla")
    def falla_api():
        raise RuntimeError("detalle interno")


def test_headers_on_page_fragment_api_404_and_500(app, failing, lector_client):
    cases = {
        "page": lector_client.get("/"),
        "fragment": lector_client.get("/", headers={"HX-Request": "true"}),
        "api": lector_client.get("/api/ot/listar"),
        "404 page": lector_client.get("/no-existe"),
        "404 fragment": lector_client.get("/no-existe", headers={"HX-Request": "true"}),
        "404 api": lector_client.get("/api/no-existe"),
        "403 page": lector_client.get("/ot/nueva"),
        "500 page": lector_client.get("/_prueba/falla"),
        "500 api": lector_client.get("/api/_prueba/falla"),
    }
    expected = {"page": 200, "fragment": 200, "api": 200, "403 page": 403}
    for where, r in cases.items():
        assert r.status_code == expected.get(where, int(where[:3]) if where[0].isdigit() else 200), where
        _check_headers(r, where)
    assert "<html" not in cases["fragment"].get_data(as_text=True)
    assert cases["api"].mimetype == "application/json"


def test_headers_on_the_login_page_and_an_anonymous_redirect(client):
    _check_headers(client.get("/login"), "login")
    _check_headers(client.get("/"), "redirect to login")
    _check_headers(client.get("/api/ot/listar"), "401 api")


def test_static_files_are_cacheable_but_still_nosniff(client):
    r = client.get("/static/js/app.js")
    assert r.status_code == 200
    assert r.headers.get("Cache-Control") != "no-store"
    assert r.headers.get("X-Content-Type-Options") == "nosniff"
    r.close()


def test_no_https_redirect_by_default(client):
    r = client.get("/login", base_url="http://ot.intranet")
    assert r.status_code == 200


def _app(tmp_path, **config):
    app = create_app(
        {**_config_dict(TestConfig), "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'h.db'}", **config}
    )
    with app.app_context():
        db.create_all()
    return app


def test_force_https_redirects_and_sends_hsts(tmp_path):
    app = _app(tmp_path, FORCE_HTTPS=True)
    c = app.test_client()
    r = c.get("/login", base_url="http://ot.intranet")
    assert r.status_code in (301, 302)
    assert r.headers["Location"].startswith("https://ot.intranet/login")
    r = c.get("/login", base_url="https://ot.intranet")
    assert r.status_code == 200
    assert r.headers["Strict-Transport-Security"].startswith("max-age=")


# --- no inline script, handler or style in any template ----------------------------------------

TEMPLATES = sorted((ROOT / "templates").rglob("*.html"))
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
HANDLER_ATTR = re.compile(r"""\s(on[a-z]+)\s*=\s*["'{]""", re.I)
HX_ON = re.compile(r"\shx-on[:\-]", re.I)
STYLE_ATTR = re.compile(r"""\sstyle\s*=""", re.I)
STYLE_TAG = re.compile(r"<style\b", re.I)
JS_URL = re.compile(r"""(href|src|action)\s*=\s*["']\s*javascript:""", re.I)


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT / "templates")))
def test_template_has_no_inline_script_handler_or_style(path: Path):
    text = path.read_text(encoding="utf-8")
    problems = []
    for name, pattern in (
        ("inline <script>", INLINE_SCRIPT),
        ("on*= handler attribute", HANDLER_ATTR),
        ("hx-on attribute", HX_ON),
        ("style= attribute", STYLE_ATTR),
        ("<style> element", STYLE_TAG),
        ("javascript: URL", JS_URL),
    ):
        for m in pattern.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            problems.append(f"{path.relative_to(ROOT)}:{line}: {name}: {m.group(0).strip()!r}")
    assert not problems, "CSP forbids these (default-src 'self', no 'unsafe-inline'):\n" + "\n".join(problems)


def test_templates_were_found():
    assert len(TEMPLATES) > 10


def test_htmx_is_configured_for_the_csp(client):
    page = client.get("/login").get_data(as_text=True)
    config = re.search(r'<meta name="htmx-config" content=\'([^\']+)\'', page)
    assert config, "htmx-config meta missing"
    import json

    cfg = json.loads(config.group(1))
    assert cfg["includeIndicatorStyles"] is False  # htmx would inject an inline <style>
    assert cfg["allowEval"] is False  # hx-on, hx-vals "js:", event filters would need eval
    assert cfg.get("allowScriptTags") is False  # swapped-in <script> is never run


def test_our_javascript_uses_no_eval():
    for path in (ROOT / "static" / "js").glob("*.js"):
        text = path.read_text(encoding="utf-8")
        for pattern in (
            r"\beval\s*\(",
            r"new\s+Function\s*\(",
            r"setTimeout\s*\(\s*['\"]",
            r"setInterval\s*\(\s*['\"]",
        ):
            assert not re.search(pattern, text), f"{path.name}: {pattern}"
