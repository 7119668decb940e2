"""A question that names an organisation is not answered from a report that never mentions it: the names read by
their form on text alone, then refusals and answers over a small library of two departments' plans with the real
model, FAISS and SQLite."""
from __future__ import annotations

import pytest

from qa.organisations import named_organisations, spellings
from qa.pipeline import QAPipeline
from small_library import small_library


def test_organisations_are_read_by_their_form():
    assert named_organisations("What is the Department of Energy's mission?") == ["Department of Energy"]
    assert named_organisations("How many passports did the State Department issue in 2021?") == ["State Department"]
    assert named_organisations("What is GSA's plan for the new FBI headquarters?") == ["GSA", "FBI"]
    assert named_organisations("Who heads the Office of the Inspector General?") == ["Office of the Inspector General"]
    assert named_organisations("What does the Department of Health and Human Services fund?") == [
        "Department of Health and Human Services"]
    # Two names joined by "and the"; a lone institution word names nothing.
    assert named_organisations("Did the Office for Civil Rights and the Department agree?") == ["Office for Civil Rights"]


def test_people_places_and_abbreviations_that_name_no_organisation_are_not_read_as_one():
    assert named_organisations("In the report on the incident near Millbrook, what was the cause?") == []
    assert named_organisations("What was Apple's iPhone revenue in Q2 2023?") == []
    assert named_organisations("What changed after World War II in the US?") == []
    assert named_organisations("What was the FY 2016 target?") == []
    assert named_organisations("Which department answers for this?") == []
    assert named_organisations("space* OR NEAR(debris") == []
    assert named_organisations("Who signed Borealis's Q1 2023 report as CFO?") == []
    # a currency, which the report may write out ("US dollars")
    assert named_organisations("What was the Harbor Foundation's investment income for 2019 (thousands of USD)?") == [
        "Harbor Foundation"]


def test_a_name_is_also_looked_for_from_its_institution_word_on():
    assert spellings("U.S. Office of Personnel Management") == ["U.S. Office of Personnel Management",
                                                                "Office of Personnel Management"]
    assert spellings("State Department") == ["State Department"]


PLAN = """---
title: {name} Strategic Plan 2022-2026
publisher: {name}
date: 2022-03-28
---

{name} Strategic Plan 2022-2026

Mission

{mission}

Strategic goals

The {short} pursues three strategic goals: {goals}. Each goal has a named lead and yearly milestones.

Working with partners

The {short} works with state and local governments, universities and industry to deliver its programs.
"""


@pytest.fixture(scope="module")
def plans(tmp_path_factory, embedder) -> QAPipeline:
    return small_library(tmp_path_factory.mktemp("plans"), embedder, {
        "transport.md": PLAN.format(
            name="Department of Transportation", short="Department",
            mission="The mission of the Department of Transportation is to deliver the world's leading transportation "
                    "system, serving the American people and economy through the safe, efficient movement of goods.",
            goals="safety, economic strength and climate action"),
        "agriculture.md": PLAN.format(
            name="Department of Agriculture", short="Department",
            mission="The mission of the Department of Agriculture is to serve all Americans by providing effective, "
                    "innovative, science-based public policy leadership in agriculture, food and nutrition.",
            goals="rural prosperity, food security and forest health")})


@pytest.mark.slow
def test_a_department_no_report_mentions_is_refused(plans):
    answer = plans.ask("What is the Department of Energy's mission?")
    assert answer.abstained, answer.answer
    assert plans.ask("What are the strategic goals of the Department of Veterans Affairs?").abstained


@pytest.mark.slow
def test_a_department_the_library_holds_is_answered(plans):
    answer = plans.ask("What is the Department of Transportation's mission?")
    assert not answer.abstained
    assert "deliver the world's leading transportation system" in answer.answer
    assert answer.citations[0].title.startswith("Department of Transportation")
    answer = plans.ask("What is the mission of the Department of Agriculture?")
    assert not answer.abstained and "science-based public policy" in answer.answer


@pytest.mark.slow
def test_the_evidence_names_the_unmentioned_organisation(plans):
    from qa.extract import best_span

    question = "What is the Department of Energy's mission?"
    result = plans.run(question)
    span = best_span(result.candidates[:3], plans.index.following_passages, question)
    assert plans.evidence(span, result.query, question)["unmentioned_organisation"] == 1.0
    asked = "What is the Department of Agriculture's mission?"
    result = plans.run(asked)
    assert plans.evidence(result.span, result.query, asked)["unmentioned_organisation"] == 0.0
    # an acronym the report never writes, whose words its cover spells out
    abbreviated = "What is the DOT's mission?"
    result = plans.run(abbreviated)
    assert plans.evidence(result.span, result.query, abbreviated)["unmentioned_organisation"] == 0.0
    assert plans.evidence(result.span, result.query, "What is the DOE's mission?")["unmentioned_organisation"] == 1.0
