"""What the `ingest` and `qa` commands share: the error stream, the --index option, and errors told in one line."""
from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape

from . import settings

err = Console(stderr=True, soft_wrap=True)  # an error stays one line, however long

IndexOption = typer.Option(None, "--index", help="Index directory (default: $QA_INDEX_DIR, else ./index)")


def index_or_default(index: Optional[Path]) -> Path:
    return index or settings.index_dir()


@contextmanager
def exits_on(*errors: type[BaseException], code: int = 2):
    """Tell any of ``errors`` in one line on stderr and exit with ``code`` (2: the index or a setting is unusable)."""
    try:
        yield
    except errors as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(code)


def configure() -> None:
    """A command's first step: every setting checked, the process's environment set (ingest/settings.py)."""
    with exits_on(settings.SettingError):
        settings.configure_process()
