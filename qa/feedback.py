"""Readers' thumbs up/down on answers, kept in the app's own database (qa/appdb.py), apart from the index.

Ratings kept in an index by earlier versions are carried over by ``import_from_index``.
"""
from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, astuple, dataclass, fields
from pathlib import Path
from typing import TextIO

from sqlalchemy import delete, insert, select, update

from ingest.index import DB_NAME, IndexUnavailable, exists

from .appdb import AppDatabase, feedback, now
from .models import Answer
from .spreadsheet import write_csv

RATINGS = ("up", "down")
MAX_COMMENT_CHARS = 2000
TABLE = "feedback"


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
    handled_at: str | None = None  # when staff marked a thumbs-down handled


COLUMNS = tuple(f.name for f in fields(FeedbackEntry))
_LEGACY_COLUMNS = COLUMNS[1:-1]  # what an index kept, less the id


class FeedbackStore:
    """Record and read feedback in the app's database ``db``: an open ``AppDatabase``, or where to open one (a SQLite
    file or a URL; by default the configured one). Safe to share between threads."""

    def __init__(self, db: AppDatabase | Path | str | None = None):
        self._owns_db = not isinstance(db, AppDatabase)
        self.db = AppDatabase(db) if self._owns_db else db
        self.path = self.db.path

    def record(self, answer: Answer, rating: str, comment: str = "") -> int:
        """Store a rating of ``answer`` with what was shown; returns the entry's id."""
        _check_rating(rating)
        shown = answer.related if answer.abstained else answer.citations
        with self.db.engine.begin() as conn:
            return conn.execute(insert(feedback).values(
                created_at=now(), rating=rating, comment=comment[:MAX_COMMENT_CHARS], question=answer.question,
                answer=answer.answer, abstained=int(answer.abstained), confidence=answer.confidence,
                citations=json.dumps([asdict(c) for c in shown], ensure_ascii=False),
            )).inserted_primary_key[0]

    def update(self, entry_id: int, rating: str | None = None, comment: str | None = None) -> None:
        """Change the rating of an entry (a reader changed their mind) or add its comment."""
        values = {}
        if rating is not None:
            _check_rating(rating)
            values["rating"] = rating
        if comment is not None:
            values["comment"] = comment[:MAX_COMMENT_CHARS]
        if values:
            with self.db.engine.begin() as conn:
                conn.execute(update(feedback).where(feedback.c.id == entry_id).values(**values))

    def withdraw(self, entry_id: int) -> None:
        """Forget an entry whose rating the reader took back."""
        with self.db.engine.begin() as conn:
            conn.execute(delete(feedback).where(feedback.c.id == entry_id))

    def mark_handled(self, entry_id: int) -> bool:
        """Staff dealt with this entry; returns False when there is no such entry (or it was handled already)."""
        with self.db.engine.begin() as conn:
            done = conn.execute(update(feedback).where(feedback.c.id == entry_id, feedback.c.handled_at.is_(None))
                                .values(handled_at=now()))
        return done.rowcount == 1

    def entries(self, rating: str | None = None, handled: bool | None = None) -> list[FeedbackEntry]:
        """Every entry, oldest first; only those of ``rating``, or only those (not) handled, when given."""
        query = select(*(feedback.c[c] for c in COLUMNS)).order_by(feedback.c.id)
        if rating is not None:
            query = query.where(feedback.c.rating == rating)
        if handled is not None:
            query = query.where(feedback.c.handled_at.is_not(None) if handled else feedback.c.handled_at.is_(None))
        with self.db.engine.connect() as conn:
            rows = conn.execute(query).all()
        return [FeedbackEntry(*r[:6], bool(r[6]), *r[7:]) for r in rows]

    def write_csv(self, out: TextIO) -> int:
        """Every entry as CSV with a header row, safe to open in a spreadsheet; returns how many."""
        return write_csv(out, COLUMNS, (astuple(e) for e in self.entries()))

    def import_from_index(self, index_dir: Path) -> int:
        """Carry over the ratings an earlier version kept in ``index_dir``'s own SQLite; returns how many were new.

        Entries already here (same time, rating, comment, question, answer and sources) are not copied again,
        so running it at every start imports each old rating once. The index is only read."""
        legacy = _legacy_entries(Path(index_dir))
        if not legacy:
            return 0
        with self.db.engine.begin() as conn:
            have = {tuple(r) for r in conn.execute(select(*(feedback.c[c] for c in _LEGACY_COLUMNS)))}
            new = [row for row in legacy if row not in have]
            if new:
                conn.execute(insert(feedback), [dict(zip(_LEGACY_COLUMNS, row)) for row in new])
        return len(new)

    def close(self) -> None:
        if self._owns_db:
            self.db.close()


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
        return conn.execute(f"SELECT {', '.join(_LEGACY_COLUMNS)} FROM {TABLE} ORDER BY id").fetchall()
    finally:
        conn.close()


def _check_rating(rating: str) -> None:
    if rating not in RATINGS:
        raise ValueError(f"rating must be one of {RATINGS}, not {rating!r}")

