"""The app with the staff page on, over private copies of the seed index and corpus folder, for the staff tests."""
from __future__ import annotations

import contextlib
import shutil
from pathlib import Path
from typing import Iterator

from running_app import running_app


@contextlib.contextmanager
def staff_site(seed_index: Path, root: Path, password: str, **env: str) -> Iterator[tuple[str, Path, Path]]:
    """(URL, index, corpus) of the app started with QA_STAFF_PASSWORD=``password`` and ``env``; its log is root/app.log."""
    index, corpus = root / "index", root / "corpus"
    shutil.copytree(seed_index, index, ignore=shutil.ignore_patterns(".lock"))
    corpus.mkdir()
    with running_app(index, root / "app.log", {"QA_CORPUS_DIR": str(corpus), "QA_STAFF_PASSWORD": password, **env}) as url:
        yield url, index, corpus
