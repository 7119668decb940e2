"""`ingest`: the staff command line for the report index."""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from . import settings
from .metadata import Metadata
from .pipeline import FileResult, add_files, remove_documents
from .store import IndexReader, IndexUnavailable

app = typer.Typer(
    help="Add, list and remove the reports that Report Q&A answers from.\n\n"
    "The index lives in ./index (set QA_INDEX_DIR to move it). Examples:\n\n"
    "  ingest add corpus/                 # every .pdf .txt .md .html file in a folder\n\n"
    "  ingest add report.pdf --title 'Annual Report 2024' --date 2024-05-01\n\n"
    "  ingest list",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err = Console(stderr=True)

IndexOption = typer.Option(None, "--index", help="Index directory [default: $QA_INDEX_DIR or ./index]")


def _index(index: Optional[Path]) -> Path:
    return index or settings.index_dir()


@app.command()
def add(
    paths: list[Path] = typer.Argument(..., help="Report files or folders (.pdf .txt .md .html)", exists=True),
    title: str = typer.Option("", help="Report title (one file only); else front matter, sidecar, PDF info or file name"),
    date: str = typer.Option("", help="Publication date, YYYY-MM-DD"),
    url: str = typer.Option("", help="Where the public can read the original"),
    author: list[str] = typer.Option([], help="Author; repeat for several"),
    publisher: str = typer.Option("", help="Publishing organisation"),
    password: str = typer.Option(None, help="Password of encrypted PDFs"),
    index: Optional[Path] = IndexOption,
) -> None:
    """Index report files. Adding the same file again changes nothing; a changed file replaces its old version."""
    if title and (len(paths) > 1 or paths[0].is_dir()):
        raise typer.BadParameter("--title names one report; give one file")
    overrides = Metadata(title=title, date=date, url=url, authors=list(author), publisher=publisher)
    try:
        results = add_files(paths, _index(index), overrides, password)
    except IndexUnavailable as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    _print_results(results)
    if any(r.rejected for r in results):
        raise typer.Exit(1)


def _print_results(results: list[FileResult]) -> None:
    for r in results:
        if r.rejected:
            err.print(f"[red]rejected[/red] {r.path}: {r.detail}", highlight=False)
    table = Table(title="Ingest summary")
    for column in ("file", "status", "pages", "passages", "id", "note"):
        table.add_column(column)
    for r in results:
        colour = {"rejected": "red", "unchanged": "dim"}.get(r.status, "green")
        table.add_row(Path(r.path).name, f"[{colour}]{r.status}[/{colour}]", str(r.pages or ""),
                      str(r.passages or ""), r.doc_id, r.detail)
    console.print(table)
    counts = {s: sum(r.status == s for r in results) for s in ("added", "replaced", "unchanged", "rejected")}
    console.print(", ".join(f"{n} {s}" for s, n in counts.items()))


@app.command("list")
def list_(
    as_json: bool = typer.Option(False, "--json", help="One JSON array instead of a table"),
    index: Optional[Path] = IndexOption,
) -> None:
    """List the indexed reports."""
    try:
        docs = IndexReader(_index(index)).documents()
    except IndexUnavailable as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    if as_json:
        print(json.dumps([asdict(d) for d in docs], indent=2, ensure_ascii=False))
        return
    table = Table(title=f"{len(docs)} reports")
    for column in ("id", "title", "date", "pages", "passages", "source"):
        table.add_column(column)
    for d in docs:
        table.add_row(d.id, d.title, d.date, str(d.pages), str(d.passages), d.source)
    console.print(table)


@app.command()
def remove(
    doc_ids: list[str] = typer.Argument(..., help="Document ids, as `ingest list` shows them"),
    index: Optional[Path] = IndexOption,
) -> None:
    """Remove reports from the index."""
    try:
        removed = remove_documents(doc_ids, _index(index))
    except IndexUnavailable as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    for doc_id in doc_ids:
        if doc_id in removed:
            console.print(f"removed {doc_id}")
        else:
            err.print(f"[red]not found[/red] {doc_id}")
    if len(removed) < len(doc_ids):
        raise typer.Exit(1)


if __name__ == "__main__":
    app()
