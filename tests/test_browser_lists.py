"""List answers and refusals in a real browser (issue 13 items 2 and 4), on the seed report, the app as a user starts it.

A list question shows the list's items, one lead sentence each, with the whole passage a click (or a key) away;
"tell me more about the second one" quotes that item in full; a question the reports do not touch is refused
with no "related" passages and the reports searched named.
"""
from __future__ import annotations

import pytest

from test_browser import CONTRAST_JS, Site, expect, site  # noqa: F401 (fixture: the tab opens this module's app_url)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def app_url(shared_app):
    """The session's app, over the seed report alone: a refusal's note names the library's one report. These tests
    only ask."""
    return shared_app.url


def test_a_list_question_shows_the_items_and_the_whole_passage_on_demand(site):
    answer = site.ask("What obstacles hinder cooperation in space?")
    items = answer.locator(".qa-quote .qa-items .qa-item")
    expect(items).to_have_count(3)
    leads = [items.nth(k).inner_text() for k in range(3)]
    assert leads[0].startswith("First, the lack of transparency") and leads[0].rstrip("[1] ").endswith("security dilemma.")
    assert leads[1].startswith("Second, the divide between “technology” and “politics” inhibits multilateral cooperation.")
    assert leads[2].startswith("Third, there is an underlying tension")
    quote = answer.locator(".qa-quote").inner_text()  # one quote: the whole passage is apart from it
    assert "serious obstacles for international cooperation abound" in quote
    assert "geopolitical differences" not in quote  # the elaboration waits behind the control
    # "hinder" is in no report, but the list answers the question: the refitted confidence does not call it low
    assert "low confidence" not in answer.inner_text()

    whole = answer.locator("details.qa-whole")
    expect(whole.locator(".qa-whole-text")).to_be_hidden()
    summary = whole.locator("summary")
    expect(summary).to_have_text("Show the whole passage")
    summary.focus()  # a keyboard opens it as well as a click
    site.page.keyboard.press("Enter")
    expect(whole.locator(".qa-whole-text")).to_be_visible()
    assert "negotiations to collapse due to geopolitical differences" in whole.inner_text()


def test_a_follow_up_expands_the_second_item(site):
    site.ask("What obstacles hinder cooperation in space?")
    follow_up = site.ask("tell me more about the second one")
    quote = follow_up.locator(".qa-quote").inner_text()
    assert quote.startswith("Second, the divide between “technology” and “politics” inhibits multilateral cooperation.")
    assert "negotiations to collapse due to geopolitical differences" in quote  # the item's elaboration
    assert "First," not in quote and "Third," not in quote
    assert follow_up.locator(".qa-items").count() == 0 and follow_up.locator(".qa-abstained").count() == 0


def test_an_off_topic_question_shows_no_unrelated_passages(site):
    answer = site.ask("Which team won Super Bowl 50?")
    assert "Not found in the reports" in answer.inner_text()
    expect(answer.locator(".qa-related .qa-source")).to_have_count(0)
    assert "Possibly related" not in answer.inner_text()
    expect(answer.locator(".qa-scope-note")).to_have_text("Searched the library's one report.")
    site.screenshot("refusal-without-related")


@pytest.mark.parametrize("width, scheme", [(390, "light"), (390, "dark"), (1280, "dark")])
def test_a_list_answer_reads_well_on_a_phone_and_in_both_themes(browser, app_url, width, scheme):
    site = Site(browser, app_url, width=width, height=844 if width < 500 else 900, scheme=scheme)
    try:
        answer = site.ask("What are the four key takeaways of the dialogue?")
        expect(answer.locator(".qa-item")).to_have_count(4)
        assert site.page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
        for part in (".qa-item", "details.qa-whole summary"):
            ratio = answer.locator(part).first.evaluate(CONTRAST_JS)
            assert ratio >= 4.5, f"{part} has contrast {ratio:.2f} in {scheme} at {width}px"
        answer.locator("details.qa-whole summary").click()
        expect(answer.locator(".qa-whole-text")).to_contain_text("Broadening the aperture will cultivate inclusivity")
        site.screenshot(f"list-answer-{'phone' if width < 500 else 'desktop'}-{scheme}")
    finally:
        site.close()
