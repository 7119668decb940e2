"""Find the tables of a PDF page, and keep their text out of the page's prose.

A table is found in pypdf's layout-mode text (``extract_text(extraction_mode="layout")``), which keeps
every text run at its horizontal position: cells of a row lie on one line, separated by runs of spaces,
and the cells of a column start at the same place line after line. A table here is a run of lines
with figures in aligned columns; tables without figures (lists of milestones) stay prose, as do
diagrams. Layout mode costs about a third as much as pypdf's plain extraction again (the content stream is parsed
once for both: ingest/layout.py), so it is run only on pages whose plain text has lines holding several figures
(``may_hold_table``).

A row is one retrievable unit: its cells in order, with the header above its columns. A cell that
wraps over several lines (a measure's long name) is put back together: when blank lines separate the
rows of a table, all lines between two blank lines form one row; otherwise a line without figures
continues the row above it.
"""
from __future__ import annotations

import logging
import re
from collections import Counter
from dataclasses import replace
from typing import Callable

from .blocks import Block, clean_line, is_bare_label
from .layout import Line
from .models import Table

TABLE = "table"  # the kind of a table's block among a page's blocks (ingest/blocks.py)

# A cell boundary in layout text: two spaces or more (one space separates the words of a cell).
_CELL = re.compile(r"\S+(?: \S+)*")
# A figure: digits with the signs, units and marks that go with them ("$1,234", "-3.5%", "≥76.8", "(12)", "4.2bn",
# "1.01%*"), or a date ("06/22/2015"). Not a number that ends a sentence ("in 2020.").
_FIGURE = re.compile(r"^[(≥≤<>~±+\-−]?[$€£]?\(?(?:\d[\d,.]*\d|\d|\.\d+|\d{1,4}[/-]\d{1,2}[/-]\d{2,4})(?:%|[kKmMbB]n?|\)%)?[)*†‡^]{0,2}$")
_WORD = re.compile(r"\S+")
MIN_ROWS = 2  # a single row of figures is a table only under a header
MAX_GAP_LINES = 8  # lines without figures between two rows of one table (wrapped cells, blank lines)
MAX_LINES_ABOVE = 8  # lines of header, and of the first row's wrapped cells, above its figures
MAX_BLANK_LINES = 2  # between a header and the first row
MAX_CELL_WORDS = 12  # on one line of a row; a longer run of words is prose (a page set in two columns)
INTRO_WORDS = 6  # a line of this many words ending in a colon introduces a table; a shorter one labels rows
# Lines that are one figure each: a table whose cells a report generator ends with a line break (ReportLab's
# paragraphs in cells), which pypdf's plain text then gives one per line.
LONE_FIGURES = 6
_YEAR = re.compile(r"^(?:19|20)\d\d$")
# A period heading a column of figures: "9M 2023", "H1 2024", "Q3 FY24", "FY 2022" (not "9M", nine million, alone).
_PERIOD_CELL = re.compile(r"^(?:Q[1-4]|H[12]|[1-9]M|1[0-2]M|FY|YTD)\s*(?:FY\s*)?'?(?:(?:19|20)\d\d|\d\d)$", re.IGNORECASE)
_UNIT_OF_FIGURES = re.compile(r"^\(?(?:[$£€¥]|US\$|A\$|C\$)\s?(?:000|'000|k|m|mn|bn|million|billion|thousands?)\)?$",
                              re.IGNORECASE)
_DATE = re.compile(r"^\d{1,4}[/-]\d{1,2}[/-]\d{2,4}$")
_TIME = re.compile(r"^(?:[01]?\d|2[0-3])[:.][0-5]\d$")


# Financial statements set the currency sign and the percent sign apart from the figure: "$ 17,516", "11 %".
_DETACHED_SIGNS = re.compile(r"(?<![\w$€£])([$€£])\s+(?=[\d(.])|(?<=[\d)])\s+(%)")


def _figures(text: str) -> int:
    return sum(1 for word in text.split() if _FIGURE.match(word))


# "$412.6 million": a figure and the scale it is counted in, one amount.
_SCALE = re.compile(r"(?<=\d)\s+(?:million|billion|thousand|trillion|bn|mn)\b", re.IGNORECASE)


# "389 days", "12 knots", "64.2 m": a figure and its unit, in lower case ("2 Analysis" is a numbered heading).
_UNIT = re.compile(r"(?<=\d)\s+[a-z]{1,10}$")


def _is_figure_cell(cell: str) -> bool:
    """A cell that is figures only ("$1,234", "$ 17,516", "(9)%", "11 %", "$412.6 million", "389 days")."""
    joined = _UNIT.sub("", _SCALE.sub("", _DETACHED_SIGNS.sub(lambda m: m.group(1) or m.group(2), cell)))
    return _figures(joined) == len(joined.split())


def may_hold_table(plain_text: str) -> bool:
    """Cheap test on pypdf's plain text: two lines or more that each hold two figures or more, or LONE_FIGURES lines
    that are a figure and nothing else, but for a chart's axis (figures in even steps, one per line) and a count
    (a transcript's line numbers, each one more than the last)."""
    rows, lone, run, last = 0, 0, [], None
    for line in [*plain_text.split("\n"), ""]:
        figures = _figures(line) or int(bool(_TIME.match(line.strip())))  # an agenda's times: a table of words
        if figures == 1 and len(line.split()) == 1 and not _DATE.match(line.strip()):  # a form's dates are no table
            value = _value(line)
            if last is None or value is None or value != last + 1:
                run.append(value)
            last = value
            continue
        if len(run) < 3 or not _even_steps(run):
            lone += len(run)
        run = []
        rows += figures >= 2
        if rows >= 2 or lone >= LONE_FIGURES:
            return True
    return False


def _value(figure: str) -> float | None:
    try:
        return float(re.sub(r"[^\d.\-]", "", figure))
    except ValueError:
        return None


def _even_steps(values: list[float | None]) -> bool:
    """Whether the figures of consecutive lines go up or down in equal steps: the ticks of a chart's axis."""
    if None in values:
        return False
    steps = {round(b - a, 6) for a, b in zip(values, values[1:])}
    return len(steps) == 1 and steps != {0}


# A currency sign set in a column of its own ("$    49,358"): layout mode keeps the gap, which would part the sign
# from its figure as two cells, and two columns that a header's date spans.
_SIGN_GAP = re.compile(r"(?<!\S)([$€£])( {2,})(?=[\d(])")


class _Line:
    def __init__(self, text: str):
        # The sign moves up to its figure; the line keeps its length, so the columns stay where they were.
        text = _SIGN_GAP.sub(lambda m: " " * (len(m[2]) - 1) + m[1] + " ", text)
        self.cells = [(m.start(), m.end(), m.group()) for m in _CELL.finditer(text)]
        self.blank = not self.cells
        # A data line: short cells side by side, one of them a figure (a row of the table proper, not a wrapped
        # cell; not two columns of prose either). Years alone head columns ("City | Country | 2017 | 2021"): a header.
        figures = [c for _, _, c in self.cells if _is_figure_cell(c)]
        # The unit of the figures, in the label column ("£000 | 2024 | 2025"), is no figure of a row.
        self.years = len(figures) >= 2 and all(_YEAR.match(c) or _PERIOD_CELL.match(c) or _UNIT_OF_FIGURES.match(c)
                                               for c in figures) and any(_YEAR.match(c) or _PERIOD_CELL.match(c) for c in figures)
        self.data = (len(self.cells) >= 2 and all(len(c.split()) <= MAX_CELL_WORDS for _, _, c in self.cells)
                     and bool(figures) and not self.years)


def page_tables(page, plain_text: str) -> list[Table]:
    """The tables of a pypdf page whose plain text is ``plain_text``; [] when layout mode fails on it."""
    if not may_hold_table(plain_text):
        return []
    pypdf_log = logging.getLogger("pypdf")
    level = pypdf_log.level
    # Layout mode's own warnings ("rotated text ... output will be incomplete") are about this second
    # reading only: they are not the file's problems, so staff are not told of them.
    pypdf_log.setLevel(logging.ERROR)
    try:
        return find_tables(_layout_text(page))
    except Exception:  # noqa: BLE001 - a page layout mode cannot read keeps its text as prose
        return []
    finally:
        pypdf_log.setLevel(level)


def _layout_text(page) -> str:
    """``page.extract_text(extraction_mode="layout")``, on the operations the page's first reading parsed when it left
    them on the page (ingest/layout.py, contents_parsed_once): pypdf's layout mode would parse the content stream
    again, since it makes a ContentStream of its own from whatever /Contents holds. The steps are those of pypdf's
    ``PageObject._layout_mode_text`` with extract_text's defaults; a pypdf without them reads the page itself."""
    from pypdf.generic import ContentStream

    contents = page.get("/Contents")
    contents = contents.get_object() if contents is not None else None
    try:
        from pypdf._text_extraction import _layout_mode
        fonts = page._layout_mode_fonts
    except (ImportError, AttributeError):  # another pypdf: its own layout mode, parsing again
        _layout_mode = None
    if _layout_mode is None or not isinstance(contents, ContentStream) or contents.forced_encoding != "bytes":
        return page.extract_text(extraction_mode="layout")
    bt_groups = _layout_mode.text_show_operations(iter(contents.operations), fonts(), True, None)
    if not bt_groups:
        return ""
    lines = _layout_mode.y_coordinate_groups(bt_groups, None)
    return _layout_mode.fixed_width_page(lines, _layout_mode.fixed_char_width(bt_groups, 1.25), True, 1)


def find_tables(layout_text: str) -> list[Table]:
    """The tables in one page's layout-mode text, top to bottom; a page set in two columns, its left column's then
    its right column's: layout mode sets their lines side by side, which would read as the cells of one row."""
    texts = layout_text.split("\n")
    gutter = _gutter(texts)
    if gutter is None:
        return _tables_in([_Line(text) for text in texts])
    at, first, last = gutter
    left = [text[:at] if first <= k <= last else text for k, text in enumerate(texts)]
    right = [" " * at + text[at:] if first <= k <= last else "" for k, text in enumerate(texts)]
    return _tables_in([_Line(text) for text in left]) + _tables_in([_Line(text) for text in right])


# A page in two columns: lines with words on both sides of one gap (a gutter), this many and this share of the page's.
GUTTER_LINES = 8
GUTTER_SHARE = 0.3
GUTTER_WORDS = 3  # words of prose on each side of it, on such a line


def _gutter(texts: list[str]) -> tuple[int, int, int] | None:
    """Where a page set in two columns parts them, and the first and last lines set so: a place in the middle half of
    the page that no words cross, on enough lines in a row, with prose on both sides on enough of them (a heading or
    a table over the page's width ends the columns). A table's columns of figures part its rows too, but not prose."""
    lines = [[(m.start(), m.end(), m.group()) for m in _CELL.finditer(text)] for text in texts]
    filled = sum(1 for cells in lines if cells)
    width = max((cells[-1][1] for cells in lines if cells), default=0)
    best: tuple[int, int, int, int] = (0, 0, 0, 0)  # prose lines, place, first line, last line
    for x in range(width // 4, 3 * width // 4):
        prose, first = 0, 0
        for k, cells in enumerate([*lines, [(0, width, "")]]):  # a line across the page ends the last run
            if any(start <= x < end for start, end, _ in cells):
                best = max(best, (prose, x, first, k - 1))
                prose, first = 0, k + 1
            elif _prose_run([cell for cell in cells if cell[0] < x]) and _prose_run([cell for cell in cells if cell[0] > x]):
                prose += 1
    prose, x, first, last = best
    return (x, first, last) if prose >= max(GUTTER_LINES, GUTTER_SHARE * filled) else None


def _prose_run(cells: list[tuple[int, int, str]]) -> bool:
    """One column's part of a line: a run of words, after an item's number or a bullet if any ("7.2 | Isolate the
    jockey pump"); a table's row has cells apart ("06/22/2015 | Maxim Integrated Product")."""
    if len(cells) == 2 and (_ITEM_NUMBER.match(cells[0][2]) or not cells[0][2][:1].isalnum()):
        cells = cells[1:]
    return len(cells) == 1 and len(re.findall(r"[^\W\d_]{2,}", cells[0][2])) >= GUTTER_WORDS


def _tables_in(lines: list[_Line]) -> list[Table]:
    width = max((c[1] for line in lines for c in line.cells), default=0)
    tables = []
    for run in _data_runs(lines, width):
        for rows in _split_at_headers(lines, _aligned(lines, run)):
            table = _table(lines, rows)
            if table is not None:
                tables.append((rows[0], table))
    # A table whose every cell stands under a header cell is read whole by its header: where it and one read by its
    # figures share a row, the figures' reading (which may join a row whose cost is "Owner action" to the one above) goes.
    words = _word_tables(lines)
    kept = [(at, t) for at, t in tables if not any(overlap(t, other) or overlap(other, t) for _, other in words)]
    return [table for _, table in sorted(kept + words, key=lambda found: found[0])]


# A table of words under a header ("Component | Rating | Notes" over "Spillway | Poor | Passes about 60% of ..."):
# no column of figures, but every cell of its rows starts where a cell of the header does.
WORD_COLUMNS = 3  # a header of two cells over two of words is as often a list set in two columns
HEADER_CELL_WORDS = 4


def _word_tables(lines: list[_Line]) -> list[tuple[int, Table]]:
    """The tables of words in ``lines``, each with the position of its header line."""
    tables, k = [], 0
    while k < len(lines):
        rows, end = _word_rows(lines, k)
        if rows:
            tables.append((k, Table(header=[clean_line(cell) for _, _, cell in lines[k].cells], rows=rows)))
        k = max(end, k + 1)
    return tables


def _word_rows(lines: list[_Line], k: int) -> tuple[list[list[str]], int]:
    """The rows under a header of words at line ``k``, and the line after the last; [] when no such table starts
    there. A line whose first column is empty continues the row above (a cell wrapping onto a second line)."""
    header = lines[k].cells
    if len(header) < WORD_COLUMNS or any(len(cell.split()) > HEADER_CELL_WORDS or not cell[:1].isupper()
                                         or cell.endswith(":") for _, _, cell in header):  # a form's labels head nothing
        return [], k
    starts = [start for start, _, _ in header]

    def column(start: int) -> int | None:
        return next((n for n, at in enumerate(starts) if abs(start - at) <= 1), None)

    rows: list[list[list[str]]] = []
    j = k + 1
    while j < len(lines):
        if lines[j].blank:
            # Rows may be parted by a blank line each ("09:00 | Welcome ...", a blank line, "09:20 | ..."); a row
            # starts after it, in the first column, or the table has ended.
            after = lines[j + 1] if j + 1 < len(lines) else None
            if after is None or after.blank or column(after.cells[0][0]) != 0 or len(after.cells) < 2:
                break
            j += 1
            continue
        places = [column(start) for start, _, _ in lines[j].cells]
        if None in places:
            break
        if places[0] == 0 and len(places) >= 2:
            rows.append([[] for _ in starts])
        elif not rows or 0 in places:
            break
        for n, (_, _, cell) in zip(places, lines[j].cells):
            rows[-1][n].append(cell)
        j += 1
    if len(rows) < 2:
        return [], k
    while lines[j - 1].blank:  # the table ends at its last row, not at the blank line after it
        j -= 1
    return [[clean_line(" ".join(parts)) for parts in row] for row in rows], j


def _is_prose(line: _Line, width: int) -> bool:
    """One cell across most of the page: a sentence or a heading, which ends a table."""
    return len(line.cells) == 1 and (line.cells[0][1] - line.cells[0][0]) > 0.55 * width


def _data_runs(lines: list[_Line], width: int) -> list[list[int]]:
    """The data lines of each run not parted by prose or a long gap."""
    runs: list[list[int]] = []
    for i, line in enumerate(lines):
        if not line.data:
            continue
        if runs and i - runs[-1][-1] <= MAX_GAP_LINES and not any(
                _is_prose(lines[j], width) for j in range(runs[-1][-1] + 1, i)):
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _figure_columns(lines: list[_Line], columns: list[tuple[int, int]]) -> list[set[int]]:
    """Per line, the columns in which it has a figure."""
    return [{_column_of(c, columns) for c in line.cells if _is_figure_cell(c[2])} for line in lines]


def _aligned(lines: list[_Line], run: list[int]) -> list[int]:
    """The data lines of ``run`` whose figures stand in a column of figures: a column where two lines or more
    have one. A line of one is a table only when it holds two figures or more (under a header, see _table)."""
    columns = _columns([lines[i] for i in run])
    figures = _figure_columns([lines[i] for i in run], columns)
    if len(run) == 1:
        return run if len(figures[0]) >= 2 else []
    counts = Counter(k for found in figures for k in found)
    kept = [i for i, found in zip(run, figures) if any(counts[k] >= 2 for k in found)]
    return kept if len(kept) >= 2 else []


def _split_at_headers(lines: list[_Line], data: list[int]) -> list[list[int]]:
    """``data`` (a run's aligned rows) cut where a header line stands between two rows: words over two columns
    of figures or more start another table ("Key Indicator – Employee Engagement | FY 2011 Baseline | ...")."""
    if len(data) < 2:
        return [data] if data else []
    columns = _columns([lines[i] for i in data])
    figure_columns = set().union(*_figure_columns([lines[i] for i in data], columns))
    groups = [[data[0]]]
    for before, after in zip(data, data[1:]):
        # Years heading columns start one too ("Activity | 2020 | 2021"), set flush with the figures or not.
        if any(lines[k].years or len({_column_of(c, columns) for c in lines[k].cells} & figure_columns) >= 2
               for k in range(before + 1, after) if not lines[k].blank):
            groups.append([])
        groups[-1].append(after)
    return groups


def _columns(lines: list[_Line]) -> list[tuple[int, int]]:
    """Column extents: horizontal ranges covered by cells of enough data lines. A cell that strays over a
    gutter on one line (glued figures) does not merge two columns."""
    cover: Counter[int] = Counter()
    for line in lines:
        for start, end, _ in line.cells:
            cover.update(range(start, end))
    needed = max(1, len(lines) // 5)
    columns, start = [], None
    for x in range(max(cover, default=-1) + 2):
        if cover[x] >= needed and start is None:
            start = x
        elif cover[x] < needed and start is not None:
            columns.append((start, x))
            start = None
    # Figures set in a proportional font drift left and right from line to line: two neighbouring extents that
    # no line fills both of are one column.
    merged = columns[:1]
    for a, b in columns[1:]:
        left = merged[-1]
        if not any(_overlaps(line, left) and _overlaps(line, (a, b)) for line in lines):
            merged[-1] = (left[0], b)
        else:
            merged.append((a, b))
    return merged


def _overlaps(line: _Line, extent: tuple[int, int]) -> bool:
    return any(start < extent[1] and end > extent[0] for start, end, _ in line.cells)


def _union(extents: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in sorted(extents):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def _column_of(cell: tuple[int, int, str], columns: list[tuple[int, int]]) -> int:
    start, end, _ = cell
    overlaps = [min(end, b) - max(start, a) for a, b in columns]
    best = max(range(len(columns)), key=lambda k: overlaps[k])
    if overlaps[best] > 0:
        return best
    middle = (start + end) / 2
    return min(range(len(columns)), key=lambda k: abs((columns[k][0] + columns[k][1]) / 2 - middle))


def _fits(line: _Line, columns: list[tuple[int, int]]) -> bool:
    """Whether ``line`` is a header's or a wrapped cell's, not prose across the table: its cells each sit in one
    column, but for the odd heading over several (a fourth of them at most)."""
    spanning = sum(1 for start, end, _ in line.cells if sum(1 for a, b in columns if start < b and end > a) > 1)
    return spanning <= len(line.cells) // 4


def _ends_sentence(line: _Line) -> bool:
    """A line of one cell that ends a sentence: prose above a table ("... are shown below.", "The following table
    shows revenue by segment (in millions):"), not its header ("Net sales:")."""
    text = line.cells[0][2] if len(line.cells) == 1 else ""
    return text.endswith((".", "!", "?")) or (text.endswith(":") and len(text.split()) >= INTRO_WORDS)


_ITEM_NUMBER = re.compile(r"^(?:\d{1,2}\.)*\d{1,2}\.?$")


def _numbered_list(rows: list[_Line]) -> bool:
    """Rows that are each an item's number and its words ("7.1 | Record the installation pressure", "7.2 | Isolate
    the jockey pump"), the numbers counting up: a procedure's numbered steps, not a table."""
    if any(len(row.cells) != 2 or not _ITEM_NUMBER.match(row.cells[0][2]) for row in rows):
        return False
    numbers = [row.cells[0][2].rstrip(".").split(".") for row in rows]
    return all(b[:-1] == a[:-1] and int(b[-1]) == int(a[-1]) + 1 for a, b in zip(numbers, numbers[1:]))


def _table(lines: list[_Line], data: list[int]) -> Table | None:
    first, last = data[0], data[-1]
    if _numbered_list([lines[i] for i in data]):
        return None
    columns = _columns([lines[i] for i in data])
    if len(columns) < 2:
        return None
    in_table = set(data)
    figure_columns = set().union(*_figure_columns([lines[i] for i in data], columns))
    # Above the first row: its wrapped cells and the header, lines whose cells each sit in one column; above a line
    # heading the columns of figures, a line with nothing over them is the table's title, not its header.
    top, above, blanks, headed = first, 0, 0, False
    while top > 0 and above < MAX_LINES_ABOVE and not lines[top - 1].data and _fits(lines[top - 1], columns) \
            and not _ends_sentence(lines[top - 1]):
        over_figures = any(_column_of(c, columns) in figure_columns for c in lines[top - 1].cells)
        if headed and not lines[top - 1].blank and not over_figures:
            break
        headed = headed or over_figures
        blanks = blanks + 1 if lines[top - 1].blank else 0
        if blanks > MAX_BLANK_LINES:
            break
        top -= 1
        above += not lines[top].blank
    while lines[top].blank:
        top += 1
    # Years heading the columns are set where the figures are, though not always flush with them (left above
    # figures set right): their places count for the columns too.
    years = [line for line in lines[top:first] if line.years]
    if years:
        columns = _columns([lines[i] for i in data] + years)
        figure_columns = set().union(*_figure_columns([lines[i] for i in data], columns))
    # Below the last row: its wrapped cells.
    bottom = last
    while bottom + 1 < len(lines) and bottom - last < MAX_LINES_ABOVE // 2 and not lines[bottom + 1].blank \
            and not lines[bottom + 1].data and _fits(lines[bottom + 1], columns):
        bottom += 1
    chosen = [line for k, line in enumerate(lines[top : bottom + 1], start=top)
              if not line.data or k in in_table]
    if _is_field_list(chosen):
        return None
    header_lines, row_groups = _row_groups(
        chosen, lambda line: not line.data and all(_column_of(c, columns) not in figure_columns for c in line.cells))
    # A heading over a column without figures (a trend drawn as a picture) is a column of its own.
    columns = sorted(columns + _union([(start, end) for line in header_lines for start, end, _ in line.cells
                                       if not any(start < b and end > a for a, b in columns)]))
    header = _merge(header_lines, columns)
    rows = [_merge(group, columns) for group in row_groups]
    if len(rows) < MIN_ROWS and sum(1 for cell in header if cell) < 2:
        return None  # one row of figures under no header: a line of prose or a form, not a table
    return Table(header=header if any(header) else [], rows=rows)


def _is_field_list(lines: list[_Line]) -> bool:
    """A form's fields set in columns, a label and its value side by side ("Gross tonnage:   2,964"), one pair or two
    to a line, which layout mode aligns like a table's: a field each (ingest/blocks.py), not rows under a header made
    of the labels above the first figure. Other lines may only wrap a value, or a label whose colon comes on its
    last line ("Maximum allowable operating" over "pressure:")."""
    filled = [line for line in lines if not line.blank]
    labelled = [line for line in filled if line.cells and len(line.cells) % 2 == 0
                and all(is_bare_label(cell[2]) for cell in line.cells[::2])]
    if len(labelled) < MIN_ROWS:
        return False
    label_at = {cell[0] for line in labelled for cell in line.cells[::2]}
    value_at = {cell[0] for line in labelled for cell in line.cells[1::2]}

    def near(x: int, places: set[int]) -> bool:
        return any(abs(x - place) <= 1 for place in places)

    def wrapped_label(k: int, x: int) -> bool:  # a label's line, its colon on the next line in its column
        return k + 1 < len(filled) and any(near(cell[0], {x}) and cell[2].endswith(":") for cell in filled[k + 1].cells)

    return all(line in labelled
               or all(near(start, value_at) or (near(start, label_at) and (text.endswith(":") or wrapped_label(k, start)))
                      for start, _, text in line.cells)
               for k, line in enumerate(filled))


def _row_groups(lines: list[_Line], wrapped: Callable[[_Line], bool]) -> tuple[list[_Line], list[list[_Line]]]:
    """The header's lines, and each row's lines. ``wrapped(line)``: whether a line holds only words of cells
    that wrap (no figures, nothing under a column of figures)."""
    blocks: list[list[_Line]] = [[]]
    for line in lines:
        if line.blank:
            if blocks[-1]:
                blocks.append([])
        else:
            blocks[-1].append(line)
    blocks = [b for b in blocks if b]
    first_data = next(k for k, b in enumerate(blocks) if any(line.data for line in b))
    if all(sum(line.data for line in b) <= 1 for b in blocks[first_data:]):
        # Blank lines part the rows: each block is one row, its wrapped cells included; but for the header set right
        # above the first row ("Measure | 2023 | 2024", "Time | Visibility | Wind"), words over the columns of figures.
        lead = next(k for k, line in enumerate(blocks[first_data]) if line.data or wrapped(line))
        header = [line for b in blocks[:first_data] for line in b] + blocks[first_data][:lead]
        blocks[first_data] = blocks[first_data][lead:]
        rows: list[list[_Line]] = []
        section: list[_Line] = []  # a section's label between rows ("Expenditure"), which heads the rows below it
        for block in blocks[first_data:]:
            if any(line.data for line in block):
                rows.append(section + block)
                section = []
            elif _is_section_label(block):
                section = block
            elif rows:
                rows[-1].extend(block)
        if rows and section:
            rows[-1].extend(section)
        return header, rows
    flat = [line for b in blocks for line in b]
    data = [k for k, line in enumerate(flat) if line.data]
    # Wrapped cells right above the first row's figures: cells are centred on their row, so each line without
    # figures belongs to the nearest row; otherwise cells hang down from their row's first line.
    above = data[0]
    while above > 0 and wrapped(flat[above - 1]) and flat[above - 1] in blocks[first_data]:
        above -= 1
    centred = above < data[0]
    owner = []
    for k in range(above, len(flat)):
        before = max((r for r, d in enumerate(data) if d <= k), default=0)
        after = min((r for r, d in enumerate(data) if d >= k), default=before)
        # "Earnings per share:" labels the rows below it ("Diluted"), not the row above.
        owner.append(after if _is_group_label(flat[k]) or (centred and data[after] - k < k - data[before]) else before)
    rows = [[flat[k] for k, r in zip(range(above, len(flat)), owner) if r == row] for row in range(len(data))]
    return flat[:above], _grouped(rows)


def _grouped(rows: list[list[_Line]]) -> list[list[_Line]]:
    """``rows`` with a group's label ("Earnings per share:") in each row indented under it ("Basic", "Diluted"), not
    only in the first: "Diluted | 1.31" alone does not say what is diluted."""
    group: _Line | None = None
    for lines in rows:
        label = next((line for line in lines if _is_group_label(line)), None)
        first = lines[0].cells[0][0] if lines[0].cells else 0
        if label is not None:
            group = label
        elif group is not None and first > group.cells[0][0]:
            lines.insert(0, group)
        else:
            group = None
    return rows


def _is_section_label(block: list[_Line]) -> bool:
    """A block of one capitalised cell between a table's rows ("Expenditure" under "Total income | 1,458,900"): the
    label of the rows that follow, not the end of a cell of the row above, which would not start a word in capitals."""
    return len(block) == 1 and len(block[0].cells) == 1 and block[0].cells[0][2][:1].isupper()


def _is_group_label(line: _Line) -> bool:
    return not line.data and len(line.cells) == 1 and line.cells[0][2].endswith(":")


def _merge(lines: list[_Line], columns: list[tuple[int, int]]) -> list[str]:
    cells: list[list[str]] = [[] for _ in columns]
    for line in lines:
        for cell in line.cells:
            cells[_column_of(cell, columns)].append(cell[2])
    # Cells are cleaned as prose lines are (ingest/blocks.py): ligatures, odd spaces, software ids.
    return [clean_line(" ".join(parts)) for parts in cells]


def without_running_head(table: Table, running: set[str]) -> Table:
    """``table`` without the page's running head in its header (``running``: its furniture lines, spaces
    collapsed): layout mode reads the page's furniture too, and a table that starts a page stands under its head,
    as a header of its own or over a header cell it was printed above ("Centre | State of the Grid 2023" over
    "2023")."""
    header = " ".join(" ".join(cell for cell in table.header if cell).split())
    if header and header in running:
        return replace(table, header=[])
    cells = [" ".join(cell.split()) for cell in table.header]
    heads = [head for head in running if any(cell.startswith(head) and cell != head for cell in cells)]
    if not heads:
        return table
    head = max(heads, key=len)
    return replace(table, header=[cell[len(head):].strip() if cell.startswith(head) else cell for cell in cells])


# A table of labels and values with no colons ("Substance released     Anhydrous ammonia"): pypdf's plain text joins
# the two cells with a space, but the values all start at one x, well right of the labels.
LABEL_ROWS = 3  # rows at least: two lines whose second run starts at one x may be chance
LABEL_GAP = 40.0  # points between the labels' left edge and the values'
LABEL_WORDS = 6
LABEL_SPREAD = 4  # characters between the shortest label and the longest: prose's words at one x have the same count before them
LABEL_VALUE_WORDS = 25  # a value is a name, a figure, a short phrase: a definition of a paragraph's length is prose
_LABEL_END = re.compile(r"(?:[,;:!?]|\w{4,}\.)$")  # a sentence's end, not an abbreviation's ("Incident No.")


def label_tables(lines: list[Line]) -> list[tuple[Table, range]]:
    """The two-column tables of labels and values among a page's ``lines``, each row ``[label, value]``, with the
    positions in ``lines`` of the lines each was read from."""
    tables, k = [], 0
    while k < len(lines):
        rows, end = _label_rows(lines, k)
        if rows:
            tables.append((Table(header=[], rows=rows), range(k, end)))
        k = max(end, k + 1)
    return tables


def _label_rows(lines: list[Line], k: int) -> tuple[list[list[str]], int]:
    """The rows of a label table starting at line ``k``, and the line after its last; [] when none starts there."""
    left = lines[k].x
    starts = [line for line in lines[k : k + 2] if abs(line.x - left) <= 1 and line.runs]
    value_x = next((x for offset, x in starts[0].runs if offset > 0 and x >= left + LABEL_GAP), None) if starts else None
    if value_x is None:
        return [], k
    rows: list[list[str]] = []
    wrapped = ""  # a label's first line, printed above the line that holds its value ("Responsible" over "party")
    further: Counter[int] = Counter()  # where runs right of the values start: a third column's cells
    j = k
    while j < len(lines):
        line = lines[j]
        at = next((offset for offset, x in line.runs if offset > 0 and abs(x - value_x) <= 1), None)
        if abs(line.x - left) <= 1 and at is not None:
            label, value = f"{wrapped} {line.text[:at].strip()}".strip(), line.text[at:].strip()
            if not value or len(label.split()) > LABEL_WORDS or _LABEL_END.search(label):
                break
            rows.append([label, value])
            further.update({round(x) for offset, x in line.runs if x > value_x + LABEL_GAP})
            wrapped = ""
        elif (abs(line.x - left) <= 1 and not line.runs and not wrapped and len(line.text.split()) < LABEL_WORDS
              and j + 1 < len(lines) and line.size == lines[j + 1].size):
            wrapped = line.text.strip()
        elif rows and not wrapped and abs(line.x - value_x) <= 1 and not line.runs:  # a value that wraps
            rows[-1][1] = f"{rows[-1][1]} {line.text.strip()}"
        else:
            break
        j += 1
    j -= bool(wrapped)  # a short line after the last row starts what follows
    lengths = [len(label) for label, _ in rows]
    if (len(rows) < LABEL_ROWS or max(lengths) - min(lengths) < LABEL_SPREAD or any(n > 1 for n in further.values())
            or any(len(value.split()) > LABEL_VALUE_WORDS for _, value in rows)):
        return [], k
    return rows, j


def overlap(table: Table, other: Table) -> bool:
    """Whether two tables read from one page share a row's text (layout mode and the label finder both found it)."""
    words = set(_WORD.findall(" ".join(c for row in other.rows for c in row)))
    return any(set(_WORD.findall(" ".join(row))) <= words for row in table.rows)


def cut_tables(lines: list[Line], tables: list[Table], owned: dict[int, int] | None = None
               ) -> tuple[list[Line], list[Block], set[int]]:
    """``lines`` (a page's, in reading order) without those holding the text of ``tables``; a block for each
    table, placed where its first line was; and the positions, among the lines kept, of those that came right after
    a table's, where a new block must start: the text above a table and the text below it are never one paragraph.

    ``owned``: the table (its position in ``tables``) of each line known to be read into one (label_tables). Any
    other line belongs to a table when every word of it is found in that table's cells (of a table of words: in one
    row's, or among such lines); a line of one or two words only when a neighbouring line belongs to the table too (a
    page number is not a cell).
    """
    if not tables:
        return lines, [], set()
    texts = [clean_line(line.text) for line in lines]
    words = [_WORD.findall(text) for text in texts]
    owned = owned or {}
    owner: list[int | None] = [owned.get(k) for k in range(len(lines))]
    # A table of words holds many words of the page's prose: of it, a line whose words one row holds is the table's,
    # and then any line among those whose words its cells hold. A masthead far above, whose words the cells of
    # several rows hold between them ("Meridian Policy Institute and Pacific Ocean Commons Network", over an agenda
    # of their speakers), is not.
    rows = [[set(_WORD.findall(" ".join(row))) for row in [table.header, *table.rows]] for table in tables]
    cells = ["\x00".join(c for row in [table.header, *table.rows] for c in row) for table in tables]
    for t, table in enumerate(tables):
        if t in owned.values():
            continue
        low, high = float("-inf"), float("inf")
        if sum(bool(_FIGURE.match(c)) for row in table.rows for c in row) < len(table.rows):  # a table of words
            for k in range(len(lines)):
                if owner[k] is None and words[k] and any(row.issuperset(words[k]) for row in rows[t]):
                    owner[k] = t
            mine = [lines[k] for k in range(len(lines)) if owner[k] == t]
            if mine:
                margin = 2 * max(line.size for line in mine)
                low, high = min(line.y for line in mine) - margin, max(line.y for line in mine) + margin
        for k in range(len(lines)):
            if owner[k] is None and words[k] and all(w in cells[t] for w in words[k]) and low <= lines[k].y <= high:
                owner[k] = t
    for k in range(len(lines)):
        if owner[k] is not None and len(words[k]) <= 2:
            near = [owner[j] for j in (k - 1, k + 1) if 0 <= j < len(lines) and words[j]]
            if owner[k] not in near:  # "13:30" of the second day's agenda, as of the first's
                owner[k] = next((t for t in near if t is not None and all(w in cells[t] for w in words[k])), None)
    # A table none of whose lines was found in the text layer still counts: it goes below the rest.
    tops = {t: max((lines[k].y for k in range(len(lines)) if owner[k] == t), default=float("-inf"))
            for t in range(len(tables))}
    blocks = [Block(table.text, TABLE, tops[t]) for t, table in enumerate(tables)]
    kept = [k for k in range(len(lines)) if owner[k] is None]
    resumed = {j for j, k in enumerate(kept) if k > 0 and owner[k - 1] is not None}
    return [lines[k] for k in kept], blocks, resumed


def place_tables(blocks: list[Block], tables: list[Block]) -> list[Block]:
    """``tables`` put among a page's other ``blocks`` by their place: each before the first block that starts below
    its top line (pages are read from the top, where y is largest)."""
    placed = list(blocks)
    for table in sorted(tables, key=lambda b: -b.y):
        at = next((i for i, b in enumerate(placed) if b.kind != TABLE and b.y < table.y), len(placed))
        placed.insert(at, table)
    return placed
