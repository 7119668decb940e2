"""Read report files in a worker process, so that one pathological file costs a rejection, not the batch.

A PDF can make a parser loop for minutes or allocate gigabytes. The worker has a memory cap;
the parent waits a bounded time for each file and, when it runs out, kills the worker, rejects
the file and starts a fresh worker for the next one.

The worker also cuts the document into passages, and tells of each page it has read. A caller may hand it the
next file (``submit``) before it embeds the one it has (``receive``): reading and embedding then run on two cores.
"""
from __future__ import annotations

import multiprocessing
import resource
import time
from multiprocessing.connection import Connection
from pathlib import Path

from .errors import first_line
from .metadata import Metadata
from typing import Callable

from .models import Document, Passage
from .formats import ReadError, read_document
from .splitting import split_passages

READ_TIMEOUT_SECONDS = 120.0  # the largest federal report (200 pages) reads in about 5 s
MEMORY_LIMIT_BYTES = 4 << 30
STARTUP_TIMEOUT_SECONDS = 120.0  # a fresh Python importing pypdf, on a busy machine


def _serve(conn: Connection, memory_limit: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_limit, memory_limit))
    import pypdf  # noqa: F401  - loaded before "ready", so that the first file's timeout measures reading only

    conn.send("ready")
    while True:
        try:
            path, overrides, password = conn.recv()
        except (EOFError, OSError):  # the parent is gone
            return
        try:
            doc = read_document(Path(path), overrides, password, on_page=lambda done, total: conn.send(("page", done, total)))
            conn.send(("ok", (doc, split_passages(doc))))
        except ReadError as exc:
            conn.send(("rejected", str(exc)))
        except MemoryError:
            conn.send(("rejected", f"needs more than {memory_limit >> 30} GiB of memory to read"))
        except Exception as exc:  # noqa: BLE001 - a parser bug on one file must not end the batch
            conn.send(("rejected", f"cannot be read ({exc.__class__.__name__}: {first_line(exc)})"))


class ReadingWorker:
    """``read_document`` in a worker process, with a per-file timeout. Use as a context manager."""

    def __init__(self, timeout: float = READ_TIMEOUT_SECONDS, memory_limit: int = MEMORY_LIMIT_BYTES):
        self.timeout = timeout
        self.memory_limit = memory_limit
        # spawn, not fork: the parent may hold torch's threads, which a forked child would inherit broken.
        self._context = multiprocessing.get_context("spawn")
        self._process = None
        self._conn: Connection | None = None
        self._submitted = 0.0

    def _start(self) -> None:
        self._conn, child = self._context.Pipe()
        process = self._context.Process(target=_serve, args=(child, self.memory_limit), daemon=True)
        # start() may raise (spawning from a script without a __main__ guard): then there is no process to kill.
        process.start()
        self._process = process
        child.close()
        if not self._conn.poll(STARTUP_TIMEOUT_SECONDS) or self._conn.recv() != "ready":
            raise RuntimeError(f"the file reader process did not start within {STARTUP_TIMEOUT_SECONDS:g} s")

    def read(self, path: Path, overrides: Metadata | None = None, password: str | None = None) -> Document:
        self.submit(path, overrides, password)
        return self.receive()[0]

    def submit(self, path: Path, overrides: Metadata | None = None, password: str | None = None) -> None:
        """Start reading ``path``; ``receive`` gives the result. One file at a time."""
        if self._process is None or not self._process.is_alive():
            self._start()
        self._conn.send((str(path), overrides, password))
        self._submitted = time.monotonic()

    def receive(self, on_page: Callable[[int, int], None] | None = None) -> tuple[Document, list[Passage]]:
        """The submitted file's document and passages; ``on_page(pages read, pages)`` meanwhile. The timeout counts
        from the submission. ReadError when the file cannot be read."""
        while True:
            if not self._conn.poll(max(0.0, self._submitted + self.timeout - time.monotonic())):
                self.close()
                raise ReadError(f"gave up after {self.timeout:g} s: reading this file takes too long (a pathological PDF?)")
            try:
                status, *value = self._conn.recv()
            except (EOFError, OSError):
                self.close()
                raise ReadError("the reader process died on this file (out of memory?)") from None
            if status == "page":
                if on_page:
                    on_page(*value)
                continue
            if status == "rejected":
                raise ReadError(value[0])
            return value[0]

    def close(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join()
        if self._conn is not None:
            self._conn.close()
        self._process = self._conn = None

    def __enter__(self) -> "ReadingWorker":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()
