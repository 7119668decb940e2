"""The app's own database: readers' ratings, the questions log, staff sessions and the staff login's failure counts,
kept apart from the index.

The index is rebuilt, replaced, copied and may be read-only; what the app learns from its readers must outlive all
that; and the index a replica serves may be a read-only snapshot (`ingest snapshot`), so everything the app writes is
here. By default it is one SQLite file (``QA_APP_DB``): nothing to set up. When ``QA_DATABASE_URL`` names a
PostgreSQL database, every app process (replica) shares that one instead, so that a staff login, a login's failure
count and a rating made through one replica hold in all of them. SQLAlchemy Core speaks both dialects, so
no query here branches on which one it is.

The schema changes only through the named migrations below, each applied once and recorded in the ``migrations``
table, as `llm` and `sqlite-utils` do: an app or `qa` command opening an older database brings it up to date.
"""
from __future__ import annotations

import sqlite3
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from sqlalchemy import (Boolean, Column, Connection, Engine, Float, Index, Integer, MetaData, String, Table, Text,
                        create_engine, event, insert, inspect, select, text)
from sqlalchemy.exc import SQLAlchemyError as DatabaseError  # what a caller catches: any failure of the database

from ingest import settings

__all__ = ["AppDatabase", "DatabaseError", "MIGRATIONS", "feedback", "login_failures", "questions", "staff_sessions",
           "staff_uploads", "now"]

metadata = MetaData()

migrations = Table("migrations", metadata,
                   Column("name", String(100), primary_key=True),
                   Column("applied_at", String(32), nullable=False))


def _feedback_columns() -> list[Column]:
    """The feedback table as its first version had it (and as ratings databases written before migrations have it)."""
    return [
        Column("id", Integer, primary_key=True),
        Column("created_at", Text, nullable=False),
        Column("rating", Text, nullable=False),
        Column("comment", Text, nullable=False, server_default=""),
        Column("question", Text, nullable=False),
        Column("answer", Text, nullable=False),
        Column("abstained", Integer, nullable=False),
        Column("confidence", Float, nullable=False),
        # JSON list of the Citations shown: the sources, or for an abstention the related passages
        Column("citations", Text, nullable=False),
    ]


feedback = Table("feedback", metadata, *_feedback_columns(),
                 Column("handled_at", Text))  # when staff marked a thumbs-down handled (m003)

questions = Table(
    "questions", metadata,
    Column("id", Integer, primary_key=True),
    # A random handle of this one answer, by which the reader's rating finds its row; it names no reader.
    Column("key", String(32), nullable=False, unique=True),
    Column("asked_at", Text, nullable=False),  # UTC, to the hour only
    Column("question", Text, nullable=False),
    Column("scope", Text, nullable=False),  # JSON: the reports searched, or "" for all of them
    Column("answered", Boolean, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("cited", Text, nullable=False),  # JSON list of {"doc_id", "title"} of the reports quoted
    Column("rating", Text),  # "up", "down" or NULL
    Index("questions_asked_at", "asked_at"),
)

# Times here are seconds since the epoch (time.time()): replicas compare them, so no process's own clock will do.
staff_sessions = Table(
    "staff_sessions", metadata,
    Column("key", String(64), primary_key=True),  # SHA-256 of the session cookie; the cookie itself is kept nowhere
    Column("created_at", Float, nullable=False),
    Column("seen_at", Float, nullable=False),
)

staff_uploads = Table(
    "staff_uploads", metadata,
    Column("session_key", String(64), primary_key=True),
    Column("path", Text, primary_key=True),  # real path of a file Gradio received on the replica that took it
)

login_failures = Table(
    "login_failures", metadata,
    Column("client", String(100), primary_key=True),  # the client's address, as the login saw it
    Column("failures", Integer, nullable=False),
    Column("last_at", Float, nullable=False),
)


def m001_feedback(conn: Connection) -> None:
    """Readers' ratings; a ratings database written before migrations already has this table, and keeps it."""
    Table("feedback", MetaData(), *_feedback_columns()).create(conn, checkfirst=True)


def m002_questions_log(conn: Connection) -> None:
    questions.create(conn, checkfirst=True)


def m003_feedback_handled(conn: Connection) -> None:
    conn.execute(text("ALTER TABLE feedback ADD COLUMN handled_at TEXT"))


def m004_staff_sessions_and_login_failures(conn: Connection) -> None:
    """Staff sessions and login failure counts, kept in each process's memory before: now every replica sees them."""
    for table in (staff_sessions, staff_uploads, login_failures):
        table.create(conn, checkfirst=True)


MIGRATIONS: list[Callable[[Connection], None]] = [m001_feedback, m002_questions_log, m003_feedback_handled,
                                                  m004_staff_sessions_and_login_failures]
OWN_TABLES = frozenset(metadata.tables)
# Any PostgreSQL advisory-lock key will do, as long as it is always the same: replicas starting together take turns.
_MIGRATION_LOCK = 7_250_413


def now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class AppDatabase:
    """The app's database at ``where``: a SQLAlchemy URL, or a path to a SQLite file (created with its folder).
    By default ``QA_DATABASE_URL`` when set, else the SQLite file ``QA_APP_DB``. Migrated up to date on opening.
    Safe to share between threads."""

    def __init__(self, where: str | Path | None = None):
        where = where if where is not None else settings.database_url() or settings.app_db()
        self.path: Path | None = None
        if isinstance(where, Path) or "://" not in where:
            self.path = Path(where)
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.engine = _sqlite_engine(self.path)
        else:
            self.engine = create_engine(_with_driver(where), pool_pre_ping=True)
        try:
            self.migrate()
        except BaseException:
            self.engine.dispose()
            raise

    @property
    def name(self) -> str:
        """Where it is, for messages: the file, or the URL without its password."""
        return str(self.path) if self.path else self.engine.url.render_as_string(hide_password=True)

    def migrate(self) -> list[str]:
        """Apply the migrations this database has not had, in order, in one transaction; returns their names."""
        with self.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK})
            migrations.create(conn, checkfirst=True)
            done = set(conn.scalars(select(migrations.c.name)))
            applied = []
            for migration in MIGRATIONS:
                if migration.__name__ not in done:
                    migration(conn)
                    conn.execute(insert(migrations).values(name=migration.__name__, applied_at=now()))
                    applied.append(migration.__name__)
        return applied

    def applied(self) -> list[str]:
        with self.engine.connect() as conn:
            return list(conn.scalars(select(migrations.c.name).order_by(migrations.c.name)))

    def tables(self) -> list[str]:
        return inspect(self.engine).get_table_names()

    def close(self) -> None:
        self.engine.dispose()


def _with_driver(url: str) -> str:
    """psycopg 3 for a plain ``postgresql://`` URL (SQLAlchemy would otherwise look for psycopg2)."""
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            return "postgresql+psycopg://" + url[len(plain):]
    return url


def _sqlite_engine(path: Path) -> Engine:
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def configure(dbapi_conn: sqlite3.Connection, _record) -> None:
        dbapi_conn.isolation_level = None  # SQLAlchemy's "begin" below opens every transaction, DDL included
        # Writers wait for each other rather than fail: `qa feedback` may be reading while a reader rates.
        dbapi_conn.execute("PRAGMA busy_timeout=10000")
        # WAL: a reader of the file never blocks a rating; FULL: a rating reported saved survives a power cut.
        dbapi_conn.execute("PRAGMA journal_mode=WAL")
        dbapi_conn.execute("PRAGMA synchronous=FULL")
        dbapi_conn.set_authorizer(_only_own_tables)

    @event.listens_for(engine, "begin")
    def begin(conn: Connection) -> None:
        # IMMEDIATE: two processes migrating (or writing) at once take turns instead of one failing mid-way.
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


# Actions that change a SQLite database. Each names its table (or, for an index, trigger or ALTER, the table second).
_CHANGES = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE, sqlite3.SQLITE_CREATE_TABLE,
            sqlite3.SQLITE_DROP_TABLE, sqlite3.SQLITE_ALTER_TABLE, sqlite3.SQLITE_CREATE_INDEX, sqlite3.SQLITE_DROP_INDEX,
            sqlite3.SQLITE_CREATE_TRIGGER, sqlite3.SQLITE_DROP_TRIGGER, sqlite3.SQLITE_CREATE_VIEW, sqlite3.SQLITE_DROP_VIEW,
            sqlite3.SQLITE_CREATE_TEMP_TABLE, sqlite3.SQLITE_CREATE_TEMP_TRIGGER, sqlite3.SQLITE_CREATE_VTABLE,
            sqlite3.SQLITE_DROP_VTABLE, sqlite3.SQLITE_ATTACH}
_WRITABLE = OWN_TABLES | {"sqlite_master"}  # SQLite itself writes sqlite_master when a table is created


def _only_own_tables(action: int, arg1: str | None, arg2: str | None, db: str | None, trigger: str | None) -> int:
    """The app's connections change its own tables and nothing else, should the file hold others (or be an index)."""
    if action in _CHANGES and arg1 not in _WRITABLE and arg2 not in OWN_TABLES:
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK
