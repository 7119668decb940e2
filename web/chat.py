"""The public site: ask a question, read the quoted answer and its sources, rate it; browse the reports.

Nothing here can change the corpus: it only reads the index, and feedback goes through ``qa.feedback``,
whose connection may write the feedback table alone. No event takes a file or a value that may hold one: the
conversation and the report the reader asks within live in server-side state, and the chat component is only ever an
output (web/gradio_guard.py refuses file references at the door as well).
"""
from __future__ import annotations

import sqlite3
import sys
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urljoin

import gradio as gr

from ingest import settings
from ingest.index import DocumentRecord, IndexUnavailable
from qa.appdb import AppDatabase, DatabaseError
from qa.feedback import MAX_COMMENT_CHARS, FeedbackStore
from qa.models import Answer
from qa.pipeline import MAX_QUESTION_CHARS, QAPipeline
from qa.transcript import Turn, conversation_markdown
from qa.questions_log import QuestionsLog

from .answer_tools import AnswerTools, download_html, site_url
from .answer_view import answer_html, question_html
from .permalink import Permalink, library_fingerprint, permalink_query, read_permalink
from .report_files import public_link
from .reports_view import ASK_REPORT_JS, reports_html
from .scope_view import CLEAR_SCOPE_JS, scope_html

HERE = Path(__file__).parent
# The reader's own system fonts: nothing to download, and they cover every script a report may quote.
THEME = gr.themes.Default(
    font=("system-ui", "-apple-system", "Segoe UI", "Roboto", "Helvetica Neue", "Liberation Sans", "Arial", "sans-serif"),
    font_mono=("ui-monospace", "SFMono-Regular", "Menlo", "Consolas", "Liberation Mono", "monospace"),
)
# How app.py mounts the site: its theme, styles and the script that keeps each new answer's start in view.
PAGE_OPTIONS = {"theme": THEME, "css_paths": [HERE / "chat.css"], "js": (HERE / "chat.js").read_text()}
EXAMPLES = [
    "What obstacles hinder cooperation in space?",
    "What are the four key takeaways of the dialogue?",
    "Who prepared the report?",
]
INTRO = "# Report Q&A\nAsk a question about our reports. Every answer is quoted word for word from a report, with the page it comes from."
HOW_IT_WORKS = """\
### How this works

- **Answers are quoted, never generated.** Each answer is one or a few sentences copied word for word from a report.
  Nothing is paraphrased, summarised or made up.
- **Every quote shows its source:** the report, its date and page, and the passage around the quote with the quoted words
  highlighted. *Open the report* takes you to that page of the original.
- **The search reads meaning and words.** Your question is matched against every passage of every report, both by what it
  means and by the words it uses; the sentence that best answers it is quoted.
- **When the reports do not answer a question, it says so** ("not found in the reports"), says which reports it searched,
  lists nearby passages as possibly related only when they are, and suggests asking all reports, or one, when that may help.
- **A question asking for a list** ("what obstacles ...?") gets each item's first sentence; *Show the whole passage* opens
  the rest, and "tell me more about the second one" quotes that item in full.
- **Follow-up questions** such as "Who prepared it?" are read together with your earlier questions in the conversation.
- **Ask one report, or all of them.** *Ask this report* in the Reports tab keeps your questions within that report
  until you press × next to its name above the question box. A question that names a report ("in the 2016 report",
  "the latest report") is answered from it, and the answer says which reports were searched. A question across the
  years ("how has … changed?") gets one dated quote from each report that answers it, oldest first.
- **The confidence** (high, medium or low) is the estimated chance that the quote answers the question, judged from how closely its words and meaning match it.
  *Why?* next to it says in one line what it rests on.
- **Cite, link, take away.** *Cite* under a source gives it in APA, Chicago or plain text, with its page and a link, ready
  to copy. *Link to this answer* asks the same question again in any browser, and says if the reports changed since.
  *Download the conversation* saves every question, quote and source as a Markdown file.
"""
KEPT_WITH_LOG = """\
- **What is kept, so that staff can improve the service.** Each question you ask, as you typed it, with the hour it
  was asked, the reports searched, whether it was answered, the confidence, the reports quoted and your thumbs up or
  down if you give one; these are deleted after {days} days. Your thumbs up or down, and your comment if you add one, are also kept
  with the answer and its sources. Nothing identifies you: no IP address, no cookie or session id, and your questions
  are not linked to each other.
"""
KEPT_WITHOUT_LOG = """\
- **What is kept, so that staff can improve the service:** your thumbs up or down on an answer, and your comment if you
  add one, with the question, the answer and its sources. Questions themselves are not logged. Nothing identifies you:
  no IP address, no cookie or session id.
"""


def how_it_works() -> str:
    """The page's own account of itself, with what is kept as the settings say now."""
    days = settings.questions_log_days()
    return HOW_IT_WORKS + (KEPT_WITH_LOG.format(days=days) if days else KEPT_WITHOUT_LOG)


LIBRARY_CHANGED = ("The library has changed since this link was made (reports were added, removed or corrected): this is "
                   "today's answer, which may differ from the one shared.")
LIBRARY_SAME = "Asked again from a link: the library has not changed since the link was made."
REPORT_GONE = "The report this link asked within is no longer in the library: every report was searched."
UNSAVED = "Sorry, your feedback could not be saved just now. Please try again in a minute."
MAX_DOC_ID_CHARS = 64  # a report id is a short hex digest: anything longer names no report


def _open_app_db(index_dir: Path) -> AppDatabase | None:
    """The app's database, with ratings an earlier version kept in the index carried over; None when it cannot be
    opened: the site then asks for no rating and logs no question."""
    try:
        db = AppDatabase()
    except (OSError, DatabaseError) as exc:
        print(f"Feedback and the questions log are off: cannot open the app's database: {exc}", file=sys.stderr, flush=True)
        return None
    try:
        if carried := FeedbackStore(db).import_from_index(index_dir):
            print(f"Carried {carried} rating(s) over from {index_dir} to {db.name}", file=sys.stderr, flush=True)
    except (sqlite3.Error, DatabaseError, IndexUnavailable) as exc:  # old ratings left where they are: new ones count
        print(f"Ratings kept in {index_dir} not carried over: {exc}", file=sys.stderr, flush=True)
    return db


def public_answer(answer: Answer) -> dict:
    """``Answer.to_dict()`` for the public API: each source's ``link`` and ``file`` name instead of its server path."""
    data = answer.to_dict()
    across = [cited for report in data["across"] for cited in report["citations"]]
    for cited in data["citations"] + data["related"] + across:
        source = cited.pop("source")
        cited["link"] = public_link(cited["doc_id"], source, cited["url"])
        cited["file"] = Path(source).name if source else ""
    return data


def _site(request: gr.Request | None) -> str:
    """The site's address for links that leave the page (answer_tools.site_url)."""
    try:
        return site_url(request.url.scheme, request.headers.get("host", ""))
    except AttributeError:  # no request: an API call
        return site_url("", "")


def _query_params(request: gr.Request | None) -> dict[str, list[str]]:
    """The page's query parameters, each with all its values (the page's script sends them with each event)."""
    params = getattr(request, "query_params", None) if request is not None else None
    if hasattr(params, "getlist"):
        return {name: params.getlist(name) for name in params.keys()}
    return {name: [value] for name, value in dict(params or {}).items()}


def create_chat_app(pipeline: QAPipeline) -> gr.Blocks:
    db = _open_app_db(pipeline.index.dir)
    feedback, log = (FeedbackStore(db), QuestionsLog(db)) if db else (None, None)
    fingerprints: dict[int, str] = {}  # index generation -> its library fingerprint

    def fingerprint() -> str:
        generation = pipeline.index.generation
        if generation not in fingerprints:
            fingerprints.clear()
            fingerprints[generation] = library_fingerprint(pipeline.index.documents(), pipeline.index.model or "")
        return fingerprints[generation]

    def ask_and_log(question: str, *args) -> tuple[Answer, str | None]:
        """The answer, and the key of its row in the questions log (None when the log keeps nothing)."""
        answer = pipeline.ask(question, *args)
        return answer, log.record(answer) if log else None

    def answered(question: str, earlier: list[str], doc: DocumentRecord | None,
                 site: str) -> tuple[Answer, AnswerTools, str | None]:
        """The answer to ``question`` read with the ``earlier`` questions, its controls (its link included) and
        its key in the questions log."""
        answer, key = ask_and_log(question, earlier, [doc.id] if doc else None)
        link = Permalink(answer.question, [h for h in earlier if h.strip()], doc and doc.id, fingerprint())
        return answer, AnswerTools(site, permalink_query(link)), key

    def conversation_file(answers: dict[int, Answer], links: dict[int, str], site: str) -> str:
        """The "Download the conversation" link, its Markdown inside."""
        turns = [Turn(a, urljoin(site, links.get(i, ""))) for i, a in sorted(answers.items())]
        heading = (f"Asked at {site or 'Report Q&A'}, downloaded {datetime.now(timezone.utc):%d %B %Y, %H:%M} UTC."
                   " Every quote is word for word from the report cited under it.")
        return download_html(conversation_markdown(turns, AnswerTools(site, "").link, heading))

    def add_question(question: str, chat: list[dict]):
        """Show the question at once and clear the box; the answer follows."""
        question = question.strip()
        if not question:
            return gr.update(), chat, chat, ""
        chat = chat + [{"role": "user", "content": question_html(question)}]
        return "", chat, chat, question

    def pick_example(chat: list[dict], picked: gr.SelectData):
        return add_question(picked.value["text"], chat)[1:]

    def answer_last(chat: list[dict], pending: str, answers: dict[int, Answer], links: dict[int, str],
                    logged: dict[int, str], scope: str | None, request: gr.Request):
        """Answer the question just added, reading it with the conversation's earlier questions, within the report
        the reader chose if any (one removed since is dropped: the question then goes to all reports)."""
        doc = indexed_report(scope)
        # The chip changes only when its report was dropped: an unchanged live region is not announced again.
        chip = scope_html(None) if scope and doc is None else gr.update()
        if not pending:
            return chat, chat, answers, links, logged, "", doc and doc.id, chip, gr.update()
        site = _site(request)
        answer, tools, key = answered(pending, [a.question for _, a in sorted(answers.items())], doc, site)
        answers, links = {**answers, len(chat): answer}, {**links, len(chat): tools.permalink}
        logged = {**logged, len(chat): key}
        chat = chat + [{"role": "assistant", "content": answer_html(answer, tools)}]
        return chat, chat, answers, links, logged, "", doc and doc.id, chip, conversation_file(answers, links, site)

    def open_link(request: gr.Request):
        """A page opened from an answer's link asks its question again, after the questions it followed, within
        the report it named, and says whether the library changed since the link was made."""
        link = read_permalink(_query_params(request))
        if link is None:
            return (gr.update(),) * 8
        doc, site = indexed_report(link.report), _site(request)
        chat, answers, links, logged, asked = [], {}, {}, {}, []
        for question in [*link.history, link.question]:
            answer, tools, key = answered(question, asked, doc, site)
            chat.append({"role": "user", "content": question_html(answer.question)})
            answers[len(chat)], links[len(chat)], logged[len(chat)] = answer, tools.permalink, key
            chat.append({"role": "assistant", "content": answer_html(answer, tools)})
            asked.append(answer.question)
        notes = [REPORT_GONE] if link.report and doc is None else []
        if link.fingerprint:
            notes.append(LIBRARY_SAME if link.fingerprint == fingerprint() else LIBRARY_CHANGED)
        if notes:
            chat[-1]["content"] = "".join(f'<p class="qa-link-note">{n}</p>' for n in notes) + chat[-1]["content"]
        return chat, chat, answers, links, logged, doc and doc.id, scope_html(doc), conversation_file(answers, links, site)

    def indexed_report(doc_id) -> DocumentRecord | None:
        """The indexed report with this id; None for anything else a client may send."""
        if not isinstance(doc_id, str) or not doc_id or len(doc_id) > MAX_DOC_ID_CHARS:
            return None
        pipeline.refresh()
        return pipeline.index.document(doc_id)

    def choose_report(filter_text: str, event: gr.EventData):
        """"Ask this report": ask within the report of the row whose button was pressed, on the Ask tab. The id comes
        from the page, so it is only a candidate: a report the index does not hold changes nothing but the list."""
        sent = event._data.get("doc_id") if isinstance(event._data, dict) else None
        doc = indexed_report(sent)
        if doc is None:
            return gr.update(), gr.update(), gr.update(), list_reports(filter_text)
        return doc.id, scope_html(doc), gr.Tabs(selected="ask"), gr.update()

    def ask(question: str, history: list[str] | None = None) -> dict:
        """Answer a question from the reports; the JSON object of `qa ask --json`, each source's server path
        replaced by its public ``link`` and ``file`` name."""
        return public_answer(ask_and_log(question, history or [])[0])

    def ask_within(question: str, history: list[str] | None = None, reports: list[str] | None = None,
                   since: str = "", until: str = "") -> dict:
        """/ask with filters: ``reports`` (ids or title words), ``since`` and ``until`` (YYYY, YYYY-MM or YYYY-MM-DD).
        A separate endpoint because Gradio fills no defaults for a raw HTTP call: /ask keeps taking exactly the
        two values scripts have always sent."""
        return public_answer(ask_and_log(question, history or [], reports or None, since or "", until or "")[0])

    def rate(answers: dict[int, Answer], rated: dict[int, int], logged: dict[int, str], like: gr.LikeData):
        """Keep a thumbs up/down; clicking the same thumb again takes it back."""
        answer, entry = answers.get(like.index), rated.get(like.index)
        if answer is None or feedback is None:
            return rated, None, gr.update(visible=False), ""
        log.rate(logged.get(like.index), {True: "up", False: "down"}.get(like.liked))
        try:
            if like.liked not in (True, False):
                if entry is not None:
                    feedback.withdraw(entry)
                return ({k: v for k, v in rated.items() if k != like.index}, None, gr.update(visible=False),
                        "Your rating was taken back.")
            rating = "up" if like.liked else "down"
            if entry is None:
                entry = feedback.record(answer, rating)
            else:
                feedback.update(entry, rating=rating)
        except DatabaseError:  # the app's database is unreachable, or read-only
            return rated, None, gr.update(visible=False), UNSAVED
        label = f"Add a comment on the answer to “{answer.question}” (optional)"
        thanks = f"Thanks: your rating of this answer as {'helpful' if like.liked else 'not helpful'} is saved."
        return {**rated, like.index: entry}, entry, gr.update(visible=True, value="", label=label), thanks

    def save_comment(comment: str, entry: int | None):
        if entry is None or not comment.strip():
            return gr.update(), "Type a comment first, or ignore this box: the rating is already saved."
        try:
            feedback.update(entry, comment=comment.strip())
        except DatabaseError:
            return gr.update(), UNSAVED
        return gr.update(visible=False, value=""), "Thanks: your comment is saved."

    def list_reports(filter_text: str) -> str:
        pipeline.refresh()  # show reports added since the app started
        return reports_html(pipeline.index.documents(), filter_text)

    private = {"api_visibility": "private"}
    with gr.Blocks(title="Report Q&A", analytics_enabled=False) as demo:
        gr.Markdown(INTRO, elem_id="qa-intro")
        with gr.Tabs() as tabs:
            with gr.Tab("Ask", id="ask", elem_id="qa-ask-tab"):
                chatbot = gr.Chatbot(
                    label="Conversation",
                    show_label=False,
                    elem_id="qa-chat",
                    height="68vh",
                    min_height=320,
                    render_markdown=False,  # messages are HTML built by answer_view, every text in it escaped
                    sanitize_html=True,
                    feedback_options=("Like", "Dislike") if feedback else None,
                    placeholder="Ask about the reports, or start with one of these questions:",
                    examples=[{"text": q} for q in EXAMPLES],
                    buttons=[],
                    layout="panel",
                    autoscroll=False,  # chat.js scrolls to the new question instead of to the bottom
                )
                comment = gr.Textbox(label="Add a comment on this answer (optional)", max_length=MAX_COMMENT_CHARS, lines=2,
                                     submit_btn="Send comment", visible=False, elem_id="qa-comment")
                feedback_note = gr.Markdown(elem_id="qa-feedback-note", container=False)
                download = gr.HTML("", elem_id="qa-download", container=False)
                scope_chip = gr.HTML(scope_html(None), elem_id="qa-scope", js_on_load=CLEAR_SCOPE_JS)
                question = gr.Textbox(show_label=False, placeholder="Ask a question about the reports",
                                      submit_btn="Ask", max_length=MAX_QUESTION_CHARS, autofocus=True, elem_id="qa-question",
                                      label="Your question")
            with gr.Tab("Reports", id="reports", elem_id="qa-reports-tab") as reports_tab:
                report_filter = gr.Textbox(label="Filter reports", placeholder="Part of a title, date, publisher or author",
                                           elem_id="qa-report-filter")
                reports = gr.HTML(elem_id="qa-reports", js_on_load=ASK_REPORT_JS)
            with gr.Tab("How this works", elem_id="qa-how-tab"):
                gr.Markdown(how_it_works())

        conversation = gr.State([])  # the chat's messages: kept here, so that no client sends them back
        answers = gr.State({})  # chat message index -> the Answer shown there
        links = gr.State({})  # chat message index -> the link that asks its question again (?q=...)
        logged = gr.State({})  # chat message index -> its row's key in the questions log
        rated = gr.State({})  # chat message index -> its feedback entry id
        commenting = gr.State(None)  # the feedback entry the comment box adds to
        pending = gr.State("")  # the question waiting for its answer
        scope = gr.State(None)  # the id of the report the reader asks within, checked against the index; None: all

        shown = [chatbot, conversation]
        answering = ([conversation, pending, answers, links, logged, scope],
                     [*shown, answers, links, logged, pending, scope, scope_chip, download])
        question.submit(add_question, [question, conversation], [question, *shown, pending], queue=False, **private).then(
            answer_last, *answering, **private)
        chatbot.example_select(pick_example, conversation, [*shown, pending], queue=False, **private).then(
            answer_last, *answering, **private)
        chatbot.like(rate, [answers, rated, logged], [rated, commenting, comment, feedback_note], **private)
        comment.submit(save_comment, [comment, commenting], [comment, feedback_note], **private)
        # Clearing the chat starts a new conversation: earlier questions no longer shape the answers.
        chatbot.clear(lambda: ([], {}, {}, {}, {}, None, gr.update(visible=False), "", ""), None,
                      [conversation, answers, links, logged, rated, commenting, comment, feedback_note, download],
                      **private)
        # One queue for the listings, so they land in the order asked: the list the tab's opening asked for never
        # lands over the one the filter typed just after it asked for.
        listing = {**private, "concurrency_id": "reports-list"}
        report_filter.change(list_reports, report_filter, reports, **listing)
        reports_tab.select(list_reports, report_filter, reports, **listing)  # staff may have changed a report since
        reports.click(choose_report, report_filter, [scope, scope_chip, tabs, reports], **private)
        scope_chip.click(lambda: (None, scope_html(None)), None, [scope, scope_chip], api_name="ask_all_reports",
                         **private)
        demo.load(list_reports, report_filter, reports, **listing)
        demo.load(open_link, None, [*shown, answers, links, logged, scope, scope_chip, download], **private)
        gr.api(ask, api_name="ask")
        gr.api(ask_within, api_name="ask_within")
    return demo
