"""The staff page at /staff: upload reports with their metadata, list them, correct one's details, remove one; what
readers asked and the feedback to act on (web/staff_dashboard.py).

It exists only when QA_STAFF_PASSWORD is set (there is no default password): without it /staff
is a 404. A staff session (web/staff_session.py) guards the page and every one of its API routes. The public chat
is a separate Gradio app with no route into this one. An upload is taken only as a file Gradio received from this
session, never as a path a client names; it is capped at QA_MAX_UPLOAD_MB and deleted once stored or rejected.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import gradio as gr
from fastapi import FastAPI

from ingest import settings
from ingest.corpus import UploadError, retire, store_upload
from ingest.errors import first_line
from ingest.metadata import Metadata, is_staff_date
from ingest.jobs import CANCELLED, DONE
from ingest.pipeline import FileResult, correct_metadata, remove_documents
from ingest.index import DocumentRecord, Index, IndexUnavailable
from qa.appdb import AppDatabase, DatabaseError

from .gradio_guard import mark_launched
from .staff_dashboard import add_dashboard_tabs
from .staff_jobs import StaffJobs, job_panel, progress_rows
from .staff_session import StaffSessions, install_staff_sessions

PATH = "/staff"
NOT_UPLOADED = "not a file uploaded in this session: upload it again"
# Logging out changes state, so it is a POST from this page (web/staff_session.py refuses a GET).
LOGOUT_FORM = '<form method="post" action="logout" class="qa-logout"><button type="submit">Log out</button></form>'
# One upload is one background job: a bigger batch goes through `ingest add`.
MAX_FILES_PER_UPLOAD = 100
REPORT_COLUMNS = ["id", "title", "date", "pages", "passages", "file"]
RESULT_COLUMNS = ["file", "status", "pages", "passages", "id", "note"]
MAX_DETAIL_CHARS = 1000  # a title, a URL or a list of authors


def mount_staff_page(app: FastAPI, index_dir: Path, corpus_dir: Path) -> gr.Blocks | None:
    """Serve the staff page at /staff when QA_STAFF_PASSWORD is set, and return it; otherwise do nothing."""
    password = settings.staff_password()
    if not password:
        return None
    try:
        db = AppDatabase()  # where sessions and login failures are kept: shared by every replica
    except (OSError, DatabaseError) as exc:
        print(f"The staff page is off: cannot open the app's database: {first_line(exc)}", file=sys.stderr, flush=True)
        return None
    sessions = install_staff_sessions(app, PATH, password, db)  # any user name: staff share the one password
    page = create_staff_app(index_dir, corpus_dir, sessions).queue(default_concurrency_limit=1)
    # Nothing the page serves or takes may come from the index, the app's database or the corpus folder.
    db_file = settings.app_db()
    private = [str(p.resolve()) for p in (index_dir, corpus_dir, db_file, Path(f"{db_file}-wal"), Path(f"{db_file}-shm"))]
    gr.mount_gradio_app(app, page, path=PATH, auth_dependency=sessions.user, max_file_size=settings.max_upload_bytes(),
                        blocked_paths=private, show_error=True, enable_monitoring=False, run_history=False,
                        footer_links=[])
    mark_launched(page)
    return page


def create_staff_app(index_dir: Path, corpus_dir: Path, sessions: StaffSessions) -> gr.Blocks:
    jobs = StaffJobs(index_dir)

    def documents() -> list[DocumentRecord]:
        try:
            reader = Index(index_dir)
        except IndexUnavailable:
            return []
        try:
            return reader.documents()
        finally:
            reader.close()

    def reports() -> list[list]:
        return [[d.id, d.title, d.date, d.pages, d.passages, Path(d.source).name] for d in documents()]

    def choices(value: str | None = None) -> gr.Dropdown:
        return gr.Dropdown(choices=[(f"{d.title} ({d.id})", d.id) for d in documents()], value=value)

    def upload(files, title, date, url, authors, publisher, password, request: gr.Request):
        """Store uploaded reports and index them in a background job (web/staff_jobs.py), showing its progress; ends
        with one result row per file. ``files`` are Gradio's FileData dicts (the event skips preprocessing: gr.File's
        leaves an empty temporary file behind for each file)."""
        files = [Path(f["path"]) for f in files or []]
        try:
            stored, rows = _store(files, title, date, url, authors, publisher, sessions.uploads(request))
        finally:
            sessions.used(request, [str(f) for f in files])  # stored in the corpus or rejected: not kept here
        if not stored:
            yield rows, reports(), choices()
            return
        for status in jobs.watch(jobs.start(stored, password or None)):
            yield rows + progress_rows(status), gr.skip(), gr.skip()
        if status.state not in (DONE, CANCELLED):
            raise gr.Error(status.error)
        done = [_row(result) for result in status.results] if status.state == DONE else progress_rows(status)
        yield rows + done, reports(), choices()

    def _store(files, title, date, url, authors, publisher, uploaded: set[str]):
        if not files:
            raise gr.Error("Choose one or more report files first.")
        if len(files) > MAX_FILES_PER_UPLOAD:
            raise gr.Error(f"{len(files)} files is more than the {MAX_FILES_PER_UPLOAD} one upload takes: upload them in"
                           " smaller batches, or ask an administrator to run `ingest add` on the folder.")
        if title.strip() and len(files) > 1:
            raise gr.Error("A title names one report: upload one file with it, or leave the title empty.")
        metadata = Metadata(title=title.strip(), date=date.strip(), url=url.strip(), publisher=publisher.strip(),
                            authors=[a.strip() for a in authors.split(";") if a.strip()])
        stored, rows = [], []
        for n, f in enumerate(files):
            try:
                if os.path.realpath(f) not in uploaded:
                    raise UploadError(NOT_UPLOADED)
                if f.name in (earlier.name for earlier in files[:n]):
                    raise UploadError("another file of this upload has the same name")
                if f.stat().st_size > settings.max_upload_bytes():  # never read a file bigger than allowed
                    raise UploadError(f"larger than the {settings.max_upload_bytes() / (1 << 20):g} MB upload limit")
                stored.append(store_upload(f.name, f.read_bytes(), corpus_dir, metadata))
            except UploadError as exc:
                rows.append(_row(FileResult(f.name, "rejected", detail=str(exc))))
        return stored, rows

    def remove(doc_id: str | None):
        if not doc_id:
            raise gr.Error("Choose a report to remove.")
        try:
            records = remove_documents([doc_id], index_dir)[doc_id]
        except IndexUnavailable as exc:
            raise gr.Error(str(exc)) from exc
        if not records:
            raise gr.Error(f"No report {doc_id} in the index (already removed?).")
        moved = retire(Path(records[0].source), corpus_dir)
        note = f" Its file moved to {moved.parent.name}/{moved.name}." if moved else ""
        return f"Removed “{records[0].title}” ({doc_id}).{note}", reports(), choices()

    def details(doc_id: str | None):
        """The chosen report's details as they stand, to correct in the form."""
        doc = next((d for d in documents() if d.id == doc_id), None)
        if doc is None:
            return "", "", "", "", ""
        return doc.title, doc.date, "; ".join(doc.authors), doc.publisher, doc.url

    def correct(doc_id: str | None, title, date, authors, publisher, url):
        """Save the details that differ from the report's as staff values; the report is not read again."""
        doc = next((d for d in documents() if d.id == doc_id), None) if doc_id else None
        if doc is None:
            raise gr.Error("Choose a report to correct." if not doc_id else f"No report {doc_id} in the index (removed?).")
        given = {name: str(value or "").strip() for name, value in
                 (("title", title), ("date", date), ("authors", authors), ("publisher", publisher), ("url", url))}
        if too_long := [name for name, value in given.items() if len(value) > MAX_DETAIL_CHARS]:
            raise gr.Error(f"The {too_long[0]} is longer than {MAX_DETAIL_CHARS} characters.")
        if not given["title"]:
            raise gr.Error("A title cannot be empty.")
        if given["date"] and not is_staff_date(given["date"]):
            raise gr.Error(f"“{given['date']}” is not a date: write YYYY-MM-DD, YYYY-MM or YYYY, or leave it empty.")
        new = {**given, "authors": [a.strip() for a in given["authors"].split(";") if a.strip()]}
        # Only what changed becomes a staff value: a title left as it was keeps saying where it came from.
        changed = {name: value for name, value in new.items() if value != getattr(doc, name)}
        if not changed:
            return f"Nothing to change in “{doc.title}”.", reports(), choices(), choices(doc.id)
        try:
            record = correct_metadata(index_dir, doc.id, **changed)
        except IndexUnavailable as exc:
            raise gr.Error(str(exc)) from exc
        if record is None:
            raise gr.Error(f"No report {doc.id} in the index (removed?).")
        names = list(changed)
        said = " and ".join([", ".join(names[:-1]), names[-1]] if len(names) > 1 else names)
        return f"Saved the {said} of “{record.title}” ({record.id}).", reports(), choices(), choices(record.id)

    with gr.Blocks(title="Report Q&A: staff", analytics_enabled=False) as page:
        with gr.Row():
            gr.Markdown("# Report Q&A: staff\nAdd and remove the reports the public chat answers from.")
            gr.HTML(LOGOUT_FORM, elem_id="qa-staff-logout", padding=False, container=False)
        with gr.Tab("Add reports"):
            files = gr.File(label="Report files (PDF, text, Markdown, HTML)", file_count="multiple", type="filepath")
            with gr.Row():
                title = gr.Textbox(label="Title (one file only; else from the file)")
                date = gr.Textbox(label="Date", placeholder="YYYY-MM-DD")
            with gr.Row():
                authors = gr.Textbox(label="Authors", placeholder="separated by ;")
                publisher = gr.Textbox(label="Publisher")
                url = gr.Textbox(label="Public URL of the original")
            password = gr.Textbox(label="PDF password (only for encrypted PDFs)", type="password")
            add_button = gr.Button("Add", variant="primary")
            job_panel(jobs)
            results = gr.Dataframe(headers=RESULT_COLUMNS, label="Results", interactive=False, wrap=True)
        with gr.Tab("Reports"):
            listing = gr.Dataframe(headers=REPORT_COLUMNS, value=reports, label="Indexed reports", interactive=False, wrap=True)
            with gr.Row():
                chosen = gr.Dropdown(label="Report to remove", choices=[], allow_custom_value=True)
                remove_button = gr.Button("Remove", variant="stop")
            removed = gr.Markdown()
        with gr.Tab("Correct details", elem_id="qa-correct") as correct_tab:
            gr.Markdown("The report is not read again; the public chat shows the new details at once.")
            edited = gr.Dropdown(label="Report to correct", choices=[], allow_custom_value=True)
            with gr.Row():
                new_title = gr.Textbox(label="Title", max_length=MAX_DETAIL_CHARS)
                new_date = gr.Textbox(label="Date", placeholder="YYYY-MM-DD, YYYY-MM or YYYY", max_length=MAX_DETAIL_CHARS)
            with gr.Row():
                new_authors = gr.Textbox(label="Authors", placeholder="separated by ;", max_length=MAX_DETAIL_CHARS)
                new_publisher = gr.Textbox(label="Publisher", max_length=MAX_DETAIL_CHARS)
                new_url = gr.Textbox(label="Public URL of the original", max_length=MAX_DETAIL_CHARS)
            save_button = gr.Button("Save details", variant="primary")
            saved = gr.Markdown()
        add_dashboard_tabs()
        add_button.click(upload, [files, title, date, url, authors, publisher, password], [results, listing, chosen],
                         api_name="add", preprocess=False, show_progress="minimal"
                         ).then(lambda: None, None, files, api_name=False)  # its files are gone
        remove_button.click(remove, [chosen], [removed, listing, chosen], api_name="remove")
        fields = [new_title, new_date, new_authors, new_publisher, new_url]
        edited.change(details, edited, fields, api_name=False)
        save_button.click(correct, [edited, *fields], [saved, listing, chosen, edited], api_name="set")
        correct_tab.select(choices, None, edited, api_name=False)  # reports added or removed since
        page.load(choices, None, chosen, api_name=False)
    return page


def _row(r: FileResult) -> list:
    return [Path(r.path).name, r.status, r.pages or "", r.passages or "", r.doc_id, r.detail]
