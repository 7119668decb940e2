"""Pick the answer: the best sentence, or short run of adjacent sentences, from the retrieved passages."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from .retriever import Candidate, content_words

# Sentences that open or continue an enumeration: "First, ...", "(2) ...", "Finally, ...".
_ENUMERATION = re.compile(
    r"^\s*(?:\(?\d{1,2}[.)]|\(?[a-h]\)|first(?:ly)?\b|second(?:ly)?\b|third(?:ly)?\b|fourth(?:ly)?\b|fifth(?:ly)?\b|"
    r"finally\b|lastly\b|[•●▪\-–])",
    re.IGNORECASE,
)
MAX_RUN = 10  # sentences in one enumeration answer


@dataclass
class Span:
    candidate: Candidate
    first: int  # sentence indexes inside the passage, inclusive
    last: int
    score: float

    @property
    def start(self) -> int:
        return self.candidate.passage.sentence_spans[self.first][0]

    @property
    def end(self) -> int:
        return self.candidate.passage.sentence_spans[self.last][1]

    @property
    def text(self) -> str:
        return self.candidate.passage.text[self.start : self.end]


def _overlap(question_words: set[str], sentence: str) -> float:
    if not question_words:
        return 0.0
    return len(question_words & set(content_words(sentence))) / len(question_words)


def best_span(question: str, question_vector: np.ndarray, candidates: list[Candidate]) -> Span | None:
    """Score every sentence of the candidates against the question and return the best span."""
    question_words = set(content_words(question))
    best: Span | None = None
    for rank, cand in enumerate(candidates):
        p = cand.passage
        if not p.sentence_spans:
            continue
        similarities = p.sentence_vectors @ question_vector
        for i, (start, end) in enumerate(p.sentence_spans):
            score = float(similarities[i]) + 0.3 * _overlap(question_words, p.text[start:end]) - 0.02 * rank
            if best is None or score > best.score:
                best = Span(cand, i, i, score)
    return _extend_enumeration(best) if best else None


def _extend_enumeration(span: Span) -> Span:
    """Grow the span over the list it introduces or belongs to ("... abound. First, ... Second, ...")."""
    p = span.candidate.passage
    texts = [p.text[s:e] for s, e in p.sentence_spans]
    starts_list = span.last + 1 < len(texts) and _ENUMERATION.match(texts[span.last + 1])
    if not (starts_list or _ENUMERATION.match(texts[span.first])):
        return span
    last = span.last
    for j in range(span.last + 1, min(len(texts), span.first + MAX_RUN)):
        if _ENUMERATION.match(texts[j]):
            last = j
    return Span(span.candidate, span.first, last, span.score)
