"""Uploads on the staff page as background ingest jobs (ingest/jobs.py), with their progress live on the page.

An upload is stored in the corpus folder at once; reading and embedding it run in a job at a lower priority with one
model thread, so the public chat keeps answering at its normal speed. The page shows each file's pages read,
passages embedded and the time left, to every staff session (one that reloads the page too), and can cancel the
job. When a job ends, the corpus keeps only the files it indexed: every stored file is taken back when the job
failed or was cancelled, which left the index as it was.
"""
from __future__ import annotations

import threading
from collections.abc import Iterator
from html import escape
from pathlib import Path

import gradio as gr

from ingest.corpus import StoredUpload, undo_upload
from ingest.jobs import CANCELLED, COMMITTING, DONE, FAILED, RUNNING, IngestJob, JobState
from ingest.progress import EMBEDDING, READING, duration

JOB_THREADS = 1  # the model's threads in a staff job: the other core stays free for answers
REFRESH_SECONDS = 1.0


class StaffJobs:
    """The staff page's ingest jobs: at most one runs at a time (the index has one writer anyway)."""

    def __init__(self, index_dir: Path):
        self.index_dir = index_dir
        self._lock = threading.Lock()
        self._latest: IngestJob | None = None
        self._tidying: threading.Thread | None = None  # takes the latest job's unindexed uploads back

    def start(self, stored: list[StoredUpload], password: str | None) -> IngestJob:
        """A job adding the ``stored`` uploads; when another is running, they are taken back and gr.Error says so."""
        with self._lock:
            if self._latest is not None and not self._latest.finished.is_set():
                for s in stored:
                    undo_upload(s)
                raise gr.Error("Another upload is being added: wait for it to finish, or cancel it.")
            job = IngestJob([s.path for s in stored], self.index_dir, password=password, threads=JOB_THREADS)
            self._latest = job
            self._tidying = threading.Thread(target=self._tidy_corpus, args=(job, stored), name="staff-job-tidy",
                                             daemon=True)
            self._tidying.start()
        return job

    def latest(self) -> IngestJob | None:
        return self._latest

    def cancel(self) -> str:
        job = self._latest
        if job is None or job.finished.is_set():
            return "No upload is being added."
        if not job.cancel():
            return "Too late to cancel: the upload is being committed."
        return "Cancelling: the index stays as it was."

    @staticmethod
    def _tidy_corpus(job: IngestJob, stored: list[StoredUpload]) -> None:
        status = job.wait()
        for s, result in zip(stored, status.results) if status.state == DONE else ((s, None) for s in stored):
            if result is None or result.status in ("rejected", "unchanged"):
                undo_upload(s)  # the corpus keeps only files that are indexed, once


    def watch(self, job: IngestJob) -> Iterator[JobState]:
        """The job's state every REFRESH_SECONDS until it ends, then its final state once the corpus is tidied."""
        tidying = self._tidying
        while not job.finished.wait(REFRESH_SECONDS):
            yield job.status()
        tidying.join()
        yield job.wait()


def progress_rows(status: JobState) -> list[list]:
    """One row per file, as the staff page's result table has them: file, status, pages, passages, id, note."""
    rows = []
    for f in status.progress.files if status.progress else []:
        if status.state == CANCELLED:
            rows.append([f.name, "cancelled", "", "", "", "not added: the upload was cancelled"])
            continue
        if f.status == READING:
            said, pages = "reading", f"{f.pages_read}/{f.pages}" if f.pages else ""
        elif f.status == EMBEDDING:
            said, pages = "embedding", f.pages or f.pages_read
        else:
            said, pages = f.status, f.pages or ""
        passages = f"{f.passages_embedded}/{f.passages}" if f.status == EMBEDDING else ""
        rows.append([f.name, said, pages, passages, "", ""])
    return rows


def summary(status: JobState | None) -> str:
    """A line of HTML: how far the job is, and the time left."""
    if status is None:
        return ""
    if status.state in (RUNNING, COMMITTING):
        progress = status.progress
        done = progress.fraction() if progress else 0.0
        left = "committing" if status.state == COMMITTING else f"time left: {duration(progress.seconds_left() if progress else None)}"
        return (f'<div class="qa-job" role="status"><progress max="100" value="{100 * done:.0f}"></progress>'
                f" Adding: {100 * done:.0f}% done, {escape(left)}</div>")
    said = {DONE: "The upload was added.", CANCELLED: "The upload was cancelled; the index is as it was.",
            FAILED: f"The upload failed; the index is as it was. {status.error}"}[status.state]
    return f'<div class="qa-job" role="status">{escape(said)}</div>'


def job_panel(jobs: StaffJobs) -> None:
    """The running job's progress and a Cancel button, kept fresh on any open staff page; inside a Blocks context."""
    with gr.Row():
        shown = gr.HTML(lambda: summary(_status(jobs)), elem_id="qa-staff-job")
        cancel = gr.Button("Cancel upload", variant="stop", size="sm", elem_id="qa-staff-cancel")
    said = gr.Markdown()
    timer = gr.Timer(REFRESH_SECONDS)
    timer.tick(lambda: summary(_status(jobs)), None, shown, api_name=False, show_progress="hidden")
    cancel.click(jobs.cancel, None, said, api_name="cancel")


def _status(jobs: StaffJobs) -> JobState | None:
    job = jobs.latest()
    return job.status() if job is not None else None
