from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from ingest import settings
from ingest.embedder import get_embedder
from ingest.pipeline import add_files

settings.configure_process()  # the test run is a process of ours, as the commands and the app are

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"
INGEST = str(Path(sys.executable).parent / "ingest")  # the console script staff run


def ingest(*args: str, index: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the real `ingest` command on ``index``, ``env`` added to the environment; output captured as text."""
    return subprocess.run([INGEST, *args, "--index", str(index)], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "COLUMNS": "200", **(env or {})})


@pytest.fixture(autouse=True)
def private_corpus_dir(tmp_path, monkeypatch) -> Path:
    """Commands that default to ./corpus (remove, rebuild, the staff page) must never touch the repository's corpus."""
    corpus = tmp_path / "corpus"
    monkeypatch.setenv("QA_CORPUS_DIR", str(corpus))
    return corpus


@pytest.fixture(autouse=True)
def private_app_db(tmp_path, monkeypatch) -> Path:
    """The web app's database (readers' ratings) of a test: never the repository's app-data/."""
    db = tmp_path / "app-data" / "app.sqlite"
    monkeypatch.setenv("QA_APP_DB", str(db))
    return db


@pytest.fixture(scope="session")
def embedder():
    return get_embedder()


@pytest.fixture(scope="session")
def seed_index(tmp_path_factory, embedder) -> Path:
    """An index of the seed corpus, built once per test run. Tests must not change it."""
    index = tmp_path_factory.mktemp("seed") / "index"
    results = add_files([CORPUS], index, embedder=embedder, progress=False)
    assert [r.status for r in results] == ["added"]
    return index


@pytest.fixture
def scratch_index(tmp_path, seed_index) -> Path:
    """A private copy of the seed index that a test may change."""
    copy = tmp_path / "index"
    shutil.copytree(seed_index, copy, ignore=shutil.ignore_patterns(".lock"))
    return copy
