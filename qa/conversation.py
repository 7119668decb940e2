"""Follow-up questions: decide when a question leans on the conversation, and what it refers to.

"What about the second one?" after a list answer means that list's second item;
"What can it facilitate?" or "What about Japan?" means the earlier question's topic.
A question that stands on its own is answered on its own, so an old topic never leaks in.
"""
from __future__ import annotations

import re

from ingest.text import content_words

from .ordinals import ORDINAL_PATTERN, ORDINALS

_ORDINAL_REFERENCE = re.compile(
    rf"\b(?:the\s+)?(?P<word>{ORDINAL_PATTERN}|last)\s+"
    r"(?:one|item|point|takeaway|finding|obstacle|reason|area|step|recommendation|thing)s?\b"
    r"|\b(?:number|item|point|no\.?)\s*(?P<num>\d{1,2})\b",
    re.IGNORECASE,
)
# Demonstratives such as "this" and "that" are left out: they mostly start a noun phrase that stands on its own.
_PRONOUN = re.compile(r"\b(?:it|its|they|them|their|theirs|these|those|he|him|his|she|her)\b", re.IGNORECASE)
_CONTINUATION = re.compile(r"^\s*(?:and|but|also|so|then|what about|how about|and what about|what else|why|how so)\b", re.IGNORECASE)
_WORD = re.compile(r"\w+")


def ordinal_reference(question: str) -> int | None:
    """The list position a question points at: 2 for "the second one", -1 for "the last one"."""
    match = _ORDINAL_REFERENCE.search(question)
    if not match:
        return None
    if match["num"]:
        return int(match["num"])
    word = match["word"].lower()
    return -1 if word == "last" else ORDINALS[word]


def leans_on_history(question: str) -> bool:
    """Does the question need the earlier turns to make sense?"""
    if ordinal_reference(question) is not None or _CONTINUATION.search(question):
        return True
    words = _WORD.findall(question)
    # "What was the target?": one word of substance says what is asked, not of what.
    return bool(_PRONOUN.search(question)) or len(words) <= 3 or len(content_words(question)) <= 1
