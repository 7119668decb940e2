"""Titles and dates a reader recognises, and where each one came from.

Staff values (command line, sidecar, front matter, staff page) always win. Otherwise a file's own title is
used when it is a title: an id (``0000320193-23-000077``, ``DOT2022``), the file's name, "Microsoft Word -
...", or "untitled" is not. Then the title is the first page's largest print, else the report's first
heading, else the file name made readable.

A date is the one the title names ("Fiscal Year 2016"), else one on the cover page ("for the period
ended June 30, 2023", "March 2023", "FY 2022"), else a year in the file name, else, a weak last resort,
the PDF's creation date. Dates are ISO 8601 and as precise as their source: "2023-06-30", "2023-03", "2016".
"""
from __future__ import annotations

import datetime as dt
import itertools
import re
from pathlib import Path

from .layout import FIELD, Line

# Where a title or a date came from: what `ingest list` shows, and what a rebuild keeps (staff values).
STAFF, FILE, COVER, HEADING, FILENAME, TITLE, CREATED = "staff", "file", "cover", "heading", "filename", "title", "created"

TITLE_MAX_WORDS = 25
# A subtitle under a title may be printed this much smaller; under one that names no year, smaller still: it says which
# of a series this is ("Quarterly Monitoring Report" at 24 points over "Coastal Livelihoods Resilience Programme (CLRP)
# - Q3 2023" at 14).
SUBTITLE_SIZE, SUBTITLE_SIZE_UNDATED = 0.6, 0.55
ID_LETTERS = 5  # the letters of a report's number ("MIB 07/2024", "PSB 2024-01"), which make no title
_JUNK_TITLE = re.compile(
    r"^(?:untitled\b.*|template\b.*|microsoft (?:word|powerpoint|excel)\b.*|powerpoint presentation|document\s*\d*|slide \d+"
    r"|.*\.(?:docx?|pdf|indd|pptx?|rtf|xlsx?|odt|tex|html?))$",
    re.IGNORECASE,
)
# Words a file's name adds to a title ("AR2021 final", "plan_v3 draft"): with ids, they make no title.
_FILE_WORDS = {"final", "draft", "web", "print", "copy", "clean", "rev", "revised", "version", "edit", "edited",
               "tracked", "approved", "updated", "new", "old", "online"}
# The largest print of a first page that names a part of a report, not the report.
_GENERIC_HEADINGS = {"contents", "table of contents", "abstract", "summary", "executive summary", "foreword",
                     "preface", "introduction", "overview", "acknowledgements", "acknowledgments", "disclaimer"}

_MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
# A month's name, in full or shortened, as one group; qa/scope.py reads "the June 2023 report" with it too.
MONTH = (r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
          r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_YEAR = r"((?:19|20)\d\d)"
WEEKDAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_MONTH_DAY_YEAR = rf"{MONTH}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+{_YEAR}"
_DAY_MONTH_YEAR = rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+{MONTH},?\s+{_YEAR}"
# A meeting's days ("14-15 March 2019", "March 14–15, 2019"): the first day dates it.
_DAYS = r"(\d{1,2})(?:st|nd|rd|th)?\s*[-\u2013\u2014]\s*\d{1,2}(?:st|nd|rd|th)?"
_DAYS_MONTH_YEAR = rf"{_DAYS}\s+{MONTH},?\s+{_YEAR}"
_MONTH_DAYS_YEAR = rf"{MONTH}\s+{_DAYS},?\s+{_YEAR}"
_ISO = rf"{_YEAR}-(\d\d)-(\d\d)"
_MONTH_YEAR = rf"{MONTH},?\s+{_YEAR}"
_ENDED = r"(?:period|year|quarter|months?)\s+end(?:ed|ing)\s+(?:on\s+)?"
_PUBLISHED = (r"(?:published|issued|released|dated|effective|(?:publication|issue|release|effective)\s+date"
              r"|date\s+of\s+(?:publication|issue|release))\s*:?\s+(?:on\s+|in\s+|from\s+)?")


def _flags(pattern: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){pattern}(?![\w])", re.IGNORECASE)


# The date forms, most telling first: each gives (year, month, day) from its match, month and day may be None.
# The first say what period a report covers or when it was published: the report's own date, however old.
_OWN_DATE_FORMS: list[tuple[re.Pattern, callable]] = [
    (_flags(_ENDED + _MONTH_DAY_YEAR), lambda m: (m[3], m[1], m[2])),
    (_flags(_ENDED + _DAY_MONTH_YEAR), lambda m: (m[3], m[2], m[1])),
    (_flags(_ENDED + _MONTH_YEAR), lambda m: (m[2], m[1], None)),
    (_flags(_PUBLISHED + _MONTH_DAY_YEAR), lambda m: (m[3], m[1], m[2])),
    (_flags(_PUBLISHED + _DAY_MONTH_YEAR), lambda m: (m[3], m[2], m[1])),
    (_flags(_PUBLISHED + _MONTH_YEAR), lambda m: (m[2], m[1], None)),
]
_DATE_FORMS: list[tuple[re.Pattern, callable]] = _OWN_DATE_FORMS + [
    (_flags(_DAYS_MONTH_YEAR), lambda m: (m[3], m[2], m[1])),
    (_flags(_MONTH_DAYS_YEAR), lambda m: (m[3], m[1], m[2])),
    (_flags(_MONTH_DAY_YEAR), lambda m: (m[3], m[1], m[2])),
    (_flags(_DAY_MONTH_YEAR), lambda m: (m[3], m[2], m[1])),
    (_flags(_ISO), lambda m: (m[1], m[2], m[3])),
    (_flags(_MONTH_YEAR), lambda m: (m[2], m[1], None)),
    (_flags(rf"(?:fiscal\s+years?|FY)\s*'?{_YEAR}"), lambda m: (m[1], None, None)),
    (_flags(r"FY\s*'?(\d\d)"), lambda m: ("20" + m[1], None, None)),
    (_flags(rf"(?:Q[1-4]|(?:first|second|third|fourth)\s+quarter)\s+(?:of\s+)?(?:fiscal\s+(?:year\s+)?)?{_YEAR}"),
     lambda m: (m[1], None, None)),
]
_BARE_YEAR = (_flags(_YEAR), lambda m: (m[1], None, None))
_LONE_YEAR = (re.compile(rf"(?<![\w/.()-]){_YEAR}(?![\w/.()-])"), lambda m: (m[1], None, None))
_DATE_LINE = re.compile(rf"(?:{WEEKDAY},?\s+)?(?:{_MONTH_DAY_YEAR}|{_DAY_MONTH_YEAR}"
                        rf"|{_DAYS_MONTH_YEAR}|{_MONTH_DAYS_YEAR}"
                        rf"|{_MONTH_YEAR}|{_ISO})\.?", re.IGNORECASE)


def is_real_title(title: str, path: Path) -> bool:
    """Whether a file's own title names the report (not an id, a file name, or a word processor's placeholder)."""
    title = title.strip()
    if len(title) < 3 or not any(c.isalpha() for c in title) or _JUNK_TITLE.match(title):
        return False
    named = [w for w in re.findall(r"[^\W\d_]+", title) if w.lower() not in _FILE_WORDS]
    if any(c.isdigit() for c in title) and (" " not in title or all(w.isupper() and len(w) <= ID_LETTERS for w in named)):
        return False  # DOT2022, 0000320193-23-000077, 10811.exe, "MIB 07/2024", "NRDA AAR 2022 (web)": letters, a number
    words = [w for w in re.split(r"[\s_\-.]+", title.lower()) if w]
    if not any(w.isalpha() and len(w) >= 3 and w not in _FILE_WORDS for w in words):  # "AR2021 final"
        return False
    if "_" in title and " " not in title:
        return False  # "Coldharbour_LCT_RB_eval": a file's name
    squash = lambda s: re.sub(r"[\W_]+", "", s.lower())  # noqa: E731
    return squash(title) != squash(path.stem)


# Share of a file's own title's words that its cover must print for the title to be the report's.
PRINTED_SHARE = 0.5


def _names_a_draft(title: str) -> bool:
    """Does ``title`` hold the words of a file's working name: "final", "draft", "template", "v3"?"""
    return any(w in _DRAFT_WORDS or _VERSION.fullmatch(w) for w in re.findall(r"[a-z0-9]+", title.lower()))


_DRAFT_WORDS = {"final", "draft", "template", "copy", "clean", "tracked", "edit", "edited", "rev"}
_VERSION = re.compile(r"v\d+")


def _printed_on(title: str, cover_text: str) -> bool:
    """Does ``cover_text`` print most of the words of ``title``?"""
    words = set(re.findall(r"[a-z0-9]+", title.lower()))
    printed = set(re.findall(r"[a-z0-9]+", cover_text.lower()))
    return len(words & printed) >= PRINTED_SHARE * len(words)


def date_span(text: str) -> tuple[int, int] | None:
    """Where the first date ``text`` names (a day, a meeting's days or a month of a year) starts and ends."""
    match = _DATE_LINE.search(text)
    return match.span() if match else None


def is_date_line(text: str) -> bool:
    """Is ``text`` a date and nothing else ("Tuesday, January 13, 2009", "March 2021")? Printed apart, in bold, such a
    line is still no heading: what follows happened on it, and a quote of it needs the date."""
    return bool(_DATE_LINE.fullmatch(text.strip()))


def readable_filename(path: Path) -> str:
    return re.sub(r"[_-]+", " ", path.stem).strip() or path.name


def cover_title(lines: list[tuple[Line, str]], body: float) -> str:
    """The title printed on a first page: its largest print (lines in a row at one size, larger than the body
    text), with a subtitle printed just below it a little smaller. ``lines`` are (line, cleaned text) in
    reading order, furniture left out. "" when nothing on the page is printed larger than the body.
    A largest print that names only the kind of document ("FORM 10-Q", "Annual Report") is the title of every
    such filing: the next largest print that names something ("Apple Inc.") goes before it; before a report's kind
    and year ("Annual Report 2022"), the name printed above it (_masthead)."""
    kind_only = ""
    for size in sorted({line.size for line, _ in lines if line.size}, reverse=True):
        if body and size < 1.1 * body:
            return kind_only
        for run in _runs([i for i, (line, _) in enumerate(lines) if line.size == size]):
            title = " ".join(lines[i][1] for i in run)
            if not title_like(title):
                if kind_only:
                    continue  # the name may come later at the size of "FORM 10-Q"
                break
            if kind_only:
                return f"{title} {kind_only}" if len(f"{title} {kind_only}".split()) <= TITLE_MAX_WORDS else kind_only
            if _names_kind_only(title) and _YEARS.search(title) and not _names_form(title):
                # "Annual Report 2022" under its publisher's name ("Office of Rail Accident Investigation").
                masthead = _masthead(lines, run[0], body)
                return f"{masthead} {title}" if masthead and len(f"{masthead} {title}".split()) <= TITLE_MAX_WORDS else title
            if _names_kind_only(title):
                kind_only = title
                continue
            if _names_organisation(title) and _smaller_title(lines, size, body):
                continue  # the publisher's masthead ("Rail Safety Board") over the report's own title
            title = _under_kicker(lines, run[0], title, body)
            after = run[-1] + 1
            if after < len(lines):
                line, text = lines[after]
                smallest = SUBTITLE_SIZE if _YEARS.search(title) else SUBTITLE_SIZE_UNDATED
                if (smallest * size <= line.size <= size and (not body or line.size >= 1.1 * body) and title_like(text)
                        and not _names_organisation(text)):
                    title = f"{title}: {text}" if line.size < size else f"{title} {text}"
            return title if len(title.split()) <= TITLE_MAX_WORDS else ""
    return kind_only


# The last word of an organisation's name: a publisher's masthead printed larger than the report's title.
_ORGANISATION_NOUNS = frozenset("""board branch authority agency office institute institution centre center department
    inspectorate ministry commission council foundation bureau service administration laboratory lab university trust
    society association corporation directorate secretariat""".split())


def _names_organisation(text: str) -> bool:
    words = re.findall(r"[\w'’-]+", text.lower())
    return 0 < len(words) <= 8 and words[-1] in _ORGANISATION_NOUNS and not _YEARS.search(text)


def _smaller_title(lines: list[tuple[Line, str]], size: float, body: float) -> bool:
    """Is a line printed smaller than ``size`` but larger than the body text a title, not a name?"""
    return any((line.size or 0) < size and (not body or (line.size or 0) >= 1.1 * body) and title_like(text)
               and not _names_organisation(text) for line, text in lines)


def _masthead(lines: list[tuple[Line, str]], before: int, body: float) -> str:
    """The first line above line ``before`` that names something, printed no smaller than the body text: whose
    "Annual Report 2022" it is ("Office of Rail Accident Investigation"); "" when there is none."""
    for line, text in lines[:before]:
        if (not body or (line.size or 0) >= body) and title_like(text) and not _names_kind_only(text):
            return text
    return ""


_YEARS = re.compile(rf"\b{_YEAR}\b")

THEME_WORDS = 6  # at most, a cover's title that is a theme ("A new chapter"), not a description of its subject
# Words naming a kind of publication: a smaller line above a cover's title holding one says which series it is of.
_SERIES_WORDS = frozenset("""report review plan strategy strategic forum dialogue conference summit symposium workshop
    proceedings evaluation brief paper statement survey assessment outlook yearbook study""".split())


def _under_kicker(lines: list[tuple[Line, str]], first: int, title: str, body: float) -> str:
    """A cover's title with the smaller line printed just above it, when that line says which series and year the
    title's theme is of: "Regional Water Security Forum 2019" over "Summary of Proceedings", "Annual Review 2023"
    over "A new chapter" (with its publisher's name when it names only a kind and year), "Strategic Plan" over
    "Evidence that Counts". A title that has its own year, or already says what the line says, stands alone, and so
    does one long enough to say what it is about ("Rail Accident Report" over "Collision between a train and ...")."""
    if first == 0 or _YEARS.search(title):
        return title
    line, kicker = lines[first - 1]
    if (line.size or 0) >= lines[first][0].size or (body and (line.size or 0) < body) or not title_like(kicker) \
            or _names_organisation(kicker) or is_date_line(kicker):
        return title
    words = set(re.findall(r"[a-z]+", kicker.lower()))
    if not (_YEARS.search(kicker) or (len(title.split()) <= THEME_WORDS
                                      and (words & _SERIES_WORDS) - set(re.findall(r"[a-z]+", title.lower())))):
        return title
    if _names_kind_only(kicker) and _YEARS.search(kicker):
        masthead = _masthead(lines, first - 1, body)
        kicker = f"{masthead} {kicker}" if masthead else kicker
    titled = f"{kicker}: {title}"
    return titled if len(titled.split()) <= TITLE_MAX_WORDS else title


def _names_form(title: str) -> bool:
    return any(_FORM_NUMBER.match(w) for w in re.findall(r"[\w-]+", title.lower()))


def _runs(indices: list[int]) -> list[list[int]]:
    """``indices`` cut into runs of consecutive ones."""
    runs: list[list[int]] = []
    for i in indices:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


# Words that say what kind of document a report is, not which: a title of these alone names no one report.
_KIND_WORDS = frozenset("""form report review annual quarterly final interim summary statement statements financial
    current registration proxy""".split())
_FORM_NUMBER = re.compile(r"^(?:10-[kq]|8-k|20-f|40-f|6-k|s-1|10-k405|def)$", re.IGNORECASE)


def _names_kind_only(title: str) -> bool:
    """"FORM 10-Q", "Annual Report 2022": what kind of document (and of when), not whose."""
    words = [w for w in re.findall(r"[\w-]+", title.lower()) if not _YEARS.fullmatch(w)]
    return bool(words) and all(w in _KIND_WORDS or _FORM_NUMBER.match(w) for w in words)


def title_like(text: str) -> bool:
    """Whether a line could be a report's title: words, not too many, not the name of a part ("Contents")."""
    letters = sum(c.isalpha() for c in text)
    return (letters >= 4 and len(text.split()) <= TITLE_MAX_WORDS and len(text) <= 200
            and text.lower().strip(" :") not in _GENERIC_HEADINGS)


def find_date(text: str, latest_year: int, earliest_year: int = 0, bare_years: bool = False,
              forms: list[tuple[re.Pattern, callable]] | None = None) -> str:
    """The most telling date ``text`` names within the years allowed, as an ISO 8601 prefix; "" when none.
    ``bare_years``: a year standing alone counts too (in a title, not in a page of prose); ``forms``: only these."""
    forms = forms or _DATE_FORMS + ([_BARE_YEAR] if bare_years else [])
    for pattern, parts in forms:
        for match in pattern.finditer(text):
            date = _iso(*parts(match))
            if date and earliest_year <= int(date[:4]) <= latest_year:
                return date
    return ""


def _iso(year: str, month: str | None, day: str | None) -> str:
    if month is None:
        return year
    number = month if month.isdigit() else str(_MONTH_NAMES.index(month.lower()[:3]) + 1)
    try:
        if day is None:
            dt.date(int(year), int(number), 1)
            return f"{year}-{int(number):02d}"
        return dt.date(int(year), int(number), int(day)).isoformat()
    except ValueError:  # 31 February: not a date
        return ""


def resolve_title(staff: str, own: str, cover: str, cover_text: str, first_heading: str, path: Path) -> tuple[str, str]:
    """The title and where it came from. A file's own title with a draft's words ("WP template", "PFH report FINAL
    FINAL") that its cover does not print is the working name of a file, and the cover's title the one readers know.
    (A cover may print its title as a picture, so an own title the cover lacks is still the title without them.)"""
    working = bool(cover) and _names_a_draft(own) and not _printed_on(own, cover_text)
    for value, source in ((staff, STAFF), (own if not working and not _said_better(own, cover) and is_real_title(own, path)
                                           else "", FILE), (cover, COVER),
                          (first_heading, HEADING)):
        if value.strip():
            return value.strip(), source
    return readable_filename(path), FILENAME


def _said_better(own: str, cover: str) -> bool:
    """Does the cover's title say what a file's own title says and more ("Annual Review" against "Lanternfield
    Community Trust Annual Review 2020: Reading through a difficult year"), or is the own title one word
    ("Strategy", "Agenda") where the cover has a title?"""
    own_words = re.findall(r"\w+", own.lower())
    cover_words = re.findall(r"\w+", cover.lower())
    return bool(cover_words) and (len(own_words) == 1 or (len(cover_words) > len(own_words)
                                                          and set(own_words) <= set(cover_words)))


# A cover's field that dates the report or what it reports ("Inspection dates: 18-19 October 2021", "Date of
# incident: ..."), not one that looks ahead ("Next inspection due: October 2023", "Valid until: ...").
_DATE_LABEL = re.compile(r"\bdates?\b", re.IGNORECASE)
_AHEAD_LABEL = re.compile(r"\b(?:next|due|expir\w*|valid|until|review|revision)\b", re.IGNORECASE)


def _date_fields(cover_text: str) -> str:
    """The values of the cover's fields that date the report, one per line; a label printed in a column of its own
    ("Inspection dates:") has its value on the next line."""
    lines = [line.strip() for line in cover_text.splitlines()]
    values = []
    for k, line in enumerate(lines):
        field = FIELD.match(line)
        label, value = (field["label"], field["value"]) if field else (line[:-1], lines[k + 1] if k + 1 < len(lines) else "")
        if (field or line.endswith(":")) and _DATE_LABEL.search(label) and not _AHEAD_LABEL.search(label):
            values.append(value)
    return "\n".join(values)


# A fiscal year named ("fiscal 2024", "FY2023", "FY '24"); qa/scope.py reads questions with it too.
FISCAL_WORD = re.compile(r"\bfiscal\b|\bfy\s*'?\d", re.IGNORECASE)
TITLE_BLOCK_WORDS = 10


def _title_block_line(line: str) -> bool:
    """A line of a cover's masthead or title block ("Suva, Fiji | 23-24 November 2021", "POLICY BRIEF No. 2022/08 -
    AUGUST 2022"), not of its prose: the date such a line names is the report's, however long ago it was made."""
    return len(re.findall(r"[^\W\d_]+", line)) <= TITLE_BLOCK_WORDS and not line.rstrip().endswith(".")


def resolve_date(staff: str, title: str, cover_text: str, path: Path, created: str) -> tuple[str, str]:
    """The date and where it came from. No date is more than a year after the file was made; a date in the cover's
    prose more than three years before it is not the report's either ("founded in 1998"), but a title's year, the
    cover's period or publication line and a date line of the cover are, however long after them the file was made
    (an archive exported again)."""
    if staff.strip():
        return staff.strip(), STAFF
    # The period a cover says the report covers, the day it says it was published, a field of it that dates it
    # ("Inspection date: 4 October 2022") or a date on a short line of it ("December 2019", "Suva, Fiji | 23-24
    # November 2021"): the report's, though the file was made years later. Any other date must be recent.
    lines = cover_text.splitlines()
    date_lines = "\n".join(line for line in lines
                           if is_date_line(line) or (_title_block_line(line) and not FIELD.match(line)))

    def covers_date(latest: int) -> str:
        return (find_date(cover_text, latest, forms=_OWN_DATE_FORMS) or find_date(_date_fields(cover_text), latest)
                or find_date(date_lines, latest))

    made = int(created[:4]) if created else 0
    if made and int(covers_date(dt.date.today().year + 1)[:4] or 0) > made + 1:
        # A cover dated years after its file was made: the creation date is a tool's fixed stamp (ReportLab's
        # reproducible mode writes 2000-01-01), no bound on the report's dates.
        made = 0
    latest = made + 1 if made else dt.date.today().year + 1
    earliest = made - 3 if made else 0
    if title_date := find_date(title, latest, bare_years=True):
        # A fiscal year's quarter may end in the calendar year before ("Q2 FY2023": the three months ended 30
        # September 2022).
        year, fiscal = int(title_date[:4]), bool(FISCAL_WORD.search(title))
        day = ((fiscal and find_date(cover_text, year, year - 1, forms=_OWN_DATE_FORMS)) or find_date(cover_text, year, year)
               if len(title_date) == 4 else "")
        if len(day) > 4:
            # "Q4 2023 Quarterly Report" over "For the quarter ended December 31, 2023": the cover says which day.
            return day, COVER
        return title_date, TITLE
    if date := covers_date(latest):
        return date, COVER
    # "2022 Cohort Report" under its title: a year standing alone on the lines a cover starts with, before its prose
    # (not a form's revision, "DCF-F-2476-E (R. 04/2014)").
    if date := find_date("\n".join(itertools.takewhile(_title_block_line, lines)), latest, forms=[_LONE_YEAR]):
        return date, COVER
    for text, source, bare in ((cover_text, COVER, False), (readable_filename(path), FILENAME, True)):
        if date := find_date(text, latest, earliest, bare):
            return date, source
    return (created, CREATED) if created else ("", "")
