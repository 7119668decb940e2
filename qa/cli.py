"""`qa`: ask the reports a question from the command line."""
from __future__ import annotations

import json
import sqlite3
import sys
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ingest.console import IndexOption, configure, err, exits_on
from ingest.errors import first_line
from ingest.index import IndexUnavailable

from .models import Answer

app = typer.Typer(
    help="Ask the indexed reports a question; the answer is quoted from them, with citations.\n\n"
    "Examples:\n\n"
    "  qa ask \"What obstacles hinder cooperation in space?\"\n\n"
    "  qa ask --json \"Who prepared the report?\"\n\n"
    "  qa ask --history \"What obstacles hinder cooperation?\" \"What about the second one?\"\n\n"
    "  qa ask --report \"annual report 2020\" --since 2020 \"How many claims were processed?\"\n\n"
    "  qa eval eval/seed-gold.jsonl --min answer_hit_at_1=0.9\n\n"
    "  qa feedback --csv > feedback.csv\n\n"
    "  qa questions --days 30 --refused     # what readers asked and the reports did not answer",
    no_args_is_help=True,
    add_completion=False,
)
console = Console()


@app.callback()
def main() -> None:
    """Report Q&A: extractive answers from the indexed reports."""
    configure()


@app.command()
def ask(
    question: str = typer.Argument(..., help="The question"),
    history: list[str] = typer.Option([], "--history", help="An earlier question of the conversation, oldest first; repeatable"),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object (the stable API format)"),
    report: list[str] = typer.Option([], "--report", help="Search only this report: its id or words of its title; repeatable"),
    since: str = typer.Option("", "--since", help="Search only reports dated on or after DATE (YYYY, YYYY-MM or YYYY-MM-DD)"),
    until: str = typer.Option("", "--until", help="Search only reports dated on or before DATE"),
    index: Optional[Path] = IndexOption,
) -> None:
    """Answer QUESTION from the reports, quoting them verbatim."""
    from .pipeline import QAPipeline
    from .scope import ScopeError, given_scope

    with exits_on(IndexUnavailable, ScopeError):
        pipeline = QAPipeline(index)
        given_scope(pipeline.catalog(), report, since, until)  # a filter that names no report is an error here
        answer = pipeline.ask(question, history, report or None, since, until)
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
    json_out: Optional[Path] = typer.Option(None, "--json", help="Write {metrics, by_kind, reliability, questions} to this file"),
    minimum: list[str] = typer.Option([], "--min", help="METRIC=VALUE or KIND:METRIC=VALUE: exit 1 when METRIC (over the rows of KIND) falls below VALUE; repeatable"),
    cache: Path = typer.Option(Path(".cache/eval"), "--cache", help="Where SQuAD indexes are cached"),
    index: Optional[Path] = IndexOption,
) -> None:
    """Score answers and retrieval on gold questions; print a table, optionally gate on thresholds.

    \b
    qa eval eval/seed-gold.jsonl --min answer_hit_at_1=0.9
    qa eval eval/library-gold.jsonl --index federal --min doc_hit_at_1=0.92 --min table:answer_hit_at_1=0.6
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
    with exits_on(IndexUnavailable):
        metrics, rows = evaluation.evaluate(QAPipeline(index), questions, progress=len(questions) > 100,
                                            score_keys=bool(squad) and not offtopic)
    table = Table(title=f"{squad or gold}: {metrics['n']} questions")
    table.add_column("metric")
    table.add_column("value", justify="right")
    for name, value in metrics.items():
        table.add_row(name, _figure(value))
    console.print(table)
    kinds = evaluation.by_kind(rows)
    if kinds:
        console.print(_kinds_table(kinds))
    curve = evaluation.reliability(rows)
    console.print(_reliability_table(curve))
    if json_out:
        json_out.write_text(json.dumps(evaluation.report(metrics, rows), indent=1, ensure_ascii=False))
    failed = []
    for (kind, name), least in thresholds.items():
        value = (kinds.get(kind) or {}).get(name) if kind else metrics.get(name)
        if value is None or value < least:
            failed.append(f"{kind + ':' if kind else ''}{name} = {value} < {least}")
    for line in failed:
        err.print(f"[red]below threshold:[/red] {line}")
    if failed:
        raise typer.Exit(1)


def _figure(value) -> str:
    return "n/a" if value is None else f"{value:g}"


# Per kind, the share refused says both how often an answerable kind is wrongly refused and the abstain recall of
# unanswerable rows; the full metrics of each kind are in the JSON report.
KIND_COLUMNS = {"n": "n", "answer_hit_at_1": "answer hit@1", "answer_sentences": "sentences", "doc_hit_at_1": "doc hit@1", "docs_recall": "docs recall",
                "abstained": "refused"}


def _kinds_table(kinds: dict[str, dict]) -> Table:
    table = Table(title="by kind")
    table.add_column("kind", no_wrap=True)
    for header in KIND_COLUMNS.values():
        table.add_column(header, justify="right", no_wrap=True)
    for kind, metrics in kinds.items():
        table.add_row(kind, *(_figure(metrics[c]) for c in KIND_COLUMNS))
    return table


def _reliability_table(curve: list[dict]) -> Table:
    table = Table(title="reliability: answers given, by confidence")
    for column in ("confidence", "n", "right", "share_right", "mean_confidence"):
        table.add_column(column, justify="right")
    for bucket in curve:
        table.add_row(bucket["confidence"], *(_figure(bucket[c]) for c in ("n", "right", "share_right", "mean_confidence")))
    return table


def _parse_thresholds(items: list[str]) -> dict[tuple[str, str], float]:
    """``METRIC=VALUE`` gates a metric over all questions, ``KIND:METRIC=VALUE`` over one kind of them."""
    from .evaluation import METRICS

    thresholds = {}
    for item in items:
        name, _, value = item.partition("=")
        kind, _, metric = name.rpartition(":")
        if metric not in METRICS:
            raise typer.BadParameter(f"unknown metric {metric!r}; one of {', '.join(METRICS)}")
        try:
            thresholds[kind, metric] = float(value)
        except ValueError:
            raise typer.BadParameter(f"--min {item}: VALUE must be a number") from None
    return thresholds


DbOption = typer.Option(None, "--db", help="The web app's database: a SQLite file or a URL"
                        " (default: $QA_DATABASE_URL, else $QA_APP_DB or ./app-data/app.sqlite)")
CsvOption = typer.Option(False, "--csv", help="Print CSV (for a spreadsheet; formulas made inert)")
JsonOption = typer.Option(False, "--json", help="Print one JSON array instead of text (for scripts)")


@app.command()
def feedback(
    as_csv: bool = CsvOption,
    as_json: bool = JsonOption,
    db: Optional[str] = DbOption,
    index: Optional[Path] = typer.Option(None, "--index", help="Index whose ratings an earlier version kept there, carried"
                                         " over once [default: $QA_INDEX_DIR or ./index]"),
) -> None:
    """Show the readers' thumbs up/down on answers, with their comments."""
    from ingest import settings

    from .feedback import FeedbackStore

    with _app_database_errors_exit():
        store = FeedbackStore(db)
        try:
            store.import_from_index(index or settings.index_dir())
            if as_csv:
                store.write_csv(sys.stdout)
                return
            entries = store.entries()
        finally:
            store.close()
    if as_json:
        print(json.dumps([asdict(e) for e in entries], ensure_ascii=False, indent=1))
        return
    for e in entries:
        comment = f" — {e.comment}" if e.comment else ""
        handled = " (handled)" if e.handled_at else ""
        console.print(f"{e.created_at}  {e.rating:>4}{handled}  {e.question}{comment}", highlight=False, markup=False,
                      soft_wrap=True)
    ups = sum(e.rating == "up" for e in entries)
    console.print(f"\n{len(entries)} ratings: {ups} up, {len(entries) - ups} down", style="dim")


@app.command()
def questions(
    days: int = typer.Option(30, "--days", min=1, help="Questions asked in the last DAYS days"),
    refused: bool = typer.Option(False, "--refused", help="Only those the reports did not answer, or rated down"),
    as_csv: bool = CsvOption,
    as_json: bool = JsonOption,
    db: Optional[str] = DbOption,
) -> None:
    """List the questions readers asked (the questions log: nothing in it identifies a reader)."""
    from datetime import datetime, timedelta, timezone

    from .appdb import AppDatabase
    from .question_stats import failed
    from .questions_log import QuestionsLog
    from .spreadsheet import write_csv

    with _app_database_errors_exit():
        database = AppDatabase(db)
        try:
            rows = QuestionsLog(database).questions(datetime.now(timezone.utc) - timedelta(days=days))
        finally:
            database.close()
    rows = failed(rows) if refused else rows
    if as_json:
        print(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1))
    elif as_csv:
        write_csv(sys.stdout, ["asked_at", "question", "answered", "confidence", "rating", "cited", "scope"],
                  ([r.asked_at, r.question, r.answered, r.confidence, r.rating or "",
                    "; ".join(c["title"] for c in r.cited), r.scope] for r in rows))
    else:
        for r in rows:
            outcome = "answered" if r.answered else "refused "
            rating = f" {r.rating}" if r.rating else ""
            console.print(f"{r.asked_at[:16].replace('T', ' ')}  {outcome} {r.confidence:.2f}{rating:5}  {r.question}",
                          highlight=False, markup=False, soft_wrap=True)
        console.print(f"\n{len(rows)} questions in the last {days} days", style="dim")


@contextmanager
def _app_database_errors_exit():
    """The app's database cannot be opened or read: one line, exit 2."""
    from .appdb import DatabaseError

    try:
        yield
    except (OSError, sqlite3.Error, DatabaseError, IndexUnavailable) as exc:
        err.print(f"[red]error:[/red] {escape(first_line(exc))}", highlight=False)
        raise typer.Exit(2)


def _print_answer(answer: Answer) -> None:
    console.print(answer.answer, highlight=False, markup=False)
    if answer.scope:
        how = "searched only" if answer.scope.searched == "only" else "preferred"
        reports = "; ".join(f"{r.title}{f' ({r.date})' if r.date else ''}" for r in answer.scope.reports[:8])
        more = f" and {len(answer.scope.reports) - 8} more" if len(answer.scope.reports) > 8 else ""
        console.print(f"\n[bold]Reports {how}:[/bold] {escape(reports)}{more}", highlight=False)
    elif answer.abstained and answer.reports_searched:
        console.print(f"\nSearched {answer.reports_searched} report(s).", style="dim")
    if answer.suggestion:
        where = "; ".join(r.title for r in answer.suggestion.reports)
        hint = "may answer it: ask all reports" if answer.suggestion.searched == "all" else "holds the related passages: ask within it"
        console.print(f"{where} {hint}.", style="dim", highlight=False, markup=False)
    # A list answer cites one passage once per item quoted from it: each passage is listed once.
    sources = list({(c.doc_id, c.passage_id): c for c in answer.citations or answer.related}.values())
    if sources:
        console.print("\n[bold]Possibly related:[/bold]" if answer.abstained else "\n[bold]Sources:[/bold]")
    for n, c in enumerate(sources, start=1):
        console.print(f"  [{n}] {c.title}, page {c.page} (passage {c.passage_id})", highlight=False, markup=False)
    console.print(f"\nconfidence {answer.confidence:.2f}", style="dim")


if __name__ == "__main__":
    app()
