"""Hostile questions get a clear message or a normal answer, never an exception: in the pipeline and over /ask."""
from __future__ import annotations

import pytest
from gradio_client import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.models import Answer
from qa.pipeline import MAX_QUESTION_CHARS, QAPipeline

pytestmark = pytest.mark.reliability  # `make reliability` runs these

EMPTY = "Please type a question about the reports."
HOSTILE = {
    "empty": "",
    "whitespace": " \t\n\r\u00a0\u2003 ",
    "100 KB": "What obstacles hinder cooperation in space? " * 2400,
    "control characters": "Who\x00 prepared\x07 the\x1b[31m report\x7f?\x08",
    "emoji": "🚀🛰️ What obstacles hinder cooperation in space? 👩‍🚀🏳️‍🌈",
    "right-to-left": "מי הכין את הדוח? من أعد التقرير؟ \u202eWho prepared the report?\u202c",
    "HTML/JS": '<script>alert(1)</script><img src=x onerror="alert(2)"> Who prepared the report?',
    "quotes": 'Who "prepared the report?',
    "star": "* prepar* *",
    "NEAR": "NEAR(space cooperation, 2",
    "OR": "OR OR AND NOT space OR",
    "minus": "-space -cooperation --",
    "column filter": "text: {passages_fts} ^space :",
    "sql": "'; DROP TABLE passages; --",
    "surrogates and nonchars": "\ufffe\uffff\U0010ffff report",
}


@pytest.fixture(scope="module")
def pipeline(seed_index, embedder):
    return QAPipeline(seed_index, embedder)


def _is_clear(answer: Answer, question: str) -> None:
    assert isinstance(answer.answer, str) and answer.answer.strip()
    assert "Traceback" not in answer.answer
    assert len(answer.question) <= MAX_QUESTION_CHARS
    assert 0.0 <= answer.confidence <= 1.0
    if not " ".join(question.split()):
        assert answer.answer == EMPTY


@pytest.mark.parametrize("name", HOSTILE)
def test_a_hostile_question_gets_a_message_or_an_answer(pipeline, name):
    _is_clear(pipeline.ask(HOSTILE[name], [HOSTILE[name], "Who prepared it?"]), HOSTILE[name])


# Any text at all, with any earlier questions: the pipeline answers or says why not. The alphabet favours the
# characters with a meaning somewhere below (FTS5 syntax, whitespace, markup) so that examples hit them often.
SYNTAX = st.sampled_from(list('"*()-+:^{}<>&;\'\\ \t\n\x00') + ["NEAR(", " OR ", " AND ", " NOT ", "it", "space"])
TEXT = st.lists(st.one_of(SYNTAX, st.text(max_size=12)), max_size=30).map("".join)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(question=TEXT, history=st.lists(TEXT, max_size=4))
def test_any_text_and_history_get_a_message_or_an_answer(pipeline, question, history):
    _is_clear(pipeline.ask(question, history), question)


def test_the_running_app_answers_hostile_questions_over_its_api(shared_app):
    logged = len(shared_app.log.read_text())
    client = Client(shared_app.url, verbose=False)
    for name, question in HOSTILE.items():
        answer = client.predict(question, [question], api_name="/ask")
        assert answer["answer"].strip() and "Traceback" not in answer["answer"], name
    assert client.predict("Who prepared the report?", [], api_name="/ask")["abstained"] is False
    assert "Traceback" not in shared_app.log.read_text()[logged:]
