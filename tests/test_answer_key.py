"""The answer inside the quote (qa/answer_key.py): which words of a quoted sentence answer the question."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT
from qa.answer_key import (answer_key, asked_heads, asks_for_author, asks_where_held, expected_kind, is_asked_field,
                           is_cover_byline, is_dateline, is_place_dateline, lacks_asked_kind, quote_key)
from qa.models import Answer, Citation
from web.answer_view import answer_html


def key_of(question: str, text: str) -> str | None:
    key = answer_key(question, text)
    return text[key[0]:key[1]] if key else None


@pytest.mark.parametrize("question, kind", [
    ("Who wrote the report?", "person"),
    ("Whose plan was adopted?", "person"),
    ("When was the agency founded?", "date"),
    ("In what year did the treaty take effect?", "date"),
    ("Where is the agency headquartered?", "place"),
    ("Which country hosted the summit?", "place"),
    ("How many countries signed the treaty?", "number"),
    ("How much did the programme cost?", "number"),
    ("What was the final score?", "number"),
    ("Which agency coordinates the response?", "name"),
    ("What is the name of the new office?", "name"),
    ("Why did the programme fail?", None),
    ("How does the agency set its budget?", None),
    ("What is space cooperation?", None),
    ("What caused the delay?", None),
    ("What type of engine was used?", None),
    # a leading clause says of what, not what is asked
    ("When the ferry hit the rocks in 2016, which chart correction was missing?", None),
    ("When the ship sank, how many people died?", "number"),
])
def test_the_question_says_what_kind_of_answer_it_wants(question, kind):
    assert expected_kind(question) == kind


def test_who_gets_the_person_named():
    assert key_of("Who wrote the report?",
                  "The report was written by Jane Alvarez, a senior fellow at the institute, in 2019.") == "Jane Alvarez"


def test_when_gets_the_date():
    assert key_of("When was the agency founded?", "The agency was founded in March 1947 in Geneva.") == "March 1947"


def test_how_many_and_how_much_get_the_number():
    assert key_of("How many countries signed the treaty?", "The treaty was signed by 42 countries in 1998.") == "42"
    assert key_of("How much did the program cost?", "The program cost $3.5 billion over five years.") == "$3.5 billion"


def test_a_day_of_a_month_is_no_amount():
    question = "How much did the foundation spend on administration in 2022, in thousands of dollars?"
    assert lacks_asked_kind(question, "In thousands of US dollars, for the years ended 31 December.")
    assert lacks_asked_kind("How long was Tonga cut off?", "On 15 January 2022 the eruption severed the cable.")
    assert not lacks_asked_kind(question, "Administration cost 612 thousand dollars in 2022.")
    assert not lacks_asked_kind("When did the eruption happen?", "On 15 January 2022 the eruption severed the cable.")
    assert lacks_asked_kind("How many sessions were held?", "Sessions were held in December ¹")  # a footnote mark, no figure


def test_a_time_of_day_or_a_code_is_no_amount():
    question = "How much chlorine got out during the hose failure?"
    assert lacks_asked_kind(question, "At about 10:12 on 21 June 2022 a transfer hose at the works ruptured.")
    assert lacks_asked_kind("How close did the train get to the machine?",
                            "At 22:17 freight train 6M52 was authorised by signal WC118 to enter the section.")
    assert lacks_asked_kind("How much water was found in the fuel?", "F2 The water entered through worn fuel cap seals.")
    assert not lacks_asked_kind(question, "An estimated 340 kg of chlorine escaped over approximately 11 minutes.")
    assert not lacks_asked_kind("How close did the train get?", "The driver stopped the train 210 metres short of it.")
    assert not lacks_asked_kind("How far did the aircraft roll?", "It left the runway 5m wide of the centreline.")
    assert expected_kind("How close did the train get to the machine?") == "number"
    # but a code is what "the registration number" asks for
    assert not lacks_asked_kind("What was the registration number of the airplane?", "Registration: N918PA")
    assert not lacks_asked_kind("What was the accident number of the Tullahoma accident?", "Accident Number: ERA21LA142")
    assert lacks_asked_kind("What was the number of passengers aboard?", "The ferry, IMO-9214458, was registered in 2004.")


def test_where_a_meeting_was_held_is_its_covers_line_of_place_and_days():
    assert asks_where_held("In which city was the dialogue held the year before the latest one?")
    assert asks_where_held("Where did the 2021 workshop take place?")
    assert not asks_where_held("Where will the next dialogue take place?")  # the report says where it is planned
    assert not asks_where_held("Where is the institute based?")
    assert is_place_dateline("Da Nang, Vietnam 17-18 October 2022")
    assert is_place_dateline("Colombo, Sri Lanka, and online | 9-10 November 2021 Convened by the Straits Institute")
    assert not is_place_dateline("Published December 2022")
    assert not is_place_dateline("In 2021 the dialogue met on 3 May 2021 in Colombo.")
    assert not is_place_dateline("Date: 4 May 2021")
    assert is_place_dateline("Tuesday 14 November 2023 · Corn Exchange, Bramwell")
    assert not is_place_dateline("Tuesday 14 November 2023")
    assert is_place_dateline("12–13 June 2019 Elmsford Town Hall Published by the Tarrow Basin Water Council, September 2019")
    assert not is_place_dateline("14 November 2023 The Board met.")


def test_a_field_of_a_date_names_no_person():
    question = "Who took the minutes at the board meeting on 7 March 2023?"
    assert lacks_asked_kind(question, "Meeting date: 7 March 2023")
    assert not lacks_asked_kind(question, "Minutes taken by: Leonie Bart")
    assert not lacks_asked_kind(question, "The meeting on 7 March 2023 was minuted by Leonie Bart.")


def test_a_length_of_time_is_no_size():
    question = "How big was the 2022 cohort of the fellowship?"
    assert lacks_asked_kind(question, "The fellowship offers researchers a ten-week residential programme in Singapore.")
    assert not lacks_asked_kind(question, "Twelve fellows from 8 countries were selected from 164 applications.")
    assert not lacks_asked_kind("How long is the programme?", "The fellowship is a ten-week residential programme.")


def test_a_rate_is_a_figure_or_a_share_not_a_count_in_words():
    question = "What was the response rate for the 2023 Civic Pulse survey?"
    assert lacks_asked_kind(question, "Open-ended responses were coded by two researchers independently.")
    assert not lacks_asked_kind(question, "The response rate was 41 per cent.")
    assert not lacks_asked_kind(question, "About half of those invited took part.")


def test_a_unit_asked_by_its_symbol_is_found_written_out_and_the_other_way_round():
    assert not lacks_asked_kind("How many km of water mains did they replace?",
                                "We replaced 61 kilometres of water mains during the quarter.")
    assert not lacks_asked_kind("How many kilometres of mains were replaced?", "We replaced 61 km of mains.")
    assert lacks_asked_kind("How many km of mains did they replace?", "We replaced 61 pipes in the quarter.")
    question = "How many residents were evacuated after the train derailed in Pinehurst?"
    assert not lacks_asked_kind(question, "740 people were evacuated from homes within the 1 km exclusion zone.")
    assert lacks_asked_kind(question, "Eleven wagons of a freight train derailed at the Pinehurst level crossing.")


def test_where_a_meeting_was_held_is_asked_of_its_venue():
    assert is_asked_field("Where was the 2021 dialogue held?", "Venue: Apia, Samoa")


def test_how_many_attended_is_asked_of_the_participants():
    for question in ("How many people attended the 2022 dialogue?", "How many delegates took part?",
                     "What was the attendance at the forum?"):
        assert {"particip", "attend"} <= asked_heads(question), question


def test_who_does_a_thing_is_asked_of_the_field_naming_the_doer():
    """"Who owns the procedure?" is its "Owner:"; "which team owns it" asks the same, and names no list."""
    assert is_asked_field("And who owns that procedure?", "Owner: Environmental Microbiology Section")
    assert is_asked_field("Which team owns the Category B packaging and shipping procedure?", "Owner: Specimen Logistics")
    assert "agenc" in asked_heads("Which agency leads the response?")  # the thing asked for still counts
    assert not asked_heads("Who is the owner?") >= {"is"}


def test_who_was_the_holder_of_a_role_is_asked_of_the_field_naming_the_role():
    """"Who was the inspector for the Castlebeck audit?" is its "Inspector:", not "Approved by: ..., Chief Inspector"."""
    question = "Who was the inspector for the Castlebeck audit?"
    assert asked_heads(question) == {"inspector"}
    assert is_asked_field(question, "Inspector: Graham Pattinson")
    assert not is_asked_field(question, "Approved by: Dr Colin Hartwell, Chief Inspector")
    assert asked_heads("Who won the game?") == set()


def test_a_table_row_must_name_what_how_much_measures():
    """A row of electricity used does not say how much water was, though it holds a figure; prose may say it
    otherwise ("used 1.2 million cubic metres"), so only rows are held to it."""
    header = "Indicator | 2019 | 2020 | 2021"
    assert lacks_asked_kind("How much water did the port use in 2021?", "Electricity use (MWh) | 63,480 | 58,910 | 60,340",
                            header, table=True)
    assert not lacks_asked_kind("How much water did the port use in 2021?", "Water use (m3) | 41,200 | 39,800 | 40,100",
                                header, table=True)
    assert not lacks_asked_kind("How much cargo did the port handle in 2020?",
                                "Cargo throughput (million tonnes) | 22.8 | 20.9 | 23.5", header, table=True)
    assert not lacks_asked_kind("How much water did the port use in 2021?", "The port used 40,100 cubic metres in 2021.")
    assert not lacks_asked_kind("How much did the foundation spend on governance?", "Governance costs | 38,200 | 36,700",
                                "Expenditure | 2021 | 2020", table=True)


def test_homes_are_counted_as_properties_or_houses():
    question = "How many homes had to be evacuated after the gas explosion?"
    assert not lacks_asked_kind(question, "In total 112 properties were evacuated.")
    assert not lacks_asked_kind("How many houses were damaged?", "35 homes were damaged.")
    assert lacks_asked_kind(question, "It supplied 430 customers in the town.")


def test_how_fast_asks_for_a_speed_or_a_rate():
    question = "How fast was the ferry going when it hit the bank?"
    assert lacks_asked_kind(question, "The ferry lost steering in fog, with visibility of about 0.2 nautical miles.")
    assert not lacks_asked_kind(question, "The ferry struck the bank at about 6 knots.")
    assert not lacks_asked_kind("How fast did revenue grow?", "Revenue grew 8% to EUR 2 billion.")


def test_a_change_in_percent_beside_a_rows_figures_is_no_unit_of_them():
    question = "How did operating revenues change over the four quarterly reports?"
    assert not lacks_asked_kind(question, "Operating revenues | 1,098.3 | 1,002.7 | +9.5%", table=True)
    assert lacks_asked_kind("What was copper revenue in Q3 2024?", "Copper sales | kt | 45.1 | 40.6", table=True)
    assert lacks_asked_kind("How much does the repair cost?", "Overall length | 142 m | +2%", table=True)


def test_a_company_asked_for_is_a_forms_contractor_or_supplier():
    assert {"contractor", "supplier"} <= asked_heads("Which company is installing shore power at the cruise terminal?")
    assert "contractor" not in asked_heads("Which terminal was finished first?")


def test_a_covers_authors_with_their_affiliations_then_its_date_say_who_wrote_it_and_when():
    credits = ("Nguyen Thi Lan, College of Environment and Natural Resources, Can Tho University Peter Halvorsen, "
               "Senior Fellow, Meridian Policy Institute 14 March 2022")
    assert is_cover_byline(credits) and is_dateline(credits, cover=True)
    assert not is_cover_byline("Harbor Foundation Annual Report 2021 December 2021")  # a title and its date
    assert not is_cover_byline("The board met in Colombo and Galle on 4 May 2021")
    # Names alone under a title, when the report writes none of their words in lower case; a subtitle's capitalised
    # words it does write so ("a public event", "virtual") are no names, nor is its publisher.
    lower_case = frozenset("the brief public virtual event of maritime security".split())
    assert is_cover_byline("Tomas Lindqvist", lower_case) and is_cover_byline("Owen Price and Dr Sara Malik", lower_case)
    assert not is_cover_byline("Tomas Lindqvist")  # nothing known of the report's words
    assert not is_cover_byline("Public Virtual Event", lower_case)
    assert not is_cover_byline("Kestrel Bay Port Authority", lower_case)
    assert asks_for_author("Who conducted the independent review?")
    assert asks_for_author("Which organisation carried out the independent evaluation of Reading Buddies?")
    assert not asks_for_author("Which organisation did the evaluation recommend as a partner?")


def test_where_gets_the_place():
    assert key_of("Where is the agency headquartered?",
                  "The agency is headquartered in Geneva, Switzerland, and has 300 staff.").startswith("Geneva")


def test_which_organisation_gets_its_whole_name():
    assert key_of("Which agency coordinates the response?",
                  "The response is coordinated by the Federal Emergency Management Agency, with state partners."
                  ) == "Federal Emergency Management Agency"


def test_why_and_what_is_questions_get_no_key():
    sentence = "The program failed in 2010 because Congress cut its funding."
    assert key_of("Why did the program fail?", sentence) is None
    assert key_of("What is the program?", sentence) is None


def test_no_key_in_a_quote_without_words():
    assert answer_key("Who wrote it?", "") is None
    assert answer_key("Who wrote it?", "— ; .") is None


def test_the_key_is_given_in_the_passage_and_shown_stronger_inside_the_quote():
    passage = "Lead sentence. The agency was founded in March 1947 <by> treaty. Tail."
    start, end = passage.index("The agency"), passage.index(" Tail")
    key = quote_key("When was the agency founded?", passage, start, end)
    assert passage[key[0]:key[1]] == "March 1947"
    citation = Citation("d", "Title", 1, passage, start, end, 0.5, "", passage_id=1, key=key)
    html = answer_html(Answer("When was the agency founded?", passage[start:end], False, 0.8, [citation]))
    quote = html.split('<blockquote class="qa-quote">')[1].split("</blockquote>")[0]
    assert 'founded in <strong class="qa-key">March 1947</strong> &lt;by&gt; treaty.' in quote
    source = html.split('<blockquote class="qa-passage">')[1]
    assert '<mark>The agency was founded in <strong class="qa-key">March 1947</strong> &lt;by&gt;' in source


@pytest.mark.slow
def test_squad_eval_reports_key_em_and_f1(tmp_path):
    context = ("The Danube flows through ten countries before it reaches the Black Sea. "
               "Its longest tributary is the Tisza, and the river was first mapped in 1576 by Wolfgang Lazius.")
    squad = {"version": "1.1", "data": [{"title": "Rivers", "paragraphs": [{"context": context, "qas": [
        {"id": "r1", "question": "In what year was the Danube first mapped?",
         "answers": [{"text": "1576", "answer_start": context.index("1576")}]},
        {"id": "r2", "question": "Who first mapped the Danube?",
         "answers": [{"text": "Wolfgang Lazius", "answer_start": context.index("Wolfgang")}]},
        {"id": "r3", "question": "Why does the Danube reach the sea?",
         "answers": [{"text": "it flows", "answer_start": 0}]},
    ]}]}]}
    path = tmp_path / "mini-squad.json"
    path.write_text(json.dumps(squad))
    out = tmp_path / "report.json"
    run = subprocess.run([sys.executable, "-m", "qa.cli", "eval", "--squad", str(path), "--cache", str(tmp_path / "cache"),
                          "--json", str(out)], capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONUTF8": "1"})
    assert run.returncode == 0, run.stdout + run.stderr
    assert "key_f1" in run.stdout and "key_em" in run.stdout
    report = json.loads(out.read_text())
    assert {r["id"]: r["key"] for r in report["questions"]} == {"r1": "1576", "r2": "Wolfgang Lazius", "r3": None}
    metrics = report["metrics"]
    assert metrics["key_em"] == metrics["key_f1"] == 1.0
    assert metrics["key_rate"] == pytest.approx(2 / 3, abs=1e-3)
