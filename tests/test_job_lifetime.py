"""A background ingest job outlives the thread that started it (the app starts jobs from a worker thread its pool may
retire), and still dies with the process that started it."""
from __future__ import annotations

import os
import subprocess
import sys
import threading
import time

import pytest

from ingest.jobs import DONE, IngestJob
from pdfs import write_pdf

pytestmark = pytest.mark.slow  # a job process loads the real model


def test_a_job_outlives_the_thread_that_started_it(scratch_index, tmp_path):
    report = write_pdf(tmp_path / "harbour.pdf", [["The harbour programme reached its target of 43 stations this year."]
                                                  * 3] * 40, title="The harbour report")
    started: list[IngestJob] = []

    def start_and_leave() -> None:
        started.append(IngestJob([report], scratch_index, threads=1))
        while started[0].status().progress is None:  # the job is up and reading; then this thread ends
            time.sleep(0.05)

    starter = threading.Thread(target=start_and_leave)
    starter.start()
    starter.join()
    status = started[0].wait(300)
    assert status.state == DONE, status.error


def test_a_job_dies_with_the_process_that_started_it(scratch_index, tmp_path):
    report = write_pdf(tmp_path / "long.pdf", [["The coastal programme reached its target of 12 stations."] * 3] * 60,
                       title="The long report")
    script = (f"import os, sys, time\nfrom pathlib import Path\nfrom ingest.jobs import IngestJob\n"
              f"job = IngestJob([Path({str(report)!r})], Path({str(scratch_index)!r}), threads=1)\n"
              f"print(job.process.pid, flush=True)\ntime.sleep(600)\n")
    parent = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, cwd=os.getcwd())
    job_pid = int(parent.stdout.readline())
    parent.kill()
    parent.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and _alive(job_pid):
        time.sleep(0.2)
    assert not _alive(job_pid)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[-1][0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False
