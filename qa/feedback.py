"""Readers' thumbs up/down on answers, kept in the web app's own SQLite (``QA_APP_DB``), apart from the index.

The index is rebuilt, replaced, copied and may be read-only; ratings must outlive all that. The ``feedback`` table
belongs to this module, and its connection may write that table and nothing else: an SQLite authorizer refuses
every other change. Ratings kept in an index by earlier versions are carried over by ``import_from_index``.
"""
from __future__ import annotations

import csv
import json
import sqlite3
import threading
from dataclasses import asdict, astuple, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TextIO

from ingest.index import DB_NAME, IndexUnavailable, exists

from .models import Answer

RATINGS = ("up", "down")
MAX_COMMENT_CHARS = 2000
TABLE = "feedback"

_SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    abstained INTEGER NOT NULL,
    confidence REAL NOT NULL,
    citations TEXT NOT NULL  -- JSON list of the Citations shown: the sources, or for an abstention the related passages
)
"""
# Actions that change the database. Each names its table (or index, trigger, view) first; only ours may be changed,
# plus sqlite_master, which SQLite itself writes when our table is first created.
_CHANGES = {sqlite3.SQLITE_INSERT, sqlite3.SQLITE_UPDATE, sqlite3.SQLITE_DELETE, sqlite3.SQLITE_CREATE_TABLE,
            sqlite3.SQLITE_DROP_TABLE, sqlite3.SQLITE_ALTER_TABLE, sqlite3.SQLITE_CREATE_INDEX, sqlite3.SQLITE_DROP_INDEX,
            sqlite3.SQLITE_CREATE_TRIGGER, sqlite3.SQLITE_DROP_TRIGGER, sqlite3.SQLITE_CREATE_VIEW, sqlite3.SQLITE_DROP_VIEW,
            sqlite3.SQLITE_CREATE_TEMP_TABLE, sqlite3.SQLITE_CREATE_TEMP_TRIGGER, sqlite3.SQLITE_CREATE_VTABLE,
            sqlite3.SQLITE_DROP_VTABLE, sqlite3.SQLITE_ATTACH}
COLUMNS = ("id", "created_at", "rating", "comment", "question", "answer", "abstained", "confidence", "citations")
# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass
class FeedbackEntry:
    id: int
    created_at: str
    rating: str
    comment: str
    question: str
    answer: str
    abstained: bool
    confidence: float
    citations: str  # JSON


def _only_feedback_writes(action: int, arg1: str | None, arg2: str | None, db: str | None, trigger: str | None) -> int:
    if action in _CHANGES and arg1 not in (TABLE, "sqlite_master"):
        return sqlite3.SQLITE_DENY
    return sqlite3.SQLITE_OK


class FeedbackStore:
    """Record and read feedback in the SQLite file ``path`` (created with its folder when missing).
    Safe to share between threads.

    Only SQLite may open that file in a process that holds this store: closing any other descriptor of it drops
    the process's POSIX locks, and another process's connection may then delete the write-ahead log under it.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        # Writers wait for each other rather than fail: `qa feedback` may be reading while a reader rates.
        self.conn.execute("PRAGMA busy_timeout=10000")
        # WAL: a reader of the file never blocks a rating; FULL: a rating reported saved survives a power cut.
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=FULL")
        self.conn.set_authorizer(_only_feedback_writes)
        self._lock = threading.Lock()  # the app's worker threads share this one connection
        self._execute(_SCHEMA)

    def _execute(self, sql: str, params: tuple = ()) -> sqlite3.Cursor:
        with self._lock:
            return self.conn.execute(sql, params)

    def record(self, answer: Answer, rating: str, comment: str = "") -> int:
        """Store a rating of ``answer`` with what was shown; returns the entry's id."""
        _check_rating(rating)
        shown = answer.related if answer.abstained else answer.citations
        cur = self._execute(
            f"INSERT INTO {TABLE} (created_at, rating, comment, question, answer, abstained, confidence, citations)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (datetime.now(timezone.utc).isoformat(timespec="seconds"), rating, comment[:MAX_COMMENT_CHARS],
             answer.question, answer.answer, int(answer.abstained), answer.confidence,
             json.dumps([asdict(c) for c in shown], ensure_ascii=False)),
        )
        return int(cur.lastrowid)

    def update(self, entry_id: int, rating: str | None = None, comment: str | None = None) -> None:
        """Change the rating of an entry (a reader changed their mind) or add its comment."""
        if rating is not None:
            _check_rating(rating)
            self._execute(f"UPDATE {TABLE} SET rating = ? WHERE id = ?", (rating, entry_id))
        if comment is not None:
            self._execute(f"UPDATE {TABLE} SET comment = ? WHERE id = ?", (comment[:MAX_COMMENT_CHARS], entry_id))

    def withdraw(self, entry_id: int) -> None:
        """Forget an entry whose rating the reader took back."""
        self._execute(f"DELETE FROM {TABLE} WHERE id = ?", (entry_id,))

    def entries(self) -> list[FeedbackEntry]:
        rows = self._execute(f"SELECT {', '.join(COLUMNS)} FROM {TABLE} ORDER BY id").fetchall()
        return [FeedbackEntry(*r[:6], bool(r[6]), *r[7:]) for r in rows]

    def write_csv(self, out: TextIO) -> int:
        """Every entry as CSV with a header row; returns how many. Text that a spreadsheet would take for a formula
        gets a leading quote, as OWASP advises: readers write the questions and comments."""
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        entries = self.entries()
        writer.writerows([_inert(cell) for cell in astuple(e)] for e in entries)
        return len(entries)

    def import_from_index(self, index_dir: Path) -> int:
        """Carry over the ratings an earlier version kept in ``index_dir``'s own SQLite; returns how many were new.

        Entries already here (same time, rating, comment, question, answer and sources) are not copied again,
        so running it at every start imports each old rating once. The index is only read."""
        legacy = _legacy_entries(Path(index_dir))
        if not legacy:
            return 0
        columns = COLUMNS[1:]
        have = set(self._execute(f"SELECT {', '.join(columns)} FROM {TABLE}").fetchall())
        new = [row for row in legacy if row not in have]
        with self._lock:
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                self.conn.executemany(f"INSERT INTO {TABLE} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                                      new)
                self.conn.execute("COMMIT")
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
        return len(new)

    def close(self) -> None:
        self.conn.close()


def _legacy_entries(index_dir: Path) -> list[tuple]:
    """The feedback rows of an index written before ratings moved out of it; none when it has no such table."""
    if not exists(index_dir):
        return []
    try:
        conn = sqlite3.connect(f"file:{index_dir / DB_NAME}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise IndexUnavailable(f"cannot read {index_dir / DB_NAME}: {exc}") from exc
    try:
        if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (TABLE,)).fetchone():
            return []
        return conn.execute(f"SELECT {', '.join(COLUMNS[1:])} FROM {TABLE} ORDER BY id").fetchall()
    finally:
        conn.close()


def _inert(cell):
    return "'" + cell if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS) else cell


def _check_rating(rating: str) -> None:
    if rating not in RATINGS:
        raise ValueError(f"rating must be one of {RATINGS}, not {rating!r}")

