"""`qa`: ask the reports a question from the command line."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console

from ingest.store import IndexUnavailable

from .models import Answer

app = typer.Typer(
    help="Ask the indexed reports a question; the answer is quoted from them, with citations.\n\n"
    "Examples:\n\n"
    "  qa ask \"What obstacles hinder cooperation in space?\"\n\n"
    "  qa ask --json \"Who prepared the report?\"\n\n"
    "  qa ask --history \"What obstacles hinder cooperation?\" \"What about the second one?\"\n\n"
    "  qa feedback --csv > feedback.csv",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err = Console(stderr=True)


@app.callback()
def main() -> None:
    """Report Q&A: extractive answers from the indexed reports."""


@app.command()
def ask(
    question: str = typer.Argument(..., help="The question"),
    history: list[str] = typer.Option([], "--history", help="An earlier question of the conversation, oldest first; repeatable"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object (the stable API format)"),
    index: Optional[Path] = typer.Option(None, "--index", help="Index directory [default: $QA_INDEX_DIR or ./index]"),
) -> None:
    """Answer QUESTION from the reports, quoting them verbatim."""
    from .pipeline import QAPipeline

    try:
        answer = QAPipeline(index).ask(question, history)
    except IndexUnavailable as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    if as_json:
        print(json.dumps(answer.to_dict(), ensure_ascii=False))
    else:
        _print_answer(answer)


@app.command()
def feedback(
    as_csv: bool = typer.Option(False, "--csv", help="Print every entry as CSV (for a spreadsheet)"),
    index: Optional[Path] = typer.Option(None, "--index", help="Index directory [default: $QA_INDEX_DIR or ./index]"),
) -> None:
    """Show the readers' thumbs up/down on answers, with their comments."""
    from ingest import settings

    from .feedback import FeedbackStore

    try:
        store = FeedbackStore(index or settings.index_dir())
    except FileNotFoundError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    if as_csv:
        store.write_csv(sys.stdout)
        return
    entries = store.entries()
    for e in entries:
        comment = f" — {e.comment}" if e.comment else ""
        console.print(f"{e.created_at}  {e.rating:>4}  {e.question}{comment}", highlight=False, markup=False)
    ups = sum(e.rating == "up" for e in entries)
    console.print(f"\n{len(entries)} ratings: {ups} up, {len(entries) - ups} down", style="dim")


def _print_answer(answer: Answer) -> None:
    console.print(answer.answer, highlight=False, markup=False)
    sources = answer.citations or answer.related
    if sources:
        console.print("\n[bold]Possibly related:[/bold]" if answer.abstained else "\n[bold]Sources:[/bold]")
    for n, c in enumerate(sources, start=1):
        console.print(f"  [{n}] {c.title}, page {c.page} (passage {c.passage_id})", highlight=False, markup=False)
    console.print(f"\nconfidence {answer.confidence:.2f}", style="dim")


if __name__ == "__main__":
    app()
