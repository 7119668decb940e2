"""The index directory: the one module that knows its format. ``ingest`` writes it, ``qa`` reads it.

    index/
      index.sqlite           documents, passages (+ their word stems), sentences (+ their vectors), FTS5 lexical index, meta
      passages-000007.faiss  passage vectors of generation 7; FAISS ids are passage row ids
      .lock                  held by the one writer at a time

A write happens in one SQLite transaction. Its new FAISS file is written beside the old one
and renamed into place before the transaction commits the new generation number, and the
old file is deleted only after the commit. A reader therefore always finds the FAISS file of
the generation SQLite names, and a crash at any point leaves the last committed generation.
SQLite also keeps the FAISS file's SHA-256, so a file damaged at rest is refused rather than served.
A write that fails (a full disk) raises IndexWriteFailed and commits nothing.

``ingest rebuild`` re-embeds everything in one such transaction (``IndexWriter.clear`` then
``add``), in place rather than by swapping database files: readers see the new generation like
any other, and tables this module does not own (the feedback the app records) are kept as they are.

The FAISS file holds an exact (flat) index up to ``QA_EXACT_SEARCH_MAX`` passages and an approximate
one (IVF with 8-bit scalar quantisation) above; a commit that crosses the line rebuilds it from the
vectors stored in SQLite. bench/scale.py measures both (recall@10 against exact search, latency, memory).
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import sqlite3
import sys
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from functools import cached_property
from pathlib import Path
from typing import Sequence

import faiss
import numpy as np

from . import settings
from .models import Document, Passage, Table
from .text import stem_sequence

# 2: passages keep their word stems (the ``stems`` column); a writer adds them to an index of version 1.
# 3: documents keep their identity text (running heads) and where title and date came from; passages their
#    heading. A writer adds the columns, empty, to an older index; readers of an older index read them as empty.
# 4: a passage of a table row keeps its table (``table_json``: the header, and the row); empty for prose.
SCHEMA_VERSION = 4
DB_NAME = "index.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    url TEXT NOT NULL DEFAULT '',
    date TEXT NOT NULL DEFAULT '',
    authors TEXT NOT NULL DEFAULT '[]',
    publisher TEXT NOT NULL DEFAULT '',
    pages INTEGER NOT NULL,
    pages_without_text INTEGER NOT NULL DEFAULT 0,
    added_at TEXT NOT NULL,
    identity TEXT NOT NULL DEFAULT '',
    title_source TEXT NOT NULL DEFAULT '',
    date_source TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY,
    doc_id TEXT NOT NULL REFERENCES documents(id),
    ordinal INTEGER NOT NULL,
    page INTEGER NOT NULL,
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    text TEXT NOT NULL,
    vector BLOB NOT NULL,
    stems TEXT,  -- see _encode_stems; NULL only in an index of version 1 that no writer has opened since
    heading TEXT NOT NULL DEFAULT '',
    table_json TEXT NOT NULL DEFAULT ''  -- {"header": [...], "rows": [[...]]} of a passage of a table row; '' for prose
);
CREATE INDEX IF NOT EXISTS passages_doc ON passages(doc_id, ordinal);
CREATE TABLE IF NOT EXISTS sentences (
    id INTEGER PRIMARY KEY,
    passage_id INTEGER NOT NULL REFERENCES passages(id),
    start INTEGER NOT NULL,
    end INTEGER NOT NULL,
    vector BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS sentences_passage ON sentences(passage_id);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5(
    text, content='passages', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
"""


class IndexUnavailable(Exception):
    """The index directory is missing, from another model, or damaged; the message says what to run."""


class IndexWriteFailed(IndexUnavailable):
    """A write that could not finish, such as on a full disk; nothing of it was committed."""


@contextlib.contextmanager
def _writing(index_dir: Path):
    """Turn a failed write (SQLite's "disk is full", FAISS's or the OS's I/O errors) into one clear line."""
    try:
        yield
    except (OSError, RuntimeError, sqlite3.OperationalError) as exc:
        text = str(exc)
        full = any(s in text for s in ("No space left", "disk is full")) or getattr(exc, "errno", None) == 28
        reason = "the disk is full" if full else text.splitlines()[0][:160]
        raise IndexWriteFailed(f"could not write to {index_dir}: {reason}; nothing was changed,"
                               " try again when the cause is fixed") from exc


@dataclass
class DocumentRecord:
    id: str
    title: str
    source: str
    url: str
    date: str
    authors: list[str]
    publisher: str
    pages: int
    pages_without_text: int
    added_at: str
    passages: int = 0
    identity: str = ""  # running heads and feet, one per line: they name the report but are in no passage
    title_source: str = ""  # staff | file | cover | heading | filename (ingest/naming.py); "" before schema 3
    date_source: str = ""  # staff | title | cover | filename | created; "" when undated or before schema 3


@dataclass
class StoredPassage:
    id: int
    doc_id: str
    ordinal: int  # position in its document
    page: int
    start: int  # offsets inside the document's text
    end: int
    text: str
    vector: np.ndarray  # unit vector, float32
    sentence_spans: list[tuple[int, int]]  # offsets inside ``text``
    sentence_vectors: np.ndarray  # one unit vector per sentence, float32
    encoded_stems: str | None = None  # as stored (_encode_stems); None in an index of version 1: stemmed here
    heading: str = ""  # the heading it stands under
    table: Table | None = None  # a passage of a table row: the row is its one sentence; the header it stands under

    @cached_property
    def _stems(self) -> tuple[list[str], list[list[str]]]:
        if self.encoded_stems is None:
            return _passage_stems(self.text, self.sentence_spans, self.table)
        return _decode_stems(self.encoded_stems, len(self.sentence_spans))

    @property
    def stems(self) -> list[str]:
        """``stem_sequence(text)``: the passage's stemmed content words in order, repeats kept."""
        return self._stems[0]

    @property
    def sentence_stems(self) -> list[list[str]]:
        """``stem_sequence`` of each sentence."""
        return self._stems[1]


def _passage_stems(text: str, spans: list[tuple[int, int]], table: Table | None = None) -> tuple[list[str], list[list[str]]]:
    """Stems of a passage and of each of its sentences. A table row says "Total | 1,234" where the question says
    "total flight hours": the words of the header it stands under count as its own."""
    header = stem_sequence(Table.line(table.header)) if table else []
    return stem_sequence(text) + header, [stem_sequence(text[s:e]) + header for s, e in spans]


def _lexical_text(text: str, table: Table | None) -> str:
    """What the lexical (FTS5) index holds of a passage: its text, and a table row's header."""
    return f"{text}\n{Table.line(table.header)}" if table and table.header else text


def _encode_table(table: Table | None) -> str:
    return json.dumps({"header": table.header, "rows": table.rows}, ensure_ascii=False) if table else ""


def _decode_table(encoded: str | None, page: int) -> Table | None:
    if not encoded:
        return None
    data = json.loads(encoded)
    return Table(data["header"], data["rows"], page)


def _encode_stems(stems: list[str], sentence_stems: list[list[str]]) -> str:
    """A passage's stems as stored, so that questions never stem passage text: a line per sentence, its words
    separated by spaces. The passage's own sequence is the sentences' joined, unless words lie outside them
    (or a sentence cuts a word): then it follows as one more line, so the reader always gets it exactly."""
    lines = [" ".join(words) for words in sentence_stems]
    if stems != [w for words in sentence_stems for w in words]:
        lines.append(" ".join(stems))
    return "\n".join(lines)


def _decode_stems(encoded: str, sentences: int) -> tuple[list[str], list[list[str]]]:
    lines = encoded.split("\n")
    sentence_stems = [line.split() for line in lines[:sentences]]
    if len(lines) > sentences:
        return lines[sentences].split(), sentence_stems
    return [w for words in sentence_stems for w in words], sentence_stems


def _columns(conn: sqlite3.Connection, table: str) -> set[str]:
    return {row[1] for row in conn.execute(f"PRAGMA table_info({table})")}


def _faiss_name(generation: int) -> str:
    return f"passages-{generation:06d}.faiss"


def _connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    if read_only:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None, check_same_thread=False)
    else:
        conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA busy_timeout=30000")
    return conn


def _vector(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float16).astype(np.float32)


def _meta(conn: sqlite3.Connection) -> dict[str, str]:
    return dict(conn.execute("SELECT key, value FROM meta"))


# Inverted lists probed per query: recall@10 against exact search >= 0.95 up to 1M passages (bench/scale.py).
IVF_NPROBE = 32


def _ivf_lists(n: int) -> int:
    """About sqrt(n) lists: k-means over more would take many minutes at 1M passages on two cores,
    and NPROBE of them still finds >= 0.95 of the exact top 10 (bench/scale.py)."""
    return max(1, min(int(n**0.5), n // 39))


def _new_vector_index(dim: int, vectors: np.ndarray | None = None, ids: np.ndarray | None = None) -> faiss.Index:
    """An index of ``vectors`` (under ``ids``) of the type their number calls for: flat, or IVF trained on them."""
    n = 0 if vectors is None else len(vectors)
    if n <= settings.exact_search_max():
        index = faiss.IndexIDMap2(faiss.IndexFlatIP(dim))
    else:
        index = faiss.index_factory(dim, f"IVF{_ivf_lists(n)},SQ8", faiss.METRIC_INNER_PRODUCT)
        # 64 points per list train k-means well enough; FAISS's default of 256 quadruples the time.
        sample = np.random.default_rng(0).choice(n, size=min(n, 64 * index.nlist), replace=False)
        index.train(vectors[np.sort(sample)])
        index.nprobe = IVF_NPROBE
    if n:
        index.add_with_ids(vectors, ids)
    return index


def _fits(index: faiss.Index) -> bool:
    """Whether ``index`` is still the right type for its size. The lines are apart (hysteresis), so a corpus
    hovering around a threshold does not rebuild its index on every commit."""
    n, limit = index.ntotal, settings.exact_search_max()
    if isinstance(index, faiss.IndexIVF):
        return n >= limit // 2 and _ivf_lists(n) <= 4 * index.nlist
    return n <= limit


def _checksum(path: Path) -> str:
    """SHA-256 of a FAISS file: SQLite keeps it with the generation, so a file damaged at rest is never served."""
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_vectors(index_dir: Path, meta: dict[str, str]) -> faiss.Index:
    """The committed generation's vectors; IndexUnavailable, saying what to run, when the file is missing or damaged."""
    path = index_dir / _faiss_name(int(meta.get("generation", 0)))
    try:
        # Indexes written before checksums were kept have none to compare.
        if meta.get("faiss_sha256") not in (None, _checksum(path)):
            raise RuntimeError("checksum differs")
        return faiss.read_index(str(path))
    except (OSError, RuntimeError) as exc:
        raise IndexUnavailable(f"{path} is missing or damaged ({str(exc).splitlines()[0][:80]}); run `ingest rebuild`") from exc


def _damaged(index_dir: Path, exc: sqlite3.DatabaseError) -> IndexUnavailable:
    return IndexUnavailable(f"{index_dir / DB_NAME} is damaged ({exc}); move {index_dir} aside and run `ingest rebuild`"
                            " to build it again from the report files")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def exists(index_dir: Path) -> bool:
    """Whether ``index_dir`` holds a committed index. A first ingest killed before its commit leaves an SQLite
    file without a generation: that is no index, so the app builds one instead of refusing to start."""
    path = Path(index_dir) / DB_NAME
    if not path.is_file():
        return False
    try:
        conn = _connect(path, read_only=True)
        try:
            tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
            return "meta" in tables and "generation" in _meta(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError:  # damaged, or not ours: opening it will say so, and how to rebuild
        return True


def _lock(index_dir: Path):
    """Take the writer lock of ``index_dir``, saying so when another process holds it; close the file to release."""
    lock_file = open(index_dir / ".lock", "w")
    try:
        fcntl.flock(lock_file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        print(f"Another ingest is writing to {index_dir}; waiting for it to finish...", file=sys.stderr, flush=True)
        fcntl.flock(lock_file, fcntl.LOCK_EX)
    return lock_file


def _read_passages(conn: sqlite3.Connection, where: str, params: list, dim: int, stems: bool,
                   heading: bool = True, table: bool = True) -> dict[int, StoredPassage]:
    """The passages ``where`` selects, with their sentences; ``stems``, ``heading``, ``table``: whether those
    columns are there to read."""
    optional = f"{'stems' if stems else 'NULL'}, {'heading' if heading else repr('')}, {'table_json' if table else repr('')}"
    rows = conn.execute(
        f"SELECT id, doc_id, ordinal, page, start, end, text, vector, {optional} FROM passages WHERE {where}", params,
    ).fetchall()
    ids = [r[0] for r in rows]
    sentences = conn.execute(
        "SELECT passage_id, start, end, vector FROM sentences WHERE passage_id IN ({}) ORDER BY id".format(
            ",".join("?" * len(ids))), ids,
    ).fetchall()
    spans: dict[int, list[tuple[int, int]]] = {}
    vectors: dict[int, list[bytes]] = {}
    for pid, start, end, blob in sentences:
        spans.setdefault(pid, []).append((start, end))
        vectors.setdefault(pid, []).append(blob)
    return {
        pid: StoredPassage(
            pid, doc_id, ordinal, page, start, end, text, _vector(blob), spans.get(pid, []),
            _vector(b"".join(vectors.get(pid, []))).reshape(-1, dim), encoded, passage_heading,
            _decode_table(passage_table, page),
        )
        for pid, doc_id, ordinal, page, start, end, text, blob, encoded, passage_heading, passage_table in rows
    }


def _passages_by_id(conn: sqlite3.Connection, ids: list[int], dim: int, stems: bool,
                    heading: bool = True, table: bool = True) -> dict[int, StoredPassage]:
    return _read_passages(conn, "id IN ({})".format(",".join("?" * len(ids))), ids, dim, stems, heading, table)


# Columns added by schema 3, read as empty from an older index that no writer has opened since.
_DOCUMENT_COLUMNS_3 = ("identity", "title_source", "date_source")


def _read_documents(conn: sqlite3.Connection) -> list[DocumentRecord]:
    present = _columns(conn, "documents")
    newer = ", ".join(f"d.{c}" if c in present else "''" for c in _DOCUMENT_COLUMNS_3)
    rows = conn.execute(
        "SELECT d.id, d.title, d.source, d.url, d.date, d.authors, d.publisher, d.pages, d.pages_without_text,"
        f" d.added_at, (SELECT COUNT(*) FROM passages p WHERE p.doc_id = d.id), {newer}"
        " FROM documents d ORDER BY d.date DESC, d.title"
    ).fetchall()
    return [DocumentRecord(*r[:5], json.loads(r[5]), *r[6:]) for r in rows]


class IndexWriter:
    """Exclusive, transactional changes to the index. Use as a context manager: it commits on success."""

    def __init__(self, index_dir: Path, model: str | None = None, dim: int | None = None, rebuilding: bool = False):
        """``model`` and ``dim`` name the embedding model of the vectors to be added; removals need neither.

        ``rebuilding`` accepts a model other than the index's: the caller will ``clear()`` and re-add everything.
        """
        self.dir = Path(index_dir)
        self.dir.mkdir(parents=True, exist_ok=True)
        self._lock_file = _lock(self.dir)
        try:
            self.conn = _connect(self.dir / DB_NAME)
            self.conn.executescript(_SCHEMA)
            meta = _meta(self.conn)
        except sqlite3.DatabaseError as exc:
            self._lock_file.close()
            raise _damaged(self.dir, exc) from exc
        if meta and model and not rebuilding and (meta.get("model") != model or int(meta["dim"]) != dim):
            self.close()
            raise IndexUnavailable(
                f"{self.dir} was built with model {meta.get('model')!r}, not {model!r}; run `ingest rebuild` to re-embed"
            )
        if not meta and not model:
            self.close()
            raise IndexUnavailable(f"no index at {self.dir}; add reports with `ingest add FILE`")
        self.generation = int(meta.get("generation", 0))
        self.model, self.dim = model or meta["model"], dim or int(meta["dim"])
        self._remove_stale_files(keep=self.generation)  # left by a writer that crashed before its commit
        # A rebuild replaces every vector, so it starts empty: it is the way back from a damaged FAISS file.
        if rebuilding or not self.generation:
            self.vectors = _new_vector_index(self.dim)
        else:
            try:
                self.vectors = _read_vectors(self.dir, meta)
            except IndexUnavailable:
                self.close()
                raise
        self.conn.execute("BEGIN IMMEDIATE")
        self._changed = False
        try:
            self._add_missing_columns()
            self._add_missing_stems(fill=not rebuilding)  # a rebuild writes every passage again
        except IndexUnavailable:
            self.close()
            raise

    def _add_missing_columns(self) -> None:
        """Bring an index of version 2 or 3 to this one: its reports and passages gain the columns of versions 3
        and 4, empty (its passages are prose until read again)."""
        with _writing(self.dir):
            for table, column in [("documents", c) for c in _DOCUMENT_COLUMNS_3] + [("passages", "heading"),
                                                                                  ("passages", "table_json")]:
                if column not in _columns(self.conn, table):
                    self.conn.execute(f"ALTER TABLE {table} ADD COLUMN {column} TEXT NOT NULL DEFAULT ''")

    def _add_missing_stems(self, fill: bool) -> None:
        """Bring an index of version 1 to this one: store its passages' stems. Committed with the writer's
        first commit, without a new generation: answers do not change, they only come faster."""
        with _writing(self.dir):
            if "stems" not in _columns(self.conn, "passages"):
                self.conn.execute("ALTER TABLE passages ADD COLUMN stems TEXT")
            missing = [pid for (pid,) in self.conn.execute("SELECT id FROM passages WHERE stems IS NULL")] if fill else []
            for chunk in range(0, len(missing), 1000):
                passages = _passages_by_id(self.conn, missing[chunk : chunk + 1000], self.dim, stems=False)
                self.conn.executemany("UPDATE passages SET stems = ? WHERE id = ?",
                                      [(_encode_stems(p.stems, p.sentence_stems), p.id) for p in passages.values()])
            self.conn.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))

    # -- reads inside the transaction -------------------------------------------------------

    def contains(self, doc_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM documents WHERE id = ?", (doc_id,)).fetchone() is not None

    def documents_from_source(self, source: str) -> list[str]:
        return [row[0] for row in self.conn.execute("SELECT id FROM documents WHERE source = ?", (source,))]

    def documents(self) -> list[DocumentRecord]:
        return _read_documents(self.conn)

    # -- changes ------------------------------------------------------------------------------

    def add(self, doc: Document, passages: list[Passage], passage_vectors: np.ndarray, sentence_vectors: np.ndarray) -> None:
        """Add one document; ``sentence_vectors`` holds every passage's sentences, in order."""
        with _writing(self.dir):
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
                stems = _passage_stems(passage.text, [(s.start, s.end) for s in passage.sentences], passage.table)
                cur = self.conn.execute(
                    "INSERT INTO passages (doc_id, ordinal, page, start, end, text, vector, stems, heading, table_json)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (doc.id, passage.ordinal, passage.page, passage.start, passage.end, passage.text,
                     vector.astype(np.float16).tobytes(), _encode_stems(*stems), passage.heading,
                     _encode_table(passage.table)),
                )
                pid = cur.lastrowid
                ids.append(pid)
                self.conn.execute("INSERT INTO passages_fts (rowid, text) VALUES (?, ?)",
                                  (pid, _lexical_text(passage.text, passage.table)))
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
            with _writing(self.dir):
                assignments = ", ".join(f"{column} = ?" for column in changes)
                self.conn.execute(f"UPDATE documents SET {assignments} WHERE id = ?", [*changes.values(), doc_id])
            self._changed = True
        return True

    def remove(self, doc_id: str) -> bool:
        with _writing(self.dir):
            rows = self.conn.execute("SELECT id, text, table_json FROM passages WHERE doc_id = ?", (doc_id,)).fetchall()
            for pid, text, table in rows:
                # External-content FTS5 tables forget a row only when told its old text.
                self.conn.execute("INSERT INTO passages_fts (passages_fts, rowid, text) VALUES ('delete', ?, ?)",
                                  (pid, _lexical_text(text, _decode_table(table, 0))))
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
        with _writing(self.dir):
            for table in ("sentences", "passages", "documents"):
                self.conn.execute(f"DELETE FROM {table}")
            self.conn.execute("INSERT INTO passages_fts (passages_fts) VALUES ('delete-all')")
            self.vectors = _new_vector_index(self.dim)
            self._changed = True

    # -- transaction ----------------------------------------------------------------------------

    def commit(self) -> int:
        """Publish the changes as a new generation; returns its number."""
        if not self._changed and self.generation:
            self.conn.execute("COMMIT")
            return self.generation
        new = self.generation + 1
        if not _fits(self.vectors):
            self.vectors = _new_vector_index(self.dim, *self._stored_vectors())
        final = self.dir / _faiss_name(new)
        tmp = final.with_suffix(".faiss.tmp")
        try:
            with _writing(self.dir):
                faiss.write_index(self.vectors, str(tmp))
                with open(tmp, "rb") as fh:
                    os.fsync(fh.fileno())
                os.replace(tmp, final)
                _fsync_dir(self.dir)
                for key, value in (("schema_version", SCHEMA_VERSION), ("generation", new), ("model", self.model),
                                   ("dim", self.dim), ("faiss_sha256", _checksum(final))):
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
            ids[row], vectors[row] = pid, _vector(blob)
        return vectors, ids

    def _remove_stale_files(self, keep: int) -> None:
        for path in self.dir.glob("passages-*.faiss*"):
            if path.name != _faiss_name(keep):
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


MAX_CACHED_FREQUENCIES = 100_000  # words whose document frequency a reader keeps: a few MiB


class IndexReader:
    """Read-only view of one generation; ``refresh()`` moves to a newer one when a writer published it."""

    def __init__(self, index_dir: Path):
        self.dir = Path(index_dir)
        if not exists(self.dir):
            raise IndexUnavailable(f"no index at {self.dir}; build one with `ingest rebuild` or `ingest add FILE`")
        self._lock = threading.Lock()
        self.generation = -1
        try:
            self.conn = _connect(self.dir / DB_NAME, read_only=True)
            self.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.passages_vocab USING fts5vocab(main, passages_fts, 'row')")
            self.refresh()
        except sqlite3.DatabaseError as exc:
            raise _damaged(self.dir, exc) from exc

    def refresh(self) -> bool:
        """Load the newest generation if it changed; True when it did.

        Raises IndexUnavailable, keeping the generation it has, when the new one's FAISS file is damaged.
        """
        meta = _meta(self.conn)
        generation = int(meta.get("generation", 0))
        if generation == self.generation:
            return False
        vectors = _read_vectors(self.dir, meta)
        with self._lock:
            self.vectors, self.generation = vectors, generation
            self.model, self.dim = meta.get("model", ""), int(meta.get("dim", vectors.d))
            # An index of version 1 has no stems column until a writer opens it; stems are then made from the text.
            columns = _columns(self.conn, "passages")
            self._has_stems, self._has_headings = "stems" in columns, "heading" in columns
            self._has_tables = "table_json" in columns
            self._frequencies: dict[str, int] = {}
            self._doc_passages: dict[str, np.ndarray] = {}
        self._documents = {d.id: d for d in self._read_documents()}
        return True

    def current_generation(self) -> int:
        """The generation a writer published last, loaded or not."""
        return int(self._published("generation") or 0)

    def current_model(self) -> str:
        """The embedding model of the generation a writer published last."""
        return self._published("model")

    def _published(self, key: str) -> str:
        with self._lock:
            row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else ""

    def passage_count(self) -> int:
        return int(self.vectors.ntotal)

    def documents(self) -> list[DocumentRecord]:
        """Every report in the index, newest first."""
        return list(self._documents.values())

    def document(self, doc_id: str) -> DocumentRecord | None:
        return self._documents.get(doc_id)

    def _read_documents(self) -> list[DocumentRecord]:
        with self._lock:
            return _read_documents(self.conn)

    def dense_search(self, query: np.ndarray, k: int, within: Sequence[str] | None = None) -> list[tuple[int, float]]:
        """The ``k`` passages nearest ``query``; ``within``: only those of these documents."""
        if self.vectors.ntotal == 0:
            return []
        params = None
        if within is not None:
            ids = self._passage_ids(within)
            if not len(ids):
                return []
            selector = faiss.IDSelectorBatch(ids)
            if isinstance(self.vectors, faiss.IndexIVF):
                # A few documents' passages lie in few lists, maybe none of those nearest the query: scan every
                # list, the selector skipping the other documents' codes, when the documents are a small share.
                nprobe = self.vectors.nlist if len(ids) * 10 < self.vectors.ntotal else self.vectors.nprobe
                params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)
            else:
                params = faiss.SearchParameters(sel=selector)
        scores, ids = self.vectors.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k, params=params)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def lexical_search(self, match_expression: str, k: int, within: Sequence[str] | None = None) -> list[tuple[int, float]]:
        """FTS5 BM25 over passages (``within``: of these documents only). ``match_expression`` must already be safe FTS5 syntax."""
        if not match_expression or (within is not None and not within):
            return []
        sql, params = ("SELECT rowid, bm25(passages_fts) FROM passages_fts WHERE passages_fts MATCH ?"
                       " ORDER BY bm25(passages_fts) LIMIT ?"), [match_expression]
        if within is not None:
            # Matched first, then filtered: a rowid constraint beside MATCH makes FTS5 look up every passage of the
            # documents one by one (50 to 100 times slower on a few long reports).
            docs = list(dict.fromkeys(within))
            sql = ("WITH hits AS MATERIALIZED (SELECT rowid AS id, bm25(passages_fts) AS score FROM passages_fts"
                   " WHERE passages_fts MATCH ?) SELECT hits.id, hits.score FROM hits JOIN passages ON passages.id = hits.id"
                   " WHERE passages.doc_id IN ({}) ORDER BY hits.score LIMIT ?".format(",".join("?" * len(docs))))
            params += docs
        with self._lock:
            rows = self.conn.execute(sql, (*params, k)).fetchall()
        # bm25() is lower-is-better; flip it so every score here is higher-is-better.
        return [(int(pid), -float(score)) for pid, score in rows]

    def _passage_ids(self, doc_ids: Sequence[str]) -> np.ndarray:
        """The passage ids of these documents, kept per generation."""
        with self._lock:
            missing = [d for d in dict.fromkeys(doc_ids) if d not in self._doc_passages]
            for doc_id in missing:
                rows = self.conn.execute("SELECT id FROM passages WHERE doc_id = ?", (doc_id,)).fetchall()
                self._doc_passages[doc_id] = np.array([r[0] for r in rows], dtype=np.int64)
            parts = [self._doc_passages[d] for d in dict.fromkeys(doc_ids)]
        return np.concatenate(parts) if parts else np.empty(0, dtype=np.int64)

    def passages(self, ids: list[int]) -> dict[int, StoredPassage]:
        with self._lock:
            return _passages_by_id(self.conn, ids, self.dim, self._has_stems, self._has_headings,
                                   self._has_tables) if ids else {}

    def following_passages(self, passage: StoredPassage, n: int) -> list[StoredPassage]:
        """The next ``n`` passages of the same document, in order."""
        with self._lock:
            found = _read_passages(self.conn, "doc_id = ? AND ordinal > ? AND ordinal <= ?",
                                   [passage.doc_id, passage.ordinal, passage.ordinal + n], self.dim, self._has_stems,
                                   self._has_headings, self._has_tables)
        return sorted(found.values(), key=lambda p: p.ordinal)

    def document_passages(self, doc_id: str) -> list[StoredPassage]:
        """Every passage of a document, in order."""
        with self._lock:
            found = _read_passages(self.conn, "doc_id = ?", [doc_id], self.dim, self._has_stems, self._has_headings)
        return sorted(found.values(), key=lambda p: p.ordinal)

    def document_frequencies(self, terms: list[str]) -> dict[str, int]:
        """How many passages contain each (stemmed) term, from the FTS5 vocabulary.

        Kept per generation: FTS5 counts a word's passages by reading its whole posting list, which for the
        common words that most questions share is long."""
        with self._lock:
            if len(self._frequencies) > MAX_CACHED_FREQUENCIES:
                self._frequencies = {}
            new = [t for t in dict.fromkeys(terms) if t not in self._frequencies]
            if new:
                found = dict(self.conn.execute(
                    "SELECT term, doc FROM temp.passages_vocab WHERE term IN ({})".format(",".join("?" * len(new))), new))
                self._frequencies.update((t, found.get(t, 0)) for t in new)
            return {t: self._frequencies[t] for t in terms}

    def close(self) -> None:
        self.conn.close()


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
    lock_file = _lock(index_dir)
    try:
        # read-write: FTS5's integrity-check is spelled as an INSERT, though it changes nothing
        conn = _connect(index_dir / DB_NAME)
        try:
            return _verify(index_dir, conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise _damaged(index_dir, exc) from exc
    finally:
        lock_file.close()


def _verify(index_dir: Path, conn: sqlite3.Connection) -> Verification:
    problems: list[str] = []
    meta = _meta(conn)
    generation = int(meta.get("generation", 0))
    dim = int(meta.get("dim", 0))
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
    if not generation:
        return verification

    path = index_dir / _faiss_name(generation)
    try:
        vectors = _read_vectors(index_dir, meta)
    except IndexUnavailable as exc:
        problems.append(f"generation {generation} is committed but {exc}")
        return verification
    verification.notes += [f"{p.name} is left over from an interrupted write; the next write removes it"
                           for p in sorted(index_dir.glob("passages-*.faiss*")) if p.name != path.name]
    if vectors.d != dim:
        problems.append(f"{path.name} holds {vectors.d}-dimensional vectors, SQLite says {dim}")
        return verification
    faiss_ids, in_faiss = _ids_and_vectors(vectors)
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


def _ids_and_vectors(vectors: faiss.Index) -> tuple[np.ndarray, np.ndarray]:
    """The ids a FAISS index holds and their vectors as it gives them back: an exact index maps its ids,
    an IVF keeps them in its inverted lists."""
    if not isinstance(vectors, faiss.IndexIVF):
        return faiss.vector_to_array(vectors.id_map), vectors.index.reconstruct_n(0, vectors.ntotal)
    lists = vectors.invlists
    ids = [faiss.rev_swig_ptr(lists.get_ids(i), lists.list_size(i)).copy() for i in range(vectors.nlist) if lists.list_size(i)]
    if not ids:
        return np.empty(0, dtype=np.int64), np.empty((0, vectors.d), dtype=np.float32)
    vectors.set_direct_map_type(faiss.DirectMap.Hashtable)
    return np.concatenate(ids), vectors.reconstruct_batch(np.concatenate(ids))


def _verify_stems(conn: sqlite3.Connection, verification: Verification, dim: int) -> None:
    """Stored stems must be what stemming the text gives now: another stemmer or stopword list would make
    questions miss words that passages have."""
    if "stems" not in _columns(conn, "passages"):
        verification.notes.append("passages have no stored word stems (schema version 1): questions stem them,"
                                  " more slowly, until the next `ingest add` or `ingest remove` stores them")
        return
    ids = [pid for (pid,) in conn.execute("SELECT id FROM passages")]
    columns = _columns(conn, "passages")
    unstored = differing = 0
    for chunk in range(0, len(ids), 1000):
        for p in _passages_by_id(conn, ids[chunk : chunk + 1000], dim, stems=True, heading="heading" in columns,
                                 table="table_json" in columns).values():
            if p.encoded_stems is None:
                unstored += 1
            elif _decode_stems(p.encoded_stems, len(p.sentence_spans)) != _passage_stems(p.text, p.sentence_spans, p.table):
                differing += 1
    if unstored:
        verification.problems.append(f"{unstored} passages without stored word stems")
    if differing:
        verification.problems.append(f"{differing} passages' stored word stems differ from their text"
                                     " (the stemmer or the stopwords changed since); run `ingest rebuild`")
