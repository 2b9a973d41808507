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
