"""The report viewer in a real browser (Debian's chromium, Playwright) against the app as a user starts it.

A reader opens a citation: the viewer shows the cited page(s) of the PDF, drawn by the vendored pdf.js, with the quote
highlighted, also where it runs over a page break; pages through; downloads the original; does it by keyboard. A text
report opens with its quote highlighted. A report's own scripts never run, and the viewer takes no text from the URL.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import httpx
import pytest
from gradio_client import Client

from ingest.pipeline import add_files
from pdfs import run_on, write_layout_pdf, write_pdf
from running_app import running_app
# The chat's browser and tab, here over this module's app_url.
from test_browser import ARTIFACTS, Site, expect, site  # noqa: F401 - site is a fixture, on this module's app_url

pytestmark = [pytest.mark.browser, pytest.mark.slow]
QUESTION = "What obstacles do small ports face?"
# The answer's two parts: the end of page 1 and the start of page 2.
PAGE_1_PART = ("Small ports face three obstacles to growth. First, the channels silt up every winter and dredging is"
               " paid for only once in five years.")
PAGE_2_PART = ("Second, the quays are too short for the boats that fishers buy today. Third, the councils that own"
               " the quays cannot borrow to rebuild them.")
# Opening a page would run this if the viewer ran a report's scripts: pdf.js must not.
PAGE_SCRIPT = "/AA << /O << /S /JavaScript /JS (app.alert('report script ran'); window.__pwned = 1;) >> >>"
LOADED = re.compile(r"^Pages? \d")


@pytest.fixture(scope="module")
def viewer_index(seed_index, embedder, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("viewer")
    index = folder / "index"
    shutil.copytree(seed_index, index, ignore=shutil.ignore_patterns(".lock"))
    reports = folder / "reports"
    reports.mkdir()
    write_pdf(reports / "small-ports.pdf", [
        ["Small Ports Review 2024", "A review of the small fishing ports of the north coast.",
         "The review visited eleven harbours between March and September and spoke with",
         "harbour masters, fishers and the county councils that own the quays.", "",
         "Small ports face three obstacles to growth. First, the channels silt up every",
         "winter and dredging is paid for only once in five years."],
        ["Second, the quays are too short for the boats that fishers buy today.",
         "Third, the councils that own the quays cannot borrow to rebuild them.", "",
         "The review recommends a national dredging fund and a loan scheme for councils",
         "that own working harbours."],
        ["Annex: the eleven harbours visited, with their tonnage landed in 2023."],
    ], title="Small Ports Review 2024", page_entries=PAGE_SCRIPT)
    # A footnote marker set small and raised after "rule": the index leaves it out, the page's text layer has it.
    write_layout_pdf(reports / "ferry-dialogue.pdf", [
        [("Island Ferries Dialogue 2024", 72, 720, 20)]
        + run_on([("The ferry dialogue met under the Chatham House rule", 11, 0), ("1", 6, 4),
                  (" so that operators could speak freely about", 11, 0)], 680)
        + [("fares, timetables and the cost of fuel.", 72, 666, 11),
           ("1 No participant is named in this report.", 72, 80, 8)]])
    results = add_files([reports], index, embedder=embedder, progress=False)
    assert [r.status for r in results] == ["added", "added"], results
    return index


@pytest.fixture(scope="module")
def app_url(viewer_index, tmp_path_factory):
    with running_app(viewer_index, tmp_path_factory.mktemp("app") / "app.log") as url:
        yield url


def _words(text: str) -> str:
    return " ".join(text.split())


def _open_viewer(site: Site, answer, n: int = 0):
    """Follow source ``n``'s "Open the report" to the viewer's tab, watched like the chat's; once it has loaded."""
    with site.context.expect_page() as opened:
        answer.locator("a.qa-open").nth(n).click()
    viewer = opened.value
    _watch(site, viewer)
    expect(viewer.locator("#viewer-status")).to_have_text(LOADED, timeout=30_000)
    return viewer


def _watch(site: Site, page) -> None:
    page.on("pageerror", lambda exc: site.problems.append(f"viewer script error: {exc}"))
    page.on("dialog", lambda d: (site.problems.append(f"viewer dialog: {d.message}"), d.dismiss()))
    page.on("console", site._console)
    page.on("response", lambda r: r.status >= 400 and site.problems.append(f"{r.status} from {r.url}"))


def _marks_by_page(viewer) -> dict[int, str]:
    """The highlighted words of each page shown, in reading order."""
    found: dict[int, list[str]] = {}
    for page in viewer.locator(".viewer-page").all():
        marks = page.locator(".textLayer mark").all_inner_texts()
        if marks:
            found[int(page.get_attribute("data-page"))] = _words(" ".join(marks))
    return {page: text for page, text in found.items()}


def test_a_citation_opens_the_pdf_at_its_page_with_the_quote_highlighted_across_the_page_break(site):
    answer = site.ask(QUESTION)
    assert _words(answer.locator(".qa-quote").inner_text()).startswith(PAGE_1_PART)
    links = answer.locator("a.qa-open")
    assert links.all_inner_texts() == ["Open the report at page 1", "Open the report at page 2"]
    # one part per sentence quoted (a list answer quotes its announcement and each item's lead sentence)
    assert re.fullmatch(r"view/[0-9a-f]+\?page=1(&part=\d+%3A\d+-\d+){2,}", links.first.get_attribute("href"))
    viewer = _open_viewer(site, answer)
    expect(viewer.locator("#viewer-status")).to_have_text("Pages 1 to 2 of 3. The quote is highlighted.")
    assert [p.get_attribute("data-page") for p in viewer.locator(".viewer-page").all()] == ["1", "2"]
    assert _marks_by_page(viewer) == {1: PAGE_1_PART, 2: PAGE_2_PART}
    first = viewer.locator("#viewer-first-mark")
    expect(first).to_be_in_viewport()
    assert PAGE_1_PART.startswith(first.inner_text())
    assert viewer.locator("canvas").first.evaluate("c => c.width > 0 && c.height > 0")
    assert viewer.evaluate("window.__pwned") is None, "a script in the report ran"
    viewer.screenshot(path=ARTIFACTS / "viewer-pdf-quote.png", full_page=True)


def test_a_quote_is_highlighted_though_the_page_has_a_footnote_marker_inside_it(site):
    answer = site.ask("Under what rule did the ferry dialogue meet?")
    quote = _words(answer.locator(".qa-quote").inner_text())
    assert quote.startswith("The ferry dialogue met under the Chatham House rule so that")
    viewer = _open_viewer(site, answer)
    expect(viewer.locator("#viewer-status")).to_have_text("Page 1 of 1. The quote is highlighted.")
    marked = _marks_by_page(viewer)[1]
    assert marked.startswith("The ferry dialogue met under the Chatham House rule") and marked.endswith("cost of fuel.")


def test_the_second_source_opens_with_the_whole_quote(site):
    answer = site.ask(QUESTION)
    assert "?page=2&" in answer.locator("a.qa-open").nth(1).get_attribute("href")
    viewer = _open_viewer(site, answer, n=1)
    expect(viewer.locator("#viewer-status")).to_have_text("Pages 1 to 2 of 3. The quote is highlighted.")
    assert _marks_by_page(viewer) == {1: PAGE_1_PART, 2: PAGE_2_PART}


def test_the_viewer_pages_through_and_downloads_the_original(site):
    viewer = _open_viewer(site, site.ask(QUESTION))
    viewer.get_by_role("button", name="Next page").click()
    expect(viewer.locator("#viewer-status")).to_have_text("Page 3 of 3.")
    assert viewer.locator(".viewer-page").get_attribute("data-page") == "3"
    assert "Annex: the eleven harbours" in viewer.locator(".textLayer").inner_text()
    expect(viewer.get_by_role("button", name="Next page")).to_be_disabled()
    assert "page=3" in viewer.url
    viewer.get_by_role("button", name="Previous page").click()
    expect(viewer.locator("#viewer-status")).to_have_text("Page 2 of 3. The quote is highlighted.")
    assert _marks_by_page(viewer) == {2: PAGE_2_PART}
    viewer.get_by_label("Page", exact=True).fill("1")
    viewer.get_by_role("button", name="Go", exact=True).click()
    expect(viewer.locator("#viewer-status")).to_have_text("Page 1 of 3. The quote is highlighted.")
    with viewer.expect_download() as downloading:
        viewer.get_by_role("link", name="Download the original").click()
    download = downloading.value
    assert download.suggested_filename == "small-ports.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")


def test_a_text_report_opens_with_its_quote_highlighted(site):
    answer = site.ask("Who prepared the report?")
    quote = _words(answer.locator(".qa-quote").inner_text().removesuffix("[1]"))
    assert answer.locator("a.qa-open").inner_text() == "Open the report"
    with site.context.expect_page() as opened:
        answer.locator("a.qa-open").click()
    viewer = opened.value
    _watch(site, viewer)
    mark = viewer.locator("#viewer-text mark")
    expect(mark).to_have_count(1)
    assert _words(mark.inner_text()) == quote
    expect(mark).to_be_in_viewport()
    viewer.screenshot(path=ARTIFACTS / "viewer-text-quote.png")


def test_a_keyboard_alone_pages_through_and_returns_to_the_quote(site, app_url):
    link = site.ask(QUESTION).locator("a.qa-open").first.get_attribute("href")
    viewer = site.context.new_page()
    _watch(site, viewer)
    viewer.goto(app_url + link)
    expect(viewer.locator("#viewer-status")).to_have_text(LOADED, timeout=30_000)
    _tab_to(viewer, "Next page")
    viewer.keyboard.press("Enter")
    expect(viewer.locator("#viewer-status")).to_have_text("Page 3 of 3.")
    _tab_to(viewer, "Go to the quote")
    viewer.keyboard.press("Enter")
    expect(viewer.locator("#viewer-status")).to_have_text("Pages 1 to 2 of 3. The quote is highlighted.")
    expect(viewer.locator("#viewer-first-mark")).to_be_focused()
    expect(viewer.locator("#viewer-first-mark")).to_be_in_viewport()
    # Every control is named for assistive technology, and the pages are read as text, not as pictures.
    assert viewer.get_by_role("navigation", name="Pages").count() == 1
    assert viewer.get_by_role("region", name="Page 1 of 3").count() == 1
    assert viewer.locator("canvas[aria-hidden=true]").count() == 2


def _tab_to(page, name: str, limit: int = 20) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    pytest.fail(f"Tab never reached {name!r}")


def test_the_viewer_shows_only_the_index_text_and_refuses_what_is_not_a_span_of_the_report(app_url):
    client = Client(app_url, verbose=False)
    first = client.predict(QUESTION, [], api_name="/ask")["citations"][0]
    other_doc = client.predict("Who prepared the report?", [], api_name="/ask")["citations"][0]["doc_id"]
    doc, passage = first["doc_id"], first["passage_id"]
    good = f"{app_url}view/{doc}?page=1&part={passage}:0-{first['end']}"
    page = httpx.get(good, timeout=10)
    assert page.status_code == 200
    policy = page.headers["content-security-policy"]
    assert "script-src 'self';" in policy and "eval" not in policy and "frame-ancestors 'none'" in policy
    assert httpx.get(f"{app_url}view/static/pdf.worker.min.mjs", timeout=10).headers["content-security-policy"] == policy
    for path, status in [
        (f"view/{doc}?part={passage}:0-{len(first['passage']) + 1}", 400),  # beyond the passage
        (f"view/{doc}?part={passage}:5-5", 400),  # empty
        (f"view/{other_doc}?part={passage}:0-10", 400),  # another report's passage
        (f"view/{doc}?part=%3Cscript%3E", 400),
        (f"view/{doc}?page=4", 400), (f"view/{doc}?page=-1", 400),
        (f"view/{doc}?" + "&".join([f"part={passage}:0-1"] * 21), 400),
        ("view/0000000000000000", 404), ("view/..%2F..%2Fapp.py", 404),
        ("view/static/viewer.py", 404), ("view/static/..%2F..%2Fapp.py", 404),
    ]:
        assert httpx.get(app_url + path, timeout=10).status_code == status, path
    # Text a client sends is never shown: only the index's words are.
    shown = httpx.get(good + "&text=%3Cb%3Einjected%3C%2Fb%3E&title=injected", timeout=10).text
    assert "injected" not in shown and first["passage"][: first["end"]] in shown
