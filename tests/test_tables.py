"""Tables in PDFs: a row keeps its cells with the column headers, prose is never glued to table text, and a
figure question quotes the right row, with the row and its header in the citation's ``table``."""
from __future__ import annotations

import sqlite3

import pytest

from conftest import SHARED
from ingest.formats import read_document
from ingest.index import DB_NAME, Index, verify
from ingest.pipeline import add_files, remove_documents
from ingest.splitting import split_passages
from ingest.models import Table
from ingest.tables import find_tables, page_tables, without_running_head
from pdfs import write_layout_pdf, write_pdf
from qa.models import Answer, Citation
from qa.pipeline import QAPipeline
from web.answer_view import answer_html

HEADER = ["Aircraft", "Flight hours", "Landings", "Fuel (litres)"]
ROWS = [
    ["Cessna 172", "412", "1,208", "16,480"],
    ["Piper Archer", "287", "655", "11,020"],
    ["Diamond DA40", "199", "431", "7,210"],
    ["Total", "898", "2,294", "34,710"],
]
COLUMNS = (56, 200, 300, 400)
PROSE_ABOVE = [
    "The Harbor Aviation Club flew more in 2023 than in any year since it was founded. Its members",
    "logged their hours on three aircraft, and the club kept its safety record clean all year long.",
]
PROSE_BELOW = [
    "Maintenance kept one aircraft on the ground for six weeks in the spring. The board expects the",
    "flight hours to grow again next year, when two new instructors join the club as volunteers.",
]


def _page() -> list[tuple]:
    """Prose, a table of figures under its header, prose: placed lines (text, x, y, size) of one page."""
    placed, y = [], 740
    for line in PROSE_ABOVE:
        placed.append((line, 56, y, 11))
        y -= 14
    y -= 14
    for cells in [HEADER, *ROWS]:
        placed += [(cell, x, y, 11) for x, cell in zip(COLUMNS, cells)]
        y -= 14
    y -= 14
    for line in PROSE_BELOW:
        placed.append((line, 56, y, 11))
        y -= 14
    return placed


PDFS = SHARED / "data" / "pdfs" / "pdfplumber-tests" / "tests" / "pdfs"
FEDERAL = SHARED / "data" / "reports" / "us-federal"


def write_flight_log(path):
    return write_layout_pdf(path, [_page()], title="Harbor Aviation Club annual report 2023")


@pytest.fixture
def flight_log(tmp_path):
    return write_flight_log(tmp_path / "flight-log.pdf")


def test_rows_keep_their_cells_together_with_the_header(flight_log):
    doc = read_document(flight_log)
    [table] = doc.tables
    assert (table.header, table.rows, table.page) == (HEADER, ROWS, 1)
    rows = [p for p in split_passages(doc) if p.table]
    # Each row is a passage of one sentence, its cells in order, and knows the header it stands under.
    assert [p.sentence_texts() for p in rows] == [[" | ".join(row)] for row in ROWS]
    assert all(p.table.header == HEADER for p in rows) and [p.table.rows for p in rows] == [[row] for row in ROWS]


def test_prose_is_never_glued_to_table_text(flight_log):
    passages = split_passages(read_document(flight_log))
    prose = [s for p in passages if p.table is None for s in p.sentence_texts()]
    assert "The Harbor Aviation Club flew more in 2023 than in any year since it was founded." in prose
    assert prose[-1] == "The board expects the flight hours to grow again next year, when two new instructors join the club as volunteers."
    cells = {cell for row in ROWS for cell in row} | {"Landings", "Fuel (litres)"}
    assert not [s for s in prose for cell in cells if cell in s]
    table_text = " ".join(s for p in passages if p.table for s in p.sentence_texts())
    assert "Maintenance" not in table_text and "Harbor" not in table_text


def test_figures_in_prose_lines_are_not_a_table(tmp_path):
    lines = [f"In {year} the club had {members} members and {aircraft} aircraft, and flew {hours} hours in all."
             for year, members, aircraft, hours in [(2020, 40, 2, 510), (2021, 44, 3, 640), (2022, 52, 3, 770)]]
    assert read_document(write_pdf(tmp_path / "prose.pdf", [lines])).tables == []
    assert find_tables("\n".join(lines)) == []


def test_a_figure_question_quotes_the_row_under_its_header(flight_log, scratch_index, embedder):
    [added] = add_files([flight_log], scratch_index, embedder=embedder, progress=False)
    assert added.status == "added"
    qa = QAPipeline(scratch_index, embedder)
    answer = qa.ask("What were the total flight hours?")
    assert answer.answer == "Total | 898 | 2,294 | 34,710"
    assert answer.to_dict()["citations"][0]["table"] == {"header": HEADER, "rows": [ROWS[3]]}
    answer = qa.ask("How many landings did the Piper Archer make?")
    assert answer.to_dict()["citations"][0]["table"] == {"header": HEADER, "rows": [ROWS[1]]}
    # A row's words for lexical matching include its header's; `ingest verify` checks them, and the FTS5 rows.
    reader = Index(scratch_index)
    [total] = [p for p in reader.passages(list(range(1, reader.passage_count() + 1))).values()
               if p.table and p.text.startswith("Total")]
    assert {"flight", "hour", "land", "total"} <= set(total.sentence_stem_sequences[0])
    assert verify(scratch_index).ok
    remove_documents([added.doc_id], scratch_index)
    assert verify(scratch_index).ok


def test_an_amount_asked_of_a_rows_label_is_its_row_not_a_sentence_holding_another_sum(tmp_path, embedder):
    """Pages of prose on what the foundation spent its money on rank above its table; the one sentence among them that
    holds a sum is on grants, and says nothing of administration: the table's "Administration" row answers."""
    prose = ["The foundation spent the year strengthening the programmes that its donors care about most, and it",
             "spent carefully. The foundation made 146 grants totalling $4.66 million to partners along the coast.",
             "Spending on programmes grew as the foundation opened a second office and hired two new officers,",
             "while the board asked the foundation to keep its spending on overheads as low as it could be kept."]
    pages = [[(line, 56, 740 - 14 * k, 11) for k, line in enumerate(prose * 3)] for _ in range(3)]
    header, rows = ["Category", "2021", "2022"], [["Grants awarded", "4,310", "4,655"], ["Administration", "598", "612"],
                                                 ["Fundraising", "281", "297"]]
    pages.append([(cell, x, 700 - 14 * r, 11) for r, cells in enumerate([header, *rows])
                  for x, cell in zip((56, 300, 400), cells)])
    path = write_layout_pdf(tmp_path / "annual-report.pdf", pages, title="Harbor Foundation Annual Report 2022")
    add_files([path], tmp_path / "index", embedder=embedder, progress=False)
    answer = QAPipeline(tmp_path / "index", embedder).ask("How much did the foundation spend on administration?")
    assert answer.answer == "Administration | 598 | 612"


def test_a_question_that_names_a_measure_alone_is_answered_by_its_row(tmp_path, embedder):
    """"The fleet's operating days in the third quarter?" asks no "how many", but a measure named alone is asked of a
    table: its row, not the note under the table that defines it."""
    header, rows = ["Key figures", "Q3 2022", "Q3 2021"], [["Vessel operating days", "1,295", "1,310"],
                                                           ["Fleet at end of quarter", "15", "14"]]
    page = [(cell, x, 700 - 14 * r, 11) for r, cells in enumerate([header, *rows])
            for x, cell in zip((56, 300, 400), cells)]
    page += [("Vessel operating days in the quarter exclude the off-hire days of the fleet.", 56, 620, 9)]
    prose = ["The third quarter was marked by firm freight rates in the Baltic and a steady order book for the fleet.",
             "Two vessels completed scheduled dry-docking during the quarter and returned to service on time."]
    page += [(line, 56, 580 - 14 * k, 11) for k, line in enumerate(prose)]
    path = write_layout_pdf(tmp_path / "IR_Q3-22.pdf", [page], title="Kestrel Shipping ASA Third Quarter 2022 Results")
    add_files([path], tmp_path / "index", embedder=embedder, progress=False)
    pipeline = QAPipeline(tmp_path / "index", embedder)
    answer = pipeline.ask("Kestrel's vessel operating days in the third quarter of 2022?")
    assert answer.answer == "Vessel operating days | 1,295 | 1,310"


def test_a_quoted_row_is_shown_as_a_table_with_every_cell_escaped():
    table = {"header": ["Item <b>", "Hours"], "rows": [["<script>x()</script>", "1,234"]]}
    html = answer_html(Answer("q", "<script>x()</script> | 1,234", False, 0.8,
                              [Citation("d", "T", 2, "<script>x()</script> | 1,234", 0, 29, 0.1, "", table=table)]))
    quote = html.split('<blockquote class="qa-quote">')[1].split("</blockquote>")[0]
    assert '<th scope="col">Item &lt;b&gt;</th><th scope="col">Hours</th>' in quote
    assert "<td>&lt;script&gt;x()&lt;/script&gt;</td><td>1,234</td>" in quote
    assert "<script>" not in html


@pytest.mark.slow  # large real PDFs
@pytest.mark.skipif(not PDFS.is_dir(), reason=f"pdfplumber's test PDFs not found at {PDFS}")
@pytest.mark.parametrize("name, first_cell, cells, header_word", [
    ("nics-background-checks-2015-11.pdf", "Alabama", ["18,870", "23,022", "71,137"], "Permit"),
    ("WARN-Report-for-7-1-2015-to-03-25-2016.pdf", "07/01/2015", ["El Segundo", "72"], "Company"),
])
def test_tables_of_real_public_records(name, first_cell, cells, header_word):
    doc = read_document(PDFS / name)
    found = [(t, row) for t in doc.tables for row in t.rows if row[0] == first_cell and set(cells) <= set(row)]
    assert found, f"no row {first_cell} with {cells} in {name}"
    table, row = found[0]
    assert any(header_word in cell for cell in table.header)
    assert " | ".join(c for c in row if c) in doc.text


@pytest.mark.skipif(not FEDERAL.is_dir(), reason=f"federal reports not found at {FEDERAL}")
def test_a_table_set_cell_by_cell_under_a_header_of_years(tmp_path):
    """ReportLab ends every cell with a line break, so pypdf's plain text has one cell per line; the header's figures
    are years only, which head columns: the header, not a row. Each row is one passage, under it."""
    header, rows = ["City", "Country", "2017", "2021"], [["Gaborone", "Botswana", "33%", "29%"],
                                                          ["Maputo", "Mozambique", "52%", "46%"],
                                                          ["Bulawayo", "Zimbabwe", "41%", "48%"]]
    placed = [(line, 56, 740 - 14 * i, 11) for i, line in enumerate(PROSE_ABOVE)]
    for k, cells in enumerate([header, *rows]):
        placed += [(cell, x, 680 - 20 * k, 11) for x, cell in zip(COLUMNS, cells)]
    pdf = write_layout_pdf(tmp_path / "brief.pdf", [placed], title="Non-revenue water", line_breaks=True)
    tables = [p.table for p in split_passages(read_document(pdf)) if p.table is not None]
    assert [(t.header, t.rows) for t in tables] == [(header, [row]) for row in rows]


def test_years_set_apart_from_their_figures_head_them_and_start_another_table():
    """A word processor sets a header's years flush left over figures set flush right; the second table's header of
    years, right under the first table's total, starts that table, its caption no cell of the total."""
    layout = "\n".join([
        "Source                          2020                            2021",
        "Trusts and foundations                              812,400                         905,000",
        "Total income                                      1,385,000                       1,602,000",
        "",
        "Expenditure by activity",
        "",
        "Activity                        2020                            2021",
        "Research                                            702,000                         781,500",
        "Total expenditure                                 1,326,000                       1,519,000",
    ])
    income, spending = find_tables(layout)
    assert income.header == ["Source", "2020", "2021"] and income.rows[-1] == ["Total income", "1,385,000", "1,602,000"]
    assert spending.header == ["Activity", "2020", "2021"] and spending.rows[0] == ["Research", "702,000", "781,500"]


def test_figures_with_their_units_under_years_set_right_above_the_first_row():
    """Rows parted by blank lines, the header of years right above the first: "389 days" is a figure like "41"."""
    layout = "\n".join([
        "   Measure                                                 2023                        2024",
        "   Investigation reports published                         41                          43",
        "",
        "   Average time from occurrence to publication             389 days                    362 days",
        "",
        "   Operating budget                                        $19.6 million               $20.3 million",
    ])
    [table] = find_tables(layout)
    assert table.header == ["Measure", "2023", "2024"]
    assert table.rows == [["Investigation reports published", "41", "43"],
                          ["Average time from occurrence to publication", "389 days", "362 days"],
                          ["Operating budget", "$19.6 million", "$20.3 million"]]


def test_a_sections_label_between_rows_parted_by_blank_lines_heads_the_rows_below_it():
    """A statement of accounts: "Expenditure" after the row of total income labels what follows, not that total."""
    layout = "\n".join([
        "                                                  2022 (GBP)                        2021 (GBP)",
        "",
        "  Income",
        "",
        "  Investment income                               697,200                           644,400",
        "",
        "  Total income                                    1,458,900                         1,392,150",
        "",
        "  Expenditure",
        "",
        "  Grants awarded                                  1,061,250                         954,800",
        "",
        "  Governance costs                                40,100                            38,200",
    ])
    [table] = find_tables(layout)
    assert table.rows[1] == ["Total income", "1,458,900", "1,392,150"]
    assert table.rows[2] == ["Expenditure Grants awarded", "1,061,250", "954,800"]
    assert table.rows[3] == ["Governance costs", "40,100", "38,200"]


def test_a_header_of_words_set_right_above_the_first_of_rows_parted_by_blank_lines():
    layout = "\n".join([
        "   Time           Visibility                 Wind                 Sea state        Air temperature",
        "   0300           1.5 nautical miles         SW 8 knots           Slight           13 °C",
        "",
        "   0400           200 m                      SW 6 knots           Slight           12 °C",
        "",
        "   0500           300 m                      SSW 6 knots          Slight           12 °C",
    ])
    [table] = find_tables(layout)
    assert table.header == ["Time", "Visibility", "Wind", "Sea state", "Air temperature"]
    assert table.rows[1] == ["0400", "200 m", "SW 6 knots", "Slight", "12 °C"] and len(table.rows) == 3


def test_a_table_of_words_under_a_header_is_read_by_its_header():
    """Ratings in words have no column of figures, but every cell stands under a header cell; a cell wrapping onto
    a second line stays in its row, and a row whose cost is words is a row of its own, not the end of the one above."""
    layout = "\n".join([
        " Component                            Rating                Notes",
        " Concrete gravity section             Fair                  Scaling about 40 m²",
        " Spillway                             Poor                  Passes about 60% of inflow design flood",
        " Low-level outlet                     Unsatisfactory        Gate inoperable; stem bent",
        " The overall condition of Hollis Pond Dam is assessed as Poor.",
        "",
        " No.       Recommended action                                                 Priority            Estimated cost",
        " 1         Repair or replace the low-level outlet gate, stem and operator     Priority 1          $140,000",
        " 2         Keep the pond at least 0.5 m below the spillway crest until the    Priority 1          Owner action",
        "           gate is operable",
        " 3         Engineering study of options to increase spillway capacity         Priority 2          $85,000",
    ])
    ratings, actions = find_tables(layout)
    assert ratings.header == ["Component", "Rating", "Notes"]
    assert ratings.rows[2] == ["Low-level outlet", "Unsatisfactory", "Gate inoperable; stem bent"] and len(ratings.rows) == 3
    assert actions.header == ["No.", "Recommended action", "Priority", "Estimated cost"]
    assert actions.rows == [["1", "Repair or replace the low-level outlet gate, stem and operator", "Priority 1", "$140,000"],
                            ["2", "Keep the pond at least 0.5 m below the spillway crest until the gate is operable",
                             "Priority 1", "Owner action"],
                            ["3", "Engineering study of options to increase spillway capacity", "Priority 2", "$85,000"]]
    # a form's labels two to a line head no table
    assert find_tables("\n".join([" Location:     Corbin            Inspector:      Helen Okafor",
                                   " Owner:        Tamsin County     Condition:      Fair",
                                   " Dam type:     Earth embankment  Next due:       2022"])) == []


def test_a_table_of_words_whose_rows_are_parted_by_blank_lines_keeps_them_all():
    """An agenda set a row to a block, a blank line between: each row, its wrapped speaker with it, to the end."""
    layout = "\n".join([
        " Time           Session                                      Speaker",
        "",
        " 09:00          Welcome and introductions                    Capt. Kofi Amponsah, Gulf of Guinea Maritime",
        "                                                             Institute",
        "",
        " 10:30          Inspection practice: lessons from Senegal    Aminata Diallo, Directorate of Fisheries",
        "                                                             Protection, Senegal",
        "",
        " 15:30          Conclusions                                  Capt. Kofi Amponsah",
        "",
        " Summary of Discussions",
    ])
    [agenda] = find_tables(layout)
    assert agenda.header == ["Time", "Session", "Speaker"]
    assert agenda.rows == [["09:00", "Welcome and introductions", "Capt. Kofi Amponsah, Gulf of Guinea Maritime Institute"],
                           ["10:30", "Inspection practice: lessons from Senegal",
                            "Aminata Diallo, Directorate of Fisheries Protection, Senegal"],
                           ["15:30", "Conclusions", "Capt. Kofi Amponsah"]]


def test_a_masthead_whose_words_the_agenda_holds_across_rows_stays_above_it(tmp_path):
    """The organisers' names head the cover and recur among the speakers' affiliations: the masthead is no line of
    the agenda, which stays where it is printed, under the title, each cell a line of its own."""
    placed = [("Meridian Policy Institute and Pacific Ocean Commons Network", 60, 760, 11),
              ("Workshop on Marine Spatial Planning", 60, 730, 22), ("Suva, Fiji | 23-24 November 2021", 60, 700, 11),
              ("The workshop brought together 34 planners, fisheries officers, customary leaders and researchers from",
               60, 676, 10), ("eleven Pacific countries to share their experience of planning the ocean.", 60, 662, 10),
              ("Agenda", 60, 630, 14)]
    rows = [("Time", "Session", "Speaker"), ("09:00", "Opening remarks", "Hon. Litia Naivalu, Ministry of Fisheries"),
            ("09:30", "Keynote: Why plan the ocean?", "Prof. Meleane Fifita, Pacific Ocean Commons Network"),
            ("10:45", "Lessons from the Seychelles", "Amelia Fontaine, Meridian Policy Institute"),
            ("13:30", "Mapping customary tenure", "Ratu Josefa Tuilau, Pacific Ocean Commons Network"),
            ("15:15", "Data for planning", "Emma Clarke, Pacific Digital Futures Network"),
            ("16:45", "Closing session and next steps", "Peter Halvorsen, Meridian Policy Institute")]
    placed += [(cell, x, 610 - 18 * r, 9) for r, row in enumerate(rows) for x, cell in zip((74, 131, 358), row)]
    doc = read_document(write_layout_pdf(tmp_path / "workshop.pdf", [placed], line_breaks=True))
    assert doc.text.startswith("Meridian Policy Institute and Pacific Ocean Commons Network\n\nWorkshop on Marine")
    assert doc.tables and doc.tables[0].rows[1][2] == "Prof. Meleane Fifita, Pacific Ocean Commons Network"
    assert doc.text.index("eleven Pacific countries") < doc.text.index("09:00 | Opening remarks")


def test_a_covers_fields_set_in_two_columns_are_a_field_each(tmp_path):
    """A cover's "Label:" and value set in two columns, a cell per line as report generators set them: layout mode
    aligns the values like a table's figures, but each line is a field, never rows under a header of labels."""
    fields = [("Report number:", "MIR-16/04"), ("Vessel:", "Islay Wren"), ("IMO number:", "9412237"),
              ("Gross tonnage:", "2,964"), ("Length overall:", "64.2 m"), ("Date of occurrence:", "14 November 2016"),
              ("Time:", "0647"), ("Persons on board:", "87 passengers, 11 crew")]
    placed = [("Grounding of the ferry Islay Wren", 72, 740, 18)]
    placed += [(text, x, 690 - 16 * k, 10) for k, pair in enumerate(fields) for x, text in zip((72, 250), pair)]
    # a label that wraps, its colon on its second line, the value beside its first (a cell's lines, then the next cell)
    placed += [("Maximum allowable operating", 72, 546, 10), ("pressure:", 72, 535, 10), ("6,895 kPa", 250, 546, 10),
               ("Injuries:", 72, 519, 10), ("None", 250, 519, 10)]
    placed += [(line, 56, 480 - 14 * i, 11) for i, line in enumerate(PROSE_ABOVE)]
    passages = split_passages(read_document(write_layout_pdf(tmp_path / "mir-16-04.pdf", [placed], line_breaks=True)))
    assert not any(p.table for p in passages)
    sentences = [p.text[s.start:s.end] for p in passages for s in p.sentences]
    fields += [("Maximum allowable operating pressure:", "6,895 kPa"), ("Injuries:", "None")]
    assert all(f"{label} {value}" in sentences for label, value in fields), sentences


def test_a_covers_fields_set_two_to_a_line_are_a_field_each(tmp_path):
    """A cover's fields in two columns of label and value, two fields to a line: figures in some values make layout
    mode see a table, but each pair is a field, and a label that wraps ("Hazard" over "classification:") is one."""
    fields = [[("Report No.:", "BSI-2020-D031"), ("Height:", "18.6 m")], [("Dam ID:", "ND-031"), ("Crest length:", "412 m")],
              [("Dam name:", "Kessler Dam"), ("Year completed:", "1962")],
              [("Inspector:", "Helen Okafor"), ("Overall condition:", "Satisfactory")]]
    placed = [("Dam Safety Inspection Report", 72, 740, 18)]
    for k, line in enumerate(fields):
        placed += [(text, x, 690 - 16 * k, 10) for x, text in zip((72, 180, 320, 430), [t for pair in line for t in pair])]
    placed += [("Hazard", 72, 626, 10), ("classification:", 72, 615, 10), ("High", 180, 626, 10),
               ("Next inspection", 320, 626, 10), ("due:", 320, 615, 10), ("September 2022", 430, 626, 10)]
    placed += [(line, 56, 560 - 14 * i, 11) for i, line in enumerate(PROSE_ABOVE)]
    passages = split_passages(read_document(write_layout_pdf(tmp_path / "bsi-2020-d031.pdf", [placed], line_breaks=True)))
    assert not any(p.table for p in passages)
    sentences = [p.text[s.start:s.end] for p in passages for s in p.sentences]
    expected = [f"{label} {value}" for line in fields for label, value in line]
    assert all(field in sentences for field in expected + ["Hazard classification: High",
                                                           "Next inspection due: September 2022"]), sentences


# A form set as a table of labels and values without colons, the label and its value two runs of one line.
INCIDENT_FIELDS = [("Incident No.", "ER-2022-019"), ("Date and time of incident", "May 3, 2022, 22:10"),
                   ("Substance released", "Anhydrous ammonia"), ("Quantity released*", "About 320 pounds"),
                   ("Injuries", "None; 14 night-shift employees evacuated"), ("NDEP responder", "Raj Patel")]


def test_labels_and_values_without_colons_are_a_table_of_fields(tmp_path):
    """pypdf's text joins a label and its value with a space ("Substance released Anhydrous ammonia"), the fields
    one run-on sentence; their values all start at one x, far right of the labels: each is a row of two cells, a
    value wrapping onto a second line and a label wrapping over two included. The title above stays prose."""
    placed = [("INCIDENT REPORT", 72, 740, 16, "bold"), ("Anhydrous ammonia release at Fenwick Cold Storage", 72, 720, 12)]
    y = 690
    for label, value in INCIDENT_FIELDS:
        placed += [(label, 72, y, 10), (value, 210, y, 10)]
        y -= 14
    placed += [("Cause", 72, y, 10), ("Pressure relief valve on the high-pressure receiver lifted after a", 210, y, 10),
               ("compressor control failure", 210, y - 12, 10)]
    placed += [("Source / responsible", 72, y - 28, 10), ("party", 72, y - 40, 10), ("Fenwick Cold Storage LLC", 210, y - 40, 10)]
    placed += [(line, 72, y - 80 - 14 * i, 11) for i, line in enumerate(PROSE_ABOVE)]
    doc = read_document(write_layout_pdf(tmp_path / "er-2022-019.pdf", [placed]))
    [table] = doc.tables
    assert table.header == [] and table.rows == [list(f) for f in INCIDENT_FIELDS] + [
        ["Cause", "Pressure relief valve on the high-pressure receiver lifted after a compressor control failure"],
        ["Source / responsible party", "Fenwick Cold Storage LLC"]]
    sentences = [p.text[s.start:s.end] for p in split_passages(doc) for s in p.sentences]
    assert "Substance released | Anhydrous ammonia" in sentences
    assert not any("Anhydrous ammonia" in s and "Raj Patel" in s for s in sentences), sentences  # no run-on fields
    assert "Anhydrous ammonia release at Fenwick Cold Storage" in doc.text and PROSE_ABOVE[0] in doc.text


def test_prose_whose_words_meet_at_one_x_is_no_table_of_fields(tmp_path):
    """Three lines of prose, each of two runs, the second starting at one x: the words before it are as many on
    each line, as a proportional font's would be, not labels of different lengths."""
    placed = []
    for k, (left, right) in enumerate([("The district measured ozone", "at eleven stations in 2022."),
                                       ("The district measured sulfur", "at seven stations in 2022 too."),
                                       ("The district measured nitrous", "oxides at all of its stations.")]):
        placed += [(left, 72, 700 - 14 * k, 10), (right, 210, 700 - 14 * k, 10)]
    assert read_document(write_layout_pdf(tmp_path / "prose.pdf", [placed])).tables == []


def test_a_running_head_is_no_tables_header():
    """Layout mode reads the page's running head too, which a table starting the page would stand under."""
    table = Table(["", "Northgate Centre", "·", "Annual Report 2021"], [["Total income", "1,385,000"]])
    assert without_running_head(table, {"Northgate Centre · Annual Report 2021"}).header == []
    assert without_running_head(table, {"Another head"}) is table
    # printed above the last column's header, the head joined that cell
    merged = Table(["Indicator", "2022", "Brannvik Centre | State of the Grid 2023 2023"], [["Grid losses (%)", "6.3", "6.1"]])
    assert without_running_head(merged, {"Brannvik Centre | State of the Grid 2023"}).header == ["Indicator", "2022", "2023"]


def test_a_table_that_starts_a_page_keeps_its_rows_under_the_running_head(tmp_path):
    """Layout mode reads the running head above a table that starts the page as its header; the head is the page's
    furniture, and the rows are the table's all the same."""
    rows = [["Research", "702,000", "781,500"], ["Events", "96,000", "158,300"], ["Total", "1,326,000", "1,519,000"]]
    pages = []
    for number in (1, 2, 3):
        page = [("Northgate Centre", 72, 760, 9), ("Annual Report 2021", 400, 760, 9), (f"Page {number}", 300, 40, 9)]
        if number < 3:
            page += [(line, 56, 700 - 14 * i, 11) for i, line in enumerate(PROSE_ABOVE)]
        else:
            page += [(cell, x, 730 - 14 * k, 11) for k, cells in enumerate(rows) for x, cell in zip((72, 300, 420), cells)]
        pages.append(page)
    passages = split_passages(read_document(write_layout_pdf(tmp_path / "annual-report.pdf", pages)))
    assert [(p.text, p.table.header) for p in passages if p.table] == [(" | ".join(row), []) for row in rows]


def test_a_charts_axis_is_no_table():
    from ingest.tables import may_hold_table

    assert not may_hold_table("Percent\n0\n20\n40\n60\n80\n100\nTarget Value")
    assert may_hold_table("Country\nTotal\nBotswana\n7\n14\nMozambique\n19\n39\nZimbabwe\n8\n17")
    # an agenda's times, each a line of its own among the sessions and speakers: a table of words may be there
    agenda = [("09:00", "Opening remarks", "Hon. Litia Naivalu"), ("09:30", "Keynote: Why plan the ocean?", "Prof. Fifita"),
              ("10:45", "Mapping customary tenure", "Ratu Josefa Tuilau"), ("13:30", "Data for planning", "Emma Clarke"),
              ("15:15", "Lessons from the Seychelles", "Amelia Fontaine"), ("16:45", "Wrap-up", "Peter Halvorsen")]
    assert may_hold_table("Time\nSession\nSpeaker\n" + "\n".join("\n".join(row) for row in agenda))


def test_a_performance_table_puts_each_figure_under_its_year():
    from pypdf import PdfReader

    page = PdfReader(FEDERAL / "2019-annual-performance-report.pdf").pages[25]
    [table] = page_tables(page, page.extract_text())
    row = next(r for r in table.rows if r[0] == "1.1 A")
    by_heading = dict(zip(table.header, row))
    assert by_heading["Performance Measure"].startswith("Hiring manager satisfaction that applicants are referred")
    assert (by_heading["FY 2018 Results"], by_heading["FY 2019 Results"], by_heading["FY 2019 Target"]) == ("74.3", "73.5", "≥76.8")


@pytest.mark.skipif(not FEDERAL.is_dir(), reason=f"federal reports not found at {FEDERAL}")
def test_a_page_parsed_once_reads_as_pypdfs_own_layout_mode():
    """The reader parses a page's content stream once for its lines and its tables (ingest/layout.py,
    contents_parsed_once), and runs layout mode's steps itself on the operations parsed: its layout text must be
    pypdf's own, on a page with a table and on a cover, in this pypdf as in any later one."""
    from pypdf import PdfReader

    from ingest.layout import contents_parsed_once, read_page_layout
    from ingest.tables import _layout_text

    reader = PdfReader(FEDERAL / "2019-annual-performance-report.pdf")
    for number in (0, 25):
        own = PdfReader(FEDERAL / "2019-annual-performance-report.pdf").pages[number].extract_text(extraction_mode="layout")
        page = reader.pages[number]
        contents = page["/Contents"]
        with contents_parsed_once(page):
            assert page["/Contents"] is not contents  # parsed once, kept on the page while it is read
            read_page_layout(page)
            assert _layout_text(page) == own
        assert page["/Contents"] is contents


MEASURES = [("Average number of days to pay life insurance claims", ["5.5", "4.3", "3.9", "<10"]),
            ("Percent of health benefits claims processed within 30 days", ["98%", "99%", "97%", "98%"])]


def write_measures(path):
    """A performance report's page: each measure's name on a line of its own above a table whose one row is figures
    only, set apart below the years."""
    placed, y = [(line, 56, 740 - 14 * i, 11) for i, line in enumerate(PROSE_ABOVE + PROSE_BELOW)], 660
    for caption, figures in MEASURES:
        placed.append((caption, 56, y, 11))
        y -= 24
        for cells in (["FY 2019", "FY 2020", "FY 2021", "Target"], figures):
            placed += [(cell, x, y, 11) for x, cell in zip((56, 180, 300, 420), cells)]
            y -= 28
        y -= 16
    return write_layout_pdf(path, [placed], title="Benefits annual performance report")


def test_a_table_stands_under_the_caption_above_it(tmp_path):
    passages = split_passages(read_document(write_measures(tmp_path / "measures.pdf")))
    rows = [p for p in passages if p.table is not None]
    assert [(p.table.caption, p.text) for p in rows] == [(caption, " | ".join(figures)) for caption, figures in MEASURES]
    # The caption is its table's, read with its rows: no passage of its own.
    assert not [p for p in passages if p.table is None and p.text in dict(MEASURES)]
    # Prose ending as a sentence ends captions nothing: the flight log's rows stand under no caption.
    assert {p.table.caption for p in split_passages(read_document(write_flight_log(tmp_path / "log.pdf"))) if p.table} == {""}


def test_a_row_of_figures_alone_answers_for_its_caption(tmp_path, scratch_index, embedder):
    add_files([write_measures(tmp_path / "measures.pdf")], scratch_index, embedder=embedder, progress=False)
    answer = QAPipeline(scratch_index, embedder).ask(
        "What was the average number of days to pay life insurance claims in FY 2021?")
    assert not answer.abstained and answer.answer == "5.5 | 4.3 | 3.9 | <10"


def _fts_rows(index, word: str) -> list[int]:
    with sqlite3.connect(index / DB_NAME) as conn:
        return [r for (r,) in conn.execute("SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?", (f'"{word}"',))]


def test_a_row_is_found_by_its_caption_and_shown_under_it(tmp_path, scratch_index, embedder):
    """The caption is part of a row's lexical text, stored with its table, quoted above it; removing the report forgets
    every word of the row's, the caption's too (FTS5 is told the same text it was given)."""
    [added] = add_files([write_measures(tmp_path / "measures.pdf")], scratch_index, embedder=embedder, progress=False)
    [life] = [p for p in Index(scratch_index).passages(list(range(1, 20))).values()
              if p.table is not None and p.table.caption == MEASURES[0][0]]
    assert life.id in _fts_rows(scratch_index, "insurance")
    answer = QAPipeline(scratch_index, embedder).ask("What was the average number of days to pay life insurance claims?")
    assert answer.to_dict()["citations"][0]["table"]["caption"] == MEASURES[0][0]
    assert f"<caption>{MEASURES[0][0]}</caption>" in answer_html(answer)
    remove_documents([added.doc_id], scratch_index)
    assert _fts_rows(scratch_index, "insurance") == [] and verify(scratch_index).ok


def _health_report(path, year: int, staff: int):
    """A health agency's annual report: a sentence on its staff, and a table of them by directorate (no total)."""
    placed = [(f"Westmarch Health Agency Annual Report {year}", 56, 740, 18),
              ("6. Our people and governance", 56, 700, 13)]
    lines = [f"At 31 December {year} the agency employed {staff} full-time equivalent staff. Sickness absence",
             "averaged 4.1% over the year, and staff turnover fell for the second year running."]
    placed += [(line, 56, 680 - 14 * i, 11) for i, line in enumerate(lines)]
    placed.append(("Full-time equivalent staff by directorate", 56, 640, 13))
    y = 620
    for cells in [("Directorate", str(year - 1), str(year)), ("Health protection", "301", str(staff - 187)),
                  ("Health improvement", "118", "123"), ("Corporate and support", "61", "64")]:
        placed += [(cell, x, y, 11) for x, cell in zip((56, 300, 400), cells)]
        y -= 14
    return write_layout_pdf(path, [placed], title=f"Westmarch Health Agency Annual Report {year}")


def test_a_row_is_quoted_over_a_sentence_only_for_what_is_asked(tmp_path, embedder):
    """"In the health agency's 2022 annual report, how many full-time equivalent staff did it have?": the sentence
    counting all its staff, not the row "Health improvement | 123", whose label only repeats words naming the report;
    asked of what a row's label names, the row answers."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for year, staff in ((2022, 503), (2023, 517)):
        _health_report(folder / f"wha-{year}.pdf", year, staff)
    add_files([folder], tmp_path / "index", embedder=embedder, progress=False)
    qa = QAPipeline(tmp_path / "index", embedder)
    answer = qa.ask("In the health agency's annual report before the latest one, how many full-time equivalent staff "
                    "did they have at year end?")
    assert "employed 503 full-time equivalent staff" in answer.answer
    answer = qa.ask("In the health agency's 2022 annual report, how many staff did corporate and support have?")
    assert answer.answer == "Corporate and support | 61 | 64"


def test_years_head_their_columns_under_the_unit_of_the_figures():
    """"£000 | 2024 | 2025 | 2026" over a plan's projections is its header, the unit in the label column no figure."""
    text = "\n".join(["£000                     2024     2025     2026",
                      "Grants                  1,840    1,910    1,980",
                      "Donations                 420      440      470",
                      "Total income            2,690    2,940    3,180"])
    [table] = find_tables(text)
    assert table.header == ["£000", "2024", "2025", "2026"]
    assert table.rows[-1] == ["Total income", "2,690", "2,940", "3,180"]
