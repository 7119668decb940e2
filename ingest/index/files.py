"""The index directory's files: its SQLite database, connections to it, the writer lock, and errors told in one line."""
from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import sys
from pathlib import Path

from ..errors import first_line

DB_NAME = "index.sqlite"


class IndexUnavailable(Exception):
    """The index directory is missing, from another model, or damaged; the message says what to run."""


class IndexWriteFailed(IndexUnavailable):
    """A write that could not finish, such as on a full disk; nothing of it was committed."""


@contextlib.contextmanager
def writing(index_dir: Path):
    """Turn a failed write (SQLite's "disk is full", FAISS's or the OS's I/O errors) into one clear line."""
    try:
        yield
    except (OSError, RuntimeError, sqlite3.OperationalError) as exc:
        text = str(exc)
        full = any(s in text for s in ("No space left", "disk is full")) or getattr(exc, "errno", None) == 28
        reason = "the disk is full" if full else first_line(exc)
        raise IndexWriteFailed(f"could not write to {index_dir}: {reason}; nothing was changed,"
                               " try again when the cause is fixed") from exc


def damaged(index_dir: Path, exc: sqlite3.DatabaseError) -> IndexUnavailable:
    return IndexUnavailable(f"{index_dir / DB_NAME} is damaged ({exc}); move {index_dir} aside and run `ingest rebuild`"
                            " to build it again from the report files")


def connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


def columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta"))


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def exists(index_dir: Path) -> bool:
    """Whether ``index_dir`` holds a committed index: False when there is none, IndexUnavailable (saying how to
    rebuild) when its database is damaged or not an index. A first ingest killed before its commit leaves a
    database without a generation: that is no index, so the app builds one instead of refusing to start."""
    index_dir = Path(index_dir)
    path = index_dir / DB_NAME
    if not path.is_file():
        return False
    try:
        conn = connect(path, read_only=True)
        try:
            tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
            return "meta" in tables and "generation" in meta(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise damaged(index_dir, exc) from exc


def lock(index_dir: Path):
    """Take the writer lock of ``index_dir``, saying so when another process holds it; close the file to release."""
    lock_file = open(index_dir / ".lock", "w")
    try:
        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"Another ingest is writing to {index_dir}; waiting for it to finish...", file=sys.stderr, flush=True)
        fcntl.flock(lock_file, fcntl.LOCK_EX)
    return lock_file
