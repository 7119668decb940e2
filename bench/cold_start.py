"""Cold start: seconds from launching the app (`python app.py`) to its first answer over /ask.

    .venv/bin/python bench/cold_start.py [--index DIR] [--runs 3]

Without --index it uses the seed corpus's index (.cache/bench/seed-index), as `make run` does once
its index exists. The clock starts just before the process is spawned, gradio_client already imported.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from apprun import app_process, first_answer  # noqa: E402
from bench.measure import load  # noqa: E402
from bench.query_latency import seed_index  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    index_dir = args.index or seed_index()
    import gradio_client  # noqa: F401  (its import is the client's cost, not the app's)

    print(load())
    for _ in range(args.runs):
        started = time.perf_counter()
        with app_process(index_dir) as app:
            _, answer = first_answer(app, "Who prepared the report?")
            print(f"first answer after {time.perf_counter() - started:.1f} s: {answer['answer'][:60]!r}; {load()}")


if __name__ == "__main__":
    main()
