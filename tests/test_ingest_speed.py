"""What makes ingest fast without changing what it extracts or embeds (docs/ingest-performance.md)."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from ingest.embedder import Embedder, TorchEncoder, native_bfloat16
from ingest.isolation import ReadingWorker
from ingest.pipeline import add_files
from tests.pdfs import write_pdf


PARAGRAPHS = [
    "The U.S. Department of Commerce rose 5.2% in FY 2022. It fell! Why? Dr. Smith said so. Dr. Smith said so.",
    "It. It. It.",
    "(a) one; (b) two. 1. First item 2. Second item",
    "Goal 1.2: Expand trade.   Objective 1.3: Reduce costs.\n\nNext paragraph.",
    "No full stop at the end",
    "   ",
    "",
]


@pytest.mark.parametrize("paragraph", PARAGRAPHS)
def test_sentences_are_those_pysbd_segments_without_its_pattern_per_sentence(paragraph, monkeypatch):
    import pysbd.segmenter

    from ingest.splitting import _pysbd_sentences, _segmenter

    expected = _segmenter().segment(paragraph)

    def search_by_pattern(*args, **kwargs):
        raise AssertionError("sentences sought with a regular expression compiled for each")

    monkeypatch.setattr(pysbd.segmenter.Segmenter, "sentences_with_char_spans", search_by_pattern)
    assert _pysbd_sentences(paragraph) == expected


@pytest.mark.skipif(not native_bfloat16(), reason="bfloat16 is used only where the CPU computes it")
def test_reports_are_embedded_by_a_bfloat16_model_into_float32_unit_vectors_close_to_float32s(embedder):
    texts = ["The department met 42 of its 57 performance goals in fiscal year 2022.",
             "Grants to states rose by a tenth.", "Employee engagement improved for the third year in a row."]
    bulk = embedder.bulk_encoder
    assert next(bulk.model.bert.parameters()).dtype == torch.bfloat16
    vectors = bulk.embed(texts, batch_size=2)
    exact = TorchEncoder(embedder.location).embed(texts, batch_size=2)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1, atol=1e-6)
    assert (vectors * exact).sum(1).min() > 0.9995


@pytest.mark.slow
def test_the_bulk_model_is_loaded_while_the_reader_reads_the_first_file(tmp_path, monkeypatch):
    report = write_pdf(tmp_path / "report.pdf", [["The budget for grants rose by a tenth in fiscal year 2022."] * 3])
    fresh = Embedder()
    loaded_when_read = []
    receive = ReadingWorker.receive

    def recording(self, *args, **kwargs):
        loaded_when_read.append("bulk_encoder" in vars(fresh))
        return receive(self, *args, **kwargs)

    monkeypatch.setattr(ReadingWorker, "receive", recording)
    assert [r.status for r in add_files([report], tmp_path / "index", embedder=fresh, progress=False)] == ["added"]
    assert loaded_when_read == [True]


@pytest.mark.slow
def test_no_model_is_loaded_when_every_file_is_indexed_already(tmp_path, embedder):
    report = write_pdf(tmp_path / "report.pdf", [["The budget for grants rose by a tenth in fiscal year 2022."] * 3])
    add_files([report], tmp_path / "index", embedder=embedder, progress=False)
    fresh = Embedder()
    assert [r.status for r in add_files([report], tmp_path / "index", embedder=fresh, progress=False)] == ["unchanged"]
    assert "bulk_encoder" not in vars(fresh)


def test_passages_are_tokenised_once_for_the_model_and_the_sentence_offsets(embedder, monkeypatch):
    """The transformer runs on the tokenisation that gives the offsets, batched by length in tokens; vectors as the
    model's own pass over each text alone gives them."""
    bulk = embedder.bulk_encoder
    texts = ["Short.", "A longer passage about the budget. It rose by a tenth in fiscal year 2022, the report says.",
             "x " * 400]
    second = texts[1].index("It rose")
    spans = [[(0, 6)], [(0, second - 1), (second, len(texts[1]))], [(0, 10)]]
    with torch.inference_mode():
        own = [bulk.model.token_embeddings(bulk.model.pad(bulk.model.tokenize([text])))[0] for text in texts]
    expected = np.stack([v.float().numpy().mean(0) for v in own])
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)

    def second_tokenisation(*args, **kwargs):
        raise AssertionError("encode tokenises the texts again")

    tokenised, tokenize = [], bulk.model.tokenize
    monkeypatch.setattr(bulk.model, "tokenize", lambda some: tokenised.append(some) or tokenize(some))
    monkeypatch.setattr(bulk.model, "encode", second_tokenisation)
    vectors, pooled = bulk.embed_with_spans(texts, spans, batch_size=2)
    assert tokenised == [texts]
    assert (vectors * expected).sum(1).min() > 0.9999
    assert [[v is None for v in per] for per in pooled] == [[False], [False, False], [False]]
