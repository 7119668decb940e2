"""The controls under an answer that let a reader check, cite and take it away: why the confidence is what it is,
"Cite" for each source (APA, Chicago, plain text, each with a copy button), a link that asks the question again,
and the conversation as a Markdown file.

Plain HTML the chat's sanitizer keeps: <details> opens by keyboard as it is, buttons are buttons, and chat.js copies
a citation or a link when its button is pressed. Every text from a report or a reader is escaped."""
from __future__ import annotations

import re
from dataclasses import dataclass
from html import escape
from urllib.parse import urljoin

from ingest import settings
from qa.citation_styles import citation_styles
from qa.confidence_why import confidence_words
from qa.models import Answer, Citation

from .viewer import viewer_link

# A Host header as browsers send it: a name or an address, perhaps a port. Anything else gets relative links.
_HOST = re.compile(r"(?:[A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63}(?::\d{1,5})?|\[[0-9A-Fa-f:.]{2,45}\](?::\d{1,5})?")
DOWNLOAD_NAME = "report-qa-conversation.md"


def site_url(scheme: str, host: str) -> str:
    """The site's address for links that leave the page (citations, the Markdown file): QA_PUBLIC_URL when set,
    else the address the reader's browser asked for, if it is a well-formed one; "" (relative links) otherwise."""
    configured = settings.public_url()
    if configured:
        return configured.rstrip("/") + "/"
    if scheme in ("http", "https") and _HOST.fullmatch(host or ""):
        return f"{scheme}://{host}/"
    return ""


@dataclass
class AnswerTools:
    """The controls of one answer: ``site`` is the site's address ("" for relative links), ``permalink`` the
    answer's link relative to it (``?q=...``)."""

    site: str
    permalink: str

    def link(self, c: Citation, quoted: list[Citation]) -> str:
        """Where a citation points: the viewer at the page, the quote highlighted; else the answer's own link."""
        return urljoin(self.site, viewer_link(c, quoted) or self.permalink)

    def cite_html(self, n: int, c: Citation, quoted: list[Citation]) -> str:
        styles = citation_styles(c, self.link(c, quoted))
        rows = "".join(
            '<div class="qa-cite-style">'
            f'<p class="qa-cite-name">{escape(name)}</p><p class="qa-cite-text">{escape(text)}</p>'
            f'<button type="button" class="qa-copy">Copy{_unseen(f" the {name} citation of source {n}")}</button>'
            "</div>" for name, text in styles.items())
        return (f'<details class="qa-cite"><summary>Cite{_unseen(f" source {n}")}</summary>'
                f'<div class="qa-cite-styles">{rows}<p class="qa-copied" role="status"></p></div></details>')

    def share_html(self) -> str:
        return (
            f'<p class="qa-share"><a class="qa-permalink" href="{escape(self.permalink)}">Link to this answer</a>'
            f'<button type="button" class="qa-copy">Copy link{_unseen(" to this answer")}</button>'
            '<span class="qa-copied" role="status"></span></p>'
        )


def confidence_html(answer: Answer) -> str:
    """"with high confidence", and a "Why?" that opens the one line saying what it rests on."""
    words = confidence_words(answer.confidence)
    if not answer.why:
        return escape(words) + "."
    return (f'{escape(words)}. <details class="qa-why"><summary>Why?{_unseen(f" (what the {words} rests on)")}</summary>'
            f'<span class="qa-why-text">{escape(answer.why)}</span></details>')


def _unseen(text: str) -> str:
    """Words for screen readers alone: the chat's sanitizer drops aria-label, so a control's full name is its text.
    At the end of it: in the middle, browsers read a space before the words that follow."""
    return f'<span class="qa-unseen">{escape(text)}</span>'


def download_html(markdown: str) -> str:
    """The conversation as a file the browser saves (chat.js makes it from the hidden text): nothing is stored."""
    if not markdown:
        return ""
    return (f'<button type="button" class="qa-download" data-filename="{DOWNLOAD_NAME}">'
            f'Download the conversation (Markdown)</button><pre class="qa-download-text" hidden>{escape(markdown)}</pre>')
