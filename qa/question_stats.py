"""What the questions log says, for staff: the questions the reports failed, grouped so that one question asked ten
ways counts once; the questions most asked; answer rate and thumbs over time; how often each report is quoted.

Groups come from the embedding model that answers questions: two wordings whose vectors are close enough (cosine
to the group's centroid at least ``SAME_QUESTION``) are one question. The threshold was read off paraphrases and
unrelated questions of the bundled model (docs/staff-console.md has the figures).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from .questions_log import LoggedQuestion

SAME_QUESTION = 0.75


class Embeds(Protocol):
    def embed(self, texts: list[str]) -> np.ndarray: ...


@dataclass
class QuestionGroup:
    """One question however it was worded: ``rows`` are the log rows that asked it."""

    rows: list[LoggedQuestion] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def example(self) -> str:
        """The wording asked most often (the earliest of equals)."""
        return Counter(r.question for r in self.rows).most_common(1)[0][0]

    @property
    def wordings(self) -> list[str]:
        """Each distinct wording once, in the order first asked."""
        return list(dict.fromkeys(r.question for r in self.rows))

    @property
    def refused(self) -> int:
        return sum(not r.answered for r in self.rows)

    @property
    def rated_down(self) -> int:
        return sum(r.rating == "down" for r in self.rows)

    @property
    def answered_share(self) -> float:
        return sum(r.answered for r in self.rows) / len(self.rows)

    @property
    def last_asked(self) -> str:
        return max(r.asked_at for r in self.rows)


def _normal(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def group_questions(rows: list[LoggedQuestion], embedder: Embeds) -> list[QuestionGroup]:
    """``rows`` grouped by meaning, the most asked group first. Wordings that differ only in case and punctuation
    are embedded once."""
    by_wording: dict[str, list[LoggedQuestion]] = defaultdict(list)
    for row in rows:
        by_wording[_normal(row.question)].append(row)
    wordings = list(by_wording)
    if not wordings:
        return []
    vectors = embedder.embed([by_wording[w][0].question for w in wordings])
    vectors = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    sums: list[np.ndarray] = []  # per group, the sum of its wordings' vectors (its centroid's direction)
    members: list[list[str]] = []
    # Most asked wordings first, so that each group grows around its most common form.
    for n in sorted(range(len(wordings)), key=lambda i: -len(by_wording[wordings[i]])):
        vector = vectors[n]
        if sums:
            centroids = np.stack(sums)
            centroids /= np.maximum(np.linalg.norm(centroids, axis=1, keepdims=True), 1e-12)
            scores = centroids @ vector
            best = int(np.argmax(scores))
            if scores[best] >= SAME_QUESTION:
                sums[best] = sums[best] + vector
                members[best].append(wordings[n])
                continue
        sums.append(vector.copy())
        members.append([wordings[n]])
    groups = [QuestionGroup(sorted((r for w in words for r in by_wording[w]), key=lambda r: r.id)) for words in members]
    return sorted(groups, key=lambda g: (-g.count, g.example))


def failed(rows: list[LoggedQuestion]) -> list[LoggedQuestion]:
    """The questions the reports did not answer, or whose answer the reader rated down."""
    return [r for r in rows if not r.answered or r.rating == "down"]


@dataclass
class Day:
    day: str  # YYYY-MM-DD
    questions: int
    answer_rate: float
    thumbs_up_share: float | None  # of the answers rated that day; None when none was


def by_day(rows: list[LoggedQuestion]) -> list[Day]:
    days: dict[str, list[LoggedQuestion]] = defaultdict(list)
    for row in rows:
        days[row.asked_at[:10]].append(row)
    result = []
    for day, asked in sorted(days.items()):
        rated = [r.rating for r in asked if r.rating]
        result.append(Day(day, len(asked), sum(r.answered for r in asked) / len(asked),
                          rated.count("up") / len(rated) if rated else None))
    return result


@dataclass
class CitedReport:
    doc_id: str
    title: str  # as it was when last quoted
    times_cited: int  # answers that quoted it
    share_of_answers: float


def cited_reports(rows: list[LoggedQuestion]) -> list[CitedReport]:
    counts: Counter[str] = Counter()
    titles: dict[str, str] = {}
    for row in rows:
        for cited in row.cited:
            counts[cited["doc_id"]] += 1
            titles[cited["doc_id"]] = cited["title"]
    answered = sum(r.answered for r in rows) or 1
    return [CitedReport(doc, titles[doc], n, n / answered) for doc, n in sorted(counts.items(), key=lambda x: (-x[1], x[0]))]


MAX_SLUG_CHARS = 60


def gold_rows(group: QuestionGroup, prefix: str) -> list[dict]:
    """The group's wordings as gold questions for `qa eval` (``id, question, answerable``): unanswerable, as the
    reports stand; staff change ``answerable`` and add ``answers`` once a report covers it."""
    # The id names the export file too: a reader's one long "word" must not make it longer than a file name may be.
    slug = "-".join(_normal(group.example).split()[:6])[:MAX_SLUG_CHARS] or "question"
    return [{"id": f"{prefix}-{slug}-{n}", "question": q, "answerable": False}
            for n, q in enumerate(group.wordings, start=1)]
