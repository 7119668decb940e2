"""Ingest throughput, stage by stage: read, split, embed (passages and their sentences), write.

    .venv/bin/python bench/ingest_throughput.py [FOLDER] [--max-pages N]   # default ../shared/data/reports/us-federal

Runs the stages of ingest/pipeline.py one after the other on every file, timing each, and prints
pages/s and passages/s overall and the seconds spent per stage. The index it writes is kept in
.cache/bench/federal-index: bench/scale.py grows its large corpora from those real vectors.
"""
from __future__ import annotations

import argparse
import sys
import shutil
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import CACHE, load, peak_rss_mib, shared_data  # noqa: E402
from ingest import settings  # noqa: E402
from ingest.embedder import get_embedder  # noqa: E402
from ingest.formats import read_document  # noqa: E402
from ingest.index import IndexWriter  # noqa: E402
from ingest.pipeline import embedding_inputs, report_files  # noqa: E402
from ingest.splitting import split_passages  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--max-pages", type=int, help="stop after the file that reaches N pages (a busy machine)")
    parser.add_argument("--baseline", action="store_true",
                        help="then embed the same passages with plain sentence-transformers (float32) into a flat FAISS index")
    args = parser.parse_args()
    settings.configure_process()  # a process of its own, like the commands
    folder = args.folder or shared_data("reports/us-federal")
    print(load())
    started = time.perf_counter()
    embedder = get_embedder()
    print(f"model load {time.perf_counter() - started:.1f} s")

    spent: Counter[str] = Counter()
    pages = passages = sentences = 0
    embedded_texts: list[str] = []

    def timed(stage, fn, *args, **kwargs):
        t = time.perf_counter()
        value = fn(*args, **kwargs)
        spent[stage] += time.perf_counter() - t
        return value

    index_dir = CACHE / "federal-index"
    shutil.rmtree(index_dir, ignore_errors=True)
    with IndexWriter(index_dir, embedder.name, embedder.dim) as writer:
        for path in report_files([folder])[0]:
            doc = timed("read", read_document, path)
            found = timed("split", split_passages, doc)
            texts, spans = embedding_inputs(doc, found)
            embedded_texts += texts
            passage_vectors, sentence_vectors = timed("embed", embedder.embed_passages, texts, spans)
            timed("write", writer.add, doc, found, passage_vectors, sentence_vectors)
            pages += max((p.number for p in doc.pages), default=0)
            passages, sentences = passages + len(found), sentences + len(sentence_vectors)
            if args.max_pages and pages >= args.max_pages:
                break
        timed("write", writer.commit)
    total = sum(spent.values())
    print(f"{pages} pages, {passages} passages, {sentences} sentences in {total:.1f} s:"
          f" {pages / total:.1f} pages/s, {passages / total:.1f} passages/s")
    for stage, seconds in spent.items():
        print(f"  {stage:16s} {seconds:7.1f} s  {100 * seconds / total:4.0f}%")
    print(f"peak RSS {peak_rss_mib():.0f} MiB; {load()}")
    if args.baseline:
        baseline(embedded_texts, pages, spent["read"] + spent["split"])


def baseline(texts: list[str], pages: int, read_and_split: float) -> None:
    """Plain sentence-transformers (float32, its default batch of 32, every core) and a flat FAISS index over the
    same passages, with this run's read and split time: what a straightforward system would take."""
    import faiss
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(settings.model_location(settings.embed_model()), device="cpu")
    started = time.perf_counter()
    index = faiss.IndexFlatIP(model.get_embedding_dimension())
    index.add(model.encode(texts, normalize_embeddings=True, show_progress_bar=False))
    seconds = time.perf_counter() - started
    total = read_and_split + seconds
    print(f"baseline: {len(texts)} passages embedded and indexed in {seconds:.1f} s ({len(texts) / seconds:.1f} passages/s);"
          f" with read and split {total:.1f} s: {pages / total:.1f} pages/s; {load()}")


if __name__ == "__main__":
    main()
