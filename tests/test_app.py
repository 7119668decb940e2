"""The web app, started as a user starts it, answering over HTTP and through its /ask API."""
from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from apprun.process import app_environment
from conftest import ROOT


@pytest.fixture
def app_url(shared_app):
    return shared_app.url


def test_app_serves_the_chat_page(app_url):
    page = httpx.get(app_url, timeout=10)
    assert page.status_code == 200
    assert "Report Q&amp;A" in page.text or "Report Q&A" in page.text


def test_ask_api_returns_the_cli_json(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    data = client.predict("What obstacles hinder cooperation in space?", [], api_name="/ask")
    assert data["abstained"] is False
    assert "serious obstacles" in data["answer"]
    assert all(c["passage"][c["start"] : c["end"]] in data["answer"] for c in data["citations"])
    assert data["scope"] is None and data["across"] == []  # old callers' calls get the old answer


def test_ask_api_takes_scope_filters(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    doc_id = client.predict("Who prepared the report?", [], api_name="/ask")["citations"][0]["doc_id"]
    data = client.predict("Who prepared the report?", [], [doc_id], "2020", "2020-12", api_name="/ask_within")
    assert data["answer"] == "This report was prepared by Mark Manantan."
    assert data["scope"]["reports"][0]["doc_id"] == doc_id and data["scope"]["inferred"] is False
    refused = client.predict("Who prepared the report?", [], [], "2031", "", api_name="/ask_within")
    assert refused["abstained"] and "no dated report since 2031" in refused["answer"]


def test_cited_report_is_served_by_id_and_nothing_else(app_url):
    from gradio_client import Client

    c = Client(app_url, verbose=False).predict("Who prepared the report?", [], api_name="/ask")["citations"][0]
    name = c["file"]
    assert c["link"] == f"/reports/{c['doc_id']}/{name}"
    original = httpx.get(app_url + c["link"].lstrip("/"), timeout=10)
    assert original.status_code == 200 and "Mark Manantan" in original.text
    # a text or HTML report is shown as text, in a sandbox: markup in it never runs on our site
    assert original.headers["content-type"].startswith("text/plain")
    assert original.headers["content-security-policy"] == "sandbox"
    for path in (f"reports/{c['doc_id']}/other.txt", f"reports/0000000000000000/{name}",
                 f"reports/{c['doc_id']}/..%2F..%2Fpyproject.toml", "reports/..%2F..%2Fapp.py"):
        assert httpx.get(app_url + path, timeout=10).status_code == 404, path


def test_public_answer_hides_server_paths_of_across_report_quotes():
    """An answer across reports cites each report: none of those citations may carry the server's file path."""
    from qa.models import Answer, Citation, ReportAnswer
    from web.chat import public_answer

    def cited(doc_id: str) -> Citation:
        return Citation(doc_id, "Annual Report", 3, "Passage.", 0, 8, 1.0, f"/srv/secret/{doc_id}.pdf")

    answer = Answer("How has it changed?", "Passage. Passage.", False, 0.8, citations=[cited("a"), cited("b")],
                    across=[ReportAnswer("a", "Annual Report", "2019", "Passage.", 0.8, [cited("a")]),
                            ReportAnswer("b", "Annual Report", "2020", "Passage.", 0.8, [cited("b")])])
    data = public_answer(answer)
    assert "/srv/secret" not in repr(data)
    assert [c["file"] for r in data["across"] for c in r["citations"]] == ["a.pdf", "b.pdf"]


def test_a_raw_http_call_with_the_two_values_scripts_send_is_answered(app_url):
    """Gradio fills in no defaults for raw HTTP calls: /ask must take exactly (question, history), as it always has."""
    started = httpx.post(f"{app_url}gradio_api/call/ask", json={"data": ["Who prepared the report?", []]}, timeout=30)
    events = httpx.get(f"{app_url}gradio_api/call/ask/{started.json()['event_id']}", timeout=60).text
    assert "event: complete" in events and "Mark Manantan" in events, events[:500]


# The app's own steps up to serving, in a process of its own: none of them loads torch (1.4 s of CPU at every start),
# and torch, once something loads it, runs on one thread as the app always set it. Gradio made its components
# without rewriting its type stubs (1.6 s of CPU): the step it calls is still there to skip, and was skipped.
_STARTS_WITHOUT_TORCH = """
import inspect, sys
from pathlib import Path
import app
app.create_app(app.load_pipeline(Path(sys.argv[1])))
app.one_torch_thread()
assert "torch" not in sys.modules, "the app's start imported torch"
from gradio import component_meta
assert "create_or_modify_pyi(" in inspect.getsource(component_meta.ComponentMeta.__new__)
assert component_meta.create_or_modify_pyi.__module__ == "app", "gradio rewrote its type stubs"
import torch
print(torch.get_num_threads())
"""


@pytest.mark.slow  # a process of its own
def test_the_app_starts_without_torch_or_gradio_stubs_and_torch_loaded_later_runs_on_one_thread(seed_index):
    run = subprocess.run([sys.executable, "-c", _STARTS_WITHOUT_TORCH, str(seed_index)], cwd=ROOT, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0 and run.stdout.strip() == "1", run.stdout + run.stderr


@pytest.mark.slow  # a process of its own
def test_an_app_that_refuses_its_index_has_loaded_neither_gradio_nor_torch(scratch_index):
    """It says why at once: the web framework is imported only for an index that loaded."""
    (faiss_file,) = scratch_index.glob("passages-*.faiss")
    faiss_file.write_bytes(faiss_file.read_bytes()[:100])
    run = subprocess.run([sys.executable, "-X", "importtime", "app.py", "--port", "0"], cwd=ROOT, capture_output=True,
                         text=True, timeout=120, env=app_environment(scratch_index))
    assert run.returncode != 0 and "Report Q&A cannot start:" in run.stderr, run.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in run.stderr.splitlines() if line.startswith("import time:")}
    assert "qa.pipeline" in imported and not {"gradio", "fastapi", "torch"} & imported
