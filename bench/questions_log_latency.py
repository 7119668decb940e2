"""Does the questions log slow answers? /ask p50/p95 of two apps over the same index, one logging every question
(QA_QUESTIONS_LOG_DAYS=180) and one logging none (=0), asked in turns so that both see the same load.

    .venv/bin/python bench/questions_log_latency.py [--index DIR] [--rounds 5]

Asks the seed gold set's questions ROUNDS times, each question to both apps one after the other, which one first
alternating. Each app has its own database in a temporary folder.
"""
from __future__ import annotations

import argparse
import asyncio
import os
import sqlite3
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
import numpy as np  # noqa: E402

from apprun import app_process, first_answer  # noqa: E402
from bench.load_test import ask  # noqa: E402
from bench.measure import ROOT, load, percentiles  # noqa: E402
from bench.query_latency import seed_index  # noqa: E402
from qa.evaluation import load_gold  # noqa: E402

SETTINGS = {"log on": "180", "log off": "0"}


async def turns(urls: dict[str, str], asked: list[tuple[str, list[str]]]) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {name: [] for name in urls}
    clients = {name: httpx.AsyncClient(base_url=url, timeout=60) for name, url in urls.items()}
    try:
        for n, (question, history) in enumerate(asked):
            order = list(urls) if n % 2 == 0 else list(reversed(urls))
            for name in order:
                started = time.perf_counter()
                await ask(clients[name], question, history)
                timings[name].append(time.perf_counter() - started)
    finally:
        for client in clients.values():
            await client.aclose()
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    index_dir = args.index or seed_index()
    gold = load_gold(ROOT / "eval" / "seed-gold.jsonl")
    asked = [(q.question, q.history) for q in gold] * args.rounds
    folder = Path(tempfile.mkdtemp(prefix="questions-log-bench-"))
    with ExitStack() as stack:
        urls = {}
        for name, days in SETTINGS.items():
            # app_process passes this process's environment on to the app it starts
            os.environ.update(QA_QUESTIONS_LOG_DAYS=days, QA_APP_DB=str(folder / f"{days}.sqlite"))
            app = stack.enter_context(app_process(index_dir))
            first_answer(app, asked[0][0])
            urls[name] = app.url
        print(load())
        timings = asyncio.run(turns(urls, asked))
        print(load())
    for name, values in timings.items():
        print(f"HTTP /ask, {name}: {percentiles(values)}")
    p95 = {name: np.percentile(values, 95) for name, values in timings.items()}
    print(f"p95 ratio, log on / log off: {p95['log on'] / p95['log off']:.2f}")
    logged = sqlite3.connect(folder / "180.sqlite").execute("SELECT count(*) FROM questions").fetchone()[0]
    print(f"rows logged by the app with the log on: {logged} (questions asked: {len(asked) + 1})")


if __name__ == "__main__":
    main()
