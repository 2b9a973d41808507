"""The OT text search: folio, oficio, description and client representative, any case, any part;
and, for each word, the names of the OT's project manager, vessel, platform and yard.

SQLite: an FTS5 table with the trigram tokenizer, kept in sync by triggers, so every writer
(services, bulk loads, the demo and bench generators) keeps it right. PostgreSQL: a pg_trgm GIN
index on the same text, which LIKE '%word%' uses; nothing to keep in sync. Both are created by a
migration (and by `create_search_index` where tests build the schema with create_all)."""

from sqlalchemy import and_, column, func, literal_column, or_, select, table

from .models import OTE, Embarcacion, Patio, Plataforma, ResponsableProyecto

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
# Catalog names a word may be typed from (not only picked in a filter): the OT column → its catalog.
NAMED = (
    (OTE.id_responsable_proyecto, ResponsableProyecto),
    (OTE.id_embarcacion, Embarcacion),
    (OTE.id_plataforma, Plataforma),
    (OTE.id_patio, Patio),
)
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
    """Every word of `q` appears somewhere in the OT's searchable text or in one of its NAMED
    catalog names; None when `q` is blank.

    Per word: the text match OR `id_x IN (catalog ids whose name contains it)`. The catalogs are
    small and each id_x is indexed, so both databases answer the OR from indexes (SQLite's OR by
    union, PostgreSQL's BitmapOr) instead of scanning the OTs."""
    words = (q or "").lower().split()
    if not words:
        return None
    # Literal SQL, not bound pieces: PostgreSQL uses the index only for its exact expression.
    haystack = literal_column(f"lower({TEXT.format(p='ote.')})")
    conditions = []
    for word in words:
        if dialect == "sqlite" and len(word) >= MIN_TRIGRAM:
            # Quoted: FTS5 reads it as a literal substring, never as query syntax.
            match = '"' + word.replace('"', '""') + '"'
            text = OTE.id.in_(select(FTS.c.rowid).where(literal_column("ote_fts").op("MATCH")(match)))
        else:
            text = haystack.like(f"%{_escape_like(word)}%", escape="\\")
        names = [
            fk.in_(select(model.id).where(func.lower(model.nombre).contains(word, autoescape=True)))
            for fk, model in NAMED
        ]
        conditions.append(or_(text, *names))
    return and_(*conditions)
