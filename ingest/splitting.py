"""Cut a document into sentences and passages that remember their page and character offsets.

A passage is a few sentences from one page, short enough for the embedding model
(well under its 256-token window). Paragraph breaks start a new passage unless the
passage so far is only a heading or a line or two.
"""
from __future__ import annotations

import re
from functools import lru_cache

from .models import Document, Passage, Sentence

MAX_WORDS = 150  # per passage; all-MiniLM-L6-v2 reads 256 word pieces, about 190 English words
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
        # (start, end, words) of the sentences of the passage being filled
        current: list[tuple[int, int, int]] = []

        def flush():
            if current:
                passages.append(_make_passage(doc, len(passages), page.number, current))
                current.clear()

        for p_start, p_end in _paragraphs(doc.text, page.start, page.end):
            if sum(w for _, _, w in current) >= MIN_WORDS:
                flush()
            paragraph = doc.text[p_start:p_end]
            for s_start, s_end in sentence_spans(paragraph):
                words = len(_WORD.findall(paragraph, s_start, s_end))
                if current and sum(w for _, _, w in current) + words > MAX_WORDS:
                    flush()
                current.append((p_start + s_start, p_start + s_end, words))
        flush()
    return passages


def _make_passage(doc: Document, ordinal: int, page: int, sentences: list[tuple[int, int, int]]) -> Passage:
    start, end = sentences[0][0], sentences[-1][1]
    return Passage(
        doc_id=doc.id,
        ordinal=ordinal,
        page=page,
        start=start,
        end=end,
        text=doc.text[start:end],
        sentences=[Sentence(s - start, e - start) for s, e, _ in sentences],
    )
