"""Quarterly filings of several companies, as EDGAR prints them: file names and metadata titles that are accession
numbers, a cover whose largest print is "FORM 10-Q", financial tables with the currency and percent signs set apart
from their figures ("$ 17,516", "(9)%"), and readers who ask for "the latest Microsoft 10-Q" or a figure of one
quarter."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.layout import Line
from ingest.naming import cover_title
from ingest.pipeline import add_files
from ingest.tables import find_tables
from pdfs import write_layout_pdf
from qa.extract import asks_for_amount
from qa.pipeline import QAPipeline
from qa.scope import parse

SEGMENTS = """\
                                                                    March 31, 2023            March 31, 2022              Change
Productivity and Business Processes                                    $ 17,516                 $ 15,791                   11 %
Intelligent Cloud                                                      $ 22,081                 $ 19,050                   16 %
More Personal Computing                                                $ 13,260                 $ 14,517                   (9)%
"""


def test_signs_set_apart_from_their_figures_still_make_a_table():
    layout = "Revenue by Segment\nThe following table shows revenue by segment (in millions):\n\n" + SEGMENTS
    [table] = find_tables(layout)
    assert table.header == ["", "March 31, 2023", "March 31, 2022", "Change"]  # the sentence above is no header
    assert table.rows[2] == ["More Personal Computing", "$ 13,260", "$ 14,517", "(9)%"]


def _cover(*printed: tuple[str, int, int]) -> list[tuple[Line, str]]:
    """A first page's lines, each (text, y, size)."""
    return [(Line(text, 56, y, size), text) for text, y, size in printed]


def test_a_cover_that_names_only_a_kind_of_document_is_titled_by_whom():
    lines = _cover(("UNITED STATES SECURITIES AND EXCHANGE COMMISSION", 740, 12), ("FORM 10-Q", 700, 16),
                   ("For the quarterly period ended March 31, 2023", 680, 10), ("Microsoft Corporation", 640, 14),
                   ("(Exact name of registrant as specified in its charter)", 625, 8))
    assert cover_title(lines, 10) == "Microsoft Corporation FORM 10-Q"
    only = [(Line("Annual Report", 56, 700, 20), "Annual Report"), (Line("Some body text here.", 56, 600, 10), "x")]
    assert cover_title(only, 10) == "Annual Report"  # nothing else printed large: the kind is still the title


def test_asked_across_quarters_and_asked_for_a_cause():
    assert parse("How did iPhone net sales change over the three quarters?").across
    assert parse("What was revenue in each quarter?").across
    assert not parse("What was revenue in the third quarter?").across
    assert asks_for_amount("What was Intelligent Cloud revenue?")
    assert not asks_for_amount("What drove Microsoft's revenue growth?")  # prose says why, not a row


FILINGS = [  # company, period end, prior year's, (segment, this year, last year, change) rows, the MD&A's sentence
    ("Microsoft Corporation", "December 31, 2022", "December 31, 2021",
     [("Intelligent Cloud", "21,508", "18,324", "17 %"), ("More Personal Computing", "14,237", "17,468", "(18)%")],
     "Revenue increased $1.0 billion or 2% driven by growth in Intelligent Cloud, offset in part by a decline in More"
     " Personal Computing."),
    ("Microsoft Corporation", "March 31, 2023", "March 31, 2022",
     [("Intelligent Cloud", "22,081", "19,050", "16 %"), ("More Personal Computing", "13,260", "14,517", "(9)%")],
     "Revenue increased $3.5 billion or 7% driven by growth in Intelligent Cloud and server products."),
    ("Acme Robotics, Inc.", "June 30, 2023", "June 30, 2022",
     [("Industrial robots", "212.4", "188.0", "13 %"), ("Service contracts", "64.9", "52.3", "24 %")],
     "Revenue from industrial robots increased due primarily to higher unit shipments to automotive customers."),
    ("Acme Robotics, Inc.", "September 30, 2023", "September 30, 2022",
     [("Industrial robots", "198.7", "201.5", "(1)%"), ("Service contracts", "70.2", "55.8", "26 %")],
     "Revenue from industrial robots decreased slightly as lower shipments to electronics customers offset growth."),
]


def _filing(path: Path, company: str, end: str, prior: str, rows: list[tuple], prose: str) -> Path:
    """The company's name printed no larger than the body, so that only the text says whose filing it is."""
    cover = [("FORM 10-Q", 260, 680, 16, "bold"), (f"For the quarterly period ended {end}", 200, 640, 10),
             (company, 250, 600, 10), ("(Exact name of registrant as specified in its charter)", 190, 586, 8),
             (f"{company} had 7,432 shares of common stock outstanding as of the filing of this report.", 56, 550, 10)]
    table = [("Revenue by Segment", 56, 740, 10, "bold"), ("The following table shows revenue by segment (in millions):", 56, 724, 10),
             (end, 300, 700, 9, "bold"), (prior, 390, 700, 9, "bold"), ("Change", 490, 700, 9, "bold")]
    y = 684
    for label, now, before, change in rows:
        table += [(label, 56, y, 9), (f"$ {now}", 310, y, 9), (f"$ {before}", 400, y, 9), (change, 495, y, 9)]
        y -= 14
    table += [(prose[:95], 56, y - 20, 10), (prose[95:], 56, y - 33, 10)]
    return write_layout_pdf(path, [cover, table], title=path.stem)


@pytest.fixture(scope="module")
def filings(tmp_path_factory, embedder) -> QAPipeline:
    root = tmp_path_factory.mktemp("filings")
    (root / "reports").mkdir()
    for n, filing in enumerate(FILINGS):
        _filing(root / "reports" / f"0000950170-23-00{n}123.pdf", *filing)
    results = add_files([root / "reports"], root / "index", embedder=embedder, progress=False)
    assert [r.status for r in results] == ["added"] * len(FILINGS), results
    return QAPipeline(root / "index", embedder)


@pytest.mark.slow
def test_the_latest_filing_of_the_company_named_only_in_its_text(filings):
    assert {r.title for r in filings.index.documents()} == {"FORM 10-Q"}
    answer = filings.ask("In the latest Microsoft 10-Q, what was Intelligent Cloud revenue?")
    assert answer.citations[0].table["rows"] == [["Intelligent Cloud", "$ 22,081", "$ 19,050", "16 %"]], answer.answer
    answer = filings.ask("What were service contract revenues in the most recent Acme Robotics filing?")
    assert "$ 70.2" in answer.answer, answer.answer


@pytest.mark.slow
def test_a_cause_is_quoted_from_prose_of_the_quarter_asked(filings):
    answer = filings.ask("What drove Microsoft's revenue growth in the quarter ended March 31, 2023?")
    assert answer.answer.startswith("Revenue increased $3.5 billion"), answer.answer


def test_the_name_may_be_printed_as_large_as_the_kind_of_document():
    lines = _cover(("FORM 10-Q", 700, 14), ("QUARTERLY REPORT PURSUANT TO SECTION 13 OR 15(d)", 680, 12),
                   ("Microsoft Corporation", 640, 14))
    assert cover_title(lines, 10) == "Microsoft Corporation FORM 10-Q"
