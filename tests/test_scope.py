"""A question is a reference plus an ask: reading and resolving what names a report, on small fake catalogues."""
from __future__ import annotations

import pytest

from qa.conversation import content_words
from qa.scope import (Catalog, ScopeError, catalog_entry, given_scope, inherit, mentions_quarter, parse, read_reference,
                      resolve,
                      unheld_quarter, unheld_year, unnamed_years, without_place_and_years)

# A think tank's library in miniature: a yearly series (one undated draft), a quarterly series, two others.
LIBRARY = Catalog([
    catalog_entry("a19", "Harbor Institute Annual Report 2019", "2020-03-01", "a19.pdf", "Harbor Institute"),
    catalog_entry("a20", "Harbor Institute Annual Report 2020", "2021-03-01", "a20.pdf", "Harbor Institute"),
    catalog_entry("a21", "Harbor Institute Annual Report 2021", "2022-03-01", "a21.pdf", "Harbor Institute"),
    catalog_entry("draft", "Harbor Institute Annual Report (draft)", "", "draft.pdf", "Harbor Institute"),
    catalog_entry("q1", "Riverside Water Board Quarterly Filing Q1 2023", "2023-03-31", "rw-q1.pdf"),
    catalog_entry("q2", "Riverside Water Board Quarterly Filing Q2 2023", "2023-06-30", "rw-q2.pdf"),
    catalog_entry("plan", "Strategic Plan 2022-2026", "2022-01-15", "TransportDept2022.pdf", "Department of Transport"),
    catalog_entry("dialogue", "2020 Asia Pacific Space Diplomacy Dialogue: Key Findings", "2020-12-01", "apsdd.txt"),
])


def docs(question: str, anchor: str | None = None) -> list[str] | None:
    resolution = resolve(read_reference(question, LIBRARY), LIBRARY, anchor=anchor)
    return resolution and resolution.docs


@pytest.mark.parametrize("question, phrase, ask", [
    ("In the 2016 annual performance report, how many strategic goals did the agency have?",
     "the 2016 annual performance report", "how many strategic goals did the agency have?"),
    ("What does the latest annual report say about processing time?",
     "the latest annual report", "What does it say about processing time?"),
    ("What was revenue in the Q2 2023 filing?", "the Q2 2023 filing", "What was revenue?"),
    ("In the report on the incident near Millbrook, what was the cause?",
     "the report on the incident near Millbrook", "what was the cause?"),
    ("What were the key findings of the 2020 dialogue?", "the 2020 dialogue", "What were the key findings?"),
    # a meeting's summary is named by the meeting; a verb of the ask ends its "on ..." clause
    ("At the Bangkok climate finance conference for coastal cities, what time did the blue bonds session start?",
     "the Bangkok climate finance conference for coastal cities", "At it, what time did the blue bonds session start?"),
    ("What body did participants at the Colombo dialogue on illegal fishing suggest setting up?",
     "the Colombo dialogue on illegal fishing", "What body did participants at it suggest setting up?"),
])
def test_a_question_splits_into_reference_and_ask(question, phrase, ask):
    reference = parse(question, LIBRARY.title_words)
    assert (reference.phrase, reference.ask, reference.explicit) == (phrase, ask, True)


def test_a_follow_up_that_moves_a_year_on_asks_nothing_of_its_own():
    assert content_words(read_reference("And the year after?", LIBRARY).ask) == []
    assert content_words(read_reference("And two years later?", LIBRARY).ask) == []


@pytest.mark.parametrize("question", ["Who prepared the report?", "What obstacles hinder cooperation in space?",
                                      "In what year did the Normans conquer England?",
                                      "In 1962, who was responsible for the authorship of a paper on real-time computation?",  # the data's year
                                      "Which treaty article defines the ordinary legislative procedure?",
                                      "Recent studies believe that ctenophores are the sister lineage to what?"])
def test_a_question_that_names_no_report_is_all_ask(question):
    reference = parse(question, LIBRARY.title_words)
    assert reference.ask == question and not reference.explicit and not reference.across


def test_a_report_of_no_one_in_particular_names_none():
    """"To publish a report" is any report; "the latest annual report" is still named."""
    reference = parse("In the latest annual report, how long on average did it take the board to publish a report?",
                      LIBRARY.title_words)
    assert (reference.phrase, reference.recency) == ("the latest annual report", "latest")
    assert not parse("How long does it take to publish an investigation report?", LIBRARY.title_words).explicit


def test_reports_counted_are_no_reference_but_the_years_compared_are_asked():
    reference = parse("How did the number of rail investigations the board opened in 2020 compare with 2024?",
                      frozenset({"investigation"}))
    assert (reference.explicit, reference.across, reference.loose_years) == (False, True, [2020, 2024])


def test_in_a_library_of_undated_texts_a_year_is_the_datas():
    """Articles without dates (one titled by a year): no question names one of them by a year or a range."""
    articles = Catalog([catalog_entry("w", "Warsaw", "", "w.txt"), catalog_entry("eu", "European Union law", "", "eu.txt"),
                        catalog_entry("oil", "1973 oil crisis", "", "oil.txt")])
    until = read_reference("Whose former headquarters was the WSE located in until 2000?", articles)
    assert (until.until, until.loose_years) == (None, [2000])
    case = read_reference("In the 2009 Commission v Italy case, what did the Court of Justice hold?", articles)
    assert (case.years, case.loose_years) == ([], [2009])
    assert resolve(until, articles) is None and unnamed_years(case, articles) == ([], [])
    # a library of dated reports keeps them
    assert read_reference("What did the annual report say until 2020?", LIBRARY).until == 2020


def test_a_decade_is_no_year():
    assert parse("What gave its name to the 1980s music television programme?").loose_years == []


def test_the_current_procedure_is_the_latest():
    reference = parse("Under the current drinking water sampling procedure, how long can a sample be kept?")
    assert (reference.phrase, reference.recency) == ("the current drinking water sampling procedure", "latest")


def test_years_quarters_and_fiscal_years():
    assert parse("How many goals are in the FY16 report?").years == [2016]
    assert parse("According to the fiscal year 2019 report, what was the time to hire?").years == [2019]
    reference = parse("What was revenue in the second quarter 2023 filing?")
    assert (reference.years, reference.quarter) == ([2023], 2)
    # the years a range is given by bound it and name no report: all six, not the first and the last
    reference = parse("How many notices did the district issue in each annual report from 2019 to 2024?")
    assert (reference.years, reference.since, reference.until, reference.across) == ([], 2019, 2024, True)


@pytest.mark.parametrize("question, across", [
    ("How has the processing time changed over the years?", True),
    ("Compare the annual reports on staffing.", True),
    ("What did the reports say about staffing since 2019?", True),
    ("What is the trend in revenue?", True),
    ("Two ferries ran aground. What caused each grounding?", True),
    ("How did the number of leaks change between the 2021 and 2023 inspections?", True),
    ("What was the processing time in the 2020 annual report?", False),
    ("Who prepared the report?", False),
])
def test_questions_across_reports(question, across):
    assert parse(question).across is across


def test_a_named_year_picks_that_report_of_the_series():
    assert docs("In the 2020 annual report, how many claims were processed?") == ["a20"]


def test_latest_is_the_latest_dated_of_the_reports_named_and_never_an_undated_one():
    assert docs("What does the latest annual report say about claims?") == ["a21"]
    assert docs("What does the most recent quarterly filing say about revenue?") == ["q2"]


def test_previous_is_the_one_before_the_latest_or_before_the_conversations():
    assert docs("What did the previous annual report say about claims?") == ["a20"]
    assert docs("What did the previous annual report say about claims?", anchor="a20") == ["a19"]


def test_the_2021_report_is_any_report_of_2021_not_the_one_whose_title_says_report():
    grid = Catalog([
        catalog_entry("sotg21", "State of the Grid 2021", "2021-03-01", "SotG-2021.pdf"),
        catalog_entry("sotg23", "State of the Grid 2023: Past the halfway mark", "2024-03-01", "sotg23.pdf"),
        catalog_entry("ws21", "Workshop report: Making Flexibility Pay", "2021-04-01", "workshop.pdf"),
    ])
    assert "sotg21" in resolve(read_reference("What does the 2021 report's table show for battery storage?", grid),
                               grid).docs
    assert resolve(read_reference("What does the 2023 report's table show?", grid), grid).docs == ["sotg23"]


def test_last_years_edition_is_the_one_before_the_latest():
    assert docs("What did last year's annual report say about claims?") == ["a20"]
    assert docs("What did the last annual report say about claims?") == ["a21"]


def test_the_second_most_recent_is_the_previous_one():
    assert docs("What did the second most recent annual report say about claims?") == ["a20"]
    assert docs("What did the penultimate annual report say about claims?") == ["a20"]


def test_the_one_before_a_publishers_latest_and_a_year_of_the_data():
    """"Before Harbor's latest one" is the previous report; "back in 2019" is the year of the figure asked for, which
    that report gives looking back, not the report of 2019."""
    assert docs("In the annual report before Harbor's latest one, how many claims were paid back in 2019?") == ["a20"]
    assert docs("In the 2020 annual report, how many claims were paid back in 2019?") == ["a20"]


def test_reports_counted_are_not_named():
    counted = parse("How many working papers did the institute publish in 2023?")
    assert (counted.phrase, counted.ask) == ("", "How many working papers did the institute publish in 2023?")
    assert parse("How many reports did the 2021 annual report list?").phrase == "the 2021 annual report"


def test_the_year_after_or_before_the_conversations():
    named = read_reference("What did the 2019 annual report say about claims?", LIBRARY)
    assert resolve(inherit(read_reference("And the year after?", LIBRARY), named, LIBRARY), LIBRARY).docs == ["a20"]
    latest = read_reference("What did the latest annual report say about claims?", LIBRARY)  # of 2021, out in 2022
    assert resolve(inherit(read_reference("and the year before?", LIBRARY), latest, LIBRARY), LIBRARY).docs == ["a20"]
    assert parse("What happened the year after the floods?").year_shift == 0
    assert parse("And the year after that?").year_shift == 1 and parse("The year before that?").year_shift == -1
    assert parse("What changed the year after that merger?").year_shift == 0
    assert [parse(q).year_shift for q in ("What about two years later?", "and three years earlier?", "5 years on?",
                                          "What happened two years before the floods?")] == [2, -3, 5, 0]
    assert resolve(inherit(read_reference("And two years earlier?", LIBRARY), latest, LIBRARY), LIBRARY).docs == ["a19"]
    # the year a figure was asked of, which several reports are of: the next year's figure, and "year" names no report
    # though a title has it
    library = Catalog([catalog_entry("a19", "Annual Report 2019", "2019", "a19.pdf"),
                       catalog_entry("b19", "Rent Burden in Small Cities", "2019-08", "b19.pdf"),
                       catalog_entry("a20", "Annual Report 2020", "2020", "a20.pdf"),
                       catalog_entry("y20", "Year in Review 2020", "2021-03", "y20.pdf")])
    asked = read_reference("How much did the institute get from contracts in 2019?", library)
    shifted = inherit(read_reference("And the year after?", library), asked, library)
    assert shifted.loose_years == [2020] and "year" not in shifted.words


def test_versions_of_a_protocol_and_a_name_after_its_number():
    """"The previous version of the E. coli sampling protocol": the version before the latest of the protocol whose
    title says so after its number and a colon ("Protocol WQ-03: E. coli sampling"), not another protocol whose name
    before any colon has "sampling" alone."""
    library = Catalog([catalog_entry("e12", "Protocol WQ-03: Collection of Stream Samples for E. coli Enumeration",
                                     "2020-04-01", "wq-03-v1.2.pdf"),
                       catalog_entry("e20", "Protocol WQ-03: E. coli sampling (v2.0)", "2023-05-01", "wq-03-v2.0.pdf"),
                       catalog_entry("kick", "WQ-15 macroinvertebrate kick-net sampling", "2021-03-15", "wq-15.pdf"),
                       catalog_entry("chl", "Protocol WQ-18 Chlorophyll-a Sampling in Lakes", "2021-06-01", "wq-18.pdf")])
    asked = "In the {} E. coli sampling protocol, what temperature were samples kept at?"
    assert resolve(read_reference(asked.format("previous version of the"), library), library).docs == ["e12"]
    assert resolve(read_reference(asked.format("latest version of the"), library), library).docs == ["e20"]
    # a thing's version, unmarked, names no report
    for question in ("Which firmware version was the level crossing controller running?",
                     "Which version of the software was installed?"):
        assert parse(question).phrase == "" and parse(question).ask == question
    named = resolve(read_reference(asked.format(""), library), library)
    assert {d for d, w in named.weights.items() if w == 1.0} == {"e12", "e20"}
    # which edition did something: the verb is the question's, not the phrase's
    assert parse("Which edition of the dialogue discussed Lagos?").phrase == "edition of the dialogue"
    assert parse("What did the report on the ferry grounded near Oban find?").phrase == (
        "the report on the ferry grounded near Oban")


def test_latest_marks_a_word_of_a_series_titles():
    """"Forum" is no word for a report, but five dated reports' titles have it: "the latest Northgate forum" is the
    newest of them. An undated article's title word is no series ("the last Super Bowl" is asked about, not named)."""
    library = Catalog([catalog_entry(f"f{y}", f"Northgate Mobility Forum {y}: Summary Report", f"{y + 1}-02", f"f{y}.pdf")
                       for y in (2021, 2022, 2023)] + [catalog_entry("ar", "Annual Report 2023", "2024-06", "ar.pdf")])
    assert resolve(read_reference("How many delegates attended the latest Northgate forum?", library),
                   library).docs == ["f2023"]
    assert resolve(read_reference("Where was the previous forum held?", library), library).docs == ["f2022"]
    # A word of the titles before another noun is that noun's: "the first strategic goal" is an item of a plan.
    plans = Catalog([catalog_entry(d, f"Strategic Plan {y}-{y + 4}", str(y)) for d, y in (("a", 2018), ("b", 2022))])
    assert not read_reference("What is the first strategic goal of the agency?", plans).explicit
    assert not read_reference("How much has the temperature risen over the last 115 years?", Catalog(
        [catalog_entry(d, f"Strategic Plan Fiscal Years {y}-{y + 4}", str(y)) for d, y in (("a", 2018), ("b", 2022))])).explicit
    squad = Catalog([catalog_entry("sb", "Super Bowl 50"), catalog_entry("t", "Nikola Tesla")])
    assert not read_reference("Who won the last Super Bowl?", squad).explicit


def test_a_word_for_a_report_before_another_noun_is_its_modifier():
    """"Background investigation cases" are cases, not a report called an investigation; "the 2020 dialogue
    attendance" still names the dialogue by its year."""
    reference = parse("What was the target for background investigation cases, according to the 2020 annual report?")
    assert (reference.phrase, docs(reference.ask)) == ("the 2020 annual report", None)
    assert not parse("How has the background investigations backlog changed over the years?").explicit
    assert parse("What was the 2020 dialogue attendance?", LIBRARY.title_words).phrase == "the 2020 dialogue"


def test_of_two_reports_of_the_latest_year_the_one_the_words_fit_best_is_the_latest():
    """Another publisher's "annual performance plan" of the same year matches "annual performance report" only in part."""
    library = Catalog([
        catalog_entry("r21", "Annual Performance Report Fiscal Year 2021", "2021", "apr21.pdf"),
        catalog_entry("r22", "Annual Performance Report Fiscal Year 2022", "2022", "apr22.pdf"),
        catalog_entry("p22", "FY 2022 Annual Performance Plan", "2022", "app22.pdf", "Department of Education"),
    ])
    for question, expected in (("What does the latest annual performance report say about hiring?", ["r22"]),
                               ("What did the previous annual performance report say about hiring?", ["r21"])):
        resolution = resolve(read_reference(question, library), library)
        assert resolution.docs == expected


def test_the_latest_annual_report_is_the_latest_of_the_annual_reports_not_a_later_paper_of_the_same_foundation():
    """Every report of the foundation says its name in its running heads; the later convening's notes are no annual
    report."""
    library = Catalog([
        catalog_entry(f"ar{y}", title, str(y), f"hf-ar-{y}.pdf", identity="Harbor Foundation Annual Report")
        for y, title in ((2020, "Annual Report 2020: A Year Like No Other"), (2021, "Harbor Foundation Annual Report 2021"),
                         (2022, "2022 Annual Report"))] + [
        catalog_entry("notes", "Harbor Foundation Grantee Convening 2023: Meeting Notes and Summary", "2023-10-12",
                      "HF_convening_2023_notes.pdf"),
    ] + [catalog_entry(f"mcd{y}", f"Maritime Cooperation Dialogue {y}: Key Findings", str(y), f"mcd{y}.pdf")
         for y in range(2019, 2024)] + [
        catalog_entry("brief", "Cables Under Pressure", "2022-08", "brief_05.pdf", "Meridian Policy Institute"),
        catalog_entry("index", "Coastal Cities Resilience Index 2022", "2022-10", "ccri-2022.pdf")] + [
        catalog_entry(f"q{n}", f"Quarterly Monitoring Report Q{n} 2023", f"2023-{3 * n:02d}-30", f"QMR_2023Q{n}.pdf")
        for n in (1, 2, 3, 4)])
    question = "Who signed the letter in the Harbor Foundation's latest annual report?"
    assert resolve(read_reference(question, library), library).docs == ["ar2022"]


def test_a_dialogue_report_is_the_dialogues_not_the_annual_report_of_its_year():
    """The institute's annual reports say "Report" in their titles and the dialogues do not; one annual report's
    subtitle says "dialogue" too. One institute publishes them all; a partner's review is in the library too."""
    institute = "Pacific Maritime Institute"
    library = Catalog([
        catalog_entry(f"d{y}", f"Southeast Asia Maritime Security Dialogue {y}: Key Findings and Recommendations", str(y),
                      f"samsd{y}.pdf", institute)
        for y in (2020, 2021, 2022)] + [
        catalog_entry("ar21", "Annual Report 2021: Research and dialogue for safer seas", "2021", "ar21.pdf", institute),
        catalog_entry("ar22", "Pacific Maritime Institute Annual Report 2022", "2022", "ar22.pdf", institute),
        catalog_entry("review", "Ocean Governance Review 2021", "2021", "ogr2021.pdf"),
    ])
    for question, expected in (("According to the 2022 dialogue report, did the forum meet?", ["d2022"]),
                               ("What does the latest dialogue report say about illegal fishing?", ["d2022"]),
                               ("What does the 2021 annual report say about fellows?", ["ar21"]),
                               # The dialogue's report names the dialogue; the annual report's subtitle only mentions one.
                               ("What did the 2021 dialogue say about undersea cables?", ["d2021"]),
                               ("Who wrote the report on the 2021 Southeast Asia Maritime Security Dialogue?", ["d2021"]),
                               # Of 2021's two reports with "dialogue" in their titles, the one it names, not subtitles.
                               ("How many experts attended the dialogue before the most recent one?", ["d2021"]),
                               ("What did the dialogue before last recommend?", ["d2021"])):
        assert resolve(read_reference(question, library), library).docs == expected, question
    # A follow-up whose words occur in the titles of the conversation's report ("Recommendations") stays with it.
    earlier = read_reference("What did the 2021 dialogue say about undersea cables?", library)
    follow_up = inherit(read_reference("What did they recommend about it?", library), earlier, library)
    assert resolve(follow_up, library).docs == ["d2021"]
    # A plan of 2023 does not make "the 2023 dialogue" one the library has.
    library = Catalog([*library.entries.values(), catalog_entry("plan", "Strategic Plan 2023-2027", "2023", "plan.pdf")])
    missing, named = unnamed_years(read_reference("How many experts attended the 2023 dialogue?", library), library)
    assert missing == [2023] and named == ["d2020", "d2021", "ar21", "d2022"]


def test_a_quarter_the_series_lacks_is_no_report_of_its_year():
    """The library has the programme's first-quarter report of 2024, not its second: "the Q2 2024 report" names none."""
    library = Catalog([catalog_entry(f"q{n}-{y}", f"Quarterly Monitoring Report Q{n} {y}", f"{y}-{3 * n:02d}-30", f"qmr{y}q{n}.pdf")
                       for y, n in ((2023, 1), (2023, 2), (2024, 1))] + [
        catalog_entry("plan", "Strategic Plan 2023-2027", "2023", "plan.pdf")])
    reference = read_reference("Who prepared the Q2 2024 quarterly monitoring report?", library)
    assert resolve(reference, library) is None
    missing, named = unnamed_years(reference, library)
    assert missing == [2024] and named == ["q1-2023", "q2-2023", "q1-2024"]
    assert resolve(read_reference("Who prepared the Q1 2024 quarterly monitoring report?", library), library).docs == [
        "q1-2024"]


def test_a_series_named_by_a_title_that_holds_a_verb_of_asking_and_its_first_report():
    """"State" is a verb of asking ("what does it state") but a word of the name in "the State of Rural Health report";
    "the first" report is the earliest, "the first quarter" is no recency."""
    library = Catalog([catalog_entry(f"s{y}", f"State of Rural Health {y}", str(y), f"sorh{y}.pdf") for y in (2021, 2022, 2023)]
                      + [catalog_entry("brief", "Telehealth in the Uplands", "2023-10", "pb09.pdf")])
    reference = parse("According to the first State of Rural Health report, what share of visits were remote?")
    assert (reference.phrase, reference.recency) == ("the first State of Rural Health report", "earliest")
    for question, expected in (("According to the first State of Rural Health report, what share were remote?", ["s2021"]),
                               ("In the most recent State of Rural Health report, what share were remote?", ["s2023"]),
                               ("How many practices did the State of Rural Health report before the latest count?",
                                ["s2022"])):
        assert resolve(read_reference(question, library), library).docs == expected, question
    assert parse("What was revenue in the first quarter 2023 filing?").recency is None


def test_the_earliest_of_a_series_and_a_verb_after_did():
    """"The earliest of the forums" picks the first of the series; in "Where did the forums take place?", "take" is
    the question's verb, not a noun going on with "forums" ("the forum attendance")."""
    library = Catalog([catalog_entry(f"f{y}", f"Regional Water Security Forum {y}: Summary of Proceedings", str(y),
                                     f"rwsf{y}.pdf") for y in (2019, 2021, 2023)])
    for question, expected in (("Where did the earliest of the water security forums take place?", ["f2019"]),
                               ("What did the most recent of the water security forums agree?", ["f2023"]),
                               ("Where did the earliest water security forum take place?", ["f2019"])):
        reference = read_reference(question, library)
        assert resolve(reference, library).docs == expected, question
        assert reference.ask in ("Where did it take place?", "What did it agree?"), reference.ask
    assert parse("Where did the water security forums take place?").phrase == "the water security forums"


def test_the_place_and_year_that_pick_out_the_one_report_searched_are_cut_from_the_ask():
    reference = parse("Who gave the keynote speech at the water security forum in Port Aldric in 2022?")
    assert reference.place_words == ["port", "aldric"]
    assert without_place_and_years(reference.ask, reference.place_words, frozenset({"2022"})) == \
        "Who gave the keynote speech at it?"
    # a year the report is not of is asked about
    assert without_place_and_years("How many boats were counted in 2019?", [], frozenset({"2022"})) == \
        "How many boats were counted in 2019?"


def test_a_quarter_picks_its_filing():
    assert docs("What was revenue in the Q1 2023 filing?") == ["q1"]


def test_a_filing_titled_by_its_form_is_known_by_the_quarter_its_running_heads_name():
    # Fiscal quarters: the first quarter of fiscal 2023 ended on the last day of 2022.
    filings = Catalog([catalog_entry(f"f{q}", "FORM 10-Q", end, f"0000320193-{q}.pdf", identity=f"Apple Inc. | Q{q} 2023 Form 10-Q")
                       for q, end in ((1, "2022-12-31"), (2, "2023-04-01"), (3, "2023-07-01"))]
                      + [catalog_entry("fr", "Proposed Rules", "2020-08-06", "fr.pdf", identity="VerDate Sep<11>2014 16:21 Aug 05, 2020")])
    assert resolve(read_reference("What was iPhone revenue in the Q1 2023 filing?", filings), filings).docs == ["f1"]
    assert resolve(read_reference("What were net sales in the Q3 2023 report?", filings), filings).docs == ["f3"]
    assert filings.entries["fr"].title_years == frozenset()  # a running head's other years name no period


def test_a_filings_quarter_is_its_dates_or_its_file_names_not_the_year_another_file_name_gives():
    # Titled by their covers; one file named by its quarter, the others by filing ids. The company's fiscal year ends
    # in September, so its third fiscal quarter of 2023 ended in June: only the file's name says so.
    marlowe = Catalog([catalog_entry(f"m{end}", "MARLOWE OUTDOOR BRANDS, INC. FORM 10-Q", end, name)
                       for end, name in (("2023-06-30", "0001755208-23-000031.pdf"), ("2023-09-30", "0001755208-23-000046.pdf"),
                                         ("2023-12-31", "q4-2023-10q.pdf"))]
                      + [catalog_entry(f"c{end}", "CALDER SEMICONDUCTOR CORP. FORM 10-Q", end, name)
                         for end, name in (("2023-06-30", "csc-q3fy23-10q.pdf"), ("2023-09-30", "0001032981-23-000052.pdf"))])
    assert resolve(read_reference("In Marlowe's Q3 2023 report, why did footwear sales go up?", marlowe), marlowe).docs == [
        "m2023-09-30"]
    assert resolve(read_reference("In its report for the second quarter of 2023, what did Marlowe pay for Summit Rope?",
                                  marlowe), marlowe).docs == ["m2023-06-30"]
    assert resolve(read_reference("How much revenue did Calder report for the third quarter of fiscal 2023?", marlowe),
                   marlowe).docs == ["c2023-06-30"]


def test_the_latest_of_a_series_is_of_the_reports_with_every_word_naming_whose():
    library = Catalog([catalog_entry(f"orai{y}", f"Office of Rail Accident Investigation Annual Report {y}", str(y),
                                     f"orai-{y}.pdf") for y in (2021, 2022)]
                      + [catalog_entry("caaib", "Annual Review of Investigations 2023", "2023", "AR2023_web.pdf",
                                       authors=["CAAIB Office of Communications"])]
                      + [catalog_entry(f"i{n}", f"Aviation Accident Final Report CEN2{n}LA071", f"202{n}-05",
                                       f"CEN2{n}LA071.pdf") for n in range(8)])
    question = "According to the rail accident office's most recent annual report, how many investigations did it open?"
    assert resolve(read_reference(question, library), library).docs == ["orai2022"]
    dialogues = Catalog([catalog_entry(f"csd{y}", f"Coastal Security Dialogue {y}: Key Findings", f"{y}-10", f"csd-{y}.pdf")
                         for y in (2019, 2020, 2021, 2022)]
                        + [catalog_entry("cables", "Below the Surface: Undersea Cables and Coastal Security", "2023-05",
                                         "pb-14.pdf")]
                        + [catalog_entry(f"ar{y}", f"Annual Report {y}", str(y), f"ar{y}.pdf") for y in (2021, 2022, 2023)])
    assert resolve(read_reference("Where was the most recent coastal security dialogue held?", dialogues),
                   dialogues).docs == ["csd2022"]


# Three companies' quarterly filings, all titled by their covers "<Company> FORM 10-Q"; one company's running feet
# call each filing a "Quarterly Report", another's name its fiscal quarter.
FILINGS = Catalog(
    [catalog_entry(f"apple-{end}", "Apple Inc. FORM 10-Q", end, f"0000320193-{n}.pdf",
                   identity=f"Apple Inc. | {quarter} Form 10-Q")
     for n, (end, quarter) in enumerate((("2022-12-31", "Q1 2023"), ("2023-04-01", "Q2 2023"), ("2023-12-30", "Q1 2024")))]
    + [catalog_entry(f"msft-{end}", "MICROSOFT CORPORATION FORM 10-Q", end, f"0000789019-{n}.pdf")
       for n, end in enumerate(("2022-09-30", "2023-03-31", "2023-09-30"))]
    + [catalog_entry(f"nw-{end}", "Northwind Energy Corp. FORM 10-Q", end, f"0001781234-{n}.pdf",
                     identity="Northwind Energy Corp. | Quarterly Report")
       for n, end in enumerate(("2023-06-30", "2024-03-31"))])


@pytest.mark.parametrize("question, expected", [
    # "Apple" picks the reports; "quarterly report", which Northwind's running feet print, only ranks them.
    ("In the latest Apple quarterly report, what was net income?", ["apple-2023-12-30"]),
    ("In the previous Microsoft quarterly report, what was operating income?", ["msft-2023-03-31"]),
    # "The latest quarter" names the latest filing; the question's names say whose.
    ("What was Apple's net income in the latest quarter?", ["apple-2023-12-30"]),
    ("What was Northwind's net loss in the most recent quarter?", ["nw-2024-03-31"]),
])
def test_a_company_named_beside_words_for_the_kind_of_filing(question, expected):
    assert resolve(read_reference(question, FILINGS), FILINGS).docs == expected


def test_a_fiscal_quarter_is_not_the_calendar_quarter_its_filing_ends_in():
    # Microsoft's first quarter of fiscal year 2024 ended on 30 September 2023, not in the first calendar quarter.
    resolution = resolve(read_reference("What was Microsoft's total revenue in the first quarter of fiscal year 2024?",
                                        FILINGS), FILINGS)
    assert resolution.docs == ["msft-2023-03-31", "msft-2023-09-30"]  # of fiscal 2024; their text says which
    calendar = resolve(read_reference("What was Microsoft's total revenue in the first quarter of 2023?", FILINGS), FILINGS)
    assert calendar.docs == ["msft-2023-03-31"]


def test_a_follow_up_naming_a_quarter_keeps_the_company():
    earlier = read_reference("How many megawatts did Northwind have in operation at the end of Q2 2023?", FILINGS)
    follow_up = inherit(read_reference("And in Q1 2024?", FILINGS), earlier, FILINGS)
    assert resolve(follow_up, FILINGS).docs == ["nw-2024-03-31"]


def test_the_quarter_before_is_the_filing_before_the_one_the_conversation_is_about():
    earlier = read_reference("What was Microsoft's operating income in the quarter ended March 31, 2023?", FILINGS)
    assert resolve(earlier, FILINGS).docs == ["msft-2023-03-31"]
    for question in ("What about the quarter before?", "And the quarter before that?", "and a quarter earlier?"):
        follow_up = inherit(read_reference(question, FILINGS), earlier, FILINGS)
        assert resolve(follow_up, FILINGS, anchor="msft-2023-03-31").docs == ["msft-2022-09-30"], question
    # "That" is the quarter only at the question's end: here it is what happened before.
    merger = inherit(read_reference("What was revenue in the quarter before that merger?", FILINGS), earlier, FILINGS)
    assert merger.recency is None
    assert parse("How did iPhone net sales change over the quarters?").across


def test_the_next_quarter_is_the_filing_after_the_conversations_and_none_after_the_last():
    earlier = read_reference("What was Microsoft's operating income in the quarter ended March 31, 2023?", FILINGS)
    for follow_up in ("And in the next quarter?", "What about the quarter after?", "and the following filing?",
                      "And in the quarter after that one?"):
        reference = inherit(read_reference(follow_up, FILINGS), earlier, FILINGS)
        assert resolve(reference, FILINGS, anchor="msft-2023-03-31").docs == ["msft-2023-09-30"], follow_up
    last = inherit(read_reference("And in the next quarter?", FILINGS), earlier, FILINGS)
    assert resolve(last, FILINGS, anchor="msft-2023-09-30").docs == []


@pytest.mark.parametrize("question", [
    "What was Microsoft's operating income in the filing before its latest one?",
    "What was Microsoft's operating income in the quarter before its most recent filing?",
    "What was operating income in Microsoft's quarterly report before its latest report?",
    "How much did Microsoft earn in the quarter just before its most recent filing?",
])
def test_the_one_before_its_latest(question):
    assert resolve(read_reference(question, FILINGS), FILINGS).docs == ["msft-2023-03-31"]


@pytest.mark.parametrize("question, expected", [
    ("What was Microsoft's operating income at the end of September 2023?", ["msft-2023-09-30"]),
    ("What did Microsoft's March 2023 filing say about operating income?", ["msft-2023-03-31"]),
    ("What was Microsoft's operating income as of September 2022?", ["msft-2022-09-30"]),
])
def test_a_month_names_the_filing_dated_in_it(question, expected):
    assert resolve(read_reference(question, FILINGS), FILINGS).docs == expected


def test_a_follow_up_on_the_end_of_the_year_leaves_the_conversations_month():
    earlier = read_reference("What was Microsoft's operating income at the end of March 2023?", FILINGS)
    assert earlier.period == "2023-03"
    assert inherit(read_reference("What about by the end of the year?", FILINGS), earlier, FILINGS).period == ""
    assert inherit(read_reference("And its revenue?", FILINGS), earlier, FILINGS).period == "2023-03"


def test_since_a_year_takes_the_reports_of_those_years():
    assert docs("How have the annual reports described staffing since 2020?") == ["a20", "a21"]


def test_a_range_outweighs_words_that_only_some_titles_of_a_series_have():
    series = Catalog([catalog_entry("o13", "OPM Annual Performance Report 2013", "2013", "apr13.pdf"),
                      catalog_entry("o16", "Annual Performance Report Fiscal Year 2016", "2016", "apr16.pdf"),
                      catalog_entry("o17", "Annual Performance Report Fiscal Year 2017", "2017", "apr17.pdf"),
                      catalog_entry("p22", "Strategic Plan 2022", "2022", "plan22.pdf")])
    resolution = resolve(read_reference("How did the calls OPM handled change between FY 2016 and FY 2017?", series), series)
    assert resolution.docs == ["o16", "o17"] and resolution.hard


def test_publisher_words_name_reports():
    assert docs("What does the Department of Transport plan say about rail?") == ["plan"]


def test_a_year_no_report_has_names_none_rather_than_another():
    assert docs("In the 2031 annual report, what was the budget?") is None


def test_its_latest_report_is_the_latest_of_the_organisation_the_question_names():
    filings = Catalog([
        catalog_entry("rw1", "Riverside Water Board: Quarterly Report", "2023-03-31", "rw-q1.pdf"),
        catalog_entry("rw2", "Riverside Water Board: Quarterly Report", "2023-06-30", "rw-q2.pdf"),
        catalog_entry("kv3", "Kestrel Valley Shipping: Quarterly Report", "2023-09-30", "kv-q3.pdf"),
    ])
    for question in ("In its latest quarterly report, how many leaks did Riverside Water Board repair?",
                     "How many leaks did Riverside repair, according to its most recent report?"):
        assert resolve(read_reference(question, filings), filings).docs == ["rw2"], question
    assert resolve(read_reference("What does the latest quarterly report say about leaks?", filings), filings).docs == ["kv3"]


def test_a_report_dated_by_its_year_alone_is_no_earlier_than_another_of_that_year():
    series = Catalog([
        catalog_entry("apr21", "OPM Annual Performance Report 2021", "2021", "apr21.pdf"),
        catalog_entry("apr22", "OPM Annual Performance Report 2022", "2022", "apr22.pdf"),
        # its running heads name the report on the past year's performance it goes with
        catalog_entry("app22", "Department of Education Annual Performance Plan FY 2022", "2022-02", "app22.pdf",
                      identity="FY 2021 Annual Performance Report and FY 2022 Annual Performance Plan"),
    ])
    question = "What was the call wait time in the most recent annual performance report?"
    assert resolve(read_reference(question, series), series).docs == ["apr22"]


def test_the_year_before_the_most_recent_one_of_a_series_the_question_names_by_a_word_of_its_titles():
    forums = Catalog([catalog_entry(f"f{y}", f"Northgate Forum {y}: Key Findings", f"{y}-07-01", f"forum-{y}.pdf")
                      for y in (2021, 2022, 2023)]
                     + [catalog_entry("ar23", "Northgate Centre Annual Report 2023", "2024-04-01", "ar23.pdf")])
    assert resolve(read_reference("Where was the forum held the year before the most recent one?", forums),
                   forums).docs == ["f2022"]
    assert resolve(read_reference("How did attendance compare with the previous year?", forums), forums) is None


def test_the_unit_a_question_asks_for_names_no_report():
    """"In what year" asks for a year: the reports with "Year" in their titles are not the ones it is about."""
    fiscal = Catalog([
        catalog_entry("apr16", "Fiscal Year 2016 Annual Performance Report", "2017-02-01", "apr16.pdf"),
        catalog_entry("apr17", "Fiscal Year 2017 Annual Performance Report", "2018-02-01", "apr17.pdf"),
        catalog_entry("plan", "Harbour Authority Strategic Plan 2022-2026", "2022-01-15", "plan.pdf"),
    ])
    for question in ("In what year was the new pier opened?", "Which years saw the most ships?",
                     "How many months did the dredging take?"):
        assert resolve(read_reference(question, fiscal), fiscal) is None, question
    named = resolve(read_reference("In which year does the Harbour Authority plan end?", fiscal), fiscal)
    assert named and named.docs == ["plan"]
    assert resolve(read_reference("What did the fiscal year 2016 report say about hiring?", fiscal), fiscal).docs == ["apr16"]


def test_a_reference_that_tells_no_report_apart_scopes_nothing():
    one = Catalog([catalog_entry("only", "2020 Dialogue: Key Findings", "2020-12-01", "x.txt")])
    assert resolve(parse("What are the key findings of the 2020 dialogue?", one.title_words), one) is None


def test_a_follow_up_changes_only_what_it_says():
    earlier = parse("In the 2019 annual report, how many claims were processed?", LIBRARY.title_words)
    follow_up = inherit(parse("And in the 2021 report?", LIBRARY.title_words), earlier, LIBRARY)
    assert resolve(follow_up, LIBRARY).docs == ["a21"]
    kept = inherit(parse("What was the probable cause?", LIBRARY.title_words), earlier, LIBRARY)
    assert resolve(kept, LIBRARY).docs == ["a19"] and kept.ask == "What was the probable cause?"
    other = inherit(parse("What does the quarterly filing say about revenue in Q2?", LIBRARY.title_words), earlier, LIBRARY)
    assert resolve(other, LIBRARY).docs == ["q2"]


def test_given_filters():
    assert given_scope(LIBRARY, None) is None
    assert given_scope(LIBRARY, ["a19", "q2"]) == ["a19", "q2"]
    assert given_scope(LIBRARY, ["annual report 2020"]) == ["a20"]
    assert given_scope(LIBRARY, [], since="2022", until="2023-03") == ["a21", "q1", "plan"] or \
        sorted(given_scope(LIBRARY, [], since="2022", until="2023-03")) == ["a21", "plan", "q1"]
    with pytest.raises(ScopeError, match="no report matches"):
        given_scope(LIBRARY, ["no such thing whatsoever"])
    with pytest.raises(ScopeError, match="is not a date"):
        given_scope(LIBRARY, [], since="last week")


def test_a_year_outside_the_reference_only_hints():
    assert docs("How many claims did the institute process in 2020?") == ["a20"]
    assert docs("What does the Department of Transport plan say about its 2030 targets?") == ["plan"]


@pytest.mark.parametrize("question, expected", [
    # "Four" counts the filings; it names none of them, so the question's name says whose.
    ("How has Microsoft's operating income changed over its last four quarterly reports?",
     ["msft-2022-09-30", "msft-2023-03-31", "msft-2023-09-30"]),
    ("What was Apple's net income in its two most recent filings?", ["apple-2023-04-01", "apple-2023-12-30"]),
    ("What did Apple's first two quarterly reports say about net income?", ["apple-2022-12-31", "apple-2023-04-01"]),
])
def test_the_last_few_reports_of_a_series(question, expected):
    reference = read_reference(question, FILINGS)
    assert reference.across
    assert resolve(reference, FILINGS).docs == expected


def test_the_next_report_is_the_next_of_the_conversations_company():
    earlier = read_reference("How many people did Microsoft employ at the end of the first quarter of 2023?", FILINGS)
    assert resolve(earlier, FILINGS).docs == ["msft-2023-03-31"]
    # Apple's filing of 1 April 2023 and Northwind's of June come between; "quarterly report" is no company's name.
    for question in ("What about at the end of the following quarter?", "And who signed the next quarterly report?"):
        follow_up = inherit(read_reference(question, FILINGS), earlier, FILINGS)
        assert resolve(follow_up, FILINGS, anchor="msft-2023-03-31").docs == ["msft-2023-09-30"], question


def test_that_quarter_is_the_conversations():
    # A newsletter titled by "quarter" is not what "that quarter" names.
    library = Catalog([*FILINGS.entries.values(),
                       catalog_entry("review", "The Quarter in Review: Energy Markets", "2023-12-15", "review.pdf")])
    earlier = read_reference("What was Microsoft's operating income in the quarter ended March 31, 2023?", library)
    follow_up = inherit(read_reference("How many shares did it buy back that quarter?", library), earlier, library)
    assert resolve(follow_up, library).docs == ["msft-2023-03-31"]


def test_that_year_is_the_conversations_though_the_ask_has_words_of_other_titles():
    library = Catalog([catalog_entry("a21", "Annual Report 2021", "2022-06", "ar21.pdf"),
                       catalog_entry("a22", "Annual Report 2022", "2023-04", "ar22.pdf"),
                       catalog_entry("b", "Lowering the Cost of Capital for Solar Power", "2020-03", "b.pdf")])
    earlier = read_reference("What total revenue did the 2021 annual report show?", library)
    question = "And how much went to Power Sector Governance that year?"
    assert resolve(inherit(read_reference(question, library), earlier, library), library).docs == ["a21"]


def test_the_latest_edition_is_the_latest_of_the_series_whichever_says_edition():
    # Only the third dialogue's cover says "Third Edition"; "edition" names any of them, and "held" asks.
    library = Catalog([catalog_entry("d19", "Energy Transition Dialogue 2019: Key Findings", "2019-11", "d19.pdf"),
                       catalog_entry("d22", "Energy Transition Dialogue", "2022-09", "d22.pdf",
                                     identity="Energy Transition Dialogue — Third Edition"),
                       catalog_entry("d23", "Energy Transition Dialogue 2023: Key Findings", "2023-10", "d23.pdf"),
                       catalog_entry("ar", "Annual Report 2023", "2024-05", "ar.pdf")])
    reference = read_reference("Where was the latest edition of the energy transition dialogue held?", library)
    assert "held" in reference.ask
    assert resolve(reference, library).docs == ["d23"]


def test_the_plan_that_replaced_it_is_the_next_of_the_conversations_series():
    library = Catalog([catalog_entry("p21", "Strategic Plan 2021–2023", "2021-01", "sp21.pdf"),
                       catalog_entry("b22", "Clean Cooking Beyond LPG", "2022-05", "b22.pdf"),
                       catalog_entry("p24", "Strategic Plan 2024–2026", "2023-11", "sp24.pdf")])
    for earlier, anchor, question, expected in (
            ("What vision did the 2021-2023 strategic plan set out?", "p21",
             "And what is the vision in the plan that replaced it?", ["p24"]),
            ("What vision does the 2024-2026 strategic plan set out?", "p24", "What did the plan it replaced say?", ["p21"])):
        reference = inherit(read_reference(question, library), read_reference(earlier, library), library)
        assert resolve(reference, library, anchor=anchor).docs == expected, question


@pytest.mark.parametrize("question, words", [
    ("And in the Fredericksburg helicopter accident?", ["fredericksburg"]),  # a kind of craft between place and noun
    ("How much gas escaped in the Enid one?", ["enid"]),  # the conversation's kind of event, at another place
    ("Was the Enid pipeline rupture caused by an excavator?", ["enid"]),
    ("What was the probable cause of the Robinson helicopter crash outside Kerrville?", ["kerrville"]),  # a make
    ("Which Super Bowl, after the 50th one, had Roman numerals?", []),
])
def test_the_place_an_event_is_named_by(question, words):
    assert parse(question).event_words == words


def test_the_edition_before_the_one_a_name_picks_out():
    library = Catalog([catalog_entry("d19", "Energy Transition Dialogue 2019: Key Findings", "2019-11", "d19.pdf"),
                       catalog_entry("d22", "Energy Transition Dialogue", "2022-09", "d22.pdf"),
                       catalog_entry("d23", "Energy Transition Dialogue 2023: Key Findings", "2023-10", "d23.pdf"),
                       catalog_entry("lagos", "Lagos Energy Outlook", "2024-01", "lagos.pdf")])
    reference = read_reference("What was the theme of the dialogue edition just before the Lagos one?", library)
    # "Lagos" says which dialogue to count from (its text names the city: qa/pipeline.py finds it), not which is asked.
    assert (reference.relative_to, reference.recency, reference.event_words) == (["lagos"], "previous", [])
    assert resolve(reference, library, anchor="d23").docs == ["d22"]
    after = read_reference("Where was the dialogue held after the Accra one?", library)
    assert after.recency == "next" and resolve(after, library, anchor="d19").docs == ["d22"]


def test_the_verb_asking_how_something_changed_names_no_report():
    """"How has electricity use changed since 2019?" is asked across the reports, not of the one whose title says
    "Lasting Change"."""
    library = Catalog([
        catalog_entry("s19", "Port Sustainability Report 2019", "2020-06-01", "sr2019.pdf", "Kestrel Bay Port Authority"),
        catalog_entry("s20", "Port Sustainability Report 2020", "2021-05-01", "sr2020.pdf", "Kestrel Bay Port Authority"),
        catalog_entry("ar", "Annual Report 2023: Small Grants, Lasting Change", "2024-04-01", "ar23.pdf", "Hart Foundation"),
    ])
    reference = read_reference("How has the port's electricity use changed since 2019?", library)
    assert reference.across and "chang" not in reference.words
    assert sorted(resolve(reference, library).docs) == ["s19", "s20"]


def test_since_the_first_report_is_each_report_of_the_series_from_the_first_on():
    reference = read_reference("How have membership claims changed since the first annual report?", LIBRARY)
    assert reference.across and reference.recency is None
    assert set(resolve(reference, LIBRARY).docs) >= {"a19", "a20", "a21"}
    assert docs("What did the first annual report say about claims?") == ["a19"]


def test_the_latest_quarterly_is_the_companys_latest_report_of_a_quarter():
    """"Brookmere's latest quarterly" names a report by its kind alone; a title naming its quarter ("Third Quarter
    2024 Results") is of that kind, though it never says "quarterly"."""
    library = Catalog([
        catalog_entry("q2", "Brookmere Water plc: Quarterly Report for the period ended 30 June 2024", "2024-06-30",
                      "report.pdf", "Brookmere Water plc"),
        catalog_entry("q3", "Brookmere Water plc: Third Quarter 2024 Results", "2024-09-30", "BWP_3Q2024.pdf",
                      "Brookmere Water plc"),
        catalog_entry("ar", "Brookmere Water plc Annual Report 2023", "2024-03-01", "ar23.pdf", "Brookmere Water plc"),
        catalog_entry("nv", "Northvale Energy plc: Q4 2024 Results", "2024-12-31", "nv.pdf", "Northvale Energy plc"),
    ])
    reference = read_reference("Who signed the CEO statement in Brookmere Water's latest quarterly?", library)
    assert reference.recency == "latest" and reference.phrase == "Brookmere Water's latest quarterly"
    assert resolve(reference, library).docs == ["q3"]
    assert parse("What is the annual budget?").phrase == ""


def test_the_next_quarter_guided_for_in_the_latest_report_is_the_datas():
    """"In Quillon's most recent results, what revenue are they guiding for the next quarter?": the latest report,
    whose outlook is for the quarter after it; with no latest said, "the next quarterly report" is the one after."""
    library = Catalog([
        catalog_entry("q1", "Quillon Systems First Quarter 2024 Results", "2024-03-31", "q1.pdf", "Quillon Systems"),
        catalog_entry("q2", "Quillon Systems Second Quarter 2024 Results", "2024-06-30", "q2.pdf", "Quillon Systems"),
    ])
    reference = read_reference("In Quillon's most recent results, what revenue are they guiding for the next quarter?",
                               library)
    assert reference.recency == "latest" and resolve(reference, library).docs == ["q2"]
    assert read_reference("And in the next quarterly report?", library).recency == "next"


def test_a_year_asked_in_the_past_of_a_companys_reports_that_none_is_of_nor_after():
    """"How many visitors did Wrexford Museums get in 2024?": its reports end with 2023; a plan's target for a later
    year looks ahead, and a year it has, or one before a report it has, is held."""
    library = Catalog([catalog_entry(f"w{y}", f"Wrexford Museums Trust Annual Report {y}", f"{y + 1}-06-30")
                       for y in (2021, 2022, 2023)]
                      + [catalog_entry("h24", "Harbor Institute Annual Report 2024", "2025-03-01")])
    question = "How many visitors did Wrexford Museums get in 2024?"
    assert unheld_year(read_reference(question, library), question, library) == ([2024], ["w2021", "w2022", "w2023"])
    for held in ("How many visitors did Wrexford Museums get in 2022?",
                 "How many visitors did Wrexford Museums get in 2019?",  # compared in a later report, maybe
                 "How many visitors does Wrexford Museums plan to have by 2028?",
                 "How many visitors did the Harbor Institute get in 2024?"):
        assert unheld_year(read_reference(held, library), held, library) == ([], []), held


def test_a_report_noun_after_does_and_its_subject_is_a_verb():
    """"What total income does the Alder Institute plan for 2026?": what it plans, not a plan of 2026."""
    assert parse("What total income does the Alder Institute plan for 2026?").phrase == ""
    assert parse("What does the Alder Institute plan say about rents?").phrase == "the Alder Institute plan"
    assert parse("What did the 2024 plan say about rents?").phrase == "the 2024 plan"


def test_a_half_years_report_is_of_the_halfs_last_quarter_not_of_the_month_it_came_out():
    library = Catalog([catalog_entry("h1", "H1 2023 Interim Results", "2023-07-27"),
                       catalog_entry("h2", "Second Half 2023 Results", "2024-02-20"),
                       catalog_entry("q3", "Q3 2023 Trading Update", "2023-10-26")])
    assert library.of_quarter("h1", 2) and not library.of_quarter("h1", 3)
    assert library.of_quarter("h2", 4) and not library.of_quarter("h2", 1)
    assert library.of_quarter("q3", 3)
    assert mentions_quarter("Profit fell in the third quarter.", 3) and mentions_quarter("Q3 revenue", 3)
    assert not mentions_quarter("Profit fell in the first half.", 3) and not mentions_quarter("Q2 revenue", 3)


# Two companies' filings: one titles its reports by the months they cover, the other by its fiscal quarters (its year
# ends on 31 March); a third company's filings are titled by quarter.
PERIOD_FILINGS = Catalog([
    catalog_entry("c1", "Interim Report January\u2013March 2023", "2023-04-27", "c1.pdf", "Calderon Pharma AG"),
    catalog_entry("c2", "Interim Report January\u2013June 2023", "2023-07-27", "c2.pdf", "Calderon Pharma AG"),
    catalog_entry("c3", "Interim Report January\u2013September 2023", "2023-10-26", "c3.pdf", "Calderon Pharma AG"),
    catalog_entry("n2", "Norhavn Shipping Second Quarter and First Half 2023", "2023-06-30", "n2.pdf", "Norhavn Shipping"),
    catalog_entry("n3", "Norhavn Shipping Third Quarter 2022", "2022-09-30", "n3.pdf", "Norhavn Shipping"),
    catalog_entry("b4", "Q4 and full year FY2023 results", "2023-03-31", "b4.pdf", "Brightline Telecom plc"),
    catalog_entry("b1", "Q1 FY2024 trading update", "2023-06-30", "b1.pdf", "Brightline Telecom plc"),
    catalog_entry("b2", "Q2 FY2024 trading update", "2023-09-30", "b2.pdf", "Brightline Telecom plc"),
])


@pytest.mark.parametrize("question, docs", [
    # a half and a run of months name the period's last quarter; "first half" is no word of another's title
    ("What were Calderon Pharma's net sales for the first half of 2023?", ["c2"]),
    ("What were Calderon Pharma's net sales in the first nine months of 2023?", ["c3"]),
    ("What did Calderon Pharma earn in January-March 2023?", ["c1"]),
    ("What were Calderon's earnings per share for the first six months of 2023?", ["c2"]),
    ("According to Calderon's nine-month interim report for 2023, who is the chief executive?", ["c3"]),
    # a quarter's ordinal names the period, not the reports of other companies titled "Third Quarter"
    ("What was Calderon Pharma's operating income in the third quarter of 2023?", ["c3"]),
    # the calendar's months: a fiscal title's quarter says the company's, its date the calendar's
    ("What was Brightline Telecom's mobile ARPU for the three months April to June 2023?", ["b1"]),
    ("What was Brightline Telecom's revenue in Q2 FY2024?", ["b2"]),
])
def test_a_half_a_run_of_months_or_a_quarter_names_the_filing_of_that_period(question, docs):
    resolution = resolve(read_reference(question, PERIOD_FILINGS), PERIOD_FILINGS)
    assert resolution is not None and resolution.docs == docs


def test_a_half_names_its_report_and_stays_in_what_is_asked():
    """"Net sales for the first half of 2023": the half-year report, and its half-year figure, not its quarter's."""
    reference = read_reference("What were Calderon Pharma's net sales for the first half of 2023?", PERIOD_FILINGS)
    assert reference.quarter == 2 and "first half" in reference.ask
    assert "third quarter" not in read_reference("What was Calderon Pharma's revenue in the third quarter of 2023?",
                                                 PERIOD_FILINGS).ask


def test_the_full_year_is_asked_of_the_report_of_its_last_quarter():
    """"Net sales for the full year 2023" of a company whose latest report is of nine months: none holds them."""
    question = "What were Calderon Pharma's net sales for the full year 2023?"
    assert unheld_quarter(read_reference(question, PERIOD_FILINGS), question, PERIOD_FILINGS) == (
        [2023], ["c1", "c2", "c3"])
    assert read_reference("What does Calderon expect for the full year?", PERIOD_FILINGS).quarter is None  # an outlook
    assert read_reference("What were Norhavn's 2022 full-year results?", PERIOD_FILINGS).quarter == 4


def test_a_quarter_named_in_words_with_its_year_apart_that_no_report_of_the_company_is_of():
    question = "What was Norhavn Shipping's revenue in the fourth quarter of 2023?"  # "quarter" is a word of titles
    reference = read_reference(question, PERIOD_FILINGS)
    assert reference.explicit and unheld_quarter(reference, question, PERIOD_FILINGS) == ([2023], ["n3", "n2"])


def test_a_quarter_before_a_companys_first_report_of_it_is_in_the_next_years():
    """"Calderon's EBIT in the third quarter of 2022": its year-end report of 2022 is of another quarter; its report of
    the third quarter of 2023 compares with the same quarter of 2022."""
    library = Catalog([*(PERIOD_FILINGS.entries[d] for d in ("c1", "c2", "c3", "n3")),
                       catalog_entry("c0", "Year-end Report 2022", "2023-02-02", "c0.pdf", "Calderon Pharma AG")])
    question = "What was Calderon Pharma's operating income in the third quarter of 2022?"
    assert resolve(read_reference(question, library), library).docs == ["c3"]


def test_a_quarter_named_by_its_last_month_and_results_named_by_whose():
    library = Catalog([*PERIOD_FILINGS.entries.values(),
                       catalog_entry("k2", "Kestrel Ridge Mining Quarterly Report", "2023-06-30", "k2.pdf"),
                       catalog_entry("k3", "Kestrel Ridge Mining Quarterly Report", "2023-09-30", "k3.pdf")])
    # "the June 2023 quarter": the quarter ending in June; the month names no report by its words
    reference = read_reference("How much copper did Kestrel Ridge Mining produce in the June 2023 quarter?", library)
    assert reference.quarter == 2 and "june" not in reference.words
    assert resolve(reference, library).docs == ["k2"]
    # "its third quarter fiscal 2023 results": the company's name says whose results
    question = "What revenue guidance did Brightline Telecom give with its second quarter fiscal 2024 results?"
    assert resolve(read_reference(question, library), library).docs == ["b2"]


def test_a_number_of_reports_counts_them_and_names_none():
    """"Its two quarterly reports": Brightline's, named by the question, not those whose titles say "Q2"."""
    question = "How did Brightline Telecom's revenue change over its two quarterly reports?"
    reference = read_reference(question, PERIOD_FILINGS)
    assert "two" not in reference.words and reference.across
    assert resolve(reference, PERIOD_FILINGS).docs == ["b4", "b1", "b2"]


def test_a_fiscal_quarter_its_titles_never_name_is_no_report_of_the_library():
    question = "What was Brightline Telecom's revenue in Q3 FY2023?"
    reference = read_reference(question, PERIOD_FILINGS)
    assert resolve(reference, PERIOD_FILINGS) is None and unnamed_years(reference, PERIOD_FILINGS) == ([2023], ["b4", "b1", "b2"])


def test_a_quarter_asked_of_a_companys_reports_that_none_is_of_nor_after():
    """"Riverside Water Board's revenue in Q3 2023": its reports are of the first two quarters, and none later would
    compare with the third; other organisations' reports of that quarter are not its."""
    library = Catalog([*LIBRARY.entries.values(),
                       catalog_entry("h3", "Harbor Institute Quarterly Update Q3 2023", "2023-09-30", "h3.pdf")])
    question = "What was Riverside Water Board's revenue in Q3 2023?"
    assert unheld_quarter(read_reference(question, library), question, library) == ([2023], ["q1", "q2"])
    for held in ("What was Riverside Water Board's revenue in Q2 2023?",
                 "What was Riverside Water Board's revenue in Q2 2022?"):
        assert unheld_quarter(read_reference(held, library), held, library) == ([], [])  # of it, or before its latest
    assert unheld_quarter(read_reference("What was revenue in Q3 2023?", library), "What was revenue in Q3 2023?",
                          library) == ([], [])  # no one named


def test_the_names_whose_reports_some_are_not_months_nor_every_reports_words():
    library = Catalog([
        catalog_entry("bw", "Brookmere Water plc: Q3 2023 Trading Statement", "2023-09-30", "bw.pdf"),
        catalog_entry("ks", "Kestrel Shipping ASA: Q4 2022 Results", "2022-12-31", "ks.pdf"),
        catalog_entry("fw", "FRA Quarterly Report Dec 2023", "2023-12-31", "fra.pdf", "Fenwick Regional Airport plc"),
    ])
    assert library.names_in("What dividend per share does Brookmere Water pay?") == ["Brookmere Water"]
    assert library.names_in("What did Fenwick Regional Airport report for the quarter ending December 2023?") == [
        "Fenwick Regional Airport"]
    assert library.names_in("What did Northvale Energy earn?") == []  # no report's name


@pytest.mark.parametrize("question, period", [
    ("What operating profit did the airport report for the quarter ending December 2023?", "2023-12"),
    ("Kestrel's quarterly report for the period to 31 March 2023: who signed the contract?", "2023-03-31"),
    ("Brookmere Water's quarterly report to 30 June 2024: how many km of mains were replaced?", "2024-06-30"),
    ("What was revenue in the three months to June 2024?", "2024-06"),
    ("What was revenue for the quarter ended December 31, 2023?", "2023-12-31"),
])
def test_a_period_ending_names_the_report_of_that_date(question, period):
    assert parse(question).period == period


def test_the_last_four_quarters_are_a_companys_last_four_reports_whatever_their_titles_call_them():
    library = Catalog([
        catalog_entry("q1", "Northvale Energy plc: Q1 2023 Interim Report", "2023-03-31", "nv1.pdf"),
        catalog_entry("q2", "Northvale Energy plc: Second Quarter 2023 Results", "2023-06-30", "nv2.pdf"),
        catalog_entry("q3", "Northvale Energy plc: Interim Report for the period ended 30 September", "2023-09-30",
                      "report(2).pdf"),
        catalog_entry("q4", "Northvale Energy plc - Q4 2023", "2023-12-31", "nv4.pdf"),
        catalog_entry("q5", "Northvale Energy plc: Q1 2024 Interim Report", "2024-03-31", "nv5.pdf"),
        catalog_entry("bw", "Brookmere Water plc: Third Quarter 2024 Results", "2024-09-30", "bw.pdf"),
    ])
    reference = read_reference("How has Northvale's revenue changed over the last four quarters?", library)
    assert reference.across and reference.count == 4
    assert resolve(reference, library).docs == ["q2", "q3", "q4", "q5"]


def test_a_flood_or_a_storm_is_an_event_its_place_names_and_each_dialogue_is_asked_across():
    assert parse("How many people were evacuated in the Riverton flood?").event_words == ["riverton"]
    assert parse("Where was each energy security dialogue held?").across
    assert not parse("Where was the 2021 energy security dialogue held?").across
