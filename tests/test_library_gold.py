"""eval/library-gold.jsonl: every gold answer is the words of the report it must come from.

The PDFs' text is read with pypdf directly, not with our reader, so the gold set stays a fixed yardstick while the
reader changes: answers are matched the way `qa eval` matches them, after mending words hyphenated across lines.
"""
from __future__ import annotations

import re
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import ROOT, SHARED
from qa.evaluation import contains_answer, load_gold

LIBRARY_GOLD = ROOT / "eval" / "library-gold.jsonl"
LIBRARY = [SHARED / "data" / "reports" / "us-federal", SHARED / "data" / "pdfs" / "pdfplumber-tests" / "tests" / "pdfs"]
KINDS = {"named": 25, "latest": 12, "table": 12, "across": 10, "followup": 10, "plain": 15, "unanswerable": 15, "form": 5}

# slow: reads the library's real PDFs, hundreds of pages
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not all(d.is_dir() for d in LIBRARY), reason=f"the report library is not at {SHARED / 'data'}")]
# "retire-\nment" is one word; a hyphen kept at a line break ("high-\nvalue") is dropped by the matcher anyway.
_BROKEN_WORD = re.compile(r"(\w)[-\u00ad]\s*\n\s*(?=\w)")


def pdf_path(name: str) -> Path:
    found = [d / name for d in LIBRARY if (d / name).is_file()]
    assert found, f"{name} is in none of {LIBRARY}"
    return found[0]


@cache
def pdf_text(name: str) -> str:
    text = "\n".join(page.extract_text() or "" for page in PdfReader(pdf_path(name)).pages)
    return _BROKEN_WORD.sub(r"\1", text)


@pytest.fixture(scope="module")
def gold():
    return load_gold(LIBRARY_GOLD)


def test_the_gold_set_has_every_kind_of_question(gold):
    kinds = Counter(q.kind for q in gold)
    assert len(gold) >= 130
    assert set(kinds) == set(KINDS)
    for kind, least in KINDS.items():
        assert kinds[kind] >= least, f"only {kinds[kind]} {kind} questions"
    assert len({q.id for q in gold}) == len(gold), "ids are unique"
    for q in gold:
        assert q.answerable == bool(q.answers) == (q.kind != "unanswerable"), q.id
        assert bool(q.history) == (q.kind == "followup"), q.id
        assert q.across == (q.kind == "across"), q.id
        if q.across:
            assert len(q.docs) >= 2 and len(set(q.docs)) == len(q.docs), q.id
        assert not (q.kind == "unanswerable" and q.docs), f"{q.id}: no report answers it, so none is named"


def test_gold_answers_are_the_words_of_their_reports(gold):
    wrong = []
    for q in gold:
        texts = [pdf_text(d) for d in q.docs] or [pdf_text(p.name) for d in LIBRARY[:1] for p in sorted(d.glob("*.pdf"))]
        wrong += [f"{q.id}: {a!r} is not in {q.docs or 'the library'}" for a in q.answers
                  if not any(contains_answer(t, [a]) for t in texts)]
        if q.across:
            wrong += [f"{q.id}: {doc} holds none of the answers" for doc, text in zip(q.docs, texts)
                      if not contains_answer(text, q.answers)]
    assert not wrong, "\n".join(wrong)
