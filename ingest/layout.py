"""A PDF page as lines that know where they sit and how large they are printed, from pypdf's text visitor.

pypdf's ``extract_text`` calls the visitor once per run of text, and the runs joined are exactly the text it
returns; so one extraction gives both the text and, per line, its position and font size. The size is the
one printed: the font's size scaled by the text and graphics matrices, since many PDFs set size 1 and scale.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass


# A form field, "Label: value" (ingest/blocks.py keeps each as a paragraph of its own).
FIELD = re.compile(r"^(?P<label>[A-Z][\w&/'’()#.,\- ]{0,40}?)\s*:\s+(?P<value>\S.*)$")
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

    def __init__(self) -> None:
        self.lines: list[Line] = []
        self._parts: list[str] = []
        self._sizes: Counter[float] = Counter()
        self._bold = 0  # characters in a bold font, against the line's total
        self._place: tuple[float, float] | None = None

    def __call__(self, text: str, cm, tm, font, font_size) -> None:
        pieces = text.split("\n")
        for i, piece in enumerate(pieces):
            if i or self._starts_another_field(piece):
                self._end_line()
            if piece.strip():
                m = _multiply(list(tm), list(cm))
                size = abs(font_size or 0) * math.hypot(m[2], m[3])
                self._sizes[round(size, 1)] += len(piece.strip())
                if _is_bold(font):
                    self._bold += len(piece.strip())
                if self._place is None:
                    self._place = (m[4], m[5])
            self._parts.append(piece)

    def _starts_another_field(self, piece: str) -> bool:
        label = _LABEL_RUN.match(piece)
        return bool(label) and len(label.group().split()) <= 5 and bool(FIELD.match("".join(self._parts).lstrip()))

    def _end_line(self) -> None:
        x, y = self._place or (0.0, 0.0)
        size = self._sizes.most_common(1)[0][0] if self._sizes else 0.0
        bold = self._bold * 2 > sum(self._sizes.values())
        self.lines.append(Line("".join(self._parts), x, y, size, bold))
        self._parts, self._sizes, self._bold, self._place = [], Counter(), 0, None

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


def read_page_layout(page) -> PageLayout:
    """The lines of a pypdf page, in pypdf's reading order, with their place and printed size."""
    collector = _LineCollector()
    page.extract_text(visitor_text=collector)
    try:
        box = page.mediabox
        bottom, height = float(box.bottom), float(box.top) - float(box.bottom)
    except Exception:  # noqa: BLE001 - a malformed box costs the furniture bands, not the page
        bottom, height = 0.0, 0.0
    return PageLayout([Line(l.text, l.x, l.y - bottom, l.size, l.bold) for l in collector.finish()], height)
