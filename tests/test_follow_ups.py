"""A follow-up that points into the list an earlier answer quoted ("What about the second one?"), on hand-made
passages: the conversation reads the position, the reader cuts that item, its explanation included, out of the
earlier answer; a position the list does not have gets nothing."""
from __future__ import annotations

import numpy as np
import pytest

from fake_passages import following, passage
from qa.conversation import leans_on_history, ordinal_reference
from qa.extract import best_span, enumeration_item
from qa.retriever import Candidate

TAKEAWAYS = passage([["The dialogue drew four key takeaways.", "(1) Build trust between agencies.",
                      "It starts with shared data.", "(2) Share launch notices.", "(3) Train new diplomats."]],
                    id=1, ordinal=0)
# the list runs on into the report's next passage, in a paragraph of its own
LAST = passage([["(4) Reach out to new players."], ["The annex lists the participants."]], id=2, ordinal=1,
               start=TAKEAWAYS.end + 1)


@pytest.fixture
def list_answer():
    """The earlier answer: the sentence introducing the list, run on to its last item."""
    candidate = Candidate(TAKEAWAYS, 1.0, {}, np.array([0.9, 0.1, 0.1, 0.1, 0.1]), [0.0] * 5)
    span = best_span([candidate], following(TAKEAWAYS, LAST))
    assert span.text.endswith("(4) Reach out to new players.")
    return span


@pytest.mark.parametrize("question, item", [
    ("What about the second one?", "(2) Share launch notices."),
    ("Tell me about item 3", "(3) Train new diplomats."),
    ("and the last point?", "(4) Reach out to new players."),
    # an item's explanation goes with it, up to the next item
    ("What does the first takeaway say?", "(1) Build trust between agencies. It starts with shared data."),
])
def test_a_follow_up_gets_the_item_it_points_at(list_answer, question, item):
    assert leans_on_history(question)
    found = enumeration_item(list_answer, ordinal_reference(question))
    assert found.text == item
    assert found.candidate is list_answer.candidate  # cited as the earlier answer was


def test_the_last_item_is_cited_from_the_passage_it_is_in(list_answer):
    last = enumeration_item(list_answer, -1)
    assert [(piece.passage.id, piece.first, piece.last) for piece in last.pieces] == [(2, 0, 0)]


@pytest.mark.parametrize("position", [5, 0])
def test_a_position_the_list_does_not_have_gets_nothing(list_answer, position):
    assert enumeration_item(list_answer, position) is None


def test_an_answer_that_is_no_list_has_no_items():
    plain = passage([["Mark Manantan prepared the report."]])
    span = best_span([Candidate(plain, 1.0, {}, np.array([0.9]), [0.0])], following())
    assert enumeration_item(span, 2) is None


@pytest.mark.parametrize("question", ["Who prepared the report?", "Which countries did the experts come from?"])
def test_a_question_that_stands_alone_points_at_no_item(question):
    assert ordinal_reference(question) is None and leans_on_history(question) is False
