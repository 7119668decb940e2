"""`qa eval`: metrics, gold sets, SQuAD files and thresholds."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from conftest import ROOT, SHARED
from qa.evaluation import (
    METRICS, Row, by_kind, cited_doc_hit, cited_docs_recall, contains_answer, f1_score, load_gold, normalize, reliability,
    summarize,
)
from qa.models import Citation

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


def test_answers_match_through_a_pdf_text_layer():
    assert contains_answer("OPM increased the investigator workforce by awarding \ufb01eldwork contracts", ["fieldwork contracts"])
    assert contains_answer("Kathleen M. McGettigan\x01 Acting Director", ["Kathleen M. McGettigan"])


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


@pytest.mark.slow
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
    # A build that was interrupted left the cached name half-built: it is built again, and nothing else is left.
    [cached] = (tmp_path / "cache").iterdir()
    (cached / "index.sqlite").unlink()
    run = qa_cli("eval", "--squad", path, "--cache", tmp_path / "cache", "--json", out, cwd=tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert json.loads(out.read_text())["metrics"]["answer_hit_at_1"] == 1.0
    assert [p.name for p in (tmp_path / "cache").iterdir()] == [cached.name]


@pytest.mark.skipif(not SQUAD_V1.is_file(), reason=f"{SQUAD_V1} not present (../shared/data is only on the dev and CI machines)")
def test_off_topic_squad_questions_are_refused_on_the_seed_index(seed_index):
    run = qa_cli("eval", "--squad", SQUAD_V1, "--offtopic", "--limit", "500", "--seed", "0",
                 "--index", seed_index, "--min", "abstain_recall=0.95")
    assert run.returncode == 0, run.stdout + run.stderr


# -- a library of reports: which report answered, per kind, reliability ----------------------------------

def fake_row(kind="named", answerable=True, abstained=False, hit=True, confidence=0.5, doc_hit=None, docs_recall=None):
    return Row(id=kind, question="?", answerable=answerable, abstained=abstained, answer="" if abstained else "a",
               confidence=confidence, gold=["a"] if answerable else [], answer_hit=hit and answerable and not abstained,
               f1=0.0, em=0.0, passage_rank=1 if answerable else None, latency_ms=1.0, kind=kind,
               doc_hit=doc_hit, docs_recall=docs_recall)


def cite(source: str, doc_id: str = "0123abcd") -> Citation:
    return Citation(doc_id=doc_id, title="Annual Performance Report", page=1, passage="", start=0, end=0, score=1.0,
                    source=source)


def test_gold_rows_name_their_reports_and_kinds(tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(row) for row in [
        {"id": "old", "question": "Who?", "answers": ["Ann"]},
        {"id": "one", "question": "In 2016?", "answers": ["9"], "doc": "2016-report.pdf", "kind": "named"},
        {"id": "many", "question": "Over the years?", "answers": ["9"], "docs": ["2016-report.pdf", "2017-report"],
         "kind": "across"},
        {"id": "none", "question": "Who won?", "answers": [], "answerable": False, "doc": None},
    ]))
    old, one, many, none = load_gold(gold)
    assert (old.docs, old.across, old.kind) == ([], False, "")
    assert none.docs == [] and not none.answerable  # "doc": null names no report
    assert (one.docs, one.across, one.kind) == (["2016-report.pdf"], False, "named")
    assert (many.docs, many.across, many.kind) == (["2016-report.pdf", "2017-report"], True, "across")
    gold.write_text(json.dumps({"id": "turns", "question": "And in 2017?", "answers": ["8"],
                                "history": ["In 2015?", {"question": "In 2016?", "answer": "9"}]}))
    assert load_gold(gold)[0].history == ["In 2015?", "In 2016?"]  # a turn written as an object gives its question
    gold.write_text(json.dumps({"id": "bad", "question": "?", "answers": [], "history": [{"answer": "9"}]}))
    with pytest.raises(ValueError, match="gold.jsonl:1: .*`history` is a list of earlier questions"):
        load_gold(gold)
    gold.write_text(json.dumps({"id": "both", "question": "?", "answers": [], "doc": "a.pdf", "docs": ["b.pdf"]}))
    with pytest.raises(ValueError, match="gold.jsonl:1: .*not both"):
        load_gold(gold)


def test_a_gold_report_is_matched_by_id_file_name_or_stem():
    citations = [cite("/library/2016-annual-performance-report.pdf"), cite("/library/DOT2022.pdf", doc_id="ffee")]
    for name in ("2016-annual-performance-report.pdf", "2016-annual-performance-report", "0123abcd"):
        assert cited_doc_hit(citations, [name]), name
    assert not cited_doc_hit(citations, ["DOT2022.pdf"]), "only the first citation counts"
    assert cited_doc_hit(citations, ["DOT2022.pdf", "2016-annual-performance-report.pdf"])
    assert not cited_doc_hit([], ["DOT2022.pdf"]), "a refusal cites no report"
    assert cited_docs_recall(citations, ["DOT2022", "2016-annual-performance-report.pdf", "EPA2022.pdf"]) == pytest.approx(2 / 3, abs=1e-4)
    assert cited_docs_recall([], ["DOT2022"]) == 0.0


def test_doc_metrics_count_only_answerable_rows_that_name_reports():
    rows = [fake_row(doc_hit=True), fake_row(doc_hit=False, abstained=True), fake_row(doc_hit=True, docs_recall=0.5),
            fake_row(), fake_row(kind="unanswerable", answerable=False, abstained=True)]
    metrics = summarize(rows)
    assert metrics["doc_hit_at_1"] == pytest.approx(2 / 3, abs=1e-4)
    assert metrics["docs_recall"] == 0.5
    assert set(METRICS) == set(metrics)
    old = summarize([fake_row(), fake_row(hit=False)])
    assert old["doc_hit_at_1"] is None and old["docs_recall"] is None and old["answer_hit_at_1"] == 0.5


def test_results_per_kind():
    rows = [fake_row("table", hit=True, doc_hit=True), fake_row("table", hit=False, doc_hit=False),
            fake_row("table", abstained=True, doc_hit=False), fake_row("unanswerable", answerable=False, abstained=True),
            fake_row("unanswerable", answerable=False)]
    kinds = by_kind(rows)
    assert list(kinds) == ["table", "unanswerable"]
    assert kinds["table"]["n"] == 3 and kinds["table"]["answer_hit_at_1"] == pytest.approx(1 / 3, abs=1e-4)
    assert kinds["table"]["doc_hit_at_1"] == pytest.approx(1 / 3, abs=1e-4) and kinds["table"]["abstained"] == pytest.approx(1 / 3, abs=1e-4)
    assert kinds["unanswerable"]["abstained"] == kinds["unanswerable"]["abstain_recall"] == 0.5
    assert by_kind([fake_row(kind="")]) == {}, "an old gold set has no kinds"


def test_reliability_curve_buckets_answers_given_by_confidence():
    rows = [fake_row(confidence=0.1, hit=False), fake_row(confidence=0.15, hit=True),
            fake_row(confidence=0.9, hit=True), fake_row(confidence=1.0, hit=True),
            fake_row(confidence=0.85, answerable=False),  # an answer where none exists is wrong
            fake_row(confidence=0.3, abstained=True)]  # refusals are not answers given
    curve = reliability(rows)
    assert [b["confidence"] for b in curve] == ["0-0.2", "0.2-0.4", "0.4-0.6", "0.6-0.8", "0.8-1"]
    assert [b["n"] for b in curve] == [2, 0, 0, 0, 3]
    assert curve[0]["share_right"] == 0.5 and curve[0]["mean_confidence"] == 0.125
    assert curve[4]["right"] == 2 and curve[4]["share_right"] == pytest.approx(0.6667)
    assert curve[1]["share_right"] is None


def test_eval_reports_and_gates_reports_kinds_and_reliability(seed_index, tmp_path):
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(row) for row in [
        {"id": "author", "question": "Who prepared the report?", "answers": ["Mark Manantan"],
         "doc": "2020-apsdd-key-findings.txt", "kind": "named"},
        {"id": "date", "question": "When was the Asia Pacific Space Diplomacy Dialogue held?",
         "answers": ["December 1, 2020"], "docs": ["2020-apsdd-key-findings", "another-report.pdf"], "kind": "across"},
        {"id": "absent", "question": "What did the dialogue cost?", "answers": [], "answerable": False,
         "kind": "unanswerable"},
    ]))
    out = tmp_path / "report.json"
    run = qa_cli("eval", gold, "--index", seed_index, "--json", out, "--min", "named:doc_hit_at_1=1",
                 "--min", "docs_recall=0.5")
    assert run.returncode == 0, run.stdout + run.stderr
    report = json.loads(out.read_text())
    assert report["metrics"]["doc_hit_at_1"] == 1.0 and report["metrics"]["docs_recall"] == 0.5
    assert set(report["by_kind"]) == {"named", "across", "unanswerable"}
    assert sum(b["n"] for b in report["reliability"]) == sum(not q["abstained"] for q in report["questions"])
    assert report["questions"][0]["cited_docs"] == ["2020-apsdd-key-findings.txt"]
    assert "by kind" in run.stdout and "reliability" in run.stdout
    gated = qa_cli("eval", gold, "--index", seed_index, "--min", "across:docs_recall=0.6", "--min", "table:answer_hit_at_1=0.1")
    assert gated.returncode == 1
    assert "across:docs_recall = 0.5 < 0.6" in gated.stderr and "table:answer_hit_at_1 = None" in gated.stderr
    unknown = qa_cli("eval", gold, "--index", seed_index, "--min", "named:hit=0.5")
    assert unknown.returncode == 2 and "unknown metric 'hit'" in unknown.stderr
