"""The OT text search: folio, oficio, description and client representative, any case, any part,
accents or not ("rehabilitacion" finds "Rehabilitación" and the reverse: both sides are folded, FOLD);
and, for each word, the names of the OT's project manager, vessel, platform and yard.

SQLite: an FTS5 table with the trigram tokenizer, kept in sync by triggers, so every writer
(services, bulk loads, the demo and bench generators) keeps it right. PostgreSQL: the same text as a
stored generated column (`ote.busqueda`, computed by PostgreSQL on every write) with a pg_trgm GIN
index, which LIKE '%word%' uses; nothing to keep in sync. Both are created by a migration (and by
`create_search_index` where tests build the schema with create_all)."""

from sqlalchemy import and_, column, func, literal, literal_column, select, table, union_all

from .extensions import db
from .models import OTE, Embarcacion, Patio, Plataforma, ResponsableProyecto

# The searchable text of one OT; {p} is the row prefix ("new." in a trigger, "ote." in a query).
RAW_TEXT = (
    "{p}orden_trabajo || ' ' || coalesce({p}oficio_ot, '') || ' ' || {p}descripcion_trabajo"
    " || ' ' || {p}responsable_cliente"
)
# Accented letters and the plain ones they search as. Folded in SQL where the text is indexed (an FTS
# trigger, an expression index: every writer keeps it right, services, imports, the CLI, bulk loads)
# and in Python for the typed words, with the same table. Upper case too: SQLite's lower() only
# folds ASCII (its FTS5 trigram folds the rest of the case). Spanish letters only: every Latin accent
# (44 nested replace()) overflows SQLite's parser stack in a trigger; these 14 fit.
FOLD_FROM = "áéíóúüñÁÉÍÓÚÜÑ"
FOLD_TO = "aeiouunAEIOUUN"
FOLD = str.maketrans(FOLD_FROM, FOLD_TO)


def _folded_sql(expression: str, dialect: str) -> str:
    if dialect == "postgresql":  # translate() is immutable: an expression index can hold it
        return f"translate(lower({expression}), '{FOLD_FROM}', '{FOLD_TO}')"
    for accented, plain in zip(FOLD_FROM, FOLD_TO, strict=True):
        expression = f"replace({expression}, '{accented}', '{plain}')"
    return expression


def fold(word: str) -> str:
    """A typed word as the index holds text: lower case, accents off."""
    return word.lower().translate(FOLD)


TEXT = {d: _folded_sql(RAW_TEXT, d) for d in ("sqlite", "postgresql")}
PG_COLUMN = "busqueda"  # PostgreSQL's stored TEXT; not in the models (SQLite has no such column)


def sqlite_ddl(text: str = TEXT["sqlite"]) -> list[str]:
    """The FTS5 table over `text` (folded), its triggers, and its rows for the OTs already there."""
    return [
        "CREATE VIRTUAL TABLE IF NOT EXISTS ote_fts USING fts5(texto, tokenize='trigram')",
        "CREATE TRIGGER IF NOT EXISTS ote_fts_ai AFTER INSERT ON ote BEGIN "
        f"INSERT INTO ote_fts(rowid, texto) VALUES (new.id, {text.format(p='new.')}); END",
        "CREATE TRIGGER IF NOT EXISTS ote_fts_au AFTER UPDATE OF orden_trabajo, oficio_ot, descripcion_trabajo, "
        f"responsable_cliente ON ote BEGIN UPDATE ote_fts SET texto = {text.format(p='new.')} "
        "WHERE rowid = new.id; END",
        "CREATE TRIGGER IF NOT EXISTS ote_fts_ad AFTER DELETE ON ote BEGIN DELETE FROM ote_fts WHERE rowid = old.id; END",
        f"INSERT INTO ote_fts(rowid, texto) SELECT id, {text.format(p='')} FROM ote",
    ]


def pg_expression_ddl(text: str) -> list[str]:
    """The index before the stored column: over the expression itself (migrations 7a1c2e9d4b10 and
    a9f3c6e1d2b8 build it, so they keep building what they built)."""
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"CREATE INDEX IF NOT EXISTS ix_ote_busqueda_trgm ON ote USING gin (({text.format(p='')}) gin_trgm_ops)",
    ]


def pg_ddl(text: str = TEXT["postgresql"]) -> list[str]:
    """The folded text stored (PostgreSQL computes it on every insert and update, whoever writes) and
    its trigram index. Stored, not only indexed: a GIN index is lossy, so PostgreSQL rechecks every
    candidate row, and recomputing translate(lower(...)) there was most of a search's count (issue
    20, 100,000 OTs: 59 -> 8 ms for "anticorrosiva")."""
    return [
        "CREATE EXTENSION IF NOT EXISTS pg_trgm",
        f"ALTER TABLE ote ADD COLUMN IF NOT EXISTS {PG_COLUMN} text GENERATED ALWAYS AS ({text.format(p='')}) STORED",
        f"CREATE INDEX IF NOT EXISTS ix_ote_busqueda_trgm ON ote USING gin ({PG_COLUMN} gin_trgm_ops)",
    ]


SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS ote_fts_ai",
    "DROP TRIGGER IF EXISTS ote_fts_au",
    "DROP TRIGGER IF EXISTS ote_fts_ad",
    "DROP TABLE IF EXISTS ote_fts",
]
PG_DROP = ["DROP INDEX IF EXISTS ix_ote_busqueda_trgm", f"ALTER TABLE ote DROP COLUMN IF EXISTS {PG_COLUMN}"]

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
    for statement in sqlite_ddl() if connection.dialect.name == "sqlite" else pg_ddl():
        connection.exec_driver_sql(statement)


def drop_search_index(connection) -> None:
    for statement in SQLITE_DROP if connection.dialect.name == "sqlite" else PG_DROP:
        connection.exec_driver_sql(statement)


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _quoted(word: str) -> str:
    """A word as an FTS5 string: read as a literal substring, never as query syntax."""
    return '"' + word.replace('"', '""') + '"'


def _text_condition(words: list[str], dialect: str, table=None):
    """Every word in the OT's own searchable text (`table`: OTE, or an alias of it)."""
    prefix = "ote." if table is None else f"{table.name}."
    ids = OTE.id if table is None else table.c.id
    conditions = []
    if dialect == "sqlite":
        long_words = [w for w in words if len(w) >= MIN_TRIGRAM]
        if long_words:
            match = " AND ".join(_quoted(w) for w in long_words)
            conditions.append(
                ids.in_(select(FTS.c.rowid).where(literal_column("ote_fts").op("MATCH")(match)))
            )
        words = [w for w in words if len(w) < MIN_TRIGRAM]
    haystack = literal_column(
        f"lower({TEXT[dialect].format(p=prefix)})" if dialect == "sqlite" else f"{prefix}{PG_COLUMN}"
    )
    conditions += [haystack.like(f"%{_escape_like(w)}%", escape="\\") for w in words]
    return and_(*conditions)


def indexed_superset(text: str, dialect: str):
    """A condition on OTE, on the search index, that every OT whose folio (as `folio_norm`) or
    oficio contains `text` (lower case, spaces collapsed) also meets; None when the index cannot
    help (shorter than a trigram) or could miss one (a space: the stored folio may hold it doubled).
    ANDed with the exact `contains`, it changes no answer and spares a scan: the reprogramming's
    folio picker, prefilled on the edit page with the current principal's whole folio, read the
    90,000 initial OTs in folio order (issue 20). Measured at 100,000 OTs, SQLite, loaded machine,
    median of 5: the whole folio 600 → 25 ms, "559-26" 725 → 21 ms, "ot-grz" (thousands) 547 → 359 ms."""
    if len(text) < MIN_TRIGRAM or " " in text:
        return None
    return _text_condition([fold(text)], dialect)


def _named_ids(words: list[str]) -> dict[int, dict[int, list[int]]]:
    """{word index: {NAMED index: catalog ids whose name contains the word}}: one small statement
    over the catalogs (tens to hundreds of rows each), never over the OTs."""
    parts = [
        select(literal(i), literal(k), model.id).where(
            func.lower(model.nombre).contains(word, autoescape=True)
        )
        for i, word in enumerate(words)
        for k, (_, model) in enumerate(NAMED)
    ]
    found: dict[int, dict[int, list[int]]] = {}
    for i, k, id_ in db.session.execute(union_all(*parts)):
        found.setdefault(i, {}).setdefault(k, []).append(id_)
    return found


def search_condition(q: str, dialect: str):
    """Every word of `q` appears somewhere in the OT's searchable text or is part of the name of
    its project manager, vessel, platform or yard (NAMED); None when `q` is blank.

    The words no catalog name contains (most) keep the plain text condition: one FTS5 MATCH or
    trigram LIKE for all of them, as fast as before. A word that names something becomes ONE
    `ote.id IN (text ids UNION ALL OTs with those catalog ids)`, each part on its own index
    (measured at 100,000 OTs: an OR of the conditions made both planners scan the OTs)."""
    words = (q or "").lower().split()
    if not words:
        return None
    named = _named_ids(words)  # catalog names as typed (their own spelling)
    words = [fold(w) for w in words]  # the OT's text as indexed: folded
    plain = [w for i, w in enumerate(words) if i not in named]
    conditions = [_text_condition(plain, dialect)] if plain else []
    other = OTE.__table__.alias("ote_b")  # the union's own OTs, never correlated with the outer query
    for i, hits in named.items():
        word = words[i]
        if dialect == "sqlite" and len(word) >= MIN_TRIGRAM:  # the text index's own ids, no lookup
            parts = [select(FTS.c.rowid).where(literal_column("ote_fts").op("MATCH")(_quoted(word)))]
        else:
            parts = [select(other.c.id).where(_text_condition([word], dialect, other))]
        parts += [select(other.c.id).where(other.c[NAMED[k][0].key].in_(ids)) for k, ids in hits.items()]
        conditions.append(OTE.id.in_(union_all(*parts)))
    return and_(*conditions)
