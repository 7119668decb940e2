"""Questions over a library of reports in series: the named report, the latest, the previous, across them, follow-ups,
and explicit filters, with the real model, FAISS and SQLite on a few tiny generated reports."""
from __future__ import annotations

import pytest

from ingest.pipeline import add_files
from pdfs import write_layout_pdf
from qa.extract import asks_for_amount
from qa.pipeline import QAPipeline

ANNUAL = {  # year: (date, claims processed, average days, strategic goals)
    2019: ("2020-03-02", "1,200", "41", "four"),
    2020: ("2021-03-01", "1,450", "35", "five"),
    2021: ("2022-03-07", "1,610", "28", "six"),
}
# Who spoke at each year's members' meeting: 2021's words fit "who gave the keynote address" best.
MEETING = {2019: "The members' meeting opened with a keynote delivered by Dana Ruiz, the harbour master.",
           2020: "The members' meeting heard reports from the three programme leads.",
           2021: "The keynote address at the members' meeting was given by Sam Okafor, the port's engineer."}


_MONTHS = {2019: "March", 2020: "February", 2021: "April"}  # when each came out, the year after


def _annual(year: int, date: str, claims: str, days: str, goals: str) -> str:
    return f"""---
title: Harbor Institute Annual Report {year}
publisher: Harbor Institute
date: {date}
---

Harbor Institute Annual Report {year}

Prepared by the Office of Planning. Harbor Institute, 12 Quay Street.

{_MONTHS[year]} {year + 1}

Membership claims

In {year}, the institute processed {claims} membership claims. Claims took an average of {days} days to process, from
receipt to decision. Staff reviewed the backlog every month and reported to the board.

Goals

The institute pursued {goals} strategic goals during the year. Each goal had a named lead and quarterly milestones.

{MEETING[year]}
"""


def _filing(quarter: int, date: str, revenue: str) -> str:
    return f"""---
title: Riverside Water Board Quarterly Filing Q{quarter} 2023
publisher: Riverside Water Board
date: {date}
---

Riverside Water Board Quarterly Filing Q{quarter} 2023

Revenue for the quarter was {revenue} million dollars, mostly from metered water sales. Operating costs rose slightly
because of pump repairs.
"""


def _incident(number: str, town: str, date: str, cause: str) -> str:
    return f"""---
title: Incident Report {number}
publisher: County Fire Service
date: {date}
---

Incident Report {number}

Page 1 of 2. Location: {town}. Date and time: {date} 14:05. Units attending: three engines. Report number {number}.

Summary of findings

The fire destroyed a storage barn outside the village. Investigators concluded that the cause of the fire was {cause}.
No one was hurt, and the neighbouring houses were saved.
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory, embedder) -> QAPipeline:
    folder = tmp_path_factory.mktemp("library")
    for year, values in ANNUAL.items():
        (folder / f"annual-{year}.md").write_text(_annual(year, *values))
    (folder / "q1.md").write_text(_filing(1, "2023-03-31", "4.2"))
    (folder / "q2.md").write_text(_filing(2, "2023-06-30", "5.7"))
    (folder / "fire-a.md").write_text(_incident("14-07", "Millbrook", "2021-07-14", "a faulty heater in the tack room"))
    (folder / "fire-b.md").write_text(_incident("14-09", "Ashford", "2021-08-02", "a lightning strike on the roof"))
    index = tmp_path_factory.mktemp("library-index") / "index"
    results = add_files([folder], index, embedder=embedder, progress=False)
    assert all(r.status == "added" for r in results)
    return QAPipeline(index, embedder)


def _titles(answer) -> list[str]:
    return [c.title for c in answer.citations]


def test_a_named_year_is_answered_from_that_report(library):
    answer = library.ask("In the 2020 annual report, how many membership claims did the institute process?")
    assert "1,450 membership claims" in answer.answer
    assert _titles(answer) == ["Harbor Institute Annual Report 2020"]
    assert answer.scope.inferred and answer.scope.searched == "only"
    assert [r.title for r in answer.scope.reports] == ["Harbor Institute Annual Report 2020"]


def test_the_latest_figure_is_the_newest_reports(library):
    """"The latest ... figure" names no report, but of the reports its words prefer, the newest one's is meant."""
    answer = library.ask("What's the latest membership claims figure for the Harbor Institute?")
    assert "1,610" in answer.answer, answer.answer
    assert asks_for_amount("What's the latest bus ridership figure?")


def test_a_bare_follow_up_moving_the_year_asks_the_earlier_question_of_that_year(library):
    """"In 2021?" then "and the year before?": the earlier question again, of 2020, not of 2021 (its year had stayed in
    what was searched for)."""
    earlier = "How many membership claims did the Harbor Institute process in 2021?"
    result = library.run("and the year before?", [earlier])
    assert "1,450" in result.answer.answer, result.answer.answer
    assert "2020" in result.query.text and "2021" not in result.query.text, result.query.text


def _indicators(years: tuple[int, ...], cargo: tuple[str, ...]) -> list[list[tuple]]:
    """A sustainability report's page: its indicators for three years, set as a table."""
    rows = [["Indicator", *map(str, years)], ["Cargo throughput (million tonnes)", *cargo],
            ["Electricity use (MWh)", "61,200", "62,050", "63,480"]]
    return [[(cell, x, 700 - 16 * r, 10) for r, cells in enumerate(rows) for x, cell in zip((56, 330, 400, 470), cells)]
            + [("Kestrel Bay Port Authority handled more ships this year than last, and kept its emissions falling.",
                56, 600, 11)]]


def test_a_figure_of_a_year_is_quoted_from_that_years_report_not_a_later_ones_column(tmp_path, embedder):
    """The 2021 report repeats 2020's figure beside its own, and its title names the port where the 2020 report's does
    not (its text does): the 2020 report answers for 2020."""
    folder = tmp_path / "reports"
    folder.mkdir()
    write_layout_pdf(folder / "sr2020.pdf", _indicators((2018, 2019, 2020), ("22.1", "22.8", "20.9")),
                     title="Sustainability Report 2020")
    write_layout_pdf(folder / "kbpa-sr-2021.pdf", _indicators((2019, 2020, 2021), ("22.8", "20.9", "23.5")),
                     title="Kestrel Bay Port Authority Sustainability Report 2021")
    add_files([folder], tmp_path / "index", embedder=embedder, progress=False)
    answer = QAPipeline(tmp_path / "index", embedder).ask("How much cargo did Kestrel Bay handle in 2020?")
    assert [c.title for c in answer.citations] == ["Sustainability Report 2020"], answer.answer


def test_a_row_the_question_names_answers_with_confidence(tmp_path, embedder):
    """"What size of endowment is the think tank aiming for in its strategic plan?": the row "Endowment | £7.5 million
    | £12 million" is the measure asked for, as a field labelled so would be, though the question's other words
    ("think tank", "aiming") are in no report."""
    rows = [["Measure", "2023", "2028 target"], ["Staff", "38", "50"], ["Endowment", "£7.5 million", "£12 million"],
            ["Countries with a partner institute", "6", "10"]]
    page = ([("Corran Institute Strategic Plan 2024-2028", 56, 760, 18), ("5. Measuring progress", 56, 730, 13)]
            + [(cell, x, 700 - 16 * r, 10) for r, cells in enumerate(rows) for x, cell in zip((56, 330, 430), cells)]
            + [("The board will review these measures each year and publish the results.", 56, 600, 11)])
    folder = tmp_path / "reports"
    folder.mkdir()
    write_layout_pdf(folder / "plan.pdf", [page], title="Corran Institute Strategic Plan 2024-2028")
    (folder / "review.md").write_text("---\ntitle: Corran Institute Annual Review 2023\ndate: 2023-12-01\n---\n\n"
                                      "The institute published 14 papers and hosted its ninth roundtable in Singapore.")
    add_files([folder], tmp_path / "index", embedder=embedder, progress=False)
    pipeline = QAPipeline(tmp_path / "index", embedder)
    answer = pipeline.ask("what size of endowment is the think tank aiming for in its strategic plan")
    assert answer.answer == "Endowment | £7.5 million | £12 million", answer.answer
    # Not a row of other years than the one asked.
    assert pipeline.ask("How large was the endowment in 2021?").abstained


def test_a_quarter_no_quoted_report_is_of_nor_speaks_of_is_not_answered_from_a_half_years_figure(tmp_path, embedder):
    """Ashgrove reports by the half: asked its profit for Q3 2023, neither its first half's report (out in July) nor its
    year's results, which never speak of the third quarter, answer."""
    for name, title, date, text in (
            ("h1.md", "Ashgrove Bank H1 2023 Interim Results", "2023-07-27",
             "Profit before tax for the first half was GBP 412m, up from GBP 338m. Net interest margin was 3.18%."),
            ("fy.md", "Ashgrove Bank 2023 Annual Results", "2024-02-22",
             "Profit before tax for the year was GBP 801m. Net interest margin was 3.09%.")):
        (tmp_path / name).write_text(f"---\ntitle: {title}\ndate: {date}\n---\n\n{text}\n")
    add_files([tmp_path / "h1.md", tmp_path / "fy.md"], tmp_path / "index", embedder=embedder, progress=False)
    pipeline = QAPipeline(tmp_path / "index", embedder)
    assert pipeline.ask("What profit before tax did Ashgrove report for Q3 2023?").abstained
    assert "GBP 412m" in pipeline.ask("What profit before tax did Ashgrove report for H1 2023?").answer


def test_latest_and_previous(library):
    latest = library.ask("What does the latest annual report say about the time claims took to process?")
    assert "28 days" in latest.answer and _titles(latest) == ["Harbor Institute Annual Report 2021"]
    previous = library.ask("What did the previous annual report say about the time claims took to process?")
    assert "35 days" in previous.answer and _titles(previous) == ["Harbor Institute Annual Report 2020"]


def test_a_report_the_library_lacks_is_refused_with_the_years_it_has(library):
    answer = library.ask("In the 2017 annual report, how many membership claims did the institute process?")
    assert answer.abstained and answer.citations == []
    assert "2017" in answer.answer and "2019, 2020 and 2021" in answer.answer


def test_a_quarter_none_of_a_companys_reports_is_of_is_refused_with_the_quarters_it_has(library):
    answer = library.ask("What was Riverside Water Board's revenue in Q3 2023?")
    assert answer.abstained and "Q3 2023" in answer.answer and "Q1 2023 and Q2 2023" in answer.answer


def test_a_named_quarter_is_answered_from_that_filing(library):
    answer = library.ask("What was revenue in the Q1 2023 filing?")
    assert "4.2 million" in answer.answer
    # a quarter the library has no filing of, though it has others of its year
    missing = library.ask("What was revenue in the Q3 2023 filing?")
    assert missing.abstained and missing.answer == ("The library holds no such report from Q3 2023; it has reports "
                                                    "of that name from Q1 2023 and Q2 2023.")


def test_the_ask_chooses_the_sentence_not_the_words_that_name_the_report(library):
    answer = library.ask("In the report on the fire near Millbrook, what was the cause?")
    assert "faulty heater" in answer.answer and "Location" not in answer.answer


def test_across_reports_one_quote_per_report_by_date(library):
    answer = library.ask("How has the average time to process claims changed over the years?")
    assert [a.title for a in answer.across] == [f"Harbor Institute Annual Report {y}" for y in (2019, 2020, 2021)]
    assert [d in a.answer for a, d in zip(answer.across, ("41 days", "35 days", "28 days"))] == [True] * 3
    assert all(a.citations and a.citations[0].doc_id == a.doc_id for a in answer.across)
    assert answer.answer.index("41 days") < answer.answer.index("35 days") < answer.answer.index("28 days")


def test_a_single_question_keeps_a_single_answer(library):
    assert library.ask("What caused the fire in the storage barn outside Ashford?").across == []


def test_follow_ups_inherit_the_scope(library):
    first = "In the 2019 annual report, how long did claims take to process on average?"
    assert "41 days" in library.ask(first).answer
    changed = library.ask("And in the 2021 report?", [first])
    assert "28 days" in changed.answer and _titles(changed) == ["Harbor Institute Annual Report 2021"]
    kept = library.ask("How many strategic goals did the institute pursue?", [first])
    assert "four strategic goals" in kept.answer


HARBOUR_WORKS = "\n\n".join(f"Section {n}. The {noun} of pier {n} was inspected in spring, repaired where needed and "
                              f"painted before the summer season opened to visitors." for n, noun in
                              enumerate(["deck", "railing", "lamp", "bollard", "ladder", "fender"] * 16))


def test_a_follow_up_that_moves_a_year_on_asks_the_earlier_question_of_that_years_report(tmp_path, embedder):
    """"And the year after?" asks "How many participants took part?" again, of the next dialogue: not for a sentence
    with "year" and "after" in it."""
    for year, text in ((2020, "The virtual format widened participation: 67 participants from 14 countries joined. "
                               "Most sessions ran late into the evening."),
                       (2021, "It gathered 55 participants from 12 countries. The year after the pandemic began, "
                              "travel was still hard for many delegates.")):
        (tmp_path / f"dialogue-{year}.md").write_text(
            f"---\ntitle: Maritime Dialogue {year}\ndate: {year}-11-09\n---\n\nMaritime Dialogue {year}\n\n{text}\n")
    (tmp_path / "works.md").write_text(f"---\ntitle: Harbour Works\n---\n\n{HARBOUR_WORKS}\n")
    add_files([tmp_path], tmp_path / "index", embedder=embedder, progress=False)
    pipeline = QAPipeline(tmp_path / "index", embedder)
    after = pipeline.run("And the year after?", ["How many participants took part in the 2020 dialogue?"])
    assert after.read_as == "How many participants took part?"
    assert "55 participants" in after.answer.answer and _titles(after.answer) == ["Maritime Dialogue 2021"]
    # Asked in other words than the report's, "It gathered 55 participants" counts what is asked, as "Participants:"
    # would.
    took_part = pipeline.run("How many people took part?", ["Who chaired the 2021 dialogue?"]).answer
    assert not took_part.abstained and "55 participants" in took_part.answer, took_part.answer


def test_a_report_named_by_words_of_its_text_that_one_report_alone_holds_all_of(tmp_path, embedder):
    """"The Colombo dialogue on illegal fishing": the brief on illegal fishing holds most of the passages with those
    words, and another dialogue was in Colombo too, but one report holds all three."""
    reports = {
        "Maritime Dialogue 2021": "The third dialogue met in Colombo. Participants proposed a regional task force on "
                                  "illegal fishing that would pool vessel sightings.",
        "Maritime Dialogue 2019": "The first dialogue met in Colombo and discussed hotlines between navies.",
        "Closing the Net": "Illegal fishing costs coastal states dearly.\n\nFishing fleets evade patrols at night.",
        "Harbour Works": HARBOUR_WORKS,  # rare words name a report: a library of many passages, most on other things
    }
    for n, (title, text) in enumerate(reports.items()):
        (tmp_path / f"r{n}.md").write_text(f"---\ntitle: {title}\ndate: 2021-05-0{n + 1}\n---\n\n{text}\n")
    add_files([tmp_path], tmp_path / "index", embedder=embedder, progress=False)
    pipeline = QAPipeline(tmp_path / "index", embedder)
    named = pipeline._named_by_content(["colombo", "illegal", "fishing"], None)
    assert named is not None and pipeline.catalog().entries[named].title == "Maritime Dialogue 2021"


def test_a_report_whose_title_abbreviates_its_series_is_named_by_the_words_its_cover_spells_out(tmp_path, embedder):
    reports = {"q4": ("Quarterly Monitoring Report: Coastal Livelihoods Resilience Programme (CLRP) - Q4 2023",
                      "2023-12-31", "1,150"),
               "q1": ("CLRP Quarterly Monitoring Report Q1 2024", "2024-03-31", "1,236")}
    for name, (title, date, households) in reports.items():
        (tmp_path / f"{name}.md").write_text(
            f"---\ntitle: \"{title}\"\ndate: {date}\n---\n\nCoastal Livelihoods Resilience Programme (CLRP)\n\n"
            f"By the end of the quarter {households} households had enrolled in the programme.\n")
    (tmp_path / "works.md").write_text(f"---\ntitle: Harbour Works\n---\n\n{HARBOUR_WORKS}\n")
    assert all(r.status == "added" for r in add_files([tmp_path], tmp_path / "index", embedder=embedder, progress=False))
    answer = QAPipeline(tmp_path / "index", embedder).ask(
        "According to the newest quarterly monitoring report on the coastal livelihoods programme, how many households "
        "have enrolled?")
    assert [r.title for r in answer.scope.reports] == ["CLRP Quarterly Monitoring Report Q1 2024"]


def test_where_a_meeting_was_held_is_the_line_of_place_and_days_under_its_reports_title(tmp_path, embedder):
    for name, title, place, people in (("suva", "Workshop on Marine Spatial Planning", "Suva, Fiji | 23-24 November 2021", 34),
                                       ("apia", "Workshop on Coastal Fisheries", "Apia, Samoa | 8-9 May 2022", 41)):
        (tmp_path / f"{name}.md").write_text(
            f"---\ntitle: {title}\n---\n\n{title}\n\n{place}\n\nPurpose\n\nThe workshop brought together {people} "
            "planners, fisheries officers and customary leaders held in high regard across the region.\n")
    (tmp_path / "works.md").write_text(f"---\ntitle: Harbour Works\n---\n\n{HARBOUR_WORKS}\n")
    add_files([tmp_path], tmp_path / "index", embedder=embedder, progress=False)
    answer = QAPipeline(tmp_path / "index", embedder).ask("Where was the workshop on marine spatial planning held?")
    assert answer.answer == "Suva, Fiji | 23-24 November 2021"


def test_a_line_of_day_and_place_printed_as_a_heading_says_where_a_meeting_was_held(tmp_path, embedder):
    """The day, then the place, in bold over the welcome: the heading of the cover's passage, not one of its
    sentences, and the passages on the sessions rank above it."""
    placed = [("Annual Conference 2023: Rebuilding Trust", 60, 740, 20, "bold"),
              ("Tuesday 14 November 2023 · Corn Exchange, Bramwell", 60, 712, 12, "bold"),
              ("Welcome to our first annual conference on public trust, with leaders from government and the press.",
               60, 690, 10)]
    for k, session in enumerate(("courts", "police", "press", "councils")):
        placed += [(f"Session on trust in the {session}", 60, 640 - 70 * k, 12, "bold"),
                   (f"The conference heard how public trust in the {session} was lost and how it may be held again.",
                    60, 620 - 70 * k, 10)]
    (tmp_path / "reports").mkdir()
    write_layout_pdf(tmp_path / "reports" / "conference.pdf", [placed])
    (tmp_path / "reports" / "works.md").write_text(f"---\ntitle: Harbour Works\n---\n\n{HARBOUR_WORKS}\n")
    add_files([tmp_path / "reports"], tmp_path / "index", embedder=embedder, progress=False)
    answer = QAPipeline(tmp_path / "index", embedder).ask("Where was the conference on rebuilding trust held?")
    assert answer.answer == "Tuesday 14 November 2023 \u2022 Corn Exchange, Bramwell"  # "·" set in Helvetica


def test_a_follow_up_that_stands_alone_is_answered_from_the_conversations_report_while_it_can_be(library):
    """Every year's meeting had a speaker, so "the keynote" after a question about 2019 is 2019's, though 2021's words
    fit better; water sales are in no annual report, so the question has moved on and is answered from the library."""
    first = "In the 2019 annual report, how long did claims take to process on average?"
    keynote = library.ask("Who gave the keynote address at the members' meeting?", [first])
    assert "Dana Ruiz" in keynote.answer and _titles(keynote) == ["Harbor Institute Annual Report 2019"]
    moved_on = library.ask("Where did most of the revenue come from?", [first])
    assert "metered water sales" in moved_on.answer


def test_when_a_report_came_out_is_its_covers_date_line(library):
    """The date line shares no word with "when was it published", and the question's words are on every page."""
    answer = library.ask("When was the 2020 annual report published?")
    assert answer.answer == "February 2021" and not answer.abstained
    follow_up = library.ask("When was it released?", ["What did the 2021 annual report say about claims?"])
    assert follow_up.answer == "April 2022"


BRIEF = """---
title: Small Ports, Big Risks
date: 2023-06-14
---

Small Ports, Big Risks

Dr. Aurelio Baptiste 14 June 2023

## Why this brief

This brief was written after a survey of the region's small ports. It was written for harbour masters and their boards.

## Findings

Most ports wrote no plan for a cyber incident. Those that wrote one rarely tested it, and none wrote down who to call first.

## Recommendations

Ports should write a one-page plan, test it every year, and write to the coastguard when an incident happens.
"""


def test_who_wrote_a_report_is_its_covers_byline(tmp_path, embedder):
    """The names under a brief's title share no word with "who wrote", which its other sentences are full of."""
    (tmp_path / "brief.md").write_text(BRIEF)
    (tmp_path / "other.md").write_text("---\ntitle: Harbour Annual Report 2023\n---\n\nThe harbour handled 4,000 ships.")
    add_files([tmp_path / "brief.md", tmp_path / "other.md"], tmp_path / "index", embedder=embedder, progress=False)
    answer = QAPipeline(tmp_path / "index", embedder).ask("Who wrote the Small Ports brief?")
    assert answer.answer == "Dr. Aurelio Baptiste 14 June 2023" and not answer.abstained


def test_a_name_printed_large_on_its_own_line_above_the_date_is_the_byline(tmp_path, embedder):
    """Printed in bold above the date, the name is read as a heading: the byline starts in it."""
    body = ["Solar and wind now supply over a third of the region's electricity, but the grid has little capacity",
            "to store power for evening peaks or windless days. This paper reviews the storage now installed in the",
            "region and argues that current market rules reward short bursts of power rather than the longer storage",
            "the system will need by the end of the decade, when the last coal plant is due to close for good."]
    cover = [("Storing the Sun: Grid-Scale Storage", 72, 700, 20), ("Dr. Henrik Solberg", 72, 640, 11, "bold"),
             ("February 2022", 72, 626, 11)] + [(line, 72, 580 - 14 * i, 11) for i, line in enumerate(body)]
    folder = tmp_path / "reports"
    folder.mkdir()
    write_layout_pdf(folder / "WP2022-03.pdf", [cover])
    (folder / "other.md").write_text("---\ntitle: Harbour Annual Report 2023\n---\n\nThe harbour handled 4,000 ships.")
    add_files([folder], tmp_path / "index", embedder=embedder, progress=False)
    answer = QAPipeline(tmp_path / "index", embedder).ask("Who wrote the paper on grid storage?")
    assert not answer.abstained and "Dr. Henrik Solberg" in answer.answer and "February 2022" in answer.answer


def _brief(number: int, month: str, title: str, author: str, body: list[str]) -> list[list[tuple]]:
    """A brief's pages: a cover with its publisher and number small, its title largest and its author alone under it;
    then its text."""
    return [[("Harbour Institute of International Affairs", 72, 740, 10), (f"Issue Brief No. {number} | {month}", 72, 724, 10),
             (title, 72, 690, 20), (author, 72, 660, 11)], [(line, 72, 720 - 14 * i, 11) for i, line in enumerate(body)]]


def test_a_briefs_author_named_alone_under_its_title_and_what_the_latest_brief_is_about(tmp_path, embedder):
    """The name under a brief's title shares no word with "who wrote"; what a brief is about is its title, which
    the question does not say either. A subtitle's capitalised words would be no author."""
    folder = tmp_path / "reports"
    folder.mkdir()
    write_layout_pdf(folder / "IB08.pdf", _brief(8, "June 2023", "Offshore Wind and Maritime Awareness", "Maren Holt", [
        "Wind farms now cover large parts of the sea, and their turbines can hide small vessels from coastal radar.",
        "This brief sets out how operators and navies could share what their sensors see at the wind farms."]))
    write_layout_pdf(folder / "doc04817.pdf", _brief(9, "November 2023", "Shadow Fleets and Sanctions Enforcement",
                                                      "Tomas Lindqvist", [
        "Since the oil price cap, a shadow fleet of ageing tankers has carried sanctioned crude through the straits.",
        "Many of the ships lack recognised insurance, and an accident at sea would leave coastal states to pay."]))
    add_files([folder], tmp_path / "index", embedder=embedder, progress=False)
    pipeline = QAPipeline(tmp_path / "index", embedder)
    author = pipeline.ask("Who wrote the brief on shadow fleets?")
    assert not author.abstained and author.answer == "Tomas Lindqvist"
    about = pipeline.ask("What's the latest issue brief about?")
    assert not about.abstained and "Shadow Fleets and Sanctions Enforcement" in about.answer


# A funder's strategy: its cover prints the funder's name, largest, and nothing else of note; its pages say what it
# will do, one of them how much it will give.
STRATEGY = [[("The Ellery Hart Foundation", 72, 700, 24), ("Our Strategy 2024-2027", 72, 660, 16)],
            ["Who we are", "We were set up by a farming family to support children growing up in the countryside, and we",
             "are grateful to the families whose gifts and legacies make our work possible.",
             "Where we work",
             "Many villages have lost their bus services, libraries and youth clubs. Partnerships with other funders",
             "allow us to support larger projects than we could fund alone."],
            ["What we fund",
             "Our grants support reading clubs, family learning sessions and village halls, and the small groups that",
             "run them. Grants may pay for staff, equipment and running costs.",
             "Who can apply",
             "Registered charities and community groups working with rural children and their families may apply for",
             "grants. We do not give grants to individuals or to statutory bodies."],
            ["How we decide",
             "Our grants panel includes people with lived experience of rural hardship. We keep our application",
             "process as simple as we can, and we aim to be a light-touch, flexible funder.",
             "Our resources",
             "We plan to award around GBP 1.3 million a year in grants over the strategy period, with at least 60 per",
             "cent as multi-year funding."]]


def test_a_cover_line_with_no_sum_gives_way_to_a_sentence_further_down_that_has_it(tmp_path, embedder):
    """Asked how much, the cover's line that prints the funder's name alone (which the question names) holds no sum:
    the sentence that says how much answers, though the search ranks it below the cover."""
    folder = tmp_path / "reports"
    folder.mkdir()
    pages = [STRATEGY[0]] + [[(line, 72, 720 - 16 * i, 11, *(["bold"] if len(line) < 20 else []))
                              for i, line in enumerate(page)] for page in STRATEGY[1:]]
    write_layout_pdf(folder / "strategy_2024-2027.pdf", pages)
    (folder / "other.md").write_text("---\ntitle: Harbour Annual Report 2023\n---\n\nThe harbour handled 4,000 ships.")
    add_files([folder], tmp_path / "index", embedder=embedder, progress=False)
    answer = QAPipeline(tmp_path / "index", embedder).ask(
        "Under its 2024-2027 strategy how much will Ellery Hart give out each year?")
    assert not answer.abstained and "GBP 1.3 million a year" in answer.answer


def test_a_question_naming_whose_reports_is_not_answered_from_a_report_that_never_names_them(tmp_path, embedder):
    """"Brookmere Water" is no institution by its form, but it is whose reports some are: a shipping company's
    dividend is no answer."""
    (tmp_path / "ks.md").write_text("---\ntitle: Kestrel Shipping ASA Q4 2022 Results\ndate: 2022-12-31\n---\n\n"
                                    "The Board proposes a dividend of NOK 1.50 per share for 2022. The fleet grew to 15 "
                                    "vessels.")
    (tmp_path / "bw.md").write_text("---\ntitle: Brookmere Water plc Q3 2023 Trading Statement\ndate: 2023-09-30\n"
                                    "---\n\nLeakage fell to 88.5 megalitres a day. We replaced 61 kilometres of mains.")
    add_files([tmp_path / "ks.md", tmp_path / "bw.md"], tmp_path / "index", embedder=embedder, progress=False)
    pipeline = QAPipeline(tmp_path / "index", embedder)
    assert pipeline.ask("How large was the endowment in 2021?").abstained
    assert "NOK 1.50" in pipeline.ask("What dividend per share does Kestrel Shipping pay?").answer
    # Of two such names, a report that names one answers for it.
    assert "NOK 1.50" in pipeline.ask("Does Brookmere Water or Kestrel Shipping pay the larger dividend per share?").answer


def _dialogue(year: int, theme: str, city: str, participants: int) -> str:
    return f"""---
title: "Pacific Energy Security Dialogue {year}: Key Findings"
date: {year}-10-05
---

Pacific Energy Security Dialogue {year}: Key Findings

About the Dialogue

Theme: {theme}

Venue: {city}

Participants: {participants}

The session chairs invited delegates to consider how lessons from other regions might apply in the Pacific. Several
contributors drew attention to the gender dimensions of energy access and decision making.
"""


def test_a_dialogues_theme_and_attendance_are_its_fields(tmp_path, embedder):
    """"What was it about?" is its "Theme:"; "how many people attended" its "Participants:", a word the question
    does not use."""
    for year, theme, city, count in ((2021, "Financing the Renewable Transition", "Apia", 104),
                                     (2022, "Grid Integration of Variable Renewables", "Brisbane", 88)):
        (tmp_path / f"pesd{year}.md").write_text(_dialogue(year, theme, city, count))
    add_files([tmp_path / "pesd2021.md", tmp_path / "pesd2022.md"], tmp_path / "index", embedder=embedder,
              progress=False)
    pipeline = QAPipeline(tmp_path / "index", embedder)
    about = pipeline.ask("What was the 2021 energy security dialogue about?")
    assert not about.abstained and about.answer == "Theme: Financing the Renewable Transition"
    attended = pipeline.ask("How many people attended the 2022 Pacific Energy Security Dialogue?")
    assert not attended.abstained and attended.answer == "Participants: 88"
    # Asked of each, each dialogue's field, though prose about it ranks first.
    venues = pipeline.ask("Where was each energy security dialogue held?")
    assert [part.answer for part in venues.across] == ["Venue: Apia", "Venue: Brisbane"]


def test_explicit_filters(library):
    by_id = {d.title: d.id for d in library.index.documents()}
    question = "How many strategic goals did the institute pursue?"
    only = library.ask(question, reports=[by_id["Harbor Institute Annual Report 2020"]])
    assert "five strategic goals" in only.answer
    assert not only.scope.inferred and [r.doc_id for r in only.scope.reports] == [by_id["Harbor Institute Annual Report 2020"]]
    assert "six strategic goals" in library.ask(question, reports=["annual report 2021"]).answer
    dated = library.ask(question, since="2022-01-01", until="2022-12-31")
    assert "six strategic goals" in dated.answer and dated.scope.since == "2022-01-01"
    assert library.ask("Why did operating costs rise?").scope is None  # names no report: every report searched alike
    refused = library.ask(question, since="yesterday")
    assert refused.abstained and "is not a date" in refused.answer


def test_words_naming_the_preferred_reports_neither_pick_the_sentence_nor_the_search(library):
    """"The Harbor Institute's ..." prefers its reports; what is asked of them is what lexical evidence looks for."""
    from qa.retriever import NAMING_SHARE

    question = "How many membership claims did the Harbor Institute process?"
    vector = library.embedder.embed([question])[0]
    plain = library.retriever.prepare(question, vector)
    named = library.retriever.prepare(question, vector, naming=["harbor", "institut"])
    assert named.weights["harbor"] == pytest.approx(plain.weights["harbor"] * NAMING_SHARE)
    assert named.weights["claim"] == plain.weights["claim"]
    assert "harbor" not in named.match.lower() and "institute" not in named.match.lower()


def _plan(organisation: str, date: str, mission: str, extra: str = "") -> str:
    return f"""---
title: Strategic Plan {date[:4]}
publisher: {organisation}
date: {date}
---

Strategic Plan {date[:4]}

Mission

The mission of the {organisation} is {mission}. {extra}
"""


@pytest.fixture(scope="module")
def agencies(tmp_path_factory, embedder) -> QAPipeline:
    folder = tmp_path_factory.mktemp("agencies")
    (folder / "ports.md").write_text(_plan("Office of Ports", "2022-01-10", "to keep every harbor open and safe for ships"))
    (folder / "roads.md").write_text(_plan("Bureau of Roads", "2022-02-14", "to build and mend the roads between towns"))
    # A third agency's plan that speaks of both and of its own mission.
    (folder / "audit.md").write_text(_plan(
        "Audit Agency", "2023-05-02", "to audit the Office of Ports and the Bureau of Roads",
        "Its auditors compare the missions of the Office of Ports and the Bureau of Roads with what each spends."))
    index = tmp_path_factory.mktemp("agencies-index") / "index"
    assert all(r.status == "added" for r in add_files([folder], index, embedder=embedder, progress=False))
    return QAPipeline(index, embedder)


def test_comparing_two_organisations_quotes_their_own_reports(agencies):
    answer = agencies.ask("Compare the missions of the Office of Ports and the Bureau of Roads.")
    assert [a.answer for a in answer.across] == ["The mission of the Office of Ports is to keep every harbor open and safe "
                                                 "for ships.", "The mission of the Bureau of Roads is to build and mend "
                                                 "the roads between towns."]


def test_the_place_a_named_report_met_in_picks_no_sentence_in_it(tmp_path, embedder):
    for year, city, count in ((2020, "Suva", "96"), (2021, "Brisbane", "143")):
        (tmp_path / f"kf-{year}.md").write_text(f"""---
title: "Coral Sea Dialogue {year}: Key Findings"
date: {year}-12
---

About the Dialogue

The Coral Sea Dialogue was held in {city} on 16-17 November {year}, in a hybrid format. In all, {count} participants
attended, from 14 countries. The theme of the {year} Dialogue was storage, grids and the island transition.
""")
    add_files([tmp_path], tmp_path / "index", embedder=embedder, progress=False)
    answer = QAPipeline(tmp_path / "index", embedder).ask("How many participants attended the 2021 dialogue in Brisbane?")
    assert answer.answer.startswith("In all, 143 participants attended"), answer.answer


def test_two_years_compared_are_answered_from_the_reports_of_those_years(library):
    """"The number of claims processed in 2019, compared with 2021": the reports of those years, one quote each, the
    year each report is of being the year its quote speaks for."""
    answer = library.ask("How did the number of membership claims the institute processed in 2019 compare with 2021?")
    assert [a.title for a in answer.across] == ["Harbor Institute Annual Report 2019", "Harbor Institute Annual Report 2021"]
    assert "1,200" in answer.across[0].answer and "1,610" in answer.across[1].answer



@pytest.fixture(scope="module")
def water_and_bridges(tmp_path_factory, embedder) -> QAPipeline:
    """A water company's two quarterly statements, a shipping company's, and a bridge inspection."""
    folder = tmp_path_factory.mktemp("water-and-bridges")
    for quarter, day, revenue in ((1, "03-31", "£410.2 million"), (2, "06-30", "£422.9 million")):
        (folder / f"bw{quarter}.md").write_text(
            f"---\ntitle: Brookmere Water plc Q{quarter} 2024 Trading Statement\ndate: 2024-{day}\n---\n\n"
            f"Revenue for the quarter was {revenue}. Leakage fell again, and the water we supplied met every standard.")
    (folder / "ks.md").write_text("---\ntitle: Kestrel Shipping ASA Q3 2024 Results\ndate: 2024-09-30\n---\n\n"
                                  "Revenue for the quarter was NOK 2.1 billion. The fleet grew to 15 vessels.")
    (folder / "caddon.md").write_text(
        "---\ntitle: Caddon Rail Overbridge Inspection Report\ndate: 2023-05-02\n---\n\nSite: Caddon\n\n"
        "Condition rating: 3 (Fair)\n\nThe deck showed spalling where water had entered the joints.")
    add_files(sorted(folder.glob("*.md")), folder / "index", embedder=embedder, progress=False)
    return QAPipeline(folder / "index", embedder)


def test_a_question_typed_in_lower_case_names_reports_as_one_in_capitals_would(water_and_bridges):
    """Readers type "what was brookmere water's revenue in q3 2024": words that name reports and that no report writes
    in lower case are names, as capitals would say ("water" is written in lower case, so it stays a word)."""
    for question in ("What was Brookmere Water's revenue in Q3 2024?", "what was brookmere water's revenue in q3 2024"):
        answer = water_and_bridges.ask(question)
        assert answer.abstained and "no such report from Q3 2024" in answer.answer, (question, answer.answer)
    for question in ("What was Brookmere's revenue in Q2 2024?", "what was brookmere's revenue in q2 2024"):
        scope = water_and_bridges.ask(question).scope
        assert [r.title for r in scope.reports] == ["Brookmere Water plc Q2 2024 Trading Statement"], question


def test_an_inspection_at_a_place_no_report_holds_is_refused(water_and_bridges):
    """"What rating did the bridge inspection in dunholm give?": an inspection is named by its place, as an accident
    is; no report holds Dunholm, however the reader types it."""
    for question in ("What rating did the bridge inspection in Dunholm give?",
                     "what rating did the bridge inspection in dunholm give?"):
        assert water_and_bridges.ask(question).answer == "No report mentions Dunholm.", question
    assert "3 (Fair)" in water_and_bridges.ask("what rating did the bridge inspection in caddon give?").answer
