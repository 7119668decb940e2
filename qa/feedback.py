"""Readers' thumbs up/down on answers, kept in the index's SQLite beside the reports they judge.

The ``feedback`` table belongs to this module. Its connection may write that table and nothing
else: an SQLite authorizer refuses every other change, so no feedback request can alter the corpus.
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

from ingest.store import DB_NAME

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
    """Record and read feedback in ``index_dir``'s SQLite. Safe to share between threads."""

    def __init__(self, index_dir: Path):
        self.path = Path(index_dir) / DB_NAME
        if not self.path.is_file():
            raise FileNotFoundError(f"no index at {index_dir}")
        self.conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        # A reader should not wait long behind an ingest batch, but long enough for a normal commit.
        self.conn.execute("PRAGMA busy_timeout=10000")
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
        """Every entry as CSV with a header row; returns how many."""
        writer = csv.writer(out)
        writer.writerow(COLUMNS)
        entries = self.entries()
        writer.writerows(astuple(e) for e in entries)
        return len(entries)

    def close(self) -> None:
        self.conn.close()


def _check_rating(rating: str) -> None:
    if rating not in RATINGS:
        raise ValueError(f"rating must be one of {RATINGS}, not {rating!r}")

