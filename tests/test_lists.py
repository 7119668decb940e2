"""Lists found from the structure of the text (qa/lists.py), on small made-up passages: no model, no index."""
from __future__ import annotations

import re

import numpy as np
import pytest

from ingest.splitting import sentence_spans
from ingest.index import StoredPassage
from qa.lists import (asks_for_list, enumeration_after, enumeration_around, enumeration_under_heading, marker,
                      sentence_text)


def passage(text: str, ordinal: int = 0, start: int = 0, heading: str = "") -> StoredPassage:
    """A passage of ``text``, its sentences found paragraph by paragraph as ingestion does; a heading line that
    opens it ("Heading\\n\\n...") is none of its sentences."""
    spans = []
    for par in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]*)*", text):
        if heading and par.start() == 0 and par.group() == heading:
            continue
        spans += [(par.start() + s, par.start() + e) for s, e in sentence_spans(par.group())]
    return StoredPassage(id=ordinal + 1, doc_id="doc", ordinal=ordinal, page=1, start=start, end=start + len(text),
                         text=text, vector=np.zeros(4, dtype=np.float32), sentence_spans=spans,
                         sentence_vectors=np.zeros((len(spans), 4), dtype=np.float32), heading=heading)


def document(*texts: str) -> tuple[list[StoredPassage], callable]:
    """Passages of one document, one after the other, a blank line apart; and their ``following`` function."""
    passages, offset = [], 0
    for n, text in enumerate(texts):
        passages.append(passage(text, n, offset))
        offset += len(text) + 2

    def following(p: StoredPassage, n: int) -> list[StoredPassage]:
        return passages[p.ordinal + 1 : p.ordinal + 1 + n]

    return passages, following


def no_following(p, n):
    return []


def texts(sentences) -> list[str]:
    return [sentence_text(*s) for s in sentences]


OBSTACLES = ("The harbour faces serious problems. First, the quay is too short for modern ships. It was built in 1920. "
             "Second, dredging has stopped. The budget ran out in 2019. Funds may come next year. "
             "Third, the workforce is ageing. Few apprentices join.")


def test_ordinal_words_make_a_list_whose_items_run_to_the_next_item():
    p = passage(OBSTACLES)
    found = enumeration_after(p, 0, no_following)
    assert texts(found.intro) == ["The harbour faces serious problems."]
    assert [item.marker for item in found.items] == ["First", "Second", "Third"]
    assert texts(item.lead for item in found.items) == [
        "First, the quay is too short for modern ships.", "Second, dredging has stopped.", "Third, the workforce is ageing."]
    assert texts(found.item(2).sentences) == [
        "Second, dredging has stopped.", "The budget ran out in 2019.", "Funds may come next year."]
    assert texts(found.item(-1).sentences) == ["Third, the workforce is ageing.", "Few apprentices join."]
    assert found.item(4) is None


def test_a_numbered_list_runs_on_into_the_next_passages():
    passages, following = document(
        "The survey advances three recommendations:\n\n(1) Extend the northern quay.",
        "(2) Resume dredging each spring. It keeps the channel open.",
        "(3) Train apprentices in the yards.\n\nAn unrelated paragraph follows the list.",
    )
    found = enumeration_after(passages[0], 0, following)
    assert [item.marker for item in found.items] == ["(1)", "(2)", "(3)"]
    assert texts(found.tight) == ["The survey advances three recommendations:", "(1) Extend the northern quay.",
                                  "(2) Resume dredging each spring.", "(3) Train apprentices in the yards."]
    assert "An unrelated paragraph follows the list." not in texts(found.sentences)


@pytest.mark.parametrize("intro", ["The review makes three recommendations.", "The review recommends the following:"])
def test_unmarked_short_paragraphs_after_an_announcement_are_items(intro):
    p = passage(f"{intro}\n\nFund the northern quay. It is short.\n\nTrain more pilots.\n\nPublish the tide tables online.")
    found = enumeration_after(p, 0, no_following)
    assert [item.marker for item in found.items] == ["", "", ""]
    assert texts(item.lead for item in found.items) == [
        "Fund the northern quay.", "Train more pilots.", "Publish the tide tables online."]


def test_an_announced_count_takes_that_many_paragraphs():
    p = passage("There are two lessons.\n\nPlan early.\n\nCount twice.\n\nThe report then turns to the budget.")
    found = enumeration_after(p, 0, no_following)
    assert texts(item.lead for item in found.items) == ["Plan early.", "Count twice."]


def test_only_a_question_asking_for_a_list_reads_unmarked_paragraphs_as_items():
    p = passage("In an interview, she stated:\n\nThe quay is short.\n\nThe harbour master agreed.")
    assert len(enumeration_after(p, 0, no_following).items) == 2
    assert enumeration_after(p, 0, no_following, unmarked=False) is None


def test_a_count_inside_a_sentence_announces_nothing():
    p = passage("Talib and Harris were the other two Pro Bowl selections from the defense.\n\nThe team won.\n\nIt rained.")
    assert enumeration_after(p, 0, no_following) is None


def test_long_paragraphs_and_lone_markers_are_not_lists():
    long_paragraph = "It rose. It fell. It rose again. It settled."
    assert enumeration_after(passage(f"The year had several phases:\n\n{long_paragraph}\n\n{long_paragraph}"),
                             0, no_following) is None
    assert enumeration_after(passage("We thank our partners. First, the port authority helped us."), 0, no_following) is None
    assert enumeration_after(passage("It spread to Norway. Finally it reached Russia in 1351."), 0, no_following) is None
    assert enumeration_after(passage("The tide was high. The boats left early. The quay was empty."), 0, no_following) is None


def test_a_marker_inside_a_sentence_starts_no_item():
    p = passage("Two steps matter. (1) Survey the quay. (2) Repair it. Later, (1) a new plan began.")
    found = enumeration_after(p, 0, no_following)
    assert [item.marker for item in found.items] == ["(1)", "(2)"]


def test_a_heading_naming_a_plural_announces_the_paragraphs_under_it():
    text = "Recommendations\n\nExtend the quay.\n\nResume dredging.\n\nTrain apprentices."
    found = enumeration_under_heading(passage(text, heading="Recommendations"), no_following)
    assert found.intro == [] and texts(item.lead for item in found.items) == [
        "Extend the quay.", "Resume dredging.", "Train apprentices."]
    assert enumeration_under_heading(passage(text.replace("Recommendations", "Background"), heading="Background"),
                                     no_following) is None


def test_an_item_leads_back_to_its_whole_list_even_from_the_next_passage():
    passages, following = document(
        "Space is crowded, and three obstacles abound. First, transparency is lacking.",
        "Second, politics divides the experts. Third, industry outpaces policy.",
    )
    before = {1: passages[0]}
    found = enumeration_around(passages[1], 1, following, lambda p: before.get(p.ordinal))
    assert [item.marker for item in found.items] == ["First", "Second", "Third"]
    assert texts(found.intro) == ["Space is crowded, and three obstacles abound."]
    assert enumeration_around(passages[0], 0, following, lambda p: None) is None  # not an item


@pytest.mark.parametrize("sentence, expected", [
    ("First, the quay.", (1, "First")), ("(2) Resume dredging.", (2, "(2)")), ("3. Train pilots.", (3, "3.")),
    ("b) Publish tables.", (2, "b)")), ("• Extend the quay.", (0, "•")), ("Finally, the budget.", (0, "Finally")),
    ("Firstly, we note.", (1, "Firstly")), ("2020 was a year.", None), ("Secondary schools grew.", None),
])
def test_markers_as_printed(sentence, expected):
    assert marker(sentence) == expected


@pytest.mark.parametrize("question, listing", [
    ("What obstacles hinder cooperation in space?", True), ("What are the four key takeaways?", True),
    ("Which recommendations does the review make?", True), ("List the report's findings", True),
    ("What are the main challenges?", True), ("Who prepared the report?", False),
    ("When was the dialogue held?", False), ("What is the primary multilateral body?", False),
    ("What does the report say about Track 2 diplomacy?", False),
    ("Which team owns the shipping procedure?", False), ("Which road safety measures were proposed?", True),
])
def test_questions_asking_for_a_list(question, listing):
    assert asks_for_list(question) is listing


def test_steps_numbered_within_a_section_are_a_list_under_their_heading():
    assert marker("4.1 Measure the depth to water.") == (1, "4.1")
    assert marker("4.2. Purge the well.") == (2, "4.2.")
    assert marker("1.5 hours into the flight, the engine stopped.") is None  # a figure, not a step
    text = "4. Procedure\n\n4.1 Measure the depth to water.\n\n4.2 Purge the well.\n\n4.3 Fill each vial."
    found = enumeration_under_heading(passage(text, heading="4. Procedure"), no_following)
    assert [item.marker for item in found.items] == ["4.1", "4.2", "4.3"]  # "Procedure" announces nothing itself


def test_a_list_never_runs_into_the_next_section():
    apparatus = passage("3. Apparatus\n\nTesting was carried out in a salt fog chamber.", 0, heading="3. Apparatus")
    procedure = passage("4. Procedure\n\n1. Place the panels.\n\n2. Expose the panels.", 1, apparatus.end + 2,
                        heading="4. Procedure")
    assert enumeration_after(apparatus, 0, lambda p, n: [procedure][:n] if p is apparatus else []) is None
