"""The things ingestion hands on: a Document read from a file, and the Passages cut from it."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class PageSpan:
    """Where one page of the original lies in the document's cleaned text."""

    number: int  # 1-based, as printed by a PDF viewer
    start: int
    end: int


CELL_SEPARATOR = " | "  # between the cells of a table row as it stands in a document's text


@dataclass
class Table:
    """A table of a page (or the rows of it one passage holds): cells verbatim, one list per row."""

    header: list[str]  # one entry per column, "" where a column has no heading; [] when the table has none
    rows: list[list[str]]
    page: int = 0
    # The short line printed just above the table ("Average number of days to pay claims"), which says what a row of
    # figures alone ("5.5 | 4.3 | 3.9 | Met") measures; "" when there is none.
    caption: str = ""

    @staticmethod
    def line(cells: list[str]) -> str:
        """A row as it stands in the document's text: its non-empty cells in order."""
        return CELL_SEPARATOR.join(cell for cell in cells if cell)

    @property
    def text(self) -> str:
        """The table in the document's text: the header's line, then one line per row."""
        return "\n".join(line for line in map(self.line, [self.header, *self.rows]) if line)


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
    # (start, end, kind) in ``text`` of each paragraph that is not prose: a "heading", a "contents" entry, a "table".
    non_prose: list[tuple[int, int, str]] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)  # found on its pages; their text is in ``text``, apart from prose


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
    table: Table | None = None  # a passage of a table row: the row is its one sentence; the header it stands under
    note: bool = False  # a footnote of its page: a passage of its own, never part of body text's

    def sentence_texts(self) -> list[str]:
        return [self.text[s.start : s.end] for s in self.sentences]
