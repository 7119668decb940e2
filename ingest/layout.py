"""A PDF page as lines that know where they sit and how large they are printed, from pypdf's text visitor.

pypdf's ``extract_text`` calls the visitor once per run of text, and the runs joined are exactly the text it
returns; so one extraction gives both the text and, per line, its position and font size. The size is the
one printed: the font's size scaled by the text and graphics matrices, since many PDFs set size 1 and scale.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Iterator


# A form field, "Label: value" (ingest/blocks.py keeps each as a paragraph of its own).
FIELD = re.compile(r"^(?P<label>[A-Z][\w&/'’()#.,\- ]{0,40}?)\s*:\s+(?P<value>\S.*)$")
# A footnote marker: a few digits or a dagger set small and raised after a word ("rule¹", "tracker²"), by its
# matrix or by a text rise (Ts, which ReportLab uses); a subscript ("CO₂") is lowered.
_MARKER = re.compile(r"^(?:\d{1,3}|[*†‡§])$")
# What a marker follows: a word of four letters or more, or closing punctuation; not "km²", "S²" or "10⁶".
_MARKED = re.compile(r"(?:[^\W\d_]{4,}|[.,;:)\]”\"’'])$")
MARKER_SIZE = 0.85  # of the line's size, at most (ReportLab sets a superscript at 0.8)
KEPT_RUNS = 4  # of a line's later runs: a label's cells come first, and a page of many runs costs no memory
MARKER_RISE = 0.15  # of the line's size, at least, above its baseline
# A run that starts another label, on a line already holding a field: a form's fields set side by side ("Location:
# Millinocket, Maine    Accident Number: ERA20LA310") are fields of their own, not one run-on line.
_LABEL_RUN = re.compile(r"^\s*[A-Z][\w&/'’()#,\- ]{0,40}:(?:\s|$)")


@dataclass(frozen=True)
class Line:
    text: str
    x: float  # left end of its first run, in points from the page's left edge
    y: float  # baseline of its first run, in points from the page's bottom edge
    size: float  # printed font size of most of its characters, in points (0 when unknown)
    bold: bool = False  # most of its characters are set in a bold (or black, heavy) font
    marks: tuple[tuple[int, int], ...] = ()  # character spans of its footnote markers (_is_marker)
    # Where its later runs start: (character offset, x). A label and its value printed as a table's two cells, with
    # nothing between them but space, come as two runs, the values of such a table all starting at one x.
    runs: tuple[tuple[int, float], ...] = ()

    def unmarked(self) -> "Line":
        """The line without its footnote markers: "the Chatham House rule1 and" reads "the Chatham House rule and"."""
        if not self.marks:
            return self
        text, end = "", 0
        for start, stop in self.marks:
            text, end = text + self.text[end:start], stop
        return replace(self, text=text + self.text[end:], marks=(), runs=())


@dataclass
class PageLayout:
    lines: list[Line]
    height: float  # of the page, in points; 0 when unknown

    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def _multiply(m: list[float], n: list[float]) -> list[float]:
    return [
        m[0] * n[0] + m[1] * n[2], m[0] * n[1] + m[1] * n[3],
        m[2] * n[0] + m[3] * n[2], m[2] * n[1] + m[3] * n[3],
        m[4] * n[0] + m[5] * n[2] + n[4], m[4] * n[1] + m[5] * n[3] + n[5],
    ]


class _LineCollector:
    """The visitor: cuts the run stream at line breaks and keeps, per line, its first run's place and its sizes."""

    def __init__(self, xobjects=None) -> None:
        self.lines: list[Line] = []
        self._parts: list[str] = []
        self._sizes: Counter[float] = Counter()
        self._bold = 0  # characters in a bold font, against the line's total
        self._place: tuple[float, float] | None = None
        self._length = 0  # of the line so far
        self._small: list[tuple[int, int, float, float]] = []  # runs that may be markers: start, end, size, baseline
        self._runs: list[tuple[int, float]] = []  # the line's later runs: where each starts, and its x
        # The text rise (Ts) in force, the one its last shown text was set with, and those saved by "q".
        self._rise, self._shown_rise, self._saved_rises = 0.0, 0.0, []
        # pypdf reads a form XObject's text as if the form were the page: matrices inside it leave out where the page
        # put the form (pypdf issue #4079; Chromium paints text with opacity so). Per form being read, its matrix
        # onto the page; ``_entering`` until the form's first operator, since the text pending before "Do" is the page's.
        self._forms: list[list[float]] = []
        self._entering: list[float] | None = None
        self._xobjects = xobjects or {}

    def operator(self, operator: bytes, operands, cm, tm) -> None:
        """pypdf's operator visitor: follows the text rise, which the text visitor is not told. pypdf hands a run to
        the text visitor when an operator after it ends it (a font change, a line break), so a run's rise is the one
        in force at the last operator that showed text."""
        if self._entering is not None:
            self._forms.append(self._entering)
            self._entering = None
        if operator == b"Do":
            self._entering = self._form_matrix(operands, cm)
        elif operator == b"Ts" and operands:
            try:
                self._rise = float(operands[0])
            except (TypeError, ValueError):
                pass
        elif operator in (b"Tj", b"TJ", b"'", b'"'):
            self._shown_rise = self._rise
        elif operator == b"q":
            self._saved_rises.append(self._rise)
        elif operator == b"Q" and self._saved_rises:
            self._rise = self._saved_rises.pop()

    def after(self, operator: bytes, operands, cm, tm) -> None:
        """pypdf's visitor after an operator: a form painted by "Do" has been read (an image had no operators)."""
        if operator == b"Do":
            if self._entering is not None:
                self._entering = None
            elif self._forms:
                self._forms.pop()

    def _form_matrix(self, operands, cm) -> list[float]:
        """Form space onto the page: the form's own /Matrix (known for the page's own forms), the CTM at "Do", and
        that of the form it is painted in."""
        outer = list(cm)
        if self._forms:
            outer = _multiply(outer, self._forms[-1])
        elif operands:
            try:
                matrix = self._xobjects[operands[0]].get_object().get("/Matrix")
                outer = _multiply([float(x) for x in matrix], outer) if matrix and len(matrix) == 6 else outer
            except Exception:  # noqa: BLE001 - an unreadable form matrix is taken as identity
                pass
        return outer

    def __call__(self, text: str, cm, tm, font, font_size) -> None:
        pieces = text.split("\n")
        for i, piece in enumerate(pieces):
            if i or self._starts_another_field(piece):
                self._end_line()
            if piece.strip():
                m = _multiply(list(tm), list(cm))
                if self._forms:
                    m = _multiply(m, self._forms[-1])
                size = abs(font_size or 0) * math.hypot(m[2], m[3])
                self._sizes[round(size, 1)] += len(piece.strip())
                if _is_bold(font):
                    self._bold += len(piece.strip())
                if self._place is None:
                    self._place = (m[4], m[5])
                else:
                    start = self._length + len(piece) - len(piece.lstrip())
                    if len(self._runs) < KEPT_RUNS:
                        self._runs.append((start, m[4]))
                    if _MARKER.match(piece.strip()):
                        rise = self._shown_rise * math.hypot(m[2], m[3])
                        self._small.append((start, start + len(piece.strip()), size, m[5] + rise))
            self._parts.append(piece)
            self._length += len(piece)

    def _starts_another_field(self, piece: str) -> bool:
        label = _LABEL_RUN.match(piece)
        return bool(label) and len(label.group().split()) <= 5 and bool(FIELD.match("".join(self._parts).lstrip()))

    def _end_line(self) -> None:
        x, y = self._place or (0.0, 0.0)
        size = self._sizes.most_common(1)[0][0] if self._sizes else 0.0
        bold = self._bold * 2 > sum(self._sizes.values())
        text = "".join(self._parts)
        marks = tuple((start, end) for start, end, small, base in self._small
                      if small <= MARKER_SIZE * size and base >= y + MARKER_RISE * size and _MARKED.search(text[:start]))
        self.lines.append(Line(text, x, y, size, bold, marks, tuple(self._runs)))
        self._parts, self._sizes, self._bold, self._place, self._length, self._small = [], Counter(), 0, None, 0, []
        self._runs = []

    def finish(self) -> list[Line]:
        if self._parts:
            self._end_line()
        return self.lines


_BOLD_NAMES = ("bold", "black", "heavy", "semibold", "demi")


def _is_bold(font) -> bool:
    try:
        name = str(font.get("/BaseFont", "")).lower() if font else ""
    except Exception:  # noqa: BLE001 - a font without a readable name is taken as regular
        return False
    return any(word in name for word in _BOLD_NAMES)


@contextmanager
def contents_parsed_once(page) -> Iterator[None]:
    """While in it, the page's content stream is on the page as a pypdf ContentStream, parsed as text extraction
    parses it (its operands as bytes): text extraction takes a ContentStream it finds there as it is, and the stream
    keeps the operations it parsed, so the page's second reading (layout mode, ingest/tables.py) parses none of it
    again. Only the page object in memory changes, and only until the end: its parsed operations are then let go, not
    kept for every page of a long report. A stream that cannot be made so is left as it was, for pypdf to read (or
    fail on) as it always has."""
    from pypdf.generic import ArrayObject, ContentStream, NameObject, StreamObject

    key, original = NameObject("/Contents"), page.get("/Contents")
    try:
        contents = original.get_object() if original is not None else None
        if isinstance(contents, (ArrayObject, StreamObject)) and not isinstance(contents, ContentStream):
            page[key] = ContentStream(contents, page.pdf, "bytes")
    except Exception:  # noqa: BLE001 - pypdf meets the same problem in extract_text, and answers it as it always has
        pass
    try:
        yield
    finally:
        if original is not None:
            page[key] = original


def read_page_layout(page) -> PageLayout:
    """The lines of a pypdf page, in pypdf's reading order, with their place and printed size."""
    try:
        xobjects = page["/Resources"].get_object()["/XObject"].get_object()
    except Exception:  # noqa: BLE001 - a page without forms
        xobjects = {}
    collector = _LineCollector(xobjects)
    page.extract_text(visitor_text=collector, visitor_operand_before=collector.operator,
                      visitor_operand_after=collector.after)
    try:
        box = page.mediabox
        bottom, height = float(box.bottom), float(box.top) - float(box.bottom)
    except Exception:  # noqa: BLE001 - a malformed box costs the furniture bands, not the page
        bottom, height = 0.0, 0.0
    return PageLayout([replace(line, y=line.y - bottom) for line in collector.finish()], height)
