"""The staff page's Questions and Feedback tabs: what readers asked and did not get, and the thumbs-down to act on.

Everything here reads the app's database (qa/appdb.py); the only change it makes is marking a thumbs-down handled.
Readers wrote the questions and comments shown, so they reach the page as text only (escaped HTML, plain table
cells) and leave it as CSV a spreadsheet will not run (qa/spreadsheet.py).
"""
from __future__ import annotations

import html
import io
import json
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

import gradio as gr
import numpy as np
import pandas as pd

from ingest.errors import first_line
from qa.appdb import AppDatabase, DatabaseError
from qa.feedback import FeedbackEntry, FeedbackStore
from qa.question_stats import by_day, cited_reports, failed, gold_rows, group_questions
from qa.questions_log import QuestionsLog
from qa.spreadsheet import write_csv

PERIODS = {"Last 7 days": 7, "Last 30 days": 30, "Last 90 days": 90}
FAILED_COLUMNS = ["times asked", "refused", "rated down", "question", "also asked as", "last asked"]
TOP_COLUMNS = ["times asked", "answered", "question"]
REPORT_COLUMNS = ["report", "id", "answers quoting it", "share of answers"]
DAY_COLUMNS = ["day", "questions", "answer rate", "thumbs-up share"]
TOP_QUESTIONS = 20
MAX_WORDINGS_SHOWN = 3
MAX_SOURCES_SHOWN = 3
MAX_VECTORS_KEPT = 50_000  # 384 floats each: about 77 MB at most


class _Console:
    """The app's database, opened on first use; a private folder for the files staff download; and the vectors of
    questions already grouped, so that each refresh embeds only the questions new since the last."""

    def __init__(self):
        self._db: AppDatabase | None = None
        self.exports = Path(tempfile.mkdtemp(prefix="qa-staff-exports-"))
        self._vectors: dict[str, np.ndarray] = {}

    def embed(self, texts: list[str]) -> np.ndarray:
        from ingest.embedder import get_embedder  # the model the app answers with: loaded once per process

        new = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if len(self._vectors) + len(new) > MAX_VECTORS_KEPT:
            self._vectors.clear()
        self._vectors.update(zip(new, get_embedder().embed(new)))
        return np.stack([self._vectors[t] for t in texts])

    def db(self) -> AppDatabase:
        if self._db is None:
            try:
                self._db = AppDatabase()
            except (OSError, DatabaseError) as exc:
                raise gr.Error(f"Cannot open the app's database: {first_line(exc)}") from exc
        return self._db

    def export(self, name: str, header: list[str], rows: list[list]) -> str:
        out = io.StringIO()
        write_csv(out, header, rows)
        path = self.exports / name
        path.write_text(out.getvalue(), encoding="utf-8")
        return str(path)


def add_dashboard_tabs() -> None:
    """Add the Questions and Feedback tabs to the staff page being built (call inside its ``gr.Blocks``)."""
    console = _Console()

    def questions_view(period: str):
        days = PERIODS.get(period, 30)
        since = datetime.now(timezone.utc) - timedelta(days=days)
        try:
            rows = QuestionsLog(console.db()).questions(since)
            feedback = FeedbackStore(console.db())
            out = io.StringIO()
            feedback.write_csv(out)
        except DatabaseError as exc:
            raise gr.Error(f"Cannot read the questions log: {first_line(exc)}") from exc
        failed_groups = group_questions(failed(rows), console)
        top = group_questions(rows, console)[:TOP_QUESTIONS]
        days_seen = by_day(rows)
        reports = cited_reports(rows)

        failed_table = [[g.count, g.refused, g.rated_down, g.example,
                         "; ".join([w for w in g.wordings if w != g.example][:MAX_WORDINGS_SHOWN]), _shown_time(g.last_asked)]
                        for g in failed_groups]
        top_table = [[g.count, f"{g.answered_share:.0%}", g.example] for g in top]
        report_table = [[r.title, r.doc_id, r.times_cited, f"{r.share_of_answers:.0%}"] for r in reports]
        day_table = [[d.day, d.questions, round(d.answer_rate, 3),
                      "" if d.thumbs_up_share is None else round(d.thumbs_up_share, 3)] for d in days_seen]
        plot = pd.DataFrame(
            [{"day": pd.Timestamp(d.day), "share": d.answer_rate, "measure": "answer rate"} for d in days_seen]
            + [{"day": pd.Timestamp(d.day), "share": d.thumbs_up_share, "measure": "thumbs-up share"}
               for d in days_seen if d.thumbs_up_share is not None],
            columns=["day", "share", "measure"])
        refused = [(n, g) for n, g in enumerate(failed_groups) if g.refused]
        gold = {str(n): gold_rows(g, f"refused-{days}d") for n, g in refused}
        choices = [(f"{g.count}× {g.example[:100]}", str(n)) for n, g in refused]
        answered = sum(r.answered for r in rows)
        rated = [r.rating for r in rows if r.rating]
        summary = (f"**{len(rows)}** questions in the {period.lower()}: **{answered}** answered"
                   f" ({answered / len(rows):.0%}), **{len(rows) - answered}** refused; **{rated.count('up')}** thumbs up,"
                   f" **{rated.count('down')}** down." if rows else f"No questions logged in the {period.lower()}.")
        files = [
            console.export(f"refused-or-rated-down-{days}d.csv", FAILED_COLUMNS[:-2] + ["all wordings", "last asked"],
                           [[g.count, g.refused, g.rated_down, g.example, " | ".join(g.wordings), g.last_asked]
                            for g in failed_groups]),
            console.export(f"top-questions-{days}d.csv", TOP_COLUMNS, top_table),
            console.export(f"by-day-{days}d.csv", DAY_COLUMNS, day_table),
            console.export(f"reports-quoted-{days}d.csv", REPORT_COLUMNS, report_table),
        ]
        feedback_csv = console.exports / "feedback.csv"
        feedback_csv.write_text(out.getvalue(), encoding="utf-8")
        files.append(str(feedback_csv))
        return (summary, _table_html(FAILED_COLUMNS, failed_table), gr.Dropdown(choices=choices, value=None), gold,
                _table_html(TOP_COLUMNS, top_table), plot, _table_html(REPORT_COLUMNS, report_table), files)

    def export_gold(choice: str | None, gold: dict[str, list[dict]]):
        rows = gold.get(choice or "")
        if not rows:
            raise gr.Error("Choose a refused question first (the list follows the period shown).")
        path = console.exports / f"{rows[0]['id'].rsplit('-', 1)[0]}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
        return str(path)

    def feedback_view():
        try:
            store = FeedbackStore(console.db())
            down = store.entries(rating="down", handled=False)
            handled = len(store.entries(rating="down", handled=True))
        except DatabaseError as exc:
            raise gr.Error(f"Cannot read the feedback: {first_line(exc)}") from exc
        note = f"{len(down)} thumbs-down to look at; {handled} handled."
        choices = [(f"#{e.id}: {e.question[:100]}", e.id) for e in reversed(down)]
        return note, _feedback_html(list(reversed(down))), gr.Dropdown(choices=choices, value=None)

    def mark_handled(entry_id):
        try:
            entry_id = int(entry_id)
        except (TypeError, ValueError):
            raise gr.Error("Choose a thumbs-down to mark handled.") from None
        try:
            done = FeedbackStore(console.db()).mark_handled(entry_id)
        except DatabaseError as exc:
            raise gr.Error(f"Not saved: {first_line(exc)}") from exc
        note, listing, choices = feedback_view()
        said = f"Marked #{entry_id} handled." if done else f"#{entry_id} was handled already, or is gone."
        return f"{said} {note}", listing, choices

    with gr.Tab("Questions", elem_id="qa-questions-tab") as questions_tab:
        gr.Markdown("What readers asked. Questions asked in other words count once; nothing here identifies a reader.")
        with gr.Row():
            period = gr.Radio(list(PERIODS), value="Last 30 days", label="Period", elem_id="qa-period")
            refresh = gr.Button("Refresh", scale=0)
        summary = gr.Markdown(elem_id="qa-questions-summary")
        gr.Markdown("### Refused or rated down")
        failed_table = gr.HTML(elem_id="qa-failed-groups")
        with gr.Row():
            refused_choice = gr.Dropdown(label="A refused question, to export as gold questions for `qa eval`",
                                         choices=[], elem_id="qa-gold-choice")
            gold_button = gr.Button("Export as gold questions", scale=0)
        gold_file = gr.File(label="Gold questions (JSONL: id, question, answerable)", interactive=False, height=90)
        gr.Markdown("### Most asked")
        top_table = gr.HTML(elem_id="qa-top-questions")
        trend = gr.LinePlot(x="day", y="share", color="measure", label="Answer rate and thumbs-up share by day",
                            y_lim=[0, 1], height=260, elem_id="qa-trend")
        gr.Markdown("### Reports quoted")
        report_table = gr.HTML(elem_id="qa-reports-quoted")
        exports = gr.File(label="Download as CSV (safe to open in a spreadsheet)", file_count="multiple",
                          interactive=False, elem_id="qa-exports")
        gold = gr.State({})
    with gr.Tab("Feedback", elem_id="qa-feedback-tab") as feedback_tab:
        feedback_note = gr.Markdown(elem_id="qa-feedback-summary")
        with gr.Row():
            to_handle = gr.Dropdown(label="Thumbs-down to mark handled", choices=[], elem_id="qa-handle-choice")
            handle_button = gr.Button("Mark handled", scale=0, elem_id="qa-mark-handled")
        feedback_list = gr.HTML(elem_id="qa-feedback-list")

    shown = [summary, failed_table, refused_choice, gold, top_table, trend, report_table, exports]
    for event in (questions_tab.select, refresh.click, period.change):
        event(questions_view, period, shown, api_name=False)
    gold_button.click(export_gold, [refused_choice, gold], gold_file, api_name=False)
    feedback_tab.select(feedback_view, None, [feedback_note, feedback_list, to_handle], api_name=False)
    handle_button.click(mark_handled, to_handle, [feedback_note, feedback_list, to_handle], api_name=False)


def _shown_time(stamp: str) -> str:
    return stamp[:16].replace("T", " ") + " UTC"  # "2026-11-30 14:00 UTC", as the database keeps it


def _table_html(columns: list[str], rows: list[list]) -> str:
    if not rows:
        return "<p>None in this period.</p>"
    head = "".join(f'<th scope="col">{html.escape(c)}</th>' for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(cell))}</td>" for cell in row) + "</tr>" for row in rows)
    return f'<table class="qa-staff-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _feedback_html(entries: list[FeedbackEntry]) -> str:
    return "".join(_entry_html(e) for e in entries) or "<p>No thumbs-down to look at.</p>"


def _entry_html(e: FeedbackEntry) -> str:
    try:
        sources = json.loads(e.citations)
    except json.JSONDecodeError:
        sources = []
    items = "".join(
        f"<li>{html.escape(str(s.get('title', '')))}, page {html.escape(str(s.get('page', '')))}:"
        f" “{html.escape(str(s.get('passage', ''))[:300])}”</li>" for s in sources[:MAX_SOURCES_SHOWN])
    label = "Possibly related (not found in the reports)" if e.abstained else "Sources"
    comment = f"<p><b>Comment:</b> {html.escape(e.comment)}</p>" if e.comment else "<p><i>No comment.</i></p>"
    return (f'<article class="qa-thumbs-down" data-entry="{e.id}"><h4>#{e.id} · {html.escape(_shown_time(e.created_at))}'
            f" · confidence {e.confidence:.2f}</h4><p><b>Question:</b> {html.escape(e.question)}</p>"
            f"<p><b>Answer:</b> {html.escape(e.answer)}</p><p><b>{label}:</b></p><ul>{items}</ul>{comment}</article>")
