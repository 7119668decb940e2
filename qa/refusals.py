"""Refusals that help: which passages are worth showing as related, and when another scope would answer.

A passage is shown as "possibly related" only when the confidence model (qa/pipeline.py) gives its best sentence
at least RELATED_FLOOR, fitted by bench/calibrate.py so that questions about something else entirely list none;
and only when it holds prose: a cover's title and date lines or a block of headings say nothing of a question.
"""
from __future__ import annotations

import re

from ingest.index import StoredPassage

from .lists import TERMINAL

RELATED_MAX = 3
# Evidence (the confidence of a passage's best sentence) a related passage needs; bench/calibrate.py prints, per
# floor, the share of off-topic refusals that list nothing and of answerable ones that list the answer's passage.
RELATED_FLOOR = 0.1  # below ABSTAIN_BELOW (qa/pipeline.py): a refusal may still have related passages
MIN_PROSE_WORDS = 6
_WORD = re.compile(r"\w+")


def holds_prose(passage: StoredPassage) -> bool:
    """Does the passage hold at least one sentence of prose (words ending in a full stop), not only lines of a
    cover, a heading block or a form?"""
    if passage.table is not None:
        return True  # a table row is evidence of its own, shown under its header
    for start, end in passage.sentence_spans:
        sentence = passage.text[start:end]
        if len(_WORD.findall(sentence)) >= MIN_PROSE_WORDS and TERMINAL.search(sentence):
            return True
    return False
