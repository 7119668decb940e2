"""The app's own database (qa/appdb.py): named, recorded migrations; an older ratings database adopted as it is; the
ratings and questions-log stores behaving the same on SQLite and on the machine's real PostgreSQL."""
from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import text

from qa.appdb import MIGRATIONS, AppDatabase
from qa.feedback import FeedbackStore
from qa.models import NOT_FOUND, Answer, Citation, ScopedReport, Scope
from qa.questions_log import QuestionsLog
from postgres import private_schema
from test_feedback import LEGACY_SCHEMA


def _answer(question: str = "What is it?") -> Answer:
    cite = Citation("d1", "A report", 2, "Before. The answer, quoted. After.", 8, 27, 0.5, "/r.pdf", passage_id=7)
    return Answer(question, "The answer, quoted.", False, 0.8, citations=[cite])


@pytest.fixture(scope="module")
def postgres_url():
    with private_schema() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    if request.param == "sqlite":
        database = AppDatabase(tmp_path / "app.sqlite")
    else:
        database = AppDatabase(request.getfixturevalue("postgres_url"))
        with database.engine.begin() as conn:  # each test starts empty; the schema is the module's
            conn.execute(text("DELETE FROM feedback"))
            conn.execute(text("DELETE FROM questions"))
    yield database
    database.close()


def test_every_migration_is_applied_once_and_recorded(db):
    names = [m.__name__ for m in MIGRATIONS]
    assert names[:3] == ["m001_feedback", "m002_questions_log", "m003_feedback_handled"]
    assert db.applied() == sorted(names)
    assert db.migrate() == []  # opening it again changes nothing
    assert {"migrations", "feedback", "questions"} <= set(db.tables())


def test_a_ratings_database_from_before_migrations_is_adopted_as_it_is(tmp_path):
    path = tmp_path / "old.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(LEGACY_SCHEMA)
    conn.execute("INSERT INTO feedback (created_at, rating, comment, question, answer, abstained, confidence, citations)"
                 " VALUES ('2025-01-02T03:04:05+00:00', 'down', 'Wrong', 'Who?', 'Her.', 0, 0.4, '[]')")
    conn.commit()
    conn.close()
    store = FeedbackStore(path)
    try:
        (entry,) = store.entries()
        assert (entry.question, entry.rating, entry.comment, entry.handled_at) == ("Who?", "down", "Wrong", None)
        assert store.mark_handled(entry.id)
        assert store.db.applied() == sorted(m.__name__ for m in MIGRATIONS)
    finally:
        store.close()


def test_ratings_are_kept_updated_handled_and_withdrawn(db):
    store = FeedbackStore(db)
    kept = store.record(_answer(), "up")
    gone = store.record(Answer("Off topic?", NOT_FOUND, True, 0.1, related=_answer().citations), "down")
    store.update(kept, rating="down", comment="Wrong page")
    assert [(e.question, e.rating, e.comment) for e in store.entries(rating="down", handled=False)] == [
        ("What is it?", "down", "Wrong page"), ("Off topic?", "down", "")]
    assert store.mark_handled(kept) and not store.mark_handled(kept)  # handled once
    assert [e.id for e in store.entries(handled=True)] == [kept]
    store.withdraw(gone)
    assert [e.id for e in store.entries()] == [kept]


def test_the_questions_log_keeps_answers_and_ratings_and_forgets_old_rows(db, monkeypatch):
    log = QuestionsLog(db)
    scoped = _answer("What did the 2020 dialogue find?")
    scoped.scope = Scope([ScopedReport("d1", "A report", "2020")], "only", inferred=True)
    answered = log.record(scoped)
    log.record(Answer("Off topic?", NOT_FOUND, True, 0.1))
    log.rate(answered, "down")
    log.flush()
    first, second = log.questions()
    assert (first.question, first.answered, first.rating, first.cited) == (
        "What did the 2020 dialogue find?", True, "down", [{"doc_id": "d1", "title": "A report"}])
    assert '"reports": ["d1"]' in first.scope and first.asked_at.endswith(":00:00+00:00")  # to the hour only
    assert (second.answered, second.rating, second.scope, second.cited) == (False, None, "", [])

    monkeypatch.setenv("QA_QUESTIONS_LOG_DAYS", "30")
    assert log.prune(datetime.now(timezone.utc) + timedelta(days=29)) == 0
    assert log.prune(datetime.now(timezone.utc) + timedelta(days=31)) == 2
    assert log.questions() == []
    log.close()


def test_the_database_is_the_sqlite_file_unless_a_url_is_set(tmp_path, monkeypatch, request):
    monkeypatch.setenv("QA_APP_DB", str(tmp_path / "here" / "app.sqlite"))
    default = AppDatabase()
    assert default.path == tmp_path / "here" / "app.sqlite" and default.path.is_file()
    default.close()
    monkeypatch.setenv("QA_DATABASE_URL", request.getfixturevalue("postgres_url"))
    shared = AppDatabase()  # read when called: the same process now opens PostgreSQL
    try:
        assert shared.path is None and shared.engine.dialect.name == "postgresql"
        assert "migrations" in shared.tables()
    finally:
        shared.close()
