"""`qa eval`: metrics, gold sets, SQuAD files and thresholds."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, SHARED
from qa.evaluation import contains_answer, f1_score, load_gold, normalize

SEED_GOLD = ROOT / "eval" / "seed-gold.jsonl"
SQUAD_V1 = SHARED / "data" / "squad" / "dev-v1.1.json"


def qa_cli(*args, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "qa.cli", *map(str, args)], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PYTHONUTF8": "1"})


def test_squad_normalisation():
    assert normalize("The  Denver Broncos!") == "denver broncos"
    assert contains_answer("It was won by the Denver Broncos in 2016.", ["Denver Broncos"])
    assert not contains_answer("Broncos", ["Denver Broncos"])
    assert not contains_answer("in 20160", ["2016"]), "a gold answer must match whole words"
    assert f1_score("Denver Broncos won", "Denver Broncos") == pytest.approx(0.8)


def test_seed_gold_set_is_well_formed():
    questions = load_gold(SEED_GOLD)
    text = (ROOT / "corpus" / "2020-apsdd-key-findings.txt").read_text(encoding="utf-8")
    assert len(questions) >= 40
    assert sum(not q.answerable for q in questions) >= 8
    assert sum(bool(q.history) for q in questions) >= 5
    for q in questions:
        assert all(a in text for a in q.answers), f"{q.id}: gold answers are verbatim report text"
        assert q.answerable == bool(q.answers)


def test_eval_on_seed_gold_meets_its_thresholds(seed_index, tmp_path):
    out = tmp_path / "seed.json"
    run = qa_cli("eval", SEED_GOLD, "--index", seed_index, "--json", out,
                 "--min", "answer_hit_at_1=0.9", "--min", "passage_hit_at_5=0.9", "--min", "abstain_recall=0.6")
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(out.read_text())
    assert report["metrics"]["n"] == len(report["questions"]) == len(load_gold(SEED_GOLD))
    assert "answer_hit_at_1" in run.stdout


def test_eval_exits_non_zero_below_a_threshold(seed_index):
    run = qa_cli("eval", SEED_GOLD, "--index", seed_index, "--limit", "5", "--min", "answer_hit_at_1=1.01")
    assert run.returncode == 1
    assert "below threshold" in run.stderr


def test_eval_on_a_small_squad_file(tmp_path):
    squad = {"version": "v2.0", "data": [
        {"title": "Volcanoes", "paragraphs": [{"context": "Mount Etna is an active volcano on the east coast of Sicily. "
                                                           "It is one of the tallest active volcanoes in Europe.",
                                               "qas": [{"id": "v1", "question": "Where is Mount Etna?",
                                                        "answers": [{"text": "on the east coast of Sicily", "answer_start": 32}]},
                                                       {"id": "v2", "question": "Who founded the Roman Republic?",
                                                        "answers": [], "is_impossible": True}]}]},
        {"title": "Rivers", "paragraphs": [{"context": "The Danube flows through ten countries before it reaches the Black Sea.",
                                            "qas": [{"id": "r1", "question": "Into which sea does the Danube flow?",
                                                     "answers": [{"text": "Black Sea", "answer_start": 65}]}]}]},
    ]}
    path = tmp_path / "mini-squad.json"
    path.write_text(json.dumps(squad))
    out = tmp_path / "report.json"
    run = qa_cli("eval", "--squad", path, "--cache", tmp_path / "cache", "--json", out, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    metrics = json.loads(out.read_text())["metrics"]
    assert metrics["n"] == 3
    assert metrics["passage_hit_at_1"] == 1.0 and metrics["answer_hit_at_1"] == 1.0
    assert metrics["abstain_recall"] == 1.0
    assert len(list((tmp_path / "cache").iterdir())) == 1, "the SQuAD index is cached"


@pytest.mark.skipif(not SQUAD_V1.is_file(), reason=f"{SQUAD_V1} not present (../shared/data is only on the dev and CI machines)")
def test_off_topic_squad_questions_are_refused_on_the_seed_index(seed_index):
    run = qa_cli("eval", "--squad", SQUAD_V1, "--offtopic", "--limit", "500", "--seed", "0",
                 "--index", seed_index, "--min", "abstain_recall=0.95")
    assert run.returncode == 0, run.stdout + run.stderr
