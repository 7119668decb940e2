"""Ingest throughput: pages/s of `ingest add` itself, or stage by stage (read, split, embed, write).

    .venv/bin/python bench/ingest_throughput.py [FOLDER] [--max-pages N]   # default ../shared/data/reports/us-federal
    .venv/bin/python bench/ingest_throughput.py --stages [--baseline]      # one stage after the other, timed

By default it runs ``add_files`` as `ingest add` does (the reader process reads the next file while this one
embeds) and prints pages/s, passages/s, and the CPU seconds per page of this process and its reader (a figure that
other work on the machine disturbs less than the wall clock). ``--stages`` runs the stages one after the other in
this process, timing each; its index is kept in .cache/bench/federal-index: bench/scale.py grows its large
corpora from those real vectors.
"""
from __future__ import annotations

import argparse
import resource
import sys
import shutil
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.measure import CACHE, load, peak_rss_mib, shared_data  # noqa: E402
from ingest import settings  # noqa: E402
from ingest.embedder import get_embedder  # noqa: E402
from ingest.index import IndexWriter  # noqa: E402
from ingest.pipeline import add_files, embedding_inputs, report_files  # noqa: E402
from ingest.formats import read_document  # noqa: E402
from ingest.splitting import split_passages  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--max-pages", type=int, help="stop after the file that reaches N pages (a busy machine)")
    parser.add_argument("--stages", action="store_true", help="run the stages one after the other, timing each")
    parser.add_argument("--baseline", action="store_true",
                        help="with --stages: then embed the same passages with plain sentence-transformers (float32)"
                             " into a flat FAISS index")
    args = parser.parse_args()
    settings.configure_process()  # a process of its own, like the commands
    folder = args.folder or shared_data("reports/us-federal")
    print(load())
    started = time.perf_counter()
    embedder = get_embedder()
    print(f"model load {time.perf_counter() - started:.1f} s")
    if args.stages:
        stages(folder, embedder, args.max_pages, args.baseline)
    else:
        pipeline(folder, embedder, args.max_pages)


def _first_files(folder: Path, max_pages: int | None) -> list[Path]:
    """The folder's report files, up to the one that reaches ``max_pages`` pages (counted without reading their text)."""
    from pypdf import PdfReader

    files, pages = [], 0
    for path in report_files([folder])[0]:
        files.append(path)
        pages += len(PdfReader(path).pages) if path.suffix.lower() == ".pdf" else 1
        if max_pages and pages >= max_pages:
            break
    return files


def _cpu_seconds() -> float:
    """CPU time of this process and of its children that have ended (the reader process, once closed)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def pipeline(folder: Path, embedder, max_pages: int | None) -> None:
    files = _first_files(folder, max_pages)
    index_dir = CACHE / "pipeline-index"
    shutil.rmtree(index_dir, ignore_errors=True)
    cpu, started = _cpu_seconds(), time.perf_counter()
    results = add_files(files, index_dir, embedder=embedder, progress=False)
    seconds, cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    shutil.rmtree(index_dir, ignore_errors=True)
    pages, passages = sum(r.pages for r in results), sum(r.passages for r in results)
    print(f"{len(results)} files, {pages} pages, {passages} passages in {seconds:.1f} s:"
          f" {pages / seconds:.1f} pages/s, {passages / seconds:.1f} passages/s;"
          f" CPU {cpu:.1f} s ({1000 * cpu / pages:.0f} ms per page)")
    print(f"peak RSS {peak_rss_mib():.0f} MiB; {load()}")


def stages(folder: Path, embedder, max_pages: int | None, with_baseline: bool) -> None:
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
            if max_pages and pages >= max_pages:
                break
        timed("write", writer.commit)
    total = sum(spent.values())
    print(f"{pages} pages, {passages} passages, {sentences} sentences in {total:.1f} s:"
          f" {pages / total:.1f} pages/s, {passages / total:.1f} passages/s")
    for stage, seconds in spent.items():
        print(f"  {stage:16s} {seconds:7.1f} s  {100 * seconds / total:4.0f}%")
    print(f"peak RSS {peak_rss_mib():.0f} MiB; {load()}")
    if with_baseline:
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
