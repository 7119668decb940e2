from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.embedder import get_embedder
from ingest.pipeline import add_files

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"


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
