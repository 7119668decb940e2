"""A consistent copy of the index's current generation, for app replicas to serve read-only.

SQLite's ``VACUUM INTO`` copies the database as one read transaction sees it, while writers go on; the copy names its
generation and that generation's FAISS checksum, so the FAISS file copied next is checked against it. A writer that
commits a newer generation in between deletes the older FAISS file: the copy then misses or mismatches it, and is
made again from the newer generation. The copy is built beside DEST and renamed into place, so DEST is either
absent or whole. Its database is in rollback-journal mode (what ``VACUUM INTO`` writes), so a reader of the copy
needs no -wal or -shm file: it can be served from a read-only folder.
"""
from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from pathlib import Path

from .files import DB_NAME, IndexUnavailable, connect, damaged, exists, fsync_dir, meta, writing
from .vectors import checksum, faiss_name

ATTEMPTS = 5  # each lost only to a writer committing during the copy


def snapshot(index_dir: Path, dest: Path) -> int:
    """Copy ``index_dir``'s current generation to the new folder ``dest``; returns the generation copied."""
    index_dir, dest = Path(index_dir), Path(dest)
    if not exists(index_dir):
        raise IndexUnavailable(f"no index at {index_dir} to copy")
    if dest.exists():
        raise IndexUnavailable(f"{dest} exists already: name a new folder for the snapshot")
    dest.parent.mkdir(parents=True, exist_ok=True)
    for _ in range(ATTEMPTS):
        with writing(dest), tempfile.TemporaryDirectory(
                prefix=f".{dest.name}-", dir=dest.parent, ignore_cleanup_errors=True) as building:
            generation = _copy(index_dir, Path(building))
            if generation is not None:
                os.chmod(building, 0o755)  # readable by the replicas' user, as a folder made by mkdir would be
                os.rename(building, dest)
                fsync_dir(dest.parent)
                return generation
    raise IndexUnavailable(f"{index_dir} changed during each of {ATTEMPTS} attempts to copy it; try again when"
                           " no ingest is writing")


def _copy(index_dir: Path, building: Path) -> int | None:
    """The generation copied into ``building``, or None when a writer replaced it before its FAISS file was copied."""
    source = connect(index_dir / DB_NAME, read_only=True)
    try:
        source.execute("VACUUM INTO ?", (str(building / DB_NAME),))
    except sqlite3.DatabaseError as exc:
        raise damaged(index_dir, exc) from exc
    finally:
        source.close()
    copy = connect(building / DB_NAME, read_only=True)
    try:
        published = meta(copy)
    finally:
        copy.close()
    name = faiss_name(int(published["generation"]))
    try:
        shutil.copyfile(index_dir / name, building / name)
    except FileNotFoundError:
        return None
    if published.get("faiss_sha256") not in (None, checksum(building / name)):
        return None
    for path in (building / DB_NAME, building / name):
        with open(path, "rb") as fh:
            os.fsync(fh.fileno())
    fsync_dir(building)
    return int(published["generation"])
