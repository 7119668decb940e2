"""The scope in force, shown above the question box: "Asking: <report> ×" when the reader chose one report in the
Reports view, else all reports. The report's title is escaped like any report text."""
from __future__ import annotations

from html import escape

from ingest.index import DocumentRecord

from .answer_view import readable_date


def scope_html(doc: DocumentRecord | None) -> str:
    if doc is None:
        return ('<p class="qa-scope"><span class="qa-scope-label">Asking:</span> all reports'
                '<span class="qa-scope-hint"> (to ask one, choose it in the Reports tab)</span></p>')
    when = f'<span class="qa-scope-date"> · {escape(readable_date(doc.date))}</span>' if doc.date else ""
    return (
        '<p class="qa-scope"><span class="qa-scope-label">Asking:</span> '
        f'<span class="qa-scope-chip"><cite>{escape(doc.title)}</cite>{when}'
        f'<button type="button" class="qa-scope-clear" aria-label="Stop asking only {escape(doc.title)}: ask all reports"'
        ' title="Ask all reports">×</button></span></p>'
    )


# For the scope's gr.HTML: the chip's × asks all reports again, and the question box takes the focus the button had.
# Changes are announced: the component's own element stays while its content is replaced, so it is the live region.
CLEAR_SCOPE_JS = """element.setAttribute('aria-live', 'polite');
element.addEventListener('click', (event) => {
  if (!event.target.closest('button.qa-scope-clear')) return;
  trigger('click');
  document.querySelector('#qa-question textarea')?.focus();
});"""
