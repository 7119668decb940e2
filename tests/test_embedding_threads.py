"""Bulk embedding on as many Python threads as torch may use, each batch on one torch thread (docs/ingest-performance.md):
the reader process and the batches then share the cores without torch threads waiting at barriers for a core that
the reader holds."""
from __future__ import annotations

import os
import threading

import numpy as np
import pytest
import torch

from ingest.pipeline import add_files
from tests.pdfs import write_pdf

CORES = len(os.sched_getaffinity(0))
TEXTS = [f"Passage {i}: the department met {i} of its {i + 40} performance goals in fiscal year 2022. "
         f"Grants to states rose by {i} percent." * (1 + i % 3) for i in range(24)]
SPANS = [[(0, len(text) // 2)] for text in TEXTS]


@pytest.fixture
def threads_seen(embedder):
    """(thread, torch threads) for each batch the bulk model runs."""
    model = embedder.bulk_encoder.model
    seen: list[tuple[int, int]] = []
    forward = model.token_embeddings

    def recording(*args, **kwargs):
        seen.append((threading.get_ident(), torch.get_num_threads()))
        return forward(*args, **kwargs)

    model.token_embeddings = recording
    before = torch.get_num_threads()
    yield seen
    del model.token_embeddings
    torch.set_num_threads(before)


@pytest.mark.skipif(CORES < 2, reason="needs two cores")
def test_batches_run_on_as_many_threads_as_torch_may_use_each_on_one_torch_thread(embedder, threads_seen):
    torch.set_num_threads(2)
    embedder.bulk_encoder.embed_with_spans(TEXTS, SPANS, batch_size=2)
    assert len(threads_seen) == 12
    assert len({thread for thread, _ in threads_seen}) == 2
    assert {threads for _, threads in threads_seen} == {1}
    assert torch.get_num_threads() == 2  # given back


def test_a_caller_that_chose_one_thread_embeds_on_its_own(embedder, threads_seen):
    """The staff page's job runs on one torch thread, beside the app's answers."""
    torch.set_num_threads(1)
    embedder.bulk_encoder.embed_with_spans(TEXTS, SPANS, batch_size=2)
    assert {thread for thread, _ in threads_seen} == {threading.get_ident()}


@pytest.mark.skipif(CORES < 2, reason="needs two cores")
def test_vectors_do_not_depend_on_the_threads_that_computed_them(embedder):
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        alone, alone_spans = embedder.bulk_encoder.embed_with_spans(TEXTS, SPANS, batch_size=2)
        torch.set_num_threads(2)
        threaded, threaded_spans = embedder.bulk_encoder.embed_with_spans(TEXTS, SPANS, batch_size=2)
    finally:
        torch.set_num_threads(before)
    assert np.array_equal(alone, threaded)
    assert all(np.array_equal(a, b) for x, y in zip(alone_spans, threaded_spans) for a, b in zip(x, y))


@pytest.mark.slow
@pytest.mark.skipif(CORES < 2, reason="needs two cores")
def test_ingest_embeds_beside_the_reader_on_every_core(tmp_path, embedder, threads_seen):
    """While the reader process reads the next file, the embedding threads do not give up a core to it: the system
    shares the cores among the three."""
    torch.set_num_threads(CORES)
    reports = tmp_path / "reports"
    reports.mkdir()
    for name in ("a", "b"):
        write_pdf(reports / f"{name}.pdf",
                  [[f"Report {name} says the budget for {name} rose by a tenth in year {i}." for i in range(3)]] * 40)
    results = add_files([reports], tmp_path / "index", embedder=embedder, progress=False)
    assert [r.status for r in results] == ["added", "added"]
    threads = {thread for thread, _ in threads_seen}
    # Each file's batches on a pool of its own: thread ids may or may not be reused between the pools.
    assert threading.get_ident() not in threads and len(threads) >= CORES
    assert {threads for _, threads in threads_seen} == {1}
