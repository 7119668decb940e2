"""The things ingestion hands on: a Document read from a file, and the Passages cut from it."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PageSpan:
    """Where one page of the original lies in the document's cleaned text."""

    number: int  # 1-based, as printed by a PDF viewer
    start: int
    end: int


@dataclass
class Document:
    id: str  # content hash of the original file's bytes: the same file always gets the same id
    title: str
    text: str  # cleaned text; every offset downstream points into it
    pages: list[PageSpan]
    source: str  # the file it was read from
    date: str = ""
    authors: list[str] = field(default_factory=list)
    publisher: str = ""
    url: str = ""
    pages_without_text: int = 0  # PDF pages with no text layer (scans): counted, never silently dropped
    notes: list[str] = field(default_factory=list)  # how it was read, for the ingest summary; not stored
    title_source: str = ""  # where the title came from: staff | file | cover | heading | filename (ingest/naming.py)
    date_source: str = ""  # staff | title | cover | filename | created; "" when there is no date
    # Running heads and feet, kept out of ``text`` but naming the report ("OPM FY 2016 Annual Performance Report").
    identity: str = ""
    # (start, end, kind) in ``text`` of each paragraph that is not prose: a "heading" or a "contents" entry.
    non_prose: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass(frozen=True)
class Sentence:
    start: int  # offsets inside the passage text
    end: int


@dataclass
class Passage:
    doc_id: str
    ordinal: int  # position in its document
    page: int
    start: int  # offsets inside the document text
    end: int
    text: str
    sentences: list[Sentence]  # a heading in ``text`` is none of them: it is never quoted as an answer
    heading: str = ""  # the heading(s) it stands under, which may be on an earlier page

    def sentence_texts(self) -> list[str]:
        return [self.text[s.start : s.end] for s in self.sentences]
