"""Finding 3 of issue 16: huge or odd ids in page URLs and query strings never answer 5xx.

Every rule of app.url_map with an `<int:…>` part is walked with 0, 2^31, 2^63 and 10^25 in each id
(the other parts filled as the role walk does), GET and every other method it answers, as an admin
with a CSRF token: an id beyond the database's integer range is a 404 like an id that does not
exist, and nothing is a 500 (SQLite raised OverflowError above 2^63 − 1)."""

import re

import pytest

from ot_app.fields import ID_MAX
from tests.conftest import csrf_token

from .conftest import logged_in
from .test_role_walk import _url_values, dataset  # noqa: F401  (the walk's dataset fixture)

ODD_IDS = ("0", str(2**31), str(2**63), str(10**25))
# Digits of other scripts: `\d` in a route's regex matched them, and "²".isdigit() is True.
ODD_TEXT = ("²", "١٢", "１２", "-1", "1.0", "0x10", " 1", "1e3")


def _int_rules(app):
    return [r for r in app.url_map.iter_rules() if any(c == "int" for c in _converters(r).values())]


PART = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")


def _converters(rule) -> dict[str, str]:
    """{argument: converter name} read off the rule's text ("default" for a bare <name>)."""
    return {name: converter or "default" for converter, name in PART.findall(rule.rule)}


def _path(rule, int_value: str, d: dict) -> str:
    """The rule's path with `int_value` as every int part, verbatim (rule.build would refuse it)."""
    values = _url_values(d)

    def fill(match):
        converter, name = match.groups()
        return int_value if converter == "int" else str(values[name])

    return PART.sub(fill, rule.rule)


def test_every_int_rule_answers_4xx_to_huge_ids(app, dataset):  # noqa: F811
    rules = _int_rules(app)
    assert len(rules) >= 14, [r.rule for r in rules]
    admin = logged_in(app, "admin_ids", rol="admin")
    token = csrf_token(admin)
    problems = []
    for rule in rules:
        for value in ODD_IDS:
            path = _path(rule, value, dataset)
            for method in sorted(rule.methods - {"OPTIONS"}):
                r = admin.open(path, method=method, headers={"X-CSRFToken": token})
                if r.status_code >= 500 or (method in ("GET", "HEAD") and r.status_code != 404):
                    problems.append(f"{method} {path}: {r.status_code}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("text", ODD_TEXT)
def test_odd_digits_in_a_url_id_are_a_404(app, dataset, text):  # noqa: F811
    admin = logged_in(app, "admin_ids", rol="admin")
    for rule in _int_rules(app):
        if "GET" in rule.methods:
            r = admin.get(_path(rule, text, dataset))
            assert r.status_code == 404, f"{rule.rule} with {text!r}: {r.status_code}"


def test_the_largest_id_still_routes(app, dataset):  # noqa: F811
    """The bound is the database's integer range, not less: ID_MAX routes (and is not found)."""
    admin = logged_in(app, "admin_ids", rol="admin")
    r = admin.get(f"/ot/{ID_MAX}")
    assert r.status_code == 404
    assert admin.get(f"/ot/{dataset['ot']}").status_code == 200


@pytest.mark.parametrize("text", ("²", "١", str(2**63), "-3", "1e3"))
def test_the_folio_check_reads_its_id_with_the_one_id_parser(app, text):
    client = logged_in(app, "lector_ids", rol="lector")
    r = client.get("/ot/form/folio", query_string={"orden_trabajo": "OT-1", "id_tipo": "4", "id": text})
    assert r.status_code < 500
