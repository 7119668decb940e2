"""The question-answering pipeline: the one entry point the CLI, the app and evaluation all call."""
from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ingest import settings
from ingest.embedder import Embedder, get_embedder
from ingest.store import IndexReader, IndexUnavailable, StoredPassage

from .answer_key import quote_key
from .models import NOT_FOUND, Answer, Citation
from .conversation import leans_on_history, ordinal_reference
from .reader import Piece, Span, best_span, enumeration_item
from .retriever import Candidate, HybridRetriever, Query

MAX_QUESTION_CHARS = 1000
# Logistic model of "the answer is right" on the best sentence's evidence. Below ABSTAIN_BELOW the
# system says the reports do not seem to answer the question: bench/calibrate.py prints, per threshold,
# the share of off-topic questions refused and of seed questions still answered right.
CALIBRATION = {"bias": -3.46, "sentence_dense": 2.80, "sentence_lexical": 4.23, "unknown": -2.31}
ABSTAIN_BELOW = 0.05


RETRIEVE = 10  # passages retrieved (evaluation scores hits within them)
READ = 3  # of which the reader looks for the answer in the first few
MAX_HISTORY = 3  # earlier questions a follow-up may lean on, a chain of them included


@dataclass
class Result:
    answer: Answer
    candidates: list[Candidate]  # retrieved passages, best first
    span: Span | None = None  # where the answer was quoted from
    query: Query | None = None  # what retrieval looked for, the conversation included


class QAPipeline:
    def __init__(self, index_dir: Path | None = None, embedder: Embedder | None = None):
        self.index = IndexReader(index_dir or settings.index_dir())
        self.embedder = embedder or get_embedder()
        if self.index.model and self.index.model != self.embedder.name:
            raise IndexUnavailable(
                f"the index was built with {self.index.model!r} but the configured model is {self.embedder.name!r};"
                " run `ingest rebuild`"
            )
        self.retriever = HybridRetriever(self.index)
        self._damaged_generation = None

    def _refresh(self) -> None:
        current = self.index.current_generation()
        if current not in (self.index.generation, self._damaged_generation):
            try:
                self.index.refresh()
            except IndexUnavailable as exc:
                # Keep answering from the generation already loaded; say so once, not on every question.
                self._damaged_generation = current
                print(f"Still serving generation {self.index.generation}: {exc}", file=sys.stderr, flush=True)
                return
            # `ingest rebuild` may have re-embedded everything with another model: questions must follow.
            if self.index.model and self.index.model != self.embedder.name:
                self.embedder = get_embedder(self.index.model)

    def ask(self, question: str, history: Sequence[str] = ()) -> Answer:
        return self.run(question, history).answer

    def run(self, question: str, history: Sequence[str] = ()) -> "Result":
        """Answer ``question`` and keep what led there (evaluation scores the retrieval too)."""
        question = " ".join(str(question or "").split())[:MAX_QUESTION_CHARS]
        if not question:
            return Result(Answer(question, "Please type a question about the reports.", True, 0.0), [])
        self._refresh()
        context = ""
        history = [h for h in history if h and h.strip()][-MAX_HISTORY:]
        if history and leans_on_history(question):
            earlier = self.run(history[-1], history[:-1])
            position = ordinal_reference(question)
            item = enumeration_item(earlier.span, position) if earlier.span and position is not None else None
            if item is not None:
                return self._result(question, item, earlier.candidates, earlier.query)
            context = earlier.query.text if earlier.query else history[-1]
        if context:
            vector, own_vector = self.embedder.embed([f"{context} {question}", question])
        else:
            vector = own_vector = self.embedder.embed([question])[0]
        query = self.retriever.prepare(question, vector, context, own_vector)
        candidates = self.retriever.retrieve(query, k=RETRIEVE)
        return self._result(question, best_span(candidates[:READ], self.index.following_passages), candidates, query)

    def _result(self, question: str, span: Span | None, candidates: list[Candidate], query: Query) -> "Result":
        confidence = _confidence(span, query)
        if span is None or confidence < ABSTAIN_BELOW:
            related = [self._cite(c.passage, c.score) for c in candidates[:3]]
            return Result(Answer(question, NOT_FOUND, True, confidence, related=related), candidates, None, query)
        citations = [self._cite(piece.passage, span.candidate.score, piece) for piece in span.pieces]
        citations[0].key = quote_key(question, citations[0].passage, citations[0].start, citations[0].end)
        return Result(Answer(question, span.text, False, confidence, citations=citations), candidates, span, query)

    def _cite(self, passage: StoredPassage, score: float, piece: Piece | None = None) -> Citation:
        doc = self.index.document(passage.doc_id)
        return Citation(
            doc_id=passage.doc_id,
            title=doc.title if doc else passage.doc_id,
            page=passage.page,
            passage=passage.text,
            start=piece.start if piece else 0,
            end=piece.end if piece else 0,
            score=round(score, 4),
            source=doc.source if doc else "",
            url=doc.url if doc else "",
            date=doc.date if doc else "",
            passage_id=passage.id,
        )


def _confidence(span: Span | None, query: Query) -> float:
    """P(the quoted answer is right), from the best sentence's evidence; fitted by bench/calibrate.py."""
    if span is None:
        return 0.0
    z = (CALIBRATION["bias"] + CALIBRATION["sentence_dense"] * span.sentence_dense
         + CALIBRATION["sentence_lexical"] * span.sentence_lexical + CALIBRATION["unknown"] * query.unknown)
    return round(1 / (1 + math.exp(-z)), 3)
