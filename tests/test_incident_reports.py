"""A library of aviation accident reports laid out as investigators publish them: a cover block of form fields set two
to a line, an analysis, the probable cause, and fields again on the next page. Readers name a report by its event
("the Bishop accident", "the crash near Pueblo") and ask for one field ("how old was the pilot?"): the field is quoted
alone, from the report of that event, and with the confidence a field whose label names what is asked deserves."""
from __future__ import annotations

from pathlib import Path

import pytest
from pypdf import PdfReader

from ingest.layout import read_page_layout
from ingest.pipeline import add_files
from pdfs import write_layout_pdf
from qa.answer_key import asked_heads, is_asked_field, label_fit
from qa.pipeline import QAPipeline
from qa.scope import parse

ACCIDENTS = [
    dict(town="Tullahoma, Tennessee", number="ERA21LA142", when="March 3, 2021, 14:15 Local", registration="N4471K",
         aircraft="Cessna 172N", age="58,Male", flown="412 hours (Total, all aircraft)",
         injuries="1 Minor, 1 None",
         analysis="The pilot departed on the cross-country flight with about 2 hours of fuel on board, based on a "
                  "visual check of the tanks. About 1.5 hours into the flight, the engine lost total power and the "
                  "pilot landed in a field, where the airplane struck a fence.",
         cause="The pilot's inadequate preflight fuel planning, which resulted in a total loss of engine power due "
               "to fuel exhaustion."),
    dict(town="Pueblo, Colorado", number="CEN22FA087", when="January 15, 2022, 09:42 Local", registration="N918PA",
         aircraft="Piper PA-28-181", age="34,Female", flown="1,950 hours (Total, all aircraft)",
         injuries="2 Fatal",
         analysis="Shortly after takeoff, the airplane entered a low cloud layer that had moved over the airport. "
                  "Radar data showed a series of climbing and descending turns before the airplane descended "
                  "rapidly and impacted terrain about 2 miles east of the runway.",
         cause="The flight instructor's decision to continue the flight into instrument meteorological conditions, "
               "which resulted in spatial disorientation and a loss of airplane control."),
    dict(town="Garden City, Kansas", number="CEN24LA055", when="November 29, 2023, 07:50 Local", registration="N5519Q",
         aircraft="Air Tractor AT-502B", age="29,Male", flown="1,120 hours (Total, all aircraft)",
         injuries="1 Minor",
         analysis="While spraying a wheat field, the engine began to lose power and emitted smoke. The pilot "
                  "jettisoned the load and landed in a plowed field, where the airplane nosed over.",
         cause="A partial loss of engine power due to the separation of a compressor turbine blade from "
               "overtemperature damage."),
]


def _fields(rows: list[tuple[str, str, str, str]], y: float) -> tuple[list[tuple], float]:
    """Two fields to a line, label in bold, as a form's grid prints them."""
    lines: list[tuple] = []
    for label, value, label2, value2 in rows:
        lines += [(label, 56, y, 9, "bold"), (value, 160, y, 9), (label2, 330, y, 9, "bold"), (value2, 430, y, 9)]
        y -= 14
    return lines, y - 10


def _paragraph(text: str, y: float, width: int = 100) -> tuple[list[tuple], float]:
    lines, line = [], ""
    for word in text.split():
        if len(line) + len(word) >= width:
            lines.append((line, 56, y, 9))
            line, y = "", y - 12
        line = f"{line} {word}".strip()
    return lines + [(line, 56, y, 9)], y - 22


def _report(path: Path, a: dict) -> Path:
    page1 = [("National Transportation Safety Board", 56, 740, 14, "bold"),
             ("Aviation Investigation Final Report", 56, 720, 16, "bold")]
    cover, y = _fields([("Location:", a["town"], "Accident Number:", a["number"]),
                        ("Date & Time:", a["when"], "Registration:", a["registration"]),
                        ("Aircraft:", a["aircraft"], "Aircraft Damage:", "Substantial"),
                        ("Injuries:", a["injuries"], "Defining Event:", "Loss of control")], 690)
    analysis, y = _paragraph(a["analysis"], y - 16)
    heading_y = y + 6
    cause, _ = _paragraph("The National Transportation Safety Board determines the probable cause(s) of this "
                          f"accident to be: {a['cause']}", y - 16)
    page1 += cover + [("Analysis", 56, analysis[0][2] + 16, 12, "bold")] + analysis
    page1 += [("Probable Cause and Findings", 56, heading_y - 6, 12, "bold")] + cause
    page1 += [(a["aircraft"], 56, 40, 8), ("Page 1 of 2", 500, 40, 8)]
    pilot, y = _fields([("Certificate:", "Private", "Age:", a["age"]),
                        ("Flight Time:", a["flown"], "Seat Occupied:", "Left")], 700)
    weather, _ = _fields([("Conditions at Accident Site:", "Visual (VMC)", "Condition of Light:", "Day")], y - 16)
    page2 = [(a["number"], 56, 760, 8), ("Pilot Information", 56, 720, 11, "bold"), *pilot,
             ("Meteorological Information", 56, y, 11, "bold"), *weather,
             (a["aircraft"], 56, 40, 8), ("Page 2 of 2", 500, 40, 8)]
    return write_layout_pdf(path, [page1, page2], title=a.get("title", a["number"]))


def test_fields_side_by_side_are_lines_of_their_own(tmp_path):
    layout = read_page_layout(PdfReader(_report(tmp_path / "r.pdf", ACCIDENTS[0])).pages[0])
    texts = [line.text.strip() for line in layout.lines]
    assert "Location: Tullahoma, Tennessee" in texts and "Accident Number: ERA21LA142" in texts
    assert "Date & Time: March 3, 2021, 14:15 Local" in texts  # a time's colon starts no field


def test_an_event_names_its_report_and_is_left_out_of_the_ask():
    named = parse("What was the probable cause of the accident near Tullahoma?")
    assert (named.event_words, named.event_ask) == (["tullahoma"], "What was the probable cause of the accident?")
    assert named.event_phrase == "the accident near Tullahoma"  # what the answer says it searched for
    assert parse("How old was the pilot in the Garden City accident?").event_words == ["garden", "city"]
    assert parse("What was the defining event in accident CEN24LA055?").event_words == ["cen24la055"]
    assert parse("In the Milwaukee case, were there siblings?").event_words == ["milwaukee"]
    port = parse("What caused the explosion at the Port Neches plant?")  # "at the <name>"
    assert (port.event_words, port.event_phrase) == (["port", "neches"], "the explosion at the Port Neches")
    fond_du_lac = parse("What was the race of the child in the Fond du Lac case?")  # a name's small words
    assert (fond_du_lac.event_words, fond_du_lac.event_phrase) == (["fond", "lac"], "the Fond du Lac case")
    for unnamed in ("What caused the fire?", "What caused the fatal accident in 2019?", "Why did the crash happen?"):
        assert parse(unnamed).event_words == [], unnamed
    assert parse("What was the temperature at Bishop?").place_words == ["bishop"]
    assert parse("How deep was the water off Carrick Sound?").place_words == ["carrick", "sound"]  # at sea
    assert parse("What happened in the 2020 report?").place_words == []


def test_the_label_that_names_what_is_asked():
    assert asked_heads("What was the registration number of the airplane?") == {"registr"}  # not "Accident Number"
    assert asked_heads("What type of aircraft crashed near Millinocket?") == {"type", "aircraft"}
    assert asked_heads("How much damage did the Beech A36 sustain?") == {"damag", "quantiti", "amount", "volum"}
    assert asked_heads("How much did it cost?") >= {"cost", "amount"}
    assert asked_heads("How many people were injured?") == {"injur"}  # the label says "Injuries"
    assert is_asked_field("How many people were injured?", "Injuries: 2 Fatal")
    assert is_asked_field("How many people died in the bridge collapse?", "Fatalities: 6")  # the dead, by another word
    for hurt in ("Was anybody hurt?", "Were there any injuries?", "How badly was the deckhand hurt?"):
        assert is_asked_field(hurt, "Injuries: 1 serious"), hurt  # whether anyone was hurt, by another word
    assert asked_heads("What hurt the economy?") == {"hurt"}
    question = "What type of aircraft crashed?"
    heads, asked = asked_heads(question), frozenset({"type", "aircraft", "crash"})
    assert label_fit(heads, asked, "Aircraft: Aviat A-1B") > label_fit(heads, asked, "Aircraft Damage: Substantial") > 0
    assert is_asked_field(question, "Aircraft: Aviat A-1B")
    assert not is_asked_field(question, "Aircraft Explosion: None")  # half its label was not asked for
    assert is_asked_field("When did the accident happen?", "Date & Time: January 15, 2022, 09:42 Local")
    assert not is_asked_field("When did it happen?", "Date: the committee met often and argued about the schedule "
                                                     "for many months before it agreed on one")


def _indexed(root: Path, accidents: list[dict], embedder) -> QAPipeline:
    """``accidents`` written as reports named by their numbers, indexed with the real model."""
    (root / "reports").mkdir()
    for a in accidents:
        _report(root / "reports" / f"{a['number']}.pdf", a)
    results = add_files([root / "reports"], root / "index", embedder=embedder, progress=False)
    assert [r.status for r in results] == ["added"] * len(accidents), results
    return QAPipeline(root / "index", embedder)


@pytest.fixture(scope="module")
def accidents(tmp_path_factory, embedder) -> QAPipeline:
    return _indexed(tmp_path_factory.mktemp("accidents"), ACCIDENTS, embedder)


@pytest.mark.slow
@pytest.mark.parametrize("question, quote, number", [
    ("What was the probable cause of the accident near Tullahoma?", "inadequate preflight fuel planning", "ERA21LA142"),
    ("How old was the pilot in the Garden City accident?", "Age: 29,Male", "CEN24LA055"),
    ("What was the registration number of the airplane in the Pueblo crash?", "Registration: N918PA", "CEN22FA087"),
    ("When did the accident in Pueblo happen?", "Date & Time: January 15, 2022, 09:42 Local", "CEN22FA087"),
    ("What was the flight time of the pilot who crashed at Pueblo?", "1,950 hours", "CEN22FA087"),  # a place alone
    ("Where did the Air Tractor accident happen?", "Location: Garden City, Kansas", "CEN24LA055"),
    ("How many people were injured in the Garden City accident?", "Injuries: 1 Minor", "CEN24LA055"),
])
def test_a_field_or_finding_of_the_report_the_event_names(accidents, question, quote, number):
    answer = accidents.ask(question)
    assert not answer.abstained and quote in answer.answer, answer.answer
    assert answer.confidence >= 0.5, answer.confidence
    assert Path(answer.citations[0].source).stem == number


@pytest.mark.slow
def test_a_follow_up_stays_with_the_event(accidents):
    earlier = "What was the accident number of the Tullahoma accident?"
    first = accidents.ask(earlier)
    assert "ERA21LA142" in first.answer and first.scope.reference == "the Tullahoma accident"
    answer = accidents.ask("What was the probable cause?", [earlier])
    assert "inadequate preflight fuel planning" in answer.answer, answer.answer


@pytest.mark.slow
def test_the_field_that_names_the_place_asked_about_is_no_answer(accidents):
    # "Location: Pueblo, Colorado" holds the question's words, which say which report, not what is asked.
    for question in ("Which airplane crashed in Pueblo?", "What happened to the airplane at Tullahoma?"):
        answer = accidents.ask(question)
        assert not answer.answer.startswith("Location:"), (question, answer.answer)


def _sectioned(title: str, sections: list[tuple[str, str]]) -> list[tuple]:
    """A page of a report: its title, then each section's heading and its text in lines."""
    page, y = [(title, 56, 740, 14, "bold")], 700
    for heading, text in sections:
        page.append((heading, 56, y, 12, "bold"))
        lines, y = _paragraph(text, y - 18)
        page += lines
    return page


def _one_report(root: Path, embedder, name: str, page: list[tuple]) -> QAPipeline:
    """The pipeline over an index of one report of one ``page``, written to ``root``/reports/``name``."""
    (root / "reports").mkdir()
    write_layout_pdf(root / "reports" / name, [page])
    add_files([root / "reports"], root / "index", embedder=embedder, progress=False)
    return QAPipeline(root / "index", embedder)


def _investigation(path: Path, vessel: str, place: str, finding: str) -> Path:
    """A marine investigation: a synopsis retelling the event in the words a reader names it by, an analysis of the
    watch, the conclusions in other words, and the branch's boilerplate."""
    page = _sectioned("Marine Investigation Branch", [
        ("1. Synopsis", f"At 04:35 on 3 February 2024 the general cargo vessel {vessel} ran aground on the rocks off "
                        f"{place} at a speed of 11 knots while on passage with a cargo of timber."),
        ("2. Factual information", f"{vessel} had a crew of eight and kept a six hours on, six hours off watch."),
        ("3. Analysis", "The bridge watch alarm had been switched off since the vessel left dry dock."),
        ("4. Conclusions", finding),
        ("About the investigation", "The sole objective of the investigation is the prevention of future accidents."),
    ])
    return write_layout_pdf(path, [page])


@pytest.fixture(scope="module")
def groundings(tmp_path_factory, embedder) -> QAPipeline:
    """Two marine investigations: the Elsa Maren's off Stornoway, the Island Lass's near Oban."""
    root = tmp_path_factory.mktemp("groundings")
    (root / "reports").mkdir()
    _investigation(root / "reports" / "mib-07.pdf", "Elsa Maren", "Stornoway",
                   "The chief officer fell asleep on watch and the vessel did not alter course at the waypoint.")
    _investigation(root / "reports" / "mib-09.pdf", "Island Lass", "Oban",
                   "The steering failed when a hydraulic oil leak emptied the steering gear reservoir.")
    add_files([root / "reports"], root / "index", embedder=embedder, progress=False)
    return QAPipeline(root / "index", embedder)


@pytest.mark.slow
def test_why_is_answered_from_the_conclusions_not_the_synopsis_that_repeats_the_question(groundings):
    answer = groundings.ask("Why did the cargo ship Elsa Maren run aground off Stornoway?")
    assert answer.answer.startswith("The chief officer fell asleep"), answer.answer
    assert Path(answer.citations[0].source).name == "mib-07.pdf"
    # a question asking when, or what happened, still reads the synopsis
    assert "04:35" in groundings.ask("When did the Island Lass run aground near Oban?").answer


@pytest.mark.slow
@pytest.mark.parametrize("question, quote", [
    ("How old was the pilot?", "Age: 34,Female"),
    ("And what was the registration of the plane?", "N918PA"),
])
def test_a_follow_up_stays_with_the_place_the_conversation_named(accidents, question, quote):
    # The earlier question names its report only by a place its text holds ("at Pueblo"), no title's words.
    earlier = "What was the flight time of the pilot who crashed at Pueblo?"
    answer = accidents.ask(question, [earlier])
    assert quote in answer.answer, answer.answer
    assert Path(answer.citations[0].source).stem == "CEN22FA087"


LOOK_ALIKES = [dict(ACCIDENTS[0], title="Total Loss of Engine Power and Forced Landing, Cessna 172N"),
               dict(ACCIDENTS[0], town="Lemmon, South Dakota", number="CEN24LA071", registration="N7723E",
                    title="Total Loss of Engine Power and Forced Landing, Cessna 172S",
                    analysis="During a prolonged descent at reduced power the pilot did not apply carburetor heat. "
                             "The engine lost total power and the pilot landed in a pasture.",
                    cause="The pilot's failure to apply carburetor heat, which resulted in carburetor icing and a "
                          "total loss of engine power."),
               ACCIDENTS[2]]  # another title: the question's words pick the two look-alikes out of the library


@pytest.fixture(scope="module")
def look_alikes(tmp_path_factory, embedder) -> QAPipeline:
    return _indexed(tmp_path_factory.mktemp("look_alikes"), LOOK_ALIKES, embedder)


@pytest.mark.slow
def test_the_place_tells_apart_reports_whose_titles_the_question_matches_alike(look_alikes):
    answer = look_alikes.ask("Why did the Cessna lose engine power near Lemmon?")
    assert Path(answer.citations[0].source).stem == "CEN24LA071", answer.answer
    # The scope in force says so: the Lemmon report preferred, not both look-alikes.
    assert [r.title for r in answer.scope.reports] == ["Total Loss of Engine Power and Forced Landing, Cessna 172S"]


@pytest.mark.slow
def test_a_follow_up_searches_the_report_of_the_conversations_place_first(look_alikes):
    earlier = "What caused the Cessna forced landing near Lemmon?"
    answer = look_alikes.ask("How old was the pilot?", [earlier])
    assert [r.title for r in answer.scope.reports] == ["Total Loss of Engine Power and Forced Landing, Cessna 172S"]
    assert answer.scope.searched == "only" and "58" in answer.answer, answer.answer


@pytest.mark.slow
def test_an_event_at_a_place_no_report_mentions_is_refused_saying_so(accidents):
    answer = accidents.ask("What was the probable cause of the helicopter crash near Uvalde?")
    assert answer.abstained and answer.answer == "No report mentions Uvalde.", answer.answer
    assert not accidents.ask("What was the probable cause of the crash near Pueblo?").abstained
    # A word of the place that reports use elsewhere ("City") does not make them speak of it.
    answer = accidents.ask("What was the probable cause of the helicopter crash near Elsworth City?")
    assert answer.abstained and answer.answer == "No report mentions Elsworth City.", answer.answer


@pytest.mark.slow
def test_a_code_no_report_holds_is_refused_saying_so(accidents):
    """An accident number, a protocol's, a model's name a thing exactly: when no report holds the code, a report on
    another accident is no answer, however alike its words."""
    answer = accidents.ask("What was the probable cause of accident CEN23FA999?")
    assert answer.abstained and answer.answer == "No report mentions CEN23FA999.", answer.answer
    answer = accidents.ask("What fuel does advisory circular AC-91-67 tell pilots to check before flight?")
    assert answer.abstained and answer.answer == "No report mentions AC-91-67.", answer.answer
    held = accidents.ask("What was the probable cause of accident ERA21LA142?")
    assert "inadequate preflight fuel planning" in held.answer, held.answer
    # a model named without its variant's letter is that model: "the AT-502" is the Air Tractor AT-502B
    variant = accidents.ask("Why did the engine of the AT-502 lose power?")
    assert "compressor turbine blade" in variant.answer, variant.answer


@pytest.mark.slow
def test_why_is_answered_from_the_stated_cause_before_a_finding_that_repeats_the_question(tmp_path, embedder):
    page = _sectioned("Aviation Investigation Final Report", [
        ("Summary", "The engine lost power during the descent to Lemmon and the pilot landed in a pasture."),
        ("Findings", "1. The engine ran normally during a postaccident test run of the engine at Lemmon."),
        ("Probable Cause", "The pilot's failure to apply carburetor heat, which resulted in carburetor icing.")])
    answer = _one_report(tmp_path, embedder, "cen24la071.pdf", page).ask("Why did the engine lose power near Lemmon?")
    assert "failure to apply carburetor heat" in answer.answer, answer.answer


@pytest.mark.slow
def test_under_a_heading_of_causes_the_sentence_stating_the_cause_answers_why(tmp_path, embedder):
    """Both sentences under "4. Cause and condition assessment" stand under a heading of causes; the one that says
    what caused the defects answers why, not the one after it."""
    page = _sectioned("National Bridges Inspectorate", [
        ("1. Summary", "Amberley Cross Footbridge was inspected on 2 May 2022. The principal condition observed was "
                       "severe corrosion of the bottom chord with section loss of up to 35%."),
        ("2. Description of the structure", "The footbridge is a steel truss of 34 m built in 1968."),
        ("4. Cause and condition assessment", "In the Inspectorate's assessment, the most likely cause of the defects is "
                                              "failure of the original paint system and water ponding on the bottom "
                                              "chord. The structure remains safe for use subject to the measures "
                                              "recommended below.")])
    answer = _one_report(tmp_path, embedder, "nbsi-2022-047.pdf", page).ask(
        "why was the amberley cross footbridge corroding so badly?")
    assert "failure of the original paint system" in answer.answer, answer.answer


@pytest.mark.slow
def test_asked_why_a_finding_is_quoted_with_the_sentence_that_explains_it(tmp_path, embedder):
    """An inspection states a finding and then explains it, in words that never say "because": asked why, the finding
    is quoted with the sentence after it in its paragraph."""
    finding = ("4.1 Lead exceeded the standard of 10 µg/l in one customer sample, at 12.6 µg/l. Orthophosphate dosing, "
               "used to control plumbosolvency, had been interrupted for eleven days in July 2023.")
    page = _sectioned("Drinking Water Inspectorate", [
        ("1. Summary", "Tarnside Water Treatment Works was inspected on 22 August 2023."), ("4. Findings", finding),
        ("5. Required actions", "The company must restore continuous dosing and report weekly.")])
    answer = _one_report(tmp_path, embedder, "tarnside.pdf", page).ask("why did lead go over the limit at tarnside")
    assert "Orthophosphate dosing" in answer.answer and "12.6" in answer.answer, answer.answer


@pytest.mark.slow
def test_the_year_of_the_event_is_the_year_of_its_report_published_the_next(tmp_path, embedder):
    """An investigation is published the year after its accident, which its cover's fields date; "in 2016" names the
    accident, so the analysis, which says no year, answers for it."""
    cover = [("Marine Investigation Branch", 56, 740, 14, "bold"), ("Grounding of the ferry Islay Wren", 56, 710, 18)]
    cover += [(f"{label} {value}", 56, 670 - 16 * k, 10) for k, (label, value) in enumerate([
        ("Vessel:", "Islay Wren"), ("Location:", "Skarth Ledge, Port Ellery"), ("Date of occurrence:", "14 November 2016"),
        ("Time:", "0647"), ("Date of publication:", "22 August 2017")])]
    page, y = [], 740
    for heading, text in [
        ("1. Synopsis", "The ferry Islay Wren ran aground on Skarth Ledge shortly after leaving Port Ellery."),
        ("2. Analysis", "The chart correction that moved the ledge's buoy, Notice to Mariners 38/2015, was missing "
                        "from the electronic chart the bridge team relied on."),
    ]:
        page.append((heading, 56, y, 12, "bold"))
        lines, y = _paragraph(text, y - 18)
        page += lines
    (tmp_path / "reports").mkdir()
    write_layout_pdf(tmp_path / "reports" / "mir-16-04.pdf", [cover, page])
    add_files([tmp_path / "reports"], tmp_path / "index", embedder=embedder, progress=False)
    answer = QAPipeline(tmp_path / "index", embedder).ask(
        "When the Islay Wren hit the rocks off Port Ellery in 2016, which chart correction was missing from its chart?")
    assert not answer.abstained and "38/2015" in answer.answer, answer.answer


@pytest.mark.slow
def test_what_caused_each_event_is_answered_from_each_reports_stated_cause(groundings):
    answer = groundings.ask("Two cargo ships ran aground. What caused each grounding?")
    assert sorted(Path(a.citations[0].source).name for a in answer.across) == ["mib-07.pdf", "mib-09.pdf"], answer.answer
    assert "fell asleep" in answer.answer and "hydraulic oil leak" in answer.answer, answer.answer
