"""CSV that is safe to open in a spreadsheet: readers write the questions and comments exported, and a spreadsheet
runs a cell that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return as a formula (OWASP "CSV
injection"). Such a cell gets a leading single quote, as OWASP advises; numbers are left as they are."""
from __future__ import annotations

import csv
from typing import Iterable, TextIO

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(cell):
    return "'" + cell if isinstance(cell, str) and cell.startswith(_FORMULA_STARTS) else cell


def write_csv(out: TextIO, header: Iterable[str], rows: Iterable[Iterable]) -> int:
    """``header`` then ``rows`` as CSV, every text cell made inert; returns how many rows."""
    writer = csv.writer(out)
    writer.writerow([inert(h) for h in header])
    n = 0
    for row in rows:
        writer.writerow([inert(cell) for cell in row])
        n += 1
    return n
