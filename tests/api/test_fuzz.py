"""A bounded, reproducible schemathesis run over every /api operation, in-process, as an admin:
no 5xx, every status documented, every answer JSON and inside its schema (../shared/testing.md).

One pytest test per operation (`@schema.parametrize()`: examples, coverage and fuzzing phases,
positive and negative data), each on a fresh database with an approved PTE, a responsable, a yard
and three OTs; then valid bodies with a few fuzzed fields, which reach the service's deeper rules.
The schema is the document the app serves (`test_served_document_is_the_fuzzed_one`); it is read
at import time because the lazy `schemathesis.pytest.from_fixture` of schemathesis 4.32 reads
`node._nodeid`, which pytest 9 no longer has.

The number of cases is printed in the terminal summary (see conftest.py). A deeper run:
    FUZZ_MAX_EXAMPLES=500 FUZZ_DEBUG=1 .venv/bin/pytest tests/api/test_fuzz.py
(FUZZ_DEBUG also prints the answers per operation; prefix scripts/test-postgres.sh for PostgreSQL)."""

import os
import time

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from ot_app.api.openapi import DOCUMENT, EXAMPLE_OT
from ot_app.extensions import db
from ot_app.models import OTE

MAX_EXAMPLES = int(os.environ.get("FUZZ_MAX_EXAMPLES", 15))  # fuzzing phase, per operation
SEED = 20260109
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
HYPOTHESIS = {
    "deadline": None,
    "derandomize": True,
    "database": None,
    # The app and its rows are function-scoped fixtures shared by a test's examples, on purpose.
    "suppress_health_check": list(HealthCheck),
}

CONFIG = schemathesis.Config.from_dict(
    {
        "seed": SEED,
        "generation": {
            "mode": "all",  # positive and negative data
            "max-examples": MAX_EXAMPLES,
            "deterministic": True,
            "database": "none",
            "allow-x00": True,
        },
    }
)
schema = schemathesis.openapi.from_dict(DOCUMENT, config=CONFIG)
STATS = {"cases": 0, "seconds": 0.0, "status": {}, "by_operation": {}}


def summary() -> str | None:
    """One line for the terminal summary: how many cases, how long in the app, which answers."""
    if not STATS["cases"]:
        return None
    if os.environ.get("FUZZ_DEBUG"):
        for (label, code), n in sorted(STATS["by_operation"].items()):
            print(f"  {label}: {code}×{n}")
    status = ", ".join(f"{code}×{n}" for code, n in sorted(STATS["status"].items()))
    operations = len({label.removeprefix("casi válido ") for label, _ in STATS["by_operation"]})
    return (
        f"schemathesis: {STATS['cases']} casos en {operations} operaciones, "
        f"{STATS['seconds']:.1f} s en la app (respuestas: {status})"
    )


def _call(case, label: str, app, headers):
    started = time.perf_counter()
    try:
        response = case.call_and_validate(app=app, headers=headers, checks=CHECKS)
    finally:
        STATS["seconds"] += time.perf_counter() - started
        STATS["cases"] += 1
    STATS["status"][response.status_code] = STATS["status"].get(response.status_code, 0) + 1
    key = (label, response.status_code)
    STATS["by_operation"][key] = STATS["by_operation"].get(key, 0) + 1
    return response


@pytest.fixture
def admin_headers(app, api_token, datos):
    # schemathesis's WSGI transport asks for gzip (requests' default headers) but does not decode
    # it; gzipped JSON is tests/test_compression.py's.
    return {
        "Authorization": f"Bearer {api_token('admin', username='fuzz_admin')}",
        "Accept-Encoding": "identity",
    }


def test_served_document_is_the_fuzzed_one(app, admin_headers):
    served = schemathesis.openapi.from_wsgi("/api/openapi.json", app, headers=admin_headers, config=CONFIG)
    assert served.raw_schema == schema.raw_schema


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, **HYPOTHESIS)
def test_api_conforms_to_its_openapi_document(case, app, admin_headers):
    _call(case, case.operation.label, app, admin_headers)


NEAR_VALID = settings(max_examples=3 * MAX_EXAMPLES, **HYPOTHESIS)


@NEAR_VALID
@given(
    case=schema["/api/ot/crear"]["POST"].as_strategy(),
    base=st.sampled_from(["inicial", "reprogramacion"]),
    data=st.data(),
)
def test_create_with_a_few_fuzzed_fields(case, base, data, app, admin_headers, datos):
    """Random bodies rarely pass validation; a valid body with one to three fuzzed fields reaches
    the service's deeper rules (yard phase, versions, dates, catalogs) and must still conform."""
    body = dict(EXAMPLE_OT, orden_trabajo=f"OT-CASI-{STATS['cases']}")  # a new folio each time
    if base == "reprogramacion":
        with app.app_context():
            folio = db.session.get(OTE, datos.inicial).orden_trabajo
        body.update(id_tipo="5", ot_principal=str(datos.inicial), orden_trabajo=folio)
    fields = data.draw(st.sets(st.sampled_from(sorted(case.body)), min_size=1, max_size=3), label="campos")
    case.body = {**body, **{name: case.body[name] for name in fields}}
    _call(case, "casi válido " + case.operation.label, app, admin_headers)


@NEAR_VALID
@given(
    case=schema["/api/ot/editar"]["POST"].as_strategy(),
    target=st.sampled_from(["inicial", "version", "otra"]),
    data=st.data(),
)
def test_edit_with_a_few_fuzzed_fields(case, target, data, app, admin_headers, datos):
    """Edits of each kind of OT: an initial one with a version, that version, a lone one."""
    fields = sorted(set(case.body) - {"id", "version"})
    chosen = (
        data.draw(st.sets(st.sampled_from(fields), min_size=1, max_size=3), label="campos") if fields else ()
    )
    case.body = {"id": str(getattr(datos, target)), **{name: case.body[name] for name in chosen}}
    _call(case, "casi válido " + case.operation.label, app, admin_headers)
