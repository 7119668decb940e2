"""A small library of hand-written reports, indexed with the real model, FAISS and SQLite, for the answer tests."""
from __future__ import annotations

from pathlib import Path

from ingest.pipeline import add_files
from qa.pipeline import QAPipeline


def small_library(root: Path, embedder, files: dict[str, str]) -> QAPipeline:
    """The pipeline over an index of ``files`` (file name: text), written to ``root``/reports and indexed in
    ``root``/index."""
    folder = root / "reports"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    index = root / "index"
    results = add_files([folder], index, embedder=embedder, progress=False)
    assert [r.status for r in results] == ["added"] * len(files), results
    return QAPipeline(index, embedder)
