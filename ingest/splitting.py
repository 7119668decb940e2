"""Cut a document into sentences and passages that remember their page and character offsets.

A passage is a paragraph, or an equal part of a long one, from one page: short enough for
the embedding model's 256-token window. A short paragraph (a heading, a date line) joins
the paragraph after it. A table's rows make passages of their own, one sentence per row,
which know the table's header: prose and table text never share a passage.
"""
from __future__ import annotations

import math
import re
from functools import lru_cache

from .models import Document, PageSpan, Passage, Sentence, Table

MAX_WORDS = 180  # per passage; all-MiniLM-L6-v2 reads 256 word pieces, about 195 English words
MIN_WORDS = 25  # a shorter passage (a heading, a date line) is merged with what follows
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
_WORD = re.compile(r"\S+")


@lru_cache(maxsize=1)
def _segmenter():
    import pysbd

    return pysbd.Segmenter(language="en", clean=False)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence (start, end) offsets in ``text``, whitespace trimmed, overlong ones cut at word boundaries."""
    spans, cursor = [], 0
    for piece in _segmenter().segment(text):
        piece = piece.strip()
        if not piece:
            continue
        start = text.find(piece, cursor)
        if start < 0:  # pysbd altered the text; fall back to the rest of the paragraph
            start, piece = cursor, text[cursor:].strip()
        end = start + len(piece)
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
    passages: list[Passage] = []
    for page in doc.pages:
        cursor = page.start
        for table, start in _tables_on(doc, page):
            _split_prose(doc, page, cursor, start, passages)
            cursor = _split_table(doc, page, table, start, passages)
        _split_prose(doc, page, cursor, page.end, passages)
    return passages


def _tables_on(doc: Document, page: PageSpan) -> list[tuple[Table, int]]:
    """The tables of ``page`` with where each begins in the document's text, in order. A table whose text is
    not there as it was found (cleaning changed it) is left to be read as prose."""
    found, cursor = [], page.start
    for table in (t for t in doc.tables if t.page == page.number):
        at = doc.text.find(table.text, cursor, page.end)
        if at >= 0:
            found.append((table, at))
            cursor = at + len(table.text)
    return found


def _split_prose(doc: Document, page: PageSpan, start: int, end: int, passages: list[Passage]) -> None:
    pending: list[tuple[int, int, int]] = []  # a short paragraph (a heading) waiting to join the next one
    for p_start, p_end in _paragraphs(doc.text, start, end):
        paragraph = doc.text[p_start:p_end]
        sentences = pending + [
            (p_start + s, p_start + e, len(_WORD.findall(paragraph, s, e))) for s, e in sentence_spans(paragraph)
        ]
        if sum(w for _, _, w in sentences) < MIN_WORDS:
            pending = sentences
            continue
        pending = []
        for chunk in _balanced_chunks(sentences):
            passages.append(_make_passage(doc, len(passages), page.number, chunk))
    if pending:
        passages.append(_make_passage(doc, len(passages), page.number, pending))


def _split_table(doc: Document, page: PageSpan, table: Table, start: int, passages: list[Passage]) -> int:
    """A passage for each row of ``table`` (its text at ``start``): the row is its one sentence, and it knows
    the header, under which it is embedded. Returns where the table ends."""
    header = Table.line(table.header)
    cursor = start + (len(header) + 1 if header else 0)
    for row in table.rows:
        line = Table.line(row)
        passages.append(_make_passage(doc, len(passages), page.number, [(cursor, cursor + len(line), len(line.split()))],
                                      Table(table.header, [row], page.number)))
        cursor += len(line) + 1
    return start + len(table.text)


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


def _make_passage(doc: Document, ordinal: int, page: int, sentences: list[tuple[int, int, int]],
                  table: Table | None = None) -> Passage:
    start, end = sentences[0][0], sentences[-1][1]
    return Passage(
        doc_id=doc.id,
        ordinal=ordinal,
        page=page,
        start=start,
        end=end,
        text=doc.text[start:end],
        sentences=[Sentence(s - start, e - start) for s, e, _ in sentences],
        table=table,
    )
