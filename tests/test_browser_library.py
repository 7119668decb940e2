"""A library of reports in series, in a real browser (as tests/test_browser.py): asking within one report from the
Reports tab, an answer across the reports with one dated source per report, and a title corrected on the staff page
reaching the public site. At phone and desktop widths, in light and dark, with the contrast the other tests ask for."""
from __future__ import annotations

from pathlib import Path

import pytest

from ingest.index import Index
from ingest.pipeline import add_files
from running_app import PageSession, running_app
from test_browser import CONTRAST_JS, Site, expect
from test_report_series import ANNUAL, _annual

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "staff-secret-for-the-library-browser-7c4a"
TITLES = {year: f"Harbor Institute Annual Report {year}" for year in ANNUAL}
DATES = {2019: "2 March 2020", 2020: "1 March 2021", 2021: "7 March 2022"}
# A report without front matter: its title is read from the file, and staff correct it.
SURVEY = "lh-2021-final.txt"
SURVEY_TEXT = """Coastal lighthouses

The survey found 37 working lighthouses on the coast in 2021, and six that had been turned into museums.
Volunteers from the coastal trust checked each lamp during the spring.
"""
CORRECTED = "Coastal Lighthouse Survey 2021"
ACROSS_QUESTION = "How has the average time to process claims changed over the years?"


@pytest.fixture(scope="module")
def library(tmp_path_factory, embedder) -> tuple[Path, Path]:
    """(index, corpus) of three dated annual reports in a series and the survey."""
    root = tmp_path_factory.mktemp("library-site")
    corpus, index = root / "corpus", root / "index"
    corpus.mkdir()
    for year, values in ANNUAL.items():
        (corpus / f"annual-{year}.md").write_text(_annual(year, *values))
    (corpus / SURVEY).write_text(SURVEY_TEXT)
    results = add_files([corpus], index, embedder=embedder, progress=False)
    assert [r.status for r in results] == ["added"] * 4, results
    return index, corpus


@pytest.fixture(scope="module")
def app_url(library, tmp_path_factory):
    index, corpus = library
    log = tmp_path_factory.mktemp("library-app") / "app.log"
    with running_app(index, log, {"QA_STAFF_PASSWORD": PASSWORD, "QA_CORPUS_DIR": str(corpus)}) as url:
        yield url


def _open_reports(site: Site):
    site.page.get_by_role("tab", name="Reports").click()
    site.page.locator("#qa-reports tbody tr").first.wait_for()


def _assert_readable(site: Site, width: int, scheme: str, parts: list[str]) -> None:
    assert site.page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
    for part in parts:
        ratio = site.page.locator(part).first.evaluate(CONTRAST_JS)
        assert ratio >= 4.5, f"{part} has contrast {ratio:.2f} in {scheme} at {width}px"


@pytest.mark.parametrize("width, scheme", [(1280, "light"), (390, "dark")])
def test_ask_within_one_report_from_the_reports_tab(browser, app_url, width, scheme):
    site = Site(browser, app_url, width=width, height=844 if width < 500 else 900, scheme=scheme)
    try:
        page = site.page
        scope = page.locator("#qa-scope")
        expect(scope).to_contain_text("Asking: all reports")
        _open_reports(site)
        page.get_by_role("button", name=f"Ask this report: {TITLES[2020]}").click()
        # The Ask tab, with the report as the scope in force and the question box ready for typing.
        expect(page.locator("#qa-question textarea")).to_be_focused()
        expect(scope.locator(".qa-scope-chip")).to_contain_text(TITLES[2020])
        expect(scope.locator(".qa-scope-chip")).to_contain_text(DATES[2020])
        _assert_readable(site, width, scheme, [".qa-scope", ".qa-scope-chip cite", ".qa-scope-clear"])
        site.screenshot(f"scope-chip-{width}-{scheme}")

        # Asked across the years, but within the one report chosen: that report's quote alone.
        answer = site.ask(ACROSS_QUESTION)
        assert "35 days" in answer.locator(".qa-quote").inner_text() and answer.locator(".qa-across-list").count() == 0
        assert {c.inner_text() for c in answer.locator(".qa-source cite").all()} == {TITLES[2020]}
        assert answer.locator(".qa-scope-note").inner_text() == f"Asked within {TITLES[2020]} ({DATES[2020]})."
        _assert_readable(site, width, scheme, [".qa-scope-note"])

        # Cleared by keyboard: the scope goes back to all reports and the question box has the focus.
        clear = page.get_by_role("button", name=f"Stop asking only {TITLES[2020]}: ask all reports")
        clear.focus()
        page.keyboard.press("Enter")
        expect(scope).to_contain_text("Asking: all reports")
        expect(scope.locator(".qa-scope-chip")).to_have_count(0)
        expect(page.locator("#qa-question textarea")).to_be_focused()
        again = site.ask(ACROSS_QUESTION)
        expect(again.locator(".qa-across-list > li")).to_have_count(3)
        assert again.locator(".qa-scope-note").count() == 0
    finally:
        site.close()


def test_reports_view_buttons_read_well(browser, app_url):
    for width, scheme in ((1280, "dark"), (390, "light")):
        site = Site(browser, app_url, width=width, height=844 if width < 500 else 900, scheme=scheme)
        try:
            _open_reports(site)
            assert site.page.locator("button.qa-ask-report").count() == 4
            _assert_readable(site, width, scheme, ["button.qa-ask-report"])
            site.screenshot(f"reports-ask-buttons-{width}-{scheme}")
        finally:
            site.close()


def test_a_report_id_the_page_sends_is_checked_against_the_index(app_url, library):
    """The row's button sends a report id: one the index does not hold sets no scope, whatever it says."""
    tab = PageSession(app_url)
    for sent in ({"doc_id": "../../etc/passwd"}, {"doc_id": "0" * 16}, {"doc_id": ["a"]}, {"doc_id": "x" * 10_000},
                 "doc_id", None):
        chosen = tab.run("choose_report", [""], event_data=sent)
        assert chosen["success"], chosen
        _, chip, tabs, _ = chosen["output"]["data"]
        assert "Asking:" not in str(chip) and "selected" not in str(tabs), (sent, chosen)
    assert "Asked within" not in _ask(tab, "How long did claims take to process?")
    # The same way with an id the index holds: the question is asked within that report.
    chosen = tab.run("choose_report", [""], event_data={"doc_id": _doc_id(library, TITLES[2019])})
    _, chip, tabs, _ = chosen["output"]["data"]
    assert TITLES[2019] in chip and tabs["selected"] == "ask"
    assert "Asked within" in _ask(tab, "How long did claims take to process?")


def _doc_id(library: tuple[Path, Path], title: str) -> str:
    return next(d.id for d in Index(library[0]).documents() if d.title == title)


def _ask(tab: PageSession, question: str) -> str:
    """The HTML of the answer a tab's page gets to ``question``."""
    return str(tab.ask(question)["output"]["data"][0][-1])


@pytest.mark.parametrize("width, scheme", [(1280, "light"), (390, "light"), (1280, "dark")])
def test_an_across_report_answer_shows_one_dated_source_per_report(browser, app_url, library, width, scheme):
    site = Site(browser, app_url, width=width, height=844 if width < 500 else 900, scheme=scheme)
    try:
        answer = site.ask(ACROSS_QUESTION)
        doc_ids = {year: _doc_id(library, TITLES[year]) for year in ANNUAL}
        reports = answer.locator(".qa-across-list > li.qa-report-answer")
        expect(reports).to_have_count(3)
        for report, year, days in zip(reports.all(), ANNUAL, ("41 days", "35 days", "28 days")):
            assert report.locator(".qa-report-date time").inner_text() == DATES[year]
            assert days in report.locator(".qa-quote").inner_text()
            (source,) = report.locator(".qa-source").all()  # its own source, not another report's
            head = source.locator(".qa-source-head").inner_text()
            assert TITLES[year] in head and DATES[year] in head and "page 1" in head
            # it opens that report in the viewer, its quote highlighted
            assert source.locator("a.qa-open").get_attribute("href").startswith(f"view/{doc_ids[year]}?page=1&part=")
        assert [m.inner_text() for m in answer.locator(".qa-quote .qa-marker").all()] == ["[1]", "[2]", "[3]"]
        _assert_readable(site, width, scheme, [".qa-report-date", ".qa-quote", ".qa-source cite", ".qa-passage mark",
                                               "a.qa-open"])
        site.screenshot(f"across-{width}-{scheme}")
    finally:
        site.close()


def test_a_title_corrected_on_the_staff_page_shows_in_the_reports_tab_and_new_answers(browser, app_url, library):
    reader = Site(browser, app_url)  # open before the correction: its Reports tab must follow without a reload
    staff = browser.new_context()
    try:
        before = reader.ask("How many working lighthouses did the survey find?")
        old_title = before.locator(".qa-source cite").first.inner_text()
        assert old_title != CORRECTED and "37 working lighthouses" in before.locator(".qa-quote").inner_text()

        page = staff.new_page()
        page.goto(f"{app_url}staff")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Log in").click()
        page.get_by_role("tab", name="Correct details").click(timeout=60_000)
        form = page.locator("#qa-correct")
        form.get_by_label("Report to correct").click()
        page.get_by_role("option", name=old_title).click()
        title = form.get_by_label("Title")
        expect(title).to_have_value(old_title)
        title.fill(CORRECTED)
        form.get_by_label("Date").fill("2021-11")
        form.get_by_role("button", name="Save details").click()
        page.get_by_text(f"Saved the title and date of “{CORRECTED}”").wait_for(timeout=60_000)

        _open_reports(reader)
        row = reader.page.locator("#qa-reports tbody tr", has_text=CORRECTED)
        expect(row).to_have_count(1)
        assert "November 2021" in row.inner_text()
        expect(reader.page.locator("#qa-reports", has_text=old_title)).to_have_count(0)
        reader.page.get_by_role("tab", name="Ask").click()
        after = reader.ask("How many working lighthouses did the survey find?")
        assert after.locator(".qa-source cite").first.inner_text() == CORRECTED
        reader.screenshot("corrected-title")
    finally:
        staff.close()
        reader.close()
