"""The list's row query starts from the page's ids on both databases (issue 20): the OTs are read
for those rows only, never all of them joined with the catalogs first (on PostgreSQL that order
cost 190 ms at 100,000 OTs). PostgreSQL's own plan is checked: EXPLAIN ANALYZE, PostgreSQL only."""

import json

import pytest
from sqlalchemy import func, select, text

from ot_app.extensions import db
from ot_app.models import OTE
from ot_app.orders import read
from ot_app.search import search_condition

from .. import factories
from ..conftest import PG_URL

PER_PAGE = 5


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL's plan (TEST_DATABASE_URL)")
def test_postgresql_reads_the_ots_of_the_page_only(ctx):
    pte = factories.make_pte()
    for i in range(30):
        factories.make_ot(pte=pte, orden_trabajo=f"OT-PLAN-{i}")
    db.session.commit()
    query = read.ListQuery(vigentes=True, per_page=PER_PAGE, page=2)
    stmt = read.rows_statement(query, read.list_conditions(query))
    sql = str(stmt.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    # Thirty rows fit in a page of the table, where a scan is cheapest: plan as for 100,000 OTs.
    for setting in ("enable_seqscan", "enable_hashjoin", "enable_mergejoin"):
        db.session.execute(text(f"SET LOCAL {setting} = off"))
    plan = db.session.execute(text(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}")).scalar()
    plan = plan if isinstance(plan, list) else json.loads(plan)
    nodes, stack = [], [plan[0]["Plan"]]
    while stack:
        node = stack.pop()
        nodes.append(node)
        stack.extend(node.get("Plans", []))
    # The outer `ote` (the names' side; the ids' subquery scans its own alias with the LIMIT above it).
    outer = [n for n in nodes if n.get("Relation Name") == "ote" and n.get("Alias") == "ote"]
    assert outer, nodes
    read_rows = sum(n["Actual Rows"] * n["Actual Loops"] for n in outer)
    assert read_rows <= PER_PAGE, [(n["Node Type"], n["Actual Rows"], n["Actual Loops"]) for n in outer]
    db.session.rollback()


def test_the_page_is_the_same_rows_in_the_same_order(ctx):
    pte = factories.make_pte()
    made = [factories.make_ot(pte=pte, orden_trabajo=f"OT-ORDEN-{i}").id for i in range(7)]
    db.session.commit()
    page = read.list_orders(read.ListQuery(per_page=3, page=2, orden="-id"))
    assert [o["id"] for o in page.items] == sorted(made, reverse=True)[3:6]
    assert all(o["pte"] == pte.oficio_pte for o in page.items)


@pytest.mark.skipif(not PG_URL, reason="PostgreSQL's plan (TEST_DATABASE_URL)")
def test_postgresql_searches_the_stored_text_through_its_trigram_index(ctx):
    """The count of a search rechecks the stored column: the trigram index is lossy, and recomputing
    translate(lower(...)) for every candidate row was most of a search at 100,000 OTs."""
    for i in range(30):
        factories.make_ot(orden_trabajo=f"OT-TRGM-{i}", descripcion_trabajo="Protección anticorrosiva")
    db.session.commit()
    stmt = select(func.count()).select_from(OTE).where(search_condition("anticorrosiva", "postgresql"))
    sql = str(stmt.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    db.session.execute(text("SET LOCAL enable_seqscan = off"))
    plan = json.dumps(db.session.execute(text(f"EXPLAIN (FORMAT JSON) {sql}")).scalar())
    db.session.rollback()
    assert "ix_ote_busqueda_trgm" in plan
    assert "busqueda ~~" in plan and "translate" not in plan, plan
