"""One answer as HTML for the chat: the quote with numbered markers, then each distinct source once.

Every piece of text from a report or a reader goes through ``html.escape``, so markup in it is shown,
never interpreted; the chat renders these messages as HTML, not Markdown, so Markdown in it stays text too.
"""
from __future__ import annotations

import re
from datetime import date, datetime
from html import escape

from qa.confidence_why import confidence_words
from qa.models import Answer, Citation, ReportAnswer, Scope, Suggestion

from .answer_tools import AnswerTools, confidence_html
from .viewer import ROUTE as VIEWER_ROUTE
from .viewer import viewer_link

_BLANK_LINES = re.compile(r"\s*\n\s*")
# How much of a cited passage to show around the quoted words, and of a possibly related passage.
CONTEXT_CHARS = 160
RELATED_CHARS = 320
SCOPE_TITLES = 4  # reports named in an answer's note of the reports searched; beyond, "and N more"


def readable_date(iso: str) -> str:
    """'2020-12-01' -> '1 December 2020', '2020-12' -> 'December 2020'; anything else is shown as it is."""
    try:
        d = date.fromisoformat(iso)
    except ValueError:
        try:
            return f"{datetime.strptime(iso, '%Y-%m'):%B %Y}"
        except ValueError:
            return iso
    return f"{d.day} {d:%B %Y}"


def question_html(question: str) -> str:
    return escape(question)


def answer_html(answer: Answer, tools: AnswerTools | None = None) -> str:
    """``tools``: the controls to cite each source and link to the answer (web/answer_tools.py); none without."""
    if answer.abstained:
        return _abstention_html(answer, tools)
    if answer.across:
        return _across_html(answer, tools)
    sources, numbers = _numbered(answer.citations)
    quote = _list_html(answer, numbers) if answer.items else _quote_html(answer.answer, answer.citations, numbers)
    listed = "".join(_source_html(n, group, True, answer.citations, tools) for n, group in enumerate(sources, 1))
    return (
        '<div class="qa-answer">'
        f'<blockquote class="qa-quote">{quote}</blockquote>'
        f"{_whole_html(answer.whole)}"
        f'<div class="qa-meta">Quoted word for word from the reports, with {confidence_html(answer)}</div>'
        f'<ol class="qa-sources" aria-label="Sources">{listed}</ol>'
        f"{_scope_note(answer.scope)}{tools.share_html() if tools else ''}</div>"
    )


def _quote_html(text: str, citations: list[Citation], numbers: list[int]) -> str:
    """The quote: a quoted table row as a small table, prose with each source's marker after its words."""
    if any(c.table for c in citations):
        return "".join(_table_html(c.table) + _marker(n) if c.table else _text(c.passage[c.start:c.end]) + _marker(n)
                       for c, n in zip(citations, numbers))
    return _quote_with_markers(text, citations, numbers)


def _list_html(answer: Answer, numbers: list[int]) -> str:
    """A list answer: the sentence announcing the list, then each item's lead sentence on its own line. The items
    carry their own markers as printed ("First,", "(2)"), so the list adds none; each source's marker follows the
    last item quoted from it."""
    opening = len(answer.citations) - len(answer.items)  # the announcement's citations come first
    intro = "".join(_text(c.passage[c.start:c.end]) for c in answer.citations[:opening])
    intro_marker = _marker(numbers[opening - 1]) if opening and numbers[opening - 1] != numbers[opening] else ""
    intro_html = f'<span class="qa-list-intro">{intro}{intro_marker}</span>' if opening else ""
    items = []
    for k, (c, n) in enumerate(zip(answer.citations[opening:], numbers[opening:]), start=opening):
        last_of_run = k + 1 == len(numbers) or numbers[k + 1] != n
        items.append(f'<li class="qa-item">{_text(c.passage[c.start:c.end])}{_marker(n) if last_of_run else ""}</li>')
    return f'{intro_html}<ul class="qa-items" aria-label="{len(items)} items">{"".join(items)}</ul>'


def _whole_html(whole: str) -> str:
    """The whole list a list answer quotes the lead sentences of, every item's elaboration included, on demand."""
    if not whole:
        return ""
    return ('<details class="qa-whole"><summary>Show the whole passage</summary>'
            f'<blockquote class="qa-whole-text">{_text(whole)}</blockquote></details>')


def _numbered(citations: list[Citation], first: int = 1) -> tuple[list[list[Citation]], list[int]]:
    """The distinct sources of ``citations`` and each citation's source number, counting from ``first``."""
    sources = _distinct_sources(citations)
    return sources, [next(n for n, s in enumerate(sources, first) if _same_source(s[0], c)) for c in citations]


def _across_html(answer: Answer, tools: AnswerTools | None) -> str:
    """An answer across reports: one dated quote per report, oldest first, each with its own sources."""
    items, first = [], 1
    for part in answer.across:
        items.append(_report_answer_html(part, first, tools))
        first += len(_distinct_sources(part.citations))
    count = len(answer.across)
    return (
        '<div class="qa-answer qa-across">'
        f'<p class="qa-meta">One quote from each of {count} reports, oldest first, word for word.</p>'
        f'<ol class="qa-across-list" aria-label="One quote per report, by date">{"".join(items)}</ol>'
        f"{_scope_note(answer.scope)}{tools.share_html() if tools else ''}</div>"
    )


def _report_answer_html(part: ReportAnswer, first: int, tools: AnswerTools | None) -> str:
    sources, numbers = _numbered(part.citations, first)
    when = readable_date(part.date) if part.date else "Undated"
    listed = "".join(_source_html(n, group, True, part.citations, tools) for n, group in enumerate(sources, first))
    return (
        '<li class="qa-report-answer">'
        f'<p class="qa-report-date"><time datetime="{escape(part.date)}">{escape(when)}</time>'
        f' <span class="qa-source-details">· {confidence_words(part.confidence)}</span></p>'
        f'<blockquote class="qa-quote">{_quote_html(part.answer, part.citations, numbers)}</blockquote>'
        f'<ol class="qa-sources" aria-label="Source of the quote of {escape(when)}">{listed}</ol>'
        "</li>"
    )


def _scope_note(scope: Scope | None) -> str:
    """Which reports were searched, when the reader or the question chose them. Title words that merely occur in a
    question ("who prepared the report?") put a few reports first without naming them: no note for that."""
    if scope is None or not scope.reports or (scope.inferred and scope.searched != "only" and not scope.reference):
        return ""
    named = [f"<cite>{escape(r.title)}</cite>" + (f" ({escape(readable_date(r.date))})" if r.date else "")
             for r in scope.reports[:SCOPE_TITLES]]
    more = len(scope.reports) - SCOPE_TITLES
    listed = ", ".join(named) + (f" and {more} more" if more > 0 else "")
    because = f", as the question names “{escape(scope.reference)}”" if scope.reference else ""
    if not scope.inferred:
        note = f"Asked within {listed}."
    elif scope.searched == "only":
        note = f"Searched only {listed}{because}."
    else:
        note = f"Searched every report, first {listed}{because}."
    return f'<p class="qa-scope-note">{note}</p>'


def _abstention_html(answer: Answer, tools: AnswerTools | None) -> str:
    parts = ['<div class="qa-answer qa-abstained">',
             f'<p class="qa-not-found"><strong>Not found in the reports.</strong> {escape(answer.answer)}</p>']
    if answer.related:
        related = _distinct_sources(answer.related)
        parts.append('<p class="qa-meta">Possibly related passages:</p>')
        parts.append(f'<ol class="qa-sources qa-related" aria-label="Possibly related passages">'
                     f'{"".join(_source_html(n, group, False) for n, group in enumerate(related, 1))}</ol>')
    parts.append(_scope_note(answer.scope) or _searched_note(answer.reports_searched))
    parts.append(f"{_suggestion_html(answer.suggestion)}{tools.share_html() if tools else ''}</div>")
    return "".join(parts)


def _searched_note(count: int) -> str:
    if count <= 0:
        return ""
    searched = "the library's one report" if count == 1 else f"all {count} reports of the library"
    return f'<p class="qa-scope-note">Searched {searched}.</p>'


def _suggestion_html(suggestion: Suggestion | None) -> str:
    """A refusal's hint at a scope that would help: every report, or the one the related passages come from."""
    if suggestion is None or not suggestion.reports:
        return ""
    report = suggestion.reports[0]
    named = f"<cite>{escape(report.title)}</cite>" + (f" ({escape(readable_date(report.date))})" if report.date else "")
    if suggestion.searched == "all":
        hint = (f"{named}, outside the reports searched, may answer it: ask all reports"
                " (press × beside the report's name above the question box).")
    else:
        hint = f"The related passages are all from {named}: asking within it (Reports tab, “Ask this report”) may help."
    return f'<p class="qa-suggestion">{hint}</p>'



def _same_source(a: Citation, b: Citation) -> bool:
    return (a.doc_id, a.passage_id, a.page) == (b.doc_id, b.passage_id, b.page)


def _distinct_sources(citations: list[Citation]) -> list[list[Citation]]:
    """Citations grouped by the passage they quote, in order of first appearance: each source is listed once."""
    groups: list[list[Citation]] = []
    for c in citations:
        group = next((g for g in groups if _same_source(g[0], c)), None)
        if group is None:
            groups.append([c])
        else:
            group.append(c)
    return groups


def _table_html(table: dict) -> str:
    """A quoted table row under its header and caption, as a small table; it scrolls sideways on a narrow screen."""
    header = "".join(f'<th scope="col">{escape(cell)}</th>' for cell in table.get("header") or [])
    rows = "".join("<tr>" + "".join(f"<td>{escape(cell)}</td>" for cell in row) + "</tr>" for row in table.get("rows") or [])
    head = f"<thead><tr>{header}</tr></thead>" if header else ""
    caption = f"<caption>{escape(table['caption'])}</caption>" if table.get("caption") else ""
    return (f'<div class="qa-table-wrap" role="region" aria-label="Quoted table row" tabindex="0"><table class="qa-table">'
            f"{caption}{head}<tbody>{rows}</tbody></table></div>")


def _marker(n: int) -> str:
    return f'<sup class="qa-marker">[{n}]</sup>'


def _quote_with_markers(text: str, citations: list[Citation], numbers: list[int]) -> str:
    """The answer with each source's marker after the words quoted from it; all markers at the end when the
    answer is not simply the cited spans in order. The words answering the question, if marked, stand out."""
    ends = []
    cursor = 0
    key = None
    for c in citations:
        quoted = c.passage[c.start:c.end]
        at = text.find(quoted, cursor) if quoted else -1
        if at < 0:
            return _text(text) + "".join(_marker(n) for n in dict.fromkeys(numbers))
        if c.key:
            key = (at + c.key[0] - c.start, at + c.key[1] - c.start)
        cursor = at + len(quoted)
        ends.append(cursor)
    out, start = [], 0
    for i, (end, n) in enumerate(zip(ends, numbers)):
        # Adjacent spans from one source get one marker, after the last of them.
        last_of_run = i + 1 == len(numbers) or numbers[i + 1] != n
        if last_of_run:
            out.append(_text_with_key(text, start, end, key) + _marker(n))
            start = end
    return "".join(out) + _text(text[start:])


def _text(text: str) -> str:
    """Report text as HTML text. Blank lines between a report's headings become single line breaks
    (the chat keeps line breaks), so a passage stays compact."""
    return escape(_BLANK_LINES.sub("\n", text))


def _text_with_key(text: str, start: int, end: int, key: tuple[int, int] | None) -> str:
    """``text[start:end]`` as HTML, the part of it inside ``key`` in a <strong class="qa-key">."""
    if not key or key[1] <= start or key[0] >= end:
        return _text(text[start:end])
    s, e = max(key[0], start), min(key[1], end)
    return _text(text[start:s]) + f'<strong class="qa-key">{_text(text[s:e])}</strong>' + _text(text[e:end])


def _excerpt_bounds(passage: str, spans: list[tuple[int, int]]) -> tuple[int, int]:
    """The part of ``passage`` worth showing: the quoted spans with some context, cut at spaces.
    A passage without spans (a possibly related one) is shown from its start."""
    first = min((s for s, _ in spans), default=0)
    last = max((e for _, e in spans), default=0)
    start = max(0, first - CONTEXT_CHARS)
    end = min(len(passage), max(last, first) + CONTEXT_CHARS if spans else RELATED_CHARS)
    if start > 0:
        space = passage.find(" ", start, first)
        start = space + 1 if space >= 0 else start
    if end < len(passage):
        space = passage.rfind(" ", last, end)
        end = space if space >= 0 else end
    return start, end


def _highlighted(passage: str, spans: list[tuple[int, int]], key: tuple[int, int] | None = None) -> str:
    """An excerpt of ``passage`` around ``spans``, which are marked, ``key`` more strongly; "…" where it was cut."""
    start, end = _excerpt_bounds(passage, spans)
    out, cursor = ["…" if start > 0 else ""], start
    for s, e in sorted(spans):
        if e <= s or s < cursor:
            continue
        out += [_text(passage[cursor:s]), f"<mark>{_text_with_key(passage, s, e, key)}</mark>"]
        cursor = e
    return "".join(out) + _text(passage[cursor:end]) + ("…" if end < len(passage) else "")


def _source_html(n: int, group: list[Citation], highlight: bool, quoted: list[Citation] = (),
                 tools: AnswerTools | None = None) -> str:
    """One source; its link opens the viewer with the answer's words from this report (``quoted``) highlighted."""
    c = group[0]
    details = [readable_date(c.date)] if c.date else []
    details.append(f"page {c.page}")
    link = viewer_link(c, list(quoted))
    # A PDF opens at the page; a text report has none, a web page opens at its start.
    at_page = f" at page {c.page}" if link.startswith(f"{VIEWER_ROUTE}/") and c.source.lower().endswith(".pdf") else ""
    opener = f' <a class="qa-open" href="{escape(link)}">Open the report{at_page}</a>' if link else ""
    key = next((tuple(g.key) for g in group if g.key), None) if highlight else None
    passage = _highlighted(c.passage, [(g.start, g.end) for g in group] if highlight else [], key)
    return (
        f'<li class="qa-source" value="{n}">'
        f'<p class="qa-source-head"><span class="qa-marker">[{n}]</span> <cite>{escape(c.title)}</cite>'
        f' <span class="qa-source-details">· {escape(" · ".join(details))}</span>{opener}</p>'
        f'<blockquote class="qa-passage">{passage}</blockquote>'
        f'{tools.cite_html(n, c, list(quoted)) if tools and highlight else ""}'
        "</li>"
    )
