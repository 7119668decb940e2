"""Query latency, p50/p95/p99: the qa pipeline alone, then over HTTP (/ask) against the running app.

    .venv/bin/python bench/query_latency.py [--index DIR] [--rounds 20]

Asks the seed gold set's questions (eval/seed-gold.jsonl) ROUNDS times each. Without --index it uses
the seed corpus's index, built into .cache/bench/seed-index when absent. Every measurement follows a
first warm-up question, as a running app would have answered one already. Over HTTP twice: plain
requests to Gradio's REST API (POST /gradio_api/call/ask, then its event stream, as curl or httpx
would), and through gradio_client, which adds its own work on the client side.
"""
from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apprun import app_process, first_answer  # noqa: E402
from bench.load_test import ask  # noqa: E402
from bench.measure import CACHE, ROOT, answer_times, load, peak_rss_mib, percentiles  # noqa: E402
from ingest import settings  # noqa: E402
from ingest.index import exists  # noqa: E402
from ingest.pipeline import add_files  # noqa: E402
from qa.evaluation import load_gold  # noqa: E402
from qa.pipeline import QAPipeline  # noqa: E402


def seed_index() -> Path:
    index_dir = CACHE / "seed-index"
    if not exists(index_dir):
        add_files([ROOT / "corpus"], index_dir, progress=False)
    return index_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    settings.configure_process()  # a process of its own, like the commands
    index_dir = args.index or seed_index()
    gold = load_gold(ROOT / "eval" / "seed-gold.jsonl")
    asked = [(q.question, q.history) for q in gold] * args.rounds
    print(load())

    pipeline = QAPipeline(index_dir)
    pipeline.ask(*asked[0])
    timings, cpu = answer_times(pipeline.ask, asked)
    print(f"pipeline ({pipeline.index.passage_count()} passages): {percentiles(timings)}; peak RSS {peak_rss_mib():.0f} MiB")
    print(f"pipeline, CPU time of the answering thread: {percentiles(cpu)}")

    with app_process(index_dir) as app:
        client, _ = first_answer(app, asked[0][0])
        url = app.url
        print(f"HTTP /ask, plain requests: {percentiles(asyncio.run(plain_http(url, asked)))}")
        timings = []
        for question, history in asked:
            started = time.perf_counter()
            client.predict(question, history, api_name="/ask")
            timings.append(time.perf_counter() - started)
    print(f"HTTP /ask, gradio_client: {percentiles(timings)}; {load()}")


async def plain_http(url: str, asked: list[tuple[str, list[str]]]) -> list[float]:
    import httpx

    timings = []
    async with httpx.AsyncClient(base_url=url, timeout=60) as client:
        for question, history in asked:
            started = time.perf_counter()
            await ask(client, question, history)
            timings.append(time.perf_counter() - started)
    return timings


if __name__ == "__main__":
    main()
