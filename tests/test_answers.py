"""Questions in, verbatim cited answers out, through the pipeline and the `qa` command."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from qa.pipeline import QAPipeline


@pytest.fixture(scope="module")
def pipeline(seed_index, embedder):
    return QAPipeline(seed_index, embedder)


def test_obstacles_question_quotes_the_reports_obstacles(pipeline):
    answer = pipeline.ask("What obstacles hinder cooperation in space?")
    assert not answer.abstained
    assert "serious obstacles for international cooperation abound" in answer.answer
    assert "First, the lack of transparency" in answer.answer
    (citation,) = answer.citations
    assert citation.title.startswith("2020 Asia Pacific Space Diplomacy Dialogue")
    assert citation.page == 1
    # the answer is verbatim text, located exactly inside the cited passage
    assert citation.passage[citation.start : citation.end] == answer.answer


def test_factoid_answer(pipeline):
    answer = pipeline.ask("Who prepared the report?")
    assert answer.answer == "This report was prepared by Mark Manantan."
    assert answer.confidence > 0.6


def test_off_topic_question_is_refused(pipeline):
    answer = pipeline.ask("Which team won Super Bowl 50?")
    assert answer.abstained and answer.citations == []
    assert answer.related, "an abstention still lists the nearest passages"


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
    assert c["passage"][c["start"] : c["end"]] == data["answer"]
