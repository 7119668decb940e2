"""Named, recorded schema migrations (ingest/index/schema.py): a new index records them all; an index written before
they were recorded, by the code of the commit before them, is adopted as it is: no rebuild, no new generation."""
from __future__ import annotations

import sqlite3
import subprocess
import sys
import tarfile

import pytest

from conftest import CORPUS, ROOT
from ingest.index import DB_NAME, SCHEMA_VERSION, Index, IndexWriter, verify
from ingest.index.schema import MIGRATIONS, applied
from qa.pipeline import QAPipeline

# The last commit whose code kept no record of migrations (ingest/store.py, schema version 4).
BEFORE_MIGRATIONS = "e26b90f569d9d7ed62ea6f6a1aa1dd4500830bd6"
VERSION_BEFORE_MIGRATIONS = "4"
QUESTIONS = ["What obstacles hinder cooperation in space?", "Who prepared the report?"]


def _recorded(index_dir) -> tuple[list[str], str]:
    with sqlite3.connect(index_dir / DB_NAME) as conn:
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()[0]
        return applied(conn), version


def _gist(answer) -> tuple:
    """What a reader sees of an answer: the quote, its sources and the confidence to two places. The old code's
    vectors differ from today's in the last bits (bfloat16 arithmetic changed), so scores may differ there."""
    return (answer.answer, answer.abstained, round(answer.confidence, 2),
            [(c.doc_id, c.passage_id, c.page, c.start, c.end, c.key) for c in answer.citations],
            [(c.doc_id, c.passage_id) for c in answer.related])


def _rows(index_dir, tables: dict[str, list[str]]) -> list:
    """The rows of ``tables`` (table: its columns), but the schema's version."""
    with sqlite3.connect(index_dir / DB_NAME) as conn:
        return [conn.execute(f"SELECT {', '.join(names)} FROM {table} ORDER BY 1").fetchall()
                for table, names in tables.items()] + [
            conn.execute("SELECT * FROM meta WHERE key != 'schema_version' ORDER BY 1").fetchall()]


def _columns(index_dir) -> dict[str, list[str]]:
    with sqlite3.connect(index_dir / DB_NAME) as conn:
        return {table: [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]
                for table in ("documents", "passages", "sentences")}


def test_a_new_index_records_every_migration_in_order(seed_index):
    assert [m.__name__ for m in MIGRATIONS] == sorted(m.__name__ for m in MIGRATIONS)
    assert all(m.__name__.startswith(f"m{n:03d}_") for n, m in enumerate(MIGRATIONS, start=1))
    assert _recorded(seed_index) == ([m.__name__ for m in MIGRATIONS], str(SCHEMA_VERSION))


@pytest.fixture(scope="module")
def index_before_migrations(tmp_path_factory):
    """An index of the seed corpus written by the code of BEFORE_MIGRATIONS, run as its own `ingest add`."""
    root = tmp_path_factory.mktemp("before-migrations")
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", BEFORE_MIGRATIONS, "ingest"], capture_output=True)
    if archive.returncode != 0:
        pytest.skip(f"commit {BEFORE_MIGRATIONS[:8]} is not in this clone's history (a shallow clone?)")
    code = root / "code"
    code.mkdir()
    (root / "code.tar").write_bytes(archive.stdout)
    with tarfile.open(root / "code.tar") as tar:
        tar.extractall(code, filter="data")
    index = root / "index"
    # cwd first on sys.path (the venv's .pth): `ingest` is the old code's package.
    built = subprocess.run([sys.executable, "-m", "ingest.cli", "add", str(CORPUS), "--index", str(index)], cwd=code,
                           capture_output=True, text=True, timeout=600)
    assert built.returncode == 0, built.stderr
    assert not (code / "ingest" / "index").exists() and (code / "ingest" / "store.py").is_file()
    return index


@pytest.mark.slow
def test_an_index_written_before_migrations_is_read_and_adopted_without_a_rebuild(index_before_migrations, seed_index,
                                                                                 tmp_path, embedder):
    import shutil

    index = tmp_path / "index"
    shutil.copytree(index_before_migrations, index)
    assert _recorded(index) == ([], VERSION_BEFORE_MIGRATIONS)  # nothing recorded
    old_columns = _columns(index)
    before = _rows(index, old_columns)
    generation = Index(index).generation

    expected = [_gist(QAPipeline(seed_index, embedder).ask(q)) for q in QUESTIONS]
    assert [_gist(QAPipeline(index, embedder).ask(q)) for q in QUESTIONS] == expected  # read as it is
    assert any("not yet recorded" in note for note in verify(index).notes)

    with IndexWriter(index):  # a writer that changes nothing adopts it
        pass
    assert _recorded(index) == ([m.__name__ for m in MIGRATIONS], str(SCHEMA_VERSION))
    # No rebuild, no new generation: what was there is as it was; later migrations' columns hold their defaults.
    assert _rows(index, old_columns) == before and Index(index).generation == generation
    with sqlite3.connect(index / DB_NAME) as conn:
        assert conn.execute("SELECT DISTINCT note FROM passages").fetchall() == [(0,)]
    checked = verify(index)
    assert checked.ok and not any("not yet recorded" in note for note in checked.notes)
    assert [_gist(QAPipeline(index, embedder).ask(q)) for q in QUESTIONS] == expected
