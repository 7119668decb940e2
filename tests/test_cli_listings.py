"""The command lines read well in 80 columns and through a pipe (no note squeezed to one word a line), and every
listing of `ingest` and `qa` has --json for scripts. Run as staff run them: the real commands, output piped."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, ingest
from qa.appdb import AppDatabase
from qa.feedback import FeedbackStore
from qa.models import NOT_FOUND, Answer
from qa.questions_log import QuestionsLog

NARROW = {"COLUMNS": "80"}
REPORT = "Tidal Energy Review\n\nThe review found that tidal turbines in the northern estuary produced 41 megawatts in 2023.\n"


def _qa(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qa.cli", *args], capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, **NARROW})


@pytest.mark.slow
def test_ingest_add_summary_keeps_each_note_on_one_line_in_80_columns(tmp_path):
    folder, index = tmp_path / "reports", tmp_path / "index"
    folder.mkdir()
    (folder / "tidal-energy-review-of-the-northern-estuary-2023.txt").write_text(REPORT)
    (folder / "minutes.xyz").write_text("not a report")
    ingest("add", str(folder), index=index, env=NARROW)
    again = ingest("add", str(folder), index=index, env=NARROW)
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    table = lines[:lines.index(next(line for line in lines if line.startswith("note:")))]
    assert max(len(line) for line in table) <= 80, again.stdout  # notes are left for the terminal to wrap
    (row,) = [line for line in table if "unchanged" in line]
    assert len(row.split()[-1]) == 16, row  # the id whole
    assert "note: tidal-energy-review-of-the-northern-estuary-2023.txt: already indexed (same content)" in lines
    assert "note: minutes.xyz: not a report file type (.xyz)" in lines
    words_alone = [line for line in lines if len(line.split()) == 1 and any(c.isalnum() for c in line)]
    assert not words_alone, again.stdout

    results = json.loads(ingest("add", str(folder), "--json", index=index, env=NARROW).stdout)
    assert sorted((r["status"], r["detail"]) for r in results) == [
        ("skipped", "not a report file type (.xyz)"), ("unchanged", "already indexed (same content)")]

    listed = ingest("list", index=index, env=NARROW).stdout.splitlines()
    assert "  tidal energy review of the northern estuary 2023 (from filename)" in listed  # the title whole, on one line
    (report,) = json.loads(ingest("list", "--json", index=index).stdout)
    assert report["title"] == "tidal energy review of the northern estuary 2023"  # from the file name
    verified = json.loads(ingest("verify", "--json", index=index).stdout)
    assert verified["ok"] and verified["documents"] == 1 and verified["problems"] == []
    removed = ingest("remove", report["id"], "--json", index=index)
    assert [(r["id"], r["title"]) for r in json.loads(removed.stdout)] == [(report["id"], report["title"])]


def test_qa_feedback_and_questions_list_as_json(tmp_path):
    db_path = tmp_path / "app.sqlite"
    db = AppDatabase(db_path)
    FeedbackStore(db).record(Answer("Who funded the review?", NOT_FOUND, True, 0.1), "down", comment="Nothing found")
    log = QuestionsLog(db)
    log.record(Answer("Who funded the review?", NOT_FOUND, True, 0.1))
    log.close()
    db.close()

    (entry,) = json.loads(_qa("feedback", "--json", "--db", str(db_path), "--index", str(tmp_path / "none")).stdout)
    assert (entry["question"], entry["rating"], entry["comment"], entry["handled_at"]) == (
        "Who funded the review?", "down", "Nothing found", None)
    listed = _qa("questions", "--json", "--refused", "--db", str(db_path))
    assert [(q["question"], q["answered"]) for q in json.loads(listed.stdout)] == [("Who funded the review?", False)]
    shown = _qa("questions", "--db", str(db_path)).stdout
    assert "refused" in shown and "Who funded the review?" in shown and "1 questions in the last 30 days" in shown


def test_a_database_that_cannot_be_opened_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "not-a-folder").write_text("a file where the database's folder should be")
    failed = _qa("questions", "--db", str(tmp_path / "not-a-folder" / "app.sqlite"))
    assert failed.returncode == 2 and failed.stderr.startswith("error:") and len(failed.stderr.splitlines()) == 1
