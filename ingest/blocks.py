"""A page's lines become the blocks a reader sees: headings, and paragraphs. Sentences are later cut inside
one paragraph only, so nothing here lets a sentence run across a heading, a form field or a change of type.

A paragraph ends where the text layer shows a gap wider than the page's line spacing, a change of font
size, a list item, a heading, or a short line after a sentence. A form field (``Label: value``) or a
table-of-contents entry is a paragraph of its own. Line breaks inside a paragraph are joined; a word
hyphenated across one is mended when the document itself spells it unhyphenated, or spells it neither way and
the halves are not two English words that make none joined ("thirty-/one" keeps its hyphen).

The lines handed in are those left once page furniture (ingest/furniture.py) and any region read in
another way (a table) are cut out; a region's own blocks can be put back among these by their place.
"""
from __future__ import annotations

import re
import statistics
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, replace
from typing import Collection, Iterable

from .cleaning import BULLET, SENTENCE_END, normalise
from .layout import FIELD, Line
from .naming import is_date_line
from .text import english_words

HEADING_MAX_WORDS = 15
HEADING_MAX_LINES = 3
LARGER = 1.1  # a line this much larger than the body text stands out as a heading
INVISIBLE_SIZE = 3.0  # points: text printed smaller than this is a marker for software (bookmark ids), not for readers
FIELD_COLUMN_GAP = 20  # points: a value set this far right of its label stands in a column of values

# Word processors' bookmark and object ids: "_df8d58b0-bf81-11ec-ac27-35c7f582ea00". No reader sees them.
_GUID = re.compile(r"(?<!\w)_?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?!\w)")
_LEADER = re.compile(r"(?:\s*\.){4,}\s*|(?:\s*…){2,}\s*")  # the dots between a contents entry and its page
# A line drawn in type ("- - - - - - x", "________"): a caption's box or a form's blank, none of the report's words.
_RULE = re.compile(r"(?<!\w)(?:[-_=~*][ \t]*){4,}(?!\w)")
_NUMBERED_HEADING = re.compile(r"^(?:(?:\d{1,2}\.)+\d{0,2}|\d{1,2}|[A-Z]\.|(?:chapter|section|part|appendix)\s+\w+)[.:)]?\s+\S",
                               re.IGNORECASE)
_CONTINUES = re.compile(r"(?:[,;(\-–—/&]|\b(?:a|an|the|of|and|or|to|in|for|by|with|on|at|from|as|that|its|their))$",
                        re.IGNORECASE)
_WORD = re.compile(r"[A-Za-z][A-Za-z’'\-]*")
_HYPHENATED_END = re.compile(r"([A-Za-z]+)-$")
_FIRST_WORD = re.compile(r"^([a-z]+)")


TEXT, HEADING, CONTENTS, NOTE = "text", "heading", "contents", "note"  # a contents entry: "Mission … 7"
NOTE_SIZE = 0.9  # a footnote is printed at most this much of the body's size
# A footnote starts with its number or symbol, then its words: "1 The dialogue was held ...", "2Figures from ...".
_NOTE_START = re.compile(r"^(?:\d{1,3}|\(\d{1,2}\)|[*†‡§])\s*(?=[A-Z“\"‘'(\[])")  # "(1) ECDIS: Electronic ..." too


@dataclass(frozen=True)
class Block:
    text: str
    kind: str = TEXT  # TEXT, HEADING or CONTENTS; other readers (tables) may add their own kinds
    y: float = 0.0  # of its first line, so that blocks read in another way can be put back in place
    size: float = 0.0  # printed size of its largest line


def clean_line(text: str) -> str:
    return " ".join(_RULE.sub(" ", _LEADER.sub(" … ", _GUID.sub(" ", normalise(text)))).split())


def body_size(lines: Iterable[Line]) -> float:
    """The size most of a document's characters are printed in: its body text."""
    sizes: Counter[float] = Counter()
    for line in lines:
        if line.size:
            sizes[line.size] += len(line.text)
    return sizes.most_common(1)[0][0] if sizes else 0.0


def visible(line: Line, body: float) -> bool:
    return bool(line.text.strip()) and not (line.size and body >= 2 * INVISIBLE_SIZE and line.size < INVISIBLE_SIZE)


class Vocabulary:
    """The words of one document, to tell a hyphenated line break ("inter-/national") from a compound
    broken at its hyphen ("well-/known")."""

    def __init__(self, texts: Iterable[str]):
        self.words: Counter[str] = Counter()
        for text in texts:
            self.words.update(w.lower() for w in _WORD.findall(text))

    def join_hyphenated(self, left: str, right: str) -> bool:
        """Whether ``left``'s trailing "word-" and ``right``'s first word are one word with a line break in it. The
        document's own spelling decides; where it has neither, two English words that make none joined keep their
        hyphen ("thirty-/one", "in-/person"), and anything else is joined ("il-/legal", "pan-/demic")."""
        head, tail = _HYPHENATED_END.search(left), _FIRST_WORD.match(right)
        if not head or not tail:
            return False
        first, second = head.group(1).lower(), tail.group(1).lower()
        joined, compound = first + second, f"{first}-{second}"
        if self.words[joined] or self.words[compound]:
            return self.words[joined] > 0
        known = english_words()
        return not (first in known and second in known and joined not in known)


def _join(left: str, right: str, vocabulary: Vocabulary) -> str:
    if left.endswith("-") and vocabulary.join_hyphenated(left, right):
        return left[:-1] + right
    if re.search(r"\w[-/]$", left) and right[:1].isalnum():
        return left + right
    return f"{left} {right}"


def is_field(text: str) -> bool:
    return _is_label(FIELD.match(text))


_BARE_LABEL = re.compile(r"^(?P<label>[A-Z][\w&/'’()#.,\- ]{0,40}?)\s*:$")


def is_bare_label(text: str) -> bool:
    """A form's label printed apart from its value ("Date & Time:")."""
    return _is_label(_BARE_LABEL.match(text))


def _is_label(match: re.Match | None) -> bool:
    """A few words before a colon, not a sentence's end ("Report No.: 03/2023", not "It rained. Then: ...")."""
    return bool(match) and len(match.group("label").split()) <= 5 and not match.group("label").endswith((".", "!", "?"))


_CONTENTS_ENTRY = re.compile(r" … (?:\d{1,3}|[ivxlc]{1,6})$", re.IGNORECASE)


def _is_contents_entry(text: str) -> bool:
    return bool(_CONTENTS_ENTRY.search(text))


def _heading_shape(text: str) -> bool:
    words = text.split()
    return (0 < len(words) <= HEADING_MAX_WORDS and len(text) <= 150 and any(c.isalpha() for c in text)
            and not re.search(r"[.,;!?]$", text) and not FIELD.match(text))


def _title_case(text: str) -> bool:
    words = [w for w in _WORD.findall(text) if len(w) >= 4]
    return bool(words) and text[:1].isupper() and sum(w[0].isupper() for w in words) >= 0.75 * len(words)


def _stands_out(lines: list[Line], text: str, body: float) -> bool:
    """Printed larger, in bold, in capitals, or numbered like a section: a heading's marks other than its shape."""
    letters = [c for c in text if c.isalpha()]
    return bool(
        (body and all(line.size >= LARGER * body for line in lines))
        or all(line.bold for line in lines)
        or (len(letters) >= 3 and all(c.isupper() for c in letters))
        or _NUMBERED_HEADING.match(text)
    )


def _pitch(lines: list[Line]) -> float:
    """The usual distance from one baseline to the next on this page, as a multiple of the font size
    (0 when there is too little to tell)."""
    gaps = [(a.y - b.y) / a.size for a, b in zip(lines, lines[1:])
            if a.size and a.size == b.size and 0 < a.y - b.y < 3 * a.size]
    return statistics.median(gaps) if len(gaps) >= 3 else 0.0


def _breaks(a: Line, b: Line, a_text: str, b_text: str, pitch: float, full_width: float, body: float,
            even: bool = False) -> bool:
    """Whether line ``b`` starts a new block after line ``a``; ``even``: the lines around them are set as far apart
    (a paragraph's own leading, wider than the page's usual one)."""
    short = len(a_text) < 0.75 * full_width
    if BULLET.match(b_text) or _is_contents_entry(a_text):
        return True
    # A field's value may wrap onto a line of small letters; a field follows a short line or a sentence's end. A
    # title's colon in large print ("Cyber Norms After the OEWG: What Middle", then "Powers Can Do") makes no field.
    title = bool(body) and a.size >= LARGER * body and b.size == a.size
    if is_field(a_text) and (short or not b_text[:1].islower()) and not title:
        return True
    if is_field(b_text) and (short or SENTENCE_END.search(a_text) or is_field(a_text)):
        return True
    # A form set as a table of two columns, each label on its own ("Vessel:", then "Nordic Star"): a field each.
    if is_bare_label(b_text) and not is_bare_label(a_text):
        return True
    if a.size and b.size and abs(a.size - b.size) > 0.1 * max(a.size, b.size):
        return True
    if a.y or b.y:
        rise = b.y - a.y
        if abs(rise) < 0.5 * (a.size or 1):  # further along the same baseline: one line, read in pieces
            return b.x < a.x
        if rise > 0 and b.x <= a.x + 50:  # back up the same column: a new box
            return True
        # A loosely set paragraph's line runs on into the next: a full line, then a word that continues it.
        runs_on = even and not short and (b_text[:1].islower() or bool(_CONTINUES.search(a_text)))
        if pitch and -rise > 1.4 * pitch * (a.size or 1) and not runs_on:
            return True
    if SENTENCE_END.search(a_text) and short:
        return True
    # A short line in a heading's marks (larger, bold, capitals, numbered), then a capital: a heading.
    return (len(a_text) < 0.6 * full_width and _heading_shape(a_text) and not _CONTINUES.search(a_text)
            and b_text[:1].isupper() and _stands_out([a], a_text, body) and not _stands_out([b], b_text, body))


def page_blocks(lines: list[Line], body: float, vocabulary: Vocabulary, starts: Collection[int] = ()) -> list[Block]:
    """The blocks of one page's lines (furniture and invisible lines already left out), in reading order.
    ``starts``: positions in ``lines`` where a block must start (where a table was cut out)."""
    numbered = [(k, line, clean_line(line.text)) for k, line in enumerate(lines) if visible(line, body)]
    kept = [(line, text) for _, line, text in numbered if text]
    if not kept:
        return []
    positions = [k for k, _, text in numbered if text]
    forced = {bisect_left(positions, start) for start in starts}  # the first kept line at or after each start
    lengths = [len(text) for _, text in kept]
    full_width = statistics.quantiles(lengths, n=10)[-1] if len(lengths) >= 5 else max(lengths)
    pitch = _pitch([line for line, _ in kept])

    gaps = [0.0] + [a.y - b.y if a.size == b.size else 0.0 for (a, _), (b, _) in zip(kept, kept[1:])] + [0.0]
    groups: list[list[tuple[Line, str]]] = [[kept[0]]]
    for n, (previous, current) in enumerate(zip(kept, kept[1:]), start=1):
        if n in forced or _field_done(groups[-1], current[0]) or (
                _breaks(previous[0], current[0], previous[1], current[1], pitch, full_width, body,
                        _even(gaps, n, current[0], body))
                and not _field_value(groups[-1], current[0])):
            groups.append([])
        groups[-1].append(current)

    first_note = _first_footnote(groups, body)
    groups = groups[:first_note] + _one_per_note([item for group in groups[first_note:] for item in group])
    blocks = []
    for i, group in enumerate(groups):
        text = group[0][1]
        for _, line_text in group[1:]:
            text = _join(text, line_text, vocabulary)
        group_lines = [line for line, _ in group]
        heading = (len(group) <= HEADING_MAX_LINES and _heading_shape(text)
                   and (_stands_out(group_lines, text, body) or (len(group) == 1 and _followed_by_prose(text, groups[i + 1:])))
                   and not is_date_line(text))
        kind = NOTE if i >= first_note else CONTENTS if _is_contents_entry(text) else HEADING if heading else TEXT
        blocks.append(Block(text, kind, group_lines[0].y, max(line.size for line in group_lines)))
    if all(b.kind == HEADING for b in blocks):  # a page of short lines only (a cover, a list): they are its text
        return [replace(b, kind=TEXT) for b in blocks]
    return _lists_are_text(blocks)


EVEN_LEADING = 1.6  # at most this many font sizes apart, lines set evenly are one paragraph's, however the page's others are


def _even(gaps: list[float], n: int, line: Line, body: float) -> bool:
    """Is the gap above line ``n``, of body text, a leading its neighbours share: a paragraph set more loosely than the
    rest of its page (an executive summary above two columns set tight), not the space between two paragraphs?"""
    gap = gaps[n]
    return (0 < gap <= EVEN_LEADING * (line.size or 1) and line.size < LARGER * body
            and any(abs(other - gap) <= 0.1 * gap for other in (gaps[n - 1], gaps[n + 1])))


def _field_done(group: list[tuple[Line, str]], line: Line) -> bool:
    """Whether ``group`` is a form's field set in two columns ("Wall thickness:", then "7.9 mm" to its right) and
    ``line`` starts the next: back under its label, though that label wraps and only its last line has the colon
    ("Maximum allowable operating" over "pressure:"), or beside its value, the next column of fields."""
    label = group[0][0]
    at = next((k for k, (other, _) in enumerate(group) if other.x > label.x + FIELD_COLUMN_GAP), None)
    if not at or not is_bare_label(" ".join(text for _, text in group[:at])):
        return False
    value = group[at][0]
    return (line.x <= label.x + 1 and line.y < group[-1][0].y) or (line.x > value.x + FIELD_COLUMN_GAP
                                                                  and line.y >= value.y - 1)


def _field_value(group: list[tuple[Line, str]], line: Line) -> bool:
    """Whether ``line``, set to the right of ``group``, is the value of the label that ``group`` wraps over two lines
    ("Maximum allowable operating" over "pressure:", then "6,895 kPa" beside them)."""
    return (len(group) > 1 and is_bare_label(" ".join(text for _, text in group))
            and line.x > group[0][0].x + FIELD_COLUMN_GAP)


def _first_footnote(groups: list[list[tuple[Line, str]]], body: float) -> int:
    """Where the page's footnotes start among its blocks (``len(groups)`` when it has none): the last blocks, printed
    smaller than the body, from the first of them that starts with a note's number; some body text above them."""
    first = len(groups)
    for i in range(len(groups) - 1, -1, -1):
        if not (body and all(line.size and line.size <= NOTE_SIZE * body for line, _ in groups[i])):
            return first
        if _NOTE_START.match(groups[i][0][1]):
            first = i
    return len(groups)  # all of the page is small print: nothing for notes to be the foot of


def _one_per_note(lines: list[tuple[Line, str]]) -> list[list[tuple[Line, str]]]:
    """Footnotes' lines, a block per note: each starts at a line that starts with a note's number."""
    notes: list[list[tuple[Line, str]]] = []
    for item in lines:
        if not notes or _NOTE_START.match(item[1]):
            notes.append([])
        notes[-1].append(item)
    return notes


def _lists_are_text(blocks: list[Block]) -> list[Block]:
    """Three or more heading-like lines in a row are a list (names, values), not headings, except those of
    them printed larger than the rest ("Values" above "Excellence", "Trust", "Fairness")."""
    out, i = list(blocks), 0
    while i < len(out):
        j = i
        while j < len(out) and out[j].kind == HEADING:
            j += 1
        if j - i >= 3:
            smallest = min(b.size for b in out[i:j])
            out[i:j] = [replace(b, kind=TEXT) if b.size <= smallest + 0.5 else b for b in out[i:j]]
        i = max(j, i + 1)
    return out


def _followed_by_prose(text: str, following: list[list[tuple[Line, str]]]) -> bool:
    """A one-line title-case block heads the paragraph after it when that is prose (a cover's names are not)."""
    if " " not in text or not _title_case(text) or not following:
        return False
    after = " ".join(t for _, t in following[0])
    return len(after.split()) >= 8 and bool(SENTENCE_END.search(after))
