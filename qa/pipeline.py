"""The question-answering pipeline: the one entry point the CLI, the app and evaluation all call."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

from ingest import settings
from ingest.embedder import Embedder, get_embedder
from ingest.store import IndexReader, IndexUnavailable

from .models import NOT_FOUND, Answer, Citation
from .reader import Span, best_span
from .retriever import Candidate, HybridRetriever

MAX_QUESTION_CHARS = 1000
# Below this score the best sentence is more likely unrelated than an answer.
ABSTAIN_BELOW = 0.45


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

    def _refresh(self) -> None:
        if self.index.current_generation() != self.index.generation:
            self.index.refresh()
            # `ingest rebuild` may have re-embedded everything with another model: questions must follow.
            if self.index.model and self.index.model != self.embedder.name:
                self.embedder = get_embedder(self.index.model)

    def ask(self, question: str, history: Sequence[str] = ()) -> Answer:
        question = " ".join(str(question or "").split())[:MAX_QUESTION_CHARS]
        if not question:
            return Answer(question, "Please type a question about the reports.", True, 0.0)
        self._refresh()
        vector = self.embedder.embed([question])[0]
        candidates = self.retriever.retrieve(question, vector, k=5)
        span = best_span(question, vector, candidates[:3])
        confidence = _confidence(span)
        if span is None or span.score < ABSTAIN_BELOW:
            return Answer(question, NOT_FOUND, True, confidence, related=[self._cite(c) for c in candidates[:3]])
        return Answer(question, span.text, False, confidence, citations=[self._cite(span.candidate, span)])

    def _cite(self, cand: Candidate, span: Span | None = None) -> Citation:
        p = cand.passage
        doc = self.index.document(p.doc_id)
        return Citation(
            doc_id=p.doc_id,
            title=doc.title if doc else p.doc_id,
            page=p.page,
            passage=p.text,
            start=span.start if span else 0,
            end=span.end if span else 0,
            score=round(cand.score, 6),
            source=doc.source if doc else "",
            url=doc.url if doc else "",
            date=doc.date if doc else "",
            passage_id=p.id,
        )


def _confidence(span: Span | None) -> float:
    if span is None:
        return 0.0
    return round(min(1.0, max(0.0, span.score)), 3)
