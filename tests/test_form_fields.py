"""A form field whose label names what is asked ("Agency: ..." for "which agency ...", "Date of incident: ..." for
"when ...") answers it, though it shares a word or none with the question: the label read on text alone, then a
small library of incident forms with the real model, FAISS and SQLite."""
from __future__ import annotations

import pytest

from qa.answer_key import asked_heads, is_asked_field, labels_name, one_field
from qa.pipeline import QAPipeline
from ingest.pipeline import add_files
from pdfs import write_layout_pdf
from small_library import small_library


def test_what_a_label_would_call_the_answer():
    assert asked_heads("Which agency filed the summary report on the child death?") == {"agenc"}
    assert asked_heads("In the report on the incident near Millbrook, what was the cause?") == {"caus"}
    assert asked_heads("Which NFL team won Super Bowl 50?") == {"team"}
    assert {"date", "time"} <= asked_heads("When did the incident happen?")
    assert asked_heads("Who prepared the report?") == {"prepar"}  # "Prepared by:"
    assert asked_heads("Who was the director?") == {"director"}  # "Director:", as "what was the cause" asks "Cause:"
    assert labels_name(asked_heads("Who inspected the Hollis Pond Dam?"), "Inspector: Marcus Lindqvist, P.E.")
    # how much of a thing: the label names the thing, or says it is a quantity, whatever verb the form uses
    assert labels_name(asked_heads("How much fuel leaked?"), "Quantity released* | Approximately 4,200 gallons")
    assert is_asked_field("How much gas escaped?", "Quantity released* | Estimated 410,000 cubic feet")
    assert not is_asked_field("How much did it cost?", "Quantity released* | Estimated 410,000 cubic feet")


def test_a_field_is_found_among_the_fields_of_one_line():
    line = "Case Tracking Number: 150109-DSP-Milw-505 Agency: Bureau of Milwaukee Child Welfare"
    assert labels_name(asked_heads("Which agency filed the report?"), line)
    assert labels_name(asked_heads("When did it happen?"), "Date of Incident: 01/09/2015")
    assert labels_name(asked_heads("When is the bridge due for its next inspection?"), "Next inspection due: April 2026")
    assert not labels_name(asked_heads("Which agency filed the report?"), "The agency reviewed the case in March.")


def test_a_row_of_a_table_of_labels_and_values_is_a_field():
    """A form set as a table without colons is read as rows of two cells (ingest/tables.py label_tables): the first
    cell is the label, as the words before a colon are; a row of more cells is a table's, not a field."""
    assert labels_name(asked_heads("When did the ammonia release start?"), "Date and time of incident | May 3, 2022, 22:10")
    assert one_field("Quantity released* | About 320 pounds") == ("Quantity released*", "About 320 pounds")
    assert one_field("Time: 09:42") == ("Time", "09:42")
    assert one_field("Total | 3.1 km | 2,300") is None
    assert not labels_name(asked_heads("When did the ammonia release start?"), "Total | 3.1 km | 2,300 dates")


FORM = """---
title: Incident Summary {number}
date: {date}
---

Incident Summary {number}

Case number: {number} Responding agency: {agency}

Date of incident: {day}

Location: {town}

Narrative

Crews arrived to find a storage barn burning outside the village. The fire was brought under control within two
hours, and the owner was interviewed at the scene. Investigators filed their report with the county the following
week, and the neighbouring houses were saved.
"""


@pytest.fixture(scope="module")
def forms(tmp_path_factory, embedder) -> QAPipeline:
    return small_library(tmp_path_factory.mktemp("forms"), embedder, {
        "a.md": FORM.format(number="14-07", date="2021-07-20", agency="Millbrook Volunteer Fire Company",
                            day="July 14, 2021", town="Millbrook"),
        "b.md": FORM.format(number="14-09", date="2021-08-09", agency="Ashford County Fire Service",
                            day="August 2, 2021", town="Ashford")})


@pytest.mark.slow
def test_the_field_naming_what_is_asked_answers(forms):
    answer = forms.ask("In the report on the barn fire near Ashford, which agency filed the report?")
    assert "Ashford County Fire Service" in answer.answer, answer.answer
    answer = forms.ask("On what date did the incident near Millbrook take place?")
    assert "July 14, 2021" in answer.answer, answer.answer


def test_how_old_asks_for_an_age():
    assert asked_heads("In the Milwaukee report, how old was the child?") == {"ag"}
    assert labels_name(asked_heads("How old was the child?"), "Age: 1 Year 9 Months Gender: Female")


NOTICE = """---
title: Public Notification of a Child Death
date: 2015-01-10
---

Case Tracking Number: 150109-505 Agency: Bureau of Milwaukee Child Welfare

Date of Incident: 01/09/2015

The agency received a report regarding a child admitted to the hospital with serious injuries. Law enforcement was
contacted and opened an investigation, and the family was offered services.
"""


@pytest.mark.slow
def test_a_report_named_by_a_place_only_its_text_holds(tmp_path, embedder):
    """"The Milwaukee report": titles that merely say "Report" are not the ones meant; the one whose text names
    Milwaukee is, though its title does not say "report" (and "milwaukee" stems to "milwauke", which FTS5 would stem
    again to "milwauk")."""
    library = small_library(tmp_path, embedder, {
        "a.md": FORM.replace("Incident Summary", "Incident Report").format(
            number="14-07", date="2021-07-20", agency="Millbrook Volunteer Fire Company", day="July 14, 2021",
            town="Millbrook"),
        "b.md": FORM.replace("Incident Summary", "Incident Report").format(
            number="14-09", date="2021-08-09", agency="Ashford County Fire Service", day="August 2, 2021",
            town="Ashford"),
        "notice.md": NOTICE})
    for question in ("What was the date of the incident in the Milwaukee report?",
                     "In the report from Milwaukee, what was the date of the incident?"):
        answer = library.ask(question)
        assert answer.answer == "Date of Incident: 01/09/2015", question
        assert [r.title for r in answer.scope.reports] == ["Public Notification of a Child Death"], question


@pytest.mark.slow
def test_how_much_is_answered_from_the_quantity_row_of_a_form_without_colons(tmp_path, embedder):
    """"How much gas escaped?": the form's "Quantity released | Estimated 410,000 cubic feet" row, not the sentence
    that repeats "gas escaped" and holds no amount."""
    fields = [("Incident No.", "ER-2023-012"), ("Location", "Elm Street and Orchard Way, Greenvale"),
              ("Substance released", "Natural gas (methane)"), ("Quantity released", "Estimated 410,000 cubic feet"),
              ("Injuries", "None")]
    placed = [("INCIDENT REPORT", 72, 740, 16, "bold"), ("Natural gas main rupture, Greenvale", 72, 720, 12)]
    placed += [(text, x, 690 - 14 * k, 10) for k, pair in enumerate(fields) for x, text in zip((72, 210), pair)]
    prose = ["A directional drill struck and ruptured a 4-inch plastic gas main at 13:05 on March 29, 2023.",
             "Gas escaped through the bore and the surrounding soil.",
             "The fire department evacuated the nearby homes until the main was squeezed off at 16:40."]
    placed += [(line, 72, 600 - 14 * i, 11) for i, line in enumerate(prose)]
    folder = tmp_path / "reports"
    folder.mkdir()
    write_layout_pdf(folder / "er-2023-012.pdf", [placed])
    add_files([folder], tmp_path / "index", embedder=embedder, progress=False)
    answer = QAPipeline(tmp_path / "index", embedder).ask("How much gas escaped?",
                                                          ["When did the gas main get hit in Greenvale?"])
    assert answer.answer == "Quantity released | Estimated 410,000 cubic feet", answer.answer


DAM = """---
title: Dam Safety Inspection Report
date: 2022-10-04
---

# Description of the structure

Hollis Pond Dam is a concrete gravity dam 8.2 m high and 96 m long with stone masonry abutments, built in 1911 to
supply water power to a former woollen mill. The pond is now used for recreation.

# Inspection procedure

The inspection party walked the crest of Hollis Pond Dam, the downstream slope and the toe area, and examined the
spillway, the outlet works and the instrumentation. The owner's operator was present and operated the outlet gate.

# Findings

The sluice gate of Hollis Pond Dam could not be opened. The spillway passes about 60 per cent of the design flood.

# Recommendations

Repair or replace the low-level outlet gate, stem and operator. Keep the pond at least 0.5 m below the spillway crest.

# Signatures

Inspected by: Marcus Lindqvist

Reviewed by: Carol Mbeki
"""


@pytest.mark.slow
def test_who_did_it_is_answered_from_the_field_of_the_deed(tmp_path, embedder):
    """"Who inspected the Hollis Pond Dam?": the form's "Inspected by:", though sentences naming the dam and the
    inspection come first; a report of another year than the one asked is no answer."""
    pipeline = small_library(tmp_path, embedder, {"d047.md": DAM})
    answer = pipeline.ask("Who inspected the Hollis Pond Dam?")
    assert answer.answer == "Inspected by: Marcus Lindqvist", answer.answer
    assert "Lindqvist" not in pipeline.ask("Who inspected the Hollis Pond Dam in 2019?").answer
