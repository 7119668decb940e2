"""Turn extracted text into clean paragraphs: the text every answer is later quoted from.

Paragraphs end up separated by one blank line and hold no line breaks, so sentence
splitting and passage offsets work the same for every input format.
"""
from __future__ import annotations

import re
import statistics
import unicodedata

_LIGATURES = str.maketrans({"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"})
# Invisible characters that break word matching; removed outright.
_INVISIBLE = re.compile("[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
BULLET = re.compile(r"^(?:[•●▪■◦‣∙·\-–*]|\(?\d{1,2}[.)]|\(?[a-z][.)]|\(?[ivx]{1,4}[.)])\s")
SENTENCE_END = re.compile(r"[.!?:;”\")]$")


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).translate(_LIGATURES)
    text = _INVISIBLE.sub("", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n\n")
    return _CONTROL.sub(" ", text)


def _join(left: str, right: str) -> str:
    # A word hyphenated across a line break ("inter-\nnational") is put back together.
    if re.search(r"[a-z]-$", left) and right[:1].islower():
        return left[:-1] + right
    return f"{left} {right}"


def reflow(text: str, hard_wrapped: bool) -> str:
    """Join lines into paragraphs.

    ``hard_wrapped`` text (PDF pages) breaks lines at the page margin, so a line break
    only ends a paragraph when the line stops short after a sentence, or the next line
    starts a list item. Other text (txt, Markdown) ends paragraphs at blank lines only.
    """
    lines = [_SPACES.sub(" ", line).strip() for line in normalise(text).split("\n")]
    lengths = [len(line) for line in lines if line]
    full_width = statistics.quantiles(lengths, n=10)[-1] if len(lengths) >= 5 else max(lengths, default=0)

    paragraphs: list[str] = []
    current, previous = "", ""
    for line in lines:
        if current and (not line or (hard_wrapped and _ends_paragraph(previous, line, full_width))):
            paragraphs.append(current)
            current = ""
        if line:
            current = _join(current, line) if current else line
        previous = line
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


def _ends_paragraph(line: str, next_line: str, full_width: float) -> bool:
    if BULLET.match(next_line):
        return True
    return bool(SENTENCE_END.search(line)) and len(line) < 0.75 * full_width
