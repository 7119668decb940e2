"""Hybrid retrieval: a pool from dense (FAISS) and lexical (SQLite FTS5 BM25) search, reranked on evidence.

The pool is the union of both top lists. Each pooled passage is scored by a weighted sum of
features measured on it and on its sentences, so a passage whose one sentence matches the
question closely beats one that matches loosely all over. The weights were fitted on
SQuAD v1.1 dev (bench/tune_weights.py); on it this lifts the first-place hit rate from
0.76 (reciprocal rank fusion of the two lists) to 0.88, and the top-five one from 0.95 to 0.97.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from typing import Mapping, Sequence

import numpy as np

from ingest.index import Index, StoredPassage
from ingest.text import content_words, fts_match_expression, stem, stem_sequence, stems

from .answer_key import asked_heads, labels_name
from .verb_forms import OTHER_FORMS

# A passage under a heading that names just what is asked ("Mission" for "What is the mission of ...?", "Key
# findings" for "What were the key findings?") is where a report states it, though a sentence elsewhere that repeats
# the question's words resembles the question more. Prose without headings (SQuAD, plain text) is scored as before.
HEADING_WEIGHT = 0.35
# A passage holding a form field whose label names what is asked ("Agency: ..." for "which agency filed ...") holds
# the answer, though the field shares one word with the question (qa/answer_key.py labels_name); 0 on prose.
FIELD_WEIGHT = 0.3
FEATURES = ("dense", "bm25", "sentence_dense", "sentence_lexical", "passage_lexical", "bigram", "title", "heading", "field")
WEIGHTS = {"dense": 0.5, "bm25": 0.0, "sentence_dense": 0.75, "sentence_lexical": 0.25,
           "passage_lexical": 0.5, "bigram": 0.2, "title": 0.2, "heading": HEADING_WEIGHT, "field": FIELD_WEIGHT}
# Lexical search leaves out the question's words found in more than this share of passages: FTS5 scores
# every passage holding any word of its OR-query, and such a word costs most of that while adding little
# to which passages come first. The rarest MIN_MATCH_WORDS are always searched for. On SQuAD dev (2000
# questions) 1% and 1 word lose nothing in passage hits at 1 and 5; keeping 2 words was slower and no better.
COMMON_WORD_SHARE = 0.01
MIN_MATCH_WORDS = 1
# What a passage gains from being in a report the question names (weight 1): about a third of a good
# passage's score, enough to lift its sentences over another report's equally worded ones.
PREFER_WEIGHT = 0.4


# What a word naming the preferred reports counts for in the word overlap of passages and sentences: the preference
# already favours those reports, and "the Department of Labor's" must not pick the sentence that repeats the name.
NAMING_SHARE = 0.25


@dataclass
class Query:
    """A question, prepared once for every passage it is compared with."""

    text: str  # the question, and the earlier question it leans on
    match: str  # what lexical search looks for: the FTS5 query of the rarer words of ``text``
    vector: np.ndarray  # embedding of ``text``: finds the passages
    own_vector: np.ndarray  # embedding of the question alone: with ``vector``, picks the sentence
    terms: list[str]  # stemmed content words of the question itself
    sequence: list[str]  # stemmed content words of ``text`` in order, for word pairs
    weights: dict[str, float]  # evidence per stemmed word: IDF, the question's own words counting double
    unknown: float  # share of the question's evidence in words no passage contains: a sign it is off-topic
    naming: frozenset[str] = frozenset()  # stems of the words that name the preferred reports, not what is asked
    heads: frozenset[str] = frozenset()  # what a form's label would call the answer (qa/answer_key.py asked_heads)
    forms: dict[str, frozenset[str]] = field(default_factory=dict)  # an irregular verb's other forms, per stem

    @cached_property
    def _evidence(self) -> float:  # summed once: overlap is asked of every sentence of every pooled passage
        return sum(self.weights.values()) or 1.0

    def overlap(self, words: set[str]) -> float:
        """Share of the question's evidence (IDF-weighted words) found in ``words``, a verb in any of its forms."""
        return sum(w for t, w in self.weights.items()
                   if t in words or (t in self.forms and not self.forms[t].isdisjoint(words))) / self._evidence


@dataclass
class Candidate:
    passage: StoredPassage
    score: float  # higher is better
    features: dict[str, float]
    sentence_dense_scores: np.ndarray  # per sentence: cosine with the question
    sentence_lexical_scores: list[float] = field(default_factory=list)  # per sentence: IDF-weighted word overlap
    title: frozenset[str] = frozenset()  # the stems of its report's title


class HybridRetriever:
    def __init__(self, index: Index, depth: int = 30, weights: dict[str, float] | None = None):
        self.index = index
        self.depth = depth
        self.weights = weights or WEIGHTS
        self._title_terms: dict[str, frozenset[str]] = {}  # stemmed title words per report, of generation _titles_of
        self._titles_of = -1

    def prepare(self, question: str, vector: np.ndarray, context: str = "", own_vector: np.ndarray | None = None,
                naming: Sequence[str] = ()) -> Query:
        """``context`` is an earlier question this one leans on ("What about Japan?"): its words count too, half as much.
        ``naming``: stems of the question's words that name the reports it prefers ("the Department of Labor's"): the
        preference already favours those reports, so lexical search looks for what is asked of them."""
        terms, context_terms = stems(question), [t for t in stems(context) if t not in stems(question)]
        n = max(self.index.passage_count(), 1)
        df = self.index.document_frequencies(terms + context_terms)
        # BM25's IDF, which stays above zero so that a word found in every passage still counts a little.
        idf = {t: math.log(1 + (n - df.get(t, 0) + 0.5) / (df.get(t, 0) + 0.5)) for t in terms + context_terms}
        weights = {t: idf[t] * (1.0 if t in terms else 0.5) * (NAMING_SHARE if t in naming else 1.0) for t in idf}
        unknown = sum(idf[t] for t in terms if not df.get(t)) / (sum(idf[t] for t in terms) or 1.0)
        own = vector if own_vector is None else own_vector
        text = f"{context} {question}".strip()
        words = content_words(text)
        by_rarity = sorted([w for w in words if stem(w) not in naming] or words, key=lambda w: df.get(stem(w), 0))
        searched = [w for i, w in enumerate(by_rarity) if i < MIN_MATCH_WORDS or df.get(stem(w), 0) <= COMMON_WORD_SHARE * n]
        return Query(text, fts_match_expression(searched), vector, own, terms, stem_sequence(text), weights, unknown,
                     frozenset(naming), asked_heads(question), {t: OTHER_FORMS[t] for t in weights if t in OTHER_FORMS})

    def retrieve(self, query: Query, k: int = 10, within: Sequence[str] | None = None,
                 prefer: Mapping[str, float] | None = None, depth: int | None = None) -> list[Candidate]:
        """The ``k`` best passages; ``within``: of these documents only; ``prefer``: documents whose passages gain
        PREFER_WEIGHT times their weight (0..1), the reports a question names without singling them out."""
        depth = depth or self.depth
        dense = self.index.dense_search(query.vector, depth, within)
        if prefer and within is None:
            # The preferred reports' own best matches join the pool: elsewhere in a large library the same words
            # may fill the whole top list ("mission" in every strategic plan).
            named = most_preferred(prefer)
            dense = dense + self.index.dense_search(query.vector, depth, named)
            everywhere, in_named = self.index.lexical_search_also_within(query.match, depth, named)
            lexical = {**dict(in_named), **dict(everywhere)}
        else:
            lexical = dict(self.index.lexical_search(query.match, depth, within))
        pool = list(dict.fromkeys([pid for pid, _ in dense] + list(lexical)))
        passages = self.index.passages(pool)
        top_bm25 = max(lexical.values(), default=0.0) or 1.0
        candidates = []
        for pid in pool:
            passage = passages.get(pid)
            if passage is None:  # removed since this generation's FAISS file was loaded
                continue
            candidate = self._score(query, passage, lexical.get(pid, 0.0) / top_bm25)
            if prefer:
                candidate.score += PREFER_WEIGHT * prefer.get(passage.doc_id, 0.0)
            candidates.append(candidate)
        candidates.sort(key=lambda c: c.score, reverse=True)
        return candidates[:k]

    def candidates(self, query: Query, passages: Sequence[StoredPassage]) -> list[Candidate]:
        """Passages found another way (a signature block), scored as retrieval scores its own, without BM25."""
        return [self._score(query, passage, 0.0) for passage in passages]

    def _score(self, query: Query, passage: StoredPassage, bm25: float) -> Candidate:
        sentence_dense = np.zeros(0)
        if passage.sentence_spans:
            # A follow-up's sentence should fit both the conversation and the question itself.
            sentence_dense = (passage.sentence_vectors @ query.vector + passage.sentence_vectors @ query.own_vector) / 2
        # A heading speaks for every sentence under it: under "Mission", "To deliver ..." answers "What is the mission?".
        heading = set(stems(passage.heading)) if passage.heading else set()
        sentence_lexical = [query.overlap(set(words) | heading) for words in passage.sentence_stem_sequences]
        title = self._title(passage.doc_id)
        features = {
            "dense": float(passage.vector @ query.vector),
            "bm25": bm25,
            "sentence_dense": float(sentence_dense.max(initial=0.0)),
            "sentence_lexical": max(sentence_lexical, default=0.0),
            "passage_lexical": query.overlap(set(passage.stem_sequence)),
            "bigram": _bigram_overlap(query.sequence, passage.stem_sequence),
            "title": query.overlap(title),
            "heading": heading_focus(query, heading),
            "field": float(labels_name(query.heads, passage.text)),
        }
        score = sum(self.weights[name] * value for name, value in features.items())
        return Candidate(passage, score, features, sentence_dense, sentence_lexical, title)

    def _title(self, doc_id: str) -> frozenset[str]:
        """Stemmed words of a report's title, stemmed once per generation (a rebuild may retitle it)."""
        if self._titles_of != self.index.generation:
            self._title_terms, self._titles_of = {}, self.index.generation
        if doc_id not in self._title_terms:
            doc = self.index.document(doc_id)
            self._title_terms[doc_id] = frozenset(stems(doc.title)) if doc else frozenset()
        return self._title_terms[doc_id]


def most_preferred(prefer: Mapping[str, float] | None) -> list[str]:
    """The reports a question prefers most strongly (those its words name best)."""
    strongest = max(prefer.values(), default=0.0) if prefer else 0.0
    return [d for d, w in (prefer or {}).items() if w >= strongest]


def heading_focus(query: Query, heading: set[str]) -> float:
    """How exactly a heading names what the question asks: the share of the asked words' evidence the heading holds,
    times the share of the heading's words that the question asks about ("Mission" for "What is EPA's mission?": 1)."""
    asked = {t: query.weights[t] for t in query.terms if t not in query.naming}
    if not heading or not asked:
        return 0.0
    recall = sum(w for t, w in asked.items() if t in heading) / (sum(asked.values()) or 1.0)
    return recall * len(heading & asked.keys()) / len(heading)


def _bigram_overlap(question: list[str], passage: list[str]) -> float:
    """Share of the question's adjacent word pairs that the passage has too (phrases, names)."""
    pairs = set(zip(question, question[1:]))
    if not pairs:
        return 0.0
    return len(pairs & set(zip(passage, passage[1:]))) / len(pairs)
