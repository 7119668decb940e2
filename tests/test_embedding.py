"""The two encoders of the model agree, and sentence vectors pooled from a passage's pass (late chunking) stay
the vectors of their own sentences."""
from __future__ import annotations

import numpy as np

PASSAGE = ("The wheat harvest in Kansas failed after a long summer drought. "
           "The orchestra played Beethoven's ninth symphony in Vienna. "
           "Rockets launched from Florida carried three weather satellites into orbit.")


def _spans(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for end in [i + 1 for i, c in enumerate(text) if c == "."]:
        spans.append((start, end))
        start = end + 1
    return spans


def test_questions_and_reports_are_embedded_alike(embedder):
    """Questions go through the fast single-text encoder, reports through the bulk one: same space."""
    texts = [PASSAGE, "What carried weather satellites into orbit?"]
    assert np.all((embedder.embed(texts) * embedder.embed_bulk(texts)).sum(1) > 0.999)


def test_passage_vector_is_the_plain_embedding_of_the_passage(embedder):
    passages, _ = embedder.embed_passages([PASSAGE], [_spans(PASSAGE)])
    assert float(passages[0] @ embedder.embed_bulk([PASSAGE])[0]) > 0.9999


def test_each_pooled_sentence_vector_is_nearest_its_own_sentence(embedder):
    spans = _spans(PASSAGE)
    _, pooled = embedder.embed_passages([PASSAGE], [spans])
    alone = embedder.embed_bulk([PASSAGE[s:e] for s, e in spans])
    assert pooled.shape == (3, embedder.dim)
    assert np.allclose(np.linalg.norm(pooled, axis=1), 1.0, atol=1e-5)
    assert list((pooled @ alone.T).argmax(1)) == [0, 1, 2]
    # Pooled with its neighbours in view, not embedded alone: close to its own sentence, yet not the same vector.
    assert 0.3 < float(pooled[1] @ alone[1]) < 0.99


def test_sentence_cut_off_by_truncation_is_embedded_on_its_own(embedder):
    """The model reads 256 tokens of a passage; a sentence beyond them still gets its own vector."""
    filler = "Committees reviewed budgets and schedules for the coming fiscal year. " * 30
    last = "Penguins nest on the rocky shores of Antarctica."
    text = filler + last
    spans = [(0, len(filler) - 1), (len(filler), len(text))]
    _, sentences = embedder.embed_passages([text], [spans])
    assert float(sentences[1] @ embedder.embed_bulk([last])[0]) > 0.9999


# Texts that pad (lengths differ within a batch), tie in length, truncate (over 256 tokens) and normalise (accents,
# CJK, control characters, outer spaces); in batches of 5, so that several batches are sorted and padded.
VARIED = [PASSAGE, "", " ", "  spaces around  ", "Café naïve façade résumé", "北京 大学 東京", "\tTab\nnew line\r\n",
          "Rockets launched.", "Orchestra played.", "budget " * 300, PASSAGE * 3] + [PASSAGE[:n] for n in range(5, 180, 25)]


def test_the_bundled_model_runs_on_plain_torch_with_the_very_vectors_of_sentence_transformers(embedder):
    """ingest/bert.py spares an ingest process transformers' and sentence-transformers' imports (seconds of CPU);
    an index must not depend on which of the two embedded it, to the last bit."""
    from ingest.bert import MeanPooledBert
    from ingest.embedder import TorchEncoder

    plain, reference = TorchEncoder(embedder.location), TorchEncoder(embedder.location, sentence_transformers=True)
    assert isinstance(plain.model, MeanPooledBert) and not isinstance(reference.model, MeanPooledBert)
    spans = [[(0, len(t) // 2), (len(t) // 3, len(t))] for t in VARIED]
    assert np.array_equal(plain.embed(VARIED, 5), reference.embed(VARIED, 5))
    (texts, pooled), (texts_ref, pooled_ref) = (e.embed_with_spans(VARIED, spans, 5) for e in (plain, reference))
    assert np.array_equal(texts, texts_ref)
    flat, flat_ref = ([v for per_text in p for v in per_text] for p in (pooled, pooled_ref))
    assert [v is None for v in flat] == [v is None for v in flat_ref] and any(v is None for v in flat)
    assert all(np.array_equal(v, w) for v, w in zip(flat, flat_ref) if v is not None)
