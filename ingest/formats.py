"""Read a report file into a Document: text per page, cleaned, with its metadata.

Every failure is a ReadError whose message is one line a member of staff can act on.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .cleaning import normalise, reflow
from .metadata import Metadata, MetadataError, read_sidecar, split_front_matter
from .models import Document, PageSpan, Table
from .naming import resolve_date, resolve_title
from .layout import PageLayout
from .pdf import MIN_PAGE_CHARS, PageCallback, PdfError, read_pdf
from .structure import read_structure

SUPPORTED_SUFFIXES = {".pdf", ".txt", ".md", ".markdown", ".html", ".htm"}
PAGE_SEPARATOR = "\n\n"


class ReadError(Exception):
    """A file that cannot be ingested; the message says why, in one line."""


@dataclass
class ExtractedText:
    pages: list[str]  # cleaned text of each page; one entry for formats without pages
    metadata: Metadata  # what the file itself says about the report (a PDF's info, an HTML title)
    pages_without_text: int = 0
    notes: list[str] = field(default_factory=list)  # what staff should know about how the file was read
    staff: Metadata = field(default_factory=Metadata)  # what staff wrote in the file: front matter
    non_prose: list[list[tuple[int, int, str]]] = field(default_factory=list)  # per page: headings, contents, tables
    identity: str = ""  # running heads and feet
    cover_title: str = ""
    first_heading: str = ""
    cover_text: str = ""
    created: str = ""  # when the file says it was made
    tables: list[Table] = field(default_factory=list)  # found on its pages; in ``pages`` as blocks of kind table


def document_id(data: bytes) -> str:
    """A report's id: a digest of its file's bytes, so the same file added twice is one report."""
    return hashlib.sha256(data).hexdigest()[:16]


def read_document(path: Path, overrides: Metadata | None = None, password: str | None = None,
                  on_page: PageCallback | None = None) -> Document:
    """Read ``path``; metadata comes from ``overrides``, then the sidecar, then the file itself. ``on_page`` hears of
    each page of a PDF read."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise ReadError(f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(sorted(SUPPORTED_SUFFIXES))}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ReadError(f"cannot read file: {exc.strerror or exc}") from exc
    if not data.strip():
        raise ReadError("file is empty")
    try:
        if suffix == ".pdf":
            extracted = _read_pdf(data, password, on_page)
        elif suffix in {".html", ".htm"}:
            extracted = _read_html(_decode(data))
        else:
            extracted = _read_text(_decode(data), markdown=suffix != ".txt", where=path.name)
        sidecar = read_sidecar(path)
    except MetadataError as exc:
        raise ReadError(str(exc)) from exc

    text, pages, non_prose = _join_pages(extracted.pages, extracted.non_prose)
    if not text.strip():
        raise ReadError("no text found")
    staff = (overrides or Metadata()).merged_over(sidecar).merged_over(extracted.staff)
    own = extracted.metadata
    title, title_source = resolve_title(staff.title, own.title, extracted.cover_title, extracted.cover_text,
                                        extracted.first_heading, path)
    date, date_source = resolve_date(staff.date, title, extracted.cover_text, path, extracted.created)
    return Document(
        id=document_id(data),
        title=title,
        text=text,
        pages=pages,
        source=str(path),
        date=date,
        authors=staff.authors or own.authors,
        publisher=staff.publisher or own.publisher,
        url=staff.url or own.url,
        pages_without_text=extracted.pages_without_text,
        notes=extracted.notes,
        title_source=title_source,
        date_source=date_source,
        # A cover's own title names the report as readers know it, where the file's title differs ("WAETD 2023 Key
        # Findings" over "West Africa Energy Transition Dialogue 2023: Key Findings").
        identity="\n".join(filter(None, [extracted.identity,
                                          extracted.cover_title if extracted.cover_title != title else ""])),
        non_prose=non_prose,
        tables=extracted.tables,
    )


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _join_pages(pages: list[str], non_prose: list[list[tuple[int, int, str]]]
                ) -> tuple[str, list[PageSpan], list[tuple[int, int, str]]]:
    """The document's text, where each page lies in it, and where its blocks that are not prose lie in it."""
    parts, spans, offset, placed = [], [], 0, []
    for number, page in enumerate(pages, start=1):
        if not page:
            continue
        if parts:
            parts.append(PAGE_SEPARATOR)
            offset += len(PAGE_SEPARATOR)
        spans.append(PageSpan(number, offset, offset + len(page)))
        placed += [(offset + s, offset + e, kind) for s, e, kind in (non_prose[number - 1] if non_prose else [])]
        parts.append(page)
        offset += len(page)
    return "".join(parts), spans, placed


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.MULTILINE)  # \s would eat the blank line before the heading
_MD_EMPHASIS = re.compile(r"(\*\*|__|`)")


def _read_text(text: str, markdown: bool, where: str) -> ExtractedText:
    metadata, body = split_front_matter(normalise(text), where)
    if markdown:
        # Keep the words, drop the markup: answers quote prose, not syntax.
        body = _MD_EMPHASIS.sub("", _MD_HEADING.sub("", _MD_LINK.sub(r"\1", body)))
    return ExtractedText([reflow(body, hard_wrapped=False)], Metadata(), staff=metadata)


class _HTMLText(HTMLParser):
    _SKIP = {"script", "style", "noscript", "template", "svg", "head"}
    _BLOCK = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
              "section", "article", "blockquote", "pre", "hr", "dd", "dt", "figcaption"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skipping = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skipping += 1
        if tag == "title":
            self._in_title = True
        if tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP and self._skipping:
            self._skipping -= 1
        if tag == "title":
            self._in_title = False
        if tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skipping:
            self.parts.append(data.replace("\n", " "))


def _read_html(html: str) -> ExtractedText:
    parser = _HTMLText()
    parser.feed(html)
    parser.close()
    return ExtractedText([reflow("".join(parser.parts), hard_wrapped=False)], Metadata(title=" ".join(parser.title.split())))


def _read_pdf(data: bytes, password: str | None, on_page: PageCallback | None) -> ExtractedText:
    try:
        pdf = read_pdf(data, password, on_page)
    except PdfError as exc:
        raise ReadError(str(exc)) from exc
    # A page with a stray mark but no real text layer is kept out of the index, and counted.
    has_text = [len(layout.text().strip()) >= MIN_PAGE_CHARS for layout in pdf.pages]
    without_text = has_text.count(False)
    if pdf.pages and not any(has_text):
        raise ReadError(f"no text layer on any of its {len(has_text)} page(s) (a scan?); OCR is not supported")
    notes = [f"{without_text} of {len(has_text)} pages have no text layer; OCR is not supported"] if without_text else []
    tables = [found if ok else [] for found, ok in zip(pdf.tables, has_text)]
    structure = read_structure([layout if ok else PageLayout([], layout.height) for layout, ok in zip(pdf.pages, has_text)],
                               tables)
    return ExtractedText(structure.texts, pdf.metadata, without_text, notes + pdf.notes, non_prose=structure.non_prose,
                         identity=structure.identity, cover_title=structure.cover_title,
                         first_heading=structure.first_heading, cover_text=structure.cover_text, created=pdf.created,
                         tables=[Table(t.header, t.rows, number) for number, found in enumerate(structure.tables, 1)
                                 for t in found])
