"""The index directory: the one package that knows its format. ``ingest`` writes it (``IndexWriter``), ``qa`` reads it
(``Index``).

    index/
      index.sqlite           documents, passages (+ their word stems), sentences (+ their vectors), FTS5 lexical index,
                             meta, migrations (schema.py)
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
A commit whose number of passages crosses the line between exact and approximate search rebuilds the FAISS file
from the vectors stored in SQLite (vectors.py).

    files.py    the database file, connections, the writer lock, errors
    schema.py   named migrations, recorded in the database
    records.py  reports and passages as stored
    vectors.py  the FAISS policy: which index a number of passages calls for
    writer.py   IndexWriter        reader.py   Index        verify.py   verify()
    snapshot.py snapshot(): a consistent copy of the current generation, servable from a read-only folder
"""
from __future__ import annotations

from .files import DB_NAME, IndexUnavailable, IndexWriteFailed, exists
from .reader import Index
from .records import DocumentRecord, StoredPassage
from .schema import SCHEMA_VERSION
from .snapshot import snapshot
from .verify import Verification, verify
from .writer import IndexWriter

__all__ = ["DB_NAME", "SCHEMA_VERSION", "DocumentRecord", "Index", "IndexUnavailable", "IndexWriteFailed", "IndexWriter",
           "StoredPassage", "Verification", "exists", "snapshot", "verify"]
