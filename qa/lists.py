"""Lists in reports, found from the structure of the text, and the questions that ask for one.

A list is a run of items after the sentence or heading that announces it. Items are marked ("First, ...",
"(2) ...", "3. ...", "b) ...", "• ...") and numbered in order, or, under an announcement that ends in a colon,
gives a count ("three challenges") or is a heading naming a plural ("Recommendations"), unmarked parallel
paragraphs of a few sentences each. An item is its lead sentence, the one carrying its marker, and the
elaboration after it, up to the next item or, for the last one, to the end of its paragraph.

A list answer quotes the announcement and each item's lead sentence (qa/pipeline.py); the whole list stays one
click away, and "the second one" in a follow-up is that item with its elaboration.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from ingest.index import StoredPassage

from .ordinals import ORDINALS

Sentence = tuple[StoredPassage, int]  # a passage and the index of one of its sentences
Neighbours = Callable[[StoredPassage, int], list[StoredPassage]]  # the next n passages of a passage's document

MAX_ITEMS = 12
MAX_GAP = 5  # sentences between two marked items of one list
MAX_ITEM_SENTENCES = 8  # an item's elaboration beyond this many sentences is the report's prose, not the item's
# An unmarked item is a short paragraph: a longer one is an argument of its own, not an item of a list.
MAX_PARAGRAPH_SENTENCES = 3
MAX_LEAD_WORDS = 60

_ORDINALS = {**ORDINALS, "eleventh": 11, "twelfth": 12}  # reports number a list further than readers point
_COUNTS = {w: n for n, w in enumerate("two three four five six seven eight nine ten eleven twelve".split(), start=2)}
_MARKER = re.compile(
    r"^\s*(?:\((?P<paren>\d{1,2}|[a-l])\)|(?P<num>\d{1,2})[.)]\s|\d{1,2}\.(?P<step>\d{1,2})\.?\s+(?=(?-i:[A-Z]))|(?P<letter>[a-l])\)\s"
    rf"|(?P<word>{'|'.join(_ORDINALS)}|finally|lastly)(?:ly)?\b|(?P<bullet>[•●▪‣◦–-])\s)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][\w’'-]*|\d+")
TERMINAL = re.compile(r"[.!?…][”’\"')\]]*$")  # a sentence's closing punctuation
# Words ending in s that are not plurals of a noun.
_NOT_PLURAL = frozenset(
    "is was has does as us its this his hers ours yours theirs thus plus across always perhaps whereas less news series"
    " status process analysis basis crisis bus gas lens alias".split())
_ASKS_LIST_VERB = re.compile(r"^\s*(?:please\s+)?(?:list|name|enumerate|give|summari[sz]e)\b", re.IGNORECASE)
_WH_PLURAL = re.compile(r"^\s*(?:what|which)\s+(?:(?:are|were|have been|will be)\s+)?(?:the\s+)?(?P<words>(?:[\w’'-]+\s+){0,3}[\w’'-]+)",
                        re.IGNORECASE)


@dataclass
class ListItem:
    marker: str  # as printed: "First", "(2)", "•"; "" for an unmarked paragraph
    sentences: list[Sentence]  # the lead sentence, then its elaboration

    @property
    def lead(self) -> Sentence:
        return self.sentences[0]


@dataclass
class Enumeration:
    intro: list[Sentence]  # the sentence announcing the list; [] when a heading announces it
    items: list[ListItem]

    @property
    def sentences(self) -> list[Sentence]:
        """The whole list in document order: the announcement and every item with its elaboration."""
        return self.intro + [s for item in self.items for s in item.sentences]

    @property
    def tight(self) -> list[Sentence]:
        """The announcement and each item's lead sentence."""
        return self.intro + [item.lead for item in self.items]

    def item(self, n: int) -> ListItem | None:
        """Item ``n``, 1-based; -1 for the last."""
        if n == -1 and self.items:
            return self.items[-1]
        return self.items[n - 1] if 1 <= n <= len(self.items) else None


def sentence_text(passage: StoredPassage, i: int) -> str:
    start, end = passage.sentence_spans[i]
    return passage.text[start:end]


def same_paragraph(a: Sentence, b: Sentence) -> bool:
    """Are two sentences, ``b`` after ``a``, of one paragraph (no blank line between them)?"""
    (pa, ia), (pb, ib) = a, b
    return (pb.start + pb.sentence_spans[ib][0]) - (pa.start + pa.sentence_spans[ia][1]) <= 1


def marker(sentence: str) -> tuple[int, str] | None:
    """The list marker a sentence opens with, as (number, marker as printed): (1, "First") for "First, ...",
    (2, "(2)") for "(2) ...", (0, "•") for an unnumbered item (a bullet, "Finally"); None for no marker."""
    match = _MARKER.match(sentence)
    if not match:
        return None
    printed = match.group(0).strip().rstrip(",")
    if value := match["paren"] or match["letter"]:
        return (int(value) if value.isdigit() else ord(value.lower()) - ord("a") + 1), printed
    if match["num"] or match["step"]:  # "4.", or a step "4.2" of section 4
        return int(match["num"] or match["step"]), printed
    if match["word"]:
        return _ORDINALS.get(match["word"].lower(), 0), printed
    return 0, printed


_DETERMINERS = frozenset("the a an its their this that these those his her our".split())


def _plural(word: str) -> bool:
    w = word.lower().strip("’'")
    return len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is", "'s", "’s")) and w not in _NOT_PLURAL


def announced_count(text: str) -> int | None:
    """The number of items a sentence or heading announces: 4 for "... advances four key takeaways:",
    3 for "Three Lessons"; a count word or figure followed, within three words, by a plural."""
    words = _WORD.findall(text)
    for k, word in enumerate(words):
        lowered = word.lower()
        count = _COUNTS.get(lowered) or (int(word) if word.isdigit() and 2 <= int(word) <= MAX_ITEMS else None)
        if count and any(_plural(w) for w in words[k + 1 : k + 4]):
            return count
    return None


def asks_for_list(question: str) -> bool:
    """Does ``question`` ask for several things: "What obstacles ...", "What are the four takeaways?", "List ..."?"""
    if _ASKS_LIST_VERB.match(question) or announced_count(question):
        return True
    match = _WH_PLURAL.match(question)
    if not match:
        return False
    words = match["words"].split()
    after = question[match.end():].split()[:1]
    # "Which team owns the procedure?": a verb, followed by what it acts on, is no plural.
    return any(_plural(w) and (nxt.lower() not in _DETERMINERS) for w, nxt in zip(words, words[1:] + after + [""]))


def _heading_like(text: str) -> bool:
    """A line that reads as a heading: a few words, no sentence's closing punctuation."""
    return 0 < len(_WORD.findall(text)) <= 10 and not TERMINAL.search(text) and not text.rstrip().endswith(":")


def _announces(text: str) -> bool:
    """Does a sentence or heading announce a list after it? It ends in a colon, or ends by counting ("... makes
    three recommendations."), or is a heading naming a plural ("Recommendations", "Three Lessons")."""
    words = _WORD.findall(text)
    if text.rstrip().endswith(":") or announced_count(" ".join(words[-4:])):
        return True
    return _heading_like(text) and bool(words) and _plural(words[-1])


class _Reader:
    """The sentences of a document from one passage on, the next passages fetched only when needed."""

    def __init__(self, passage: StoredPassage, following: Neighbours):
        self.sentences: list[Sentence] = [(passage, i) for i in range(len(passage.sentence_spans))]
        self._following, self._last, self._exhausted = following, passage, False
        self._heading = passage.heading

    def has(self, k: int) -> bool:
        while k >= len(self.sentences) and not self._exhausted:
            more = [p for p in self._following(self._last, 3) if p.table is None]
            if not more:
                self._exhausted = True
            for passage in more:
                if _opens_section(passage) and passage.heading != self._heading:
                    self._exhausted = True  # a list runs on over a page, never into the next section
                    break
                self.sentences.extend((passage, i) for i in range(len(passage.sentence_spans)))
                self._last = passage
        return k < len(self.sentences)

    def text(self, k: int) -> str:
        return sentence_text(*self.sentences[k])

    def marker(self, k: int) -> tuple[int, str] | None:
        return marker(self.text(k))

    def paragraph_end(self, k: int, limit: int) -> int:
        """The last sentence of ``k``'s paragraph, at most ``limit`` sentences on."""
        end = k
        while end - k < limit - 1 and self.has(end + 1) and same_paragraph(self.sentences[end], self.sentences[end + 1]):
            end += 1
        return end


def _opens_section(passage: StoredPassage) -> bool:
    """Does the passage open with its heading (a new section), rather than run on under one?"""
    return bool(passage.heading) and bool(passage.sentence_spans) and passage.sentence_spans[0][0] > 0


def enumeration_after(passage: StoredPassage, index: int, following: Neighbours, unmarked: bool = True) -> Enumeration | None:
    """The list that sentence ``index`` of ``passage`` announces, if it announces one; ``following(p, n)`` gives
    the passages after ``p``, into which a list may run. ``unmarked``: paragraphs without markers may be its items
    (worth the risk when the question asks for a list: "he stated:" may be followed by mere paragraphs)."""
    reader = _Reader(passage, following)
    intro = [reader.sentences[index]]
    items = _marked_items(reader, index + 1)
    if items is None and unmarked and _announces(reader.text(index)):
        items = _paragraph_items(reader, index + 1, announced_count(reader.text(index)))
    return Enumeration(intro, items) if items else None


def enumeration_under_heading(passage: StoredPassage, following: Neighbours) -> Enumeration | None:
    """The list of a passage that opens with a heading announcing it ("Recommendations", "Three lessons")."""
    if not passage.heading or not passage.sentence_spans or passage.sentence_spans[0][0] == 0:
        return None  # the passage does not open with its heading: its sentences may not be the first items
    heading = passage.heading.split(" — ")[-1]
    reader = _Reader(passage, following)
    numbered = reader.marker(0) is not None and reader.marker(0)[0] == 1
    if not _announces(heading) and not numbered:  # steps numbered from 1 need no heading to announce them
        return None
    items = _marked_items(reader, 0) or (_paragraph_items(reader, 0, announced_count(heading)) if _announces(heading)
                                         else None)
    return Enumeration([], items) if items else None


def enumeration_around(passage: StoredPassage, index: int, following: Neighbours,
                       preceding: Callable[[StoredPassage], StoredPassage | None]) -> Enumeration | None:
    """The marked list that sentence ``index`` is an item of, found from its announcement in this passage or the
    one before (``preceding``): a question asking for a list may best match one of its items."""
    if marker(sentence_text(passage, index)) is None:
        return None
    before = preceding(passage)
    earlier = [(before, k) for k in range(len(before.sentence_spans))] if before is not None else []
    sentences = earlier + [(passage, k) for k in range(index + 1)]
    for j in range(len(sentences) - 2, max(-1, len(sentences) - 2 - MAX_GAP * MAX_ITEMS), -1):
        opens = marker(sentence_text(*sentences[j + 1]))
        if marker(sentence_text(*sentences[j])) is None and opens is not None and opens[0] in (0, 1):
            enumeration = enumeration_after(*sentences[j], following)
            if enumeration and any(item.lead[0].id == passage.id and item.lead[1] == index for item in enumeration.items):
                return enumeration
            return None
    return None


def _marked_items(reader: _Reader, first: int) -> list[ListItem] | None:
    """Items numbered in order (or bulleted) from sentence ``first`` on; None unless there are two or more."""
    if not reader.has(first) or (found := reader.marker(first)) is None or found[0] not in (0, 1):
        return None
    starts, expected, k = [(first, found[1])], 2, first + 1
    while len(starts) < MAX_ITEMS and k - starts[-1][0] <= MAX_GAP and reader.has(k):
        found = reader.marker(k)
        if found is not None and found[0] in (0, expected):
            starts.append((k, found[1]))
            expected += 1
        k += 1
    if len(starts) < 2:
        return None
    items = []
    for (start, printed), nxt in zip(starts, [s for s, _ in starts[1:]] + [None]):
        end = nxt - 1 if nxt is not None else reader.paragraph_end(start, MAX_ITEM_SENTENCES)
        end = min(end, start + MAX_ITEM_SENTENCES - 1)
        items.append(ListItem(printed, reader.sentences[start : end + 1]))
    return items


def _paragraph_items(reader: _Reader, first: int, count: int | None) -> list[ListItem] | None:
    """Unmarked items: the paragraphs from sentence ``first`` on, as many as ``count`` says or, with no count,
    while they stay short and parallel (up to a heading-like line); None unless there are two or more."""
    items, k = [], first
    while reader.has(k) and len(items) < (count or MAX_ITEMS):
        starts_paragraph = k == 0 or not same_paragraph(reader.sentences[k - 1], reader.sentences[k])
        if not starts_paragraph or _heading_like(reader.text(k)) or reader.marker(k) is not None:
            break
        end = reader.paragraph_end(k, MAX_PARAGRAPH_SENTENCES + 1)
        if end - k + 1 > MAX_PARAGRAPH_SENTENCES or len(_WORD.findall(reader.text(k))) > MAX_LEAD_WORDS:
            break
        items.append(ListItem("", reader.sentences[k : end + 1]))
        k = end + 1
    if len(items) < 2 or (count and len(items) != count):
        return None
    return items
