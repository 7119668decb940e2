"""Regenerate the README's screenshots from the real app: docs/viewer.png (an answer's source opened in the PDF
viewer, the quote highlighted) and docs/phone.png (an answer at phone width, 390 px).

    .venv/bin/python bench/screenshots.py [--reports ../shared/data/reports/us-federal/NARA2022.pdf]

Indexes the seed corpus and the given PDF in a temporary folder, starts the app as users do, and drives Debian's
chromium (/usr/bin/chromium) through Playwright."""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path


sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apprun import app_process  # noqa: E402
from bench.measure import ROOT  # noqa: E402
from ingest.pipeline import add_files  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
DOCS = ROOT / "docs"
PDF = ROOT.parent / "shared" / "data" / "reports" / "us-federal" / "NARA2022.pdf"
VIEWER_QUESTION = "By when will NARA digitize 500 million pages of records?"
PHONE_QUESTION = "Who prepared the report?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", type=Path, default=PDF, help="the PDF whose page the viewer shows")
    parser.add_argument("--question", default=VIEWER_QUESTION, help="a question that PDF answers")
    args = parser.parse_args()
    if not args.report.is_file():
        sys.exit(f"no such PDF: {args.report}")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index"
        add_files([ROOT / "corpus", args.report], index, progress=False)
        os.environ["QA_APP_DB"] = str(Path(tmp) / "app.sqlite")
        os.environ["GRADIO_TEMP_DIR"] = str(Path(tmp) / "gradio")
        with app_process(index) as app, sync_playwright() as p:
            app.wait_until_serving()
            url = app.url
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            viewer_shot(browser, url, args.question, DOCS / "viewer.png")
            phone_shot(browser, url, DOCS / "phone.png")
            browser.close()
    print(f"wrote {DOCS / 'viewer.png'} and {DOCS / 'phone.png'}")


def _ask(page, question: str):
    box = page.locator("#qa-question textarea")
    box.fill(question)
    box.press("Enter")
    page.locator("#qa-chat .qa-answer").last.wait_for(timeout=60_000)
    return page.locator("#qa-chat .qa-answer").last


def viewer_shot(browser, url: str, question: str, path: Path) -> None:
    """The answer's "Open the report" in the viewer: the cited page, the quote highlighted."""
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.goto(url)
    answer = _ask(page, question)
    viewer = context.new_page()
    viewer.goto(url + answer.locator("a.qa-open").first.get_attribute("href"))
    viewer.locator("#viewer-status", has_text="The quote is highlighted").wait_for(timeout=60_000)
    viewer.wait_for_timeout(500)  # the scroll to the quote, which stays in view from the top of the page
    viewer.evaluate("window.scrollTo(0, 0)")
    viewer.screenshot(path=path)
    context.close()


def phone_shot(browser, url: str, path: Path) -> None:
    """An answer at 390 px, its "Why?" open."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.goto(url)
    answer = _ask(page, PHONE_QUESTION)
    answer.locator(".qa-why summary").click()
    page.wait_for_timeout(500)
    page.screenshot(path=path)
    context.close()


if __name__ == "__main__":
    main()
