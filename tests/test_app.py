"""The web app, started as a user starts it, answering over HTTP and through its /ask API."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from conftest import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def app_url(seed_index, tmp_path_factory):
    port = _free_port()
    log = tmp_path_factory.mktemp("app") / "app.log"
    env = {**os.environ, "QA_INDEX_DIR": str(seed_index), "GRADIO_ANALYTICS_ENABLED": "False"}
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"app exited early:\n{log.read_text()}"
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        else:
            pytest.fail(f"app did not start:\n{log.read_text()}")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=30)


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
    c = data["citations"][0]
    assert c["passage"][c["start"] : c["end"]] == data["answer"]


def test_chat_answer_shows_numbered_citation(app_url):
    from gradio_client import Client

    reply = Client(app_url, verbose=False).predict("Who prepared the report?", api_name="/chat")
    assert "Mark Manantan" in reply
    assert "[1]" in reply and "page 1" in reply
