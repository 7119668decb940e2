"""Numbered items ("the second strategic goal", "finding 2"): which item a question asks for and which heading
numbers it, on text alone; then answered from a small strategic plan with the real model, FAISS and SQLite."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.pipeline import add_files
from qa.numbered import (asked_item, asked_item_by_subject, asked_items, first_numbered, numbered_headings, numbers_item,
                         on_subject)
from qa.pipeline import QAPipeline
from pdfs import write_layout_pdf


def test_the_item_a_question_asks_for():
    assert asked_item("What is the first strategic goal of HHS?") == (1, "goal")
    assert asked_item("And its third key finding?") == (3, "finding")
    assert asked_item("What does recommendation 2 say?") == (2, "recommendation")
    assert asked_item("What are its priorities?") is None
    # A quarter, a time or a list of the first few are no numbered item.
    assert asked_item("What was revenue in the first quarter?") is None
    assert asked_item("When did the board first meet?") is None
    assert asked_item("What are the first two goals?") is None


def test_a_question_asking_for_every_item():
    assert asked_items("What are the strategic goals of HHS?") == "goal"
    assert asked_items("List the report's recommendations.") == "recommendation"
    assert asked_items("What were its priorities?") == "priority"
    assert asked_items("How many goals does the plan have?") is None
    assert asked_items("What is the first goal?") is None


def test_a_question_asking_for_one_item_by_its_subject():
    assert asked_item_by_subject("What is DOT's safety goal?") == "goal"
    assert asked_item_by_subject("What's the Labor Department's goal for statistics?") == "goal"
    assert asked_item_by_subject("What was the review's recommendation on staffing?") == "recommendation"
    assert asked_item_by_subject("Which goal of the Department of Commerce covers climate?") == "goal"
    assert asked_item_by_subject("What strategic objective covers data?") == "objective"
    # By number, every item, or no item asked for: not by subject.
    assert asked_item_by_subject("What is the first strategic goal of HHS?") is None
    assert asked_item_by_subject("What are the strategic goals of HHS?") is None
    assert asked_item_by_subject("How many goals does the plan have?") is None
    assert asked_item_by_subject("Did DOT meet its safety goal?") is None


def test_the_numbered_heading_on_a_subject():
    plan = ["Mission", "2. Jobs, Protections & Workplaces", "2.2. Workers' Rights", "3. Safety Net",
            "4. Statistics & Analyses", "Appendix", "2. Glossary"]
    # Goal 1's heading was lost: the others still count, each number once, objectives not at all.
    numbered = first_numbered(plan, "goal")
    assert numbered == [1, 3, 4]
    headings = [plan[i] for i in numbered]
    assert on_subject(headings, {"statist": 2.0}) == 2
    assert on_subject(headings, {"safeti": 2.0, "net": 1.0}) == 1
    assert on_subject(headings, {"parking": 2.0}) is None  # no heading names it
    assert on_subject(["1. Safety Roads", "2. Safety Rail"], {"safeti": 1.0}) is None  # two name it alike
    # Headings that name the item are the series when there are any.
    assert first_numbered(["1. Introduction", "Goal 1: Open access", "Goal 2: Keep records"], "goal") == [1, 2]


def test_the_headings_of_a_numbered_series():
    plan = ["Mission", "1. Safety", "1.1. Roads", "2. Economy", "2.1. Jobs", "3. Equity", "Appendix", "1. Glossary"]
    assert numbered_headings(plan, "goal", 2) == [3]
    assert numbered_headings(plan, "goal") == [1, 3, 5]
    # Headings that name the item win over bare numbers; a series needs two.
    named = ["1. Introduction", "Goal 1: Open access", "2. Background", "Goal 2: Keep records"]
    assert numbered_headings(named, "goal") == [1, 3]
    assert numbered_headings(["1. Safety", "Annex"], "goal") == []


def test_the_heading_that_numbers_an_item():
    assert numbers_item("Strategic Goal 2: Grow an Inclusive Economy", 2, "goal") == 2
    assert numbers_item("Finding 2. Launch costs fell", 2, "finding") == 2
    assert numbers_item("2. Economy — Grow an inclusive and sustainable economy", 2, "goal") == 1
    assert numbers_item("2) Economy", 2, "goal") == 1
    # An objective under the goal, another number, a year: none numbers goal 2.
    assert numbers_item("2.1. Jobs & Economies", 2, "goal") == 0
    assert numbers_item("12. Appendix", 2, "goal") == 0
    assert numbers_item("Goal 2.1 Jobs", 2, "goal") == 0
    assert numbers_item("2020 Goals", 2, "goal") == 0
    # A protocol's "1. Purpose" is its section 1, not its first step; a step is numbered as one.
    assert numbers_item("1. Purpose", 1, "section") == 1
    assert numbers_item("1. Purpose", 1, "step") == 0
    assert numbers_item("Step 1: Isolate the circuit", 1, "step") == 2
    # Headings read in a row: one left at the foot of the page before stands ahead of the goal's own.
    assert numbers_item("Equity — 1. Climate Change — Tackle the Climate Crisis", 1, "goal") == 1
    assert numbers_item("Performance Indicators — Performance Goal 1.2.2.1 Adaptation Plans", 1, "goal") == 0


def _plan(path: Path) -> Path:
    """A strategic plan as such plans print it: each goal a bold numbered heading over its statement, then its
    objectives numbered "1.1."; a mission before them."""
    def heading(text: str, y: float) -> tuple:
        return (text, 72, y, 16, "bold")

    def lines(texts: list[str], top: float) -> list[tuple]:
        return [(text, 72, top - 14 * i, 11) for i, text in enumerate(texts)]

    cover = [("Harbor Institute Strategic Plan 2024-2028", 110, 600, 24),
             heading("Mission", 500)] + lines([
                 "The institute keeps the harbor's records and makes them open to everyone who asks, in person and",
                 "online, and it will go on doing so for as long as the harbor keeps records.",
             ], 470)
    goals = []
    for number, name, statement, body, objective in (
        (1, "Access", "Open the collections to every reader",
         ["The institute will digitise its maps and letters so that readers far from the harbor can study them",
          "at home, and it will answer every request for a copy within a week."],
         "Extend the reading rooms' hours to the evenings and weekends by the second year of the plan."),
        (2, "Stewardship", "Preserve the records for the next century",
         ["Paper decays, and the institute will move its oldest letters into cool, dry storage before they",
          "are read again, and mend the bindings of the ledgers that are falling apart."],
         "Build a climate-controlled store for the ledgers of the nineteenth century by the end of the plan."),
    ):
        goals.append([heading(f"{number}. {name}", 700), heading(statement, 676)] + lines(body, 646)
                     + [heading(f"{number}.1. Objective", 580)] + lines([objective], 550))
    return write_layout_pdf(path, [cover, *goals], title="Harbor Institute Strategic Plan 2024-2028")


@pytest.fixture(scope="module")
def plan(tmp_path_factory, embedder) -> QAPipeline:
    folder = tmp_path_factory.mktemp("plan")
    _plan(folder / "strategic-plan.pdf")
    index = tmp_path_factory.mktemp("plan-index") / "index"
    assert all(r.status == "added" for r in add_files([folder], index, embedder=embedder, progress=False))
    return QAPipeline(index, embedder)


@pytest.mark.slow
def test_a_numbered_goal_is_quoted_with_its_heading(plan):
    answer = plan.ask("What is the second strategic goal of the Harbor Institute?")
    assert not answer.abstained
    assert answer.answer.startswith("2. Stewardship") and "Preserve the records for the next century" in answer.answer
    citation = answer.citations[0]
    assert citation.passage[citation.start : citation.end] == answer.answer  # verbatim, heading included
    assert "numbered item" in answer.why
    follow_up = plan.ask("And its first goal?", ["What is the mission of the Harbor Institute?"])
    assert "Open the collections to every reader" in follow_up.answer


@pytest.mark.slow
def test_a_goal_asked_for_by_its_subject_is_quoted_with_its_heading(plan):
    answer = plan.ask("What is the Harbor Institute's goal on stewardship?")
    assert answer.answer.startswith("2. Stewardship") and "Preserve the records for the next century" in answer.answer
    assert "numbered item" in answer.why
    # A subject no goal's heading names is left to the reader, not pinned on a goal.
    assert not plan.ask("What is the Harbor Institute's goal on parking?").answer.startswith(("1. Access", "2. Stewardship"))


@pytest.mark.slow
def test_the_goals_are_listed_in_order_each_with_its_citation(plan):
    answer = plan.ask("What are the strategic goals of the Harbor Institute?")
    assert answer.answer.startswith("1. Access") and answer.answer.index("Open the collections") < answer.answer.index(
        "2. Stewardship") < answer.answer.index("Preserve the records for the next century")
    assert "1.1." not in answer.answer  # objectives are not goals
    assert [c.page for c in answer.citations] == [2, 3]
    second = plan.ask("What about the second one?", ["What are the strategic goals of the Harbor Institute?"])
    assert second.answer.startswith("2. Stewardship") and [c.page for c in second.citations] == [3]


@pytest.mark.slow
def test_a_goal_the_plan_does_not_number_or_another_organisation_has_is_not_made_up(plan):
    answer = plan.ask("What is the fifth strategic goal of the Harbor Institute?")
    assert "Stewardship" not in answer.answer and "1. Access" not in answer.answer
    assert plan.ask("What is the first strategic goal of the Department of Energy?").abstained
