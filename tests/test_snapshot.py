"""`ingest snapshot DEST` (ingest/index/snapshot.py): a whole copy of the current generation that needs no -wal or -shm
file to be read, taken consistently while a writer commits."""
from __future__ import annotations

import json
import shutil
import sqlite3

from conftest import ingest
from ingest.index import Index
from ingest.index.snapshot import snapshot
from ingest.pipeline import remove_documents


def test_the_snapshot_holds_the_current_generation_in_rollback_journal_mode(scratch_index, tmp_path):
    dest = tmp_path / "snapshots" / "one"
    made = ingest("snapshot", str(dest), index=scratch_index)
    assert made.returncode == 0, made.stderr
    generation = Index(scratch_index).generation
    assert f"snapshot of generation {generation}" in made.stdout
    assert sorted(p.name for p in dest.iterdir()) == ["index.sqlite", f"passages-{generation:06d}.faiss"]
    conn = sqlite3.connect(f"file:{dest / 'index.sqlite'}?mode=ro", uri=True)
    assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)  # a reader makes no -wal or -shm
    conn.close()
    listed = [json.loads(ingest("list", "--json", index=i).stdout) for i in (scratch_index, dest)]
    assert listed[0] == listed[1] and listed[0]


def test_an_existing_destination_is_refused_in_one_line(scratch_index, tmp_path):
    (tmp_path / "taken").mkdir()
    refused = ingest("snapshot", str(tmp_path / "taken"), index=scratch_index)
    assert refused.returncode == 2
    assert "exists already" in refused.stderr and len(refused.stderr.strip().splitlines()) == 1
    assert list((tmp_path / "taken").iterdir()) == []


def test_a_generation_committed_during_the_copy_is_the_one_copied(scratch_index, tmp_path, monkeypatch):
    """The writer deletes the FAISS file of the generation the database copy names: the copy starts again."""
    copy = shutil.copyfile
    commits = []

    def copy_after_a_commit(source, target):
        if not commits:
            doc_id = Index(scratch_index).documents()[0].id
            commits.append(remove_documents([doc_id], scratch_index))
        return copy(source, target)

    monkeypatch.setattr(shutil, "copyfile", copy_after_a_commit)  # the one ingest/index/snapshot.py calls
    before = Index(scratch_index).generation
    generation = snapshot(scratch_index, tmp_path / "snap")
    assert commits and generation == before + 1 == Index(scratch_index).generation
    copied = Index(tmp_path / "snap")
    assert copied.generation == generation and copied.documents() == []
