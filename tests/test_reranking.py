"""How retrieval reranks its pool (qa/retriever.py), on hand-made passages: the pool is both searches' hits, and a
passage wins on the evidence of its sentences, its words, its heading, its report's title and the reports a question
prefers; a passage removed since the search is skipped."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest

from fake_passages import axis, passage
from ingest.text import stem, stem_sequence
from qa.retriever import PREFER_WEIGHT, WEIGHTS, HybridRetriever


@dataclass
class _Report:
    title: str


class _Library:
    """What HybridRetriever reads of an index, over a few passages held in memory: dense search is a dot product,
    lexical search lists the passages holding a searched word, each with a given BM25 score."""

    generation = 1

    def __init__(self, passages, titles: dict[str, str] | None = None, bm25: dict[int, float] | None = None):
        self.by_id = {p.id: p for p in passages}
        self.titles = titles or {}
        self.bm25 = bm25 or {}
        self.removed: set[int] = set()

    def passage_count(self) -> int:
        return len(self.by_id)

    def document_frequencies(self, terms):
        return {t: sum(t in p.stem_sequence for p in self.by_id.values()) for t in terms}

    def _within(self, within):
        return [p for p in self.by_id.values() if within is None or p.doc_id in within]

    def dense_search(self, vector, k, within=None):
        found = sorted(((p.id, float(p.vector @ vector)) for p in self._within(within)), key=lambda h: -h[1])
        return [hit for hit in found if hit[1] > 0][:k]

    def lexical_search(self, match, k, within=None):
        words = {stem(w.strip('"')) for w in match.split(" OR ")} if match else set()  # FTS5's porter tokenizer
        return [(p.id, self.bm25.get(p.id, 1.0)) for p in self._within(within)
                if words & set(stem_sequence(p.text))][:k]

    def lexical_search_also_within(self, match, k, within):
        return self.lexical_search(match, k), self.lexical_search(match, k, within)

    def passages(self, ids):
        return {i: self.by_id[i] for i in ids if i in self.by_id and i not in self.removed}

    def document(self, doc_id):
        return _Report(self.titles.get(doc_id, doc_id))


def _ranked(library: _Library, question: str, vector, **options) -> list[int]:
    retriever = HybridRetriever(library)
    return [c.passage.id for c in retriever.retrieve(retriever.prepare(question, vector), **options)]


def test_one_close_sentence_beats_a_loose_likeness_all_over():
    # both passages lie along the question's topic; only the first has a sentence that says what is asked
    close = passage([["Ports opened in spring.", "Dredging costs rose by a third."]], id=1, vector=axis(1, 0.5),
                    sentence_vectors=[axis(2), axis(1, 0.95)])
    # the same words of the question as the first, and more like it as a whole
    loose = passage([["Dredging costs of ports rose.", "Ports opened in spring."]], id=2, vector=axis(1, 0.7),
                    sentence_vectors=[axis(1, 0.6), axis(1, 0.6)])
    library = _Library([close, loose])
    assert _ranked(library, "How much did dredging costs rise?", axis(1)) == [1, 2]
    retriever = HybridRetriever(library)
    best = retriever.retrieve(retriever.prepare("How much did dredging costs rise?", axis(1)))[0]
    assert best.features["sentence_dense"] == pytest.approx(0.95)
    assert best.sentence_dense_scores.tolist() == pytest.approx([0.0, 0.95])
    assert best.sentence_lexical_scores[1] > best.sentence_lexical_scores[0] == 0.0


def test_a_passage_only_lexical_search_finds_joins_the_pool():
    unlike = passage([["The Tidewater Foundation funded the harbour survey."]], id=1, vector=axis(3))
    like = passage([["Surveys of harbours are funded in many ways."]], id=2, vector=axis(1, 0.4),
                   sentence_vectors=[axis(1, 0.4)])
    ranked = _ranked(_Library([unlike, like]), "Which foundation funded the survey?", axis(1))
    assert ranked == [1, 2]  # found by its words alone, and first on them


def test_the_passage_under_a_heading_that_names_the_question_wins():
    # the other is a little more alike to the question as vectors go; only the heading names what is asked
    headed = passage([["To deliver clean water to every village."]], id=1, heading="Mission", vector=axis(1, 0.5))
    other = passage([["The office delivers reports every year."]], id=2, vector=axis(1, 0.55))
    assert _ranked(_Library([headed, other]), "What is the agency's mission?", axis(1)) == [1, 2]


def test_a_reports_title_lends_its_words_to_its_passages():
    a = passage([["Budgets grew by four percent."]], id=1, doc_id="a", vector=axis(1, 0.55))
    b = passage([["Budgets grew by four percent."]], id=2, doc_id="b", vector=axis(1, 0.5))
    library = _Library([a, b], titles={"a": "Annual Report", "b": "Harbour Budget Review"})
    assert _ranked(library, "How did budgets grow in the harbour review?", axis(1)) == [2, 1]


def test_a_preferred_report_gains_its_weight_times_the_preference_weight():
    a = passage([["The council approved the plan."]], id=1, doc_id="a")
    b = passage([["The council approved the plan."]], id=2, doc_id="b")
    library = _Library([a, b])
    retriever = HybridRetriever(library)
    query = retriever.prepare("Did the council approve the plan?", axis(1))
    plain = {c.passage.id: c.score for c in retriever.retrieve(query)}
    assert plain[1] == pytest.approx(plain[2])
    preferred = retriever.retrieve(query, prefer={"b": 0.5})
    assert [c.passage.id for c in preferred] == [2, 1]
    assert preferred[0].score - preferred[1].score == pytest.approx(PREFER_WEIGHT * 0.5)


def test_within_keeps_to_the_reports_named():
    a = passage([["The council approved the plan."]], id=1, doc_id="a", vector=axis(1))
    b = passage([["The council approved the plan."]], id=2, doc_id="b", vector=axis(1))
    assert _ranked(_Library([a, b]), "Did the council approve the plan?", axis(1), within=["b"]) == [2]


def test_a_passage_removed_since_the_search_is_skipped_and_k_cuts_the_list():
    passages = [passage([[f"Harbour {n} was dredged."]], id=n, vector=axis(1, 1 - n / 10)) for n in range(1, 6)]
    library = _Library(passages)
    library.removed = {2}
    assert _ranked(library, "Which harbour was dredged?", axis(1), k=3) == [1, 3, 4]


def test_the_score_is_the_weighted_sum_of_the_features():
    p = passage([["Dredging costs rise by a third each year."]], id=1, vector=axis(1, 0.5), sentence_vectors=[axis(1, 0.8)])
    retriever = HybridRetriever(_Library([p]))
    (c,) = retriever.retrieve(retriever.prepare("Do dredging costs rise?", axis(1)))
    assert set(c.features) == set(WEIGHTS)
    assert c.features["dense"] == pytest.approx(0.5) and c.features["bm25"] == 1.0
    assert c.features["bigram"] == 1.0  # "dredg cost" and "cost rise" are both in the passage
    assert c.score == pytest.approx(sum(WEIGHTS[name] * value for name, value in c.features.items()))
    assert np.isfinite(c.score)
