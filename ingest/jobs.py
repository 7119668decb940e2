"""An ingest as a background job: a process of its own at a lower priority, its progress heard live, cancellable.

The public chat keeps answering at its normal speed while staff add a large report: the job runs niced (the
scheduler gives the app's requests the cores first) and, on the staff page, with one thread for the model, so a
core stays free for answers. The index changes in the job's one commit (ingest/store.py), so readers see the new
generation only once every file is in, and a job that fails or is cancelled before its commit leaves the index as it
was. A cancelled job stops at its next page or chunk of passages; once every file is done it is committing, and
can no longer be cancelled.

The job runs in a session of its own: Ctrl-C at a terminal reaches the command line, which cancels the job.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path

from .errors import first_line
from .isolation import READ_TIMEOUT_SECONDS
from .metadata import Metadata
from .pipeline import FileResult, add_files
from .progress import IngestProgress
from .index import IndexUnavailable

NICENESS = 10
RUNNING, COMMITTING, DONE, FAILED, CANCELLED = "running", "committing", "done", "failed", "cancelled"
FINISHED = (DONE, FAILED, CANCELLED)


class Cancelled(Exception):
    """Staff cancelled the job; the index writer rolls back."""


@dataclass
class JobState:
    state: str = RUNNING
    progress: IngestProgress | None = None  # None until the job has looked at its files
    results: list[FileResult] = field(default_factory=list)  # once done
    error: str = ""  # why it failed
    index_unavailable: bool = False  # it failed because the index cannot be written (IndexUnavailable)


PARENT_CHECK_SECONDS = 0.5  # how soon a job notices that the process that started it is gone


class IngestJob:
    """``add_files`` in a background process. ``threads``: the model's threads (None: every core)."""

    def __init__(self, paths: list[Path], index_dir: Path, overrides: Metadata | None = None,
                 password: str | None = None, threads: int | None = None, timeout: float = READ_TIMEOUT_SECONDS):
        context = multiprocessing.get_context("spawn")  # the parent may hold torch's threads, broken in a fork
        self._conn, child = context.Pipe(duplex=False)
        self._lock = threading.Lock()
        self._state = JobState()
        self._cancel_asked = False
        self.finished = threading.Event()
        self.process = context.Process(
            target=_run, args=(child, [str(p) for p in paths], str(index_dir), overrides, password, threads, timeout))
        # Not a daemon: its reader is a process of its own, which a daemon may not start.
        self.process.start()
        child.close()
        threading.Thread(target=self._listen, name="ingest-job", daemon=True).start()

    def status(self) -> JobState:
        """A snapshot of where the job stands."""
        with self._lock:
            s = self._state
            return JobState(s.state, s.progress, list(s.results), s.error, s.index_unavailable)

    def cancel(self) -> bool:
        """Ask the job to stop; False when it is committing or over already."""
        with self._lock:
            if self._state.state != RUNNING:
                return False
            self._cancel_asked = True
        if self.process.pid:
            os.kill(self.process.pid, signal.SIGTERM)
        return True

    def wait(self, timeout: float | None = None) -> JobState:
        self.finished.wait(timeout)
        return self.status()

    def _listen(self) -> None:
        while True:
            try:
                kind, value = self._conn.recv()
            except (EOFError, OSError):
                break
            with self._lock:
                if kind == "progress":
                    self._state.progress = value
                elif kind == "committing":
                    self._state.state = COMMITTING
                elif kind == "done":
                    self._state.state, self._state.results = DONE, value
                elif kind in ("failed", "unavailable"):
                    self._state.state, self._state.error = FAILED, value
                    self._state.index_unavailable = kind == "unavailable"
                elif kind == "cancelled":
                    self._state.state = CANCELLED
        self.process.join()
        with self._lock:
            if self._state.state not in FINISHED:  # it ended without a word: killed, or out of memory
                self._state.state = CANCELLED if self._cancel_asked else FAILED
                self._state.error = self._state.error or f"the ingest process ended unexpectedly (exit {self.process.exitcode})"
        self._conn.close()
        self.finished.set()


def _run(conn: Connection, paths: list[str], index_dir: str, overrides: Metadata | None, password: str | None,
         threads: int | None, timeout: float) -> None:
    _die_with_parent()
    os.setsid()
    os.nice(NICENESS)
    if threads:
        os.environ["OMP_NUM_THREADS"] = str(threads)  # before torch is imported (by the embedder)
    cancelled = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: cancelled.set())
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def report(progress: IngestProgress) -> None:
        every_file_done = all(f.finished for f in progress.files)
        if cancelled.is_set() and not every_file_done:
            raise Cancelled()
        conn.send(("progress", progress))
        if every_file_done:
            conn.send(("committing", None))

    try:
        if threads:
            import torch

            torch.set_num_threads(threads)
        results = add_files([Path(p) for p in paths], Path(index_dir), overrides, password, progress=False,
                            timeout=timeout, on_progress=report)
    except Cancelled:
        conn.send(("cancelled", None))
    except IndexUnavailable as exc:
        conn.send(("unavailable", str(exc)))
    except Exception as exc:  # noqa: BLE001 - whatever went wrong, the index rolled back; say what, in one line
        conn.send(("failed", f"{exc.__class__.__name__}: {first_line(exc, 200)}"))
    else:
        conn.send(("done", results))


def _die_with_parent() -> None:
    """A killed `ingest add` (or app) takes its job with it, so that nothing keeps writing, or holds the index's lock,
    for a command that is gone; its transaction never commits, so the index stays as it was.

    Watched from here rather than with prctl(PR_SET_PDEATHSIG): that signal comes when the *thread* that started the
    job ends, and the app starts jobs from a worker thread that its pool may retire while the job still runs."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os.kill(os.getpid(), signal.SIGKILL)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
