"""What a question asks for, read from its wording: the kind of answer, the things a "how many" counts, and the
sentences that can never answer (a link with a label). No model: pure functions of text."""
from __future__ import annotations

import pytest

from qa.answer_key import (asks_for_author, asks_when_published, counts_asked_thing, expected_kind, is_byline,
                           is_cover_byline, is_dateline, lacks_asked_kind)
from qa.extract import says_nothing


def test_the_head_noun_says_the_kind():
    assert expected_kind("What high school graduation rate does the Department aim for?") == "number"
    assert expected_kind("Which high school did she attend?") == "name"
    assert expected_kind("Which NFL team won?") == "name"
    assert expected_kind("In what year was it founded?") == "date"


def test_a_count_wants_the_things_it_counts():
    question = "How many employees does the agency have?"
    assert lacks_asked_kind(question, "The agency combines the functions of 22 departments.")
    assert not lacks_asked_kind(question, "The agency has 240,000 employees.")
    # Named by the heading or the table header the figure stands under.
    assert not lacks_asked_kind(question, "Total | 240,000", "Employees by office")
    # "How many miles of rail": miles are counted, not rail.
    assert lacks_asked_kind("How many miles of rail will it build?", "It will build 12 new rail stations.")
    # A generic unit needs no naming: "how many years" is answered by a span of years.
    assert not lacks_asked_kind("How many people were injured?", "Three were hurt in the fire.")
    # A verb in the past after the things counted: not joining is counted, and the things may be said otherwise
    # ("practices" for "surgeries"), so a figure answers.
    assert not lacks_asked_kind("How many new Maritime Fellows joined?", "We welcomed a cohort of 12 Maritime Fellows.")
    assert not lacks_asked_kind("How many GP surgeries served the countryside?", "There were 142 GP practices in April.")
    assert lacks_asked_kind("How many GP surgeries served the countryside?", "The surgeries served the countryside.")
    assert not lacks_asked_kind("How many people attended it?", "Fifty-six participants joined the sessions.")
    assert not lacks_asked_kind("How many troops fought there?", "Some 40,000 troops were there.")
    # A past form before the thing describes it: registered voters are counted.
    assert lacks_asked_kind("How many registered voters are there?", "There are 2 million registered cars.")


def test_a_pronoun_one_and_a_length_of_time_are_no_count():
    """"A busy one" counts nothing; "seven decades" says how long, not how many people or how much money."""
    assert lacks_asked_kind("How much is the executive director paid?", "My first year as Director has been a busy one.")
    assert not lacks_asked_kind("How many people attended?", "One hundred people attended.")
    question = "How many people work at the agency?"
    assert lacks_asked_kind(question, "For over seven decades, the agency has served the American people.")
    assert not lacks_asked_kind(question, "For seven decades 12,000 people have served the agency.")
    assert not lacks_asked_kind("How many years has the agency served?", "For over seven decades, it has served.")
    assert expected_kind("What federal minimum wage does the plan call for?") == "number"


def test_what_something_costs_wants_money():
    question = "How much does it cost to register for the dialogue?"
    assert lacks_asked_kind(question, "Water from a tanker can cost up to six times as much per litre.")
    assert not lacks_asked_kind(question, "Registration costs $150 for members.")
    # The currency may be said by the header a row stands under.
    assert not lacks_asked_kind("How much did the programme spend?", "Climate | 903,400", "Expenses by programme (US$)")
    assert not lacks_asked_kind("How much of the budget was spent on staff?", "Staff took 40 percent of it.")
    # A row's money may be in its table's unit; not a row measured in another unit, nor one whose figure is its number.
    question = "How much will it cost to repair the bridge?"
    assert not lacks_asked_kind(question, "Repairs | 450", "Estimated costs (£000)", table=True)
    assert lacks_asked_kind(question, "Overall length | 142 m", "Structure details", table=True)
    assert lacks_asked_kind(question, "1 | Close the bridge to all vehicles | Urgent | Immediately", "", table=True)


def test_a_sentence_counts_what_is_asked_in_a_labels_words():
    """"How many people took part?" is counted as a form would label it: "58 participants"."""
    for question in ("How many people took part?", "How has attendance at the roundtable changed?"):
        assert counts_asked_thing(question, "It brought together 58 participants from 21 countries.")
        assert counts_asked_thing(question, "Some 1,200 registered delegates came.")
    assert not counts_asked_thing("How many people took part?", "It was held on 14-15 September 2021 in 58 rooms.")
    assert not counts_asked_thing("Who took part?", "It brought together 58 participants.")  # no count asked
    # Only attendance: "deaths" before a figure may count them elsewhere than the question asks (SQuAD).
    assert not counts_asked_thing("How many were killed by plague in Italy?", "More than 1.25 million deaths resulted.")


def test_a_measure_asked_of_a_period_wants_that_measure():
    """"What was Corvane's revenue in Q3 2024?": a figure of revenue (or sales, turnover), not a row of another measure
    nor a line naming none; a table row may say it otherwise, and its header may."""
    question = "What was Corvane's revenue in Q3 2024?"
    assert lacks_asked_kind(question, "C1 cash cost | US$/lb | 1.97 | 2.14", "Key figures | Q3 2024 | Q3 2023", table=True)
    assert lacks_asked_kind(question, "Released via the Regulatory News Service at 07:00")
    assert lacks_asked_kind(question, "Copper sales | kt | 45.1 | 40.6", "Key figures | Q3 2024 | Q3 2023", table=True)
    assert lacks_asked_kind(question, "Corvane Minerals plc today announces its results for Q3 2024.")
    assert not lacks_asked_kind(question, "Revenue was US$412 million in the quarter.")
    assert not lacks_asked_kind(question, "Net sales | 412 | 380", "Key figures | Q3 2024 | Q3 2023", table=True)
    assert not lacks_asked_kind("Corvane zinc concentrate revenue in H1 2024?", "Zinc concentrate | 214 | 221",
                                "Product | H1 2024 (US$m) | H1 2023 (US$m)", table=True)  # the row asked for by name
    # The kind of a measure asked ("net income") is named by a row or a line of one; prose may say it otherwise.
    net = "What was Quillon's net income in Q2 2024?"
    assert lacks_asked_kind(net, "GAAP operating income ($m) | 29.8 | 11.4", "Key figures | Q2 2024 | Q2 2023", table=True)
    assert lacks_asked_kind(net, "GAAP operating income ($m): 29.8 (prior year 11.4)")
    assert not lacks_asked_kind(net, "Net income ($m) | 20.1 | 8.0", "Key figures | Q2 2024 | Q2 2023", table=True)
    assert not lacks_asked_kind("What were iPhone net sales?", "iPhone | $ 7,312 | $ 8,822", "", table=True)
    # Asked of no period, a measure may be a thing: "tourism" is the city's main source of income.
    assert not lacks_asked_kind("What is the main source of income for the city?", "Tourism is the main source.")


def test_how_often_is_said_in_words_as_well():
    question = "How often do the pH meters need calibrating?"
    assert not lacks_asked_kind(question, "pH meters must be calibrated before each day of use.")
    assert not lacks_asked_kind(question, "The cool boxes are checked weekly by the supervisor.")
    assert not lacks_asked_kind(question, "Competence is reassessed every two years.")
    assert lacks_asked_kind(question, "Field pH meters are covered by the field protocols.")


def test_a_share_or_a_change_wants_a_figure_or_a_fraction():
    question = "By how much did FEHB premiums increase in FY 2015?"
    assert lacks_asked_kind(question, "The FEHB premium increase falls below all three measures.")
    assert not lacks_asked_kind(question, "In FY 2015, FEHB premiums increased 6.4 percent.")
    share = "What share of claims were processed within 60 days?"
    assert lacks_asked_kind(share, "Two offices process claims within 60 days.")
    assert not lacks_asked_kind(share, "About half of the claims were processed within 60 days.")
    assert not lacks_asked_kind(share, "Of 2.36 million claims, 99.9 percent were processed within 60 days.")
    assert lacks_asked_kind(share, "OPM introduced Tiers 1 and 2 of its claims products in 2014.")  # no share
    # A count is still answered by a number word.
    assert not lacks_asked_kind("How many offices process claims?", "Two offices process claims.")
    # A percentage is answered by a percent, not by the amounts it was worked out from.
    percent = "By what percentage did Test Systems sales grow in Q3 2022?"
    assert lacks_asked_kind(percent, "Net sales: Test Systems | $ 612.4 | $ 548.1", table=True)
    assert not lacks_asked_kind(percent, "Net sales of Test Systems rose 12% to $612.4 million.")
    assert not lacks_asked_kind("What percentage of the land is forest?", "Forest covers about a third of the land.")


def test_who_wrote_a_report_is_said_by_its_byline():
    assert asks_for_author("Who wrote the 2021 report?") and asks_for_author("Who are the authors of the brief?")
    assert not asks_for_author("Who chaired the meeting?")
    for line in ("By Siti Rahman December 2021", "Prepared by: the Office of Policy", "Authors: Jane Doe, Rahul Mehta",
                 "About the author: Dr Imogen Fairweather is a senior research fellow at the Cairnmoor Institute"):
        assert is_byline(line), line
    assert not is_byline("Buy local produce by the kilo.") and not is_byline("The authors thank the reviewers.")


def test_a_link_with_a_label_says_nothing():
    assert says_nothing("Source: https://www.example.gov/files/2022-03/plan.pdf")
    assert says_nothing("12 | 14 | 2,906")
    assert not says_nothing("New York | 2,906 | 8,650")
    assert not says_nothing("The full list of plans is at www.example.gov/plans for every reader.")


def test_when_a_report_came_out_is_said_by_its_date_line():
    assert asks_when_published("When was the policy brief published?") and asks_when_published("when was it released?")
    assert asks_when_published("What is the publication date of the brief?")
    assert not asks_when_published("When did the dialogue take place?")
    assert is_dateline("November 2022") and is_dateline("Siti Rahman and Marco Villanueva, December 2021")
    assert is_dateline("Prepared by Rutendo Chikowore, Senior Researcher November 2022")
    assert not is_dateline("The brief was published in November 2022.") and not is_dateline("By Siti Rahman")
    # A cover's lines read as one: dated by the month it names, on the cover only.
    cover = "Policy Paper No. 11 Ruth Kinsella September 2023 Northgate Centre for Urban Mobility"
    assert is_dateline(cover, cover=True) and not is_dateline(cover)
    assert not is_dateline("The pilot ran from March to August 2023.", cover=True)


def test_a_table_row_needs_no_currency_for_money_asked_its_table_states_the_unit_once():
    question = "How much did the institute spend on staff in 2023?"
    assert lacks_asked_kind(question, "Staff costs rose again.")
    assert lacks_asked_kind(question, "Staff costs | 3,310 | 3,790")  # as prose: no money said
    assert not lacks_asked_kind(question, "Staff costs | 3,310 | 3,790", "Item | 2022 | 2023", table=True)
    assert lacks_asked_kind(question, "Staff costs | rose | fell", "Item | 2022 | 2023", table=True)  # no figure at all


@pytest.mark.parametrize("line, byline", [
    ("Authors: Dr. Ilse Brandvik, Jonas Ekwueme and Hana Lindqvist", True),
    ("Dr. Aurelio Baptiste 14 June 2023", True),  # names before the date, under a brief's title
    ("December 2022 Ragnhild Solem", True),  # or after it
    ("Published July 2023", False), ("14 June 2023", False), ("Hawaii: 2:00 PM on December 1, 2020", False),
    ("The dialogue was held in Saltmere in June 2023.", False),
    ("Commander (ret.) Fiona Laird May 2023", True),  # a rank, and what it was
    ("Key Findings December 2020", False),  # a title's words, not a name
])
def test_a_cover_line_naming_who_wrote_the_report(line, byline):
    assert is_cover_byline(line) is byline


@pytest.mark.parametrize("sentence, nothing", [
    ("Contents: 1. Management discussion and analysis; 2. Condensed statement of income; Notes.", True),
    ("Table of Contents 1 Introduction 3", True), ("CONTENTS: Foreword 2", True),
    ("Contents of the report were reviewed by the board.", False), ("The contents of the box were lost.", False),
    # a label set in capitals: the publisher, the series
    ("NORTHMOOR INSTITUTE FOR MARITIME SECURITY · POLICY BRIEF NO. 14", True),
    ("BRANNVIK CENTRE FOR GRID POLICY Annual report", True),
    ("NASA and the ESA signed the accord in 2021.", False), ("The USA, UK and EU agreed", False),
])
def test_a_list_of_contents_says_nothing(sentence, nothing):
    assert says_nothing(sentence) is nothing


def test_why_asked_after_a_sentence_of_its_own():
    from qa.extract import asks_cause

    assert asks_cause("Two ferries ran aground. What caused each grounding?")
    assert asks_cause("Why did the tug run aground?") and not asks_cause("What did the tug tow? It ran aground.")


def test_how_something_came_about_asks_its_cause():
    from qa.extract import asks_cause

    assert asks_cause("How did E. coli get into the Moorside service reservoir?")
    assert asks_cause("How did the fire start?")
    assert not asks_cause("How did Beyonce start her career?") and not asks_cause("How many people got in?")
