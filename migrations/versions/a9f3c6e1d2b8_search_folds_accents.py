"""The OT text search folds accents (issue 20): the FTS5 text (SQLite) and the pg_trgm expression
index (PostgreSQL) hold the searchable text lower-cased with its accents off, so "rehabilitacion"
finds "Rehabilitación" and the reverse. Rebuilt from the OTs already there.

Revision ID: a9f3c6e1d2b8
Revises: 0874b9d5521d
Create Date: 2026-12-01 22:30:00

"""

from alembic import op

from ot_app.search import RAW_TEXT, TEXT, drop_search_index, pg_expression_ddl, sqlite_ddl

revision = "a9f3c6e1d2b8"
down_revision = "0874b9d5521d"
branch_labels = None
depends_on = None


def _rebuild(sqlite_text: str | None = None, pg_text: str | None = None) -> None:
    bind = op.get_bind()
    drop_search_index(bind)
    if bind.dialect.name == "sqlite":
        statements = sqlite_ddl(sqlite_text) if sqlite_text else sqlite_ddl()
    else:
        statements = pg_expression_ddl(pg_text or TEXT["postgresql"])
    for statement in statements:
        bind.exec_driver_sql(statement)


def upgrade():
    _rebuild()


def downgrade():
    # As revision 7a1c2e9d4b10 made it: the raw text (SQLite), its lower() (PostgreSQL).
    _rebuild(sqlite_text=RAW_TEXT, pg_text=f"lower({RAW_TEXT})")
