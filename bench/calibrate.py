"""Fit the confidence model and the abstention threshold of qa/pipeline.py on data.

    .venv/bin/python bench/calibrate.py [--squad ../shared/data/squad/dev-v1.1.json] [--n 1500]

Answerable questions: SQuAD v1.1 dev asked against its own index, and the seed gold set.
Unanswerable: SQuAD questions asked against the seed-only index (off-topic), and the seed
gold set's unanswerable questions. It fits P(answer contains a gold answer) by logistic
regression on the best sentence's evidence, then prints the coefficients and, for a range
of thresholds, how many off-topic questions are refused and how many seed questions answered.
The off-topic sample here is drawn with another seed than the 500 that CI checks.
"""
from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.embedder import get_embedder  # noqa: E402
from ingest.pipeline import add_files  # noqa: E402
from qa import evaluation  # noqa: E402
from qa.pipeline import QAPipeline  # noqa: E402


def features(pipeline: QAPipeline, question: evaluation.GoldQuestion) -> tuple[list[float], bool]:
    result = pipeline.run(question.question, question.history)
    span = result.span if result.span else None
    if span is None:  # abstained: recover the evidence it had
        from qa.reader import best_span

        span = best_span(result.candidates[:3], pipeline.index.following_passages)
    if span is None:
        return [0.0] * 3, False
    hit = bool(question.answers) and evaluation.contains_answer(span.text, question.answers)
    return [span.sentence_dense, span.sentence_lexical, result.query.unknown], hit


def fit_logistic(x: np.ndarray, y: np.ndarray, steps: int = 20000, lr: float = 0.5) -> np.ndarray:
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-xb @ w))
        w -= lr * xb.T @ (p - y) / len(y)
    return w


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=ROOT.parent / "shared/data/squad/dev-v1.1.json")
    parser.add_argument("--n", type=int, default=1500)
    args = parser.parse_args()
    embedder = get_embedder()
    seed_index = Path(tempfile.mkdtemp()) / "index"
    add_files([ROOT / "corpus"], seed_index, embedder=embedder, progress=False)
    seed = QAPipeline(seed_index, embedder)
    squad = QAPipeline(evaluation.squad_index(args.squad, ROOT / ".cache/eval", embedder), embedder)
    _, squad_questions = evaluation.load_squad(args.squad)
    gold = evaluation.load_gold(ROOT / "eval/seed-gold.jsonl")

    rng = random.Random(12345)
    in_domain = [features(squad, q) for q in rng.sample(squad_questions, args.n)]
    offtopic = [features(seed, q)[0] for q in rng.sample(squad_questions, args.n)]
    seed_rows = [(features(seed, q), q.answerable) for q in gold]

    x = np.array([f for f, _ in in_domain] + offtopic + [f for (f, _), _ in seed_rows])
    y = np.array([h for _, h in in_domain] + [False] * len(offtopic) + [h and a for (_, h), a in seed_rows], dtype=float)
    w = fit_logistic(x, y)
    names = ["bias", "sentence_dense", "sentence_lexical", "unknown"]
    print("CALIBRATION = {" + ", ".join(f'"{n}": {v:.2f}' for n, v in zip(names, w)) + "}")

    def confidence(f):
        return 1 / (1 + np.exp(-(w[0] + np.dot(w[1:], f))))

    print("threshold  offtopic_refused  seed_answered_right  seed_unanswerable_refused  squad_answered  squad_precision")
    for t in (0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5):
        refused = np.mean([confidence(f) < t for f in offtopic])
        seed_right = np.mean([confidence(f) >= t and h for (f, h), a in seed_rows if a])
        seed_refused = np.mean([confidence(f) < t for (f, _), a in seed_rows if not a])
        answered = [(confidence(f) >= t, h) for f, h in in_domain]
        squad_answered = np.mean([a for a, _ in answered])
        precision = np.mean([h for a, h in answered if a]) if any(a for a, _ in answered) else float("nan")
        print(f"{t:9.2f}  {refused:16.3f}  {seed_right:19.3f}  {seed_refused:25.3f}  {squad_answered:14.3f}  {precision:15.3f}")


if __name__ == "__main__":
    main()
