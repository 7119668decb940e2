"""The app with the staff page on, over private copies of the seed index and corpus folder, for the staff tests."""
from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import Iterator

from running_app import running_app

UPLOAD_WAIT_MS = 120_000  # a busy two-core machine (the other test worker embedding) has taken over 30 s


@contextlib.contextmanager
def staff_site(seed_index: Path, root: Path, password: str, **env: str) -> Iterator[tuple[str, Path, Path]]:
    """(URL, index, corpus) of the app started with QA_STAFF_PASSWORD=``password`` and ``env``; its log is root/app.log."""
    index, corpus = root / "index", root / "corpus"
    shutil.copytree(seed_index, index, ignore=shutil.ignore_patterns(".lock"))
    corpus.mkdir()
    with running_app(index, root / "app.log", {"QA_CORPUS_DIR": str(corpus), "QA_STAFF_PASSWORD": password, **env}) as url:
        yield url, index, corpus


def choose_file(page, report: Path, log: Path) -> None:
    """Pick ``report`` in the staff page's file box and wait until Gradio has received it and shows its name.
    Waiting on the upload's own response tells "the page never sent it" from "the server never answered"."""
    try:
        with page.expect_response(lambda r: r.request.method == "POST" and "/gradio_api/upload" in r.url,
                                  timeout=UPLOAD_WAIT_MS) as upload:
            page.locator("input[type=file][multiple]").set_input_files(str(report))
        assert upload.value.status == 200, f"the upload was answered {upload.value.status}"
        # The file box shows the name as two spans, stem and extension ("harbour-survey .pdf" as text): its row
        # carries the whole name as its label.
        page.get_by_label(report.name, exact=True).first.wait_for(timeout=UPLOAD_WAIT_MS)
    except Exception as exc:
        tail = log.read_text(errors="replace")[-3000:] if log.is_file() else "(no log)"
        raise AssertionError(f"{report.name} was not uploaded: {exc}\nthe app's log ends:\n{tail}") from exc
