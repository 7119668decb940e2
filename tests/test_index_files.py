"""``exists()``: whether a directory holds a committed index; a damaged database is an error, not an index."""
from __future__ import annotations

import sqlite3

import pytest

from ingest.index import DB_NAME, IndexUnavailable, exists


def test_no_database_and_one_without_a_generation_are_no_index(tmp_path):
    assert not exists(tmp_path / "nowhere")
    with sqlite3.connect(tmp_path / DB_NAME) as conn:  # what a first ingest killed before its commit leaves
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    assert not exists(tmp_path)


def test_a_damaged_database_is_refused_with_the_way_back(tmp_path):
    (tmp_path / DB_NAME).write_bytes(b"not a database, " * 512)
    with pytest.raises(IndexUnavailable, match=r"is damaged .*run `ingest rebuild`"):
        exists(tmp_path)
