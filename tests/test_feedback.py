"""Feedback is kept in the index's SQLite, exported as CSV, and its connection cannot touch the corpus."""
from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import subprocess
import sys

import pytest

from ingest.store import IndexReader
from qa.feedback import FeedbackStore
from qa.models import NOT_FOUND, Answer, Citation


def _answer() -> Answer:
    cite = Citation("d1", "A report", 2, "Before. The answer, quoted. After.", 8, 27, 0.5, "/r.pdf", date="2024-01-01", passage_id=7)
    return Answer("What is it?", "The answer, quoted.", False, 0.8, citations=[cite])


def test_rating_is_stored_with_question_answer_and_citations(scratch_index):
    store = FeedbackStore(scratch_index)
    entry_id = store.record(_answer(), "up")
    store.update(entry_id, rating="down", comment="Wrong page, <b>surely</b>")
    (entry,) = store.entries()
    assert (entry.rating, entry.comment, entry.question, entry.answer) == (
        "down", "Wrong page, <b>surely</b>", "What is it?", "The answer, quoted.")
    (cited,) = json.loads(entry.citations)
    assert (cited["title"], cited["page"], cited["passage_id"]) == ("A report", 2, 7)


def test_an_abstention_keeps_the_related_passages_it_showed(scratch_index):
    related = _answer().citations
    store = FeedbackStore(scratch_index)
    store.record(Answer("Off topic?", NOT_FOUND, True, 0.1, related=related), "down")
    (entry,) = store.entries()
    assert entry.abstained and json.loads(entry.citations)[0]["doc_id"] == "d1"


def test_withdrawn_rating_is_forgotten(scratch_index):
    store = FeedbackStore(scratch_index)
    store.withdraw(store.record(_answer(), "up"))
    assert store.entries() == []


def test_unknown_rating_is_refused(scratch_index):
    with pytest.raises(ValueError):
        FeedbackStore(scratch_index).record(_answer(), "meh")


def test_feedback_connection_cannot_change_the_corpus(scratch_index):
    store = FeedbackStore(scratch_index)
    for statement in ("DELETE FROM documents", "UPDATE passages SET text = 'x'", "DROP TABLE sentences",
                      "INSERT INTO meta (key, value) VALUES ('generation', '99')", "CREATE TABLE extra (x)"):
        with pytest.raises(sqlite3.DatabaseError, match="not authorized"):
            store.conn.execute(statement)
    reader = IndexReader(scratch_index)
    assert len(reader.documents()) == 1 and reader.passage_count() > 0


def test_csv_export_lists_every_entry(scratch_index):
    store = FeedbackStore(scratch_index)
    store.record(_answer(), "up", comment='Great, "exactly" it')
    out = io.StringIO()
    assert store.write_csv(out) == 1
    header, row = list(csv.reader(io.StringIO(out.getvalue())))
    assert dict(zip(header, row))["comment"] == 'Great, "exactly" it'


def test_qa_feedback_csv_command(scratch_index):
    FeedbackStore(scratch_index).record(_answer(), "down", comment="Not this one")
    out = subprocess.run(
        [sys.executable, "-m", "qa.cli", "feedback", "--csv", "--index", str(scratch_index)],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONUTF8": "1"},
    ).stdout
    (row,) = csv.DictReader(io.StringIO(out))
    assert (row["rating"], row["comment"], row["question"]) == ("down", "Not this one", "What is it?")
