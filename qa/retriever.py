"""Hybrid retrieval: dense (FAISS) and lexical (SQLite FTS5 BM25) passage lists, fused by reciprocal rank."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ingest.store import IndexReader, StoredPassage

# Function words carry no evidence and make BM25's OR-query slow on a large index.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between both
    but by can could did do does doing down during each few for from further had has have having he her here hers
    herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves s t don also many much""".split()
)
_TOKEN = re.compile(r"\w+", re.UNICODE)


def content_words(text: str) -> list[str]:
    """Lower-cased words of ``text`` minus stopwords, in order, without repeats."""
    seen: dict[str, None] = {}
    for word in _TOKEN.findall(text.lower()):
        if word not in STOPWORDS and word not in seen:
            seen[word] = None
    return list(seen)


def fts_match_expression(text: str) -> str:
    """An FTS5 query that ORs the words of ``text``. Each word is quoted, so no user text is read as syntax."""
    return " OR ".join(f'"{word}"' for word in content_words(text)[:32])


@dataclass
class Candidate:
    passage: StoredPassage
    score: float  # fused score, higher is better
    dense: float  # cosine similarity with the query (0 when only the lexical list found it)
    lexical: float  # BM25, higher is better (0 when only the dense list found it)


class HybridRetriever:
    def __init__(self, index: IndexReader, depth: int = 50, rrf_k: int = 60):
        self.index = index
        self.depth = depth
        self.rrf_k = rrf_k

    def retrieve(self, query: str, query_vector: np.ndarray, k: int = 5) -> list[Candidate]:
        dense = self.index.dense_search(query_vector, self.depth)
        lexical = self.index.lexical_search(fts_match_expression(query), self.depth)
        fused: dict[int, float] = {}
        for ranked in (dense, lexical):
            for rank, (pid, _) in enumerate(ranked):
                fused[pid] = fused.get(pid, 0.0) + 1.0 / (self.rrf_k + rank + 1)
        top = sorted(fused, key=fused.get, reverse=True)[:k]
        passages = self.index.passages(top)
        dense_scores, lexical_scores = dict(dense), dict(lexical)
        return [
            Candidate(passages[pid], fused[pid], dense_scores.get(pid, 0.0), lexical_scores.get(pid, 0.0))
            for pid in top
            if pid in passages  # a passage removed since this generation's FAISS file was loaded
        ]
