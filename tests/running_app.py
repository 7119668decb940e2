"""Start the web app as a user does (`python app.py --port N`) over a given index, for the tests that talk to it;
and talk to its pages as a browser tab does (``PageSession``), private events included."""
from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from typing import Iterator

import httpx
import pytest

from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_db(log: Path) -> Path:
    return log.parent / "app-data" / "app.sqlite"


def gradio_dir(log: Path) -> Path:
    return log.parent / "gradio"


@contextlib.contextmanager
def running_app(index_dir: Path, log: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """The app's URL while it serves ``index_dir``; its output goes to ``log``, shown if it fails to start.

    Its database (QA_APP_DB) and Gradio's upload and cache folder (GRADIO_TEMP_DIR) are ``app_db(log)`` and
    ``gradio_dir(log)`` unless ``env`` names others, so that a test can look inside them."""
    port = free_port()
    env = {**os.environ, "QA_INDEX_DIR": str(index_dir), "GRADIO_ANALYTICS_ENABLED": "False",
           "QA_APP_DB": str(app_db(log)), "GRADIO_TEMP_DIR": str(gradio_dir(log)), **(env or {})}
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


class PageSession:
    """One tab of a Gradio page at ``url``: runs its events, public or private, as the page's own script does
    (POST gradio_api/queue/join, then the event stream of gradio_api/queue/data)."""

    def __init__(self, url: str, cookies: dict[str, str] | None = None):
        self.url, self.cookies = url, cookies or {}
        self.config = httpx.get(f"{url}config", cookies=self.cookies, timeout=10).json()
        self.session_hash = uuid.uuid4().hex[:12]

    def dependency(self, api_name: str) -> dict:
        return next(d for d in self.config["dependencies"] if d["api_name"] == api_name)

    def join(self, fn_index: int, data: list, event_data=None, trigger_id: int | None = None) -> httpx.Response:
        body = {"data": data, "event_data": event_data, "fn_index": fn_index, "trigger_id": trigger_id,
                "session_hash": self.session_hash}
        return httpx.post(f"{self.url}gradio_api/queue/join", json=body, cookies=self.cookies, timeout=30)

    def run(self, api_name: str, data: list, event_data=None, timeout: float = 60) -> dict:
        """Run the page's event ``api_name``; returns Gradio's final message ({"success": ..., "output": ...})."""
        dep = self.dependency(api_name)
        trigger = dep["targets"][0][0] if dep["targets"] else None
        if not dep["queue"]:  # the page's script posts an unqueued event to run/predict and gets its output back
            body = {"data": data, "event_data": event_data, "fn_index": dep["id"], "trigger_id": trigger,
                    "session_hash": self.session_hash}
            ran = httpx.post(f"{self.url}gradio_api/run/predict", json=body, cookies=self.cookies, timeout=timeout)
            ran.raise_for_status()
            return {"success": True, "output": ran.json()}
        joined = self.join(dep["id"], data, event_data, trigger)
        joined.raise_for_status()
        return self.result(joined.json()["event_id"], timeout)

    def ask(self, question: str) -> dict:
        """Ask in the chat as the page does: the question is added, then answered; returns the answer event's final
        message. The answer's other inputs are the page's server-side state, which a tab sends as nulls."""
        added = self.run("add_question", [question, None])
        assert added["success"], added
        return self.run("answer_last", [None] * len(self.dependency("answer_last")["inputs"]))

    def result(self, event_id: str, timeout: float = 60) -> dict:
        with httpx.stream("GET", f"{self.url}gradio_api/queue/data", params={"session_hash": self.session_hash},
                          cookies=self.cookies, timeout=timeout) as stream:
            for line in stream.iter_lines():
                if not line.startswith("data:"):
                    continue
                message = json.loads(line[5:])
                if message.get("event_id") == event_id and message.get("msg") == "process_completed":
                    return message
        raise AssertionError(f"no result for event {event_id}")
