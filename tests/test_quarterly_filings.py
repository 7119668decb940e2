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
from qa.extract import asks_for_amount, row_asked
from qa.pipeline import QAPipeline
from qa.scope import parse, without_names

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


METRICS = """\
 Key metric                                                            March 31, 2024
 Annual recurring revenue (ARR)                                        $412.6 million
 Customers with ARR over $100,000                                               1,142
 Dollar-based net revenue retention rate                                         112%
"""


def test_the_companys_name_is_no_word_of_what_is_asked_of_its_one_report():
    """Within the one report a question names, its company's name asks nothing (its masthead, address and disclaimer
    repeat it): what is left is what is asked."""
    naming = {"vennmeer", "water"}
    assert without_names("What did Vennmeer Water spend on energy?", naming) == "What did spend on energy?"
    assert without_names("What occupancy did Alderwood Hotels & Resorts achieve?", {"alderwood", "hotel", "resort"}) \
        == "What occupancy did achieve?"
    assert without_names("How much water did the plant treat?", naming) == "How much water did the plant treat?"


def test_the_words_naming_the_company_ask_for_no_row():
    """"Vennmeer Water's revenue": the "Revenue" row, not the "Drinking water" segment's, whose label the company's
    name happens to share."""
    question, naming = "What was Vennmeer Water's revenue in the first quarter of 2022?", frozenset({"vennmeer", "water"})
    assert row_asked(question, "Revenue | 184,320 | 176,905", naming)
    assert not row_asked(question, "Drinking water | 107,450 | 103,212 | +4.1%", naming)
    assert row_asked(question, "Drinking water | 107,450 | 103,212 | +4.1%")  # unless told which words name it


def test_periods_heading_the_columns_are_the_header_not_a_row():
    """"9M 2023" heads a column of nine months' figures: no figure of nine million."""
    [table] = find_tables("\n".join([
        " Consolidated income statement (condensed)",
        "   EUR million              Q3 2023      Q3 2022      9M 2023      9M 2022      Change",
        "   Net sales                  1,941        1,859        5,783        5,382       +4.4%",
        "   Operating income (EBIT)      378          418        1,256        1,209       -9.6%",
    ]))
    assert table.header == ["EUR million", "Q3 2023", "Q3 2022", "9M 2023", "9M 2022", "Change"]
    assert table.rows[1] == ["Operating income (EBIT)", "378", "418", "1,256", "1,209", "-9.6%"]


def test_an_amount_in_millions_is_a_rows_figure_not_a_header():
    [table] = find_tables("Key Operating Metrics\n" + METRICS)
    assert table.header == ["Key metric", "March 31, 2024"]
    assert table.rows[0] == ["Annual recurring revenue (ARR)", "$412.6 million"]


STATEMENT = """\
                                                                    Three Months Ended
                                                          December 31, 2022          December 25, 2021
Net income                                                $    29,998                $    34,630
Earnings per share:
Basic                                                     $      1.89                $      2.11
Diluted                                                   $      1.88                $      2.10
"""


def test_a_currency_sign_set_in_a_column_of_its_own_stays_with_its_figure():
    [table] = find_tables("Condensed Consolidated Statement of Operations\n\n" + STATEMENT)
    # The title above is no header; the heading over both columns of figures joins the first.
    assert table.header == ["", "Three Months Ended December 31, 2022", "December 25, 2021"]
    assert table.rows[0] == ["Net income", "$ 29,998", "$ 34,630"]


def test_a_label_ending_in_a_colon_heads_the_rows_below_it():
    [table] = find_tables(STATEMENT)
    assert table.rows[1] == ["Earnings per share: Basic", "$ 1.89", "$ 2.11"]  # not "Net income Earnings per share:"
    assert table.rows[0][0] == "Net income"


def test_a_groups_label_heads_every_row_indented_under_it():
    indented = STATEMENT.replace("\nBasic  ", "\n  Basic").replace("\nDiluted  ", "\n  Diluted") + (
        "Cash dividends declared per share                         $      0.23                $      0.22\n")
    [table] = find_tables(indented)
    assert [row[0] for row in table.rows] == ["Net income", "Earnings per share: Basic", "Earnings per share: Diluted",
                                              "Cash dividends declared per share"]


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


def test_an_annual_report_of_a_year_is_titled_by_the_name_printed_above_it():
    lines = _cover(("Office of Rail Accident Investigation", 740, 12), ("Annual Report to Congress", 720, 9),
                   ("Annual Report 2022", 700, 16), ("Introduction", 660, 13), ("Review of the year", 560, 13))
    assert cover_title(lines, 11) == "Office of Rail Accident Investigation Annual Report 2022"
    # Nothing named above it: the kind and year alone, not the next heading.
    assert cover_title(lines[2:], 11) == "Annual Report 2022"


def test_a_publishers_name_printed_largest_is_its_masthead_not_the_title():
    lines = _cover(("Rail Accident Report", 760, 11), ("Collision between a passenger train and a car at", 700, 19),
                   ("Ruswarp Lane crossing, near Whitby", 680, 19), ("Rail Safety Board", 600, 22),
                   ("Report No.: RSB-2024-011", 560, 9))
    assert cover_title(lines, 10) == "Collision between a passenger train and a car at Ruswarp Lane crossing, near Whitby"
    # nothing else printed large: the publisher's name is the title there is
    assert cover_title(_cover(("Rail Safety Board", 600, 22), ("Report No.: RSB-2024-011", 560, 9)), 10) == \
        "Rail Safety Board"


def test_asked_across_quarters_and_asked_for_a_cause():
    assert parse("How did iPhone net sales change over the three quarters?").across
    assert parse("What was revenue in each quarter?").across
    assert not parse("What was revenue in the third quarter?").across
    assert asks_for_amount("What was Intelligent Cloud revenue?")
    assert not asks_for_amount("What drove Microsoft's revenue growth?")  # prose says why, not a row
    assert parse("Can you show me how Alderwood's RevPAR moved across the four quarters it has reported?").across
    assert asks_for_amount("How did Norhavn's EBIT develop quarter by quarter?")


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


def _indexed(root: Path, write, filings: list[tuple], accession: str, embedder) -> QAPipeline:
    """``filings`` written by ``write`` under accession-number file names, indexed with the real model."""
    (root / "reports").mkdir()
    for n, filing in enumerate(filings):
        write(root / "reports" / accession.format(n), *filing)
    results = add_files([root / "reports"], root / "index", embedder=embedder, progress=False)
    assert [r.status for r in results] == ["added"] * len(filings), results
    return QAPipeline(root / "index", embedder)


@pytest.fixture(scope="module")
def filings(tmp_path_factory, embedder) -> QAPipeline:
    return _indexed(tmp_path_factory.mktemp("filings"), _filing, FILINGS, "0000950170-23-00{}123.pdf", embedder)


@pytest.mark.slow
def test_the_latest_filing_of_the_company_named_only_in_its_text(filings):
    assert {r.title for r in filings.index.documents()} == {"FORM 10-Q"}
    answer = filings.ask("In the latest Microsoft 10-Q, what was Intelligent Cloud revenue?")
    assert answer.citations[0].table["rows"] == [["Intelligent Cloud", "$ 22,081", "$ 19,050", "16 %"]], answer.answer
    answer = filings.ask("What were service contract revenues in the most recent Acme Robotics filing?")
    assert "$ 70.2" in answer.answer, answer.answer


@pytest.mark.slow
def test_the_latest_quarter_is_the_latest_of_the_filings_that_speak_of_what_is_asked(filings):
    # The library's latest filing is Acme's; only Microsoft's speak of Intelligent Cloud.
    answer = filings.ask("What was Intelligent Cloud revenue in the latest quarter?")
    assert answer.citations[0].table["rows"] == [["Intelligent Cloud", "$ 22,081", "$ 19,050", "16 %"]], answer.answer


@pytest.mark.slow
def test_a_cause_is_quoted_from_prose_of_the_quarter_asked(filings):
    answer = filings.ask("What drove Microsoft's revenue growth in the quarter ended March 31, 2023?")
    assert answer.answer.startswith("Revenue increased $3.5 billion"), answer.answer


UTILITY = [  # period end, published, operating revenues (this year, last year, change), segments' revenues
    ("September 30, 2022", "November 3, 2022", ("1,284.6", "1,146.2", "+12.1%"),
     [("Electric Distribution", "1,002.0", "894.0", "205.8", "189.7"), ("Transmission", "154.2", "137.5", "81.1", "74.7")]),
    ("December 31, 2022", "February 16, 2023", ("1,098.3", "1,002.7", "+9.5%"),
     [("Electric Distribution", "856.7", "782.1", "132.9", "144.9"), ("Transmission", "160.4", "141.0", "84.0", "77.3")]),
]


def _utility_report(path: Path, end: str, published: str, revenues: tuple, segments: list[tuple]) -> Path:
    """A utility's quarterly report: its results in a statement's rows, each with its change in percent, and its
    segments' results in a table whose header names operating revenues too."""
    quarter = {"September": "Third", "December": "Fourth"}[end.split()[0]]
    cover = [("Eastmark Power & Light Company", 56, 740, 16, "bold"),
             (f"Quarterly Report - {quarter} Quarter {end[-4:]}", 56, 716, 14),
             (f"For the three months ended {end}", 56, 696, 10), (f"Published {published}", 56, 682, 10),
             (f"Operating revenues of ${revenues[0]} million rose from the same quarter a year earlier.", 56, 640, 10)]
    page = [("Condensed Consolidated Statement of Income", 56, 740, 11, "bold"),
            ("Quarter", 300, 724, 9, "bold"), ("Prior year", 380, 724, 9, "bold"), ("Change", 470, 724, 9, "bold")]
    y = 710
    for label, now, before, change in [("Operating revenues", *revenues), ("Fuel and purchased power", "462.5", "412.6", "+12.1%"),
                                       ("Operating income", "311.8", "287.4", "+8.5%"), ("Net income", "203.5", "188.9", "+7.7%")]:
        page += [(label, 56, y, 9), (now, 300, y, 9), (before, 380, y, 9), (change, 470, y, 9)]
        y -= 14
    y -= 20
    page += [("Results by Segment", 56, y, 11, "bold"), ("Operating revenues", 250, y - 16, 9, "bold"),
             ("Operating income", 420, y - 16, 9, "bold")]
    y -= 30
    page += [("Segment", 56, y, 9, "bold")] + [(head, x, y, 9, "bold") for head, x in
                                               zip(("Quarter", "Prior year", "Quarter", "Prior year"), (250, 320, 420, 490))]
    for label, *figures in segments:
        y -= 14
        page += [(label, 56, y, 9)] + [(figure, x, y, 9) for figure, x in zip(figures, (250, 320, 420, 490))]
    return write_layout_pdf(path, [cover, page], title=path.stem)


@pytest.fixture(scope="module")
def utility(tmp_path_factory, embedder) -> QAPipeline:
    return _indexed(tmp_path_factory.mktemp("utility"), _utility_report, UTILITY, "0000874512-22-00{}097.pdf", embedder)


@pytest.mark.slow
def test_asked_across_reports_each_quotes_the_row_labelled_with_what_is_asked(utility):
    """"How did operating revenues change?": each report's "Operating revenues" row, not a segment's row under a
    header that names operating revenues too, nor the cover's line of its period."""
    answer = utility.ask("How did Eastmark Power & Light's operating revenues change over its two quarterly reports?")
    assert [part.answer.split(" | ")[:2] for part in answer.across] == [["Operating revenues", "1,284.6"],
                                                                        ["Operating revenues", "1,098.3"]], answer.answer


def test_the_name_may_be_printed_as_large_as_the_kind_of_document():
    lines = _cover(("FORM 10-Q", 700, 14), ("QUARTERLY REPORT PURSUANT TO SECTION 13 OR 15(d)", 680, 12),
                   ("Microsoft Corporation", 640, 14))
    assert cover_title(lines, 10) == "Microsoft Corporation FORM 10-Q"


APPLE = [  # period end, a year before, the fiscal quarter its running feet name, its words, (category, now, before)
    ("December 31, 2022", "December 25, 2021", "Q1 2023", "first quarter of 2023",
     [("iPhone", "49,358", "44,384", "11 %"), ("Mac", "26,812", "28,744", "(7)%"), ("Services", "46,332", "41,632", "11 %")]),
    ("April 1, 2023", "March 26, 2022", "Q2 2023", "second quarter of 2023",
     [("iPhone", "7,312", "7,945", "(8)%"), ("Mac", "5,632", "5,120", "10 %"), ("Services", "29,488", "29,310", "1 %")]),
]


def _apple_filing(path: Path, end: str, prior: str, quarter: str, words: str, rows: list[tuple]) -> Path:
    """Four pages with Apple's running foot, which alone names the fiscal quarter; a table whose currency signs
    stand in columns of their own, under prose that says how iPhone sales moved without a figure."""
    foot = lambda n: (f"Apple Inc. | {quarter} Form 10-Q | {n}", 200, 30, 8)
    cover = [("FORM 10-Q", 260, 690, 16, "bold"), (f"For the quarterly period ended {end}", 220, 640, 9, "bold"),
             ("Apple Inc.", 240, 556, 16, "bold"), ("(Exact name of Registrant as specified in its charter)", 200, 540, 7), foot(1)]
    md = [("Item 2. Management's Discussion and Analysis of Financial Condition and Results of Operations", 56, 750, 10, "bold"),
          ("Net Sales by Category", 56, 730, 10, "bold"),
          (f"The following table shows net sales by category for the three months ended {end} and {prior} (dollars in millions):", 56, 716, 9),
          ("Three Months Ended", 300, 700, 8, "bold"), (end, 270, 688, 8, "bold"), (prior, 370, 688, 8, "bold"), ("Change", 480, 688, 8, "bold")]
    y = 672
    for label, now, before, change in rows:
        md += [(label, 56, y, 9), ("$", 270, y, 9), (now, 285, y, 9), ("$", 370, y, 9), (before, 385, y, 9), (change, 485, y, 9)]
        y -= 14
    direction = "increased" if not rows[0][3].startswith("(") else "decreased"
    md += [(f"iPhone net sales {direction} during the {words} compared to the same quarter a year earlier due primarily", 56, y - 20, 9),
           ("to changes in demand for the Pro models. Services net sales grew on advertising and cloud services.", 56, y - 32, 9), foot(2)]
    risks = [("Item 1A. Risk Factors", 56, 730, 10, "bold"),
             ("There have been no material changes to the Company's risk factors since the last annual report.", 56, 714, 9), foot(3)]
    signed = [("SIGNATURE", 270, 630, 10, "bold"), ("Apple Inc.", 350, 580, 9), ("By: /s/ Luca Maestri", 350, 560, 9), foot(4)]
    return write_layout_pdf(path, [cover, md, risks, signed], title=path.stem)


@pytest.fixture(scope="module")
def apple(tmp_path_factory, embedder) -> QAPipeline:
    return _indexed(tmp_path_factory.mktemp("apple"), _apple_filing, APPLE, "0000320193-23-00{}077.pdf", embedder)


@pytest.mark.slow
def test_a_filing_is_of_the_fiscal_year_its_running_feet_name(apple):
    # Dated 31 December 2022, its feet say "Q1 2023": a passage of it need not say 2023 to be of 2023.
    answer = apple.ask("How much did Apple make from Services in the first quarter of 2023?")
    assert not answer.abstained and "$ 46,332" in answer.answer, answer.answer


@pytest.mark.slow
def test_a_figure_asked_for_is_read_further_than_a_sentence_without_one(apple):
    answer = apple.ask("In Apple's Q2 2023 10-Q, what were iPhone net sales?")
    assert "$ 7,312" in answer.answer, answer.answer  # not "iPhone net sales decreased during ..." alone
    answer = apple.ask("In Apple's Q2 2023 10-Q, why did iPhone net sales change?")  # a cause: prose, not a row
    assert answer.answer.startswith("iPhone net sales decreased"), answer.answer


def _dividend_filing(path: Path, end: str, dividend: str, declared: str) -> Path:
    """A bank's filing whose statements are headed by its name in capitals, and whose dividend is told in prose."""
    cover = [("FORM 10-Q", 260, 680, 16, "bold"), (f"For the quarterly period ended {end}", 200, 640, 10),
             ("Harrow Ridge Bancorp, Inc.", 230, 600, 12, "bold"),
             ("(Exact name of registrant as specified in its charter)", 190, 586, 8)]
    statements = [("PART I - FINANCIAL INFORMATION", 56, 740, 11, "bold"),
                  ("Item 1. Financial Statements", 56, 720, 11, "bold"),
                  ("HARROW RIDGE BANCORP, INC.", 56, 706, 11, "bold"),
                  ("CONDENSED CONSOLIDATED BALANCE SHEETS (Unaudited)", 56, 692, 10, "bold"),
                  (end, 330, 676, 9, "bold"), ("December 31, 2023", 430, 676, 9, "bold"),
                  ("Cash and due from banks", 56, 662, 9), ("$ 412,118", 330, 662, 9), ("$ 398,004", 430, 662, 9),
                  ("Total assets", 56, 648, 9), ("$ 10,552,066", 330, 648, 9), ("$ 10,502,279", 430, 648, 9)]
    discussion = [("Item 2. Management's Discussion and Analysis", 56, 740, 11, "bold"),
                  ("Net interest income increased as loan yields rose faster than deposit costs, and the bank",
                   56, 720, 10),
                  ("opened two branches in York County during the quarter.", 56, 707, 10),
                  ("Dividends", 56, 680, 11, "bold"),
                  (f"On {declared}, the Board of Directors declared a quarterly cash dividend of {dividend} per",
                   56, 660, 10),
                  ("common share, payable to shareholders of record at the end of the month.", 56, 647, 10)]
    risks = [("Item 1A. Risk Factors", 56, 740, 11, "bold")]
    for n, risk in enumerate(["Regulators may limit the dividends a bank holding company pays to its shareholders.",
                              "Lower earnings could require the Board to reduce or suspend dividends on common stock.",
                              "Capital rules may restrict dividends and share repurchases in a period of stress."]):
        risks += [(f"Risk {n + 1}", 56, 710 - 60 * n, 10, "bold"), (risk, 56, 690 - 60 * n, 10)]
    return write_layout_pdf(path, [cover, statements, discussion, risks], title=path.stem)


@pytest.fixture(scope="module")
def bank(tmp_path_factory, embedder) -> QAPipeline:
    quarters = [("March 31, 2024", "$0.32", "April 17, 2024"), ("June 30, 2024", "$0.34", "July 18, 2024")]
    return _indexed(tmp_path_factory.mktemp("bank"), _dividend_filing, quarters, "0000914208-24-0000{}8.pdf", embedder)


@pytest.mark.slow
def test_the_companys_name_names_its_filing_not_the_sentence(bank):
    # Within the company's latest filing, its name printed over the statements is no answer about its dividend.
    answer = bank.ask("What dividend did Harrow Ridge Bancorp declare in its most recent quarterly report?")
    assert "$0.34" in answer.answer, answer.answer


def _fiscal_filing(path: Path, end: str, revenue: str) -> Path:
    """A filing of a company whose fiscal year ends on June 30, which its notes say; no running feet name the quarter."""
    cover = [("FORM 10-Q", 260, 680, 16, "bold"), (f"For the quarterly period ended {end}", 200, 640, 10),
             ("Tallis Instruments, Inc.", 230, 600, 12, "bold"),
             ("(Exact name of registrant as specified in its charter)", 190, 586, 8)]
    notes = [("Note 1 - Basis of Presentation", 56, 740, 11, "bold"),
             ("Our fiscal year ends on June 30. References to fiscal 2024 are to the fiscal year ending June 30, 2024.",
              56, 720, 10),
             ("Item 2. Management's Discussion and Analysis", 56, 690, 11, "bold"),
             (f"Revenue for the three months ended {end} was {revenue}, on higher demand for spectrometers.", 56, 670, 10)]
    return write_layout_pdf(path, [cover, notes], title=path.stem)


@pytest.fixture(scope="module")
def fiscal(tmp_path_factory, embedder) -> QAPipeline:
    quarters = [("September 30, 2023", "$212.5 million"), ("December 31, 2023", "$224.1 million"),
                ("March 31, 2024", "$231.8 million")]
    return _indexed(tmp_path_factory.mktemp("fiscal"), _fiscal_filing, quarters, "0001234567-24-0000{}3.pdf", embedder)


@pytest.mark.slow
def test_a_fiscal_quarter_is_the_filing_its_companys_fiscal_year_puts_it_in(fiscal):
    # Fiscal 2024 ends on June 30, 2024: its first quarter ended on September 30, 2023, in calendar 2023.
    answer = fiscal.ask("What revenue did Tallis report in its 10-Q for the first quarter of fiscal 2024?")
    assert [r.date for r in answer.scope.reports] == ["2023-09-30"] and "$212.5 million" in answer.answer, answer.answer
    answer = fiscal.ask("What was Tallis's revenue in its Q3 fiscal 2024 report?")
    assert "$231.8 million" in answer.answer, answer.answer


@pytest.mark.slow
def test_the_words_of_a_period_name_no_report(fiscal):
    # "The quarter ended December 31" dates the filing; "ended" and "December" are no words of its name.
    answer = fiscal.ask("What was revenue in the 10-Q covering the quarter ended December 31, 2023?")
    assert [r.date for r in answer.scope.reports] == ["2023-12-31"] and "$224.1 million" in answer.answer, answer.answer


def test_a_theme_printed_largest_takes_the_series_and_year_printed_above_it():
    """A yearly report's cover often sets its theme largest and the series' name and year above it in small print:
    the theme alone ("A new chapter", "Summary of Proceedings") names no report of the series."""
    review = _cover(("Lanternfield Community Trust", 760, 13), ("Annual Review 2023", 740, 12),
                    ("A new chapter", 700, 26), ("Published March 2024", 600, 11))
    assert cover_title(review, 10) == "Lanternfield Community Trust Annual Review 2023: A new chapter"
    forum = _cover(("Tarrow Basin Water Council", 760, 13), ("Regional Water Security Forum 2019", 740, 12),
                   ("Summary of Proceedings", 700, 26), ("12-13 June 2019", 600, 11))
    assert cover_title(forum, 10) == "Regional Water Security Forum 2019: Summary of Proceedings"
    plan = _cover(("Strategic Plan", 740, 12), ("Evidence that Counts", 700, 27))
    assert cover_title(plan, 10) == "Strategic Plan: Evidence that Counts"
    # a title with its own year, or one a date stands above, stays as it is printed
    dated = _cover(("Independent evaluation report", 740, 12), ("Reading Buddies: Evaluation 2021-2023", 700, 27))
    assert cover_title(dated, 10) == "Reading Buddies: Evaluation 2021-2023"
    assert cover_title(_cover(("March 2024", 740, 12), ("A new chapter", 700, 26)), 10) == "A new chapter"
