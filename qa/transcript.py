"""A conversation as Markdown to take away: each question, every quote of its answer verbatim, and after each quote
its citation (report, publisher, date, page and a link that opens it).

Text from the reports and the questions is escaped, so a report's markup reads as text wherever the file is rendered."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from .citation_styles import source_line
from .confidence_why import confidence_words
from .models import Answer, Citation

# The characters with which text would turn into links, images, HTML, emphasis, headings or tables; a backslash
# before one shows it as it is.
_MARKUP = re.compile(r"([\\`*_\[\]<>#|~&])")


@dataclass
class Turn:
    answer: Answer
    permalink: str = ""  # the address that asks it again


def conversation_markdown(turns: list[Turn], link: Callable[[Citation, list[Citation]], str], heading: str) -> str:
    """``link(c, quoted)``: the address of source ``c`` with the answer's ``quoted`` words from it highlighted.
    ``heading``: the line under the title (where and when the conversation was exported)."""
    out = ["# Report Q&A conversation", ""] + ([heading, ""] if heading else [])
    for n, turn in enumerate(turns, 1):
        out += _turn(n, turn, link)
    return "\n".join(out).rstrip() + "\n"


def _turn(n: int, turn: Turn, link: Callable[[Citation, list[Citation]], str]) -> list[str]:
    answer = turn.answer
    out = [f"## {n}. {escape_markdown(answer.question)}", ""]
    if answer.abstained:
        out += [f"*Not found in the reports.* {escape_markdown(answer.answer)}", ""]
    elif answer.across:
        for part in answer.across:
            out += [f"### {escape_markdown(part.title)}" + (f" ({part.date})" if part.date else ""), ""]
            out += _quotes(part.citations, link)
            out += [f"Confidence: {confidence_words(part.confidence)}.", ""]
    else:
        out += _quotes(answer.citations, link)
        why = f" {answer.why}" if answer.why else ""
        out += [f"Confidence: {confidence_words(answer.confidence)}.{why}", ""]
    if turn.permalink:
        out += [f"Link to this answer: <{turn.permalink}>", ""]
    return out


def _quotes(citations: list[Citation], link: Callable[[Citation, list[Citation]], str]) -> list[str]:
    """Each quoted part as a block quote, its citation under it."""
    out = []
    for c in citations:
        quoted = c.passage[c.start:c.end].strip()
        if not quoted:
            continue
        out += [f"> {escape_markdown(line)}" if line.strip() else ">" for line in quoted.splitlines()]
        out += ["", f"— {escape_markdown(source_line(c))}: <{link(c, citations)}>", ""]
    return out


def escape_markdown(text: str) -> str:
    return _MARKUP.sub(r"\\\1", text)
