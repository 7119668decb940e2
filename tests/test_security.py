"""Attacks on the public site, against the app as `python app.py` serves it (issue 11).

Each test performs one attack from the issue and checks that it gets nothing: no server file through any event
of the page (every dependency /config declares, private ones included), no upload, no server path in the JSON,
no missing security header, no log flooding, no monitoring, no cross-origin access.
"""
from __future__ import annotations

import json
import uuid
from pathlib import Path

import httpx
import pytest
from gradio_client import Client

from conftest import SHARED_APP_PASSWORD
from ingest.index import DB_NAME
from running_app import PageSession, app_db, gradio_dir

pytestmark = pytest.mark.reliability  # `make reliability` runs these

PASSWORD = SHARED_APP_PASSWORD


@pytest.fixture
def site(shared_app):
    """(URL, root) of the app with its staff page on; the log is root/app.log. The attacks change nothing, so the
    session's app serves."""
    return shared_app.url, shared_app.root


@pytest.fixture(scope="module")
def secret(tmp_path_factory) -> tuple[Path, str]:
    """A file only the server could read, outside every folder the app knows, with unique content."""
    text = f"SECRET-{uuid.uuid4().hex}"
    path = tmp_path_factory.mktemp("elsewhere") / "credentials.txt"
    path.write_text(text)
    return path, text


def _file(path: str) -> dict:
    return {"path": path, "meta": {"_type": "gradio.FileData"}}


def _file_shapes(path: str) -> list:
    """A server path in every shape Gradio might take a file from: FileData, an old-style file dict, nested in lists
    and dicts, as a chat message's file and as a multimodal textbox's."""
    return [_file(path), {"path": path}, [_file(path)], {"files": [_file(path)], "value": _file(path)},
            [{"role": "user", "content": [{"type": "file", "file": _file(path)}]}],
            {"text": "hi", "files": [_file(path)]}]


def _sse_result(http: httpx.Client, url: str, session_hash: str, event_id: str) -> str:
    """Everything the event stream of ``session_hash`` says until ``event_id`` completes."""
    seen = []
    with http.stream("GET", f"{url}gradio_api/queue/data", params={"session_hash": session_hash}, timeout=60) as s:
        for line in s.iter_lines():
            seen.append(line)
            if line.startswith("data:"):
                message = json.loads(line[5:])
                if message.get("event_id") == event_id and message.get("msg") in ("process_completed", "unexpected_error"):
                    break
                if message.get("msg") == "close_stream":
                    break
    return "\n".join(seen)


def _attack(http: httpx.Client, url: str, dep: dict, data: list, event_data) -> str:
    """Send one event to the page three ways (the page's queue, the named API, the unqueued route); all answers."""
    answers = []
    trigger = dep["targets"][0][0] if dep["targets"] else None
    session = uuid.uuid4().hex[:12]
    joined = http.post(f"{url}gradio_api/queue/join", timeout=30, json={
        "data": data, "event_data": event_data, "fn_index": dep["id"], "trigger_id": trigger, "session_hash": session})
    answers.append(joined.text)
    if joined.status_code == 200:
        answers.append(_sse_result(http, url, session, joined.json()["event_id"]))
    if dep.get("api_name"):
        called = http.post(f"{url}gradio_api/call/{dep['api_name']}", json={"data": data, "event_data": event_data},
                            timeout=30)
        answers.append(called.text)
        if called.status_code == 200:
            answers.append(http.get(f"{url}gradio_api/call/{dep['api_name']}/{called.json()['event_id']}",
                                    timeout=60).text)
    ran = http.post(f"{url}gradio_api/run/predict", timeout=60, json={
        "data": data, "event_data": event_data, "fn_index": dep["id"], "trigger_id": trigger, "session_hash": session})
    answers.append(ran.text)
    return "\n".join(answers)


def test_no_event_of_the_page_reads_a_server_file(site, secret):
    url, root = site
    secret_path, secret_text = secret
    targets = [str(secret_path), "/proc/self/environ", str(app_db(root / "app.log")), str(root / "index" / DB_NAME)]
    config = httpx.get(f"{url}config", timeout=10).json()
    dependencies = config["dependencies"]
    # Every event the page declares, private ones included: /gradio_api/info lists only /ask.
    assert len(dependencies) >= 10 and {"ask", "add_question", "answer_last", "rate"} <= {d["api_name"] for d in dependencies}
    answers = []
    with httpx.Client() as http:  # one connection for the sweep: a new one per request tests nothing more
        for dep in dependencies:
            n = len(dep["inputs"])
            for target in targets:
                shapes = _file_shapes(target) + ([target] if target == str(secret_path) else [])  # and a plain string
                for payload in shapes:
                    # the path in every argument at once, and as the event's data
                    answers.append(_attack(http, url, dep, [payload] * n, payload))
                # In each argument alone, the others ordinary: the path as a file (the guard refuses a file reference
                # wherever it is, so the other shapes, sent in every argument above, take its same way) and the
                # secret's as a plain string, which reaches the event's function.
                for payload in [_file(target)] + ([target] if target == str(secret_path) else []):
                    for i in range(n):
                        data = ["What obstacles hinder cooperation?"] * i + [payload] + ["Who prepared it?"] * (n - i - 1)
                        answers.append(_attack(http, url, dep, data, None))
    said = "\n".join(answers)
    assert secret_text not in said and PASSWORD not in said
    assert "SQLite format 3" not in said
    # Nothing was copied into Gradio's cache, and nothing there is served.
    for copied in (p for p in gradio_dir(root / "app.log").rglob("*") if p.is_file()):
        content = copied.read_bytes()
        assert secret_text.encode() not in content and PASSWORD.encode() not in content, copied
        assert not content.startswith(b"SQLite format 3"), copied
    for path in [str(secret_path), *(str(p) for p in gradio_dir(root / "app.log").rglob("*") if p.is_file())]:
        served = httpx.get(f"{url}gradio_api/file={path}", timeout=10)
        assert served.status_code >= 400 and secret_text not in served.text, path


def test_the_public_site_takes_no_upload(site):
    url, root = site
    mark = uuid.uuid4().hex.encode()
    for size in (1000, 5 << 20):  # a report-sized file and one of 5 MB: a disk-fill takes many of those
        body = mark + b"x" * size
        answer = httpx.post(f"{url}gradio_api/upload", files={"files": ("report.txt", body)}, timeout=60)
        assert 400 <= answer.status_code < 500, answer.text[:200]
    kept = [p for p in gradio_dir(root / "app.log").rglob("*") if p.is_file() and mark in p.read_bytes()]
    assert kept == []
    assert httpx.get(f"{url}config", timeout=10).json()["max_file_size"] == 0  # the page offers no upload either


def _json_text(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def test_public_answers_give_links_never_server_paths(site):
    url, root = site
    corpus_path = str(root)  # every report file of this site lies under it
    client = Client(url, verbose=False)
    answered = client.predict("Who prepared the report?", [], api_name="/ask")
    # A refusal near the report's subject, so that it lists related passages.
    abstained = client.predict("Why did the Japanese space agency cut its budget?", [], api_name="/ask")
    assert answered["citations"] and abstained["related"]
    for data in (answered, abstained):
        assert corpus_path not in _json_text(data)
        for cited in data["citations"] + data["related"]:
            assert "source" not in cited
            assert set(cited) >= {"doc_id", "title", "page", "passage", "start", "end", "score", "url", "date",
                                  "passage_id", "link", "file"}
            assert cited["link"] == f"/reports/{cited['doc_id']}/{cited['file']}"
            assert httpx.get(url + cited["link"].lstrip("/"), timeout=10).status_code == 200
    # The chat's answers and related passages, too.
    page = PageSession(url)
    for question in ("Who prepared the report?", "Why did the Japanese space agency cut its budget?"):
        answer = page.ask(question)
        assert answer["success"]
        assert corpus_path not in _json_text(answer["output"])


def test_pages_carry_security_headers(site):
    url, _ = site
    report = Client(url, verbose=False).predict("Who prepared the report?", [], api_name="/ask")["citations"][0]["link"]
    for path in ("", "config", "gradio_api/info", "staff/", "staff/config", report.lstrip("/")):
        response = httpx.get(url + path, timeout=10)
        headers = response.headers
        assert headers.get("x-content-type-options") == "nosniff", path
        assert headers.get("referrer-policy") == "same-origin", path
        assert headers.get("x-frame-options") == "DENY", path
        if path.startswith("reports/"):
            assert headers["content-security-policy"] == "sandbox"  # a text report keeps its own policy
        else:
            policy = headers.get("content-security-policy", "")
            assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, path
            assert "default-src 'self'" in policy and "connect-src 'self'" in policy, path


def test_unknown_endpoints_get_a_4xx_and_one_log_line(site):
    url, root = site
    log = root / "app.log"
    before = log.read_text()
    probes = [("POST", "gradio_api/call/no_such_api", {"data": ["x"]}),
              ("POST", "gradio_api/call/v2/no_such_api", {"x": 1}),
              ("POST", "gradio_api/run/no_such_api", {"data": ["x"]}),
              ("POST", "gradio_api/api/no_such_api", {"data": ["x"]}),
              ("POST", "gradio_api/run/predict", {"data": ["x"]}),
              ("POST", "gradio_api/run/predict", {"data": ["x"], "fn_index": 9999, "session_hash": "abc"}),
              ("POST", "gradio_api/queue/join", {"data": ["x"], "fn_index": 9999, "session_hash": "abc"}),
              ("POST", "gradio_api/queue/join", {"data": ["x"], "fn_index": -1, "session_hash": "abc"}),
              ("POST", "gradio_api/call/ask", {"data": ["x"], "fn_index": 9999})]
    for method, path, body in probes:
        answer = httpx.request(method, url + path, json=body, timeout=10)
        assert 400 <= answer.status_code < 500, (path, body, answer.status_code)
    new = log.read_text()[len(before):]
    assert "Traceback" not in new
    assert len(new.splitlines()) == len(probes), new


def test_monitoring_is_not_public(site):
    url, _ = site
    for path in ("monitoring", "monitoring/summary", "staff/monitoring/summary", "gradio_api/runs"):
        answer = httpx.get(url + path, timeout=10)
        assert 400 <= answer.status_code < 500, path
        assert "process_time_percentiles" not in answer.text and "total_requests" not in answer.text


def test_no_cross_origin_access(site):
    url, _ = site
    host = httpx.URL(url).netloc.decode()
    cases = [({"Origin": "http://localhost:9"}, "config"),  # another local app, on the same host
             ({"Origin": "https://evil.example", "Host": "reports.example.org"}, "config"),  # a deployment
             ({"Origin": "http://localhost:9"}, "staff/config")]
    for headers, path in cases:
        for method, extra in (("GET", {}), ("OPTIONS", {"Access-Control-Request-Method": "POST"})):
            answer = httpx.request(method, url + path, headers={**headers, **extra}, timeout=10)
            assert "access-control-allow-origin" not in answer.headers, (method, headers, path)
            assert answer.headers.get("access-control-allow-credentials") != "true", (method, headers, path)
    same = httpx.get(f"{url}config", headers={"Origin": f"http://{host}"}, timeout=10)
    assert same.status_code == 200  # the site's own pages need no CORS


def test_gradio_refuses_a_server_file_even_without_the_guard(seed_index, embedder, secret, monkeypatch, tmp_path):
    """Defence in depth: with web/gradio_guard.py's middleware taken out, Gradio's own check (switched on for the
    mounted apps) still refuses a path the client did not upload."""
    from fastapi.testclient import TestClient

    from app import create_app
    from qa.pipeline import QAPipeline
    from web.gradio_guard import GradioGuard

    secret_path, secret_text = secret
    monkeypatch.setenv("GRADIO_TEMP_DIR", str(tmp_path / "gradio"))
    app = create_app(QAPipeline(seed_index, embedder))
    app.user_middleware = [m for m in app.user_middleware if m.cls is not GradioGuard]
    with TestClient(app) as client:
        for api, data in (("ask", [_file(str(secret_path)), []]), ("ask", ["q", [_file(str(secret_path))]]),
                          ("list_reports", [_file(str(secret_path))])):
            called = client.post(f"/gradio_api/call/{api}", json={"data": data})
            assert called.status_code == 200, called.text  # the guard is out: Gradio itself must refuse
            result = client.get(f"/gradio_api/call/{api}/{called.json()['event_id']}").text
            assert "event: error" in result and secret_text not in result and str(tmp_path / "gradio") not in result
    assert not [p for p in (tmp_path / "gradio").rglob("*") if p.is_file() and secret_text in p.read_text(errors="ignore")]
