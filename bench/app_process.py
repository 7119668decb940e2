"""The web app as users start it (`python app.py --port N`), in a child process, for the HTTP benchmarks."""
from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def app_process(index_dir: Path) -> Iterator[tuple[subprocess.Popen, str]]:
    """The started (not yet ready) app over ``index_dir`` and its URL; stopped on exit."""
    port = free_port()
    env = {**os.environ, "QA_INDEX_DIR": str(index_dir), "GRADIO_ANALYTICS_ENABLED": "False"}
    proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        yield proc, f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # an open client connection can hold uvicorn's graceful shutdown
            proc.kill()
            proc.wait()


def first_answer(proc: subprocess.Popen, url: str, question: str, timeout: float = 120):
    """Ask ``question`` over /ask as soon as the app accepts it; returns the gradio client and the answer."""
    import time

    from gradio_client import Client

    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            sys.exit("the app exited before answering")
        try:
            client = Client(url, verbose=False)
            return client, client.predict(question, [], api_name="/ask")
        except Exception:  # not listening yet: connection refused, or config not served yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
