"""A report PDF read as a reader sees it: furniture, cover fields, headings, mended words; and titles and dates
people recognise, with where they came from (issue 12, items 1 and 2)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ingest.cli import app
from ingest.formats import read_document
from ingest.index import Index
from ingest.metadata import Metadata
from ingest.naming import find_date, is_date_line, is_real_title, resolve_date, resolve_title
from ingest.pipeline import add_files
from ingest.splitting import sentence_spans, split_passages
from pdfs import run_on, write_layout_pdf

RUNNING_HEAD = "Harbour Safety Review | Northern Ports Authority"
BODY = 11


def _paragraph(lines: list[str], top: float) -> list[tuple]:
    return [(text, 72, top - 14 * i, BODY) for i, text in enumerate(lines)]


def _report(path: Path, title: str = "0000320193-23-000077", body_pages: int = 3) -> Path:
    """A cover with a large title and a block of fields, and ``body_pages`` pages with a running head, a page number,
    a heading, a word hyphenated across a line break, a compound broken at its hyphen, and a bookmark id."""
    cover = [
        ("Harbour Safety Review", 150, 600, 28),
        ("Fiscal Year 2021", 220, 560, 18),
        ("Location: Port Elsworth", 72, 400, BODY),
        ("Date of inspection: 12 March 2021", 72, 386, BODY),
        ("Inspector: Dana Whitfield", 72, 372, BODY),
        (f"Page 1 of {body_pages + 1}", 280, 40, 9),
    ]
    pages = [cover]
    for number in range(2, body_pages + 2):
        page = [(RUNNING_HEAD, 72, 760, 9), (f"Page {number} of {body_pages + 1}", 280, 40, 9),
                ("_df8d58b0-bf81-11ec-ac27-35c7f582ea00", 558, 690, 1)]
        if number == 2:
            page += [("Findings", 72, 700, 16, "bold")] + _paragraph([
                "The harbour master reported that the northern breakwater needs repair before the winter storms,",
                "and that the well-known channel markers were moved twice during the year without any notice to",
                "pilots. A full inspec-",
                "tion of the moorings found eleven worn chains and a well-",
                "known weakness in the old pier, which the authority will replace by the end of next year.",
            ], 670)
        else:
            page += _paragraph([
                f"Page {number} continues the review of the harbour with the state of the cranes and of the berths,",
                "and of the roads that lead to them, which the authority inspects every year in the spring.",
            ], 700)
        pages.append(page)
    return write_layout_pdf(path, pages, title=title)


@pytest.fixture
def report(tmp_path) -> Path:
    return _report(tmp_path / "harbour-review.pdf")


def _sentences(passages) -> list[str]:
    return [s for p in passages for s in p.sentence_texts()]


def test_page_furniture_is_in_no_passage_but_names_the_report(report):
    doc = read_document(report)
    passages = split_passages(doc)
    for p in passages:
        assert "Northern Ports Authority" not in p.text and "of 4" not in p.text
    assert doc.identity == RUNNING_HEAD
    assert "df8d58b0" not in doc.text  # a bookmark id no reader sees


def test_a_short_reports_running_head_is_furniture_on_its_two_pages(tmp_path):
    doc = read_document(_report(tmp_path / "short-review.pdf", body_pages=2))
    assert doc.identity == RUNNING_HEAD
    assert all("Northern Ports Authority" not in p.text for p in split_passages(doc))


def test_each_cover_field_is_a_sentence_of_its_own(report):
    sentences = _sentences(split_passages(read_document(report)))
    for field in ("Location: Port Elsworth", "Date of inspection: 12 March 2021", "Inspector: Dana Whitfield"):
        assert field in sentences


def test_a_form_set_as_a_table_of_labels_and_values_is_a_sentence_per_field(tmp_path):
    """Each label printed apart from its value, as a web page's table of two columns prints them ("Vessel:", then
    "Nordic Star" to its right): one field each, not one run-on "sentence" of the whole form."""
    rows = [("Report No.:", "03/2023"), ("Vessel:", "Nordic Star"), ("Flag:", "Marshall Islands"),
            ("Injuries:", "1 serious")]
    cover = [("Marine Investigation Report", 72, 700, 20)]
    for n, (label, value) in enumerate(rows):
        cover += [(label, 72, 640 - 16 * n, BODY), (value, 200, 640 - 16 * n, BODY)]
    cover += _paragraph(["A stern mooring line parted under load while the bulk carrier was being moved along the",
                         "berth, and its recoiling end struck an able seaman standing near the mooring winch."], 500)
    sentences = _sentences(split_passages(read_document(write_layout_pdf(tmp_path / "mciu.pdf", [cover]))))
    for label, value in rows:
        assert f"{label} {value}" in sentences


def test_a_colon_after_an_abbreviation_continues_its_sentence_but_a_page_citation_does_not():
    def sentences(text: str) -> list[str]:
        return [text[s:e] for s, e in sentence_spans(text)]

    assert sentences("Report No.: 03/2023") == ["Report No.: 03/2023"]
    assert sentences("He was taught by Martin Sekulić.:32 The classes were held in German.") == [
        "He was taught by Martin Sekulić.", ":32 The classes were held in German."]


def test_a_heading_is_known_to_its_passages_and_is_never_part_of_a_sentence(report):
    passages = split_passages(read_document(report))
    under = [p for p in passages if p.page == 2]
    assert under and all(p.heading == "Findings" for p in under)
    assert under[0].text.startswith("Findings\n\n")
    assert not any("Findings" in s for s in _sentences(passages))
    # The heading stays in force on the next page, which has none of its own.
    assert {p.heading for p in passages if p.page == 3} == {"Findings"}


def test_line_breaks_inside_words_are_mended_and_compounds_keep_their_hyphen(report):
    sentences = _sentences(split_passages(read_document(report)))
    assert "A full inspection of the moorings found eleven worn chains and a well-known weakness in the old pier," \
           " which the authority will replace by the end of next year." in sentences


def test_footnote_markers_are_not_words_but_units_and_subscripts_stay(tmp_path):
    """A marker set small and raised after a word ("rule¹") is no part of the sentence, so "rule" matches a question's
    "rule"; "km²" after a short unit and a lowered "CO₂" are the report's words."""
    page = (run_on([("The dialogue was held under the Chatham House rule", BODY, 0), ("1", 6, 4),
                     (" and covered illegal fishing in an area of 12 km", BODY, 0), ("2", 6, 4), (" in all.", BODY, 0)], 700)
            + run_on([("Emissions of CO", BODY, 0), ("2", 6, -3), (" fell by a third.", BODY, 0)], 672)
            + [("1 Participants may use what they hear but not say who said it.", 72, 80, 8)])
    text = read_document(write_layout_pdf(tmp_path / "dialogue.pdf", [page])).text
    assert "the Chatham House rule and covered illegal fishing in an area of 12 km2 in all." in text
    assert "Emissions of CO2 fell by a third." in text
    assert "1 Participants may use" in text  # the footnote itself keeps its number


def test_a_marker_raised_by_a_text_rise_is_dropped_too(tmp_path):
    """ReportLab raises a superscript with a text rise (Ts), set a little smaller (0.8 of the size), which pypdf's
    text visitor is not told of: "metered.²" reads "metered."."""
    page = run_on([("fewer than 15 per cent is metered.", BODY, 0), ("2", 8.5, 5), (" The rest is", BODY, 0)], 700,
                  text_rise=True) + run_on([("Emissions of CO", BODY, 0), ("2", 8.5, -3), (" fell.", BODY, 0)], 672,
                                           text_rise=True)
    text = read_document(write_layout_pdf(tmp_path / "paper.pdf", [page])).text
    assert "fewer than 15 per cent is metered. The rest is" in text
    assert "Emissions of CO2 fell." in text


def test_a_footnote_is_a_passage_of_its_own_under_the_page_text(tmp_path):
    """Footnotes printed small at the foot of a page, each starting with its number, are passages of their own,
    flagged; the body text above them, and a line of small print that starts no note, are not."""
    page = (_paragraph(["The fourth dialogue met in Singapore in October 2022, and it was held under the Chatham",
                        "House rule so that officials could speak freely about incidents at sea and about the",
                        "repair of undersea cables after the storms of the year before."], 700)
            + [("Source: the institute's incident tracker.", 72, 640, 8),
               ("1 Participants may use what they hear but may not say who said it.", 72, 90, 8),
               ("2 Repair times are those the cable operators reported and may not include the time spent", 72, 80, 8),
               ("obtaining permits.", 72, 70, 8)])
    passages = split_passages(read_document(write_layout_pdf(tmp_path / "dialogue.pdf", [page])))
    notes = [p.text for p in passages if p.note]
    assert notes == ["1 Participants may use what they hear but may not say who said it.",
                     "2 Repair times are those the cable operators reported and may not include the time spent"
                     " obtaining permits."]
    body = [p.text for p in passages if not p.note]
    assert body and body[0].startswith("The fourth dialogue met in Singapore") and "Source:" in body[-1]


def test_a_footnote_numbered_in_brackets_is_one(tmp_path):
    """"(1) ECDIS: Electronic Chart Display ..." printed small under a page that marks "(1)" is its footnote, not a
    field of the report."""
    page = (_paragraph(["An unchecked ECDIS route with an incorrectly set safety contour led the tug across shoal",
                        "water and onto the bank south of the harbour entrance. (1)"], 700)
            + [("(1) ECDIS: Electronic Chart Display and Information System.", 72, 90, 8)])
    passages = split_passages(read_document(write_layout_pdf(tmp_path / "grounding.pdf", [page])))
    assert [p.text for p in passages if p.note] == ["(1) ECDIS: Electronic Chart Display and Information System."]


def test_a_compound_broken_at_its_hyphen_keeps_it_when_the_report_spells_it_nowhere_else(tmp_path):
    """Neither "thirty-one" nor "thirtyone" is anywhere else in the report: two English words that make no word joined
    keep their hyphen, while the halves of one word ("il-/legal", "pan-/demic") are joined."""
    page = _paragraph([
        "The dialogue brought together thirty-",
        "one experts for two days of in-",
        "person meetings on il-",
        "legal fishing after the pan-",
        "demic had kept them apart.",
    ], 700)
    passages = split_passages(read_document(write_layout_pdf(tmp_path / "dialogue.pdf", [page])))
    assert _sentences(passages) == ["The dialogue brought together thirty-one experts for two days of in-person meetings"
                                    " on illegal fishing after the pandemic had kept them apart."]


def test_a_date_line_and_a_line_drawn_in_type_are_no_heading_nor_words(tmp_path):
    """A transcript's caption: a box drawn in dashes, then the date in bold above the first paragraph. The date is a
    sentence of its own (a quote about what happened that day needs it), not a heading; the dashes are nobody's words."""
    page = [("- - - - - - - - - - - - - - x", 72, 700, BODY), ("Washington, D.C.", 72, 686, BODY),
            ("Tuesday, January 13, 2009", 72, 660, BODY, "bold")] + _paragraph([
        "The above-entitled matter came on for oral argument before the Supreme Court of the United States at",
        "1:01 p.m., and the Chief Justice called the case of the harbour authority against its former pilots.",
    ], 640)
    passages = split_passages(read_document(write_layout_pdf(tmp_path / "transcript.pdf", [page])))
    assert "Tuesday, January 13, 2009" in _sentences(passages)
    assert not any("2009" in p.heading for p in passages)
    assert not any("- -" in p.text for p in passages)


@pytest.mark.parametrize("line, date", [("Tuesday, January 13, 2009", True), ("March 2021", True), ("13 January 2009.", True),
                                        ("Report of March 2021", False), ("Fiscal Year 2021", False)])
def test_what_is_a_date_line(line, date):
    assert is_date_line(line) is date


def test_an_id_for_a_title_gives_way_to_the_cover_and_so_does_a_bare_year_to_the_covers_day(report):
    doc = read_document(report)
    assert (doc.title, doc.title_source) == ("Harbour Safety Review: Fiscal Year 2021", "cover")
    # The title names 2021; the cover's day in 2021 says more (a filing's "Q4 2023" and "quarter ended December 31").
    assert (doc.date, doc.date_source) == ("2021-03-12", "cover")


@pytest.mark.parametrize("title, cover, expected", [
    ("Harbourline Shipping Q4 2023 Quarterly Report", "For the quarter ended December 31, 2023", ("2023-12-31", "cover")),
    ("Annual Report 2022", "Published March 2023", ("2022", "title")),  # the cover's date is of another year
    ("Annual Report, May 2022", "Printed 3 June 2022", ("2022-05", "title")),  # the title's own month stands
    # a fiscal year's quarter ends in the calendar year before: its period's end, not the fiscal year alone
    ("Q2 FY2023 results", "Trading update for the three months ended 30 September 2022\nPublished 10 November 2022",
     ("2022-09-30", "cover")),
])
def test_a_title_naming_only_its_year_takes_the_covers_date_in_that_year(title, cover, expected):
    assert resolve_date("", title, cover, Path("report.pdf"), "2024-01-01") == expected


@pytest.mark.parametrize("title, cover, expected", [
    # an archive exported again in 2026: the title's year and the cover's publication line still date the report
    ("Annual Report 2021", "Holding steady in uncertain waters. Published May 2022", ("2021", "title")),
    ("Coastal Resilience Dialogue 2019: Key Findings", "The first Dialogue met on 9-10 May 2019 in Saltmere. "
     "Published July 2019", ("2019-07", "cover")),
    # no year in the title: the publication line, not a day the letter mentions
    ("Letter to our partners", "I took up the role of Director on 1 March 2023. Published April 2024", ("2024-04", "cover")),
    # no year in the title: the period the cover says the filing covers, not the day it was signed
    ("Northwind Instruments, Inc. Form 10-Q", "FORM 10-Q\nFor the quarterly period ended September 30, 2022\n"
     "Commission File Number: 001-38412\nDate: November 8, 2022", ("2022-09-30", "cover")),
    # a date printed alone on a line of the cover, not the target its prose names
    ("Harbour Dialogue: Key Findings", "Harbour Dialogue\nKey Findings\nDecember 2019\nThe parties aim to agree "
     "a code by March 2025.", ("2019-12", "cover")),
    # a date in the cover's prose long before the file was made is not the report's
    ("Harbour Review", "The harbour trust was founded on 4 May 1998.", ("2026-12-01", "created")),
    # a cover's field that dates the report, its label in a column of its own; not the field that looks ahead
    ("Tunnel Inspection Report", "Tunnel ID:\nNT-002\nInspection dates:\n18–19 October 2021\nNext inspection\ndue:\n"
     "October 2023", ("2021-10-18", "cover")),
    # a meeting's days on a line with its place, and a masthead's month: the report's, though the file is new
    ("Workshop on Marine Spatial Planning", "Summary Report\nSuva, Fiji | 23-24 November 2021\nPurpose",
     ("2021-11-23", "cover")),
    ("Cables Under Pressure", "MERIDIAN POLICY INSTITUTE - POLICY BRIEF No. 2022/08 - AUGUST 2022\nCables Under Pressure",
     ("2022-08", "cover")),
    ("Dialogue", "First Dialogue\nMarch 14\u201315, 2019\nPenang, Malaysia", ("2019-03-14", "cover")),
    # the year of a line under the title, before the cover's prose
    ("Maritime Security Fellowship", "Maritime Security Fellowship\n2022 Cohort Report\nThe Programme\nThe fellowship "
     "offers mid-career officials and researchers a ten-week residential programme in Singapore.", ("2022", "cover")),

    ("memo", "MEMORANDUM\nTo: Linda Carrow\nDate: June 30, 2022\nRe: Chemical mixing incident", ("2022-06-30", "cover")),
])
def test_a_title_year_or_a_publication_line_dates_a_report_made_long_after(title, cover, expected):
    assert resolve_date("", title, cover, Path("report.pdf"), "2026-12-01") == expected


def test_a_forms_revision_year_does_not_date_it():
    cover = ("DCF-F-2476-E (R. 04/2014)\n90-Day Summary Report\nOn January 10, 2015, the agency received a report "
             "regarding a child admitted to the hospital.")
    assert resolve_date("", "Public Notification", cover, Path("150109DSP.pdf"), "2015-07-20") == ("2015-01-10", "cover")


def test_a_real_title_is_kept_and_staff_values_always_win(tmp_path):
    doc = read_document(_report(tmp_path / "r.pdf", title="Review of the Northern Harbours"))
    assert (doc.title, doc.title_source) == ("Review of the Northern Harbours", "file")
    assert doc.date_source != "staff"
    doc = read_document(tmp_path / "r.pdf", Metadata(title="Given", date="2020-05-01"))
    assert (doc.title, doc.title_source, doc.date, doc.date_source) == ("Given", "staff", "2020-05-01", "staff")


def test_a_working_file_name_for_a_title_gives_way_to_the_cover_but_a_title_the_cover_lacks_stands(tmp_path):
    doc = read_document(_report(tmp_path / "r.pdf", title="HSR report FINAL FINAL"))
    assert (doc.title, doc.title_source) == ("Harbour Safety Review: Fiscal Year 2021", "cover")
    # a cover may print its title as a picture: an own title without a draft's words stands though the text lacks it
    assert resolve_title("", "OPM Annual Performance Report - Fiscal Year 2013", "United States Office of Personnel "
                         "Management", "United States Office of Personnel Management February 2014", "",
                         Path("apr.pdf")) == ("OPM Annual Performance Report - Fiscal Year 2013", "file")
    # and a draft's words that the cover prints are the title's own
    assert resolve_title("", "Final Report of the Harbour Commission", "Harbour Commission", "Final Report of the "
                         "Harbour Commission", "", Path("r.pdf")) == ("Final Report of the Harbour Commission", "file")


def test_a_files_own_title_gives_way_to_a_cover_title_that_says_it_and_more():
    cover = "Lanternfield Community Trust Annual Review 2020: Reading through a difficult year"
    assert resolve_title("", "Annual Review", cover, cover, "", Path("r.pdf")) == (cover, "cover")
    assert resolve_title("", "Strategy", "Strategic Plan: Evidence that Counts", "", "", Path("r.pdf")) == \
        ("Strategic Plan: Evidence that Counts", "cover")
    # an own title the cover's does not hold stands
    assert resolve_title("", "Review of the Northern Harbours", "Harbours", "", "", Path("r.pdf")) == \
        ("Review of the Northern Harbours", "file")


@pytest.mark.parametrize("title, real", [
    ("0000320193-23-000077", False), ("DOT2022", False), ("Microsoft Word - draft3.docx", False), ("untitled", False),
    ("harbour_review", False), ("AR2021 final", False), ("SP 2021-25 v3 draft", False), ("Template - policy paper", False),
    ("MIB 07/2024", False), ("PSB 2024-01", False), ("10811.exe", False), ("Coldharbour_LCT_RB_eval", False),
    ("NRDA AAR 2022 (web)", False), ("FY 2014 OPM Annual Performance Report", True),
    ("Annual Report 2022", True),
    ("Review of the Northern Harbours", True),
])
def test_what_is_not_a_title(title, real):
    assert is_real_title(title, Path("harbour_review.pdf")) is real


@pytest.mark.parametrize("text, date", [
    ("Form 10-Q for the quarterly period ended April 1, 2023", "2023-04-01"),
    ("Annual report for the year ending 30 June 2021. Published March 2022", "2021-06-30"),
    ("OPM.GOV MARCH 2019", "2019-03"),
    ("Strategic Plan FY 2022 – 2026", "2022"),
    ("In 1990 the harbour was built", ""),  # a year in prose does not date a report
    # an investigation's cover: the accident's date, then the report's
    ("Date of occurrence: 14 November 2016\nDate of publication: 22 August 2017", "2017-08-22"),
    ("SOP-WS-003 Version 2.1, effective 15 March 2021", "2021-03-15"),
])
def test_dates_on_a_cover(text, date):
    assert find_date(text, latest_year=2024) == date


def test_a_creation_date_pypdf_cannot_read_costs_only_the_date(tmp_path):
    """LibreOffice writes "D:20261201010729Z'", which pypdf cannot parse: the title and the author are still read."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=write_layout_pdf(tmp_path / "draft.pdf", [_paragraph(["Fares for young people."], 700)]))
    writer.add_metadata({"/Title": "Fair Fares", "/Author": "Hannah Lowe", "/CreationDate": "D:20261201010729Z'"})
    writer.write(tmp_path / "pp07.pdf")
    doc = read_document(tmp_path / "pp07.pdf")
    assert (doc.title, doc.title_source, doc.authors) == ("Fair Fares", "file", ["Hannah Lowe"])


def test_a_cover_published_years_after_its_files_creation_date_is_dated_by_its_cover():
    # A generator's fixed creation date (2000-01-01) bounds nothing: the cover's period and publication line stand.
    cover = "Quarterly Report \u2014 Second Quarter 2023\nFor the three and six months ended June 30, 2023\nPublished August 3, 2023"
    assert resolve_date("", "Quarterly Report \u2014 Second Quarter 2023", cover, Path("q2-2023.pdf"), "2000-01-01") == (
        "2023-06-30", "cover")
    fields = "Investigation Report\nReport No.: RS-2023-014\nDate of occurrence: 14 March 2023\nDate of publication: 29 September 2023"
    assert resolve_date("", "RPT_88213_final", fields, Path("RS-2023-014.pdf"), "2000-01-01") == ("2023-09-29", "cover")
    masthead = "Alderwood Hotels & Resorts\nInterim Report January\u2013June 2022\nAmsterdam, 28 July 2022"
    assert resolve_date("", "", masthead, Path("report_0001587316-22-000031.pdf"), "2000-01-01") == ("2022-07-28", "cover")


def test_a_date_later_than_the_file_is_not_the_reports():
    # "Vision 2030" names a goal, not the report's year; the creation date is the last resort.
    assert resolve_date("", "Vision 2030", "", Path("vision.pdf"), "2021-04-02") == ("2021-04-02", "created")
    assert resolve_date("", "Annual Report", "", Path("annual-report-2019.pdf"), "2020-01-10") == ("2019", "filename")


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "250"})


def test_staff_correct_metadata_without_reading_again_and_rebuild_keeps_it(tmp_path, report, embedder):
    index = tmp_path / "index"
    (added,) = add_files([report], index, embedder=embedder, progress=False)
    reader = Index(index)
    generation = reader.generation

    listed = run("list", "--index", str(index)).output
    assert "2021-03-12 (from cover)" in listed and "Fiscal Year 2021 (from cover)" in listed and "[dim]" not in listed
    result = run("set", added.doc_id, "--title", "Harbour Review 2021", "--date", "2022-02", "--author", "D. Whitfield",
                 "--index", str(index))
    assert result.exit_code == 0, result.output
    assert reader.refresh() and reader.generation == generation + 1  # the running app sees the change
    record = reader.document(added.doc_id)
    assert (record.title, record.title_source, record.date, record.date_source, record.authors) == (
        "Harbour Review 2021", "staff", "2022-02", "staff", ["D. Whitfield"])
    assert record.identity == RUNNING_HEAD

    assert run("rebuild", "--corpus", str(tmp_path / "none"), "--index", str(index)).exit_code == 0
    (rebuilt,) = json.loads(run("list", "--json", "--index", str(index)).output)
    assert (rebuilt["title"], rebuilt["date"], rebuilt["title_source"]) == ("Harbour Review 2021", "2022-02", "staff")

    assert run("set", "nosuchid", "--title", "X", "--index", str(index)).exit_code == 1
    bad = run("set", added.doc_id, "--date", "March 2021", "--index", str(index))
    assert bad.exit_code != 0 and "is not YYYY-MM-DD" in bad.output


def test_text_painted_by_a_form_is_read_at_the_size_and_place_it_is_printed(tmp_path):
    # Chromium paints text with opacity inside a form XObject under a scaling matrix; pypdf hands the form's text over
    # with the form's own matrices (pypdf issue #4079), which made this 10-point series label 40 points and the title.
    label = "q 3 0 0 3 0 0 cm BT /F1 13.33 Tf 1 0 0 1 0 0 Tm (Strategic Plan) Tj ET Q"
    cover = [("/Label Do", "0.25 0 0 0.25 56 740"), ("Strategic Plan 2024-2026", 56, 680, 25),
             ("Powering a Just and Prosperous West Africa", 56, 650, 14)]
    body = [(f"The plan sets out four goals for the institute's work in the years {n} to come.", 56, 600 - 14 * n, 10)
            for n in range(20)]
    path = write_layout_pdf(tmp_path / "plan.pdf", [cover, body], title="", forms={"Label": label})
    assert read_document(path).title == "Strategic Plan 2024-2026"


def test_a_covers_title_names_the_report_beside_the_files_own(tmp_path):
    cover = [("Energy Transition Dialogue 2023", 56, 680, 24), ("Key Findings", 56, 650, 16)]
    body = [(f"The dialogue met for two days and heard {n} panels on power, minerals and jobs.", 56, 600 - 14 * n, 10)
            for n in range(20)]
    doc = read_document(write_layout_pdf(tmp_path / "d.pdf", [cover, body], title="ETD 2023 Key Findings"))
    assert doc.title == "ETD 2023 Key Findings"  # the file's own title stands
    assert "Energy Transition Dialogue 2023: Key Findings" in doc.identity  # and the cover's names it too


def test_a_paragraph_set_more_loosely_than_the_columns_below_it_stays_one_paragraph(tmp_path):
    """An executive summary set at 14.5 points a line above two columns set at 10: its lines are one paragraph's, and
    a sentence runs on across them."""
    summary = ["Mauritius has committed to generating 60 percent of its electricity from renewable sources by 2030 and",
               "to phasing out coal in power generation by the same year. In 2021, renewables supplied about 19 percent",
               "of electricity. Closing the gap in less than a decade will require rapid investment in solar power and",
               "battery storage, and reforms to how the grid is planned and paid for."]
    column = ["The island's electricity system is small and", "isolated, with peak demand of around 500",
              "megawatts. Coal and heavy fuel oil still provide", "most of the power, and imports of fossil fuels cost",
              "the equivalent of around 6 percent of GDP each", "year. The sugar industry has long burned"] * 4
    placed = [("Executive Summary", 60, 740, 14)] + [(line, 60, 718 - 14.5 * k, 10) for k, line in enumerate(summary)]
    placed += [("Starting point", 60, 650, 11)] + [(line, 60 + 260 * (k // 12), 636 - 10 * (k % 12), 10)
                                                   for k, line in enumerate(column)]
    doc = read_document(write_layout_pdf(tmp_path / "brief.pdf", [placed]))
    sentences = [s for p in split_passages(doc) for s in p.sentence_texts()]
    assert "In 2021, renewables supplied about 19 percent of electricity." in sentences


def test_a_titles_colon_in_large_print_makes_no_form_field(tmp_path):
    """A title set on two lines, with a colon in the first, is one title, not a field "Cyber Norms ...: What Middle"
    and a heading "Powers Can Achieve"."""
    placed = [("Meridian Policy Institute - Policy Brief No. 2021/06", 60, 773, 11),
              ("Cyber Norms After the OEWG: What Middle", 60, 736, 22, "bold"), ("Powers Can Achieve", 60, 708, 22, "bold"),
              ("Aisha Rahman, Research Fellow, Meridian Policy Institute", 60, 680, 11), ("2 June 2021", 60, 646, 11),
              ("Executive Summary", 60, 607, 14, "bold")]
    placed += [("Middle powers have an opportunity to turn the norms agreed at the United Nations into practice, and",
                60, 587 - 14 * k, 10) for k in range(6)]
    doc = read_document(write_layout_pdf(tmp_path / "brief.pdf", [placed]))
    assert "\n\nCyber Norms After the OEWG: What Middle Powers Can Achieve\n\n" in doc.text


def test_a_generic_title_takes_the_subtitle_printed_much_smaller_under_it(tmp_path):
    """"Quarterly Monitoring Report" at 24 points names every report of its series; the line under it at 14 says which."""
    placed = [("BlueRoots Trust", 68, 762, 11), ("Quarterly Monitoring Report", 68, 731, 24, "bold"),
              ("Coastal Livelihoods Resilience Programme (CLRP) - Q3 2023", 68, 702, 14)]
    placed += [("Enrolment reached 980 households and 188 women-led enterprises have been supported by the programme.",
                68, 660 - 14 * k, 10) for k in range(5)]
    doc = read_document(write_layout_pdf(tmp_path / "qmr.pdf", [placed]))
    assert doc.title == "Quarterly Monitoring Report: Coastal Livelihoods Resilience Programme (CLRP) - Q3 2023"


def test_what_a_cover_prints_last_in_larger_type_is_its_text_not_the_heading_of_the_first_page(tmp_path):
    """The credits at the foot of a cover, set a little larger than the body, read as a heading with nothing under
    it on that page: a heading at the foot of a page heads the next page, but the cover's credits are the cover's
    own words (who wrote it, when), and the executive summary stands under no heading of them."""
    cover = [("Independent evaluation report", 60, 700, 12), ("Reading Buddies: Independent Evaluation", 60, 660, 27),
             ("Commissioned by Lanternfield Community Trust", 60, 200, 11),
             ("Dr Simone Lowe and Patrick Ebuka-Styles, Coldharbour Research", 60, 186, 11), ("June 2023", 60, 172, 11)]
    body = [("Executive summary", 60, 740, 14, "bold")] + [
        ("Reading Buddies is a volunteer reading programme run in primary schools by the trust and its partners.",
         60, 718 - 14 * k, 10) for k in range(8)]
    passages = split_passages(read_document(write_layout_pdf(tmp_path / "eval.pdf", [cover, body])))
    credits = [p for p in passages if "Coldharbour Research" in p.text]
    assert credits and credits[0].page == 1
    assert all("Commissioned" not in p.heading for p in passages if p.page == 2)
