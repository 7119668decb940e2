"""Talk to a Gradio page of the running app as a browser tab does: its events, public or private, over HTTP."""
from __future__ import annotations

import json
import uuid

import httpx


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
