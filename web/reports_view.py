"""The "Reports" view: every indexed report, narrowed by a filter box, each with a button to ask within it.
Report metadata is escaped like any report text."""
from __future__ import annotations

from html import escape

from ingest.index import DocumentRecord

from .answer_view import readable_date
from .report_files import original_link


def matches(doc: DocumentRecord, words: list[str]) -> bool:
    haystack = " ".join([doc.title, doc.date, readable_date(doc.date), doc.publisher, *doc.authors]).lower()
    return all(w in haystack for w in words)


def reports_html(documents: list[DocumentRecord], filter_text: str = "") -> str:
    filter_text = filter_text or ""
    words = filter_text.lower().split()
    shown = [d for d in documents if matches(d, words)]
    if not documents:
        summary = "No reports are indexed yet."
    elif len(shown) == len(documents):
        summary = f"{len(documents)} report{'s' if len(documents) != 1 else ''}"
    else:
        summary = f"{len(shown)} of {len(documents)} reports match “{escape(filter_text.strip())}”"
    rows = "".join(_row(d) for d in shown)
    return (
        '<div class="qa-reports">'
        f'<p class="qa-reports-summary" role="status">{summary}</p>'
        '<table><thead><tr><th scope="col">Report</th><th scope="col">Date</th>'
        '<th scope="col">Pages</th><th scope="col">Passages</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></div>"
    )


def _row(doc: DocumentRecord) -> str:
    link = original_link(doc.id, doc.source, doc.url)
    title = f'<a href="{escape(link)}" target="_blank" rel="noopener">{escape(doc.title)}</a>' if link else escape(doc.title)
    by = ", ".join(x for x in (doc.publisher, ", ".join(doc.authors)) if x)
    byline = f'<div class="qa-byline">{escape(by)}</div>' if by else ""
    # The page sends the id back when the button is pressed (ASK_REPORT_JS); the app checks it against the index.
    ask = (f'<button type="button" class="qa-ask-report" data-doc="{escape(doc.id)}"'
           f' aria-label="Ask this report: {escape(doc.title)}">Ask this report</button>')
    return (
        f'<tr><td data-label="Report">{title}{byline}{ask}</td>'
        f'<td data-label="Date">{escape(readable_date(doc.date)) or "—"}</td>'
        f'<td data-label="Pages">{doc.pages}</td><td data-label="Passages">{doc.passages}</td></tr>'
    )


# For the Reports view's gr.HTML: a press of a row's button (by mouse, Enter or Space) sends that row's report id;
# once the app has switched to the Ask tab, the question box has the focus. Listening on the component's own element
# keeps working when a new filter re-renders the rows.
ASK_REPORT_JS = """element.addEventListener('click', (event) => {
  const button = event.target.closest('button.qa-ask-report');
  if (!button) return;
  trigger('click', {doc_id: button.dataset.doc});
  const until = Date.now() + 10000;
  const focusQuestion = () => {
    const box = document.querySelector('#qa-question textarea');
    if (box && box.offsetParent !== null) box.focus();
    else if (Date.now() < until) setTimeout(focusQuestion, 50);
  };
  focusQuestion();
});"""
