"""Small hand-made passages for the unit tests of the reader and the retriever: no model, no index file.

Vectors live in a tiny space of DIM dimensions, one axis per topic, so that a test states outright which sentence
resembles the question (cosine 1 on the same axis, 0 across axes)."""
from __future__ import annotations

import numpy as np

from ingest.models import Table
from ingest.index import StoredPassage

DIM = 4


def axis(i: int, weight: float = 1.0) -> np.ndarray:
    """A vector along topic ``i`` (its cosine with ``axis(i)`` is ``weight``)."""
    vector = np.zeros(DIM, dtype=np.float32)
    vector[i] = weight
    return vector


def passage(paragraphs: list[list[str]], *, id: int = 1, doc_id: str = "report", start: int = 0, ordinal: int = 0,
            heading: str = "", vector: np.ndarray | None = None, sentence_vectors: list[np.ndarray] | None = None,
            table: Table | None = None) -> StoredPassage:
    """A passage of ``paragraphs`` (each a list of sentences), laid out as cleaning leaves a document's text: one space
    between sentences, a blank line between paragraphs. ``start``: its offset in the document's text."""
    text, spans = "", []
    for p, sentences in enumerate(paragraphs):
        for s, sentence in enumerate(sentences):
            text += "\n\n" if p and not s else (" " if s else "")
            spans.append((len(text), len(text) + len(sentence)))
            text += sentence
    vectors = np.stack(sentence_vectors) if sentence_vectors else np.zeros((len(spans), DIM), dtype=np.float32)
    return StoredPassage(id=id, doc_id=doc_id, ordinal=ordinal, page=1, start=start, end=start + len(text), text=text,
                         vector=axis(0, 0.0) if vector is None else vector, sentence_spans=spans,
                         sentence_vectors=vectors, heading=heading, table=table)


def following(*passages: StoredPassage):
    """``following(passage, n)`` as Index.following_passages gives it, over ``passages`` in document order."""
    def after(current: StoredPassage, n: int) -> list[StoredPassage]:
        later = [p for p in passages if p.doc_id == current.doc_id and p.ordinal > current.ordinal]
        return sorted(later, key=lambda p: p.ordinal)[:n]
    return after
