"""Background ingest jobs (ingest/jobs.py): live progress, one commit at the end, and a job that fails or is
cancelled leaves the index exactly as it was."""
from __future__ import annotations

import hashlib
import os
import signal
import time
from pathlib import Path

import pytest

from ingest.jobs import CANCELLED, DONE, FAILED, IngestJob
from ingest.pipeline import add_files
from ingest.progress import EMBEDDING, READING
from ingest.index import Index
from pdfs import write_pdf

pytestmark = pytest.mark.slow  # a job process loads the real model

SENTENCE = ("Page {page} of the {name} report finds that the coastal programme of {page} reached its target of"
            " {value} stations, and that the agency will expand monitoring to every northern district next year.")


def _report(path: Path, pages: int) -> Path:
    name = path.stem
    return write_pdf(path, [[SENTENCE.format(page=p, name=name, value=p * 7 + 3)] * 3 for p in range(1, pages + 1)],
                     title=f"The {name} report")


def _snapshot(index: Path) -> tuple:
    """What readers see: the generation, its reports, and every byte of the index's files."""
    reader = Index(index)
    try:
        seen = (reader.current_generation(), sorted(d.id for d in reader.documents()))
    finally:
        reader.close()
    files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(index.iterdir())
             if p.suffix in (".sqlite", ".faiss")}
    return seen, files


def _wait_for(job: IngestJob, condition, timeout: float = 300):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = job.status()
        if status.progress is not None and condition(status.progress):
            return status
        assert status.state not in (DONE, FAILED, CANCELLED), f"job ended first: {status}"
        time.sleep(0.05)
    raise AssertionError("the job never got there")


def test_a_job_reports_pages_and_passages_then_publishes_one_generation(scratch_index, tmp_path):
    before = _snapshot(scratch_index)
    files = [_report(tmp_path / "alpha.pdf", 6), _report(tmp_path / "beta.pdf", 4)]
    status = IngestJob(files, scratch_index, threads=1).wait(300)
    assert status.state == DONE, status.error
    assert [r.status for r in status.results] == ["added", "added"]
    assert [r.pages for r in status.results] == [6, 4]
    assert [(f.pages_read, f.passages_embedded) for f in status.progress.files] == [(r.pages, r.passages)
                                                                                   for r in status.results]
    (generation, ids), _ = _snapshot(scratch_index)
    assert generation == before[0][0] + 1  # both files in one commit
    assert set(ids) == set(before[0][1]) | {r.doc_id for r in status.results}


def test_progress_is_told_page_by_page_and_chunk_by_chunk(scratch_index, tmp_path, embedder, monkeypatch):
    monkeypatch.setattr("ingest.pipeline.EMBED_CHUNK", 2)
    heard: list[tuple] = []
    [result] = add_files([_report(tmp_path / "gamma.pdf", 5)], scratch_index, embedder=embedder, progress=False,
                         on_progress=lambda p: heard.append((p.files[0].status, p.files[0].pages_read,
                                                             p.files[0].passages_embedded, p.fraction())))
    assert [pages for status, pages, _, _ in heard if status == READING] == [0, 1, 2, 3, 4, 5]
    embedded = [n for status, _, n, _ in heard if status == EMBEDDING]
    assert embedded == sorted(embedded) and len(set(embedded)) > 2 and embedded[-1] == result.passages
    fractions = [f for *_, f in heard]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    assert heard[-1][0] == "added"


def test_a_cancelled_job_leaves_the_index_as_it_was(scratch_index, tmp_path):
    before = _snapshot(scratch_index)
    job = IngestJob([_report(tmp_path / "first.pdf", 8), _report(tmp_path / "second.pdf", 40)], scratch_index,
                    threads=1)
    _wait_for(job, lambda p: p.files[0].passages_embedded > 0)  # one file written inside the transaction
    assert job.cancel()
    status = job.wait(120)
    assert status.state == CANCELLED
    assert _snapshot(scratch_index) == before
    # The writer's lock is free again: the next job goes through.
    assert IngestJob([_report(tmp_path / "after.pdf", 2)], scratch_index, threads=1).wait(300).state == DONE


def test_a_job_that_dies_leaves_the_index_as_it_was(scratch_index, tmp_path):
    before = _snapshot(scratch_index)
    job = IngestJob([_report(tmp_path / "first.pdf", 8), _report(tmp_path / "second.pdf", 40)], scratch_index,
                    threads=1)
    _wait_for(job, lambda p: p.files[0].passages_embedded > 0)
    os.kill(job.process.pid, signal.SIGKILL)  # as the kernel's out-of-memory killer would
    status = job.wait(120)
    assert status.state == FAILED and "ended unexpectedly" in status.error
    assert not job.cancel()
    assert _snapshot(scratch_index) == before
    assert IngestJob([_report(tmp_path / "after.pdf", 2)], scratch_index, threads=1).wait(300).state == DONE


def test_a_job_on_an_unusable_index_fails_with_the_reason(tmp_path):
    (tmp_path / "index").mkdir()
    (tmp_path / "index" / "index.sqlite").write_bytes(b"not a database at all" * 100)
    status = IngestJob([_report(tmp_path / "a.pdf", 1)], tmp_path / "index", threads=1).wait(300)
    assert status.state == FAILED and "ingest rebuild" in status.error
