"""Signature blocks answer "who signed it": read from the convention (a name, then a title, standing alone) on
text alone, then found in a small library of yearly reports with the real model, FAISS and SQLite."""
from __future__ import annotations

import pytest

from ingest.pipeline import add_files
from pdfs import write_layout_pdf
from qa.pipeline import QAPipeline
from qa.scope import parse
from qa.signatures import asked_office, asked_title, signature_at, signature_title


def test_questions_that_ask_who_signed_or_held_a_title():
    assert asked_title("Who signed the 2018 annual report?") == ""
    assert asked_title("Who was acting director when the 2015 report came out?") == "director"
    assert asked_title("Who is the Secretary of Transportation?") == "secretary"
    assert asked_title("Who chairs the Ellery Hart Foundation?") == "chair"
    assert asked_title("Who did they sign the new cargo contract with?") is None  # a party to it
    assert asked_title("Who signed the contract for the new terminal?") is None
    assert asked_title("Whose performance does the board evaluate?") is None
    assert asked_title("What is the director's first goal?") is None
    # A chief officer: the title reads "Chief ... Officer", and the office says which one.
    assert asked_title("Who signed Borealis's Q1 2023 report as CFO?") == "chief"
    assert [asked_office(q) for q in ("Who signed it as CFO?", "Who signed as the finance chief?",
                                      "Who is the chief executive officer?", "Who signed the report?")] == [
        "financial", "financial", "executive", None]


def test_a_signature_block_is_a_name_then_a_title_standing_alone():
    assert signature_title("Katherine Archuleta Director March 7, 2014") == "director"
    assert signature_title("Beth F. Cobert Acting Director February 9, 2016") == "director"
    assert signature_title("Jane Roe :\n\nSecretary") == "secretary"
    assert signature_title("Dr. Margit Solberg-Hale Director, Northmoor Institute for Maritime Security") == "director"
    # a name written with letters beyond ASCII
    assert signature_title("Dr. Amélie Brandt Chief Executive Officer") == "chief"
    assert signature_title("Łukasz Nowak-Żelazny President") == "president"
    assert signature_title("FEDERAL AVIATION Director") is None  # a heading's capitals, no name
    assert signature_title("Dr. Smith said the Director was late.") is None
    assert signature_title("Director Archuleta has shown personal commitment to engagement.") is None
    assert signature_title("U.S. Department of Veterans Affairs") is None
    assert signature_title("Mary Major President of the board said that the plan had been approved by everyone "
                           "in the room after a long debate.") is None


def test_a_letters_closing_and_the_signers_degrees_are_part_of_the_block():
    """"With gratitude, Margaret Oyelaran, Ph.D." over "Executive Director and ...": a letter's closing before the
    name and degrees after it, the title on the next line."""
    closing = ["With gratitude, Margaret Oyelaran, Ph.D.", "Executive Director and Air Pollution Control Officer"]
    assert signature_at(closing, 0) == (1, "director")
    assert signature_title("Sincerely, Thomas Brennick Executive Director") == "director"
    assert signature_title("Respectfully submitted, Helen Okafor, P.E. Chief Engineer") == "chief"
    assert signature_title("With gratitude, the staff thank our partners and the Director") is None


def test_a_list_of_years_belongs_to_the_reference():
    reference = parse("Who signed the annual reports for 2017, 2018, 2019 and 2020?")
    assert reference.years == [2017, 2018, 2019, 2020] and reference.loose_years == [] and reference.across
    assert reference.ask == "Who signed it?"


REPORT = """---
title: Harbor Institute Annual Report {year}
publisher: Harbor Institute
date: {year_after}-03-02
---

Harbor Institute Annual Report {year}

Message from the Director

This year the institute opened two reading rooms and processed more membership claims than ever before. I am proud
of what our staff achieved, and grateful to our members for their patience while we moved offices.

{signer}

Director

March 2, {year_after}

Membership claims

In {year}, the institute processed {claims} membership claims, most of them within a month.
"""


@pytest.fixture(scope="module")
def yearly(tmp_path_factory, embedder) -> QAPipeline:
    folder = tmp_path_factory.mktemp("yearly")
    for year, signer, claims in ((2020, "Alice B. Carter", "1,450"), (2021, "David Ellis", "1,610")):
        (folder / f"annual-{year}.md").write_text(REPORT.format(year=year, year_after=year + 1, signer=signer,
                                                                claims=claims))
    index = tmp_path_factory.mktemp("yearly-index") / "index"
    assert all(r.status == "added" for r in add_files([folder], index, embedder=embedder, progress=False))
    return QAPipeline(index, embedder)


def test_who_signed_a_named_report(yearly):
    answer = yearly.ask("Who signed the 2021 annual report?")
    assert not answer.abstained and "David Ellis" in answer.answer
    assert answer.citations[0].title == "Harbor Institute Annual Report 2021"
    follow_up = yearly.ask("And the 2020 one?", ["Who signed the 2021 annual report?"])
    assert "Alice B. Carter" in follow_up.answer


def test_who_signed_each_report_in_date_order(yearly):
    answer = yearly.ask("Who signed the annual reports for 2020 and 2021?")
    assert [a.title for a in answer.across] == ["Harbor Institute Annual Report 2020", "Harbor Institute Annual Report 2021"]
    assert "Alice B. Carter" in answer.across[0].answer and "David Ellis" in answer.across[1].answer


def test_the_confidence_says_it_rests_on_a_signature(yearly):
    assert "signature block" in yearly.ask("Who signed the 2021 annual report?").why


@pytest.mark.slow
def test_a_name_printed_in_bold_above_its_title_is_a_signature(tmp_path, embedder):
    """The name's bold line is read as a heading ("Dana Whitfield" over "Director"): the block starts in it."""
    body = [(text, 72, 640 - 14 * i, 11) for i, text in enumerate([
        "The harbor authority inspected every pier this year and found the northern breakwater in need of repair",
        "before the winter storms; the work will be finished by the end of next year, within the budget approved.",
    ])]
    signed = [("Dana Whitfield", 72, 560, 11, "bold"), ("Director", 72, 546, 11),
              ("The authority thanks its inspectors for a year of careful work in every port of the region.", 72, 520, 11)]
    folder = tmp_path / "reports"
    folder.mkdir()
    write_layout_pdf(folder / "review.pdf", [[("Harbor Authority Review 2021", 72, 700, 20)] + body + signed],
                     title="Harbor Authority Review 2021")
    index = tmp_path / "index"
    assert all(r.status == "added" for r in add_files([folder], index, embedder=embedder, progress=False))
    answer = QAPipeline(index, embedder).ask("Who is the director of the harbor authority?")
    assert "Dana Whitfield" in answer.answer and "Director" in answer.answer


FILING = """---
title: Northwind Foods Quarterly Report Q1 2023
date: 2023-03-31
---

Northwind Foods Quarterly Report Q1 2023

Net sales rose four percent in the first quarter, led by frozen vegetables and soups.

Signatures

Pursuant to the requirements of the Securities Exchange Act of 1934, the registrant has duly caused this report to be
signed on its behalf by the undersigned thereunto duly authorized.

Helen Marsh

Chief Executive Officer

May 4, 2023

Anita Sorensen

Chief Financial Officer

May 4, 2023
"""


@pytest.mark.slow
def test_who_signed_as_a_named_chief_officer(tmp_path, embedder):
    (tmp_path / "q1.md").write_text(FILING)
    index = tmp_path / "index"
    assert all(r.status == "added" for r in add_files([tmp_path / "q1.md"], index, embedder=embedder, progress=False))
    pipeline = QAPipeline(index, embedder)
    for question in ("Who signed Northwind's Q1 2023 report as CFO?", "Who signed the report as the finance chief?"):
        answer = pipeline.ask(question)
        assert not answer.abstained and "Anita Sorensen" in answer.answer and "Helen Marsh" not in answer.answer, question
    assert "Helen Marsh" in pipeline.ask("Who signed the report as chief executive officer?").answer
