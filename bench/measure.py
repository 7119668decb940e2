"""What every benchmark prints beside its numbers: the machine's load, latency percentiles, peak memory."""
from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def _main_checkout() -> Path:
    """ROOT, or for a `git worktree` (whose ".git" file names <main>/.git/worktrees/<name>) the checkout it came from."""
    git = ROOT / ".git"
    if git.is_file() and git.read_text().startswith("gitdir:"):
        return Path(git.read_text().split(":", 1)[1].strip()).parents[2]
    return ROOT


SHARED_DATA = _main_checkout().parent / "shared" / "data"
CACHE = ROOT / ".cache" / "bench"


def shared_data(relative: str) -> Path:
    """A path under ../shared/data; exits with a clear message when that data is not on this machine."""
    path = SHARED_DATA / relative
    if not path.exists():
        sys.exit(f"{path} is absent: this benchmark reads the shared data set beside the repository")
    return path


def load() -> str:
    """The 1/5/15-minute load averages: other work on the machine skews every timing."""
    return "load %.2f %.2f %.2f on %d cores" % (*os.getloadavg(), os.cpu_count())


def peak_rss_mib() -> float:
    """This process's peak resident memory. Linux's ru_maxrss survives fork and exec, so a benchmark child started by
    a parent holding 1.5 GB would report at least that; VmHWM belongs to the process's own address space."""
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def percentiles(seconds: list[float]) -> str:
    ms = np.array(seconds) * 1000
    return "p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  (n=%d)" % (*np.percentile(ms, [50, 95, 99]), len(ms))


def answer_times(ask, asked: list[tuple]) -> tuple[list[float], list[float]]:
    """``ask(*a)`` for each ``a`` of ``asked``: the seconds each took, and the CPU seconds of this thread. A question is
    answered on one thread (ONNX Runtime and FAISS on one), so other work on the machine stretches the first, while
    the second stays near what a quiet machine would take."""
    wall, cpu = [], []
    for args in asked:
        started, started_cpu = time.perf_counter(), time.thread_time()
        ask(*args)
        cpu.append(time.thread_time() - started_cpu)
        wall.append(time.perf_counter() - started)
    return wall, cpu
