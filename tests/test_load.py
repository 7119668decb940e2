"""A short run of the load bench (bench/load_test.py) in the suite: 20 users for a few seconds, not one error.

The figures that matter (throughput, p95 over 60 s) come from the bench itself; timings here would only be flaky."""
from __future__ import annotations

import asyncio

import pytest

from bench.load_test import run_load

pytestmark = [pytest.mark.reliability, pytest.mark.slow]


def test_twenty_users_get_answers_and_no_errors(shared_app):
    logged = len(shared_app.log.read_text())
    result = asyncio.run(run_load(shared_app.url, users=20, seconds=5))
    assert "Traceback" not in shared_app.log.read_text()[logged:]
    assert not result.errors, sorted(set(result.errors))[:5]
    assert result.requests >= 20
