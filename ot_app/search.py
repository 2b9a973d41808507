"""The OT text search: folio, oficio, description and client representative, any case, any part.

SQLite: an FTS5 table with the trigram tokenizer, kept in sync by triggers, so every writer
(services, bulk loads, the demo and bench generators) keeps it right. PostgreSQL: a pg_trgm GIN
index on the same text, which LIKE '%word%' uses; nothing to keep in sync. Both are created by a
migration (and by `create_search_index` where tests build the schema with create_all)."""

from sqlalchemy import and_, column, literal_column, select, table

from .models import OTE

# The searchable text of one OT; {p} is the row prefix ("new." in a trigger, "ote." in a query).
TEXT = (
    "{p}orden_trabajo || ' ' || coalesce({p}oficio_ot, '') || ' ' || {p}descripcion_trabajo"
    " || ' ' || {p}responsable_cliente"
)

SQLITE_DDL = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS ote_fts USING fts5(texto, tokenize='trigram')",
    "CREATE TRIGGER IF NOT EXISTS ote_fts_ai AFTER INSERT ON ote BEGIN "
    f"INSERT INTO ote_fts(rowid, texto) VALUES (new.id, {TEXT.format(p='new.')}); END",
    "CREATE TRIGGER IF NOT EXISTS ote_fts_au AFTER UPDATE OF orden_trabajo, oficio_ot, descripcion_trabajo, "
    f"responsable_cliente ON ote BEGIN UPDATE ote_fts SET texto = {TEXT.format(p='new.')} "
    "WHERE rowid = new.id; END",
    "CREATE TRIGGER IF NOT EXISTS ote_fts_ad AFTER DELETE ON ote BEGIN DELETE FROM ote_fts WHERE rowid = old.id; END",
    f"INSERT INTO ote_fts(rowid, texto) SELECT id, {TEXT.format(p='')} FROM ote",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS ote_fts_ai",
    "DROP TRIGGER IF EXISTS ote_fts_au",
    "DROP TRIGGER IF EXISTS ote_fts_ad",
    "DROP TABLE IF EXISTS ote_fts",
]
PG_DDL = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    f"CREATE INDEX IF NOT EXISTS ix_ote_busqueda_trgm ON ote USING gin ((lower({TEXT.format(p='')})) gin_trgm_ops)",
]
PG_DROP = ["DROP INDEX IF EXISTS ix_ote_busqueda_trgm"]

FTS = table("ote_fts", column("rowid"))
MIN_TRIGRAM = 3  # a shorter word cannot use a trigram index: it is matched by a scan


def create_search_index(connection) -> None:
    for statement in SQLITE_DDL if connection.dialect.name == "sqlite" else PG_DDL:
        connection.exec_driver_sql(statement)


def drop_search_index(connection) -> None:
    for statement in SQLITE_DROP if connection.dialect.name == "sqlite" else PG_DROP:
        connection.exec_driver_sql(statement)


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_condition(q: str, dialect: str):
    """Every word of `q` appears somewhere in the OT's searchable text; None when `q` is blank."""
    words = (q or "").lower().split()
    if not words:
        return None
    conditions = []
    if dialect == "sqlite":
        long_words = [w for w in words if len(w) >= MIN_TRIGRAM]
        if long_words:
            # Each word quoted: FTS5 reads it as a literal substring, never as query syntax.
            match = " AND ".join('"' + w.replace('"', '""') + '"' for w in long_words)
            conditions.append(
                OTE.id.in_(select(FTS.c.rowid).where(literal_column("ote_fts").op("MATCH")(match)))
            )
        words = [w for w in words if len(w) < MIN_TRIGRAM]
    # Literal SQL, not bound pieces: PostgreSQL uses the index only for its exact expression.
    haystack = literal_column(f"lower({TEXT.format(p='ote.')})")
    conditions += [haystack.like(f"%{_escape_like(w)}%", escape="\\") for w in words]
    return and_(*conditions)
