"""Link, cite, take away (issue 13 items 5 and 6), in a real browser as tests/test_browser.py: a link to an answer
opened in a fresh browser asks it again and says whether the library changed; "Cite" copies each style's text,
whose link opens the quote in the viewer; the conversation downloads as Markdown with every quote and its page; and
the new controls are reached by keyboard, named for screen readers, readable at phone and desktop width, light and
dark."""
from __future__ import annotations

import re
import shutil
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from ingest.pipeline import add_files
from running_app import running_app
from test_browser import (CONTRAST_JS, Site, _tab_to, app_log, app_url, expect,  # noqa: F401 - fixtures
                          site, site_index)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

HARBOUR = "Who funded the harbour survey?"


def _permalink(answer) -> str:
    return answer.locator("a.qa-permalink").evaluate("a => a.href")


def _fresh(browser, app_url, link: str, **kwargs) -> Site:
    """Another reader, in a browser context of their own, opening ``link``."""
    site = Site(browser, app_url, **kwargs)
    site.page.goto(link)
    site.wait_for_answer(0)
    return site


def _shown(answer) -> tuple[str, list[str]]:
    """What an answer says: its quote and its sources' headings."""
    return answer.locator(".qa-quote").inner_text(), answer.locator(".qa-source-head").all_inner_texts()


def test_a_link_to_an_answer_reproduces_it_in_a_fresh_browser(browser, app_url, site):
    answer = site.ask(HARBOUR)
    link = _permalink(answer)
    assert link.startswith(app_url + "?q=Who+funded+the+harbour+survey%3F&v=")
    other = _fresh(browser, app_url, link)
    try:
        again = other.page.locator("#qa-chat .qa-answer").last
        assert _shown(again) == _shown(answer) and "Tidewater Foundation" in _shown(again)[0]
        expect(other.page.locator("#qa-chat .message-row.user-row")).to_have_text([HARBOUR])
        expect(other.page.locator(".qa-link-note")).to_have_text(
            "Asked again from a link: the library has not changed since the link was made.")
        # The same link made with another library says so, and still answers.
        query = parse_qs(urlsplit(link).query)
        other.page.goto(app_url + "?" + urlencode({**query, "v": "0123456789"}, doseq=True))
        changed = other.wait_for_answer(0)
        expect(other.page.locator(".qa-link-note")).to_contain_text("The library has changed since this link was made")
        assert _shown(changed) == _shown(answer)
    finally:
        other.close()


def test_a_link_made_before_the_library_changed_says_so(browser, seed_index, embedder, tmp_path):
    """A report added while the app runs: the link made before it still answers, and says the library changed."""
    index = tmp_path / "index"
    shutil.copytree(seed_index, index, ignore=shutil.ignore_patterns(".lock"))
    with running_app(index, tmp_path / "app.log") as url:
        site = Site(browser, url)
        try:
            answer = site.ask("Who prepared the report?")
            link, before = _permalink(answer), _shown(answer)
        finally:
            site.close()
        added = tmp_path / "added"
        added.mkdir()
        (added / "lighthouses.txt").write_text("Coastal lighthouses\n\nThe survey found 37 working lighthouses.\n")
        assert [r.status for r in add_files([added], index, embedder=embedder, progress=False)] == ["added"]
        other = _fresh(browser, url, link)
        try:
            expect(other.page.locator(".qa-link-note")).to_contain_text("The library has changed since this link was made")
            assert _shown(other.page.locator("#qa-chat .qa-answer").last) == before
        finally:
            other.close()


def test_a_link_to_a_follow_up_brings_the_conversation_it_followed(browser, app_url, site):
    site.ask("What obstacles hinder cooperation in space?")
    follow_up = site.ask("What about the second one?")
    link = _permalink(follow_up)
    assert parse_qs(urlsplit(link).query)["h"] == ["What obstacles hinder cooperation in space?"]
    other = _fresh(browser, app_url, link)
    try:
        other.page.wait_for_function("document.querySelectorAll('#qa-chat .qa-answer').length == 2")
        assert _shown(other.page.locator("#qa-chat .qa-answer").last) == _shown(follow_up)
        expect(other.page.locator("#qa-chat .message-row.user-row")).to_have_text(
            ["What obstacles hinder cooperation in space?", "What about the second one?"])
    finally:
        other.close()


def test_a_link_keeps_the_report_the_question_was_asked_within(browser, app_url, site):
    site.page.get_by_role("tab", name="Reports").click()
    site.page.get_by_role("button", name="Ask this report: Harbour Survey 2023").click()
    answer = site.ask("How many fishing boats did the survey count?")
    link = _permalink(answer)
    assert "report" in parse_qs(urlsplit(link).query)
    other = _fresh(browser, app_url, link)
    try:
        expect(other.page.locator("#qa-scope .qa-scope-chip")).to_contain_text("Harbour Survey 2023")
        assert _shown(other.page.locator("#qa-chat .qa-answer").last) == _shown(answer)
        assert "Asked within Harbour Survey 2023" in other.page.locator(".qa-scope-note").inner_text()
    finally:
        other.close()


def test_cite_copies_each_style_and_its_link_opens_the_quote(browser, app_url):
    site = Site(browser, app_url)
    site.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url.rstrip("/"))
    try:
        page = site.page
        answer = site.ask(HARBOUR)
        viewer = app_url + answer.locator("a.qa-open").get_attribute("href")
        # By keyboard: "Cite" opens, each "Copy" copies.
        cite = answer.locator(".qa-cite summary")
        expect(cite).to_have_accessible_name("Cite source 1")  # what a screen reader reads
        cite.focus()
        page.keyboard.press("Enter")
        copied = {}
        for style in ("APA", "Chicago", "Plain text"):
            button = answer.get_by_role("button", name=f"Copy the {style} citation of source 1")
            button.focus()
            page.keyboard.press("Enter")
            expect(answer.locator(".qa-cite .qa-copied")).to_have_text(f"Copied the {style} citation of source 1.")
            copied[style] = page.evaluate("navigator.clipboard.readText()")
            assert copied[style] == answer.locator(".qa-cite-style", has_text=style).locator(".qa-cite-text").inner_text()
        assert copied["APA"] == f"Harbour Survey 2023 (p. 2). (2023). {viewer}"
        assert copied["Chicago"] == f"Harbour Survey 2023 (2023), 2, {viewer}."
        assert copied["Plain text"] == f"Harbour Survey 2023, 2023, page 2: {viewer}"
        # The link in the citation opens the report at the page with the quote highlighted.
        opened = site.context.new_page()
        opened.goto(viewer)
        expect(opened.locator("#viewer-status")).to_have_text("Page 2 of 2. The quote is highlighted.", timeout=30_000)
        assert "Tidewater Foundation" in opened.locator(".textLayer mark").first.inner_text()
        opened.close()
        # The answer's own link, too.
        answer.get_by_role("button", name="Copy link to this answer").click()
        expect(answer.locator(".qa-share .qa-copied")).to_have_text("Copied link to this answer.")
        assert page.evaluate("navigator.clipboard.readText()") == _permalink(answer)
    finally:
        site.close()


def test_the_conversation_downloads_as_markdown_with_each_quote_and_its_page(site, app_url):
    questions = [HARBOUR, "What obstacles hinder cooperation in space?", "Which team won Super Bowl 50?"]
    answers = [site.ask(q) for q in questions]
    button = site.page.get_by_role("button", name="Download the conversation (Markdown)")
    with site.page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == "report-qa-conversation.md"
    markdown = open(download.value.path(), encoding="utf-8").read()
    text = re.sub(r"(?<=[^\n])\n> ?", " ", markdown.replace("\\", ""))  # Markdown's escapes aside, quotes on one line
    for n, (question, answer) in enumerate(zip(questions, answers), 1):
        assert f"## {n}. {question}" in text
    for answer in answers[:2]:
        for source in answer.locator(".qa-source").all():
            quoted = " ".join(source.locator(".qa-passage mark").first.inner_text().split())
            page = re.search(r"page (\d+)", source.locator(".qa-source-head").inner_text())[1]
            href = app_url + source.locator("a.qa-open").get_attribute("href")
            block = re.search(rf"> {re.escape(quoted[:40])}.*?\n\n— (.*?)\n", text, re.S)
            assert block, f"{quoted[:40]!r} not quoted in the Markdown"
            assert f", page {page}: <{href}>" in block[1]
    assert "Tidewater Foundation" in text and "*Not found in the reports.*" in text
    assert "2020 Asia Pacific Space Diplomacy Dialogue (APSDD): Key Findings, by Mark Manantan, Pacific Forum, 1 December 2020, page 1" in text
    assert text.count("Link to this answer: <" + app_url + "?q=") == 3


@pytest.mark.parametrize("width, scheme", [(1280, "light"), (1280, "dark"), (390, "light"), (390, "dark")])
def test_the_new_controls_are_keyboard_reachable_and_read_well(browser, app_url, width, scheme):
    site = Site(browser, app_url, width=width, height=844 if width < 500 else 900, scheme=scheme)
    site.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url.rstrip("/"))
    try:
        page = site.page
        answer = site.ask("Who prepared the report?")
        # Tab reaches each control, in reading order, and Enter works it.
        page.evaluate("document.activeElement.blur()")
        for name, control in (("why", ".qa-why summary"), ("cite", ".qa-cite summary"),
                              ("copy", "button.qa-copy"), ("link", "a.qa-permalink"), ("download", "button.qa-download")):
            _tab_to(page, f"document.activeElement.matches('{control}')")
            if name in ("why", "cite"):
                page.keyboard.press("Enter")
        expect(answer.locator(".qa-why-text")).to_be_visible()
        expect(answer.locator(".qa-why summary")).to_have_accessible_name("Why? (what the high confidence rests on)")
        assert answer.locator(".qa-why-text").inner_text().endswith(".")
        expect(answer.locator(".qa-cite-text").first).to_be_visible()
        answer.get_by_role("button", name="Copy the APA citation of source 1").click()
        expect(answer.locator(".qa-cite .qa-copied")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= width, "the page scrolls sideways"
        for part in (".qa-why summary", ".qa-why-text", ".qa-cite summary", ".qa-cite-name", ".qa-cite-text",
                     "button.qa-copy", ".qa-cite .qa-copied", "a.qa-permalink", "button.qa-download"):
            ratio = page.locator(part).first.evaluate(CONTRAST_JS)
            assert ratio >= 4.5, f"{part} has contrast {ratio:.2f} in {scheme} at {width}px"
        site.screenshot(f"share-{width}-{scheme}")
        # A page opened from a link: its note reads well too.
        other = _fresh(browser, app_url, _permalink(answer), width=width, scheme=scheme,
                       height=844 if width < 500 else 900)
        try:
            ratio = other.page.locator(".qa-link-note").evaluate(CONTRAST_JS)
            assert ratio >= 4.5, f"the link's note has contrast {ratio:.2f} in {scheme} at {width}px"
        finally:
            other.close()
    finally:
        site.close()
