"""Choose qa/extract.py READER_WEIGHT by article-level cross-validation on a SQuAD file.

    .venv/bin/python bench/reader_order.py [--squad FILE] [--cache DIR] [--folds 4] [--seeds 5]

The reader orders the passages it reads (the first READ) by retrieval's score plus READER_WEIGHT times its best
sentence's evidence (reorder_by_reader). Every question is asked once; each weight's order is then rebuilt from the
passages' scores, which stay retrieval's. Prints passage hit@1 per weight over all questions (in sample), then, for
each split of the articles into folds, the weight that does best on the other folds' articles scored on each fold's
own: the figure to expect on articles no weight was chosen on.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.measure import load, shared_data  # noqa: E402
from ingest import settings  # noqa: E402
from ingest.embedder import get_embedder  # noqa: E402
from qa import evaluation  # noqa: E402
from qa.extract import reader_evidence, years_in  # noqa: E402
from qa.pipeline import READ, QAPipeline  # noqa: E402

WEIGHTS = (0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=None)
    parser.add_argument("--cache", type=Path, default=ROOT / ".cache/eval", help="where the SQuAD index is cached")
    parser.add_argument("--folds", type=int, default=4)
    parser.add_argument("--seeds", type=int, default=5)
    args = parser.parse_args()
    squad = args.squad or shared_data("squad/dev-v1.1.json")
    settings.configure_process()
    embedder = get_embedder()
    pipeline = QAPipeline(evaluation.squad_index(squad, args.cache, embedder), embedder)
    article = {qa["id"]: a["title"] for a in json.loads(squad.read_text())["data"]
               for p in a["paragraphs"] for qa in p["qas"]}
    _, questions = evaluation.load_squad(squad)
    hits = np.zeros((len(WEIGHTS), len(questions)), dtype=bool)  # passage hit@1 per weight and question
    for n, q in enumerate(questions):
        candidates = pipeline.run(q.question).candidates
        read = sorted(candidates[:READ], key=lambda c: c.score, reverse=True)  # retrieval's order
        # The years asked, as the pipeline reads them less those naming a report: SQuAD's article titles name none.
        evidence = np.array([reader_evidence(c, q.question, years_in(q.question)) for c in read])
        scores = np.array([c.score for c in read])
        for w, weight in enumerate(WEIGHTS):
            if read:
                first = read[int(np.argmax(scores + weight * evidence))]
                hits[w, n] = evaluation.contains_answer(first.passage.text, q.answers)
    print(f"{len(questions)} questions of {len(set(article.values()))} articles ({load()})")
    for weight, row in zip(WEIGHTS, hits):
        print(f"weight {weight:<5} passage hit@1 {row.mean():.4f} (in sample)")
    titles = sorted(set(article.values()))
    for seed in range(args.seeds):
        order = list(np.random.RandomState(seed).permutation(titles))
        fold = np.array([order.index(article[q.id]) % args.folds for q in questions])
        held_out, chosen = np.zeros(len(questions), dtype=bool), []
        for k in range(args.folds):
            best = max(range(len(WEIGHTS)), key=lambda w: (hits[w, fold != k].mean(), -w))
            chosen.append(WEIGHTS[best])
            held_out[fold == k] = hits[best, fold == k]
        print(f"split {seed}: held-out passage hit@1 {held_out.mean():.4f} (weight 0: {hits[0].mean():.4f}); "
              f"weights chosen {chosen}")


if __name__ == "__main__":
    main()
