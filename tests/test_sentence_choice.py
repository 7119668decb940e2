"""Which sentence becomes the answer (qa/reader.py), on hand-made passages: the best-evidenced sentence, weighed with
its passage; a list it introduces, to its last item, across passages; a sentence that leans on the one before; a
table row when the question asks for an amount."""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from fake_passages import following, passage
from ingest.models import Table
from ingest.text import stems
from qa.extract import SENTENCE_WEIGHTS, asks_for_amount, asks_outlook, asks_theme, best_span
from qa.retriever import Candidate

NOTHING_FOLLOWS = following()


def candidate(p, score: float, dense: list[float], lexical: list[float] | None = None) -> Candidate:
    return Candidate(p, score, {}, np.array(dense, dtype=np.float32), lexical or [0.0] * len(dense))


def test_no_candidates_no_answer():
    assert best_span([], NOTHING_FOLLOWS) is None


def test_the_sentence_most_like_the_question_is_quoted_alone():
    p = passage([["The dialogue met online.", "Mark Manantan prepared the report.", "Experts came from nine countries."]])
    span = best_span([candidate(p, 1.0, [0.2, 0.9, 0.3])], NOTHING_FOLLOWS)
    assert span.text == "Mark Manantan prepared the report."
    assert (span.pieces[0].first, span.pieces[0].last) == (1, 1)
    assert span.sentence_dense == pytest.approx(0.9)


def test_shared_words_count_beside_likeness():
    p = passage([["Budgets grew in 2020.", "Harbour budgets grew fastest in the north."]])
    # likeness alone prefers the first sentence; the second holds the question's rarer words
    span = best_span([candidate(p, 1.0, [0.6, 0.5], lexical=[0.0, 0.8])], NOTHING_FOLLOWS)
    assert span.text == "Harbour budgets grew fastest in the north."
    assert span.sentence_lexical == pytest.approx(0.8)


def test_a_sentence_is_weighed_with_its_passage():
    strong = passage([["The strong passage's sentence."]], id=1)
    weak = passage([["The weak passage's slightly likelier sentence."]], id=2, doc_id="other")
    # 0.6 in the top passage beats 0.8 in a passage 1.0 behind it (0.8 - 0.5 * 1.0 = 0.3)...
    assert best_span([candidate(strong, 1.0, [0.6]), candidate(weak, 0.0, [0.8])], NOTHING_FOLLOWS).text == strong.text
    # ...but not one only 0.1 behind (0.8 - 0.05 = 0.75)
    span = best_span([candidate(strong, 1.0, [0.6]), candidate(weak, 0.9, [0.8])], NOTHING_FOLLOWS)
    assert span.text == weak.text and span.candidate.passage.id == 2
    assert span.score == pytest.approx(SENTENCE_WEIGHTS["dense"] * 0.8 + SENTENCE_WEIGHTS["passage"] * -0.1)


def test_a_footnote_answers_only_when_the_body_says_less():
    body = passage([["The dialogue met in Manila in October."]], id=1)
    note = replace(passage([["1 The dialogue was held under the Chatham House rule."]], id=2), note=True)
    # The footnote is a little likelier ("held") but less than a footnote's penalty (0.2) ahead...
    span = best_span([candidate(body, 1.0, [0.5]), candidate(note, 1.0, [0.6])], NOTHING_FOLLOWS)
    assert span.text == "The dialogue met in Manila in October."
    # ...and answers when it is far ahead.
    span = best_span([candidate(body, 1.0, [0.2]), candidate(note, 1.0, [0.6])], NOTHING_FOLLOWS)
    assert span.candidate.passage.id == 2


def test_a_byline_says_who_wrote_the_report():
    cover = passage([["Southeast Asia Maritime Security Dialogue 2021", "By Siti Rahman December 2021",
                      "The dialogue's report was written after the meeting closed."]])
    span = best_span([candidate(cover, 1.0, [0.3, 0.2, 0.45])], NOTHING_FOLLOWS, "Who wrote it?")
    assert span.text == "By Siti Rahman December 2021"
    # Dated, it says when the report was written too.
    span = best_span([candidate(cover, 1.0, [0.3, 0.2, 0.45])], NOTHING_FOLLOWS, "When was the report written?")
    assert span.text == "By Siti Rahman December 2021"
    # Asked neither, the byline is a sentence like any other.
    span = best_span([candidate(cover, 1.0, [0.3, 0.2, 0.45])], NOTHING_FOLLOWS, "What happened after the meeting?")
    assert span.text != "By Siti Rahman December 2021"


def test_a_numbered_items_short_lead_is_quoted_with_what_it_heads():
    findings = passage([["1. Illegal fishing reached a record.",
                         "The tracker recorded 44 incursions by foreign fleets in 2022, the most since 2019."],
                        ["2. Coast guards met for the first time in Bali in June 2022 with nine member states present.",
                         "It was the forum the dialogue had recommended in 2019."]])
    span = best_span([candidate(findings, 1.0, [0.8, 0.3, 0.1, 0.1])], NOTHING_FOLLOWS, "What about illegal fishing?")
    assert span.text == ("1. Illegal fishing reached a record. The tracker recorded 44 incursions by foreign fleets in"
                         " 2022, the most since 2019.")
    # A numbered item that says its point in its first sentence is quoted alone.
    span = best_span([candidate(findings, 1.0, [0.1, 0.3, 0.8, 0.1])], NOTHING_FOLLOWS, "Did the coast guards meet?")
    assert span.text == "2. Coast guards met for the first time in Bali in June 2022 with nine member states present."


OBSTACLES = [["Obstacles to cooperation abound.", "First, there is too little transparency.",
              "Second, technology and politics are divided.", "Third, rivals do not trust each other.",
              "That mistrust runs deep."],
             ["The dialogue then turned to norms."]]


def test_a_sentence_that_introduces_a_list_runs_to_the_end_of_its_last_item():
    p = passage(OBSTACLES)
    span = best_span([candidate(p, 1.0, [0.9, 0.1, 0.1, 0.1, 0.1, 0.8])], NOTHING_FOLLOWS)
    # the last item's paragraph goes with it; the next paragraph does not
    assert span.text == " ".join(OBSTACLES[0])


def test_a_sentence_that_introduces_no_list_stays_alone():
    p = passage([["Obstacles to cooperation abound.", "The dialogue met online.", "Second, it was long."]])
    assert best_span([candidate(p, 1.0, [0.9, 0.1, 0.1])], NOTHING_FOLLOWS).text == "Obstacles to cooperation abound."


def test_a_list_runs_on_into_the_next_passage_of_its_report():
    first = passage([["The review names four key takeaways:", "(1) Build trust.", "(2) Share data."]], id=1, ordinal=0)
    # the next passage starts one space after the first ends, as the splitter cut the document
    second = passage([["(3) Train diplomats.", "(4) Reach new players."], ["Annex A lists the participants."]],
                     id=2, ordinal=1, start=first.end + 1)
    elsewhere = passage([["(5) Not this report's item."]], id=3, doc_id="other", ordinal=2)
    span = best_span([candidate(first, 1.0, [0.9, 0.2, 0.2])], following(first, second, elsewhere))
    assert [piece.passage.id for piece in span.pieces] == [1, 2]
    assert span.text == ("The review names four key takeaways: (1) Build trust. (2) Share data. (3) Train diplomats."
                         " (4) Reach new players.")


def test_a_sentence_that_leans_on_the_one_before_brings_it_along():
    p = passage([["Few ports can afford dredging.", "This gap leaves channels silted for years."],
                 ["This paragraph stands alone."]])
    assert best_span([candidate(p, 1.0, [0.1, 0.9, 0.2])], NOTHING_FOLLOWS).text == (
        "Few ports can afford dredging. This gap leaves channels silted for years.")
    # not across a paragraph break
    assert best_span([candidate(p, 1.0, [0.1, 0.2, 0.9])], NOTHING_FOLLOWS).text == "This paragraph stands alone."


def test_an_amount_question_prefers_a_table_row_to_prose():
    assert asks_for_amount("How many boats did the survey count?") and not asks_for_amount("Who funded the survey?")
    # a number that names a thing is asked of a form's field, not of a table's figures
    assert not asks_for_amount("What's the project number for the Family Literacy Cafés grant?")
    assert asks_for_amount("What number of projects did the grant fund?")
    assert asks_for_amount("What size of endowment is the think tank aiming for?")
    assert asks_for_amount("How big is the gap in male life expectancy between the two districts?")
    prose = passage([["The survey counted boats in every port of the north."]], id=1)
    header, row = ["Port", "Boats"], ["Northern ports", "412"]
    table = passage([["Northern ports | 412"]], id=2, table=Table(header, [row]))
    candidates = [candidate(prose, 1.0, [0.7]), candidate(table, 1.0, [0.5])]
    assert best_span(candidates, NOTHING_FOLLOWS, "Who funded the survey?").candidate.passage.id == 1
    span = best_span(candidates, NOTHING_FOLLOWS, "How many boats did the survey count?")
    assert span.candidate.passage.id == 2 and span.text == "Northern ports | 412"
    # A row on something else is no better than prose for being a row.
    staff = passage([["At the end of 2020 the survey team employed 23 staff."]], id=3)
    expenses = passage([["Communications | 214,700"]], id=4,
                       table=Table(["Programme", "2020"], [["Communications", "214,700"]]))
    span = best_span([candidate(staff, 1.0, [0.5]), candidate(expenses, 1.0, [0.55])], NOTHING_FOLLOWS,
                     "How many staff did the survey team employ?")
    assert span.candidate.passage.id == 3


def test_a_forecast_is_asked_of_the_outlook_not_of_the_periods_row():
    """"Ashgrove's latest guidance for net interest margin?": the outlook's sentence, not the row of the half's actual
    margin, though the row matches as well; asked the margin itself, the row answers."""
    outlook = passage([["We now expect full-year 2024 net interest margin of 2.85-2.95%."]], id=1)
    row = passage([["Net interest margin | % | 2.91 | 3.18"]], id=2,
                  table=Table(["Key figures", "Unit", "H1 2024", "H1 2023"],
                              [["Net interest margin", "%", "2.91", "3.18"]]))
    candidates = [candidate(outlook, 1.0, [0.6], [0.5]), candidate(row, 1.0, [0.6], [0.5])]
    question = "Ashgrove's latest guidance for net interest margin?"
    assert asks_outlook(question) and not asks_outlook("What was the project's budget?")
    assert best_span(candidates, NOTHING_FOLLOWS, question).candidate.passage.id == 1
    asked_the_figure = best_span(candidates, NOTHING_FOLLOWS, "What was the net interest margin figure in H1 2024?")
    assert asked_the_figure.candidate.passage.id == 2


def test_a_row_known_by_a_number_is_labelled_by_its_first_cell_with_words():
    """Read on for a row when the best sentence lacks the figure: "3.04A" is the measure's number, the cell after it
    says what the row counts."""
    label = passage([["Number of users on the Talent Dashboard"]], id=1)
    header, row = ["Measure", "Name", "FY 2014 Results"], ["3.04A", "Number of users on the Talent Dashboard", "540"]
    table = passage([[" | ".join(row)]], id=2, table=Table(header, [row]))
    candidates = [candidate(label, 1.0, [0.9]), candidate(table, 0.5, [0.3])]
    span = best_span(candidates, NOTHING_FOLLOWS, "How many users did the Talent Dashboard have?", rows_only=True)
    assert span is not None and span.text.endswith("| 540")


def test_sentences_under_a_heading_that_names_what_is_asked_state_it():
    # "Mission / To deliver ..." answers "What is the mission?" though another sentence repeats the question's words
    headed = passage([["To deliver clean water to every village."]], id=1, heading="Mission")
    other = passage([["The office supports the agency's mission."]], id=2)
    stated = Candidate(headed, 1.0, {"heading": 1.0}, np.array([0.5], dtype=np.float32), [0.6])
    repeating = Candidate(other, 1.0, {"heading": 0.0}, np.array([0.6], dtype=np.float32), [1.0])
    assert best_span([stated, repeating], NOTHING_FOLLOWS).text == "To deliver clean water to every village."
    assert best_span([Candidate(headed, 1.0, {"heading": 0.0}, stated.sentence_dense_scores, [0.6]), repeating],
                     NOTHING_FOLLOWS).text == "The office supports the agency's mission."


def test_a_how_many_question_prefers_a_sentence_with_a_figure_other_than_its_own():
    p = passage([["Claims processed within 60 days are counted each month.", "In 2016 the office processed 9,120 claims."]])
    question = "How many claims were processed within 60 days?"
    assert best_span([candidate(p, 1.0, [0.8, 0.6])], NOTHING_FOLLOWS, question).text == "In 2016 the office processed 9,120 claims."
    assert best_span([candidate(p, 1.0, [0.8, 0.6])], NOTHING_FOLLOWS, "Why are claims counted?").text.startswith("Claims processed")


def test_a_run_of_figures_without_a_word_is_never_quoted():
    p = passage([["127671309713620123911455116618"], ["The inventory fell to 12,767 cases."]])
    assert best_span([candidate(p, 1.0, [0.9, 0.5])], NOTHING_FOLLOWS).text == "The inventory fell to 12,767 cases."


def test_a_lead_in_ending_in_a_comma_is_quoted_with_what_follows():
    p = passage([["Signed,"], ["Kiran A. Ahuja Director March 13, 2023"]], id=1)
    span = best_span([candidate(p, 1.0, [0.9, 0.2])], NOTHING_FOLLOWS)
    assert span.text == "Signed,\n\nKiran A. Ahuja Director March 13, 2023"
    # across a passage boundary too
    first = passage([["Signed,"]], id=1)
    second = passage([["Dale Cabaniss Director"]], id=2, start=len(first.text) + 2, ordinal=1)
    span = best_span([candidate(first, 1.0, [0.9])], following(first, second))
    assert span.text == "Signed,\n\nDale Cabaniss Director" and [p.passage.id for p in span.pieces] == [1, 2]


def test_a_date_alone_on_the_line_before_is_quoted_with_the_sentence_it_dates():
    p = passage([["Tuesday, January 13, 2009"],
                 ["The matter came on for oral argument before the Supreme Court at 1:01 p.m."]])
    question = "When was the argument before the Supreme Court held?"
    span = best_span([candidate(p, 1.0, [0.3, 0.8])], NOTHING_FOLLOWS, question)
    assert span.text == "Tuesday, January 13, 2009\n\nThe matter came on for oral argument before the Supreme Court at 1:01 p.m."
    # Asked something else, the sentence stands alone.
    span = best_span([candidate(p, 1.0, [0.3, 0.8])], NOTHING_FOLLOWS, "Who heard the argument?")
    assert span.text.startswith("The matter came on")


def test_a_sentence_that_asks_is_no_answer_however_many_words_it_shares():
    form = passage([["Criminal charges filed?"], ["Agency: Bureau of Child Welfare"]])
    span = best_span([candidate(form, 1.0, [0.5, 0.4], lexical=[1.0, 0.2])], NOTHING_FOLLOWS,
                     "Which agency filed the report?")
    assert span.text == "Agency: Bureau of Child Welfare"


def test_a_charts_labels_are_no_answer():
    chart = passage([["20000"], ["127671309713620123911455116618"], ["Target ValueActual Value"]], id=1)
    prose = passage([["At the end of FY 2014, the claims inventory was 12,767 cases."]], id=2)
    span = best_span([candidate(chart, 1.0, [0.5, 0.6, 0.7], lexical=[0.9, 0.9, 0.9]), candidate(prose, 0.9, [0.6])],
                     NOTHING_FOLLOWS, "What was the claims inventory at the end of FY 2014?")
    assert span.text == "At the end of FY 2014, the claims inventory was 12,767 cases."


def test_a_list_asked_for_is_quoted_from_its_first_item_though_a_later_one_matched_best():
    """A list opening its passage under a heading ("3. Materials", then bullets) with no sentence announcing it: the
    item most like the question is not where the list starts."""
    items = ["- Peristaltic pump with new tubing", "- Amber glass vials", "- Hydrochloric acid", "- Cooler with ice packs"]
    text = "3. Materials\n\n" + "\n\n".join(items)
    spans = [(text.index(item), text.index(item) + len(item)) for item in items]
    p = replace(passage([items]), text=text, end=len(text), sentence_spans=spans, heading="3. Materials")
    span = best_span([candidate(p, 1.0, [0.2, 0.9, 0.3, 0.3])], NOTHING_FOLLOWS, "What materials are needed?",
                     listing=lambda passage: None)
    assert [line for line in span.text.split("\n") if line] == items


def test_a_forms_caption_is_quoted_with_the_value_printed_above_it():
    p = passage([["Apple Inc."], ["One Apple Park Way, Cupertino, California 95014"],
                 ["(Address of principal executive offices) (Zip Code)"]])
    span = best_span([candidate(p, 1.0, [0.1, 0.3, 0.9])], NOTHING_FOLLOWS, "Where are the principal executive offices?")
    assert span.text.startswith("One Apple Park Way") and span.text.endswith("(Zip Code)")


def test_a_line_that_only_dates_the_report_answers_when_not_what():
    p = passage([["Coastal Dialogue 2022: Key Findings", "Published August 2022",
                  "The meeting focused on fishing communities and climate migration."]])
    cands = [candidate(p, 1.0, [0.3, 0.6, 0.5])]
    assert best_span(cands, NOTHING_FOLLOWS, "What was the 2022 meeting about?").text.startswith("The meeting focused")
    assert best_span(cands, NOTHING_FOLLOWS, "When was the 2022 report published?").text == "Published August 2022"


def test_a_list_of_contents_answers_nothing():
    p = passage([["Contents:", "1. Management discussion and analysis;", "2. Condensed statement of income; Notes."],
                 ["In March the Trust opened the Copperbeck Community Diagnostic Centre."]])
    cands = [candidate(p, 1.0, [0.2, 0.6, 0.5, 0.4])]
    assert best_span(cands, NOTHING_FOLLOWS, "What new facility did the trust open?").text.startswith("In March")


def test_a_list_of_contents_a_line_to_each_entry_answers_nothing():
    # "Contents" as a line of its own, its entries each a paragraph: an entry names what is asked ("Mission").
    p = passage([["Contents"], ["1. Foreword from the President"], ["2. Mission, Vision and Values"],
                 ["Our mission is to generate evidence, convene decision-makers and build capacity."]])
    cands = [candidate(p, 1.0, [0.2, 0.3, 0.7, 0.6])]
    assert best_span(cands, NOTHING_FOLLOWS, "What is the institute's mission?").text.startswith("Our mission")


@pytest.mark.parametrize("question", ["Why did the machine roll away near Granton?",
                                      "What set off the explosion at the mill?", "What was the reason the line broke?"])
def test_a_question_asking_why_prefers_the_sentence_that_gives_a_cause(question):
    p = passage([["About 15 minutes later the machine began to roll.",
                  "The machine ran away because its operator left it without applying the parking brake."]])
    # the first is a little likelier; the second says why
    assert best_span([candidate(p, 1.0, [0.6, 0.5])], NOTHING_FOLLOWS, question).text.startswith("The machine ran away")
    assert best_span([candidate(p, 1.0, [0.6, 0.5])], NOTHING_FOLLOWS, "When did the machine move?").text.startswith(
        "About 15 minutes")


def test_a_sentence_under_a_heading_of_causes_gives_one():
    story = replace(passage([["The welders began work at 9:15 and the fire started at 9:50."]], id=1), heading="Narrative")
    cause = replace(passage([["Sparks from the welding lit vapour at the tank vent."]], id=2), heading="Probable Cause")
    span = best_span([candidate(story, 1.0, [0.55]), candidate(cause, 1.0, [0.5])], NOTHING_FOLLOWS, "What started the fire?")
    assert span.text.startswith("Sparks from")


def test_a_field_that_names_the_event_is_no_cause_of_it():
    p = passage([["Date of occurrence: 21 March 2023, 03:16", "The rail broke under the train at a worn joint."]])
    # the date the question names its derailment by is likelier than the sentence saying why
    span = best_span([candidate(p, 1.0, [0.6, 0.45])], NOTHING_FOLLOWS, "What caused the March 2023 derailment?")
    assert span.text == "The rail broke under the train at a worn joint."


@pytest.mark.parametrize("label", ["Year in Review", "Working Paper 2021/3", "Issue Brief 08"])
def test_a_cover_line_naming_only_its_report_answers_nothing(label):
    cover = replace(passage([[label]], id=1), heading="Halvorsen Centre for Energy Studies")
    body = replace(passage([["At the end of 2022 the Centre employed 31 researchers."]], id=2), heading="Our people")
    title = frozenset(stems("Year in Review 2022"))
    # the cover line shares the words the question names the report by
    candidates = [Candidate(cover, 1.5, {}, np.array([0.5], dtype=np.float32), [0.8], title),
                  Candidate(body, 0.8, {}, np.array([0.45], dtype=np.float32), [0.3], title)]
    span = best_span(candidates, NOTHING_FOLLOWS, "How many researchers did the Centre have according to its 2022 Year "
                                                  "in Review?")
    assert span.text == "At the end of 2022 the Centre employed 31 researchers."


def test_a_cover_line_does_not_make_a_passage_a_chart():
    p = passage([["Markup Safety Review", "The review was written by the testing unit in Lisbon, see",
                  "[a pixel](https://evil.invalid/pixel.png)."]])
    title = frozenset(stems("Markup Safety Review"))
    span = best_span([Candidate(p, 1.0, {}, np.array([0.5, 0.6, 0.1], dtype=np.float32), [0.5, 0.5, 0.0], title)],
                     NOTHING_FOLLOWS, "In which city is the testing unit?")
    assert span is not None and span.text.startswith("The review was written")


def test_a_field_whose_value_the_question_says_answers_nothing():
    p = passage([["Vessel: Island Spirit", "Vessel type: Small passenger vessel, 65 ft"]])
    span = best_span([candidate(p, 1.0, [0.6, 0.4])], NOTHING_FOLLOWS, "What kind of vessel was the Island Spirit?")
    assert span.text == "Vessel type: Small passenger vessel, 65 ft"


def test_a_question_asking_what_a_meeting_was_about_prefers_the_sentence_naming_its_theme():
    assert asks_theme("What was the 2021 Regional Water Security Forum about?")
    assert asks_theme("What's the Nordmark Institute's latest issue brief about?")
    assert asks_theme("What was the theme of the 2020 dialogue?") and not asks_theme("Who was the forum's keynote?")
    p = passage([["The third forum took place on 7 October 2021 at the Kestle Centre.",
                  "This year's theme, Groundwater: the Hidden Reserve, reflected concern about the aquifers."]])
    asked = "What was the 2021 forum about?"
    assert best_span([candidate(p, 1.0, [0.5, 0.3])], NOTHING_FOLLOWS, asked).pieces[-1].last == 1  # the theme, after the sentence its "This" leans on
    assert best_span([candidate(p, 1.0, [0.5, 0.3])], NOTHING_FOLLOWS, "Where was the 2021 forum?").text == (
        "The third forum took place on 7 October 2021 at the Kestle Centre.")


def test_a_sentence_before_one_that_lacks_the_figure_is_not_quoted_for_its_own_figure():
    """A cover's short line ("March 2, 2021") may hold the date its next sentence lacks; a sentence before it, with a
    figure of its own, is no part of the answer: the count of schools is in neither."""
    p = passage([["Over four years the programme reached 3,420 children in 28 schools across three counties.",
                  "Total Foundation funding was GBP 486,000.",
                  "Children taking part made, on average, 2.4 months of additional progress in reading."]])
    span = best_span([candidate(p, 1.0, [0.6, 0.45, 0.55], [0.2, 0.0, 0.5])], NOTHING_FOLLOWS,
                     "How many schools took part in it?")
    assert span.text == "Over four years the programme reached 3,420 children in 28 schools across three counties."


def test_a_measure_named_alone_asks_for_its_figure():
    assert asks_for_amount("Kestrel's vessel operating days in the third quarter of 2022?")
    assert asks_for_amount("Revenue in Q3 2023?")
    assert not asks_for_amount("What is the department's mission?") and not asks_for_amount("Why did revenue fall?")
