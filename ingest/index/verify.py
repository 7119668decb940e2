"""``ingest verify``: whether the committed generation's FAISS file and SQLite agree, row for row."""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

import faiss
import numpy as np

from .files import DB_NAME, IndexUnavailable, columns, connect, damaged, exists, lock, meta
from .records import decode_stems, passage_stems, passages_by_id
from .schema import MIGRATIONS, applied
from .vectors import faiss_name, ids_and_vectors, read_vectors


@dataclass
class Verification:
    generation: int
    documents: int
    passages: int
    problems: list[str]  # each one line; empty when FAISS and SQLite agree
    notes: list[str]  # harmless findings, such as files left by a crashed writer

    @property
    def ok(self) -> bool:
        return not self.problems


def verify(index_dir: Path) -> Verification:
    """Check that the committed generation's FAISS file and SQLite agree, row for row.

    Takes the writer lock, so that no commit moves the generation while it looks.
    """
    index_dir = Path(index_dir)
    if not exists(index_dir):
        raise IndexUnavailable(f"no index at {index_dir}")
    lock_file = lock(index_dir)
    try:
        # read-write: FTS5's integrity-check is spelled as an INSERT, though it changes nothing
        conn = connect(index_dir / DB_NAME)
        try:
            return _verify(index_dir, conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise damaged(index_dir, exc) from exc
    finally:
        lock_file.close()


def _verify(index_dir: Path, conn: sqlite3.Connection) -> Verification:
    problems: list[str] = []
    published = meta(conn)
    generation = int(published.get("generation", 0))
    dim = int(published.get("dim", 0))
    count = lambda sql: conn.execute(sql).fetchone()[0]  # noqa: E731
    documents, passages = count("SELECT COUNT(*) FROM documents"), count("SELECT COUNT(*) FROM passages")
    verification = Verification(generation, documents, passages, problems, [])

    integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
    if integrity != "ok":
        problems.append(f"SQLite integrity check failed: {integrity}")
    try:
        conn.execute("INSERT INTO passages_fts (passages_fts) VALUES ('integrity-check')")
    except sqlite3.Error as exc:
        problems.append(f"lexical (FTS5) index disagrees with the passages: {exc}")
    for what, sql in (
        ("passages without their document", "SELECT COUNT(*) FROM passages WHERE doc_id NOT IN (SELECT id FROM documents)"),
        ("sentences without their passage", "SELECT COUNT(*) FROM sentences WHERE passage_id NOT IN (SELECT id FROM passages)"),
        ("passages without sentences", "SELECT COUNT(*) FROM passages WHERE id NOT IN (SELECT passage_id FROM sentences)"),
        ("documents without passages", "SELECT COUNT(*) FROM documents WHERE id NOT IN (SELECT doc_id FROM passages)"),
    ):
        if n := count(sql):
            problems.append(f"{n} {what}")
    _verify_stems(conn, verification, dim)
    recorded = set(applied(conn))
    if pending := [m.__name__ for m in MIGRATIONS if m.__name__ not in recorded]:
        verification.notes.append(f"schema migrations not yet recorded ({', '.join(pending)}): the next write applies them")
    if not generation:
        return verification

    path = index_dir / faiss_name(generation)
    try:
        vectors = read_vectors(index_dir, published)
    except IndexUnavailable as exc:
        problems.append(f"generation {generation} is committed but {exc}")
        return verification
    verification.notes += [f"{p.name} is left over from an interrupted write; the next write removes it"
                           for p in sorted(index_dir.glob("passages-*.faiss*")) if p.name != path.name]
    if vectors.d != dim:
        problems.append(f"{path.name} holds {vectors.d}-dimensional vectors, SQLite says {dim}")
        return verification
    faiss_ids, in_faiss = ids_and_vectors(vectors)
    stored = dict(conn.execute("SELECT id, vector FROM passages"))
    if len(faiss_ids) != len(stored) or set(faiss_ids.tolist()) != set(stored):
        missing, extra = set(stored) - set(faiss_ids.tolist()), set(faiss_ids.tolist()) - set(stored)
        problems.append(f"{path.name} has {len(faiss_ids)} vectors for {len(stored)} passages"
                        f" ({len(missing)} passages without a vector, {len(extra)} vectors without a passage)")
        return verification
    if len(faiss_ids):
        in_sqlite = np.stack([np.frombuffer(stored[int(i)], dtype=np.float16) for i in faiss_ids]).astype(np.float32)
        # 8-bit codes are off by a 255th of a component's range, more outside the range trained on (0.07 at 100k)
        tolerance = 0.1 if isinstance(vectors, faiss.IndexIVF) else 1e-2
        differing = int((np.abs(in_faiss - in_sqlite).max(axis=1) > tolerance).sum())
        if differing:
            problems.append(f"{differing} passage vectors in {path.name} differ from those in SQLite")
    return verification


def _verify_stems(conn: sqlite3.Connection, verification: Verification, dim: int) -> None:
    """Stored stems must be what stemming the text gives now: another stemmer or stopword list would make
    questions miss words that passages have."""
    present = columns(conn, "passages")
    if "stems" not in present:
        verification.notes.append("passages have no stored word stems (schema version 1): questions stem them,"
                                  " more slowly, until the next `ingest add` or `ingest remove` stores them")
        return
    ids = [pid for (pid,) in conn.execute("SELECT id FROM passages")]
    unstored = differing = 0
    for chunk in range(0, len(ids), 1000):
        for p in passages_by_id(conn, ids[chunk : chunk + 1000], dim, present).values():
            if p.encoded_stems is None:
                unstored += 1
            elif decode_stems(p.encoded_stems, len(p.sentence_spans)) != passage_stems(p.text, p.sentence_spans, p.table):
                differing += 1
    if unstored:
        verification.problems.append(f"{unstored} passages without stored word stems")
    if differing:
        verification.problems.append(f"{differing} passages' stored word stems differ from their text"
                                     " (the stemmer or the stopwords changed since); run `ingest rebuild`")
