"""The embedding model that turns text into unit vectors, loaded offline.

Two encoders of the same model, each where it is fastest on a CPU (bench/embedding_backends.py):
questions, one at a time, on ONNX Runtime when the model allows it (else on torch); a report's passages,
in bulk, on torch, in bfloat16 where the CPU computes it natively
(AVX512-BF16 or AMX): weights and activations in bfloat16, vectors pooled and normalised in float32
(docs/ingest-performance.md has the speed, and how close the vectors stay to float32's). On torch, a
mean-pooled BERT such as the bundled model runs on plain torch (ingest/bert.py), which an ingest process
loads in a fraction of sentence-transformers' CPU, with the same vectors; other models run on sentence-transformers.

A passage's sentence vectors come from the same model pass as the passage's ("late chunking"): each is
the mean of the passage's token embeddings over that sentence, which is how a mean-pooling model turns
tokens into a vector anyway, but with the words around the sentence in view. That halves the cost of
ingest, and on SQuAD dev picked the answering sentence more often (answer_hit_at_1 0.764 -> 0.777).
"""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from functools import cached_property, lru_cache
from pathlib import Path

import numpy as np

from . import settings


class SentenceTransformerModel:
    """Any sentence-transformers model, with the interface TorchEncoder uses (ingest/bert.py has the other)."""

    def __init__(self, location: str):
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        self.model = SentenceTransformer(location, device="cpu").eval()  # no dropout: token_embeddings runs it directly
        self.dim = int(self.model.get_embedding_dimension())
        pooling = next((m.get_config_dict() for m in self.model if type(m).__name__ == "Pooling"), {})
        # Whether the model's vector is the mean of its token embeddings, so that a span's mean is its peer.
        # sentence-transformers 6 says "pooling_mode": "mean"; older versions set one flag per mode.
        mode = pooling.get("pooling_mode", "mean" if pooling.get("pooling_mode_mean_tokens") else None)
        self.pools_by_mean = mode in ("mean", ["mean"])

    def to(self, dtype) -> None:
        self.model.to(dtype)

    def tokenize(self, texts: list[str]) -> dict[str, list]:
        return dict(self.model.tokenizer(texts, return_offsets_mapping=True, truncation=True,
                                         max_length=self.model.max_seq_length))

    def pad(self, features: dict[str, list]):
        return dict(self.model.tokenizer.pad(features, return_tensors="pt"))

    def token_embeddings(self, features):
        return self.model[0](features)["token_embeddings"]

    def encode(self, texts: list[str], batch_size: int):
        return self.model.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_tensor=True,
                                 show_progress_bar=False)


class TorchEncoder:
    def __init__(self, location: str, bfloat16: bool = False, sentence_transformers: bool = False):
        """``sentence_transformers``: load the model through it even where ingest/bert.py would run it (the tests
        compare the two)."""
        from . import bert

        if bert.runs(Path(location)) and not sentence_transformers:
            self.model = bert.MeanPooledBert(Path(location))
        else:
            self.model = SentenceTransformerModel(location)
        self.dim = self.model.dim
        self.pools_by_mean = self.model.pools_by_mean
        self.bfloat16 = bfloat16
        if bfloat16:
            import torch

            # The whole model in bfloat16: autocast kept activations in float32 and cast them at every layer, at a
            # cost in CPU (docs/ingest-performance.md).
            self.model.to(torch.bfloat16)

    def embed(self, texts: list[str], batch_size: int) -> np.ndarray:
        import torch

        if self.bfloat16:  # a mean of bfloat16 token vectors, summed in bfloat16, would lose digits: pooled in float32
            return self.embed_with_spans(texts, [[] for _ in texts], batch_size)[0]
        with torch.inference_mode():
            vectors = self.model.encode(texts, batch_size)
        return vectors.float().numpy()

    def embed_with_spans(self, texts: list[str], spans: list[list[tuple[int, int]]], batch_size: int):
        """Each text's vector, and per text the vector of each character span of it pooled from the same
        pass; None for a span that truncation to the model's maximum length cut off."""
        encoded = self.model.tokenize(texts)
        offsets = encoded.pop("offset_mapping")
        text_vectors, span_vectors = [], []
        for embedded, offset, text_spans in zip(self._token_embeddings(encoded, batch_size), offsets, spans):
            offset = np.array(offset).reshape(-1, 2)
            text_vectors.append(_unit(embedded.mean(0)))
            starts, ends = offset[:, 0], offset[:, 1]
            words = ends > starts  # [CLS] and [SEP] have empty offsets
            covered = ends[words].max(initial=0)
            pooled = []
            for start, end in text_spans:
                inside = words & (starts >= start) & (ends <= end)
                pooled.append(_unit(embedded[inside].mean(0)) if inside.any() and covered >= end else None)
            span_vectors.append(pooled)
        return np.stack(text_vectors), span_vectors

    def _token_embeddings(self, encoded, batch_size: int) -> list[np.ndarray]:
        """Each tokenised text's token vectors, in float32, from the transformer run on batches of texts of like
        length. One tokenisation serves the model and the offsets (sentence-transformers' ``encode`` would make
        its own), and sorting by tokens rather than characters pads less.

        With torch allowed n threads, n Python threads each run whole batches on one torch thread: no torch thread
        waits at a barrier for a peer whose core another process (the reader) holds, so the reader and the batches
        share the cores as the system schedules them (docs/ingest-performance.md). A batch's vectors do not depend
        on the thread that computes it."""
        import torch

        ids = encoded["input_ids"]
        order = sorted(range(len(ids)), key=lambda i: -len(ids[i]))
        batches = [order[start:start + batch_size] for start in range(0, len(order), batch_size)]
        embedded: list = [None] * len(ids)

        def run(batch: list[int]) -> None:
            with torch.inference_mode():  # thread-local: entered in each thread
                features = self.model.pad({key: [values[i] for i in batch] for key, values in encoded.items()})
                hidden = self.model.token_embeddings(features)
                for row, i in enumerate(batch):
                    embedded[i] = hidden[row, :len(ids[i])].float().numpy()

        threads = torch.get_num_threads()
        workers = min(threads, len(batches))
        if workers <= 1:
            for batch in batches:
                run(batch)
            return embedded
        torch.set_num_threads(1)  # process-wide: each batch on its own thread's one torch thread
        try:
            with ThreadPoolExecutor(workers) as pool:
                list(pool.map(run, batches))
        finally:
            torch.set_num_threads(threads)
        return embedded


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / max(float(np.linalg.norm(vector)), 1e-12)


def native_bfloat16() -> bool:
    """Whether this CPU computes bfloat16 in hardware; elsewhere it is emulated, and slower than float32."""
    import torch

    return torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported()


class Embedder:
    def __init__(self, model: str | None = None, backend: str | None = None):
        """``backend`` for questions: "onnx" or "torch"; by default ``QA_EMBED_BACKEND``, else ONNX where the model supports it."""
        from .onnx_encoder import OnnxEncoder, supports

        self.name = model or settings.embed_model()
        self.location = settings.model_location(self.name)
        backend = backend or settings.embed_backend()
        if backend == "onnx" or (backend == "" and Path(self.location).is_dir() and supports(Path(self.location))):
            self.backend, self.encoder = "onnx", OnnxEncoder(Path(self.location))
        else:
            self.backend, self.encoder = "torch", TorchEncoder(self.location)
        self.dim = self.encoder.dim

    def embed(self, texts: list[str], batch_size: int = 16) -> np.ndarray:
        """Questions, and anything small. Batches of 16 were fastest here on both backends."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.ascontiguousarray(self.encoder.embed(texts, batch_size), dtype=np.float32)

    def embed_bulk(self, texts: list[str], batch_size: int = 32) -> np.ndarray:
        """A report's passages or sentences: thousands of texts, on every core torch is allowed
        (ingest: all; the app: one). Batches of 32 embedded the federal reports fastest."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.ascontiguousarray(self.bulk_encoder.embed(texts, batch_size), dtype=np.float32)

    def embed_passages(self, texts: list[str], sentence_spans: list[list[tuple[int, int]]]) -> tuple[np.ndarray, np.ndarray]:
        """Vectors of passages (``texts``) and of their sentences (character spans of each text), all sentences
        in one array in order. Sentences are pooled from the passages' pass (late chunking) when the model pools
        by mean; a sentence that truncation cut off, or any with another model, is embedded on its own."""
        sentence_texts = [text[s:e] for text, spans in zip(texts, sentence_spans) for s, e in spans]
        if not self.bulk_encoder.pools_by_mean:
            return self.embed_bulk(texts), self.embed_bulk(sentence_texts)
        passages, pooled = self.bulk_encoder.embed_with_spans(texts, sentence_spans, batch_size=32)
        sentences = [vector for per_text in pooled for vector in per_text]
        missing = [i for i, vector in enumerate(sentences) if vector is None]
        for i, vector in zip(missing, self.embed_bulk([sentence_texts[i] for i in missing])):
            sentences[i] = vector
        sentence_vectors = np.stack(sentences) if sentences else np.zeros((0, self.dim))
        return np.ascontiguousarray(passages, dtype=np.float32), np.ascontiguousarray(sentence_vectors, dtype=np.float32)

    @cached_property
    def bulk_encoder(self) -> TorchEncoder:
        bfloat16 = settings.bulk_bfloat16() and native_bfloat16()
        if self.backend == "torch" and not bfloat16:
            return self.encoder
        return TorchEncoder(self.location, bfloat16)


def get_embedder(model: str | None = None) -> Embedder:
    """One model per process: loading it takes seconds, encoding a question milliseconds. ``model``: the configured
    one when not given."""
    return _loaded(model or settings.embed_model())


@lru_cache(maxsize=2)
def _loaded(model: str) -> Embedder:
    return Embedder(model)
