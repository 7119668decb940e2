"""A PDF's pages as a reader sees them: furniture set aside, each page a run of headings and paragraphs, and
what the cover page says the report is called.

Each page's text is its blocks (ingest/blocks.py) separated by blank lines; the spans of the blocks that are
not prose (headings, contents entries) are kept, so that passages know the heading they stand under and
never quote either as a sentence.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .blocks import HEADING, TEXT, Block, Vocabulary, body_size, clean_line, page_blocks, visible
from .furniture import find_furniture
from .layout import PageLayout
from .models import Table
from .naming import cover_title, title_like
from .tables import cut_tables, label_tables, overlap, place_tables, without_running_head

PARAGRAPH_BREAK = "\n\n"


@dataclass
class PageTexts:
    texts: list[str]  # per page: its blocks, separated by blank lines; "" for a page without any
    non_prose: list[list[tuple[int, int, str]]]  # per page: (start, end, kind) of each block not of kind TEXT
    identity: str = ""  # the running heads and feet, one per line
    cover_title: str = ""  # the first page's largest print, if it reads as a title
    first_heading: str = ""
    cover_text: str = ""  # the first page's text, furniture left out
    tables: list[list[Table]] = field(default_factory=list)  # per page: its tables as read, running heads left out


def page_text(blocks: list[Block]) -> tuple[str, list[tuple[int, int, str]]]:
    """One page's text from its blocks, and the spans of its blocks that are not prose."""
    parts, non_prose, offset = [], [], 0
    for block in blocks:
        if parts:
            parts.append(PARAGRAPH_BREAK)
            offset += len(PARAGRAPH_BREAK)
        if block.kind != TEXT:
            non_prose.append((offset, offset + len(block.text), block.kind))
        parts.append(block.text)
        offset += len(block.text)
    return "".join(parts), non_prose


def read_structure(layouts: list[PageLayout], tables: list[list[Table]] | None = None) -> PageTexts:
    """``tables``: those found on each page (ingest/tables.py); their lines are read as tables, not as prose."""
    body = body_size(line for page in layouts for line in page.lines)
    furniture = find_furniture(layouts, body)
    vocabulary = Vocabulary(line.unmarked().text for page in layouts for line in page.lines)
    result = PageTexts([], [], identity="\n".join(furniture.identity))
    for p, layout in enumerate(layouts):
        lines = [line.unmarked() for i, line in enumerate(layout.lines) if (p, i) not in furniture.lines]
        page_tables = tables[p] if tables else []
        if page_tables:  # the page's running heads, which a table that starts the page may stand under
            running = {" ".join(line.text.split()) for i, line in enumerate(layout.lines) if (p, i) in furniture.lines}
            page_tables = [without_running_head(t, running) for t in page_tables]
        # A cover's labels and values (an incident's number, date, place) without colons: on later pages two columns of
        # words are as often a list set in two columns, or an appendix of definitions, which read better as prose.
        labels = [(t, at) for t, at in label_tables(lines) if not any(overlap(t, other) for other in page_tables)] if p == 0 else []
        # The cover's text keeps its labels and values: they say what the report is and when, as its fields do.
        cover_lines = cut_tables(lines, page_tables)[0] if p == 0 else []
        owned = {k: len(page_tables) + n for n, (_, at) in enumerate(labels) for k in at}
        page_tables += [t for t, _ in labels]
        result.tables.append(page_tables)
        lines, table_blocks, after_tables = cut_tables(lines, page_tables, owned)
        blocks = place_tables(page_blocks(lines, body, vocabulary, after_tables), table_blocks)
        text, non_prose = page_text(blocks)
        result.texts.append(text)
        result.non_prose.append(non_prose)
        if not result.first_heading:
            result.first_heading = next((b.text for b in blocks if b.kind == HEADING and title_like(b.text)), "")
        if p == 0:
            cover = [(line, clean_line(line.text)) for line in cover_lines if visible(line, body)]
            cover = [(line, text) for line, text in cover if text]
            result.cover_title = cover_title(cover, body)
            result.cover_text = "\n".join(text for _, text in cover)
    return result
