"""Fit the answer-key scorer (qa/answer_key.py WEIGHTS) on SQuAD and report it on held-out articles.

    .venv/bin/python bench/fit_answer_key.py [--squad ../shared/data/squad/dev-v1.1.json] [--triples FILE]

First it asks the pipeline every question of the SQuAD file (against the file's own cached index, as
`qa eval --squad` does) and keeps, per question, what the first citation quotes; the triples (question,
quote, gold answers) are written to --triples once and read from there afterwards. The articles are then
split in two by title: the weights are fitted on one half (a softmax over each quote's candidate keys,
the target being the candidates closest to a gold answer) and key_em/key_f1 are printed for both halves,
per kind of answer. It prints the WEIGHTS table to paste into qa/answer_key.py.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np
from tqdm import tqdm

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from qa import answer_key, evaluation  # noqa: E402

# Per-kind weights are the shared ones plus an offset, pulled harder towards zero: a kind with few
# questions borrows from the others rather than fitting its own noise.
SHARED_L2, KIND_L2 = 1e-4, 1e-3


def dump_triples(squad: Path, path: Path) -> None:
    from ingest.embedder import get_embedder
    from qa.pipeline import QAPipeline

    embedder = get_embedder()
    pipeline = QAPipeline(evaluation.squad_index(squad, ROOT / ".cache/eval", embedder), embedder)
    data = json.loads(squad.read_text(encoding="utf-8"))["data"]
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for article in tqdm(data, desc="Articles"):
            for paragraph in article["paragraphs"]:
                for qa in paragraph["qas"]:
                    answers = [a["text"] for a in qa.get("answers", [])]
                    if not answers:
                        continue
                    citations = pipeline.ask(qa["question"]).citations
                    quote = citations[0].passage[citations[0].start:citations[0].end] if citations else ""
                    out.write(json.dumps({"title": article["title"], "question": qa["question"],
                                          "quote": quote, "gold": answers}) + "\n")


def held_out_titles(titles: list[str]) -> set[str]:
    """Half of the articles, about half the questions: articles taken in the order of a hash of their title
    (not the file's order), each to the half with fewer questions so far."""
    sizes = Counter(titles)
    halves: tuple[set[str], set[str]] = (set(), set())
    counts = [0, 0]
    for title in sorted(sizes, key=lambda t: hashlib.sha256(t.encode()).hexdigest()):
        smaller = int(counts[1] < counts[0])
        halves[smaller].add(title)
        counts[smaller] += sizes[title]
    return halves[1]


class Examples:
    """Every keyed question's candidates: features, kind and F1 against the gold answers."""

    def __init__(self, triples: list[dict]):
        self.rows, features, kinds = [], [], []
        for t in triples:
            kind = answer_key.expected_kind(t["question"])
            if kind is None or not t["quote"]:
                continue
            spans, x = answer_key.candidate_features(t["question"], t["quote"])
            if not spans:
                continue
            f1 = np.array([max(evaluation.f1_score(t["quote"][s:e], g) for g in t["gold"]) for s, e in spans])
            em = np.array([any(evaluation.normalize(t["quote"][s:e]) == evaluation.normalize(g) for g in t["gold"])
                           for s, e in spans], dtype=float)
            self.rows.append((kind, len(spans), f1, em))
            features.append(x)
            kinds.append(np.full(len(spans), answer_key.KINDS.index(kind)))
        self.x = np.vstack(features)
        self.kind = np.concatenate(kinds)
        sizes = [r[1] for r in self.rows]
        self.starts = np.concatenate([[0], np.cumsum(sizes)[:-1]])
        self.f1 = np.concatenate([r[2] for r in self.rows])
        self.em = np.concatenate([r[3] for r in self.rows])
        best = np.maximum.reduceat(self.f1, self.starts)
        self.group = group = np.repeat(np.arange(len(self.rows)), sizes)
        target = (self.f1 == best[group]) & (best[group] > 0)
        self.target = target / np.maximum(np.add.reduceat(target.astype(float), self.starts)[group], 1)
        self.learnable = best > 0

    def scores(self, shared: np.ndarray, per_kind: np.ndarray) -> np.ndarray:
        return self.x @ shared + np.einsum("ij,ij->i", self.x, per_kind[self.kind])

    def picked(self, scores: np.ndarray) -> np.ndarray:
        """Index of each question's highest-scoring candidate."""
        best = np.maximum.reduceat(scores, self.starts)
        return np.array([s + int(np.argmax(scores[s:s + r[1]] >= best[i]))
                         for i, (s, r) in enumerate(zip(self.starts, self.rows))])


def fit(ex: Examples, steps: int = 1500, lr: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    d = ex.x.shape[1]
    params = np.zeros((1 + len(answer_key.KINDS), d))
    m = np.zeros_like(params)
    v = np.zeros_like(params)
    weight = ex.learnable.astype(float)[ex.group]
    n = ex.learnable.sum()
    for step in range(1, steps + 1):
        s = ex.scores(params[0], params[1:])
        s = s - np.maximum.reduceat(s, ex.starts)[ex.group]
        p = np.exp(s)
        p /= np.add.reduceat(p, ex.starts)[ex.group]
        residual = (p - ex.target) * weight / n
        grad = np.zeros_like(params)
        grad[0] = ex.x.T @ residual + 2 * SHARED_L2 * params[0]
        for k in range(len(answer_key.KINDS)):
            rows = ex.kind == k
            grad[1 + k] = ex.x[rows].T @ residual[rows] + 2 * KIND_L2 * params[1 + k]
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        params -= lr * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    return params[0], params[1:]


def report(name: str, ex: Examples, weights: np.ndarray) -> None:
    """key_em/key_f1 of the keys shown (the scorer's probability at least MIN_PROBABILITY), per kind."""
    scores = np.einsum("ij,ij->i", ex.x, weights[ex.kind])
    picked = ex.picked(scores)
    probability = 1 / np.add.reduceat(np.exp(scores - scores[picked][ex.group]), ex.starts)
    shown = probability >= answer_key.MIN_PROBABILITY
    em, f1 = ex.em[picked], ex.f1[picked]
    kinds = np.array([r[0] for r in ex.rows])
    print(f"{name}: {len(ex.rows)} questions asking for a key, the quote overlapping a gold answer in"
          f" {ex.learnable.mean():.3f}; best candidate's key_f1 {f1.mean():.3f}")
    print(f"  shown: {shown.mean():.3f} of them, key_em {em[shown].mean():.3f}, key_f1 {f1[shown].mean():.3f}")
    for kind in answer_key.KINDS:
        rows = shown & (kinds == kind)
        if rows.any():
            print(f"  {kind:7s} {rows.sum():5d} shown ({rows.sum() / (kinds == kind).sum():.2f})"
                  f"  key_em {em[rows].mean():.3f}  key_f1 {f1[rows].mean():.3f}")


def print_cost(triples: list[dict]) -> None:
    """CPU time of answer_key per question, its word cache warm as in a running app (second pass)."""
    keyed = [t for t in triples if answer_key.expected_kind(t["question"])]
    for rows, what in ((keyed, "asking for a key"), (triples, "of any kind")):
        for _ in range(2):
            started = time.process_time()
            for t in rows:
                answer_key.answer_key(t["question"], t["quote"])
            cost = (time.process_time() - started) / len(rows) * 1000
        print(f"answer_key: {cost:.3f} ms CPU per question {what} ({len(rows)} questions)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=ROOT.parent / "shared/data/squad/dev-v1.1.json")
    parser.add_argument("--triples", type=Path, default=Path("/tmp/keyspan/triples.jsonl"))
    args = parser.parse_args()
    from ingest import settings

    settings.configure_process()  # a process of its own, like the commands
    if not args.triples.exists():
        dump_triples(args.squad, args.triples)
    triples = [json.loads(line) for line in args.triples.read_text(encoding="utf-8").splitlines()]
    held_out = held_out_titles([t["title"] for t in triples])
    fit_half = Examples([t for t in triples if t["title"] not in held_out])
    test_half = Examples([t for t in triples if t["title"] in held_out])
    shared, per_kind = fit(fit_half)
    weights = shared + per_kind
    report("fit articles", fit_half, weights)
    report("held-out articles", test_half, weights)
    print_cost(triples)
    print("WEIGHTS = {  # per kind, in the order of FEATURES")
    for kind, row in zip(answer_key.KINDS, weights):
        print(f'    "{kind}": [{", ".join(f"{w:.2f}" for w in row)}],')
    print("}")


if __name__ == "__main__":
    main()
