"""Cut a document into sentences and passages that remember their page and character offsets.

A passage is a paragraph, or an equal part of a long one, from one page: short enough for
the embedding model's 256-token window. A short paragraph (a date line, a form field) joins
the paragraph after it, as sentences of its own. A heading starts a new passage: it opens that
passage's text but is none of its sentences, and every passage knows the heading it stands under.
A contents entry ("Mission … 7") is in no passage: it only points at a page. Each row of a table
is a passage of its own, the row its one sentence, knowing the header it stands under and the caption line above
the table: prose and table text never share a passage. Nor do body text and a footnote, which is a passage of its own.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from .blocks import NOTE
from .models import Document, Passage, Sentence, Table
from .tables import TABLE

MAX_WORDS = 180  # per passage; all-MiniLM-L6-v2 reads 256 word pieces, about 195 English words
HEADINGS_IN_A_ROW = " — "  # joins headings read together ("1. Climate Change — Tackle the Climate Crisis")
MIN_WORDS = 25  # a shorter passage (a heading, a date line) is merged with what follows
# A line this short just above a table, not ending as a sentence ends, is its caption ("Average number of days to pay
# claims", "Table 3. Revenue by segment"), which the table's rows are read under.
CAPTION_WORDS = 20
_SENTENCE_END = re.compile(r"[.!?][\"'’”)\]]*$")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WORD = re.compile(r"\S+")


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def _pysbd_sentences(text: str) -> list[str]:
    """What pysbd's ``segment`` returns for ``text``: each sentence its processor finds, as it stands in ``text``
    with the whitespace after it, at its first occurrence that ends past the sentence before; a sentence not found
    in ``text`` is left out. ``segment`` finds them with a regular expression compiled per sentence, which took a
    third of the splitting and pushed pysbd's own abbreviation patterns out of ``re``'s cache; str.find does not."""
    found, prior_end = [], 0
    for sentence in _segmenter().processor(text).process() if text else []:
        start, searched_from = text.find(sentence), 0
        while start >= 0:
            end = start + len(sentence)
            while end < len(text) and text[end].isspace():  # the pattern's trailing \s*
                end += 1
            if end > prior_end:
                found.append(text[start:end])
                prior_end = end
                break
            # The pattern's matches do not overlap: the next is sought after this one (and an empty one moves on).
            searched_from = end if end > start else start + 1
            start = text.find(sentence, searched_from)
    return found


_LABEL_AFTER_ABBREVIATION = re.compile(r":\s")
_ABBREVIATION_END = re.compile(r"\b[A-Za-z]{1,4}\.\s*$")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets in ``text``, whitespace trimmed, overlong ones cut at word boundaries."""
    spans, cursor = [], 0
    for piece in _pysbd_sentences(text):
        piece = piece.strip()
        if not piece:
            continue
        start = text.find(piece, cursor)
        if start < 0:  # pysbd altered the text; fall back to the rest of the paragraph
            start, piece = cursor, text[cursor:].strip()
        end = start + len(piece)
        if spans and _LABEL_AFTER_ABBREVIATION.match(piece) and _ABBREVIATION_END.search(text, 0, start):
            # "Report No.: 03/2023": the segmenter ends a sentence at the abbreviation, but a colon starts none (a
            # page citation does: "... Martin Sekulić.:32 The classes ...").
            spans[-1] = (spans[-1][0], end)
        else:
            spans.extend(_cap_length(text, start, end))
        cursor = end
    return spans


def _cap_length(text: str, start: int, end: int) -> list[tuple[int, int]]:
    words = list(_WORD.finditer(text, start, end))
    if len(words) <= MAX_WORDS:
        return [(start, end)]
    chunks = [words[i : i + MAX_WORDS] for i in range(0, len(words), MAX_WORDS)]
    return [(chunk[0].start(), chunk[-1].end()) for chunk in chunks]


def _paragraphs(text: str, start: int, end: int):
    cursor = start
    for brk in _PARAGRAPH_BREAK.finditer(text, start, end):
        yield cursor, brk.start()
        cursor = brk.end()
    yield cursor, end


def split_passages(doc: Document) -> list[Passage]:
    kinds = {(start, end): kind for start, end, kind in doc.non_prose}
    tables = {(t.page, t.text): t for t in doc.tables}
    passages: list[Passage] = []
    heading, after_heading = "", False  # the heading in force; whether the last paragraph was one
    headed_by, heading_run = "", []  # the heading in force before the last run of headings; that run's paragraphs

    def emit(page: int, sentences: list[tuple[int, int, int]], opening: int | None, note: bool = False) -> None:
        for i, chunk in enumerate(_balanced_chunks(sentences)):
            passages.append(_make_passage(doc, len(passages), page, chunk, opening if i == 0 else None, heading, note=note))

    for page in doc.pages:
        pending: list[tuple[int, int, int]] = []  # short paragraphs waiting to join the next one
        opening: int | None = None  # where the next passage's text starts when a heading opens it
        caption, captioned = "", 0  # the paragraph just read, if it could caption a table below it; its sentences
        for p_start, p_end in _paragraphs(doc.text, page.start, page.end):
            kind = kinds.get((p_start, p_end))
            paragraph, caption = doc.text[p_start:p_end], caption if kind == TABLE else ""
            if kind == "heading":
                if pending:
                    emit(page.number, pending, opening)
                    pending, opening = [], None
                # Headings in a row (a chapter, then its first section) are read together.
                headed_by, heading_run = (headed_by, heading_run) if after_heading else (heading, [])
                heading_run.append((p_start, p_end))
                heading = f"{heading}{HEADINGS_IN_A_ROW}{paragraph}" if after_heading else paragraph
                opening = p_start if opening is None else opening
                after_heading = True
                continue
            after_heading = False
            if kind == TABLE:
                table = tables.get((page.number, doc.text[p_start:p_end]))
                # A caption is its table's, read with each of its rows: no passage of its own.
                before = pending[: len(pending) - captioned] if caption and table is not None else pending
                if before:
                    emit(page.number, before, opening)
                pending, opening = [], None
                if table is not None:
                    _split_table(doc, page.number, table, p_start, heading, caption, passages)
                continue
            if kind and kind != NOTE:
                continue
            sentences = [(p_start + s, p_start + e, len(_WORD.findall(paragraph, s, e))) for s, e in sentence_spans(paragraph)]
            if kind == NOTE:
                if pending:
                    emit(page.number, pending, opening)
                    pending, opening = [], None
                emit(page.number, sentences, None, note=True)
                continue
            caption = paragraph if _is_caption(paragraph) else ""
            captioned = len(sentences) if caption else 0  # the caption's sentences, at the end of pending
            sentences = pending + sentences
            if sum(w for _, _, w in sentences) < MIN_WORDS:
                pending = sentences
                continue
            emit(page.number, sentences, opening)
            pending, opening = [], None
        if pending:
            emit(page.number, pending, opening)
        if after_heading and page is doc.pages[0]:
            # What a cover prints last in large or bold type ("Commissioned by ...", its authors, the month) heads
            # nothing: it is the cover's text, and the report's first page stands under no heading of it.
            heading, after_heading = headed_by, False
            emit(page.number, [(p_start + s, p_start + e, len(_WORD.findall(doc.text, p_start + s, p_start + e)))
                               for p_start, p_end in heading_run
                               for s, e in sentence_spans(doc.text[p_start:p_end])], None)
        # Elsewhere, a heading at the foot of a page heads the next page's passages; its own text is in none.
    return passages


def _is_caption(paragraph: str) -> bool:
    """Could ``paragraph`` caption a table below it: one short line that does not end as a sentence does?"""
    line = paragraph.strip()
    return bool(line) and "\n" not in line and len(line.split()) <= CAPTION_WORDS and not _SENTENCE_END.search(line)


def _balanced_chunks(sentences: list[tuple[int, int, int]]) -> list[list[tuple[int, int, int]]]:
    """Cut a paragraph longer than MAX_WORDS into chunks of about equal length, at sentence ends.

    Equal chunks avoid a stub of a sentence or two, which would retrieve poorly on its own.
    """
    total = sum(w for _, _, w in sentences)
    n = math.ceil(total / MAX_WORDS)
    if n <= 1:
        return [sentences]
    target = total / n
    chunks: list[list[tuple[int, int, int]]] = [[]]
    words = 0
    for sentence in sentences:
        # Start the next chunk when this sentence ends closer to the cut than it starts.
        if chunks[-1] and len(chunks) < n and words + sentence[2] / 2 > target * len(chunks):
            chunks.append([])
        chunks[-1].append(sentence)
        words += sentence[2]
    return chunks


def _split_table(doc: Document, page: int, table: Table, start: int, heading: str, caption: str,
                 passages: list[Passage]) -> None:
    """A passage for each row of ``table``, whose text starts at ``start`` with the header's line: the row is its
    one sentence; it knows the header and the ``caption``, under which it is embedded and matched."""
    header = Table.line(table.header)
    cursor = start + (len(header) + 1 if header else 0)
    for row in table.rows:
        line = Table.line(row)
        passages.append(_make_passage(doc, len(passages), page, [(cursor, cursor + len(line), len(line.split()))],
                                      None, heading, Table(table.header, [row], page, caption)))
        cursor += len(line) + 1


def _make_passage(doc: Document, ordinal: int, page: int, sentences: list[tuple[int, int, int]],
                  opening: int | None, heading: str, table: Table | None = None, note: bool = False) -> Passage:
    start, end = sentences[0][0] if opening is None else opening, sentences[-1][1]
    return Passage(
        doc_id=doc.id,
        ordinal=ordinal,
        page=page,
        start=start,
        end=end,
        text=doc.text[start:end],
        sentences=[Sentence(s - start, e - start) for s, e, _ in sentences],
        heading=heading,
        table=table,
        note=note,
    )
