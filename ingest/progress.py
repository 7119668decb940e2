"""Where an ingest stands, file by file: what the staff page and the command line show while it runs."""
from __future__ import annotations

import time
from dataclasses import dataclass, field

WAITING, READING, EMBEDDING = "waiting", "reading", "embedding"  # then the file's FileResult status
MIN_FRACTION_FOR_ESTIMATE = 0.02  # before this much is done, a time left would be a guess


@dataclass
class FileProgress:
    name: str  # the file's name, never its path: this is shown to staff
    size: int  # bytes: files weigh in the time left by their size
    status: str = WAITING
    pages_read: int = 0
    pages: int = 0  # 0 until the reader has opened the file (or for a file without pages)
    passages_embedded: int = 0
    passages: int = 0  # 0 until the file is read

    @property
    def finished(self) -> bool:
        return self.status not in (WAITING, READING, EMBEDDING)

    def fraction(self) -> float:
        """How much of this file is done: reading and embedding count half each (they take about as long)."""
        if self.finished:
            return 1.0
        read = 1.0 if self.status == EMBEDDING else self.pages_read / self.pages if self.pages else 0.0
        embedded = self.passages_embedded / self.passages if self.passages else 0.0
        return (read + embedded) / 2


@dataclass
class IngestProgress:
    files: list[FileProgress]
    started: float = field(default_factory=time.monotonic)

    def fraction(self) -> float:
        total = sum(max(f.size, 1) for f in self.files)
        return sum(max(f.size, 1) * f.fraction() for f in self.files) / total if total else 1.0

    def seconds_left(self, now: float | None = None) -> float | None:
        """Time left at the pace so far; None until enough is done to tell."""
        done = self.fraction()
        if done >= 1.0:
            return 0.0
        if done < MIN_FRACTION_FOR_ESTIMATE:
            return None
        elapsed = (now or time.monotonic()) - self.started
        return elapsed * (1 - done) / done


def duration(seconds: float | None) -> str:
    """"1 min 05 s", "12 s", or "estimating" before there is an estimate."""
    if seconds is None:
        return "estimating"
    seconds = round(seconds)
    return f"{seconds // 60} min {seconds % 60:02d} s" if seconds >= 60 else f"{seconds} s"
