"""Pick the answer: the best sentence of the top passages, grown over the list it introduces.

A sentence is scored by its own similarity to the question (dense and lexical) plus the
score of its passage. When it introduces an enumeration ("... abound. First, ... Second, ...",
"... four key takeaways: (1) ... (2) ..."), the answer runs on to the list's last item, across
passage boundaries if need be, so a list question gets the whole list.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ingest.index import StoredPassage

from .ordinals import ORDINAL_PATTERN, ORDINALS
from .retriever import Candidate

SENTENCE_WEIGHTS = {"dense": 1.0, "lexical": 0.5, "passage": 0.5}
# A question that asks for an amount prefers a table row to a sentence of prose among the passages read: reports
# give their figures in tables, and a row of a few words and figures resembles the question less than a
# sentence that merely shares its subject does, even under its header.
TABLE_ROW_BONUS = 0.3
_AMOUNT_QUESTION = re.compile(
    r"\bhow (?:many|much)\b|\b(?:total|number|percent(?:age)?|share|rate|amount|cost|value|score|average|count|sum"
    r"|ratio|income|revenue|budget|spending)s?\b", re.IGNORECASE)
MAX_RUN = 14  # sentences in one enumeration answer
MAX_GAP = 5  # sentences between two items of one enumeration

_MARKER = re.compile(
    rf"^\s*(?:\((?P<paren>\d{{1,2}}|[a-j])\)|(?P<num>\d{{1,2}})[.)]\s|(?P<word>{ORDINAL_PATTERN}|finally|lastly)(?:ly)?\b"
    r"|(?P<bullet>[•●▪‣–-])\s)",
    re.IGNORECASE,
)
_ANAPHOR = re.compile(r"^(?:this|these|that|those|such|it|they|its|their)\b", re.IGNORECASE)


@dataclass
class Piece:
    """Consecutive sentences ``first``..``last`` (inclusive) of one passage."""

    passage: StoredPassage
    first: int
    last: int

    @property
    def start(self) -> int:
        return self.passage.sentence_spans[self.first][0]

    @property
    def end(self) -> int:
        return self.passage.sentence_spans[self.last][1]

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


@dataclass
class Span:
    candidate: Candidate  # the passage the best sentence came from
    pieces: list[Piece]  # one per passage the answer runs through, in document order
    score: float
    sentence_dense: float  # the best sentence's own evidence, for confidence
    sentence_lexical: float

    @property
    def text(self) -> str:
        """The answer, verbatim: the pieces joined by the whitespace that separates them in the document."""
        text = self.pieces[0].text
        for before, piece in zip(self.pieces, self.pieces[1:]):
            # Passages of one document are cut at sentence or paragraph ends; cleaning left one space
            # between sentences and a blank line between paragraphs.
            gap = (piece.passage.start + piece.start) - (before.passage.start + before.end)
            text += (" " if gap <= 1 else "\n\n") + piece.text
        return text


def asks_for_amount(question: str) -> bool:
    """Whether ``question`` asks for a figure: "how many ...", "what was the total ...", "what percent ..."."""
    return bool(_AMOUNT_QUESTION.search(question))


def best_span(candidates: list[Candidate], following: Callable[[StoredPassage, int], list[StoredPassage]],
              amount: bool = False) -> Span | None:
    """The best-scoring sentence of ``candidates``; ``following(passage, n)`` gives the passages after one.
    ``amount``: the question asks for a figure (asks_for_amount), which a table row is likeliest to give."""
    if not candidates:
        return None
    top = candidates[0].score
    best: tuple[float, Candidate, int] | None = None
    for cand in candidates:
        for i in range(len(cand.passage.sentence_spans)):
            score = (SENTENCE_WEIGHTS["dense"] * float(cand.sentence_dense_scores[i])
                     + SENTENCE_WEIGHTS["lexical"] * cand.sentence_lexical_scores[i]
                     + SENTENCE_WEIGHTS["passage"] * (cand.score - top)
                     + (TABLE_ROW_BONUS if amount and cand.passage.table is not None else 0.0))
            if best is None or score > best[0]:
                best = (score, cand, i)
    if best is None:
        return None
    score, cand, i = best
    if cand.passage.table is not None:  # a table row is an answer on its own, shown under its header
        return Span(cand, [Piece(cand.passage, i, i)], score, float(cand.sentence_dense_scores[i]), cand.sentence_lexical_scores[i])
    pieces = _enumeration(cand.passage, i, following)
    # "This gap creates ..." means little without the sentence before it.
    if i > 0 and _ANAPHOR.match(_sentence_text(cand.passage, i)) and _same_paragraph((cand.passage, i - 1), (cand.passage, i)):
        pieces[0].first = i - 1
    return Span(cand, pieces, score, float(cand.sentence_dense_scores[i]), cand.sentence_lexical_scores[i])


def enumeration_item(span: Span, n: int) -> Span | None:
    """Item ``n`` (1-based; -1 for the last) of the list an answer quoted, as an answer of its own."""
    sentences = [(piece.passage, i) for piece in span.pieces for i in range(piece.first, piece.last + 1)]
    numbers = [_marker_number(_sentence_text(p, i)) for p, i in sentences]
    items = [k for k, number in enumerate(numbers) if number is not None]
    if not items or not (n == -1 or 1 <= n <= len(items)):
        return None
    first = items[n - 1] if n > 0 else items[-1]
    last = first
    # The item goes on while its paragraph does, up to the next item.
    while (last + 1 < len(sentences) and last - first < 2 and numbers[last + 1] is None
           and _same_paragraph(sentences[last], sentences[last + 1])):
        last += 1
    return Span(span.candidate, _pieces(sentences[first : last + 1]), span.score, span.sentence_dense, span.sentence_lexical)


def _sentence_text(passage: StoredPassage, i: int) -> str:
    start, end = passage.sentence_spans[i]
    return passage.text[start:end]


def _marker_number(sentence: str) -> int | None:
    """1 for "First, ..." or "(1) ...", 2 for "Second", ...; 0 for an unnumbered item (bullet, "Finally")."""
    match = _MARKER.match(sentence)
    if not match:
        return None
    if match["paren"]:
        value = match["paren"]
        return int(value) if value.isdigit() else ord(value.lower()) - ord("a") + 1
    if match["num"]:
        return int(match["num"])
    if match["word"]:
        return ORDINALS.get(match["word"].lower(), 0)
    return 0


def _enumeration(passage: StoredPassage, index: int, following) -> list[Piece]:
    """The sentence at ``index``, grown over the enumeration it introduces, if it introduces one."""
    sentences = [(passage, i) for i in range(len(passage.sentence_spans))]
    fetched = False

    def available(k: int) -> bool:
        # The list may run on into the next passages of the document; fetch them only then.
        nonlocal fetched
        if k >= len(sentences) and not fetched:
            fetched = True
            for nxt in following(passage, 3):
                sentences.extend((nxt, i) for i in range(len(nxt.sentence_spans)))
        return k < len(sentences)

    def text(k: int) -> str:
        return _sentence_text(*sentences[k])

    end = index
    if available(index + 1) and _marker_number(text(index + 1)) in (0, 1):
        expected, last_item = 2, index + 1
        for k in range(index + 2, index + MAX_RUN):
            if k - last_item > MAX_GAP or not available(k):
                break
            number = _marker_number(text(k))
            if number is not None and number in (0, expected):
                expected, last_item = expected + 1, k
        end = last_item
        # The last item's explanation runs to the end of its paragraph.
        while end + 1 < index + MAX_RUN and available(end + 1) and _same_paragraph(sentences[end], sentences[end + 1]):
            end += 1
    return _pieces(sentences[index : end + 1])


def _same_paragraph(a: tuple[StoredPassage, int], b: tuple[StoredPassage, int]) -> bool:
    (pa, ia), (pb, ib) = a, b
    return (pb.start + pb.sentence_spans[ib][0]) - (pa.start + pa.sentence_spans[ia][1]) <= 1


def _pieces(sentences: list[tuple[StoredPassage, int]]) -> list[Piece]:
    pieces: list[Piece] = []
    for passage, i in sentences:
        if pieces and pieces[-1].passage.id == passage.id:
            pieces[-1].last = i
        else:
            pieces.append(Piece(passage, i, i))
    return pieces
