"""Exclusive, transactional changes to the index: one writer at a time (the directory's lock), each commit a
new generation. The package docstring (ingest/index/__init__.py) says why a crash at any point is safe."""
from __future__ import annotations

import contextlib
import json
import os
import sqlite3
from datetime import datetime, timezone
from pathlib import Path

import faiss
import numpy as np

from ..models import Document, Passage
from .files import DB_NAME, IndexUnavailable, IndexWriteFailed, connect, damaged, fsync_dir, lock, meta, writing
from .records import (DocumentRecord, decode_table, encode_stems, encode_table, lexical_text, passage_stems,
                      read_documents, unpack_vector)
from .schema import SCHEMA_VERSION, migrate
from .vectors import checksum, faiss_name, fits, new_vector_index, read_vectors


class IndexWriter:
    """Exclusive, transactional changes to the index. Use as a context manager: it commits on success."""

    def __init__(self, index_dir: Path, model: str | None = None, dim: int | None = None, rebuilding: bool = False):
        """``model`` and ``dim`` name the embedding model of the vectors to be added; removals need neither.

        ``rebuilding`` accepts a model other than the index's: the caller will ``clear()`` and re-add everything.
        """
        self.dir = Path(index_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self._lock_file = lock(self.dir)
        try:
            self.conn = connect(self.dir / DB_NAME)
            self.conn.execute("BEGIN IMMEDIATE")
            with writing(self.dir):
                migrate(self.conn)  # committed with this writer's first commit, or not at all
            stored = meta(self.conn)
        except sqlite3.DatabaseError as exc:
            self.close()
            raise damaged(self.dir, exc) from exc
        except IndexUnavailable:
            self.close()
            raise
        built = "model" in stored  # a new database has only its schema version
        if built and model and not rebuilding and (stored["model"] != model or int(stored["dim"]) != dim):
            self.close()
            raise IndexUnavailable(
                f"{self.dir} was built with model {stored['model']!r}, not {model!r}; run `ingest rebuild` to re-embed"
            )
        if not built and not model:
            self.close()
            raise IndexUnavailable(f"no index at {self.dir}; add reports with `ingest add FILE`")
        self.generation = int(stored.get("generation", 0))
        self.model, self.dim = model or stored["model"], dim or int(stored["dim"])
        self._remove_stale_files(keep=self.generation)  # left by a writer that crashed before its commit
        # A rebuild replaces every vector, so it starts empty: it is the way back from a damaged FAISS file.
        if rebuilding or not self.generation:
            self.vectors = new_vector_index(self.dim)
        else:
            try:
                self.vectors = read_vectors(self.dir, stored)
            except IndexUnavailable:
                self.close()
                raise
        self._changed = False

    # -- reads inside the transaction -------------------------------------------------------

    def contains(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def documents_from_source(self, source: str) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT id FROM documents WHERE source = ?", (source,))]

    def documents(self) -> list[DocumentRecord]:
        return read_documents(self.conn)

    # -- changes ------------------------------------------------------------------------------

    def add(self, doc: Document, passages: list[Passage], passage_vectors: np.ndarray, sentence_vectors: np.ndarray) -> None:
        """Add one document; ``sentence_vectors`` holds every passage's sentences, in order."""
        with writing(self.dir):
            now = datetime.now(timezone.utc).isoformat(timespec="seconds")
            self.conn.execute(
                "INSERT INTO documents (id, title, source, url, date, authors, publisher, pages, pages_without_text, added_at,"
                " identity, title_source, date_source) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (doc.id, doc.title, doc.source, doc.url, doc.date, json.dumps(doc.authors), doc.publisher,
                 max((p.number for p in doc.pages), default=0), doc.pages_without_text, now,
                 doc.identity, doc.title_source, doc.date_source),
            )
            ids = []
            sentence_row = 0
            for passage, vector in zip(passages, passage_vectors):
                stems = passage_stems(passage.text, [(s.start, s.end) for s in passage.sentences], passage.table)
                cur = self.conn.execute(
                    "INSERT INTO passages (doc_id, ordinal, page, start, end, text, vector, stems, heading, table_json,"
                    " note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (doc.id, passage.ordinal, passage.page, passage.start, passage.end, passage.text,
                     vector.astype(np.float16).tobytes(), encode_stems(*stems), passage.heading,
                     encode_table(passage.table), int(passage.note)),
                )
                pid = cur.lastrowid
                ids.append(pid)
                self.conn.execute("INSERT INTO passages_fts (rowid, text) VALUES (?, ?)",
                                  (pid, lexical_text(passage.text, passage.table)))
                n = len(passage.sentences)
                self.conn.executemany(
                    "INSERT INTO sentences (passage_id, start, end, vector) VALUES (?, ?, ?, ?)",
                    [(pid, s.start, s.end, v.astype(np.float16).tobytes())
                     for s, v in zip(passage.sentences, sentence_vectors[sentence_row : sentence_row + n])],
                )
                sentence_row += n
            if ids:
                self.vectors.add_with_ids(np.ascontiguousarray(passage_vectors, dtype=np.float32), np.array(ids, dtype=np.int64))
            self._changed = True

    def set_metadata(self, doc_id: str, title: str | None = None, date: str | None = None,
                     authors: list[str] | None = None, url: str | None = None, publisher: str | None = None) -> bool:
        """Correct an indexed report's metadata without reading it again; the values given become staff values.
        False when no report has this id."""
        changes: dict[str, object] = {}
        if title is not None:
            changes.update(title=title, title_source="staff")
        if date is not None:
            changes.update(date=date, date_source="staff" if date else "")
        if authors is not None:
            changes["authors"] = json.dumps(authors)
        changes.update({k: v for k, v in (("url", url), ("publisher", publisher)) if v is not None})
        if not self.contains(doc_id):
            return False
        if changes:
            with writing(self.dir):
                assignments = ", ".join(f"{column} = ?" for column in changes)
                self.conn.execute(f"UPDATE documents SET {assignments} WHERE id = ?", [*changes.values(), doc_id])
            self._changed = True
        return True

    def remove(self, doc_id: str) -> bool:
        with writing(self.dir):
            rows = self.conn.execute("SELECT id, text, table_json FROM passages WHERE doc_id = ?", (doc_id,)).fetchall()
            for pid, text, table in rows:
                # External-content FTS5 tables forget a row only when told its old text.
                self.conn.execute("INSERT INTO passages_fts (passages_fts, rowid, text) VALUES ('delete', ?, ?)",
                                  (pid, lexical_text(text, decode_table(table, 0))))
            if rows:
                ids = [pid for pid, _, _ in rows]
                self.conn.executemany("DELETE FROM sentences WHERE passage_id = ?", [(i,) for i in ids])
                self.vectors.remove_ids(np.array(ids, dtype=np.int64))
            self.conn.execute("DELETE FROM passages WHERE doc_id = ?", (doc_id,))
            deleted = self.conn.execute("DELETE FROM documents WHERE id = ?", (doc_id,)).rowcount > 0
            self._changed = self._changed or deleted
            return deleted

    def clear(self) -> None:
        """Empty the tables and vectors this module owns, for a rebuild; other tables are left alone."""
        with writing(self.dir):
            for table in ("sentences", "passages", "documents"):
                self.conn.execute(f"DELETE FROM {table}")
            self.conn.execute("INSERT INTO passages_fts (passages_fts) VALUES ('delete-all')")
            self.vectors = new_vector_index(self.dim)
            self._changed = True

    # -- transaction ----------------------------------------------------------------------------

    def commit(self) -> int:
        """Publish the changes as a new generation; returns its number."""
        if not self._changed and self.generation:
            self.conn.execute("COMMIT")
            return self.generation
        new = self.generation + 1
        if not fits(self.vectors):
            self.vectors = new_vector_index(self.dim, *self._stored_vectors())
        final = self.dir / faiss_name(new)
        tmp = final.with_suffix(".faiss.tmp")
        try:
            with writing(self.dir):
                faiss.write_index(self.vectors, str(tmp))
                with open(tmp, "rb") as fh:
                    os.fsync(fh.fileno())
                os.replace(tmp, final)
                fsync_dir(self.dir)
                for key, value in (("schema_version", SCHEMA_VERSION), ("generation", new), ("model", self.model),
                                   ("dim", self.dim), ("faiss_sha256", checksum(final))):
                    self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, str(value)))
                self.conn.execute("COMMIT")
        except IndexWriteFailed:
            for path in (tmp, final):  # the uncommitted generation's file: give its space back at once
                path.unlink(missing_ok=True)
            raise
        self.generation = new
        self._remove_stale_files(keep=new)
        self.conn.execute("BEGIN IMMEDIATE")
        self._changed = False
        return new

    def _stored_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """Every passage vector of this transaction (float16 in SQLite) and its id, to rebuild the FAISS index.

        Read row by row into the final array: the rows as Python objects would take 2 GB more at 1M passages."""
        count = self.conn.execute("SELECT COUNT(*) FROM passages").fetchone()[0]
        ids, vectors = np.empty(count, dtype=np.int64), np.empty((count, self.dim), dtype=np.float32)
        for row, (pid, blob) in enumerate(self.conn.execute("SELECT id, vector FROM passages ORDER BY id")):
            ids[row], vectors[row] = pid, unpack_vector(blob)
        return vectors, ids

    def _remove_stale_files(self, keep: int) -> None:
        for path in self.dir.glob("passages-*.faiss*"):
            if path.name != faiss_name(keep):
                with contextlib.suppress(OSError):
                    path.unlink()

    def rollback(self) -> None:
        if self.conn.in_transaction:
            self.conn.execute("ROLLBACK")

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.rollback()
            self.conn.close()
        self._lock_file.close()  # releases the lock

    def __enter__(self) -> "IndexWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.commit()
        finally:
            self.close()
