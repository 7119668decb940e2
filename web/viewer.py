"""The viewer: a report opened at a cited page with the quoted words highlighted.

``/view/<doc_id>?page=N&part=<passage_id>:<start>-<end>&part=...`` names the quote by where it lies in the index
(one part per cited span; a quote that runs onto the next page has a part on each). The server looks each part's
words up in the index and writes them into the page: a client's text is never shown. A PDF is drawn by pdf.js
(web/static/pdfjs/, see the README) from ``/reports/<id>/<file>``, with its text layer, in which viewer.js marks the
quote; pdf.js never runs a report's scripts (no scripting sandbox is loaded, no annotation layer drawn). Any other
report is shown as the text the index holds, the quote marked here.

The page and its scripts carry a policy stricter than the site's: scripts from this origin only, no ``eval``.
"""
from __future__ import annotations

import json
import re
from html import escape
from pathlib import Path
from urllib.parse import quote, urlencode

from fastapi import APIRouter, HTTPException, Query
from fastapi.responses import FileResponse, HTMLResponse

from qa.models import Citation
from qa.pipeline import QAPipeline

from .report_files import ROUTE as REPORTS_ROUTE
from .report_files import original_link

ROUTE = "view"
STATIC = Path(__file__).parent / "static"
# The files the viewer's page loads, by name: nothing else under static/ is served.
ASSETS = {
    "viewer.js": ("viewer.js", "text/javascript"),
    "viewer.css": ("viewer.css", "text/css"),
    "pdf.min.mjs": ("pdfjs/pdf.min.mjs", "text/javascript"),
    "pdf.worker.min.mjs": ("pdfjs/pdf.worker.min.mjs", "text/javascript"),
    "LICENSE-pdfjs.txt": ("pdfjs/LICENSE", "text/plain; charset=utf-8"),
}
# pdf.js draws a page in a canvas and sets its text layer's geometry as inline styles; fonts it reads from a
# PDF become FontFace objects; images it decodes may be data:/blob: URLs. No eval, no WebAssembly (viewer.js turns
# pdf.js's off). Its worker is a module script from this origin, which gets this policy too.
VIEWER_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "worker-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])
MAX_PARTS = 20  # an answer quotes a few sentences; a list runs over a few passages
_DOC_ID = re.compile(r"[0-9a-f]{1,64}")
_PART = re.compile(r"(\d{1,12}):(\d{1,9})-(\d{1,9})")


def viewer_link(c: Citation, quoted: list[Citation]) -> str:
    """Where "Open the report" goes for source ``c``: the viewer at its page with ``quoted`` (the answer's
    citations of this report) highlighted; for a report the app does not serve, its public URL.

    Relative, like every link of the chat, so that it works under a path prefix."""
    path = Path(c.source) if c.source else None
    if path is None or not path.is_file():
        return original_link(c.doc_id, c.source, c.url)
    parts = [f"{q.passage_id}:{q.start}-{q.end}" for q in quoted if q.doc_id == c.doc_id and q.end > q.start]
    query = [("page", c.page)] + [("part", p) for p in dict.fromkeys(parts)]
    return f"{ROUTE}/{c.doc_id}?{urlencode(query)}"


def _page_number(value: str | None, pages: int) -> int | None:
    if value is None or value == "":
        return None
    if not value.isdigit() or not 1 <= int(value) <= max(pages, 1):
        raise HTTPException(400, f"page must be a number from 1 to {max(pages, 1)}")
    return int(value)


def viewer_router(pipeline: QAPipeline) -> APIRouter:
    router = APIRouter()

    @router.get(f"/{ROUTE}/static/{{name}}", include_in_schema=False)
    def asset(name: str) -> FileResponse:
        if name not in ASSETS:
            raise HTTPException(404, "No such file")
        path, media_type = ASSETS[name]
        return FileResponse(STATIC / path, media_type=media_type,
                            headers={"Content-Security-Policy": VIEWER_POLICY, "Cache-Control": "public, max-age=3600"})

    @router.get(f"/{ROUTE}/{{doc_id}}", include_in_schema=False)
    def view(doc_id: str, page: str | None = None, part: list[str] = Query(default=[])) -> HTMLResponse:
        if not _DOC_ID.fullmatch(doc_id):
            raise HTTPException(404, "No such report")
        pipeline.refresh()  # a report staff added a moment ago opens at once
        doc = pipeline.index.document(doc_id)
        path = Path(doc.source) if doc else None
        if path is None or not path.is_file():
            raise HTTPException(404, "No such report")
        if len(part) > MAX_PARTS:
            raise HTTPException(400, f"at most {MAX_PARTS} parts")
        spans = [_PART.fullmatch(p) for p in part]
        if not all(spans):
            raise HTTPException(400, "a part is passage:start-end, in numbers")
        wanted = [(int(m[1]), int(m[2]), int(m[3])) for m in spans]
        passages = pipeline.index.passages(sorted({pid for pid, _, _ in wanted}))
        quote_parts = []
        for pid, start, end in wanted:
            passage = passages.get(pid)
            if passage is None or passage.doc_id != doc_id or not 0 <= start < end <= len(passage.text):
                raise HTTPException(400, "a part is not a span of this report")
            quote_parts.append((passage, start, end))
        at_page = _page_number(page, doc.pages) or (quote_parts[0][0].page if quote_parts else 1)
        file_link = f"../{REPORTS_ROUTE}/{doc_id}/{quote(path.name)}"
        if path.suffix.lower() == ".pdf":
            body = _pdf_body(doc.title, file_link, at_page, doc.pages, quote_parts)
        else:
            body = _text_body(doc.title, file_link, pipeline.index.document_passages(doc_id), quote_parts)
        return HTMLResponse(_page(doc.title, body), headers={"Content-Security-Policy": VIEWER_POLICY})

    return router


def _quote_summary(quote_parts) -> str:
    if not quote_parts:
        return '<p id="viewer-quote-summary">No quote to show: the report opens at the page.</p>'
    pages = sorted({p.page for p, _, _ in quote_parts})
    where = f"page {pages[0]}" if len(pages) == 1 else f"pages {pages[0]} to {pages[-1]}"
    text = " ".join(p.text[s:e] for p, s, e in quote_parts)
    return (f'<p id="viewer-quote-summary">The quote, from {where}, is highlighted below:</p>'
            f'<blockquote id="viewer-quote">{escape(text)}</blockquote>')


def _pdf_body(title: str, file_link: str, at_page: int, pages: int, quote_parts) -> str:
    # Data for viewer.js, in a block the browser never runs; "<" escaped so that no text can end the block.
    data = {"file": file_link, "page": at_page, "pages": pages,
            "parts": [{"page": p.page, "text": p.text[s:e]} for p, s, e in quote_parts]}
    blob = json.dumps(data).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return (
        _header(title, file_link, quote_parts)
        + '<nav id="viewer-pager" aria-label="Pages">'
        '<button type="button" id="viewer-previous">Previous page</button>'
        '<form id="viewer-goto"><label for="viewer-page">Page</label> '
        f'<input id="viewer-page" name="page" type="number" inputmode="numeric" min="1" max="{pages}" value="{at_page}">'
        f' <span id="viewer-count">of {pages}</span> <button type="submit">Go</button></form>'
        '<button type="button" id="viewer-next">Next page</button>'
        '<button type="button" id="viewer-to-quote">Go to the quote</button>'
        "</nav>"
        '<p id="viewer-status" role="status" aria-live="polite">Loading the report…</p>'
        '<main id="viewer-pages" aria-label="Report pages"></main>'
        f'<script type="application/json" id="viewer-data">{blob}</script>'
        '<script type="module" src="static/viewer.js"></script>'
    )


def _text_body(title: str, file_link: str, passages, quote_parts) -> str:
    marks: dict[int, list[tuple[int, int]]] = {}
    for passage, start, end in quote_parts:
        marks.setdefault(passage.id, []).append((start, end))
    paragraphs, first = [], True
    for passage in passages:
        out, cursor = [], 0
        for start, end in sorted(marks.get(passage.id, [])):
            if start < cursor:
                continue
            attrs = ' id="viewer-first-mark" tabindex="-1"' if first else ""
            first = False
            out += [escape(passage.text[cursor:start]), f"<mark{attrs}>{escape(passage.text[start:end])}</mark>"]
            cursor = end
        out.append(escape(passage.text[cursor:]))
        paragraphs.append(f"<p>{''.join(out)}</p>")
    return (
        _header(title, file_link, quote_parts)
        + '<nav id="viewer-pager" aria-label="Quote"><button type="button" id="viewer-to-quote">Go to the quote</button></nav>'
        f'<main id="viewer-text" aria-label="Report text">{"".join(paragraphs)}</main>'
        '<script type="module" src="static/viewer.js"></script>'
    )


def _header(title: str, file_link: str, quote_parts) -> str:
    return (
        f'<header id="viewer-head"><h1>{escape(title)}</h1>'
        f'<p><a id="viewer-download" href="{escape(file_link)}" download>Download the original</a></p>'
        f"{_quote_summary(quote_parts)}</header>"
    )


def _page(title: str, body: str) -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · Report Q&amp;A</title>"
        '<link rel="stylesheet" href="static/viewer.css"></head>'
        f"<body>{body}</body></html>"
    )
