"""Fit the retriever's feature weights (qa/retriever.py WEIGHTS) on a SQuAD file.

    .venv/bin/python bench/tune_weights.py [--squad ../shared/data/squad/dev-v1.1.json] [--n 3000]

Every question's pool is retrieved once with its features; weight combinations are then
scored offline by passage hit@1 and hit@5 (a gold answer inside the passage), the numbers
`qa eval` reports. Prints two baselines over the same pools (dense similarity alone, BM25
alone), the weights in the code, and the best grid point.
"""
from __future__ import annotations

import argparse
import itertools
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest import settings  # noqa: E402
from ingest.embedder import get_embedder  # noqa: E402
from qa import evaluation  # noqa: E402
from qa.pipeline import QAPipeline  # noqa: E402
from qa.retriever import FEATURES, WEIGHTS  # noqa: E402

GRID = {
    "dense": [0.25, 0.5, 0.75],
    "bm25": [0.0, 0.2],
    "sentence_dense": [0.5, 0.75, 1.0],
    "sentence_lexical": [0.1, 0.25, 0.4],
    "passage_lexical": [0.25, 0.5, 0.75],
    "bigram": [0.0, 0.2],
    "title": [0.0, 0.2, 0.4],
    "heading": [WEIGHTS["heading"]],  # 0 on SQuAD's headingless prose: set on the library (docs/library.md)
    "field": [WEIGHTS["field"]],  # 0 on SQuAD's prose, which has no form fields
}


def hit_rates(pools: list[tuple[np.ndarray, np.ndarray]], weights: np.ndarray) -> tuple[float, float]:
    h1 = h5 = 0
    for features, hits in pools:
        order = np.argsort(-(features @ weights))[:5]
        h1 += bool(hits[order[0]])
        h5 += bool(hits[order].any())
    return h1 / len(pools), h5 / len(pools)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=ROOT.parent / "shared/data/squad/dev-v1.1.json")
    parser.add_argument("--n", type=int, default=3000)
    args = parser.parse_args()
    settings.configure_process()  # a process of its own, like the commands
    embedder = get_embedder()
    pipeline = QAPipeline(evaluation.squad_index(args.squad, ROOT / ".cache/eval", embedder), embedder)
    _, questions = evaluation.load_squad(args.squad)
    questions = [q for q in random.Random(0).sample(questions, min(args.n, len(questions))) if q.answerable]
    vectors = embedder.embed([q.question for q in questions], batch_size=128)
    pools = []
    for q, vector in zip(questions, vectors):
        query = pipeline.retriever.prepare(q.question, vector)
        candidates = pipeline.retriever.retrieve(query, k=1000)
        pools.append((np.array([[c.features[f] for f in FEATURES] for c in candidates]).reshape(-1, len(FEATURES)),
                      np.array([evaluation.contains_answer(c.passage.text, q.answers) for c in candidates])))
    pools = [p for p in pools if len(p[0])]
    for alone in ("dense", "bm25"):
        only = np.array([1.0 if f == alone else 0.0 for f in FEATURES])
        print(f"baseline, {alone} alone: hit@1, hit@5 = {hit_rates(pools, only)}")
    current = np.array([WEIGHTS[f] for f in FEATURES])
    print(f"{len(pools)} questions; weights in the code {dict(zip(FEATURES, current))}: hit@1, hit@5 = {hit_rates(pools, current)}")
    best = None
    for point in itertools.product(*(GRID[f] for f in FEATURES)):
        rates = hit_rates(pools, np.array(point))
        if best is None or sum(rates) > sum(best[0]):
            best = (rates, point)
    print(f"best grid point {dict(zip(FEATURES, best[1]))}: hit@1, hit@5 = {best[0]}")


if __name__ == "__main__":
    main()
