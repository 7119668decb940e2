"""Fit the confidence model and the abstention threshold of qa/pipeline.py on data.

    .venv/bin/python bench/calibrate.py [--squad ../shared/data/squad/dev-v1.1.json] [--n 1500]
        [--library-index DIR [--library-gold eval/library-gold.jsonl]]

Answerable questions: SQuAD v1.1 dev asked against its own index, the seed gold set and, given an index of the
library it is written for, the library gold set. Unanswerable: SQuAD questions asked against the seed-only index
(off-topic), and the gold sets' unanswerable questions. It fits P(answer contains a gold answer) by logistic
regression on the best sentence's evidence, then prints the coefficients and, for a range
of thresholds, how many off-topic questions are refused and how many seed questions answered; then, per floor of
evidence a "possibly related" passage needs (qa/refusals.py RELATED_FLOOR), the share of off-topic questions that
list no passage, and of answerable questions refused that list the passage holding their answer.
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

from ingest import settings  # noqa: E402
from ingest.embedder import get_embedder  # noqa: E402
from ingest.pipeline import add_files  # noqa: E402
from qa import evaluation  # noqa: E402
from qa.pipeline import ABSTAIN_BELOW, QAPipeline, passage_span  # noqa: E402
from qa.refusals import holds_prose  # noqa: E402

NAMES = ["sentence_dense", "sentence_lexical", "unknown", "lacks_asked_kind", "unmentioned_year", "asked_part",
         "unmentioned_organisation", "echoes_question"]


def features(pipeline: QAPipeline, question: evaluation.GoldQuestion) -> tuple[list[float], bool]:
    return evidence(pipeline, question)[:2]


def evidence(pipeline: QAPipeline, question: evaluation.GoldQuestion) -> tuple[list[float], bool, list[tuple[list[float], bool]]]:
    """The answer's evidence, whether the answer shown holds a gold answer, and each prose passage retrieved: its
    own best sentence's evidence and whether it holds a gold answer (for the floor of "possibly related")."""
    result = pipeline.run(question.question, question.history)
    asked = result.read_as or question.question  # a bare follow-up's quote is read for the question it continues
    spans = [(c, passage_span(c)) for c in result.candidates if holds_prose(c.passage)] if result.query else []
    passages = [([pipeline.evidence(span, result.query, asked)[n] for n in NAMES],
                 evaluation.contains_answer(c.passage.text, question.answers))
                for c, span in spans if span is not None]
    span = result.span if result.span else None
    shown = result.answer.answer if span is not None else ""  # a list answer shows its items' lead sentences
    if span is None:  # abstained: recover the evidence it had
        from qa.extract import best_span

        span = best_span(result.candidates[:3], pipeline.index.following_passages, asked)
        shown = span.text if span is not None else ""
    if span is None:
        return [0.0] * len(NAMES), False, passages
    hit = bool(question.answers) and evaluation.contains_answer(shown, question.answers)
    found = pipeline.evidence(span, result.query, asked)
    return [found[name] for name in NAMES], hit, passages


def fit_logistic(x: np.ndarray, y: np.ndarray, weight: np.ndarray, steps: int = 20000, lr: float = 0.5) -> np.ndarray:
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    for _ in range(steps):
        p = 1 / (1 + np.exp(-xb @ w))
        w -= lr * xb.T @ (weight * (p - y)) / weight.sum()
    return w


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--squad", type=Path, default=ROOT.parent / "shared/data/squad/dev-v1.1.json")
    parser.add_argument("--n", type=int, default=1500)
    parser.add_argument("--library-index", type=Path, help="An index of the library the library gold set asks about")
    parser.add_argument("--library-gold", type=Path, default=ROOT / "eval/library-gold.jsonl")
    args = parser.parse_args()
    settings.configure_process()  # a process of its own, like the commands
    embedder = get_embedder()
    seed_index = Path(tempfile.mkdtemp()) / "index"
    add_files([ROOT / "corpus"], seed_index, embedder=embedder, progress=False)
    seed = QAPipeline(seed_index, embedder)
    squad = QAPipeline(evaluation.squad_index(args.squad, ROOT / ".cache/eval", embedder), embedder)
    _, squad_questions = evaluation.load_squad(args.squad)
    gold = evaluation.load_gold(ROOT / "eval/seed-gold.jsonl")

    rng = random.Random(12345)
    in_domain_runs = [evidence(squad, q) for q in rng.sample(squad_questions, args.n)]
    offtopic_runs = [evidence(seed, q) for q in rng.sample(squad_questions, args.n)]
    in_domain = [(f, h) for f, h, _ in in_domain_runs]
    offtopic = [f for f, _, _ in offtopic_runs]
    seed_rows = [(features(seed, q), q.answerable) for q in gold]
    library_rows = []
    if args.library_index:
        library = QAPipeline(args.library_index, embedder)
        library_rows = [(features(library, q), q.answerable) for q in evaluation.load_gold(args.library_gold)]

    gold_rows = seed_rows + library_rows
    x = np.array([f for f, _ in in_domain] + offtopic + [f for (f, _), _ in gold_rows])
    y = np.array([h for _, h in in_domain] + [False] * len(offtopic) + [h and a for (_, h), a in gold_rows], dtype=float)
    # The gold sets are small beside SQuAD: each of their questions counts as many as makes them weigh alike.
    weight = np.array([1.0] * (len(in_domain) + len(offtopic)) + [len(in_domain) / max(len(gold_rows), 1) / 2] * len(gold_rows))
    w = fit_logistic(x, y, weight)
    print("CALIBRATION = {" + ", ".join(f'"{n}": {v:.2f}' for n, v in zip(["bias"] + NAMES, w)) + "}")

    def confidence(f):
        return 1 / (1 + np.exp(-(w[0] + np.dot(w[1:], f))))

    print("threshold  offtopic_refused  seed_answered_right  seed_unanswerable_refused  squad_answered  squad_precision"
          "  library_right  library_abstain_recall  library_abstain_precision")
    for t in (0.05, 0.08, 0.1, 0.12, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5):
        refused = np.mean([confidence(f) < t for f in offtopic])
        seed_right = np.mean([confidence(f) >= t and h for (f, h), a in seed_rows if a])
        seed_refused = np.mean([confidence(f) < t for (f, _), a in seed_rows if not a])
        answered = [(confidence(f) >= t, h) for f, h in in_domain]
        squad_answered = np.mean([a for a, _ in answered])
        precision = np.mean([h for a, h in answered if a]) if any(a for a, _ in answered) else float("nan")
        library = [(confidence(f) < t, h, a) for (f, h), a in library_rows]
        library_right = np.mean([not r and h for r, h, a in library if a]) if library else float("nan")
        library_recall = np.mean([r for r, _, a in library if not a]) if library else float("nan")
        refused_rows = [a for r, _, a in library if r]
        library_precision = np.mean([not a for a in refused_rows]) if refused_rows else float("nan")
        print(f"{t:9.2f}  {refused:16.3f}  {seed_right:19.3f}  {seed_refused:25.3f}  {squad_answered:14.3f}  {precision:15.3f}"
              f"  {library_right:13.3f}  {library_recall:22.3f}  {library_precision:25.3f}")

    related_floors(w, in_domain_runs, offtopic_runs, ABSTAIN_BELOW)


def related_floors(w: np.ndarray, in_domain, offtopic, abstain_below: float) -> None:
    """Per floor: the share of off-topic questions listing no related passage; of the in-domain questions, were they
    refused, the share listing the passage that holds their answer (too few are refused to count those alone)."""
    def confidence(f):
        return 1 / (1 + np.exp(-(w[0] + np.dot(w[1:], f))))

    refused = sum(confidence(f) < abstain_below for f, _, _ in in_domain)
    print(f"\nrelated floor ({len(offtopic)} off-topic; {len(in_domain)} in-domain, {refused} of them refused)")
    print("floor  offtopic_listing_none  in_domain_listing_answer  in_domain_mean_listed")
    for floor in (0.01, 0.02, 0.03, 0.05, 0.08, 0.1, 0.12, 0.15):
        def listed(passages):
            return [hit for f, hit in passages if confidence(f) >= floor][:3]

        none = np.mean([not listed(p) for _, _, p in offtopic])
        answer = np.mean([any(listed(p)) for _, _, p in in_domain])
        mean_listed = np.mean([len(listed(p)) for _, _, p in in_domain])
        print(f"{floor:5.3f}  {none:21.3f}  {answer:24.3f}  {mean_listed:21.2f}")


if __name__ == "__main__":
    main()
