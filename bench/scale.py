"""Scale: the whole qa pipeline and its vector search over 10k, 100k and 1M passages of realistic vectors.

    .venv/bin/python bench/ingest_throughput.py     # once: real vectors of the federal reports
    .venv/bin/python bench/scale.py [--sizes 10000 100000 1000000] [--queries 300] [--vectors-only]

A corpus of N passages is the federal reports' and SQuAD dev's passages (real text, real vectors, the
SQuAD index being the one `qa eval --squad` builds) copied until N: copy 0 as they are, each later copy
with every passage and sentence vector jittered (Gaussian noise of norm JITTER, then renormalised) and its
text unchanged, so FTS5's posting lists grow as a real corpus's would. It is written through
ingest/index/ like any ingest, so vectors.py picks exact or approximate search by size.

Queries are real SQuAD questions. Per size, each in a fresh process so peak RSS is its own:
  baseline   sentence-transformers (torch) + a flat FAISS index over the same vectors: build, embed + search
  ours       the store's index: embed + dense search latency, recall@10 against the baseline's exact
             top 10; then the whole QAPipeline.run (retrieval, reranking, answer) latency and peak RSS
--vectors-only skips writing the index (4-5 minutes and 6 GB at 1M passages on two cores): the jittered passage
vectors, their exact top 10 by a flat index, then the store's index type built, searched and scored.
"""
from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.measure import CACHE, answer_times, load, peak_rss_mib, percentiles, shared_data  # noqa: E402
from ingest import settings  # noqa: E402
from ingest.embedder import Embedder, get_embedder  # noqa: E402
from ingest.index import Index, IndexWriter, StoredPassage, exists  # noqa: E402
from ingest.models import Document, PageSpan, Passage, Sentence  # noqa: E402

JITTER = 0.5  # norm of the noise added to a unit vector: copies keep cosine ~0.9 with their original
SQUAD = "squad/dev-v1.1.json"


def base_passages() -> tuple[list[StoredPassage], dict[str, str]]:
    """Every passage of the federal-reports and SQuAD dev indexes, with its sentence vectors, in id order,
    and the titles of their reports."""
    from qa.evaluation import squad_index

    federal = CACHE / "federal-index"
    if not exists(federal):
        sys.exit(f"{federal} is absent: run bench/ingest_throughput.py first")
    squad = squad_index(shared_data(SQUAD), ROOT / ".cache" / "eval", get_embedder())
    found, titles = [], {}
    for index_dir in (federal, squad):
        reader = Index(index_dir)
        ids = list(range(1, reader.passage_count() + 1))  # written once, never removed from: ids are 1..n
        for chunk in range(0, len(ids), 5000):
            found.extend(sorted(reader.passages(ids[chunk : chunk + 5000]).values(), key=lambda p: p.id))
        titles.update((d.id, d.title) for d in reader.documents())
        reader.close()
    return found, titles


def jitter(vectors: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    noise = rng.standard_normal(vectors.shape, dtype=np.float32) * (JITTER / math.sqrt(vectors.shape[1]))
    moved = vectors + noise
    return moved / np.linalg.norm(moved, axis=1, keepdims=True)


def copies(base: list[StoredPassage], size: int):
    """(copy number, passages, their vectors, their sentences' vectors) until ``size`` passages, deterministically."""
    passage_vectors = np.stack([p.vector for p in base])
    sentence_vectors = np.concatenate([p.sentence_vectors for p in base])
    for copy in range(math.ceil(size / len(base))):
        rng = np.random.default_rng(copy)
        n = min(len(base), size - copy * len(base))
        if copy == 0:
            yield copy, base[:n], passage_vectors[:n], sentence_vectors
        else:
            yield copy, base[:n], jitter(passage_vectors[:n], rng), jitter(sentence_vectors, rng)


def corpus_vectors(base: list[StoredPassage], size: int) -> np.ndarray:
    return np.concatenate([vectors for _, _, vectors, _ in copies(base, size)])


def build_index(base: list[StoredPassage], titles: dict[str, str], size: int, index_dir: Path) -> float:
    """Write the corpus of ``size`` passages through IndexWriter; returns the seconds it took (no embedding)."""
    shutil.rmtree(index_dir, ignore_errors=True)
    embedder = get_embedder()
    started = time.perf_counter()
    with IndexWriter(index_dir, embedder.name, embedder.dim) as writer:
        for copy, passages, vectors, sentence_vectors in copies(base, size):
            row = 0
            for doc_id in dict.fromkeys(p.doc_id for p in passages):
                group = [i for i, p in enumerate(passages) if p.doc_id == doc_id]
                sentences = sum(len(passages[i].sentence_spans) for i in group)
                writer.add(_document(passages, group, copy, titles), [_passage(passages[i], copy) for i in group],
                           vectors[group], sentence_vectors[row : row + sentences])
                row += sentences
    return time.perf_counter() - started


def _document(passages: list[StoredPassage], group: list[int], copy: int, titles: dict[str, str]) -> Document:
    doc_id = passages[group[0]].doc_id
    pages = max(passages[i].page for i in group)
    return Document(f"{doc_id}-{copy}", titles[doc_id], "", [PageSpan(pages, 0, 0)], "bench")


def _passage(p: StoredPassage, copy: int) -> Passage:
    return Passage(f"{p.doc_id}-{copy}", p.ordinal, p.page, p.start, p.end, p.text, [Sentence(s, e) for s, e in p.sentence_spans])


def questions(n: int) -> list[str]:
    from qa.evaluation import load_squad, sample

    _, gold = load_squad(shared_data(SQUAD))
    return [q.question for q in sample(gold, n, seed=1)]


# -- the two measured processes ------------------------------------------------------------------------

def run_baseline(size: int, n_questions: int, truth: Path) -> dict:
    import faiss

    vectors = corpus_vectors(base_passages()[0], size)
    embedder = Embedder(backend="torch")
    started = time.perf_counter()
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    build = time.perf_counter() - started
    del vectors
    timings, top = [], []
    for question in questions(n_questions):
        t = time.perf_counter()
        _, ids = flat.search(embedder.embed([question]), 10)
        timings.append(time.perf_counter() - t)
        top.append(ids[0] + 1)  # passage ids are rows + 1
    np.save(truth, np.array(top))
    return {"build_s": round(build, 2), "embed+search": percentiles(timings), "peak_rss_mib": round(peak_rss_mib())}


def run_ours(index_dir: Path, n_questions: int, truth: Path) -> dict:
    from qa.pipeline import QAPipeline

    pipeline = QAPipeline(index_dir)
    exact = np.load(truth)
    asked = questions(n_questions)
    timings, recalls = [], []
    for question, expected in zip(asked, exact):
        t = time.perf_counter()
        found = pipeline.index.dense_search(pipeline.embedder.embed([question])[0], 10)
        timings.append(time.perf_counter() - t)
        recalls.append(len({pid for pid, _ in found} & set(expected.tolist())) / 10)
    pipeline.ask(asked[0])  # warm the stemmer cache and SQLite pages as a running app would be
    answers, cpu = answer_times(pipeline.ask, [(question,) for question in asked])
    return {"index": type(pipeline.index.vectors).__name__, "embed+search": percentiles(timings),
            "recall@10": round(float(np.mean(recalls)), 4), "pipeline": percentiles(answers),
            "pipeline CPU": percentiles(cpu),
            "peak_rss_mib": round(peak_rss_mib())}


def run_vectors(size: int, n_questions: int) -> dict:
    """Vector search alone, for sizes whose full index takes too long to write: flat vs the store's choice."""
    import faiss

    from ingest.index.vectors import new_vector_index

    vectors = corpus_vectors(base_passages()[0], size)
    embedder = get_embedder()
    queries = embedder.embed(questions(n_questions))
    flat = faiss.IndexFlatIP(vectors.shape[1])
    flat.add(vectors)
    exact = flat.search(queries, 10)[1] + 1
    del flat
    started = time.perf_counter()
    index = new_vector_index(vectors.shape[1], vectors, np.arange(1, size + 1))
    build = time.perf_counter() - started
    del vectors
    timings, recalls = [], []
    for query, expected in zip(queries, exact):
        t = time.perf_counter()
        _, ids = index.search(query.reshape(1, -1), 10)
        timings.append(time.perf_counter() - t)
        recalls.append(len(set(ids[0].tolist()) & set(expected.tolist())) / 10)
    return {"index": type(index).__name__, "build_s": round(build, 1), "search": percentiles(timings),
            "recall@10": round(float(np.mean(recalls)), 4), "peak_rss_mib (flat + index)": round(peak_rss_mib())}


def _child(*args: str) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", *args], check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--reuse", action="store_true", help="keep an index already built for a size")
    parser.add_argument("--vectors-only", action="store_true", help="vector search alone: no index written")
    parser.add_argument("--child", nargs=2, metavar=("ROLE", "SIZE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    settings.configure_process()  # a process of its own, like the commands
    if args.child:
        role, size = args.child[0], int(args.child[1])
        index_dir, truth = CACHE / f"scale-{size}", CACHE / f"scale-{size}-exact-top10.npy"
        if role == "vectors":
            result = run_vectors(size, args.queries)
        else:
            result = run_baseline(size, args.queries, truth) if role == "baseline" else run_ours(index_dir, args.queries, truth)
        print(json.dumps(result))
        return
    base, titles = base_passages()
    print(f"{len(base)} real passages to copy; {load()}")
    for size in args.sizes:
        if args.vectors_only:
            print(f"{size} vectors: {_child('vectors', str(size), '--queries', str(args.queries))}; {load()}", flush=True)
            continue
        index_dir = CACHE / f"scale-{size}"
        if not (args.reuse and exists(index_dir)):
            print(f"{size} passages: index written in {build_index(base, titles, size, index_dir):.0f} s; {load()}", flush=True)
        print(f"{size} baseline (flat FAISS): {_child('baseline', str(size), '--queries', str(args.queries))}", flush=True)
        print(f"{size} ours: {_child('ours', str(size), '--queries', str(args.queries))}; {load()}", flush=True)


if __name__ == "__main__":
    main()
