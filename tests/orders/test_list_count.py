"""The list's results are rendered once per (URL, role, data version) in a worker, and its exact
total once per (filters, data version) (issue 20): a search repeated before any write sends no
statement about the OTs; in another order it sends its text condition (SQLite's FTS5 MATCH,
PostgreSQL's trigram LIKE) once, in the rows statement, and no count; the next write makes the next
request read and count again."""

from ot_app.extensions import db

from .. import factories

URL = "/?q=recipientes"


def _searches(statements, dialect):
    marker = "MATCH" if dialect == "sqlite" else "LIKE"
    return [s for s in statements if marker in s and "ote" in s]


def _counts(statements):
    """The list's total (its amounts ride on it); not the page's grouped version counts."""
    return [s for s in statements if s.lstrip().startswith("SELECT count(*)") and "FROM ote" in s]


def test_a_repeated_search_sends_its_text_condition_once_and_no_count(app, editor_client, api, queries):
    with app.app_context():
        for i in range(3):
            factories.make_ot(orden_trabajo=f"OT-CNT-{i}", descripcion_trabajo=f"Prueba de recipientes {i}")
        db.session.commit()
        dialect = db.engine.dialect.name
    with queries() as first:
        assert "<strong>3</strong> OT" in editor_client.get(URL).get_data(as_text=True)
    # The first request: the count and the rows, each with the condition once.
    assert len(_counts(first.statements)) == 1
    assert len(_searches(first.statements, dialect)) == 2
    with queries() as again:
        assert "<strong>3</strong> OT" in editor_client.get(URL).get_data(as_text=True)
    assert [s for s in again.statements if "FROM ote" in s] == []
    with queries() as sorted_:
        assert "<strong>3</strong> OT" in editor_client.get(URL + "&orden=folio").get_data(as_text=True)
    assert _counts(sorted_.statements) == []
    assert len(_searches(sorted_.statements, dialect)) == 1

    # A write through another client (the API) shows up on the very next request, counted again.
    with app.app_context():
        ot = factories.make_ot(orden_trabajo="OT-CNT-9")
        db.session.commit()
        ot_id = ot.id
    r = api.post("/api/ot/editar", data={"id": str(ot_id), "descripcion_trabajo": "Más recipientes"})
    assert r.status_code == 200, r.get_json()
    with queries() as after:
        assert "<strong>4</strong> OT" in editor_client.get(URL).get_data(as_text=True)
    assert len(_counts(after.statements)) == 1


def test_the_default_views_count_and_totals_are_read_from_an_index_alone(app, editor_client, queries):
    """The first list after a write counts and totals every current version: on SQLite from the
    covering index ix_ote_vigente_estatus_id (its amounts), without reading the table's rows."""
    with app.app_context():
        factories.make_ot(orden_trabajo="OT-CNT-IDX")
        db.session.commit()
        if db.engine.dialect.name != "sqlite":
            return  # PostgreSQL's plan: tests/orders/test_list_plan.py
    with queries() as q:
        assert editor_client.get("/").status_code == 200
    (count,) = _counts(q.statements)
    with app.app_context():
        sql = count.replace("?", "1")
        plan = " ".join(str(r[-1]) for r in db.session.execute(db.text("EXPLAIN QUERY PLAN " + sql)))
    assert "COVERING INDEX ix_ote_vigente_estatus_id" in plan, plan
