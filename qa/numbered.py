"""Numbered parts of a report: "the first strategic goal", "finding 2", "the third recommendation".

Strategic plans, dialogues' key findings and reviews' recommendations print their items as numbered headings
("1. Healthcare" over "Protect and Strengthen Equitable Access to ...", "Finding 2: ..."), whose words are the
answer. Search cannot find a heading by its number, nor the reader quote one: this module reads which item a
question asks for and recognises the heading that numbers it.
"""
from __future__ import annotations

import re
from functools import lru_cache

from ingest.splitting import HEADINGS_IN_A_ROW
from ingest.text import stems

from .ordinals import ORDINAL_PATTERN, ORDINALS

# What reports number as items of a series; "the first quarter" or "the first time" asks for no item.
_ITEMS = (r"goals?|objectives?|priorit(?:y|ies)|findings?|recommendations?|principles?|pillars?|themes?|"
          r"strateg(?:y|ies)|initiatives?|outcomes?|lessons?|takeaways?|questions?|chapters?|sections?|parts?")
_ASKED = re.compile(
    # "the first two goals" asks for a list, not an item.
    rf"\b(?P<word>{ORDINAL_PATTERN})\s+(?!(?:two|three|four|five|six|few)\b)(?:[\w-]+\s+){{0,2}}?(?P<item>{_ITEMS})\b"
    rf"|\b(?P<item2>{_ITEMS})\s+(?:no\.?\s*|number\s+|#)?(?P<num>\d{{1,2}})\b",
    re.IGNORECASE,
)


# "What are the strategic goals of HHS?", "List the report's recommendations": every item, in order.
_ASKED_ALL = re.compile(
    rf"^\s*(?:(?:what|which)\s+(?:are|were)\b|list\b|name\b)[^?]*?\b(?P<items>{_ITEMS})\b", re.IGNORECASE)


def asked_items(question: str) -> str | None:
    """The item noun (singular) when ``question`` asks for every numbered item of a kind ("What are the strategic
    goals of HHS?": "goal")."""
    match = _ASKED_ALL.search(question)
    plural = match and match["items"].lower()
    return _singular(plural) if plural and plural.endswith("s") else None


# "What is DOT's safety goal?", "What was the Labor Department's goal for statistics?", "Which goal of the Department
# of Commerce covers climate?": one item, named by its subject rather than its number.
_ASKED_BY_SUBJECT = re.compile(rf"^\s*(?:what|which)(?:\s+(?:is|was)\b[^?]*?|'s\b[^?]*?|\s+(?:[\w-]+\s+)?)\b(?P<item>{_ITEMS})\b",
                               re.IGNORECASE)


def asked_item_by_subject(question: str) -> str | None:
    """The item noun when ``question`` asks what one item of a report's numbered series is, by its subject: "goal" for
    "What is DOT's safety goal?". None when it asks by number or for every item."""
    match = _ASKED_BY_SUBJECT.search(question)
    if not match or match["item"].lower().endswith("s") or asked_item(question) or asked_items(question):
        return None
    return match["item"].lower()


def first_numbered(headings: list[str], item: str, most: int = 20) -> list[int]:
    """Positions in ``headings`` of the first heading numbering each of items 1 to ``most`` of a kind, in the
    strongest way any heading numbers one (numbers_item), gaps allowed: a text layer can lose a heading (one plan's
    goal 1)."""
    firsts: dict[int, dict[int, int]] = {1: {}, 2: {}}  # strength -> item number -> position
    for i, heading in enumerate(headings):
        for n, strength in _numbers(heading, item).items():
            if n <= most:
                firsts[strength].setdefault(n, i)
    return sorted((firsts[2] or firsts[1]).values())


def on_subject(headings: list[str], subject: dict[str, float]) -> int | None:
    """The position of the one heading whose words carry most of ``subject`` (stemmed words, with their weights),
    when it carries some and no other heading as much: "1. Safety" for the subject {"safeti": ...}."""
    scores = [sum(subject.get(t, 0.0) for t in set(stems(h))) for h in headings]
    best = max(scores, default=0.0)
    return scores.index(best) if best > 0 and scores.count(best) == 1 else None


def asked_item(question: str) -> tuple[int, str] | None:
    """(position, item noun) of the numbered item ``question`` asks for: (1, "goal") for "the first strategic goal",
    (2, "finding") for "finding 2"."""
    match = _ASKED.search(question)
    if not match:
        return None
    if match["num"]:
        return int(match["num"]), _singular(match["item2"])
    return ORDINALS[match["word"].lower()], _singular(match["item"])


def _singular(noun: str) -> str:
    noun = noun.lower()
    return noun[:-3] + "y" if noun.endswith("ies") else noun.rstrip("s")


# Items a plan or a book numbers as its top-level headings without naming them ("1. Healthcare" is goal 1, whose
# objectives are "1.1.", "1.2."; "2. Background" is section 2). A report's first numbered heading is no objective,
# finding, step or recommendation unless it says so.
_TOP_LEVEL = frozenset("goal priority chapter section part".split())


def numbers_item(heading: str, n: int, item: str) -> int:
    """How a heading numbers item ``n``: 2 when it names the item too ("Strategic Goal 1: ...", "Finding 1."), 1 when
    it is the top-level heading numbered ``n`` ("1. Healthcare", not "1.1. Choice") and the item one that reports
    number so, 0 otherwise. Headings read together count each ("Equity — 1. Climate Change": a heading left at the
    foot of the page before heads the goal's)."""
    return _numbers(heading, item).get(n, 0)


@lru_cache(maxsize=8192)  # a report's headings repeat over its passages, and are read item number by item number
def _numbers(heading: str, item: str) -> dict[int, int]:
    """The item numbers ``heading`` gives, each with how it numbers it (numbers_item)."""
    named = re.compile(rf"^(?:[A-Z][\w-]*\s+){{0,2}}?{re.escape(item)}s?\s+(\d+)\b(?![.,]\d)", re.IGNORECASE)
    numbers: dict[int, int] = {}
    for part in heading.split(HEADINGS_IN_A_ROW):
        if m := named.match(part):
            numbers[int(m[1])] = 2
        elif item in _TOP_LEVEL and (m := _BARE_NUMBER.match(part)):
            numbers.setdefault(int(m[1]), 1)
    return numbers


_BARE_NUMBER = re.compile(r"^(\d+)(?:[.):]|\s+[A-Z])(?!\d)")


def numbered_headings(headings: list[str], item: str, n: int | None = None) -> list[int]:
    """Positions in ``headings`` (in document order) of item ``n``, or with ``n`` None of items 1, 2, 3, ... each
    after the one before, as long as they run (at least two). Headings naming the item ("Goal 1:") are taken when
    item 1 has one; else the top-level numbered ones."""
    first = [numbers_item(h, n or 1, item) for h in headings]
    strength = max(first, default=0)
    if strength == 0:
        return []
    if n is not None:
        return [first.index(strength)]
    found, at = [], -1
    for k in range(1, len(headings) + 1):
        at = next((i for i in range(at + 1, len(headings)) if numbers_item(headings[i], k, item) == strength), None)
        if at is None:
            break
        found.append(at)
    return found if len(found) >= 2 else []
