"""Staff statistics over the questions log (qa/question_stats.py): one question asked in other words is one group,
with the real embedding model; refused groups export as gold questions `qa eval` reads."""
from __future__ import annotations

import json

import pytest

from qa.evaluation import load_gold
from qa.question_stats import by_day, cited_reports, failed, gold_rows, group_questions
from qa.questions_log import LoggedQuestion

SOURDOUGH = ["What is the recipe for a good sourdough bread?", "How do I bake sourdough bread?", "sourdough bread recipe?",
             "How do I bake sourdough bread"]
WORLD_CUP = ["Who won the 2018 World Cup?", "Which team won the football world cup in 2018?"]
OTHER = "Who prepared the report?"


def _rows(questions: list[str], answered: bool = False, day: str = "2026-11-01", rating=None) -> list[LoggedQuestion]:
    return [LoggedQuestion(n, f"{day}T10:00:00+00:00", q, "", answered, 0.2, [], rating) for n, q in enumerate(questions)]


@pytest.mark.slow
def test_one_question_asked_in_other_words_is_one_group(embedder):
    rows = _rows(SOURDOUGH + WORLD_CUP + [OTHER])
    groups = group_questions(rows, embedder)
    assert [(g.count, sorted(g.wordings)) for g in groups] == [
        (4, sorted(set(SOURDOUGH))), (2, sorted(WORLD_CUP)), (1, [OTHER])]
    assert groups[0].wordings[-1] == "How do I bake sourdough bread"  # kept as asked: only the vector is shared
    assert group_questions([], embedder) == []


def test_failed_questions_are_the_refused_and_the_rated_down():
    rows = _rows(["Refused?"]) + _rows(["Answered, liked?"], answered=True, rating="up") + _rows(
        ["Answered, disliked?"], answered=True, rating="down")
    assert [r.question for r in failed(rows)] == ["Refused?", "Answered, disliked?"]


def test_answer_rate_thumbs_and_citations_by_day():
    cited = [{"doc_id": "d1", "title": "Report one"}]
    rows = (_rows(["a", "b"], answered=True, day="2026-11-01", rating="up")
            + _rows(["c"], day="2026-11-01", rating="down") + _rows(["d"], day="2026-11-02"))
    rows[0].cited = rows[1].cited = cited
    days = by_day(rows)
    assert [(d.day, d.questions, round(d.answer_rate, 2), d.thumbs_up_share) for d in days] == [
        ("2026-11-01", 3, 0.67, 2 / 3), ("2026-11-02", 1, 0.0, None)]
    (report,) = cited_reports(rows)
    assert (report.doc_id, report.title, report.times_cited, report.share_of_answers) == ("d1", "Report one", 2, 1.0)


@pytest.mark.slow
def test_a_refused_group_exports_as_gold_questions_qa_eval_reads(tmp_path, embedder):
    (group,) = group_questions(_rows(SOURDOUGH[:2] + SOURDOUGH[:1]), embedder)
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in gold_rows(group, "refused-30d")))
    gold = load_gold(path)
    assert [(g.question, g.answerable) for g in gold] == [(SOURDOUGH[0], False), (SOURDOUGH[1], False)]
    assert [g.id for g in gold] == ["refused-30d-what-is-the-recipe-for-a-1", "refused-30d-what-is-the-recipe-for-a-2"]
