"""Follow-up questions are read in the light of the earlier turns; standalone ones are not."""
from __future__ import annotations

import pytest

from qa.conversation import leans_on_history, ordinal_reference
from qa.pipeline import QAPipeline


@pytest.mark.parametrize(
    "question, position",
    [("What about the second one?", 2), ("and the last point?", -1), ("Tell me about item 3", 3),
     ("What is the fourth takeaway?", 4), ("Who prepared the report?", None)],
)
def test_ordinal_reference(question, position):
    assert ordinal_reference(question) == position


@pytest.mark.parametrize(
    "question, leans",
    [("What about Japan?", True), ("What can it facilitate?", True), ("And who wrote it?", True),
     ("Why?", True), ("What was the target?", True), ("Who prepared the report?", False),
     ("Which countries did the experts come from?", False)],
)
def test_leans_on_history(question, leans):
    assert leans_on_history(question) is leans


@pytest.fixture(scope="module")
def pipeline(seed_index, embedder):
    return QAPipeline(seed_index, embedder)


def test_second_one_means_the_second_item_of_the_earlier_list(pipeline):
    answer = pipeline.ask("What about the second one?", ["What obstacles hinder cooperation in space?"])
    assert answer.answer.startswith("Second, the divide between “technology” and “politics” inhibits multilateral cooperation.")
    assert not answer.abstained and answer.citations


def test_fourth_takeaway(pipeline):
    answer = pipeline.ask("What does the fourth one say?", ["What are the four key takeaways of the APSDD?"])
    assert answer.answer.startswith("(4) Diversifying outreach to new and emerging players")


def test_what_about_keeps_the_earlier_topic(pipeline):
    answer = pipeline.ask("What about Japan?", ["What time did the event start in Hawaii?"])
    assert "Japan: 9:00 AM on December 2, 2020" in answer.answer


def test_pronoun_follow_up(pipeline):
    answer = pipeline.ask("What can it facilitate?", ["What does the report say about Track 2 diplomacy?"])
    assert "norm-building, confidence-building, and trust" in answer.answer


def test_standalone_question_ignores_unrelated_history(pipeline):
    alone = pipeline.ask("Who prepared the report?")
    after = pipeline.ask("Who prepared the report?", ["What are the four key takeaways of the APSDD?"])
    assert after.answer == alone.answer == "This report was prepared by Mark Manantan."
