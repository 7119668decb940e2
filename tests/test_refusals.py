"""Refusals that help (issue 13 item 4): related passages only when related, the reports searched, a better scope."""
from __future__ import annotations

import shutil

import pytest

from ingest.pipeline import add_files
from qa.pipeline import QAPipeline
from qa.refusals import holds_prose

pytestmark = pytest.mark.slow

HARBOUR = """\
---
title: Harbour Survey 2023
publisher: Tidewater Foundation
date: 2023-05-01
---

Harbour Survey 2023

The harbour survey was funded by the Tidewater Foundation and carried out by the port authority of Westhaven.

It counted 412 fishing boats in the northern ports and found that the quay of Westhaven is too short for modern ships.
"""


@pytest.fixture(scope="module")
def library(tmp_path_factory, seed_index, embedder):
    """The seed report and a short survey of harbours: two reports on unrelated subjects."""
    folder = tmp_path_factory.mktemp("refusals")
    index = folder / "index"
    shutil.copytree(seed_index, index, ignore=shutil.ignore_patterns(".lock"))
    (folder / "reports").mkdir()
    (folder / "reports" / "harbour-survey.txt").write_text(HARBOUR)
    (added,) = add_files([folder / "reports"], index, embedder=embedder, progress=False)
    pipeline = QAPipeline(index, embedder)
    seed = next(d.id for d in pipeline.index.documents() if d.id != added.doc_id)
    return pipeline, seed, added.doc_id


def test_a_question_scoped_to_the_wrong_report_suggests_the_one_that_answers(library):
    pipeline, seed, harbour = library
    answer = pipeline.ask("How many fishing boats did the harbour survey count?", reports=[seed])
    assert answer.abstained and answer.reports_searched == 1
    assert answer.suggestion is not None and answer.suggestion.searched == "all"
    assert [r.doc_id for r in answer.suggestion.reports] == [harbour]
    assert answer.suggestion.reports[0].title == "Harbour Survey 2023"
    unscoped = pipeline.ask("How many fishing boats did the harbour survey count?")
    assert not unscoped.abstained and "412 fishing boats" in unscoped.answer  # the suggestion holds


def test_an_unscoped_refusal_whose_related_passages_share_a_report_suggests_it(library):
    pipeline, seed, _ = library
    answer = pipeline.ask("Why did the Japanese space agency cut its budget?")
    assert answer.abstained and answer.reports_searched == 2
    assert answer.related and {c.doc_id for c in answer.related} == {seed}
    assert answer.suggestion.searched == "only" and [r.doc_id for r in answer.suggestion.reports] == [seed]


def test_an_off_topic_refusal_lists_nothing_and_suggests_nothing(library):
    pipeline, _, _ = library
    answer = pipeline.ask("Which team won Super Bowl 50?")
    assert answer.abstained and answer.related == [] and answer.suggestion is None and answer.reports_searched == 2


def test_header_lines_are_never_related(library):
    pipeline, seed, _ = library
    header = pipeline.index.document_passages(seed)[0]  # the seed's title, venue and time lines
    assert not holds_prose(header)
    assert all(holds_prose(p) for p in pipeline.index.document_passages(seed)[2:])
