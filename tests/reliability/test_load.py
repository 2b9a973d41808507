"""Load: gunicorn with 2 workers, 16 API clients creating, editing (with version), changing steps and
deleting OTs for LOAD_SECONDS (default 30). Zero 5xx, zero connection errors, and afterwards every
acknowledged write is in the database, whole (issue 6, "Concurrency and faults").

SQLite runs in the SQLite pass; PostgreSQL (a database created for the test) in the PostgreSQL pass."""

import os

import pytest

from .conftest import report
from .load import check_database, run_load, summary
from .server import prepare_database

pytestmark = pytest.mark.load

SECONDS = float(os.environ.get("LOAD_SECONDS", "30"))
CLIENTS = 16


@pytest.mark.parametrize("fresh_database", ["sqlite", "postgresql"], indirect=True)
def test_16_clients_under_load_get_no_5xx_and_lose_no_acknowledged_write(fresh_database, servers):
    ids = prepare_database(fresh_database.url, tokens=CLIENTS)
    server = servers(fresh_database.url, ids["tokens"][0])

    ledger, _ = run_load(server.base, ids["tokens"], ids, SECONDS, clients=CLIENTS)
    logged = server.errors_in_log()
    problems, figures = check_database(fresh_database.url, ledger)
    report(
        summary(f"carga {fresh_database.kind} ({CLIENTS} clientes, gunicorn 2 workers)", ledger)
        + f"; comprobadas en la base: {figures['ots']} OT con sus {figures['expected_steps']} pasos y su fila 'crear'"
    )

    assert not ledger.server_errors, ledger.server_errors[:5]
    assert not ledger.connection_errors, ledger.connection_errors[:5]
    assert not ledger.unexpected, ledger.unexpected[:5]
    assert not logged, "\n".join(logged[:20]) + "\n" + server.log_tail()
    # The load did something worth checking: every client wrote, some edits met a newer version.
    assert len(ledger.creates) >= CLIENTS * 3
    assert ledger.edits and ledger.deletes and ledger.steps
    assert not problems, "\n".join(problems)
    assert figures["ots"] == len(ledger.creates)
