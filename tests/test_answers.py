"""Questions in, verbatim cited answers out, through the pipeline and the `qa` command."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from qa.models import NOT_FOUND
from qa.pipeline import MAX_QUESTION_CHARS, QAPipeline


@pytest.fixture(scope="module")
def pipeline(seed_index, embedder):
    return QAPipeline(seed_index, embedder)


def test_obstacles_question_quotes_the_lead_sentence_of_each_obstacle(pipeline):
    answer = pipeline.ask("What obstacles hinder cooperation in space?")
    assert not answer.abstained
    lines = answer.answer.split("\n")
    assert lines[0] == "Space is a global commons, but serious obstacles for international cooperation abound."
    # the list's three items, though it runs on into the next passage, each by its lead sentence alone
    assert answer.items == lines[1:] and [item.split(",")[0] for item in answer.items] == ["First", "Second", "Third"]
    assert answer.items[1] == "Second, the divide between “technology” and “politics” inhibits multilateral cooperation."
    assert "geopolitical differences" not in answer.answer and "geopolitical differences" in answer.whole
    assert answer.whole.startswith(lines[0]) and answer.whole.endswith("policy development is therefore crucial.")
    assert len(answer.citations) == 4 and {c.passage_id for c in answer.citations} == {5, 6}
    for citation in answer.citations:
        assert citation.title.startswith("2020 Asia Pacific Space Diplomacy Dialogue")
        assert citation.page == 1
        # every cited span is verbatim answer text, located exactly inside its passage
        assert citation.passage[citation.start : citation.end] in answer.answer
    assert "\n".join(c.passage[c.start : c.end] for c in answer.citations) == answer.answer


def test_numbered_list_answer(pipeline):
    answer = pipeline.ask("What are the four key takeaways?")
    assert answer.answer.startswith("Integrating the substantive discussions of the forum")
    assert [item[:3] for item in answer.items] == ["(1)", "(2)", "(3)", "(4)"]
    assert answer.items[2] == "(3) Collaboration will be important to tailor engagements that better serve the target audience."
    assert "rulemaking and partnership in space diplomacy." in answer.whole
    assert "rulemaking and partnership in space diplomacy." not in answer.answer


def test_factoid_answer(pipeline):
    answer = pipeline.ask("Who prepared the report?")
    assert answer.answer == "This report was prepared by Mark Manantan."
    assert answer.confidence > 0.6


def test_off_topic_question_is_refused(pipeline):
    answer = pipeline.ask("Which team won Super Bowl 50?")
    assert answer.abstained and answer.citations == []
    assert answer.related == [], "nothing of the report is near a question about football"
    assert answer.reports_searched == 1 and answer.suggestion is None


def test_empty_question_gets_a_message(pipeline):
    answer = pipeline.ask("   ")
    assert answer.abstained and "question" in answer.answer


def test_qa_ask_json_command(seed_index):
    out = subprocess.run(
        [sys.executable, "-m", "qa.cli", "ask", "--json", "What obstacles hinder cooperation in space?", "--index", str(seed_index)],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONUTF8": "1"},
    ).stdout
    data = json.loads(out)
    assert set(data) >= {"question", "answer", "abstained", "confidence", "citations"}
    assert data["abstained"] is False
    c = data["citations"][0]
    assert set(c) >= {"doc_id", "title", "page", "passage", "start", "end", "score", "source"}
    assert all(c["passage"][c["start"] : c["end"]] in data["answer"] for c in data["citations"])


# Query syntax, markup and odd characters are read as plain words: the lexical search gets the question's words, quoted,
# and the answer is what those words ask for. ``expect``: "refused", a word the quote must hold, or None (no content
# words: nothing to search for).
@pytest.mark.parametrize("question, expect", [
    ('"unbalanced quote', "refused"), ("space* OR NEAR(debris", "space"), ("-cooperation AND", "cooperation"),
    ("()", None), ("😀 space 🚀", "space"), ("מה המכשולים?", "refused"), ("<script>alert(1)</script>", "refused"),
    ("x" * 5000, "refused"), ("\x00\x1f control", "refused"),
])
def test_user_text_never_breaks_the_lexical_query(pipeline, question, expect):
    result = pipeline.run(question)
    match, answer = result.query.match, result.answer
    assert re.fullmatch(r'("\w+"( OR "\w+")*)?', match), match
    if expect is None:
        assert match == ""
    else:
        assert match and all(w.strip('"') in question.lower() for w in match.split(" OR "))
    assert len(answer.question) <= MAX_QUESTION_CHARS
    if expect == "refused":
        # nothing in the report is related to such text: a refusal lists no passages below the related floor
        assert answer.abstained and answer.answer == NOT_FOUND and answer.related == []
    elif expect:
        assert not answer.abstained and expect in answer.answer.lower()
        assert " ".join(c.passage[c.start : c.end] for c in answer.citations) == answer.answer
