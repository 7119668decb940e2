"""`ingest`: the staff command line for the report index."""
from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Optional

import typer
from rich import box
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskProgressColumn, TextColumn
from rich.table import Table

from . import settings
from .metadata import Metadata, is_staff_date
from .console import IndexOption, configure, err, exits_on, index_or_default
from .corpus import retire
from .isolation import READ_TIMEOUT_SECONDS
from .jobs import CANCELLED, DONE, IngestJob, JobState
from .progress import EMBEDDING, READING, duration
from .pipeline import FileResult, RebuildRefused, correct_metadata, rebuild_index, remove_documents
from .index import Index, IndexUnavailable, snapshot as snapshot_index, verify as verify_index

app = typer.Typer(
    help="Add, list and remove the reports that Report Q&A answers from.\n\n"
    "The index lives in ./index (set QA_INDEX_DIR to move it), the report files in ./corpus (QA_CORPUS_DIR).\n"
    "Metadata comes from the options, else a sidecar (report.pdf.meta.yaml) or front matter, else the PDF itself.\n"
    "Examples:\n\n"
    "  ingest add corpus/             # every .pdf .txt .md .html file in a folder\n\n"
    "  ingest add report.pdf --title 'Annual Report 2024' --date 2024-05-01\n\n"
    "  ingest add secret.pdf --password 'pw'\n\n"
    "  ingest list                    # or: ingest list --json\n\n"
    "  ingest set 733735fcbbbce323 --title 'Annual Report 2024' --date 2024-05   # correct metadata\n\n"
    "  ingest remove 733735fcbbbce323 # or by file: ingest remove corpus/report.pdf\n\n"
    "  ingest rebuild                 # re-embed everything, e.g. for a new QA_EMBED_MODEL\n\n"
    "  ingest verify                  # check that FAISS and SQLite agree\n\n"
    "  ingest snapshot /srv/qa/index-2026-11-30   # a consistent copy for app replicas (docs/deploy.md)\n\n"
    "add and rebuild exit with status 1 when a file was rejected; every command exits with 2 when the index is unusable.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
CorpusOption = typer.Option(None, "--corpus", help="Folder of report files (default: $QA_CORPUS_DIR, else ./corpus)")
PasswordOption = typer.Option(None, help="Password of encrypted PDFs (those that open without one need none)")
TimeoutOption = typer.Option(READ_TIMEOUT_SECONDS, help="Seconds allowed for reading one file before it is rejected")
JsonOption = typer.Option(False, "--json", help="Print one JSON value instead of text (for scripts)")


def _print_json(value) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=1))


@app.callback()
def main() -> None:
    """Add, list and remove the reports that Report Q&A answers from."""
    configure()


@app.command()
def add(
    paths: list[Path] = typer.Argument(..., help="Report files or folders (.pdf .txt .md .html)", exists=True),
    title: str = typer.Option("", help="Report title (one file only); else front matter, sidecar, PDF info or file name"),
    date: str = typer.Option("", help="Publication date, YYYY-MM-DD"),
    url: str = typer.Option("", help="Where the public can read the original"),
    author: list[str] = typer.Option([], help="Author; repeat for several"),
    publisher: str = typer.Option("", help="Publishing organisation"),
    password: Optional[str] = PasswordOption,
    timeout: float = TimeoutOption,
    as_json: bool = JsonOption,
    index: Optional[Path] = IndexOption,
) -> None:
    """Index report files. Adding the same file again changes nothing; a changed file replaces its old version.

    The files are read and embedded in a background process at a lower priority, so that an app serving the same
    index keeps answering; a bar shows the progress. The index changes only when every file is in: Ctrl-C cancels
    and leaves it as it was.
    """
    if title and (len(paths) > 1 or paths[0].is_dir()):
        raise typer.BadParameter("--title names one report; give one file")
    overrides = Metadata(title=title, date=date, url=url, authors=list(author), publisher=publisher)
    status = _with_progress_bar(IngestJob(paths, index_or_default(index), overrides, password, timeout=timeout))
    if status.state == CANCELLED:
        err.print("cancelled: the index is as it was", highlight=False)
        raise typer.Exit(130)
    if status.state != DONE:
        err.print(f"[red]error:[/red] {escape(status.error)}; the index is as it was", highlight=False)
        raise typer.Exit(2 if status.index_unavailable else 1)
    _print_results(status.results, as_json)


def _with_progress_bar(job: IngestJob) -> JobState:
    """Show the job's progress on stderr until it ends, as a bar on a terminal, else a line per file done (logs);
    Ctrl-C cancels it."""
    columns = (TextColumn("{task.description}"), BarColumn(), TaskProgressColumn(), TextColumn("{task.fields[left]}"))
    done_shown = 0
    with Progress(*columns, console=err, disable=not err.is_terminal) as bar:
        task = bar.add_task("Starting", total=100, left="")
        try:
            while not job.finished.wait(0.2):
                status = job.status()
                if status.progress:
                    bar.update(task, completed=100 * status.progress.fraction(), description=_current_file(status),
                               left=f"time left: {duration(status.progress.seconds_left())}")
                    done = sum(f.finished for f in status.progress.files)
                    if not err.is_terminal and done > done_shown:
                        done_shown = done
                        err.print(f"{done}/{len(status.progress.files)} files done", highlight=False)
        except KeyboardInterrupt:
            err.print("cancelling...", highlight=False)
            job.cancel()
    return job.wait()


def _current_file(status: JobState) -> str:
    """The file being embedded, else the one being read, and how far it is."""
    files = status.progress.files
    if embedding := [f for f in files if f.status == EMBEDDING]:
        f = embedding[0]
        return escape(f"{f.name}: {f.passages_embedded}/{f.passages} passages embedded")
    if reading := [f for f in files if f.status == READING]:
        f = reading[0]
        return escape(f"{f.name}: {f.pages_read}/{f.pages or '?'} pages read")
    return "Committing" if all(f.finished for f in files) else "Checking files"


@app.command()
def rebuild(
    corpus: Optional[Path] = CorpusOption,
    password: Optional[str] = PasswordOption,
    allow_loss: bool = typer.Option(False, "--allow-loss", help="Commit even if some indexed reports cannot be read again"),
    timeout: float = TimeoutOption,
    as_json: bool = JsonOption,
    index: Optional[Path] = IndexOption,
) -> None:
    """Re-read and re-embed every report (the corpus folder, plus indexed reports from elsewhere) as one new generation.

    Use it after changing QA_EMBED_MODEL. The running app keeps answering from the old index until the new one is
    committed, then switches to it. Metadata given when a report was added is kept.
    """
    try:
        with exits_on(IndexUnavailable):
            results = rebuild_index(index_or_default(index), corpus or settings.corpus_dir(), password, allow_loss=allow_loss,
                                    timeout=timeout)
    except RebuildRefused as exc:
        err.print(f"[red]rebuild refused, index unchanged:[/red] {exc}; fix them or pass --allow-loss", highlight=False)
        raise typer.Exit(1)
    _print_results(results, as_json)


def _print_results(results: list[FileResult], as_json: bool = False) -> None:
    """One line per rejected file on stderr, then a summary table (or, with ``as_json``, a JSON array of the
    results); exits 1 when anything was rejected."""
    for r in results:
        if r.rejected:
            err.print(f"[red]rejected[/red] {escape(r.path)}: {escape(r.detail)}", highlight=False, soft_wrap=True)
    counts = {s: sum(r.status == s for r in results) for s in ("added", "replaced", "unchanged", "rejected", "skipped")}
    if as_json:
        _print_json([asdict(r) for r in results])
    else:
        _print_summary(results)
        console.print(", ".join(f"{n} {s}" for s, n in counts.items() if n or s != "skipped"))
    if counts["rejected"]:
        raise typer.Exit(1)


def _print_summary(results: list[FileResult]) -> None:
    """The table fits 80 columns (a pipe's width), ids whole, with fixed-width columns only; the notes, free text of
    any length, follow it one line each, never squeezed into a column one word wide."""
    table = Table(title="Ingest summary", box=box.SIMPLE_HEAD, show_edge=False)
    table.add_column("file", no_wrap=True, overflow="ellipsis", max_width=28)
    for column, width in (("status", 9), ("pages", 5), ("passages", 8), ("id", 16)):
        table.add_column(column, no_wrap=True, min_width=width)
    for r in results:
        colour = {"rejected": "red", "unchanged": "dim", "skipped": "dim"}.get(r.status, "green")
        table.add_row(escape(Path(r.path).name), f"[{colour}]{r.status}[/{colour}]", str(r.pages or ""),
                      str(r.passages or ""), r.doc_id)
    console.print(table)
    for r in results:
        if r.detail and not r.rejected:  # a rejection's reason is on stderr already
            console.print(f"note: {escape(Path(r.path).name)}: {escape(r.detail)}", highlight=False, soft_wrap=True)


@app.command("list")
def list_(
    as_json: bool = JsonOption,
    index: Optional[Path] = IndexOption,
) -> None:
    """List the indexed reports."""
    with exits_on(IndexUnavailable):
        docs = Index(index_or_default(index)).documents()
    if as_json:
        _print_json([asdict(d) for d in docs])
        return
    # A report a line, then its title on a line of its own: a title squeezed into a column of a table is a word a line
    # in 80 columns or a pipe. Ids are what `ingest set` and `remove` take: whole. The file's name stands for its path
    # (--json has it).
    console.print(f"{_count(len(docs), 'report')}; (from ...) says where a title or date came from", highlight=False)
    for d in docs:
        console.print(f"\n[bold]{d.id}[/bold]  {_sourced(escape(d.date or 'undated'), d.date_source)}"
                      f"  {_count(d.pages, 'page')}  {_count(d.passages, 'passage')}  {escape(Path(d.source).name)}",
                      highlight=False, soft_wrap=True)
        console.print(f"  {_sourced(escape(d.title), d.title_source)}", highlight=False, soft_wrap=True)


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


def _sourced(value: str, source: str) -> str:
    return f"{value} [dim](from {source})[/dim]" if value and source else value


@app.command("set")
def set_(
    doc_id: str = typer.Argument(..., help="Document id, as `ingest list` shows it"),
    title: Optional[str] = typer.Option(None, help="Report title"),
    date: Optional[str] = typer.Option(None, help="Publication date: YYYY-MM-DD, YYYY-MM or YYYY; '' clears it"),
    url: Optional[str] = typer.Option(None, help="Where the public can read the original"),
    author: list[str] = typer.Option([], help="Author; repeat for several (replaces the authors)"),
    publisher: Optional[str] = typer.Option(None, help="Publishing organisation"),
    index: Optional[Path] = IndexOption,
) -> None:
    """Correct an indexed report's title, date, authors, url or publisher without reading it again.

    The values become staff values: `ingest rebuild` keeps them. The running app sees them at its next question.
    """
    if title is not None and not title.strip():
        raise typer.BadParameter("a title cannot be empty", param_hint="--title")
    if date and not is_staff_date(date):
        raise typer.BadParameter(f"{date!r} is not YYYY-MM-DD, YYYY-MM or YYYY", param_hint="--date")
    clean = lambda v: v.strip() if v is not None else None  # noqa: E731
    with exits_on(IndexUnavailable):
        record = correct_metadata(index_or_default(index), doc_id, clean(title), clean(date),
                                  [a.strip() for a in author if a.strip()] or None, clean(url), clean(publisher))
    if record is None:
        err.print(f"[red]not found[/red] {escape(doc_id)}: no indexed report has this id", highlight=False)
        raise typer.Exit(1)
    console.print(f"set {record.id}: {escape(record.title)} ({escape(record.date) or 'undated'})", highlight=False)


@app.command()
def remove(
    targets: list[str] = typer.Argument(..., help="Document ids, as `ingest list` shows them, or the reports' files"),
    corpus: Optional[Path] = CorpusOption,
    as_json: bool = JsonOption,
    index: Optional[Path] = IndexOption,
) -> None:
    """Remove reports from the index.

    A removed report's file in the corpus folder moves to its .removed/ subfolder, so that `ingest rebuild`
    does not bring it back; files elsewhere are left alone.
    """
    with exits_on(IndexUnavailable):
        removed = remove_documents(targets, index_or_default(index))
    listing = []
    for target, records in removed.items():
        if not records:
            err.print(f"[red]not found[/red] {escape(target)}: no indexed report has this id or file", highlight=False)
        for record in records:
            moved = retire(Path(record.source), corpus or settings.corpus_dir())
            listing.append({"target": target, "id": record.id, "title": record.title, "moved_to": str(moved or "")})
            if not as_json:
                note = f"; its file moved to {moved}" if moved else ""
                console.print(f"removed {record.id} {escape(record.title)}{escape(note)}", highlight=False, soft_wrap=True)
    if as_json:
        _print_json(listing)
    if not all(removed.values()):
        raise typer.Exit(1)


@app.command()
def verify(as_json: bool = JsonOption, index: Optional[Path] = IndexOption) -> None:
    """Check that the vector index (FAISS) and the database (SQLite) agree, row for row; exit 1 if they do not."""
    with exits_on(IndexUnavailable):
        result = verify_index(index_or_default(index))
    if as_json:
        _print_json({**asdict(result), "ok": result.ok})
        raise typer.Exit(0 if result.ok else 1)
    for note in result.notes:
        console.print(f"note: {note}", highlight=False)
    for problem in result.problems:
        err.print(f"[red]problem:[/red] {escape(problem)}", highlight=False)
    if not result.ok:
        err.print("The index is inconsistent; run `ingest rebuild` to rebuild it from the report files.")
        raise typer.Exit(1)
    console.print(f"index OK: generation {result.generation}, {result.documents} reports, {result.passages} passages,"
                  " FAISS and SQLite agree", highlight=False)


@app.command()
def snapshot(
    dest: Path = typer.Argument(..., help="A new folder for the copy (it must not exist)"),
    index: Optional[Path] = IndexOption,
) -> None:
    """Copy the index's current generation to DEST, consistent while ingests go on, for app replicas to serve
    read-only (docs/deploy.md)."""
    with exits_on(IndexUnavailable):
        generation = snapshot_index(index_or_default(index), dest)
    console.print(f"snapshot of generation {generation} in {escape(str(dest))}", highlight=False, soft_wrap=True)


if __name__ == "__main__":
    app()
