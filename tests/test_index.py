"""The index directory: generations, duplicates, replacement, removal."""
from __future__ import annotations

import faiss

from ingest.index import Index
from ingest.index import reader as reader_module
from ingest.pipeline import add_files, remove_documents


def test_seed_index_has_the_report(seed_index):
    reader = Index(seed_index)
    (doc,) = reader.documents()
    assert doc.title.startswith("2020 Asia Pacific Space Diplomacy Dialogue")
    assert doc.passages == reader.passage_count() > 5
    assert reader.generation == 1


def test_adding_the_same_file_again_changes_nothing(scratch_index, embedder):
    from conftest import CORPUS

    results = add_files([CORPUS], scratch_index, embedder=embedder, progress=False)
    assert [r.status for r in results] == ["unchanged"]
    reader = Index(scratch_index)
    assert len(reader.documents()) == 1 and reader.generation == 1


def test_changed_file_replaces_its_old_version(tmp_path, embedder):
    index = tmp_path / "index"
    report = tmp_path / "report.txt"
    report.write_text("The budget grew by ten percent in 2023.")
    (first,) = add_files([report], index, embedder=embedder, progress=False)
    report.write_text("The budget grew by twelve percent in 2023.")
    (second,) = add_files([report], index, embedder=embedder, progress=False)
    assert (first.status, second.status) == ("added", "replaced")
    reader = Index(index)
    assert [d.id for d in reader.documents()] == [second.doc_id]
    assert reader.passage_count() == 1
    assert reader.lexical_search('"ten"', 5) == []
    assert len(reader.lexical_search('"twelve"', 5)) == 1


def test_a_search_and_the_same_search_within_reports_come_from_one_scoring(tmp_path, embedder, monkeypatch):
    """lexical_search_also_within scores the matches once for both: the same hits, ties and limits included, whether
    the reports' passages are listed or joined (LISTED_PASSAGES_MAX)."""
    reports = {"a.txt": "Satellites monitor crops. Drought reduced the harvest.",
               "b.txt": "Satellites monitor crops. Floods reduced the harvest.",
               "c.txt": "Satellites monitor crops.", "d.txt": "Satellites monitor forests and the harvest."}
    for name, text in reports.items():
        (tmp_path / name).write_text(text)
    docs = [r.doc_id for r in add_files(sorted(tmp_path.glob("*.txt")), tmp_path / "index", embedder=embedder, progress=False)]
    reader = Index(tmp_path / "index")
    found = {}
    for listed_max in (reader_module.LISTED_PASSAGES_MAX, 0):
        monkeypatch.setattr(reader_module, "LISTED_PASSAGES_MAX", listed_max)
        for match in ('"satellites"', '"harvest" OR "forests"', '"crops"', '"nothing"', ""):
            for k in (1, 2, 10):
                for within in ([docs[0]], docs[1:3], docs, []):
                    both = reader.lexical_search_also_within(match, k, within)
                    assert both == (reader.lexical_search(match, k), reader.lexical_search(match, k, within))
                    found.setdefault((match, k, tuple(within)), both)
                    assert found[match, k, tuple(within)] == both
    everywhere, in_two = reader.lexical_search_also_within('"satellites"', 10, docs[1:3])
    assert len(everywhere) == 4 and {reader.passages([pid])[pid].doc_id for pid, _ in in_two} == set(docs[1:3])


def test_bad_file_is_rejected_while_the_batch_goes_in(tmp_path, embedder):
    good = tmp_path / "good.txt"
    good.write_text("Satellites monitor crops.")
    bad = tmp_path / "bad.pdf"
    bad.write_bytes(b"%PDF-1.4 not really")
    results = add_files([bad, good], tmp_path / "index", embedder=embedder, progress=False)
    assert [r.status for r in results] == ["rejected", "added"]
    assert len(Index(tmp_path / "index").documents()) == 1


def test_remove_deletes_passages_vectors_and_lexical_rows(scratch_index):
    reader = Index(scratch_index)
    (doc,) = reader.documents()
    removed = remove_documents([doc.id, "nosuchid"], scratch_index)
    assert {target: [r.id for r in records] for target, records in removed.items()} == {doc.id: [doc.id], "nosuchid": []}
    assert reader.refresh() is True
    assert reader.generation == 2
    assert reader.documents() == [] and reader.passage_count() == 0
    assert reader.lexical_search('"space"', 5) == []
    # only the current generation's FAISS file is kept
    files = sorted(p.name for p in scratch_index.glob("*.faiss"))
    assert files == ["passages-000002.faiss"]
    assert faiss.read_index(str(scratch_index / files[0])).ntotal == 0


def test_document_frequencies_follow_the_generation(scratch_index, embedder, tmp_path):
    reader = Index(scratch_index)
    assert reader.document_frequencies(["wheat", "space"])["wheat"] == 0
    extra = tmp_path / "extra.txt"
    extra.write_text("Wheat harvests in Kansas fell by a third in 2022. Drought was the main cause.")
    add_files([extra], scratch_index, embedder=embedder, progress=False)
    assert reader.document_frequencies(["wheat"]) == {"wheat": 0}  # still the generation it serves
    assert reader.refresh()
    assert reader.document_frequencies(["wheat"]) == {"wheat": 1}
