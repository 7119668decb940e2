"""Page furniture: running heads and feet, page numbers, and other lines a layout repeats on page after page.

They are no part of any sentence, so they are kept out of the text passages are cut from; but they often
name the report ("OPM Fiscal Year 2016 Annual Performance Report"), so they are kept as its identity text.

A line is furniture when it sits in a page's top or bottom margin band and, with its digits read as one
digit, recurs there on several pages at about the same height; or when it is a page number there.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from .layout import Line, PageLayout

MARGIN_BAND = 0.12  # of the page height, at the top and at the bottom: where running heads and feet sit
LEVELS_PER_MARGIN = 3  # lines at this many distinct heights nearest each edge are candidates
# A line on fewer pages could be the report's own words said twice; but a short report (a cover and two pages)
# has its running head on every page but the cover, and two will do.
MIN_PAGES = 3
# ... and one on fewer than this share of the pages could be a value that recurs in a long table.
MIN_SHARE_OF_PAGES = 0.3
SAME_HEIGHT = 6.0  # points: a running head sits at about the same height on every page
_PAGE_NUMBER = re.compile(
    r"^(?:page\s*)?[-–—(\[]?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*[-–—)\]]?(?:\s*(?:of|/)\s*\d{1,4})?$", re.IGNORECASE
)
# A page number at either end of a running head, left out of the identity text.
_EDGE_NUMBER = re.compile(r"^(?:page\s+)?\d{1,4}(?:\s*[|·•–—-]?\s+|(?=[A-Z]))|\s+[|·•–—-]?\s*(?:page\s+)?\d{1,4}$",
                          re.IGNORECASE)
_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")


@dataclass
class Furniture:
    lines: set[tuple[int, int]]  # (page index, line index) of every furniture line
    identity: list[str]  # the distinct running heads and feet that are words, not page numbers, in order found


def _key(text: str) -> str:
    return _SPACE.sub(" ", _DIGITS.sub("#", text.lower())).strip(" .|·•–—-")


def _margin_lines(page: PageLayout) -> list[int]:
    """Indices of the lines nearest the top and bottom edges, within the margin bands when the page's size is
    known; by reading order when the text layer gives no positions."""
    indexed = [(i, line) for i, line in enumerate(page.lines) if line.text.strip()]
    if not indexed:
        return []
    if not any(line.y for _, line in indexed):
        return [i for i, _ in indexed[:LEVELS_PER_MARGIN] + indexed[-LEVELS_PER_MARGIN:]]
    levels = sorted({round(line.y) for _, line in indexed})
    top, bottom = set(levels[-LEVELS_PER_MARGIN:]), set(levels[:LEVELS_PER_MARGIN])
    chosen = []
    for i, line in indexed:
        y = round(line.y)
        if page.height:
            in_top, in_bottom = y >= page.height * (1 - MARGIN_BAND), y <= page.height * MARGIN_BAND
        else:
            in_top = in_bottom = True
        if (y in top and in_top) or (y in bottom and in_bottom):
            chosen.append(i)
    return chosen


def _numbered_like_pages(found: list[tuple[int, int, Line]]) -> list[tuple[int, int, Line]]:
    """The occurrences whose numbers are the same on every page, or grow with the page: a running head with
    its page number. Numbers that vary otherwise ("TABLE 1.01", "TABLE 1.02") make captions, not furniture."""
    numbers = [[int(n) for n in _DIGITS.findall(line.text)] for _, _, line in found]
    if len({len(n) for n in numbers}) > 1:
        return []
    kept = list(range(len(found)))
    for k in range(len(numbers[0]) if numbers else 0):
        if len({numbers[j][k] for j in kept}) <= 1:
            continue
        offsets = Counter(numbers[j][k] - found[j][0] for j in kept)
        offset, _ = offsets.most_common(1)[0]
        kept = [j for j in kept if numbers[j][k] - found[j][0] == offset]
    return [found[j] for j in kept]


def find_furniture(pages: list[PageLayout], body_size: float) -> Furniture:
    candidates: dict[str, list[tuple[int, int, Line]]] = defaultdict(list)
    furniture: set[tuple[int, int]] = set()
    for p, page in enumerate(pages):
        for i in _margin_lines(page):
            line = page.lines[i]
            text = line.text.strip()
            if _PAGE_NUMBER.match(text):
                furniture.add((p, i))
            # A line set larger than the body is a heading, not a running head, however often it recurs.
            elif not (body_size and line.size > 1.3 * body_size):
                candidates[_key(text)].append((p, i, line))
    lines_with_text = [sum(1 for line in page.lines if line.text.strip()) for page in pages]
    pages_with_text = sum(1 for n in lines_with_text if n)
    needed = max(2, min(MIN_PAGES, pages_with_text - 1), MIN_SHARE_OF_PAGES * pages_with_text)
    identity: list[str] = []
    for key, found in candidates.items():
        if len({p for p, _, _ in found}) < needed or not key:
            continue
        # The largest group of occurrences at about one height, each page counted once.
        heights = Counter(round(line.y / SAME_HEIGHT) for _, _, line in found)
        level, _ = heights.most_common(1)[0]
        same_place = [(p, i, line) for p, i, line in found if abs(round(line.y / SAME_HEIGHT) - level) <= 1]
        if len({p for p, _, _ in same_place}) < needed:
            continue
        same_place = _numbered_like_pages(same_place)
        # A line that is all its pages say is their text, however often it recurs.
        alone = sum(1 for p, _, _ in same_place if lines_with_text[p] <= 1)
        if len({p for p, _, _ in same_place}) < needed or 2 * alone > len(same_place):
            continue
        furniture.update((p, i) for p, i, _ in same_place)
        words = _EDGE_NUMBER.sub("", _SPACE.sub(" ", same_place[0][2].text).strip())
        if words and not _PAGE_NUMBER.match(words):
            identity.append(words)
    return Furniture(furniture, list(dict.fromkeys(identity)))
