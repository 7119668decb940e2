"""Lexical search looks for the question's rarer words only: a word most passages have costs FTS5 its whole
posting list and hardly changes which passages come first."""
from __future__ import annotations

import numpy as np

from qa.retriever import COMMON_WORD_SHARE, MIN_MATCH_WORDS, HybridRetriever

N = 10_000  # passages
COMMON = int(COMMON_WORD_SHARE * N) + 1  # passages that a word is too common to search for in


class _Counts:
    """Just what HybridRetriever.prepare asks an index: its size and its words' document frequencies."""

    def __init__(self, df: dict[str, int]):
        self.df = df

    def passage_count(self) -> int:
        return N

    def document_frequencies(self, terms: list[str]) -> dict[str, int]:
        return {t: self.df.get(t, 0) for t in terms}


def _searched(df: dict[str, int], question: str) -> set[str]:
    match = HybridRetriever(_Counts(df)).prepare(question, np.zeros(4)).match
    return {word.strip('"') for word in match.split(" OR ")} if match else set()


def test_common_words_are_left_out_and_rare_ones_kept():
    df = {"obstacl": 3, "hinder": COMMON - 1, "cooper": COMMON, "space": 10 * COMMON}
    assert _searched(df, "What obstacles hinder cooperation in space?") == {"obstacles", "hinder"}
    # words no passage has cost nothing and are kept too
    assert _searched(df, "What obstacles hinder xyzzy plover in space?") == {"obstacles", "hinder", "xyzzy", "plover"}


def test_the_rarest_words_are_kept_when_all_are_common():
    df = {"obstacl": 3 * COMMON, "hinder": 2 * COMMON, "cooper": COMMON, "space": 10 * COMMON}
    by_rarity = ["cooperation", "hinder", "obstacles", "space"]
    assert _searched(df, "What obstacles hinder cooperation in space?") == set(by_rarity[:MIN_MATCH_WORDS])
    assert _searched(df, "obstacles in space") == set(["obstacles", "space"][:MIN_MATCH_WORDS])
    assert _searched(df, "space?") == {"space"}
    # a search is empty only when the question has no content words at all
    assert _searched(df, "What is it?") == set()
