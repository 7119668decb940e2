"""The web app, started as a user starts it, answering over HTTP and through its /ask API."""
from __future__ import annotations

import httpx
import pytest

from running_app import running_app


@pytest.fixture(scope="module")
def app_url(seed_index, tmp_path_factory):
    with running_app(seed_index, tmp_path_factory.mktemp("app") / "app.log") as url:
        yield url


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
