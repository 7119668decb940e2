"""Citing a source: APA, Chicago and plain text, each with the page and the link; the confidence explained."""
from __future__ import annotations

import pytest

from qa.citation_styles import apa, chicago, citation_styles, plain, source_line
from qa.confidence_why import confidence_why, confidence_words
from qa.models import Citation

LINK = "https://reports.example.org/view/733735fcbbbce323?page=3&part=14%3A0-42"
TITLE = "2020 Asia Pacific Space Diplomacy Dialogue (APSDD): Key Findings"


def _cite(**fields) -> Citation:
    base = dict(doc_id="733735fcbbbce323", title=TITLE, page=3, passage="p", start=0, end=1, score=1.0, source="",
                date="2020-12-01", publisher="Pacific Forum", authors=["Mark Manantan"])
    return Citation(**{**base, **fields})


def test_apa_names_the_author_by_surname_and_initials_the_date_page_publisher_and_link():
    assert apa(_cite(), LINK) == f"Manantan, M. (2020, December 1). {TITLE} (p. 3). Pacific Forum. {LINK}"


def test_apa_lists_several_authors_with_an_ampersand_and_keeps_organisations_whole():
    cited = _cite(authors=["Crystal A. Pryor", "Mark Manantan", "Office of Personnel Management"], date="2021-05")
    assert apa(cited, LINK).startswith("Pryor, C. A., Manantan, M., & Office of Personnel Management. (2021, May). ")


def test_apa_without_authors_has_the_publisher_as_author_and_without_a_date_says_nd():
    assert apa(_cite(authors=[], date=""), LINK) == f"Pacific Forum. (n.d.). {TITLE} (p. 3). {LINK}"
    assert apa(_cite(authors=[], publisher="", date="2019"), LINK) == f"{TITLE} (p. 3). (2019). {LINK}"


def test_chicago_note_has_the_author_title_publisher_date_page_and_link():
    assert chicago(_cite(), LINK) == f"Mark Manantan, {TITLE} (Pacific Forum, December 1, 2020), 3, {LINK}."
    four = _cite(authors=["A One", "B Two", "C Three", "D Four"], publisher="", date="")
    assert chicago(four, LINK) == f"A One et al., {TITLE} (n.d.), 3, {LINK}."


def test_plain_text_reads_as_a_sentence_with_the_page_and_link():
    assert plain(_cite(), LINK) == f"{TITLE}, by Mark Manantan, Pacific Forum, 1 December 2020, page 3: {LINK}"
    assert source_line(_cite(authors=[], publisher="", date="not a date")) == f"{TITLE}, page 3"


def test_every_style_has_the_page_and_the_link():
    styles = citation_styles(_cite(page=17), LINK)
    assert list(styles) == ["APA", "Chicago", "Plain text"]
    for name, text in styles.items():
        assert LINK in text and "17" in text, name


@pytest.mark.parametrize("confidence, words", [(0.91, "high confidence"), (0.5, "medium confidence"), (0.1, "low confidence")])
def test_confidence_in_words(confidence, words):
    assert confidence_words(confidence) == words


def test_the_why_says_what_speaks_for_and_against_the_quote_in_one_line():
    good = confidence_why({"sentence_dense": 0.7, "sentence_lexical": 0.8, "unknown": 0.0, "lacks_asked_kind": 0.0})
    assert good == "The quote is close in meaning to the question and it shares most of the question's key words."
    weak = confidence_why({"sentence_dense": 0.45, "sentence_lexical": 0.1, "unknown": 0.3, "lacks_asked_kind": 1.0})
    assert weak.startswith("The quote is related in meaning to the question, but it shares few of the question's key")
    assert "occur in no report" in weak and "number or a date" in weak and "\n" not in weak
    # a feature the calibration may learn later is left out rather than misread
    assert confidence_why({"sentence_dense": 0.7, "some_new_feature": 3.0}) == "The quote is close in meaning to the question."
