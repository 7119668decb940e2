"""A conversation as Markdown: every quote verbatim with its citation (report, date, page, link) under it, and
report text that cannot turn into links, images or HTML wherever the file is rendered."""
from __future__ import annotations

import re

from qa.models import NOT_FOUND, Answer, Citation, ReportAnswer
from qa.transcript import Turn, conversation_markdown, escape_markdown

PASSAGE = "Space is a global commons. First, there is a lack of trust. Second, the divide inhibits cooperation."


def _cite(start: int, end: int, page: int = 1, passage: str = PASSAGE, title: str = "Space Dialogue", date: str = "2020-12-01",
          pid: int = 5) -> Citation:
    return Citation("abc123", title, page, passage, start, end, 1.0, "", date=date, passage_id=pid,
                    publisher="Pacific Forum", authors=["Mark Manantan"])


def _link(c: Citation, quoted: list[Citation]) -> str:
    return f"https://qa.example.org/view/{c.doc_id}?page={c.page}&part={c.passage_id}%3A{c.start}-{c.end}"


def test_each_quote_is_followed_by_its_report_date_page_and_link():
    first, second = _cite(27, 60, page=1), _cite(0, 26, page=2, passage="Third, capacity is uneven.", pid=6)
    answer = Answer("What obstacles hinder cooperation?", f"{PASSAGE[27:60]} Third, capacity is uneven.", False, 0.82,
                    [first, second], why="The quote is close in meaning to the question.")
    md = conversation_markdown([Turn(answer, "https://qa.example.org/?q=What+obstacles")], _link, "Asked at example.")
    assert md.startswith("# Report Q&A conversation\n\nAsked at example.\n")
    assert "## 1. What obstacles hinder cooperation?" in md
    lines = md.splitlines()
    for c in (first, second):
        quote = lines.index(f"> {c.passage[c.start:c.end].strip()}")
        citation = lines[quote + 2]
        assert citation == (f"— Space Dialogue, by Mark Manantan, Pacific Forum, 1 December 2020, page {c.page}: "
                            f"<{_link(c, [])}>")
    assert "Confidence: high confidence. The quote is close in meaning to the question." in md
    assert "Link to this answer: <https://qa.example.org/?q=What+obstacles>" in md


def test_refusals_and_answers_across_reports_are_kept_in_order():
    refused = Answer("Which team won Super Bowl 50?", NOT_FOUND, True, 0.01)
    early, late = _cite(0, 26, date="2019-03-02", title="Annual Report 2019"), _cite(27, 60, date="2021", title="Annual Report 2021")
    across = Answer("How has trust changed?", "…", False, 0.7, [early, late],
                    across=[ReportAnswer("a", "Annual Report 2019", "2019-03-02", PASSAGE[0:26], 0.7, [early]),
                            ReportAnswer("b", "Annual Report 2021", "2021", PASSAGE[27:60], 0.5, [late])])
    md = conversation_markdown([Turn(refused), Turn(across)], _link, "")
    assert md.index("## 1. Which team won Super Bowl 50?") < md.index("## 2. How has trust changed?")
    assert f"*Not found in the reports.* {NOT_FOUND}" in md
    assert md.index("### Annual Report 2019 (2019-03-02)") < md.index("### Annual Report 2021 (2021)")
    assert "2 March 2019, page 1" in md and f"> {PASSAGE[27:60].strip()}" in md and "Confidence: medium confidence." in md


def test_markup_in_reports_and_questions_reads_as_text():
    hostile = "See [the evil site](javascript:alert(1)) <script>x</script> ![p](https://evil.invalid/p.png) # not a heading"
    answer = Answer("<img src=x onerror=alert(1)> *who*?", hostile, False, 0.9, [_cite(0, len(hostile), passage=hostile)])
    md = conversation_markdown([Turn(answer)], _link, "")
    for markup in (r"\[the evil site\]", "<script>", "<img", r"\*who\*"):
        assert not re.search(r"(?<!\\)" + markup, md), markup  # each only with a backslash before it
    assert r"\[the evil site\](javascript:alert(1)) \<script\>x\</script\>" in md
    assert escape_markdown("a_b | c ~ d & e") == r"a\_b \| c \~ d \& e"
