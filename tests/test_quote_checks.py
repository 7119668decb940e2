"""What a quote must hold to answer, on hand-made passages: a year the question asks about (a passage that never
mentions it loses to one that does), the date a short line above it gives (quoted with it), something beyond the
question's own words (a name line or a measure's label that repeats the question answers nothing), and a figure
that is not a span of years."""
from __future__ import annotations

import numpy as np

from fake_passages import following, passage
from qa.answer_key import lacks_asked_kind
from qa.extract import best_span
from qa.pipeline import echoes
from qa.retriever import Candidate

NOTHING_FOLLOWS = following()


def candidate(p, score: float, dense: list[float], lexical: list[float] | None = None) -> Candidate:
    return Candidate(p, score, {}, np.array(dense, dtype=np.float32), lexical or [0.0] * len(dense))


def test_a_passage_that_never_mentions_the_asked_year_loses_to_one_that_does():
    question = "What was the average processing time in 2012?"
    other_years = passage([["In 2016, the average processing time was 54 days."]], id=1)
    asked_year = passage([["In 2012, the average processing time was 173 days."]], id=2)
    candidates = [candidate(other_years, 1.0, [0.70]), candidate(asked_year, 1.0, [0.62])]
    assert best_span(candidates, NOTHING_FOLLOWS, question).text == other_years.text  # likeness alone
    span = best_span(candidates, NOTHING_FOLLOWS, question, asked_years=frozenset({"2012"}))
    assert span.text == asked_year.text
    # a table under a heading that names the year mentions it
    under = passage([["Average processing time | 173 | 54"]], id=3, heading="FY 2012-FY 2016 Trend")
    span = best_span([candidate(under, 1.0, [0.70]), candidate(asked_year, 1.0, [0.62])], NOTHING_FOLLOWS, question,
                     asked_years=frozenset({"2012"}))
    assert span.candidate.passage.id == 3


def test_a_short_date_line_above_a_sentence_without_a_date_is_quoted_with_it():
    p = passage([["Tuesday, January 13, 2009"], ["The matter came on for oral argument before the Court."]])
    span = best_span([candidate(p, 1.0, [0.3, 0.8])], NOTHING_FOLLOWS, "When was the argument held?")
    assert span.text == "Tuesday, January 13, 2009\n\nThe matter came on for oral argument before the Court."
    # a question that asks no date quotes the sentence alone
    assert best_span([candidate(p, 1.0, [0.3, 0.8])], NOTHING_FOLLOWS, "Where was the argument held?").text == (
        "The matter came on for oral argument before the Court.")


def test_a_quote_made_of_the_questions_own_words_echoes_it():
    assert echoes("U.S. Department of Veterans Affairs", "What are the strategic goals of the Department of Veterans Affairs?")
    assert echoes("Average number of days to pay claims", "What was the average number of days to pay claims in 2013?")
    assert echoes("Mission", "What is the mission of the Department of Labor?")
    # a vision that uses the organisation's words in its own order says something
    assert not echoes("A secure Homeland", "What is the vision of the Department of Homeland Security?")
    assert not echoes("The average was 3.9 days.", "What was the average number of days to pay claims?")
    # a table row's figures say what the question asks, however short they are
    assert not echoes("Rail | 6 | 8 | 7 | 9 | 6", "How did the number of rail investigations in 2020 compare with 2024?")


def test_a_span_of_years_is_no_figure():
    plan = "The Strategic Plan covers FY 2022–2026."
    assert lacks_asked_kind("What uninsured rate does the department aim for by 2026?", plan)
    assert not lacks_asked_kind("What uninsured rate does the department aim for by 2026?",
                                "The department aims for an uninsured rate of 7 percent by 2026.")
