"""Passages keep their word stems in the index, so a question never stems passage text; older indexes still answer."""
from __future__ import annotations

import dataclasses
import random
import sqlite3
import string
from concurrent.futures import ThreadPoolExecutor

from ingest.index import SCHEMA_VERSION, Index, IndexWriter, verify
from ingest.text import stem, stem_sequence
from qa.pipeline import QAPipeline
from qa.retriever import HybridRetriever


def test_stems_are_stored_and_read_with_each_passage(seed_index):
    reader = Index(seed_index)
    passages = reader.passages(list(range(1, reader.passage_count() + 1))).values()
    assert passages and all(p.encoded_stems is not None for p in passages)
    for p in passages:
        assert p.stem_sequence == stem_sequence(p.text)
        assert p.sentence_stem_sequences == [stem_sequence(p.text[s:e]) for s, e in p.sentence_spans]


def test_stemming_on_many_threads_at_once_gives_each_word_its_own_stem():
    """The app answers several users at once; CI once saw a shared stemmer raise IndexError mid-word under load."""
    rng = random.Random(7)
    words = ["".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 12))) + rng.choice(["ational", "ization",
             "fulness", "iveness", "ing", "ed"]) for _ in range(20_000)]
    stem.cache_clear()
    with ThreadPoolExecutor(8) as pool:
        together = list(pool.map(lambda chunk: [stem(w) for w in chunk], [words[i::8] for i in range(8)]))
    stem.cache_clear()
    alone = [[stem(w) for w in words[i::8]] for i in range(8)]
    assert together == alone


def test_reranking_reads_the_stored_stems_not_the_text(seed_index, embedder):
    reader = Index(seed_index)
    retriever = HybridRetriever(reader)
    query = retriever.prepare("xyzzy plover", embedder.embed(["xyzzy plover"])[0])
    passage = reader.passages([1])[1]
    assert retriever._score(query, passage, 0.0).features["passage_lexical"] == 0.0
    words = " ".join(stem_sequence("xyzzy plover"))
    marked = dataclasses.replace(passage, encoded_stems="\n".join([words] * len(passage.sentence_spans)))
    features = retriever._score(query, marked, 0.0).features
    assert features["passage_lexical"] == features["sentence_lexical"] == features["bigram"] == 1.0


def _as_version_1(index_dir) -> None:
    """What an index written before stems (and tables) were kept looks like."""
    with sqlite3.connect(index_dir / "index.sqlite") as conn:
        conn.execute("ALTER TABLE passages DROP COLUMN stems")
        conn.execute("ALTER TABLE passages DROP COLUMN table_json")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
        conn.execute("DROP TABLE IF EXISTS migrations")  # nor were migrations recorded then


def test_an_index_without_stems_answers_alike_and_the_next_writer_stores_them(seed_index, scratch_index, embedder):
    questions = ["What obstacles hinder cooperation in space?", "Who prepared the report?"]
    expected = [QAPipeline(seed_index, embedder).ask(q) for q in questions]
    _as_version_1(scratch_index)
    old = verify(scratch_index)
    assert old.ok and any("no stored word stems" in note for note in old.notes)
    assert [QAPipeline(scratch_index, embedder).ask(q) for q in questions] == expected

    with IndexWriter(scratch_index):  # no change: only brings the index up to date
        pass
    with sqlite3.connect(scratch_index / "index.sqlite") as conn:
        assert conn.execute("SELECT COUNT(*) FROM passages WHERE stems IS NULL").fetchone() == (0,)
        assert dict(conn.execute("SELECT key, value FROM meta"))["schema_version"] == str(SCHEMA_VERSION)
    reader = Index(scratch_index)
    assert reader.generation == 1  # answers do not change, so no new generation
    assert [p.stem_sequence for p in reader.passages([1, 2]).values()] == [p.stem_sequence for p in Index(seed_index).passages([1, 2]).values()]
    assert [QAPipeline(scratch_index, embedder).ask(q) for q in questions] == expected
    migrated = verify(scratch_index)
    assert migrated.ok and migrated.notes == []


def test_verify_finds_stems_that_no_longer_match_their_text(scratch_index):
    with sqlite3.connect(scratch_index / "index.sqlite") as conn:
        conn.execute("UPDATE passages SET stems = 'xyzzy' WHERE id = 1")
    result = verify(scratch_index)
    assert not result.ok and "1 passages' stored word stems differ from their text" in result.problems[0]
