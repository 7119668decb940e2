"""The FAISS file of passage vectors: which kind of FAISS index a number of passages calls for, and reading it back.

Up to ``QA_EXACT_SEARCH_MAX`` passages the index is exact (flat); above, approximate (IVF with 8-bit scalar
quantisation). bench/scale.py measures both (recall@10 against exact search, latency, memory).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import faiss
import numpy as np

from .. import settings
from ..errors import first_line
from .files import IndexUnavailable

# Inverted lists probed per query: recall@10 against exact search >= 0.95 up to 1M passages (bench/scale.py).
IVF_NPROBE = 32


def faiss_name(generation: int) -> str:
    return f"passages-{generation:06d}.faiss"


def ivf_lists(n: int) -> int:
    """About sqrt(n) lists: k-means over more would take many minutes at 1M passages on two cores,
    and NPROBE of them still finds >= 0.95 of the exact top 10 (bench/scale.py)."""
    return max(1, min(int(n**0.5), n // 39))


def new_vector_index(dim: int, vectors: np.ndarray | None = None, ids: np.ndarray | None = None) -> faiss.Index:
    """An index of ``vectors`` (under ``ids``) of the type their number calls for: flat, or IVF trained on them."""
    n = 0 if vectors is None else len(vectors)
    if n <= settings.exact_search_max():
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    else:
        index = faiss.index_factory(dim, f"IVF{ivf_lists(n)},SQ8", faiss.METRIC_INNER_PRODUCT)
        # 64 points per list train k-means well enough; FAISS's default of 256 quadruples the time.
        sample = np.random.default_rng(0).choice(n, size=min(n, 64 * index.nlist), replace=False)
        index.train(vectors[np.sort(sample)])
        index.nprobe = IVF_NPROBE
    if n:
        index.add_with_ids(vectors, ids)
    return index


def fits(index: faiss.Index) -> bool:
    """Whether ``index`` is still the right type for its size. The lines are apart (hysteresis), so a corpus
    hovering around a threshold does not rebuild its index on every commit."""
    n, limit = index.ntotal, settings.exact_search_max()
    if isinstance(index, faiss.IndexIVF):
        return n >= limit // 2 and ivf_lists(n) <= 4 * index.nlist
    return n <= limit


def checksum(path: Path) -> str:
    """SHA-256 of a FAISS file: SQLite keeps it with the generation, so a file damaged at rest is never served."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_vectors(index_dir: Path, meta: dict[str, str]) -> faiss.Index:
    """The committed generation's vectors; IndexUnavailable, saying what to run, when the file is missing or damaged."""
    path = index_dir / faiss_name(int(meta.get("generation", 0)))
    try:
        # Indexes written before checksums were kept have none to compare.
        if meta.get("faiss_sha256") not in (None, checksum(path)):
            raise RuntimeError("checksum differs")
        return faiss.read_index(str(path))
    except (OSError, RuntimeError) as exc:
        raise IndexUnavailable(f"{path} is missing or damaged ({first_line(exc, 80)}); run `ingest rebuild`") from exc


def ids_and_vectors(vectors: faiss.Index) -> tuple[np.ndarray, np.ndarray]:
    """The ids a FAISS index holds and their vectors as it gives them back: an exact index maps its ids,
    an IVF keeps them in its inverted lists."""
    if not isinstance(vectors, faiss.IndexIVF):
        return faiss.vector_to_array(vectors.id_map), vectors.index.reconstruct_n(0, vectors.ntotal)
    lists = vectors.invlists
    ids = [faiss.rev_swig_ptr(lists.get_ids(i), lists.list_size(i)).copy() for i in range(vectors.nlist) if lists.list_size(i)]
    if not ids:
        return np.empty(0, dtype=np.int64), np.empty((0, vectors.d), dtype=np.float32)
    vectors.set_direct_map_type(faiss.DirectMap.Hashtable)
    return np.concatenate(ids), vectors.reconstruct_batch(np.concatenate(ids))
