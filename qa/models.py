"""What a question gets back. ``Answer.to_dict()`` is the stable JSON of `qa ask --json` and the app's /ask API."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field

NOT_FOUND = "The reports do not seem to answer this question."


@dataclass
class Citation:
    doc_id: str
    title: str
    page: int
    passage: str  # the cited passage, verbatim
    start: int  # the answer's span inside ``passage``
    end: int
    score: float  # retrieval score of the passage (higher is better)
    source: str  # the original file
    url: str = ""
    date: str = ""
    passage_id: int = 0
    # A quoted table row: {"header": [...], "rows": [[...]]}, cells verbatim, one per column ("" where empty).
    table: dict | None = None
    key: list[int] | None = None  # [start, end] in ``passage`` of the words answering a who/when/where/how-many question
    publisher: str = ""  # the report's, for citing it
    authors: list[str] = field(default_factory=list)


@dataclass
class ScopedReport:
    doc_id: str
    title: str
    date: str = ""


@dataclass
class Scope:
    """The reports an answer was looked for in."""

    reports: list[ScopedReport]  # in date order
    searched: str  # "only": these reports alone; "preferred": every report, these first
    inferred: bool  # read from the question or the conversation (rather than given as filters)
    reference: str = ""  # the question's words that named them
    since: str = ""  # date filters given
    until: str = ""


@dataclass
class Suggestion:
    """A refusal's hint that another scope would do better."""

    searched: str  # "all": ask every report (a report outside the scope answers); "only": ask within ``reports``
    reports: list[ScopedReport]  # where the evidence is
    confidence: float = 0.0  # of the answer the reports would give (for "all"), or of their best passage


@dataclass
class ReportAnswer:
    """One report's quote in an answer across reports."""

    doc_id: str
    title: str
    date: str
    answer: str  # verbatim
    confidence: float
    citations: list[Citation] = field(default_factory=list)


@dataclass
class Answer:
    question: str
    answer: str  # verbatim sentences from the reports, or NOT_FOUND when abstained
    abstained: bool
    confidence: float  # 0..1
    citations: list[Citation] = field(default_factory=list)
    related: list[Citation] = field(default_factory=list)  # nearest passages when abstained: "possibly related"
    scope: Scope | None = None  # None: every report, nothing named or given
    across: list[ReportAnswer] = field(default_factory=list)  # one quote per report, by date, when asked across them
    why: str = ""  # one line on what the confidence rests on (qa/confidence_why.py)
    # A list answer quotes the sentence announcing a list and each item's lead sentence (``items``, verbatim, with
    # their markers); ``whole`` is the list verbatim with every item's elaboration, for "show the whole passage".
    items: list[str] = field(default_factory=list)
    whole: str = ""
    reports_searched: int = 0  # a refusal: how many reports it searched
    suggestion: Suggestion | None = None  # a refusal: a narrower or broader scope that would help

    def to_dict(self) -> dict:
        return asdict(self)
