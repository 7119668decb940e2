"""`qa`: ask the reports a question from the command line."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from ingest.store import IndexUnavailable

from .models import Answer

app = typer.Typer(
    help="Ask the indexed reports a question; the answer is quoted from them, with citations.\n\n"
    "Examples:\n\n"
    "  qa ask \"What obstacles hinder cooperation in space?\"\n\n"
    "  qa ask --json \"Who prepared the report?\"\n\n"
    "  qa ask --history \"What obstacles hinder cooperation?\" \"What about the second one?\"\n\n"
    "  qa eval eval/seed-gold.jsonl --min answer_hit_at_1=0.9\n\n"
    "  qa feedback --csv > feedback.csv",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()
err = Console(stderr=True, soft_wrap=True)  # an error stays one line, however long


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


@app.command("eval")
def eval_(
    gold: Optional[Path] = typer.Argument(None, help="Gold questions, JSONL (see qa/evaluation.py); asked against --index", exists=True),
    squad: Optional[Path] = typer.Option(None, "--squad", help="A SQuAD v1.1/v2.0 JSON file: its own index is built (and cached), then its questions asked", exists=True),
    offtopic: bool = typer.Option(False, "--offtopic", help="With --squad: ask its questions against --index instead, all counted as unanswerable"),
    limit: Optional[int] = typer.Option(None, "--limit", help="Ask a random sample of N questions"),
    seed: int = typer.Option(0, "--seed", help="Seed of the --limit sample"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write {metrics, questions} to this file"),
    minimum: list[str] = typer.Option([], "--min", help="METRIC=VALUE: exit 1 when METRIC falls below VALUE; repeatable"),
    cache: Path = typer.Option(Path(".cache/eval"), "--cache", help="Where SQuAD indexes are cached"),
    index: Optional[Path] = typer.Option(None, "--index", help="Index directory [default: $QA_INDEX_DIR or ./index]"),
) -> None:
    """Score answers and retrieval on gold questions; print a table, optionally gate on thresholds.

    \b
    qa eval eval/seed-gold.jsonl --min answer_hit_at_1=0.9
    qa eval --squad ../shared/data/squad/dev-v1.1.json --limit 500 --json squad.json
    qa eval --squad ../shared/data/squad/dev-v1.1.json --offtopic --limit 500 --min abstain_recall=0.95
    """
    from ingest.embedder import get_embedder

    from . import evaluation
    from .pipeline import QAPipeline

    thresholds = _parse_thresholds(minimum)
    if (gold is None) == (squad is None):
        raise typer.BadParameter("give a gold JSONL file or --squad FILE (one of them)")
    if squad:
        _, questions = evaluation.load_squad(squad)
        if offtopic:
            questions = [evaluation.GoldQuestion(q.id, q.question, [], answerable=False) for q in questions]
        else:
            index = evaluation.squad_index(squad, cache, get_embedder())
    else:
        questions = evaluation.load_gold(gold)
    questions = evaluation.sample(questions, limit, seed)
    try:
        metrics, rows = evaluation.evaluate(QAPipeline(index), questions, progress=len(questions) > 100,
                                            score_keys=bool(squad) and not offtopic)
    except IndexUnavailable as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2)
    table = Table(title=f"{squad or gold}: {metrics['n']} questions")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, value in metrics.items():
        table.add_row(name, "n/a" if value is None else f"{value:g}")
    console.print(table)
    if json_out:
        json_out.write_text(json.dumps(evaluation.report(metrics, rows), indent=1, ensure_ascii=False))
    failed = [f"{m} = {metrics.get(m)} < {v}" for m, v in thresholds.items() if metrics.get(m) is None or metrics[m] < v]
    for line in failed:
        err.print(f"[red]below threshold:[/red] {line}")
    if failed:
        raise typer.Exit(1)


def _parse_thresholds(items: list[str]) -> dict[str, float]:
    from .evaluation import METRICS

    thresholds = {}
    for item in items:
        name, _, value = item.partition("=")
        if name not in METRICS:
            raise typer.BadParameter(f"unknown metric {name!r}; one of {', '.join(METRICS)}")
        try:
            thresholds[name] = float(value)
        except ValueError:
            raise typer.BadParameter(f"--min {item}: VALUE must be a number") from None
    return thresholds


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
