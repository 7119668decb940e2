"""The FAISS index type follows the corpus size: exact while small, approximate (IVF) past a threshold.

The threshold is lowered to a few passages here so the seed corpus crosses it.
"""
from __future__ import annotations

import sqlite3

import faiss
import numpy as np

from ingest.index import Index, verify
from ingest.pipeline import add_files, remove_documents
from qa.pipeline import QAPipeline


def _faiss_files(index_dir):
    return sorted(p.name for p in index_dir.glob("passages-*"))


def test_index_turns_approximate_past_the_threshold_and_back(scratch_index, embedder, tmp_path, monkeypatch):
    seed_passages = Index(scratch_index).passage_count()
    assert isinstance(Index(scratch_index).vectors, faiss.IndexIDMap2)
    monkeypatch.setenv("QA_EXACT_SEARCH_MAX", str(seed_passages))

    extra = tmp_path / "extra.txt"
    extra.write_text("Wheat harvests in Kansas fell by a third in 2022. Drought was the main cause.")
    (added,) = add_files([extra], scratch_index, embedder=embedder, progress=False)
    reader = Index(scratch_index)
    assert isinstance(reader.vectors, faiss.IndexIVF) and reader.vectors.nprobe > 1
    assert reader.passage_count() == seed_passages + 1
    assert _faiss_files(scratch_index) == ["passages-000002.faiss"]  # written as a new generation, the old one gone

    answer = QAPipeline(scratch_index, embedder).ask("What obstacles hinder cooperation in space?")
    assert "serious obstacles for international cooperation abound" in answer.answer
    assert verify(scratch_index).ok

    # IVF removes ids in place: still approximate, the removed passage gone from dense search
    assert [d.id for d in remove_documents([added.doc_id], scratch_index)[added.doc_id]] == [added.doc_id]
    assert reader.refresh() and isinstance(reader.vectors, faiss.IndexIVF)
    assert reader.passage_count() == seed_passages
    question = embedder.embed(["What caused the wheat harvest in Kansas to fall?"])[0]
    found = {pid for pid, _ in reader.dense_search(question, seed_passages)}
    assert found == set(reader.passages(list(found))) and len(found) == seed_passages

    # far below the threshold again, the index goes back to exact search, rebuilt from SQLite's vectors
    monkeypatch.setenv("QA_EXACT_SEARCH_MAX", str(4 * seed_passages))
    (doc,) = reader.documents()
    remove_documents([doc.id], scratch_index)
    add_files([extra], scratch_index, embedder=embedder, progress=False)
    assert reader.refresh() and isinstance(reader.vectors, faiss.IndexIDMap2)
    (hit,) = reader.dense_search(question, 5)
    assert "Kansas" in reader.passages([hit[0]])[hit[0]].text
    assert _faiss_files(scratch_index) == ["passages-000005.faiss"]


def test_verify_checks_an_approximate_index_row_for_row(scratch_index, embedder, tmp_path, monkeypatch):
    monkeypatch.setenv("QA_EXACT_SEARCH_MAX", "4")
    extra = tmp_path / "extra.txt"
    extra.write_text("Wheat harvests in Kansas fell by a third in 2022. Drought was the main cause.")
    add_files([extra], scratch_index, embedder=embedder, progress=False)
    assert isinstance(Index(scratch_index).vectors, faiss.IndexIVF)
    assert verify(scratch_index).ok
    with sqlite3.connect(scratch_index / "index.sqlite") as conn:
        (blob,) = conn.execute("SELECT vector FROM passages WHERE id = 1").fetchone()
        conn.execute("UPDATE passages SET vector = ? WHERE id = 1", ((-np.frombuffer(blob, dtype=np.float16)).tobytes(),))
    assert verify(scratch_index).problems == ["1 passage vectors in passages-000002.faiss differ from those in SQLite"]


def test_search_within_documents_on_exact_and_approximate_indexes(scratch_index, embedder, tmp_path, monkeypatch):
    extra = tmp_path / "extra.txt"
    extra.write_text("Wheat harvests in Kansas fell by a third in 2022. Drought was the main cause of the space program cuts.")
    for limit in ("100000", "4"):  # exact, then approximate (IVF): the next commit rebuilds the index's type
        monkeypatch.setenv("QA_EXACT_SEARCH_MAX", limit)
        remove_documents([d.id for d in Index(scratch_index).documents() if d.source.endswith("extra.txt")], scratch_index)
        (added,) = add_files([extra], scratch_index, embedder=embedder, progress=False)
        reader = Index(scratch_index)
        assert isinstance(reader.vectors, faiss.IndexIVF) is (limit == "4")
        seed = next(d.id for d in reader.documents() if d.id != added.doc_id)
        question = embedder.embed(["What obstacles hinder cooperation in space?"])[0]
        within = reader.dense_search(question, 5, within=[added.doc_id])
        assert within and {p.doc_id for p in reader.passages([pid for pid, _ in within]).values()} == {added.doc_id}
        assert {p.doc_id for p in reader.passages([pid for pid, _ in reader.dense_search(question, 5, [seed])]).values()} == {seed}
        lexical = reader.lexical_search('"space"', 10, within=[added.doc_id])
        assert lexical and {p.doc_id for p in reader.passages([pid for pid, _ in lexical]).values()} == {added.doc_id}
        assert reader.lexical_search('"space"', 10, within=[]) == [] and reader.dense_search(question, 5, within=[]) == []
