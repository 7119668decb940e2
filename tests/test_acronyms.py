"""A reader abbreviates what a report writes in full ("the AQI" for "the Air Quality Index"): the question is read
with the acronym spelled out as the passages nearest it spell it, with the real model, FAISS and SQLite."""
from __future__ import annotations

import pytest

from small_library import small_library

AIR = """---
title: Harlow Valley Air Quality Annual Report 2022
date: 2023-03-16
---

# The year in review

The valley had 18 days with the Air Quality Index above 100 in 2022, fewer than in any year since monitoring began.

Ozone exceeded the federal 8-hour standard on 15 days, most of them during the August heat wave.

# Enforcement

The District issued 143 notices of violation and collected civil penalties of $655,000.
"""

WATER = """---
title: Protocol WQ-07 Dissolved Oxygen in Streams
date: 2023-04-15
---

# Holding time

Fixed Winkler samples must be titrated within 6 hours of collection.
"""


@pytest.mark.slow
def test_an_acronym_no_report_holds_is_read_as_the_report_spells_it(tmp_path, embedder):
    pipeline = small_library(tmp_path, embedder, {"air-2022.md": AIR, "wq-07.md": WATER})
    answer = pipeline.ask("On how many days was the AQI above 100 in 2022?")
    assert not answer.abstained and "18 days with the Air Quality Index above 100" in answer.answer, answer.answer
    assert answer.question == "On how many days was the AQI above 100 in 2022?"  # the reader's words, as asked
    # a code (letters with digits) is no acronym: one no report holds is refused
    assert pipeline.ask("What was the PM10 average in 2022?").answer == "No report mentions PM10."
