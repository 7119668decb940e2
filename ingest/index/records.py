"""What the index's tables hold, as the rest of the code sees it: reports (``DocumentRecord``) and passages
(``StoredPassage``), and how their stems, tables and vectors are stored."""
from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from typing import Collection
from functools import cached_property

import numpy as np

from ..models import Table
from ..text import stem_sequence
from .files import columns


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
    encoded_stems: str | None = None  # as stored (encode_stems); None in an index of version 1: stemmed here
    heading: str = ""  # the heading it stands under
    table: Table | None = None  # a passage of a table row: the row is its one sentence; the header it stands under
    note: bool = False  # a footnote of its page, a passage of its own

    @cached_property
    def _stems(self) -> tuple[list[str], list[list[str]]]:
        if self.encoded_stems is None:
            return passage_stems(self.text, self.sentence_spans, self.table)
        return decode_stems(self.encoded_stems, len(self.sentence_spans))

    @property
    def stem_sequence(self) -> list[str]:
        """``text.stem_sequence`` of the passage: its stemmed content words in order, repeats kept."""
        return self._stems[0]

    @property
    def sentence_stem_sequences(self) -> list[list[str]]:
        """``text.stem_sequence`` of each sentence."""
        return self._stems[1]


def passage_stems(text: str, spans: list[tuple[int, int]], table: Table | None = None) -> tuple[list[str], list[list[str]]]:
    """Stems of a passage and of each of its sentences. A table row says "Total | 1,234" where the question says
    "total flight hours": the words of the header and caption it stands under count as its own."""
    header = stem_sequence(f"{table.caption} {Table.line(table.header)}") if table else []
    return stem_sequence(text) + header, [stem_sequence(text[s:e]) + header for s, e in spans]


def lexical_text(text: str, table: Table | None) -> str:
    """What the lexical (FTS5) index holds of a passage: its text, and a table row's header and caption."""
    if table is None:
        return text
    return "\n".join(part for part in (text, Table.line(table.header), table.caption) if part)


def encode_table(table: Table | None) -> str:
    if table is None:
        return ""
    return json.dumps({"header": table.header, "rows": table.rows, **({"caption": table.caption} if table.caption else {})},
                      ensure_ascii=False)


def decode_table(encoded: str | None, page: int) -> Table | None:
    if not encoded:
        return None
    data = json.loads(encoded)
    return Table(data["header"], data["rows"], page, data.get("caption", ""))


def encode_stems(stems: list[str], sentence_stems: list[list[str]]) -> str:
    """A passage's stems as stored, so that questions never stem passage text: a line per sentence, its words
    separated by spaces. The passage's own sequence is the sentences' joined, unless words lie outside them
    (or a sentence cuts a word): then it follows as one more line, so the reader always gets it exactly."""
    lines = [" ".join(words) for words in sentence_stems]
    if stems != [w for words in sentence_stems for w in words]:
        lines.append(" ".join(stems))
    return "\n".join(lines)


def decode_stems(encoded: str, sentences: int) -> tuple[list[str], list[list[str]]]:
    lines = encoded.split("\n")
    sentence_stems = [line.split() for line in lines[:sentences]]
    if len(lines) > sentences:
        return lines[sentences].split(), sentence_stems
    return [w for words in sentence_stems for w in words], sentence_stems


def unpack_vector(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float16).astype(np.float32)


# Columns of ``passages`` that later migrations added, and what a passage indexed before them has instead.
OPTIONAL_COLUMNS = {"stems": "NULL", "heading": "''", "table_json": "''", "note": "0"}


def read_passages(conn: sqlite3.Connection, where: str, params: list, dim: int,
                  present: Collection[str] = tuple(OPTIONAL_COLUMNS)) -> dict[int, StoredPassage]:
    """The passages ``where`` selects, with their sentences; ``present``: the optional columns there to read."""
    optional = ", ".join(name if name in present else default for name, default in OPTIONAL_COLUMNS.items())
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
            pid, doc_id, ordinal, page, start, end, text, unpack_vector(blob), spans.get(pid, []),
            unpack_vector(b"".join(vectors.get(pid, []))).reshape(-1, dim), encoded, passage_heading,
            decode_table(passage_table, page), bool(note),
        )
        for pid, doc_id, ordinal, page, start, end, text, blob, encoded, passage_heading, passage_table, note in rows
    }


def passages_by_id(conn: sqlite3.Connection, ids: list[int], dim: int,
                   present: Collection[str] = tuple(OPTIONAL_COLUMNS)) -> dict[int, StoredPassage]:
    return read_passages(conn, "id IN ({})".format(",".join("?" * len(ids))), ids, dim, present)


# Columns added by schema 3, read as empty from an older index that no writer has opened since.
DOCUMENT_COLUMNS_3 = ("identity", "title_source", "date_source")


def read_documents(conn: sqlite3.Connection) -> list[DocumentRecord]:
    present = columns(conn, "documents")
    newer = ", ".join(f"d.{c}" if c in present else "''" for c in DOCUMENT_COLUMNS_3)
    rows = conn.execute(
        "SELECT d.id, d.title, d.source, d.url, d.date, d.authors, d.publisher, d.pages, d.pages_without_text,"
        f" d.added_at, (SELECT COUNT(*) FROM passages p WHERE p.doc_id = d.id), {newer}"
        " FROM documents d ORDER BY d.date DESC, d.title"
    ).fetchall()
    return [DocumentRecord(*r[:5], json.loads(r[5]), *r[6:]) for r in rows]
