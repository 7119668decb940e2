"""Answer latency while a large report is ingested: p95 of /ask idle, during a ~300-page staff upload job, idle again.

    .venv/bin/python bench/answers_during_ingest.py [--pages 300] [--folder ../shared/data/reports/us-federal]

The app runs as users start it (apprun) over a copy of the seed index. The ingest is the job the staff
page starts (ingest/jobs.py with web/staff_jobs.py's one model thread, niced) writing to the same index, as an upload
would. Questions are the seed gold set's, asked one after another over plain HTTP. The target (issue 14): p95 during
the ingest within 2x of idle; idle is measured before and after, and the larger of the two is the reference, since
other work on the machine comes and goes.
"""
from __future__ import annotations

import argparse
import asyncio
import shutil
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apprun import app_process, first_answer  # noqa: E402
from bench.ingest_throughput import _first_files  # noqa: E402
from bench.load_test import ask  # noqa: E402
from bench.measure import CACHE, ROOT, load, percentiles, shared_data  # noqa: E402
from bench.query_latency import seed_index  # noqa: E402
from ingest.jobs import DONE, IngestJob  # noqa: E402
from qa.evaluation import load_gold  # noqa: E402
from web.staff_jobs import JOB_THREADS  # noqa: E402


async def timed_answers(url: str, asked: list[tuple[str, list[str]]], until) -> list[float]:
    """Ask the questions round and round until ``until()`` says stop; the seconds each answer took."""
    import httpx

    timings: list[float] = []
    async with httpx.AsyncClient(base_url=url, timeout=120) as client:
        while not until(len(timings)):
            question, history = asked[len(timings) % len(asked)]
            started = time.perf_counter()
            await ask(client, question, history)
            timings.append(time.perf_counter() - started)
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=300, help="ingest the first reports of the folder up to N pages")
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--idle-questions", type=int, default=60)
    args = parser.parse_args()
    files = _first_files(args.folder or shared_data("reports/us-federal"), args.pages)
    index_dir = CACHE / "answers-during-ingest-index"
    shutil.rmtree(index_dir, ignore_errors=True)
    shutil.copytree(seed_index(), index_dir, ignore=shutil.ignore_patterns(".lock"))
    gold = load_gold(ROOT / "eval" / "seed-gold.jsonl")
    asked = [(q.question, q.history) for q in gold]

    with app_process(index_dir) as app:
        first_answer(app, asked[0][0])
        url = app.url
        print(f"before: {load()}")
        idle = asyncio.run(timed_answers(url, asked, lambda n: n >= args.idle_questions))
        print(f"idle, before: {percentiles(idle)}")
        job = IngestJob(files, index_dir, threads=JOB_THREADS)
        started = time.perf_counter()
        during = asyncio.run(timed_answers(url, asked, lambda n: job.finished.is_set()))
        status = job.wait()
        seconds = time.perf_counter() - started
        pages = sum(r.pages for r in status.results)
        print(f"during the ingest ({status.state}: {len(files)} files, {pages} pages in {seconds:.0f} s,"
              f" {pages / seconds:.1f} pages/s): {percentiles(during)}; {load()}")
        after = asyncio.run(timed_answers(url, asked, lambda n: n >= args.idle_questions))
        print(f"idle, after: {percentiles(after)}; {load()}")
    shutil.rmtree(index_dir, ignore_errors=True)
    reference = max(np.percentile(idle, 95), np.percentile(after, 95))
    ratio = np.percentile(during, 95) / reference
    print(f"p95 during / idle: {ratio:.2f} ({'within' if ratio <= 2 and status.state == DONE else 'NOT within'} 2x)")


if __name__ == "__main__":
    main()
