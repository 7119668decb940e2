"""The index database's schema, as named migrations applied in order and recorded in its ``migrations`` table
(as ``llm`` and ``sqlite-utils`` do). A writer applies the ones a database lacks, in its own transaction, so that a
change of schema is committed with the writer's first commit or not at all; readers never change the database.

Indexes made before migrations were recorded have an empty ``migrations`` table: each migration then finds what is
already there (a column added by hand-written code before) and adds only what is missing, so such an index is adopted
without a rebuild.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from typing import Callable

from .files import columns, meta
from .records import encode_stems, passages_by_id

MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = []


def migration(fn: Callable[[sqlite3.Connection], None]) -> Callable[[sqlite3.Connection], None]:
    MIGRATIONS.append(fn)
    return fn


def _add_columns(conn: sqlite3.Connection, table: str, names: tuple[str, ...], definition: str) -> None:
    present = columns(conn, table)
    for name in names:
        if name not in present:
            conn.execute(f"ALTER TABLE {table} ADD COLUMN {name} {definition}")


@migration
def m001_reports_passages_sentences(conn: sqlite3.Connection) -> None:
    """Reports, their passages (each with its vector) and sentences (each with its vector), the FTS5 lexical index
    of passages, and ``meta`` (generation, model, dimension, the FAISS file's checksum)."""
    for statement in (
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """CREATE TABLE IF NOT EXISTS documents (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL,
            source TEXT NOT NULL,
            url TEXT NOT NULL DEFAULT '',
            date TEXT NOT NULL DEFAULT '',
            authors TEXT NOT NULL DEFAULT '[]',
            publisher TEXT NOT NULL DEFAULT '',
            pages INTEGER NOT NULL,
            pages_without_text INTEGER NOT NULL DEFAULT 0,
            added_at TEXT NOT NULL
        )""",
        """CREATE TABLE IF NOT EXISTS passages (
            id INTEGER PRIMARY KEY,
            doc_id TEXT NOT NULL REFERENCES documents(id),
            ordinal INTEGER NOT NULL,
            page INTEGER NOT NULL,
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            text TEXT NOT NULL,
            vector BLOB NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id, ordinal)",
        """CREATE TABLE IF NOT EXISTS sentences (
            id INTEGER PRIMARY KEY,
            passage_id INTEGER NOT NULL REFERENCES passages(id),
            start INTEGER NOT NULL,
            end INTEGER NOT NULL,
            vector BLOB NOT NULL
        )""",
        "CREATE INDEX IF NOT EXISTS sentences_passage ON sentences(passage_id)",
        """CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
            text, content='passages', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
        )""",
    ):
        conn.execute(statement)


@migration
def m002_passage_stems(conn: sqlite3.Connection) -> None:
    """Passages keep their word stems (records.encode_stems), so that questions never stem passage text; those
    already indexed are stemmed now. Answers do not change, they only come faster."""
    _add_columns(conn, "passages", ("stems",), "TEXT")
    missing = [pid for (pid,) in conn.execute("SELECT id FROM passages WHERE stems IS NULL")]
    dim = int(meta(conn).get("dim", 0))
    for chunk in range(0, len(missing), 1000):
        # Read as this migration finds them: before m003 and m004, passages have no heading or table.
        passages = passages_by_id(conn, missing[chunk : chunk + 1000], dim, present=())
        conn.executemany("UPDATE passages SET stems = ? WHERE id = ?",
                         [(encode_stems(p.stem_sequence, p.sentence_stem_sequences), p.id) for p in passages.values()])


@migration
def m003_report_identity_and_headings(conn: sqlite3.Connection) -> None:
    """Reports keep their identity text (running heads) and where their title and date came from; passages the
    heading they stand under. Empty for what was indexed before."""
    _add_columns(conn, "documents", ("identity", "title_source", "date_source"), "TEXT NOT NULL DEFAULT ''")
    _add_columns(conn, "passages", ("heading",), "TEXT NOT NULL DEFAULT ''")


@migration
def m004_table_rows(conn: sqlite3.Connection) -> None:
    """A passage of a table row keeps its table (``table_json``: the header, and the row); empty for prose."""
    _add_columns(conn, "passages", ("table_json",), "TEXT NOT NULL DEFAULT ''")


@migration
def m005_footnotes(conn: sqlite3.Connection) -> None:
    """A passage that is a footnote says so (``note``); 0 for what was indexed before, where footnotes may sit in
    passages of body text."""
    _add_columns(conn, "passages", ("note",), "INTEGER NOT NULL DEFAULT 0")


SCHEMA_VERSION = len(MIGRATIONS)


def applied(conn: sqlite3.Connection) -> list[str]:
    """The migrations recorded in this database, in the order they were applied."""
    if "migrations" not in {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}:
        return []
    return [name for (name,) in conn.execute("SELECT name FROM migrations ORDER BY rowid")]


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Apply, inside the caller's transaction, the migrations this database has not recorded; their names."""
    conn.execute("CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    done = set(applied(conn))
    now = datetime.now(timezone.utc).isoformat(timespec="seconds")
    names = []
    for step in MIGRATIONS:
        if step.__name__ not in done:
            step(conn)
            conn.execute("INSERT INTO migrations (name, applied_at) VALUES (?, ?)", (step.__name__, now))
            names.append(step.__name__)
    if names:
        conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
    return names
