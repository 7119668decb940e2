"""Load on the running app's /ask API: N simulated users asking one question after another for S seconds.

    .venv/bin/python bench/load_test.py                      # starts the app on the seed corpus: 20 users, 60 s
    .venv/bin/python bench/load_test.py --url http://127.0.0.1:7860/ --users 20 --seconds 60
    .venv/bin/python bench/load_test.py --url http://127.0.0.1:8080/ --from-loopback 20   # through a proxy to replicas

Each user goes through Gradio's queue exactly as a script's ``gradio_client`` or ``curl`` does: POST
/gradio_api/call/ask, then read the answer's event stream. Prints requests, errors, throughput and latency
percentiles; exits with status 1 when any request failed. Each user has its own connections and cookies, as separate
readers do; with ``--from-loopback N`` they connect from N addresses of 127.0.1.0/24, so that a proxy that sends each
client address to one replica (docs/deploy.md) spreads them over the replicas.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx

QUESTIONS = [
    "What obstacles hinder cooperation in space?",
    "What are the four key takeaways of the dialogue?",
    "Who prepared the report?",
    "What is the role of the private sector in space?",
    'NEAR("space" OR -cooperation *',  # lexical syntax must cost nothing more than a question
    "How much does a banana cost on Mars?",  # off-topic: the abstaining path
]


@dataclass
class LoadResult:
    users: int
    seconds: float
    latencies: list[float] = field(default_factory=list)  # of the requests that succeeded
    errors: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return len(self.latencies) + len(self.errors)

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] if ordered else float("nan")

    def summary(self) -> str:
        throughput = len(self.latencies) / self.seconds
        return (f"{self.users} users, {self.seconds:.0f} s: {self.requests} requests, {len(self.errors)} errors, "
                f"{throughput:.2f} answers/s, latency p50 {self.percentile(0.5):.2f} s, p95 {self.percentile(0.95):.2f} s,"
                f" max {max(self.latencies, default=float('nan')):.2f} s, mean {statistics.fmean(self.latencies or [0]):.2f} s")


async def ask(client: httpx.AsyncClient, question: str, history: list[str] | None = None) -> dict:
    """One question through the queue, as gradio_client asks it; raises on anything but a complete answer."""
    started = await client.post("gradio_api/call/ask", json={"data": [question, history or []]})
    started.raise_for_status()
    event_id = started.json()["event_id"]
    event = None
    async with client.stream("GET", f"gradio_api/call/ask/{event_id}") as stream:
        stream.raise_for_status()
        async for line in stream.aiter_lines():
            if line.startswith("event:"):
                event = line.split(":", 1)[1].strip()
            elif line.startswith("data:") and event in ("complete", "error"):
                data = json.loads(line.split(":", 1)[1])
                if event == "error":
                    raise RuntimeError(f"error event: {data}")
                answer = data[0]
                if not answer.get("answer"):
                    raise RuntimeError(f"no answer text: {answer}")
                return answer
    raise RuntimeError(f"stream ended without an answer (last event {event!r})")


async def _user(client: httpx.AsyncClient, number: int, deadline: float, result: LoadResult) -> None:
    n = number
    while time.monotonic() < deadline:
        question = QUESTIONS[n % len(QUESTIONS)]
        n += 1
        t0 = time.monotonic()
        try:
            await ask(client, question)
            result.latencies.append(time.monotonic() - t0)
        except Exception as exc:  # noqa: BLE001 - every failure counts as one error, with its reason
            result.errors.append(f"{type(exc).__name__}: {exc}"[:300])


def loopback_addresses(n: int) -> list[str]:
    """``n`` (up to 254) client addresses on this machine (127.0.0.0/8 is loopback on Linux): 127.0.1.1, 127.0.1.2..."""
    return [f"127.0.1.{i}" for i in range(1, n + 1)]


async def run_load(url: str, users: int, seconds: float, addresses: list[str] | None = None) -> LoadResult:
    """``users`` concurrent users for ``seconds``, user i connecting from ``addresses[i % len(addresses)]`` when
    given; a request under way at the end is waited for and counted."""
    result = LoadResult(users, seconds)
    clients = [httpx.AsyncClient(base_url=url, timeout=120, transport=httpx.AsyncHTTPTransport(
        local_address=addresses[i % len(addresses)] if addresses else None)) for i in range(users)]
    try:
        started = time.monotonic()
        await asyncio.gather(*(_user(client, i, started + seconds, result) for i, client in enumerate(clients)))
        result.seconds = time.monotonic() - started
    finally:
        for client in clients:
            await client.aclose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="a running app; default: start one on the seed corpus")
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--from-loopback", type=int, default=0, metavar="N",
                        help="users connect from N loopback addresses (127.0.1.1...), for a proxy that routes by address")
    args = parser.parse_args()
    if not 0 <= args.from_loopback <= 254:
        parser.error(f"--from-loopback takes 1 to 254 addresses, not {args.from_loopback}")
    addresses = loopback_addresses(args.from_loopback) if args.from_loopback else None
    if args.url:
        result = asyncio.run(run_load(args.url, args.users, args.seconds, addresses))
    else:
        from apprun import running_app
        from ingest.pipeline import add_files

        with tempfile.TemporaryDirectory() as tmp:
            index = Path(tmp) / "index"
            add_files([Path(__file__).resolve().parent.parent / "corpus"], index, progress=False)
            log = Path(tmp) / "app.log"
            with running_app(index, log) as url:
                result = asyncio.run(run_load(url, args.users, args.seconds))
            if result.errors:  # the app's side of the story, before its temporary folder goes
                print("app log, last 40 lines:", *log.read_text(errors="replace").splitlines()[-40:], sep="\n  ")
    print(result.summary())
    for reason in sorted(set(result.errors))[:10]:
        print("  error:", reason)
    sys.exit(1 if result.errors else 0)


if __name__ == "__main__":
    main()
