"""The machine's PostgreSQL (127.0.0.1:5432, trust auth, database `test`; `.ci/run` starts it) as the tests use it:
a private schema each, dropped afterwards, so that tests running at once never see each other's rows."""
from __future__ import annotations

import contextlib
import uuid
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text

POSTGRES = "postgresql://postgres@127.0.0.1:5432/test"


@contextlib.contextmanager
def private_schema() -> Iterator[str]:
    """A URL of a new schema of the machine's PostgreSQL, dropped on exit; the test is skipped when none answers."""
    admin = create_engine(POSTGRES.replace("postgresql://", "postgresql+psycopg://"))
    try:
        with admin.connect():
            pass
    except Exception as exc:  # any failure to connect: no server here
        admin.dispose()
        pytest.skip(f"no PostgreSQL answers at {POSTGRES} ({str(exc).splitlines()[0]})")
    schema = f"qa_test_{uuid.uuid4().hex[:12]}"
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield f"{POSTGRES}?options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()
