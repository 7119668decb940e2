"""The web app in a child process, started as users start it: `python app.py --port N` over an index."""
from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, Sequence

import httpx

ROOT = Path(__file__).resolve().parent.parent  # where app.py is
START_TIMEOUT = 120  # seconds: loading the model on a busy machine
GRACE_SECONDS = 1  # for requests under way when the app is stopped


class AppDidNotStart(RuntimeError):
    """The app exited, or did not serve its page in time; the message holds its output."""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def app_db(log: Path) -> Path:
    """The app's own database (readers' ratings) when started by ``running_app`` with this log."""
    return log.parent / "app-data" / "app.sqlite"


def gradio_dir(log: Path) -> Path:
    """Gradio's upload and cache folder when started by ``running_app`` with this log."""
    return log.parent / "gradio"


def app_environment(index_dir: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """This process's environment, serving ``index_dir``, with ``env`` over it."""
    return {**os.environ, "QA_INDEX_DIR": str(index_dir), "GRADIO_ANALYTICS_ENABLED": "False", **(env or {})}


def app_command(port: int, under: Sequence[str] = ()) -> list[str]:
    """The app's command line; ``under``: a command that runs it (such as an `unshare` that mounts its index read-only)."""
    return [*under, sys.executable, "app.py", "--port", str(port)]


@dataclass
class AppProcess:
    proc: subprocess.Popen
    url: str
    log: Path | None  # where its output goes; None: discarded

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log else "(output discarded)"

    def wait_until_serving(self, timeout: float = START_TIMEOUT) -> None:
        """Return once the chat page answers 200; raise AppDidNotStart if the app exits or times out first."""
        deadline = time.monotonic() + timeout
        with httpx.Client(timeout=2) as http:  # one for all the polls: making one costs some 50 ms of CPU (TLS setup)
            while time.monotonic() < deadline:
                if self.proc.poll() is not None:
                    raise AppDidNotStart(f"app exited early (status {self.proc.returncode}):\n{self.output()}")
                try:
                    if http.get(self.url).status_code == 200:
                        return
                except httpx.HTTPError:
                    pass
                time.sleep(0.2)
        raise AppDidNotStart(f"app did not start in {timeout:.0f} s:\n{self.output()}")


@contextlib.contextmanager
def app_process(index_dir: Path, log: Path | None = None, env: dict[str, str] | None = None,
                under: Sequence[str] = ()) -> Iterator[AppProcess]:
    """The app over ``index_dir``, just started (not yet serving: see AppProcess.wait_until_serving); stopped on exit.
    ``under``: a command the app runs under (app_command)."""
    port = free_port()
    with open(log, "w") if log else contextlib.nullcontext(subprocess.DEVNULL) as out:
        proc = subprocess.Popen(app_command(port, under), cwd=ROOT, env=app_environment(index_dir, env), stdout=out,
                                stderr=subprocess.STDOUT)
    try:
        yield AppProcess(proc, f"http://127.0.0.1:{port}/", log)
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """Stop the app as its operator does: SIGTERM, then Ctrl-C. After a second of uvicorn's graceful shutdown what
    is left open is a long-lived stream (a gradio_client's heartbeat), which would hold it for its whole 5 s; a
    second signal, SIGINT, is uvicorn's "force quit"."""
    proc.terminate()
    try:
        proc.wait(timeout=GRACE_SECONDS)
        return
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGINT)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@contextlib.contextmanager
def running_app(index_dir: Path, log: Path, env: dict[str, str] | None = None) -> Iterator[str]:
    """The app's URL while it serves ``index_dir``; its output goes to ``log``, shown if it fails to start.

    Its database (QA_APP_DB) and Gradio's upload and cache folder (GRADIO_TEMP_DIR) are ``app_db(log)`` and
    ``gradio_dir(log)`` unless ``env`` names others, so that a caller can look inside them."""
    env = {"QA_APP_DB": str(app_db(log)), "GRADIO_TEMP_DIR": str(gradio_dir(log)), **(env or {})}
    with app_process(index_dir, log, env) as app:
        app.wait_until_serving()
        yield app.url


def refused_start(index_dir: Path, timeout: float = 90) -> subprocess.CompletedProcess:
    """`python app.py` over an index it should refuse to serve: run to its exit, output captured as text."""
    return subprocess.run(app_command(free_port()), cwd=ROOT, capture_output=True, text=True, timeout=timeout,
                          env=app_environment(index_dir))


def first_answer(app: AppProcess, question: str, timeout: float = START_TIMEOUT):
    """Ask ``question`` over /ask as soon as the app takes it; returns the gradio client and the answer.
    For cold-start timing: no page poll in between."""
    from gradio_client import Client

    deadline = time.monotonic() + timeout
    while True:
        if app.proc.poll() is not None:
            raise AppDidNotStart(f"app exited before answering:\n{app.output()}")
        try:
            client = Client(app.url, verbose=False)
            return client, client.predict(question, [], api_name="/ask")
        except Exception:  # noqa: BLE001 - not listening yet: connection refused, or config not served yet
            if time.monotonic() > deadline:
                raise
            time.sleep(0.05)
