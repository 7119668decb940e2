"""The index as answering reads it: one generation at a time, searched by vector and by words."""
from __future__ import annotations

import sqlite3
import threading
from collections import defaultdict
from pathlib import Path
from typing import Sequence

import faiss
import numpy as np

from .files import DB_NAME, IndexUnavailable, columns, connect, damaged, exists, meta
from .records import DocumentRecord, StoredPassage, passages_by_id, read_documents, read_passages
from .vectors import read_vectors


MAX_CACHED_FREQUENCIES = 100_000  # words whose document frequency a reader keeps: a few MiB


# Matched first, then filtered: a rowid constraint beside MATCH makes FTS5 look up every passage of the documents
# one by one (50 to 100 times slower on a few long reports).
_MATCHED = ("WITH hits AS MATERIALIZED (SELECT rowid AS id, bm25(passages_fts) AS score FROM passages_fts"
            " WHERE passages_fts MATCH ?) ")
# Filtered by the documents' passage ids, read from the covering index passages_doc, when they are few: joining each
# match to its wide passages row instead took 2-3 times as long at 100k passages. Listing the ids costs per passage
# of the documents, though, and joining per match: many documents' passages are filtered by joining.
_IN_DOCUMENTS = "id, score FROM hits WHERE id IN (SELECT id FROM passages WHERE doc_id IN ({})) ORDER BY score LIMIT ?"
_JOINED = ("hits.id, hits.score FROM hits JOIN passages ON passages.id = hits.id WHERE passages.doc_id IN ({})"
           " ORDER BY hits.score LIMIT ?")
LISTED_PASSAGES_MAX = 5000
_NO_IDS = np.empty(0, dtype=np.int64)


class Index:
    """Read-only view of one generation; ``refresh()`` moves to a newer one when a writer published it."""

    def __init__(self, index_dir: Path):
        self.dir = Path(index_dir)
        if not exists(self.dir):  # a damaged database says so here
            raise IndexUnavailable(f"no index at {self.dir}; build one with `ingest rebuild` or `ingest add FILE`")
        self._lock = threading.Lock()
        self.generation = -1
        try:
            self.conn = connect(self.dir / DB_NAME, read_only=True)
            self.conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.passages_vocab USING fts5vocab(main, passages_fts, 'row')")
            self.refresh()
        except sqlite3.DatabaseError as exc:
            raise damaged(self.dir, exc) from exc

    def refresh(self) -> bool:
        """Load the newest generation if it changed; True when it did.

        Raises IndexUnavailable, keeping the generation it has, when the new one's FAISS file is damaged.
        """
        published = meta(self.conn)
        generation = int(published.get("generation", 0))
        if generation == self.generation:
            return False
        vectors = read_vectors(self.dir, published)
        with self._lock:
            self.vectors, self.generation = vectors, generation
            self.model, self.dim = published.get("model", ""), int(published.get("dim", vectors.d))
            # An index of version 1 has no stems column until a writer opens it; stems are then made from the text.
            self._present = frozenset(columns(self.conn, "passages"))
            self._frequencies: dict[str, int] = {}
            self._doc_passages: dict[str, np.ndarray] | None = None  # read at the first need (_passage_ids)
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
            return read_documents(self.conn)

    def dense_search(self, query: np.ndarray, k: int, within: Sequence[str] | None = None) -> list[tuple[int, float]]:
        """The ``k`` passages nearest ``query``; ``within``: only those of these documents."""
        if self.vectors.ntotal == 0:
            return []
        params = None
        if within is not None:
            ids = self._passage_ids(within)
            if not len(ids):
                return []
            # A bitmap over the ids: its test is one bit, where IDSelectorBatch hashes every id into a set first
            # (3-4 ms for half of 100k passages, a question naming a long series).
            members = np.zeros(int(ids.max()) + 1, dtype=bool)
            members[ids] = True
            selector = faiss.IDSelectorBitmap(np.packbits(members, bitorder="little"))
            if isinstance(self.vectors, faiss.IndexIVF):
                # A few documents' passages lie in few lists, maybe none of those nearest the query: scan every
                # list, the selector skipping the other documents' codes, when the documents are a small share.
                nprobe = self.vectors.nlist if len(ids) * 10 < self.vectors.ntotal else self.vectors.nprobe
                params = faiss.SearchParametersIVF(sel=selector, nprobe=nprobe)
            else:
                params = faiss.SearchParameters(sel=selector)
        # One vector needs no team of OpenMP threads, but IndexIDMap maps its labels in a parallel region that waits
        # for its second thread while another process holds that core: 20-40 ms at once on a busy machine. The
        # setting is the calling thread's own (libgomp), and is put back for whatever else this thread runs.
        threads = faiss.omp_get_max_threads()
        faiss.omp_set_num_threads(1)
        try:
            scores, ids = self.vectors.search(np.ascontiguousarray(query.reshape(1, -1), dtype=np.float32), k, params=params)
        finally:
            faiss.omp_set_num_threads(threads)
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0]) if i >= 0]

    def lexical_search(self, match_expression: str, k: int, within: Sequence[str] | None = None) -> list[tuple[int, float]]:
        """FTS5 BM25 over passages (``within``: of these documents only). ``match_expression`` must already be safe FTS5 syntax."""
        if not match_expression or (within is not None and not within):
            return []
        if within is None:
            return self._scored("SELECT rowid, bm25(passages_fts) FROM passages_fts WHERE passages_fts MATCH ?"
                                " ORDER BY bm25(passages_fts) LIMIT ?", [match_expression, k])
        docs = list(dict.fromkeys(within))
        return self._scored(_MATCHED + "SELECT " + self._of_documents(docs), [match_expression, *docs, k])

    def lexical_search_also_within(self, match_expression: str, k: int, within: Sequence[str]
                                   ) -> tuple[list[tuple[int, float]], list[tuple[int, float]]]:
        """``lexical_search`` over every passage, and over ``within``'s, from one scoring of the matches: the BM25 of
        every matching passage is most of the cost of either."""
        if not match_expression or not within:
            return self.lexical_search(match_expression, k), []
        docs = list(dict.fromkeys(within))
        rows = self._scored(_MATCHED + "SELECT * FROM (SELECT 0, id, score FROM hits ORDER BY score LIMIT ?) UNION ALL"
                            " SELECT * FROM (SELECT 1, " + self._of_documents(docs) + ")",
                            [match_expression, k, *docs, k])
        return [(pid, score) for part, pid, score in rows if not part], [(pid, score) for part, pid, score in rows if part]

    def documents_opening_with(self, match_expression: str, passages: int) -> list[str]:
        """The documents among whose first ``passages`` passages one matches ``match_expression`` (safe FTS5 syntax):
        those whose cover or opening names what it matches."""
        if not match_expression:
            return []
        with self._lock:
            rows = self.conn.execute("SELECT DISTINCT passages.doc_id FROM passages_fts JOIN passages"
                                     " ON passages.id = passages_fts.rowid WHERE passages_fts MATCH ? AND passages.ordinal < ?",
                                     [match_expression, passages]).fetchall()
        return [doc for doc, in rows]

    def _of_documents(self, docs: list[str]) -> str:
        """The SQL, after _MATCHED and a SELECT, of the best ``k`` matches among ``docs``' passages."""
        filtered = _IN_DOCUMENTS if len(self._passage_ids(docs)) <= LISTED_PASSAGES_MAX else _JOINED
        return filtered.format(",".join("?" * len(docs)))

    def _scored(self, sql: str, params: list) -> list[tuple]:
        """The rows of ``sql``, each ending in a passage id and its bm25(), which is lower-is-better: flipped here, so
        that every score is higher-is-better."""
        with self._lock:
            rows = self.conn.execute(sql, params).fetchall()
        return [(*row[:-2], int(row[-2]), -float(row[-1])) for row in rows]

    def _passage_ids(self, doc_ids: Sequence[str]) -> np.ndarray:
        """The passage ids of these documents. Every document's are read at the first need, in one pass over an
        index, and kept for the generation: a question naming a long series asks for dozens of documents at once."""
        with self._lock:
            if self._doc_passages is None:
                found: dict[str, list[int]] = defaultdict(list)
                for doc_id, pid in self.conn.execute("SELECT doc_id, id FROM passages ORDER BY doc_id, ordinal"):
                    found[doc_id].append(pid)
                self._doc_passages = {d: np.array(ids, dtype=np.int64) for d, ids in found.items()}
            parts = [self._doc_passages.get(d, _NO_IDS) for d in dict.fromkeys(doc_ids)]
        return np.concatenate(parts) if parts else _NO_IDS

    def passages(self, ids: list[int]) -> dict[int, StoredPassage]:
        with self._lock:
            return passages_by_id(self.conn, ids, self.dim, self._present) if ids else {}

    def following_passages(self, passage: StoredPassage, n: int) -> list[StoredPassage]:
        """The next ``n`` passages of the same document, in order."""
        with self._lock:
            found = read_passages(self.conn, "doc_id = ? AND ordinal > ? AND ordinal <= ?",
                                   [passage.doc_id, passage.ordinal, passage.ordinal + n], self.dim, self._present)
        return sorted(found.values(), key=lambda p: p.ordinal)

    def opening_passages(self, doc_id: str, n: int) -> list[StoredPassage]:
        """The first ``n`` passages of a document, in order: its cover."""
        with self._lock:
            found = read_passages(self.conn, "doc_id = ? AND ordinal < ?", [doc_id, n], self.dim, self._present)
        return sorted(found.values(), key=lambda p: p.ordinal)

    def document_passages(self, doc_id: str) -> list[StoredPassage]:
        """Every passage of a document, in order."""
        with self._lock:
            found = read_passages(self.conn, "doc_id = ?", [doc_id], self.dim, self._present)
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
