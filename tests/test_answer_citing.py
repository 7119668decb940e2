"""A real answer carries what citing it needs: its report's publisher and authors, and why its confidence is what
it is; and it cites and exports as the formatting promises (the real model, FAISS and SQLite over the seed)."""
from __future__ import annotations

import pytest

from qa.citation_styles import apa
from qa.pipeline import QAPipeline
from qa.transcript import Turn, conversation_markdown

pytestmark = pytest.mark.slow
TITLE = "2020 Asia Pacific Space Diplomacy Dialogue (APSDD): Key Findings"


@pytest.fixture(scope="module")
def pipeline(seed_index, embedder) -> QAPipeline:
    return QAPipeline(seed_index, embedder)


def test_an_answer_cites_its_report_and_says_why_it_is_confident(pipeline):
    answer = pipeline.ask("Who prepared the report?")
    (cited,) = answer.citations
    assert (cited.publisher, cited.authors) == ("Pacific Forum", ["Mark Manantan"])
    assert answer.why.startswith("The quote is") and answer.why.endswith(".") and "\n" not in answer.why
    assert answer.to_dict()["why"] == answer.why and answer.to_dict()["citations"][0]["authors"] == ["Mark Manantan"]
    assert apa(cited, "https://qa.example.org/view/x") == (
        f"Manantan, M. (2020, December 1). {TITLE} (p. 1). Pacific Forum. https://qa.example.org/view/x")


def test_a_refusal_has_no_why_and_a_list_answer_exports_every_quoted_part(pipeline):
    assert pipeline.ask("Which team won Super Bowl 50?").why == ""
    answer = pipeline.ask("What obstacles hinder cooperation in space?")
    assert len(answer.citations) >= 2  # the list runs over passages
    markdown = conversation_markdown([Turn(answer)], lambda c, quoted: f"https://qa.example.org/p{c.passage_id}", "")
    for c in answer.citations:
        first_line = c.passage[c.start:c.end].strip().splitlines()[0]
        assert f"> {first_line[:60]}" in markdown.replace("\\", "")
        assert f"Pacific Forum, 1 December 2020, page {c.page}: <https://qa.example.org/p{c.passage_id}>" in markdown
