"""How the reader reorders retrieval's first passages (qa/extract.py reorder_by_reader), on hand-made passages: by
their score plus their best sentence's own evidence, so that a passage whose one sentence matches the question closely
in meaning and words, and holds the date or figure asked for, comes before one whose likeness is spread over several
sentences."""
from __future__ import annotations

import numpy as np
import pytest

from fake_passages import passage
from qa.extract import READER_WEIGHT, reader_evidence, reorder_by_reader
from qa.retriever import Candidate


def candidate(p, score: float, dense: list[float], lexical: list[float]) -> Candidate:
    return Candidate(p, score, {}, np.array(dense, dtype=np.float32), lexical)


def test_a_passage_whose_one_sentence_holds_both_likenesses_comes_first():
    # retrieval scores the best dense and the best lexical sentence apart: the first passage's are two sentences
    spread = passage([["The league met in New York.", "Bids for the game came from many cities."]], id=1)
    joint = passage([["The league narrowed the bids to three sites.", "Tickets sold out."]], id=2)
    candidates = [candidate(spread, 1.2, [0.8, 0.3], [0.1, 0.7]), candidate(joint, 1.1, [0.75, 0.2], [0.6, 0.0])]
    reordered = reorder_by_reader(candidates, 2, "What three sites did the league narrow the bids to?")
    assert [c.passage.id for c in reordered] == [2, 1]
    assert [c.score for c in reordered] == [1.1, 1.2]  # retrieval's scores, which citations show
    # by READER_WEIGHT times the best sentence's evidence: 0.8 + 0.5 * 0.1 against 0.75 + 0.5 * 0.6
    assert 1.2 + READER_WEIGHT * 0.85 < 1.1 + READER_WEIGHT * 1.05


def test_a_when_question_prefers_the_passage_whose_sentence_holds_a_date():
    undated = passage([["Tesla built the induction motor in his laboratory."]], id=1)
    dated = passage([["In 1887 Tesla developed an induction motor."]], id=2)
    candidates = [candidate(undated, 1.05, [0.8], [0.6]), candidate(dated, 1.0, [0.75], [0.6])]
    assert [c.passage.id for c in reorder_by_reader(candidates, 2, "When did Tesla make the induction motor?")] == [2, 1]
    # asked for no date, the closer sentence keeps its passage first
    assert [c.passage.id for c in reorder_by_reader(candidates, 2, "Where did Tesla make the induction motor?")] == [1, 2]


def test_only_the_first_few_passages_are_reordered():
    first, second, third = (passage([[f"Sentence {n}."]], id=n) for n in (1, 2, 3))
    candidates = [candidate(first, 1.0, [0.1], [0.0]), candidate(second, 0.9, [0.2], [0.0]),
                  candidate(third, 0.8, [0.9], [0.9])]
    assert [c.passage.id for c in reorder_by_reader(candidates, 2, "What?")] == [2, 1, 3]
    assert [c.passage.id for c in reorder_by_reader(candidates, 3, "What?")] == [3, 2, 1]


def test_a_heading_or_table_row_weighs_in_the_order_as_it_weighs_in_the_quote():
    # "Mission / To deliver ...": the sentence under a heading that names what is asked, against one repeating the words
    stated = passage([["To deliver clean water to every village."]], id=1, heading="Mission")
    repeating = passage([["The office supports the agency's mission."]], id=2)
    candidates = [Candidate(repeating, 1.0, {"heading": 0.0}, np.array([0.6], dtype=np.float32), [1.0]),
                  Candidate(stated, 0.95, {"heading": 1.0}, np.array([0.5], dtype=np.float32), [0.6])]
    assert reader_evidence(candidates[1], "What is the mission?") == pytest.approx(0.5 + 0.5 * 0.6 + 0.5 * 1.0)
    assert [c.passage.id for c in reorder_by_reader(candidates, 2, "What is the mission?")] == [1, 2]
