"""The plans of the list's statements (count and rows) for the bench's pages, on SQLite or PostgreSQL:
`EXPLAIN ANALYZE` on PostgreSQL, `EXPLAIN QUERY PLAN` on SQLite. Checks how each planner runs them.

    python bench/explain.py --db postgresql+psycopg://postgres@127.0.0.1:55432/postgres [--only list,deep]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from sqlalchemy import and_, func, select, text  # noqa: E402

SEARCH = "anticorrosiva"
PAGES = {
    "list": {},
    "search": {"q": SEARCH},
    "deep": {"id_cliente": 1, "id_estatus_ot": 4, "orden": "-fecha_inicio_programado", "page": 50},
}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default="sqlite:///bench/data/ot_100k.db")
    parser.add_argument("--only", default="list,search,deep")
    parser.add_argument(
        "--before", action="store_true", help="also the rows statement as it was before issue 20"
    )
    opts = parser.parse_args(argv)
    from ot_app import create_app
    from ot_app.extensions import db
    from ot_app.orders import read

    app = create_app({"SQLALCHEMY_DATABASE_URI": opts.db, "SECRET_KEY": "explain"})
    with app.app_context():
        dialect = db.engine.dialect
        for name in opts.only.split(","):
            query = read.ListQuery(vigentes=True, **PAGES[name])
            conditions = read.list_conditions(query)
            count = select(func.count()).select_from(read.OTE).where(and_(*conditions))
            statements = [("rows", read.rows_statement(query, conditions)), ("count", count)]
            if opts.before:
                statements.append(
                    ("rows, the page's ids joined last (before issue 20)", _before(read, query, conditions))
                )
            for label, stmt in statements:
                sql = str(stmt.compile(dialect=dialect, compile_kwargs={"literal_binds": True}))
                prefix = (
                    "EXPLAIN (ANALYZE, BUFFERS)" if dialect.name == "postgresql" else "EXPLAIN QUERY PLAN"
                )
                print(f"== {name} / {label} ({dialect.name})")
                for row in db.session.execute(text(f"{prefix} {sql}")):
                    print("  ", *(row[3:] if dialect.name == "sqlite" else row))
    return 0


def _before(read, query, conditions):
    """The rows statement of issue 7: the catalogs joined to every OT, the page's ids joined last."""
    order = read.list_order(query)
    page_ids = (
        select(read.OTE.id)
        .where(and_(*conditions))
        .order_by(*order)
        .limit(query.per_page)
        .offset((query.page - 1) * query.per_page)
        .subquery()
    )
    return read.list_select().join(page_ids, page_ids.c.id == read.OTE.id).order_by(*order)


if __name__ == "__main__":
    raise SystemExit(main())
