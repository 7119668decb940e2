"""The questions log (qa/questions_log.py): written by the real app as readers ask and rate, holding nothing that
identifies a reader, and forgetting rows older than the retention period."""
from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import httpx
import pytest
from sqlalchemy import insert

from qa.appdb import AppDatabase, questions
from qa.models import NOT_FOUND, Answer
from qa.questions_log import QuestionsLog, hour
from running_app import PageSession, app_db, running_app

CLIENT_ADDRESS = "203.0.113.77"  # documentation range: an address no test machine has
COOKIE = {"reader_id": "cookie-value-5e1d9c", "_ga": "GA1.2.99887766.1700000000"}


def _ask_api(url: str, question: str) -> dict:
    """/ask as a script behind a proxy calls it, with a forwarded address and cookies."""
    headers = {"X-Forwarded-For": CLIENT_ADDRESS, "X-Real-IP": CLIENT_ADDRESS, "User-Agent": "ReaderBrowser/1.0 uid=ua-4411"}
    with httpx.Client(base_url=url, headers=headers, cookies=COOKIE, timeout=60) as client:
        started = client.post("gradio_api/call/ask", json={"data": [question, []]})
        started.raise_for_status()
        with client.stream("GET", f"gradio_api/call/ask/{started.json()['event_id']}") as stream:
            lines = [line for line in stream.iter_lines() if line.startswith("data:")]
    return json.loads(lines[-1][5:])[0]


def _rows(db_path, table: str, written: Callable[[list[sqlite3.Row]], bool]) -> list[sqlite3.Row]:
    """The table's rows once the app's background writer has ``written`` them (or after 20 s, as they are then)."""
    deadline = time.monotonic() + 20
    while True:
        conn = sqlite3.connect(db_path)
        conn.row_factory = sqlite3.Row
        try:
            rows = conn.execute(f"SELECT * FROM {table} ORDER BY id").fetchall()
        finally:
            conn.close()
        if written(rows) or time.monotonic() > deadline:
            return rows
        time.sleep(0.2)


@pytest.mark.slow
def test_the_questions_log_holds_no_address_cookie_or_session_of_the_reader(seed_index, tmp_path):
    log = tmp_path / "app.log"
    # The app believes the proxy's X-Forwarded-For here, so the reader's address is known to it: and still not kept.
    with running_app(seed_index, log, env={"QA_TRUSTED_PROXIES": "127.0.0.1"}) as url:
        answered = _ask_api(url, "Who prepared the report?")
        assert not answered["abstained"]
        page = PageSession(url, cookies=COOKIE)
        shown = page.ask("What is the recipe for a good sourdough bread?")["output"]["data"][0]
        rated = page.run("rate", [None] * len(page.dependency("rate")["inputs"]),
                         event_data={"index": 1, "value": shown[-1]["content"], "liked": False})
        assert rated["success"], rated
        # The rating reaches the question's row after the row itself: a run once read the row in between.
        rows = _rows(app_db(log), "questions", lambda rows: len(rows) >= 2 and rows[1]["rating"] is not None)
        feedback = _rows(app_db(log), "feedback", lambda rows: len(rows) >= 1)

    assert [(r["question"], bool(r["answered"]), r["rating"]) for r in rows] == [
        ("Who prepared the report?", True, None), ("What is the recipe for a good sourdough bread?", False, "down")]
    assert json.loads(rows[0]["cited"]) and all(r["asked_at"].endswith(":00:00+00:00") for r in rows)
    assert set(rows[0].keys()) == {"id", "key", "asked_at", "question", "scope", "answered", "confidence", "cited", "rating"}
    kept = json.dumps([list(r) for r in rows + feedback])
    for identifier in (CLIENT_ADDRESS, "127.0.0.1", page.session_hash, "ua-4411", "ReaderBrowser",
                       *COOKIE.values()):
        assert identifier not in kept, f"the app's database keeps {identifier!r}"


def test_retention_deletes_rows_older_than_the_setting_when_the_log_next_writes(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_QUESTIONS_LOG_DAYS", "7")
    db = AppDatabase(tmp_path / "app.sqlite")
    now = datetime.now(timezone.utc)
    with db.engine.begin() as conn:
        conn.execute(insert(questions), [
            {"key": f"k{age}", "asked_at": hour(now - timedelta(days=age)), "question": f"Asked {age} days ago?",
             "scope": "", "answered": True, "confidence": 0.5, "cited": "[]"} for age in (30, 8, 6)])
    log = QuestionsLog(db)
    log.record(Answer("Asked now?", NOT_FOUND, True, 0.1))
    log.flush()  # the writer prunes as it starts writing
    assert [q.question for q in log.questions()] == ["Asked 6 days ago?", "Asked now?"]
    log.close()
    db.close()


def test_no_question_is_kept_when_retention_is_zero(tmp_path, monkeypatch):
    monkeypatch.setenv("QA_QUESTIONS_LOG_DAYS", "0")
    db = AppDatabase(tmp_path / "app.sqlite")
    log = QuestionsLog(db)
    assert log.record(Answer("Kept?", NOT_FOUND, True, 0.1)) is None
    log.flush()
    assert log.questions() == []
    db.close()


@pytest.mark.parametrize("days, says", [("90", "these are deleted after 90 days"),
                                        ("0", "Questions themselves are not logged")])
def test_how_this_works_says_what_is_kept_as_the_setting_stands(monkeypatch, days, says):
    from web.chat import how_it_works

    monkeypatch.setenv("QA_QUESTIONS_LOG_DAYS", days)
    text = " ".join(how_it_works().split())
    assert says in text and "no IP address, no cookie or session id" in text
