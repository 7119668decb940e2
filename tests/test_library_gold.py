"""eval/library-gold.jsonl: every gold answer is the words of the report it must come from. And the shared library's
19 federal reports (1,600 pages) read by our reader, page numbers and all.

Gold answers are matched against pypdf's plain text (``page.extract_text()``), not our reader's cleaned text, so that
the gold set stays a fixed yardstick while the reader changes: a reader that loses words must show as a worse
`qa eval`, never as gold answers "not in their report" to be edited until they suit it. That reason stands; reading
the pages twice does not follow from it. Our reader's first pass over a page (ingest/layout.py) *is* that plain
text: ``extract_text`` with a visitor, whose runs joined are exactly the text it returns. So each federal report is
read once, by our reader, and the plain text of its first pass is the yardstick (the gold check took 60-70 s of CPU
in a whole run, 2 s now); ``test_the_yardstick_is_pypdfs_own_plain_text`` compares it with pypdf's own on a page of
each report, so a reader that stopped reading pages that way would fail there, not quietly move the yardstick. The
few other reports of the gold set are read by pypdf directly. Answers are matched the way `qa eval` matches them,
after mending words hyphenated across lines.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from pypdf import PdfReader

import ingest.pdf
from conftest import ROOT, SHARED
from ingest.formats import read_document
from ingest.layout import read_page_layout
from ingest.models import Document, Passage
from ingest.pipeline import report_files
from ingest.splitting import split_passages
from qa.evaluation import contains_answer, load_gold

LIBRARY_GOLD = ROOT / "eval" / "library-gold.jsonl"
FEDERAL = SHARED / "data" / "reports" / "us-federal"
LIBRARY = [FEDERAL, SHARED / "data" / "pdfs" / "pdfplumber-tests" / "tests" / "pdfs"]
KINDS = {"named": 25, "latest": 12, "table": 12, "across": 10, "followup": 10, "plain": 15, "unanswerable": 15, "form": 5}

# slow: reads the library's real PDFs, hundreds of pages
pytestmark = [pytest.mark.slow, pytest.mark.skipif(not all(d.is_dir() for d in LIBRARY), reason=f"the report library is not at {SHARED / 'data'}")]
# "retire-\nment" is one word; a hyphen kept at a line break ("high-\nvalue") is dropped by the matcher anyway.
_BROKEN_WORD = re.compile(r"(\w)[-\u00ad]\s*\n\s*(?=\w)")


def pdf_path(name: str) -> Path:
    found = [d / name for d in LIBRARY if (d / name).is_file()]
    assert found, f"{name} is in none of {LIBRARY}"
    return found[0]


@dataclass
class Read:
    """A report as our reader read it, with pypdf's plain text of each of its pages from the reader's first pass."""

    doc: Document
    passages: list[Passage]
    plain: list[str]


@pytest.fixture(scope="module")
def federal() -> dict[str, Read]:
    """Each federal report read once by our reader, in this process (ReadingWorker's process would keep the plain
    text to itself; the worker reads the ~150 PDFs of tests/test_shared_data.py)."""
    plain: dict[tuple[int, int], str] = {}  # by the page's object number: a retry with raised limits reads it again

    def recording(page):
        layout = read_page_layout(page)
        plain[page.indirect_reference.idnum, page.indirect_reference.generation] = layout.text()
        return layout

    files, _ = report_files([FEDERAL])
    reads = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(ingest.pdf, "read_page_layout", recording)
        for path in files:
            doc = read_document(path)
            reads[path.name] = Read(doc, split_passages(doc), list(plain.values()))
            plain.clear()
    return reads


@pytest.fixture(scope="module")
def gold():
    return load_gold(LIBRARY_GOLD)


def test_every_federal_report_is_read_with_page_numbers(federal):
    files, skipped = report_files([FEDERAL])
    assert len(files) == 19 and not skipped
    for name, read in federal.items():
        assert read.doc.pages and read.doc.pages[0].number >= 1, name
        assert read.passages, name
    assert sum(max(p.number for p in read.doc.pages) for read in federal.values()) > 1500


def test_the_yardstick_is_pypdfs_own_plain_text(federal):
    for name, read in federal.items():
        pages = PdfReader(FEDERAL / name).pages
        middle = len(pages) // 2
        assert len(read.plain) == len(pages), name
        assert read.plain[middle] == (pages[middle].extract_text() or ""), f"{name}, page {middle + 1}"


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


def test_gold_answers_are_the_words_of_their_reports(gold, federal):
    @cache
    def pdf_text(name: str) -> str:
        pages = (federal[name].plain if name in federal
                 else [page.extract_text() or "" for page in PdfReader(pdf_path(name)).pages])
        return _BROKEN_WORD.sub(r"\1", "\n".join(pages))

    wrong = []
    for q in gold:
        texts = [pdf_text(d) for d in q.docs] or [pdf_text(p.name) for d in LIBRARY[:1] for p in sorted(d.glob("*.pdf"))]
        wrong += [f"{q.id}: {a!r} is not in {q.docs or 'the library'}" for a in q.answers
                  if not any(contains_answer(t, [a]) for t in texts)]
        if q.across:
            wrong += [f"{q.id}: {doc} holds none of the answers" for doc, text in zip(q.docs, texts)
                      if not contains_answer(text, q.answers)]
    assert not wrong, "\n".join(wrong)
