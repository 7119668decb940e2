"""Crash safety and the writer lock, with real `ingest` processes: kill -9 mid-ingest and mid-rebuild,
two ingests at once."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time

import pytest

from gradio_client import Client

from conftest import INGEST, ingest
from ingest.index import DB_NAME, Index, exists, verify
from running_app import running_app

pytestmark = [pytest.mark.reliability, pytest.mark.slow]  # `make reliability` runs these

NOUNS = ["budget", "harbour", "satellite", "railway", "school", "clinic", "forest", "reservoir"]


def _reports(folder, count: int, sentences: int = 30):
    """``count`` small reports: embedding each takes a noticeable moment, so a batch of them takes a while."""
    folder.mkdir()
    for i in range(count):
        text = [f"Report {i} finds that the {NOUNS[(i + j) % 8]} budget of region {j} grew by {i + j} percent."
                for j in range(sentences)]
        (folder / f"report-{i:03d}.txt").write_text("\n\n".join(" ".join(text[k : k + 6]) for k in range(0, sentences, 6)))
    return folder


class _Ingest:
    """An `ingest` command in the background, its stderr (progress bar, messages) collected as it comes."""

    def __init__(self, *args: str, index):
        self.proc = subprocess.Popen([INGEST, *args, "--index", str(index)], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.PIPE)
        self.stderr = ""
        self.finished_at = None
        self._collector = threading.Thread(target=self._collect, daemon=True)
        self._collector.start()

    def _collect(self):
        # os.read returns whatever has arrived: a progress bar has no line ends to wait for
        for chunk in iter(lambda: os.read(self.proc.stderr.fileno(), 4096), b""):
            self.stderr += chunk.decode(errors="replace")
        self.proc.wait()
        self.finished_at = time.monotonic()

    def files_done(self) -> int:
        # `ingest add` says "N/M files done" when its stderr is not a terminal; `rebuild` draws tqdm's "| N/M ["
        return max((int(n) for n in re.findall(r"(?:\| *|^)(\d+)/\d+(?: \[| files done)", self.stderr, re.M)), default=0)

    def wait_until(self, condition, timeout: float = 300):
        deadline = time.monotonic() + timeout
        while not condition():
            if self.proc.poll() is not None:
                self._collector.join(timeout=10)  # its last output, and finished_at, may still be on their way
                assert condition(), f"ingest ended early:\n{self.stderr[-2000:]}"
            assert time.monotonic() < deadline, f"timed out:\n{self.stderr[-2000:]}"
            time.sleep(0.1)


def test_kill_9_during_a_large_add_leaves_the_previous_generation(scratch_index, tmp_path):
    before = Index(scratch_index)
    batch = _Ingest("add", str(_reports(tmp_path / "batch", 200)), index=scratch_index)
    batch.wait_until(lambda: batch.files_done() >= 3)
    os.kill(batch.proc.pid, signal.SIGKILL)
    batch.proc.wait()

    after = Index(scratch_index)
    assert after.generation == before.generation == 1
    assert [d.id for d in after.documents()] == [d.id for d in before.documents()]
    assert after.passage_count() == before.passage_count()
    result = verify(scratch_index)
    assert result.ok, result.problems
    # the lock died with the process: the next ingest goes straight in
    again = ingest("add", str(tmp_path / "batch" / "report-000.txt"), index=scratch_index)
    assert again.returncode == 0 and "waiting" not in again.stderr


def test_kill_9_during_the_first_add_leaves_no_index_and_the_app_builds_one(tmp_path, monkeypatch):
    """A first ingest killed before its commit leaves an SQLite file without a generation: no index, not a damaged one."""
    index = tmp_path / "index"
    batch = _Ingest("add", str(_reports(tmp_path / "batch", 200)), index=index)
    batch.wait_until(lambda: batch.files_done() >= 3)
    os.kill(batch.proc.pid, signal.SIGKILL)
    batch.proc.wait()
    assert (index / DB_NAME).is_file() and not exists(index)

    monkeypatch.setenv("QA_CORPUS_DIR", str(_reports(tmp_path / "corpus", 2)))
    with running_app(index, tmp_path / "app.log") as url:
        answer = Client(url, verbose=False).predict("How much did the harbour budget of region 0 grow?", [], api_name="/ask")
    assert not answer["abstained"] and "harbour" in answer["answer"]
    assert verify(index).ok


def test_kill_9_during_a_rebuild_leaves_the_previous_generation_and_the_app_answering(scratch_index, tmp_path):
    before = Index(scratch_index)
    with running_app(scratch_index, tmp_path / "app.log") as url:
        client = Client(url, verbose=False)
        rebuild = _Ingest("rebuild", "--corpus", str(_reports(tmp_path / "corpus", 200)), index=scratch_index)
        rebuild.wait_until(lambda: rebuild.files_done() >= 3)
        assert not client.predict("Who prepared the report?", [], api_name="/ask")["abstained"]  # during the rebuild
        os.kill(rebuild.proc.pid, signal.SIGKILL)
        rebuild.proc.wait()
        assert not client.predict("Who prepared the report?", [], api_name="/ask")["abstained"]  # and after the kill
    after = Index(scratch_index)
    assert after.generation == before.generation
    assert [d.id for d in after.documents()] == [d.id for d in before.documents()]
    assert verify(scratch_index).ok


def test_a_second_ingest_waits_for_the_first(scratch_index, tmp_path):
    # The first writer: a process in the middle of a write, holding IndexWriter's lock until told to commit.
    first = subprocess.Popen(
        [sys.executable, "-c", "import sys; from ingest.index import IndexWriter\n"
         f"with IndexWriter({str(scratch_index)!r}):\n    print('writing', flush=True); sys.stdin.readline()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert first.stdout.readline() == "writing\n"
    single = tmp_path / "single.txt"
    single.write_text("The second ingest adds this one report about tidal power.")
    second = _Ingest("add", str(single), index=scratch_index)
    second.wait_until(lambda: "finish..." in second.stderr)
    assert f"Another ingest is writing to {scratch_index}; waiting for it to finish..." in second.stderr
    time.sleep(1)
    assert second.proc.poll() is None  # still waiting: nothing of it is written while the first holds the lock

    first.communicate("commit\n", timeout=60)
    second.wait_until(lambda: second.finished_at is not None)
    assert (first.returncode, second.proc.returncode) == (0, 0)
    reader = Index(scratch_index)
    assert reader.generation == 2 and len(reader.documents()) == 2
    assert verify(scratch_index).ok
