"""Numbered parts of a report: "the first strategic goal", "finding 2", "the third recommendation".

Strategic plans, dialogues' key findings and reviews' recommendations print their items as numbered headings
("1. Healthcare" over "Protect and Strengthen Equitable Access to ...", "Finding 2: ..."), whose words are the
answer. Search cannot find a heading by its number, nor the reader quote one: this module reads which item a
question asks for and recognises the heading that numbers it.
"""
from __future__ import annotations

import re

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
    number so, 0 otherwise."""
    named = re.match(rf"^(?:[A-Z][\w-]*\s+){{0,2}}?{re.escape(item)}s?\s+{n}\b(?![.,]\d)", heading, re.IGNORECASE)
    if named:
        return 2
    return 1 if item in _TOP_LEVEL and re.match(rf"^{n}(?:[.):]|\s+[A-Z])(?!\d)", heading) else 0


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
