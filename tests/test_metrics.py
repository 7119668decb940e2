"""`qa eval`'s numbers (qa/evaluation.py), worked out by hand on a few rows: SQuAD's F1 and exact match, retrieval's
hit rates and reciprocal rank, refusals' precision and recall, latency percentiles and the answer key's scores."""
from __future__ import annotations

import pytest

from qa.evaluation import Row, f1_score, normalize, summarize


def row(answerable=True, abstained=False, hit=False, f1=0.0, em=0.0, rank=None, latency=10.0, key=None,
        key_scored=False, gold=("Mark Manantan",)) -> Row:
    return Row(id="q", question="?", answerable=answerable, abstained=abstained, answer="" if abstained else "x",
               confidence=0.5, gold=list(gold) if answerable else [], answer_hit=hit, f1=f1, em=em,
               passage_rank=rank, latency_ms=latency, key=key, key_scored=key_scored)


def test_f1_counts_shared_words_after_squad_normalisation():
    assert normalize("The Report, prepared by Mark!") == "report prepared by mark"
    # 2 of 4 predicted words, 2 of 2 gold words: precision 0.5, recall 1, F1 2/3
    assert f1_score("prepared by Mark Manantan", "Mark Manantan") == pytest.approx(2 / 3)
    assert f1_score("Manantan, Mark", "Mark Manantan") == 1.0  # order does not matter
    assert f1_score("a the an", "the") == 0.0  # nothing left after normalisation
    assert f1_score("Mark Mark", "Mark") == pytest.approx(2 / 3)  # a repeated word counts once per gold occurrence


def test_retrieval_hit_rates_and_reciprocal_rank():
    rows = [row(rank=1), row(rank=2), row(rank=5), row(rank=6), row(rank=None),
            row(answerable=False, rank=None)]  # unanswerable rows do not count
    metrics = summarize(rows)
    assert metrics["passage_hit_at_1"] == pytest.approx(1 / 5)
    assert metrics["passage_hit_at_5"] == pytest.approx(3 / 5)
    assert metrics["mrr"] == pytest.approx(round((1 + 1 / 2 + 1 / 5 + 1 / 6) / 5, 4))
    assert metrics["n"] == 6


def test_answer_scores_are_means_over_answerable_questions():
    rows = [row(hit=True, f1=1.0, em=1.0), row(hit=True, f1=0.5), row(f1=0.0), row(answerable=False, hit=True, f1=1.0)]
    metrics = summarize(rows)
    assert metrics["answer_hit_at_1"] == pytest.approx(2 / 3, abs=1e-4)
    assert metrics["f1"] == 0.5 and metrics["em"] == pytest.approx(1 / 3, abs=1e-4)


def test_refusals_precision_and_recall():
    rows = [row(answerable=False, abstained=True), row(answerable=False, abstained=True), row(answerable=False),
            row(abstained=True), row(), row()]
    metrics = summarize(rows)
    assert metrics["abstain_precision"] == pytest.approx(2 / 3, abs=1e-4)  # 2 of the 3 refusals were right to refuse
    assert metrics["abstain_recall"] == pytest.approx(2 / 3, abs=1e-4)  # 2 of the 3 unanswerable ones were refused
    none_refused = summarize([row(), row(answerable=False)])
    assert none_refused["abstain_precision"] is None and none_refused["abstain_recall"] == 0.0


def test_latency_percentiles():
    metrics = summarize([row(latency=float(ms)) for ms in range(1, 101)])
    assert metrics["latency_ms_p50"] == 50.5 and metrics["latency_ms_p95"] == pytest.approx(95.05)


def test_answer_key_scores_count_only_scored_answered_rows():
    rows = [row(key="Mark Manantan", key_scored=True), row(key="by Mark Manantan", key_scored=True),
            row(key=None, key_scored=True), row(abstained=True, key_scored=True),
            row(key="anything", key_scored=False)]  # a gold set of whole sentences: no key scores
    metrics = summarize(rows)
    assert metrics["key_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert metrics["key_em"] == 0.5
    assert metrics["key_f1"] == pytest.approx((1 + 0.8) / 2)
    assert summarize([row()])["key_em"] is None
