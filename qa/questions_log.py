"""The questions log: what readers asked and what they got, so that staff see which questions the reports fail to
answer. Privacy first: a row holds the question, the hour it was asked, the reports searched, whether it was
answered, the confidence, the reports quoted and the reader's thumbs if any. Nothing names or links a reader: no
address, no cookie or session id, no conversation (two questions of one reader are two unrelated rows), and the
time only to the hour. Rows older than ``QA_QUESTIONS_LOG_DAYS`` (default 180) are deleted.

An answer never waits for the log: rows are written by one background thread, in the order they were given.
"""
from __future__ import annotations

import atexit
import json
import queue
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import delete, insert, select, update

from ingest import settings
from ingest.errors import first_line

from .appdb import AppDatabase, DatabaseError, questions
from .models import Answer

PRUNE_EVERY_SECONDS = 3600.0
MAX_BATCH = 500
_STOP = object()


@dataclass
class LoggedQuestion:
    id: int
    asked_at: str  # UTC, to the hour
    question: str
    scope: str  # JSON {"searched", "reports", "since", "until"}, or "" for every report
    answered: bool
    confidence: float
    cited: list[dict]  # [{"doc_id", "title"}] of the reports quoted
    rating: str | None  # "up", "down" or None


def hour(moment: datetime) -> str:
    return moment.astimezone(timezone.utc).replace(minute=0, second=0, microsecond=0).isoformat()


def _row(answer: Answer, key: str, asked: datetime) -> dict:
    scope = ""
    if answer.scope:
        scope = json.dumps({"searched": answer.scope.searched, "reports": [r.doc_id for r in answer.scope.reports],
                            "since": answer.scope.since, "until": answer.scope.until})
    quoted = answer.citations + [c for report in answer.across for c in report.citations]
    cited = list({c.doc_id: {"doc_id": c.doc_id, "title": c.title} for c in quoted}.values())
    return {"key": key, "asked_at": hour(asked), "question": answer.question, "scope": scope,
            "answered": not answer.abstained, "confidence": float(answer.confidence),
            "cited": json.dumps(cited, ensure_ascii=False)}


class QuestionsLog:
    """The log in ``db``. ``record`` and ``rate`` only queue their change; ``flush`` waits until all are written."""

    def __init__(self, db: AppDatabase):
        self.db = db
        self._queue: queue.Queue = queue.Queue()
        self._writer: threading.Thread | None = None
        self._start_lock = threading.Lock()
        self._pruned_at = float("-inf")

    @staticmethod
    def keeping() -> bool:
        return settings.questions_log_days() > 0

    def record(self, answer: Answer) -> str | None:
        """Queue ``answer``'s row; returns the key its rating is given by, or None when the log keeps nothing."""
        if not self.keeping():
            return None
        key = uuid.uuid4().hex
        self._put(lambda conn: conn.execute(insert(questions).values(**_row(answer, key, datetime.now(timezone.utc)))))
        return key

    def rate(self, key: str | None, rating: str | None) -> None:
        """The reader's thumbs ("up", "down") on the answer logged as ``key``; None when they took it back."""
        if key is not None:
            self._put(lambda conn: conn.execute(update(questions).where(questions.c.key == key).values(rating=rating)))

    def flush(self) -> None:
        self._queue.join()

    def prune(self, now: datetime | None = None) -> int:
        """Delete the rows older than the retention period; returns how many."""
        cutoff = hour((now or datetime.now(timezone.utc)) - timedelta(days=settings.questions_log_days()))
        with self.db.engine.begin() as conn:
            return conn.execute(delete(questions).where(questions.c.asked_at < cutoff)).rowcount

    def questions(self, since: datetime | None = None) -> list[LoggedQuestion]:
        """The rows asked at or after ``since`` (all by default), oldest first."""
        query = select(questions.c.id, questions.c.asked_at, questions.c.question, questions.c.scope,
                       questions.c.answered, questions.c.confidence, questions.c.cited, questions.c.rating)
        if since is not None:
            query = query.where(questions.c.asked_at >= hour(since))
        with self.db.engine.connect() as conn:
            rows = conn.execute(query.order_by(questions.c.id)).all()
        return [LoggedQuestion(r[0], r[1], r[2], r[3], bool(r[4]), r[5], json.loads(r[6]), r[7]) for r in rows]

    def close(self) -> None:
        """Write what is queued, then stop the writer."""
        if self._writer is not None and self._writer.is_alive():
            self._queue.put(_STOP)
            self._writer.join(timeout=30)

    def _put(self, change: Callable) -> None:
        with self._start_lock:
            if self._writer is None or not self._writer.is_alive():
                self._writer = threading.Thread(target=self._write, name="questions-log", daemon=True)
                self._writer.start()
                atexit.register(self.close)  # a stopping app writes what it was given
        self._queue.put(change)

    def _write(self) -> None:
        """Apply the queued changes, each batch waiting in the queue in one transaction: under load, one commit (and
        one fsync) carries many rows."""
        stopping = False
        while not stopping:
            batch = [self._queue.get()]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            changes = [c for c in batch if c is not _STOP]
            stopping = len(changes) < len(batch)
            try:
                if changes:
                    with self.db.engine.begin() as conn:
                        for change in changes:
                            change(conn)
                if time.monotonic() - self._pruned_at > PRUNE_EVERY_SECONDS:
                    self._pruned_at = time.monotonic()
                    self.prune()
            except DatabaseError as exc:  # the log loses these rows; the readers already have their answers
                print(f"questions log: {len(changes)} change(s) not written: {first_line(exc)}",
                      file=sys.stderr, flush=True)
            finally:
                for _ in batch:
                    self._queue.task_done()
