"""The public site in a real browser: Debian's chromium, driven by Playwright, against the app as a user starts it.

A reader asks, reads the quoted answer and its source, opens it in the viewer at its page, rates the answer,
asks a follow-up, browses the reports, and does it all by keyboard, on a phone, in the dark theme. A report
full of markup is indexed too, and must show as text. Screenshots go to test-artifacts/ for CI to keep.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from ingest.pipeline import add_files
from pdfs import write_pdf
from qa.feedback import FeedbackStore
from running_app import app_db, running_app
from test_tables import HEADER, write_flight_log

pytestmark = [pytest.mark.browser, pytest.mark.slow]
playwright = pytest.importorskip("playwright.sync_api", reason="pip install -e '.[test]' brings playwright")
expect = playwright.expect
ARTIFACTS = ROOT / "test-artifacts"
ANSWER_TIMEOUT_MS = 60_000

# A report written to attack the page: every piece of markup must reach the reader as text.
HOSTILE_REPORT = """\
---
title: "Markup Safety Review <script>window.__pwned = 'title script'</script> [Click me](javascript:window.__pwned='title link') <img src=x onerror=\\"window.__pwned='title img'\\">"
publisher: Hostile Testing Unit
date: 2024-03-05
url: "javascript:window.__pwned='report url'"
---

Markup Safety Review

The Markup Safety Review was written by <img src=x onerror="window.__pwned='answer img'"> the hostile testing unit in Lisbon, see [the evil site](https://evil.invalid/) and ![a pixel](https://evil.invalid/pixel.png).

Its appendix embeds <script>window.__pwned='answer script'</script> a script tag that must never run.
"""


@pytest.fixture(scope="module")
def site_index(seed_index, embedder, tmp_path_factory) -> Path:
    """The seed corpus plus a two-page PDF (for links to a page), a PDF with a table, and the hostile report."""
    folder = tmp_path_factory.mktemp("site")
    index = folder / "index"
    shutil.copytree(seed_index, index, ignore=shutil.ignore_patterns(".lock"))
    reports = folder / "reports"
    reports.mkdir()
    write_pdf(reports / "harbour-survey.pdf", [
        ["Harbour Survey 2023", "An annual review of small ports."],
        ["The harbour survey was funded by the Tidewater Foundation.", "It counted 412 fishing boats in the northern ports."],
    ], title="Harbour Survey 2023")
    write_flight_log(reports / "flight-log.pdf")
    (reports / "markup-safety-review.txt").write_text(HOSTILE_REPORT)
    results = add_files([reports], index, embedder=embedder, progress=False)
    assert [r.status for r in results] == ["added", "added", "added"], results
    return index


@pytest.fixture(scope="module")
def app_log(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("app") / "app.log"


@pytest.fixture(scope="module")
def app_url(site_index, app_log):
    with running_app(site_index, app_log) as url:
        yield url


class Site:
    """One reader's tab on the site, failing the test on any script error or dialog the page raises, anything the
    site's Content-Security-Policy blocks, and any request of the page to the site that fails."""

    def __init__(self, browser, url: str, width: int = 1280, height: int = 900, scheme: str = "light"):
        self.context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=scheme)
        self.page = self.context.new_page()
        self.problems: list[str] = []
        self.page.on("pageerror", lambda exc: self.problems.append(f"script error: {exc}"))
        self.page.on("dialog", lambda d: (self.problems.append(f"dialog: {d.message}"), d.dismiss()))
        self.page.on("console", self._console)
        self.page.on("response", lambda r: r.url.startswith(url) and r.status >= 400
                     and self.problems.append(f"{r.status} from {r.request.method} {r.url}"))
        # A request the page or the closing tab cancels (an event stream) is aborted, not failed.
        self.page.on("requestfailed", lambda r: r.url.startswith(url) and r.failure != "net::ERR_ABORTED"
                     and self.problems.append(f"failed {r.method} {r.url}: {r.failure}"))
        self.page.goto(url)
        self.page.locator("#qa-question textarea").wait_for()

    def _console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.problems.append(f"blocked by the CSP: {message.text}")

    def ask(self, question: str):
        """Type a question, press Enter, and return the answer it gets."""
        answers = self.page.locator("#qa-chat .qa-answer")
        before = answers.count()
        box = self.page.locator("#qa-question textarea")
        box.fill(question)
        box.press("Enter")
        return self.wait_for_answer(before)

    def wait_for_answer(self, before: int):
        answers = self.page.locator("#qa-chat .qa-answer")
        try:
            self.page.wait_for_function(
                f"document.querySelectorAll('#qa-chat .qa-answer').length > {before}", timeout=ANSWER_TIMEOUT_MS)
        except playwright.TimeoutError:
            # Seen once in a whole run and not again: say what the reader saw, so the next time tells why.
            raise AssertionError(
                f"no answer {before + 1} within {ANSWER_TIMEOUT_MS // 1000} s; the chat shows "
                f"{self.page.locator('#qa-chat').inner_text()!r}, the question box holds "
                f"{self.page.locator('#qa-question textarea').input_value()!r}, notices: "
                f"{self.page.locator('.toast-body').all_inner_texts()}, failed requests: {self.problems}") from None
        return answers.nth(before)

    def screenshot(self, name: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)

    def close(self) -> None:
        self.context.close()
        assert not self.problems, self.problems


@pytest.fixture
def site(browser, app_url):
    site = Site(browser, app_url)
    yield site
    site.close()


def test_example_question_gets_a_quoted_answer_with_its_source(site):
    example = site.page.locator("#qa-chat button.example", has_text="Who prepared the report?")
    example.click()
    answer = site.wait_for_answer(0)
    quote = answer.locator(".qa-quote").inner_text()
    assert "prepared by Mark Manantan" in quote and quote.endswith("[1]")
    assert "confidence" in answer.locator(".qa-meta").inner_text()
    (source,) = answer.locator(".qa-source").all()
    head = source.locator(".qa-source-head").inner_text()
    assert "2020 Asia Pacific Space Diplomacy Dialogue" in head and "1 December 2020" in head and "page 1" in head
    assert "prepared by Mark Manantan" in source.locator("mark").first.inner_text()
    # assistive technology reads the rendered answer, not a label holding its HTML source
    labels = site.page.eval_on_selector_all("#qa-chat [aria-label]", "els => els.map(e => e.getAttribute('aria-label'))")
    assert not [label for label in labels if "<" in label], labels
    site.screenshot("answer-desktop-light")


def test_source_link_opens_the_viewer_at_the_cited_page(site):
    answer = site.ask("Who funded the harbour survey?")
    assert "Tidewater Foundation" in answer.locator(".qa-quote").inner_text()
    link = answer.locator("a.qa-open")
    assert link.inner_text() == "Open the report at page 2"
    assert re.fullmatch(r"view/[0-9a-f]+\?page=2&part=\d+%3A\d+-\d+", link.get_attribute("href"))
    with site.context.expect_page() as opened:
        link.click()
    viewer = opened.value
    expect(viewer.locator("#viewer-status")).to_have_text("Page 2 of 2. The quote is highlighted.", timeout=30_000)
    assert "Tidewater Foundation" in viewer.locator(".textLayer mark").first.inner_text()
    original = viewer.get_by_role("link", name="Download the original").get_attribute("href")
    pdf = site.context.request.get(viewer.url.split("/view/")[0] + original.removeprefix(".."))
    assert pdf.headers["content-type"] == "application/pdf" and pdf.body().startswith(b"%PDF")


def test_feedback_with_a_comment_is_stored_with_the_answer(site, app_log):
    site.ask("How many fishing boats did the survey count?")
    site.page.locator("#qa-chat").get_by_role("button", name="Dislike").last.click()
    site.page.get_by_text("your rating of this answer as not helpful is saved").wait_for()
    comment = site.page.get_by_label("Add a comment on the answer to “How many fishing boats did the survey count?” (optional)")
    comment.fill("Right page, but I wanted the southern ports.")
    site.screenshot("feedback")
    site.page.locator("#qa-comment").get_by_role("button", name="Send comment").click()
    site.page.get_by_text("Thanks: your comment is saved.").wait_for()
    entry = next(e for e in FeedbackStore(app_db(app_log)).entries() if e.question.startswith("How many fishing boats"))
    assert (entry.rating, entry.comment) == ("down", "Right page, but I wanted the southern ports.")
    assert "412 fishing boats" in entry.answer
    assert "Harbour Survey 2023" in entry.citations


def test_follow_up_question_is_answered_from_the_conversation(site):
    site.ask("What obstacles hinder cooperation in space?")
    follow_up = site.ask("Who prepared it?")
    assert follow_up.locator(".qa-abstained").count() == 0
    assert "2020 Asia Pacific Space Diplomacy Dialogue" in follow_up.locator(".qa-source cite").first.inner_text()
    assert site.page.locator("#qa-chat .qa-answer").count() == 2  # both turns stay in the conversation
    expect(follow_up.locator(".qa-quote")).to_be_in_viewport()
    site.screenshot("follow-up")


def test_question_the_reports_do_not_answer_is_refused_without_unrelated_passages(site):
    answer = site.ask("Which team won Super Bowl 50?")
    assert "Not found in the reports" in answer.inner_text()
    assert answer.locator(".qa-related .qa-source").count() == 0
    assert answer.locator("mark").count() == 0


def test_markup_in_reports_and_questions_stays_text(site):
    answer = site.ask("In which city is the hostile testing unit? <img src=x onerror=\"window.__pwned='question'\">")
    shown = answer.inner_text()
    assert "<img src=x onerror=" in shown and "[the evil site](https://evil.invalid/)" in shown
    assert "<script>" in answer.locator(".qa-source cite").inner_text()
    site.page.get_by_role("tab", name="Reports").click()
    site.page.locator("#qa-reports td", has_text="Markup Safety Review <script>").wait_for()
    _assert_nothing_ran(site.page)
    site.screenshot("hostile-report")


def _assert_nothing_ran(page) -> None:
    assert page.evaluate("window.__pwned") is None, "markup from a report or a question ran"
    chat_and_reports = "#qa-chat .message-content, #qa-reports"
    assert page.locator(f":is({chat_and_reports}) :is(img, script, iframe, object, embed)").count() == 0
    hrefs = page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))")
    assert not [h for h in hrefs if "evil.invalid" in h or h.lower().startswith("javascript:")], hrefs


def test_reports_view_lists_the_corpus_and_filters_it(site):
    site.page.get_by_role("tab", name="Reports").click()
    rows = site.page.locator("#qa-reports tbody tr")
    rows.first.wait_for()
    assert rows.count() == 4 and "4 reports" in site.page.locator(".qa-reports-summary").inner_text()
    site.page.locator("#qa-report-filter textarea, #qa-report-filter input").first.fill("harbour")
    site.page.get_by_text("1 of 4 reports match").wait_for()
    (row,) = rows.all()
    cells = [c.inner_text() for c in row.locator("td").all()]
    assert cells == ["Harbour Survey 2023\nAsk this report", "2023", "2", "2"]  # the date read from the PDF's title
    site.page.get_by_role("tab", name="How this works").click()
    assert site.page.get_by_text("Answers are quoted, never generated.").is_visible()


def test_a_keyboard_alone_can_ask_and_reach_the_source(site):
    page = site.page
    _tab_to(page, "document.activeElement.closest('#qa-question')")
    page.keyboard.type("Who prepared the report?")
    page.keyboard.press("Enter")
    site.wait_for_answer(0)
    _tab_to(page, "document.activeElement.matches('a.qa-open')")
    assert page.evaluate("document.activeElement.getAttribute('href')").startswith("view/")


def _tab_to(page, condition: str, limit: int = 40) -> None:
    for _ in range(limit):
        if page.evaluate(f"!!({condition})"):
            return
        page.keyboard.press("Tab")
    pytest.fail(f"Tab never reached: {condition}")


@pytest.mark.parametrize("width, scheme", [(1280, "dark"), (390, "light"), (390, "dark")])
def test_answers_read_well_at_phone_width_and_in_both_themes(browser, app_url, width, scheme):
    site = Site(browser, app_url, width=width, height=844 if width < 500 else 900, scheme=scheme)
    try:
        site.ask("Who prepared the report?")
        answer = site.ask("What obstacles hinder cooperation in space?")
        # the new answer's start is in view, not the end of its last source
        expect(answer.locator(".qa-quote")).to_be_in_viewport()
        assert site.page.evaluate("document.body.classList.contains('dark')") == (scheme == "dark")
        assert site.page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
        for part in (".qa-quote", ".qa-meta", ".qa-source cite", ".qa-passage", ".qa-passage mark", "a.qa-open"):
            ratio = answer.locator(part).first.evaluate(CONTRAST_JS)
            assert ratio >= 4.5, f"{part} has contrast {ratio:.2f} in {scheme} at {width}px"
        site.screenshot(f"answer-{'phone' if width < 500 else 'desktop'}-{scheme}")
    finally:
        site.close()


@pytest.mark.parametrize("width, scheme", [(1280, "light"), (390, "light"), (390, "dark")])
def test_a_figure_answer_is_a_table_of_the_row_under_its_header(browser, app_url, width, scheme):
    site = Site(browser, app_url, width=width, height=844 if width < 500 else 900, scheme=scheme)
    try:
        answer = site.ask("What were the total flight hours?")
        table = answer.locator(".qa-quote table.qa-table")
        expect(table).to_be_visible()
        assert table.locator("thead th").all_inner_texts() == HEADER
        assert table.locator("tbody tr").count() == 1
        assert table.locator("tbody td").all_inner_texts() == ["Total", "898", "2,294", "34,710"]
        # the table fits the screen or scrolls inside its own box: the page itself never scrolls sideways
        assert site.page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
        box = answer.locator(".qa-table-wrap").bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width
        for part in ("th", "td"):
            ratio = table.locator(part).first.evaluate(CONTRAST_JS)
            assert ratio >= 4.5, f"table {part} has contrast {ratio:.2f} in {scheme} at {width}px"
        site.screenshot(f"table-answer-{'phone' if width < 500 else 'desktop'}-{scheme}")
    finally:
        site.close()


# WCAG contrast between an element's text and the first opaque background behind it.
CONTRAST_JS = """el => {
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
                                     .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  let bg = el, c;
  while (bg && ((c = rgb(getComputedStyle(bg).backgroundColor)).length === 4 && c[3] === 0)) bg = bg.parentElement;
  const back = bg ? rgb(getComputedStyle(bg).backgroundColor) : [255, 255, 255];
  const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(back)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""
