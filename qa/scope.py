"""A question is a reference plus an ask: the words that name the reports it is about, and what it asks of them.

"In the 2016 annual performance report, how many strategic goals did the agency have?" names a report
("the 2016 annual performance report") and asks something of it ("how many strategic goals did the agency
have"). The reference is resolved against the library's own catalogue (titles, publishers, authors, file
names and dates: nothing here knows any one library's wording) and then scopes the search to the reports it
singles out; the ask alone chooses the sentence, so the words that name a report never out-score the words
that ask (a report's cover block names it best of all).

A reference is read from the question's wording, generically:
- a noun phrase headed by a word for a report ("the Q2 2023 filing", "the latest annual performance report",
  "the report on the incident near <town>"), or by a word of the library's titles when a year, quarter or
  recency word marks it ("the 2020 dialogue");
- a leading clause ("In/According to/For <words>, ...") whose words name reports;
- years, quarters and fiscal years; "latest"/"most recent", "previous", "earliest"; "since 2016", "from 2016
  to 2019".
Question words that merely occur in a few reports' titles (no such phrase) only make those reports preferred.
"""
from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace

from ingest.naming import FISCAL_WORD, MONTH, WEEKDAY, find_date
from ingest.text import STOPWORDS, content_words, stem, stems

from .verb_forms import PAST_FORMS

# Words for "a report" in any think tank's library; a library's own title words join them when marked.
REPORT_NOUNS = frozenset(
    """report dialogue dialog plan filing review study paper brief briefing survey edition assessment proceedings
    publication bulletin newsletter evaluation audit outlook testimony transcript investigation protocol 10-k 10-q
    yearbook factsheet sop version revision conference workshop roundtable forum symposium seminar summit""".split()
)
REPORT_NOUN_STEMS = frozenset(stem(w) for w in REPORT_NOUNS)
_KIND_NOUNS = frozenset("quarterly annual interim".split())
_VERSION_NOUNS = frozenset({"version", "revision"})
_QUARTERLY = stem("quarterly")
# Words for the kind of a report, not for which one: in "the latest Apple quarterly report", "Apple" picks the reports
# and "quarterly report" (which another company's running heads may print) only ranks them (_naming_scores).
# "Its third quarter fiscal 2023 results": what kind of report, which the company's name says whose.
KIND_STEMS = REPORT_NOUN_STEMS | frozenset(stem(w) for w in "annual quarterly monthly yearly interim final form results".split())
# Words for what a report is about, in a library of incident or case reports: "the Bishop accident", "the crash near
# Pueblo" name one report by the event's place or name, which only the report's text holds (qa/pipeline.py).
EVENT_NOUNS = frozenset("""accident incident crash collision fire explosion mishap derailment spill outbreak case rupture
    sinking capsizing collapse leak release fatality exposure allision grounding blowout overrun flood flooding storm
    wildfire bushfire earthquake hurricane cyclone typhoon tornado outage blackout heatwave landslide eruption tsunami
    drought inspection investigation""".split())
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)", re.IGNORECASE)  # "the 50th one" is no place
# Common words between an event's place and its noun: "the Fredericksburg helicopter accident", "the Enid pipeline
# rupture"; at most this many.
_EVENT_KIND_WORDS = 2
# Words that put something at a place ("the temperature at Bishop"); an event may also be off, over or on one.
_PLACE_WORDS = frozenset("near at in outside off".split())
_EVENT_PLACE = _PLACE_WORDS | {"over", "on"}
_EVENT_WORDS = 4  # at most, on either side of the event's noun
# A period that names a filing when it is the latest or previous one: "iPhone revenue in the latest quarter".
_PERIOD_NOUNS = frozenset({"quarter"})
_PERIOD_STEMS = frozenset(stem(w) for w in _PERIOD_NOUNS)
_AMOUNT_NOUNS = frozenset("number count total share percentage proportion majority".split())
# Words for a document that are as often its subject ("the ordinary legislative procedure"): a report's name only when
# a year or recency marks them ("the current sampling procedure", "the 2021 handbook").
_MARKED_NOUNS = frozenset("procedure procedures guideline guidelines manual manuals handbook handbooks".split())
# Small words inside a place's name: "Fond du Lac", "Isle of Man", "Rio de Janeiro".
_NAME_PARTICLES = frozenset("du de la le des del della da di van von der den of upon".split())
_DETERMINERS = frozenset("the this that these those its their our his her each every both all".split())
# Words that end a reference phrase on the right or the left: verbs of asking, wh-words, auxiliaries, punctuation.
_BOUNDARY = frozenset(
    """what which who whom whose when where why how does did do is are was were has have had can could will would
    should say says said state states stated find finds found show shows showed recommend recommends mention
    mentions describe describes described list lists give gives note notes conclude concludes tell tells put report reports
    reported identify identifies set sets call calls signed sign signs wrote write writes authored published
    issued released prepared suggest suggests suggested propose proposes proposed urge urges urged warn warns warned
    argue argues argued agree agrees agreed""".split()
)
_LEFT_STOP = frozenset("in on about from to for at by with according per within under during than since after before until".split())
_RIGHT_CLAUSE = frozenset("on about of for from covering into near at regarding concerning".split())
_LEADING = re.compile(r"^\s*(?:in|according to|from|per|within|for|based on)\s+(?P<ref>[^,?]{2,120}?)\s*,\s*(?P<ask>.+)$",
                      re.IGNORECASE)
# "The quarter ended March 31, 2023", "the period ending 2023-06-30", "the period to 31 March 2023", "the quarter ending
# December 2023", "the quarterly report to 30 June 2024": the filing of that period, by its date.
_PERIOD_OF = (r"\b(?:the\s+)?(?:fiscal\s+)?(?:quarter|period|year|(?:three|six|nine|twelve)\s+months|report)"
              r"\s+(?:end(?:ed|ing)\s+(?:on\s+)?|to\s+)")
_PERIOD = re.compile(_PERIOD_OF + rf"(?P<date>[A-Za-z]{{3,9}}\.?\s+\d{{1,2}},?\s+(?:19|20)\d\d|\d{{1,2}}\s+{MONTH}\s+"
                     rf"(?:19|20)\d\d|{MONTH}\s+(?:19|20)\d\d|(?:19|20)\d\d-\d\d-\d\d)", re.IGNORECASE)
# The same, as much of it as a reference phrase holds ("the 10-Q for the quarter ended June 30", before ", 2023"): its
# words date the report and name none.
_PERIOD_WORDS = re.compile(_PERIOD_OF + rf"(?:[A-Za-z]{{3,9}}\.?\s+\d{{1,2}}\b|\d{{1,2}}\s+{MONTH}\b|{MONTH}\b"
                           r"|(?:19|20)\d\d-\d\d-\d\d)", re.IGNORECASE)
# "At the end of September 2023", "the June 2023 report": the report dated in that month, when there is one.
_MONTH_PERIOD = re.compile(rf"\b(?:(?:at\s+)?the\s+end\s+of|as\s+(?:of|at))\s+(?P<date>{MONTH}\s+(?:19|20)\d\d)\b"
                           rf"|\b(?P<named>{MONTH}\s+(?:19|20)\d\d)\s+(?:quarterly\s+|annual\s+|monthly\s+)?"
                           rf"(?:report|filing|update|statement|edition)\b", re.IGNORECASE)
# "At the end of Q2 2024", "the end of the second quarter": words of a time, which no report is named by.
_END_OF = re.compile(r"\b(?:at\s+)?the\s+end\s+of\b", re.IGNORECASE)
# "By the end of the year": a time of its own, which a follow-up sets against the conversation's month.
_YEAR_END = re.compile(r"\b(?:end\s+of\s+the\s+(?:year|quarter)|year[\s-]+end)\b", re.IGNORECASE)
_TOKEN = re.compile(r"[\w][\w'’&.\-]*|[,;:?!]")
_YEAR = re.compile(r"(?<!\d)(?:19|20)\d\d(?!\d|s\b)")  # not a decade ("the 1980s")
_FISCAL = re.compile(r"\b(?:fy|fiscal\s+year)\s*'?(?P<year>(?:19|20)?\d\d)\b", re.IGNORECASE)
_QUARTER_TEXT = r"(?:q(?P<q>[1-4])|(?P<n>[1-4])q|(?P<word>first|second|third|fourth|1st|2nd|3rd|4th)[\s-]+quarter)"
_QUARTER = re.compile(rf"\b{_QUARTER_TEXT}\b", re.IGNORECASE)
_HALF = re.compile(r"\b(?:h1|first[\s-]+half|half[\s-]+year(?:ly)?|(?P<second>h2|second[\s-]+half))\b", re.IGNORECASE)
# A quarter in a file's name made readable: "csc-q3fy23-10q.pdf" reads "csc q 3 fy 23 10 q".
_NAME_QUARTER = re.compile(r"\bq\s?([1-4])\b", re.IGNORECASE)
_QUARTER_OF_YEAR = re.compile(rf"\b{_QUARTER_TEXT}\s+(?:of\s+)?(?:fiscal\s+(?:year\s+)?|fy\s*)?(?P<year>(?:19|20)\d\d)\b",
                              re.IGNORECASE)
_QUARTER_WORDS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
_RECENCY = {
    "latest": "latest", "newest": "latest", "current": "latest", "recent": "latest", "last": "latest",
    "previous": "previous", "prior": "previous", "preceding": "previous", "earlier": "previous",
    "earliest": "earliest", "oldest": "earliest",
}
_RANGE = re.compile(
    r"\b(?:since|after)\s+(?:fy\s*|fiscal\s+year\s+)?(?P<since>(?:19|20)\d\d)\b"
    r"|\b(?:from|between)\s+(?:fy\s*|fiscal\s+year\s+)?(?P<start>(?:19|20)\d\d)\s+(?:to|and|through|until|-)\s+"
    r"(?:fy\s*|fiscal\s+year\s+)?(?P<end>(?:19|20)\d\d)\b"
    r"|\b(?:before|until|up\s+to)\s+(?:fy\s*|fiscal\s+year\s+)?(?P<until>(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
# "And the year after?", "what about the year before?": a year relative to the one the conversation is about.
# Not "the year after the merger"; "the year after that?" is the conversation's.
_NOT_OF_THE_CONVERSATION = r"(?!\s+(?:the|\w+ing)\b)(?!\s+(?:that|this|it)\s+\w)"
_YEAR_AFTER = re.compile(rf"\b(?:the\s+)?year\s+after\b{_NOT_OF_THE_CONVERSATION}"
                         r"|\bthe\s+(?:following|next)\s+year\b|\ba\s+year\s+later\b", re.IGNORECASE)
_YEAR_BEFORE = re.compile(rf"\b(?:the\s+)?year\s+before\b{_NOT_OF_THE_CONVERSATION}|\ba\s+year\s+earlier\b",
                          re.IGNORECASE)
# A count of reports or years: "its last four reports", "across the four quarters".
_NUMBER = r"(?:two|three|four|five|six|seven|eight|nine|ten|[2-9]|1[0-2])"
_COUNT_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve".split())
# Questions that ask across the library: one quote per report rather than the one best sentence.
_ACROSS = re.compile(
    r"\bover\s+(?:the\s+|recent\s+|past\s+|several\s+|many\s+)?(?:years|quarters|time|decades?)\b"
    r"|\bover\s+the\s+(?:(?:last|past)\s+)?(?:two|three|four|five|six|\d)\s+(?:years|quarters)\b"
    r"|\bthrough\s+the\s+years\b|\bacross\s+(?:the\s+|all\s+)?(?:" + _NUMBER + r"\s+)?(?:reports|years|quarters|editions|filings|documents)\b"
    r"|\b(?:in|for)\s+(?:each|every|all)\s+(?:of\s+the\s+)?(?:reports?|years?|quarters?|editions?|filings?)\b"
    r"|\b(?:each|every)\s+(?:year|quarter|" + "|".join(sorted(EVENT_NOUNS)) + r")\b|\b(?:year[\s-](?:over|on|by|to)[\s-]year|quarter[\s-](?:over|on|by|to)[\s-]quarter)\b"
    r"|\bfrom\s+(?:year|quarter)\s+to\s+(?:year|quarter)\b"
    r"|\btrends?\b|\btrajectory\b|\bcompar(?:e|ed|es|ing|ison)\b"
    r"|\bhow\s+(?:has|have)\b.{0,80}?\b(?:changed|evolved|developed|progressed|shifted|grown|improved|declined)\b"
    r"|\bhow\s+(?:did|do|does)\b.{0,80}?\b(?:change|evolve|develop|progress|shift|grow|improve|decline)\b"
    r"|\b(?:earlier|previous|past|prior)\s+(?:reports|editions|filings|years)\b"
    # "Where was each energy security dialogue held?"
    r"|\b(?:each|every)\s+(?:[\w-]+\s+){0,3}?(?:" + "|".join(sorted(REPORT_NOUNS)) + r")\b",
    re.IGNORECASE,
)


@dataclass
class Reference:
    """What a question says about which reports it means, and what it asks."""

    ask: str  # the question without its reference: it chooses the sentence
    ask_keeping_clause: str = ""  # the same, keeping the reference's "on/about ..." clause (it may be the topic)
    phrase: str = ""  # the words that name reports, as written ("the 2016 annual performance report")
    words: list[str] = field(default_factory=list)  # stemmed content words of ``phrase``, years and markers left out
    clause_words: list[str] = field(default_factory=list)  # those of them in its "on/about ..." clause
    years: list[int] = field(default_factory=list)  # named in ``phrase``: a report of another year will not do
    loose_years: list[int] = field(default_factory=list)  # elsewhere in the question: they hint at a report ("in 2016")
    quarter: int | None = None
    fiscal: bool = False  # the quarter is of a fiscal year ("the first quarter of fiscal year 2024"), not the calendar's
    calendar: bool = False  # the quarter is the calendar's, named by its months ("the three months April to June 2023")
    recency: str | None = None  # "latest", "previous", "next" (after the conversation's) or "earliest"
    since: int | None = None  # year bounds, inclusive
    until: int | None = None
    across: bool = False  # asks across reports: one quote per report
    explicit: bool = False  # ``phrase`` names reports (rather than question words that occur in titles)
    headed: bool = False  # ``phrase`` is headed by a word for a report ("the report on the fire near <town>")
    event_words: list[str] = field(default_factory=list)  # lower-cased: the names of an event ("the Bishop accident")
    event_ask: str = ""  # the question without them: "What caused the accident?"
    event_phrase: str = ""  # as written: "the Bishop accident"
    period: str = ""  # ISO date of the period a filing covers: "the quarter ended March 31, 2023" -> "2023-03-31"
    place_words: list[str] = field(default_factory=list)  # lower-cased: "the temperature at Bishop" -> ["bishop"]
    year_shift: int = 0  # "the year after" (+1), "the year before" (-1): of the year the conversation is about
    count: int = 0  # "its last four reports": how many of the series, from the end ``recency`` says
    relative_to: list[str] = field(default_factory=list)  # "the edition before the Lagos one": lower-cased names

    @property
    def empty(self) -> bool:
        return not (self.words or self.years or self.loose_years or self.quarter or self.recency or self.since or self.until
                    or self.event_words or self.period or self.year_shift)


def parse(question: str, title_words: frozenset[str] = frozenset(), series_words: frozenset[str] = frozenset()
          ) -> Reference:
    """Split ``question`` into its reference and its ask. ``title_words``: the library's (lower-case) title
    words, which head a reference phrase when a year or quarter marks them ("the 2020 dialogue"); ``series_words``:
    those in the titles of several dated reports, which a recency word marks as well ("the latest forum")."""
    across = bool(_ACROSS.search(question))
    since = until = None
    bounds: set[int] = set()  # the years a range is given by, which bound it and name no report of their own
    for m in _RANGE.finditer(question):
        bounds |= {int(m[g]) for g in ("since", "start", "end", "until") if m[g]}
        if m["since"] or m["start"]:
            since, until = int(m["since"] or m["start"]), int(m["end"]) if m["end"] else until
            across = True  # "since 2016", "from 2016 to 2019": the reports of those years, each
        else:
            until = int(m["until"])
    spans = _reference_spans(question, title_words, series_words)
    relative = _RELATIVE_TO.search(question)
    if relative:  # "the forum before the Abidjan edition": the Abidjan edition is not the one asked about
        spans = [(s, n, e) for s, n, e in spans if not (s < relative.end() and relative.start() < e)]
    if not spans and (leading := _LEADING.match(question)):
        words, years, quarter, recency = _phrase_words(leading["ref"])
        # "In 1962, who wrote ...": a year alone is the data's, asked about (asked_years), not a report's name.
        if words or quarter or recency:
            spans = [(leading.start("ref"), leading.end("ref"), leading.end("ref"))]
    # "The first half", "the full year 2023": which report, but also which of its figures (its half-year column, not
    # its quarter's), so the words stay in what is asked.
    cut = [(s, n, e) for s, n, e in spans if not _DATA_PERIOD.fullmatch(question[s:e].strip())]
    # "The quarter ended March 31, 2023", "the three months April to June 2023": which filing, asking nothing.
    for period in (_PERIOD.search(question), _MONTHS_PERIOD.search(question)):
        if period and not any(s < period.end() and period.start() < e for s, _, e in spans):
            cut.append((period.start(), period.end(), period.end()))
    if relative:
        cut.append((relative.start(), relative.end(), relative.end()))
    if shift := _year_shift_phrase(question):  # "And the year after?" asks nothing of its own
        cut.append((shift.start(), shift.end(), shift.end()))
    phrase = " ".join(question[s:e] for s, _, e in spans)
    clause = " ".join(question[n:e] for _, n, e in spans if e > n)
    words, years, quarter, recency = _phrase_words(phrase)
    years = [y for y in years if y not in bounds]  # "each annual report from 2019 to 2024": all six, not two
    count, end = _count(phrase)
    # The report a name picks out is where the one asked about is counted from, not the one asked about.
    event_words, event_ask, event_phrase = _event_reference(question) if not relative else ([], "", "")
    if relative and not recency:
        recency = "previous" if relative["dir"].lower() in ("before", "preceding") else "next"
    if recency == "earliest" and _SINCE_THE_FIRST.search(question):
        recency, across = None, True  # "since the first survey": each of the series, the first one on
    outside = _RANGE.sub(" ", question)
    for s, _, e in spans:
        outside = outside.replace(question[s:e], " ")
    return Reference(
        ask=_without(question, [(s, e) for s, _, e in cut]),
        ask_keeping_clause=_without(question, [(s, n) for s, n, _ in cut]),
        phrase=phrase, words=words, clause_words=_phrase_words(clause)[0],
        years=years, loose_years=[y for y in _years(outside) if y not in years], quarter=quarter or _quarter(outside),
        recency=end or recency, since=since, until=until, fiscal=bool(FISCAL_WORD.search(question)),
        calendar=bool(_MONTHS_TO.search(question)) and not _QUARTER.search(question),
        across=across or _plural_head(phrase) or count > 1, explicit=bool(spans), count=count,
        relative_to=[w.lower() for w in relative["name"].split()] if relative and recency else [],
        headed=any(_noun(w) in REPORT_NOUNS for w in re.findall(r"[\w\-'’]+", phrase)),
        event_words=event_words, event_ask=event_ask, event_phrase=event_phrase,
        place_words=[] if event_words else _place_words(question), period=_period_date(question),
        year_shift=_year_shift(question),
    )


def _period_date(question: str) -> str:
    """The date, or year and month, of the period a question names its report by; "" when it names none."""
    if period := _PERIOD.search(question):
        return find_date(period["date"], 9999)
    if month := _MONTH_PERIOD.search(question):
        return find_date(month["date"] or month["named"], 9999)
    return ""


def _names_something(token: str) -> bool:
    """A capitalised word or an id ("Pueblo", "A36", "CEN24LA055"), not a year: what names an event, where a
    describing word ("the fatal accident") does not."""
    return (token[:1].isupper() or any(c.isdigit() for c in token)) and token[:1].isalnum() \
        and not _YEAR.fullmatch(token) and not _QUARTER.fullmatch(token) and token.lower() not in STOPWORDS \
        and token.lower() not in _BOUNDARY and token.lower() != "fy"


def _in_name(tokens: list[tuple[str, int, int]], k: int, beyond: int) -> bool:
    """Is token ``k`` part of a name: a name word itself, or a small word ("du", "of") with a name word at ``beyond``
    on its far side ("Fond du Lac"; -1 when there is none)?"""
    if _names_something(tokens[k][0]):
        return True
    return tokens[k][0].lower() in _NAME_PARTICLES and 0 <= beyond < len(tokens) and _names_something(tokens[beyond][0])


def _event_reference(question: str) -> tuple[list[str], str, str]:
    """The words naming an event ("the Garden City accident", "the crash near Pueblo", "accident CEN24LA055"),
    lower-cased, the question without them, and the phrase as written; ([], "", "") when it names none."""
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(question)]
    for i, (token, _, _) in enumerate(tokens):
        # "The Enid one": the event the conversation spoke of, at another place.
        if token.lower() not in EVENT_NOUNS and not (token.lower() == "one" and i > 1 and _in_name(tokens, i - 1, -1)
                                                     and not _ORDINAL.fullmatch(tokens[i - 1][0])):
            continue
        kind = i  # the first of the common words naming the kind of event, if a name stands before them
        while i - kind < _EVENT_KIND_WORDS and kind > 1 and tokens[kind - 1][0].isalpha() \
                and tokens[kind - 1][0].islower() and tokens[kind - 1][0] not in STOPWORDS:
            kind -= 1
        kind = kind if kind < i and _in_name(tokens, kind - 1, kind - 2) else i
        left = kind
        while left > 0 and kind - left < _EVENT_WORDS and _in_name(tokens, left - 1, left - 2):
            left -= 1
        right, cut, first = i, None, i + 1
        after = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        if after.lower() in _EVENT_PLACE or (after and _names_something(after) and not after.isalpha()):
            if after.lower() in _EVENT_PLACE:
                first = i + 2
                if first < len(tokens) - 1 and tokens[first][0].lower() == "the":
                    first += 1  # "the explosion at the Port Neches plant"
            right = first - 1
            while right + 1 < len(tokens) and right + 1 - first < _EVENT_WORDS and _in_name(
                    tokens, right + 1, right + 2 if right + 1 > first else -1):
                right += 1
            cut = (tokens[i][2], tokens[right][2]) if right >= first else None
            right = right if right >= first else i
        if cut and kind < i:
            left = kind = i  # "the Robinson helicopter crash outside Kerrville": the place is after; before, a make
        words = [t.lower() for t, _, _ in tokens[left:kind] + tokens[first:right + 1] if t.lower() not in _NAME_PARTICLES]
        if not words:
            continue
        ask = question
        if cut:
            ask = ask[:cut[0]] + ask[cut[1]:]
        if left < i:
            ask = ask[:tokens[left][1]] + ask[tokens[i][1]:]
        start = tokens[left - 1][1] if left > 0 and tokens[left - 1][0].lower() == "the" else tokens[left][1]
        return words, " ".join(ask.split()).replace(" ?", "?"), question[start:tokens[right][2]]
    return [], "", ""



def _place_words(question: str) -> list[str]:
    """The capitalised words of a place the question puts something at ("the temperature at Bishop", "the airstrip
    near Millinocket"), lower-cased; a place may name the one report about it, though the question is about more."""
    tokens = _TOKEN.findall(question)
    for i, token in enumerate(tokens[1:-1], start=1):
        if token.lower() in _PLACE_WORDS:
            names = []
            for name in tokens[i + 1 : i + 1 + _EVENT_WORDS]:
                if not (_names_something(name) and name.isalpha() and stem(name) not in REPORT_NOUN_STEMS):
                    break
                names.append(name.lower())
            if names:
                return names
    return []


def read_reference(question: str, catalog: "Catalog") -> Reference:
    """``parse`` against a library: a question whose words name no report by a phrase may still use words that
    occur in a few reports' titles or publishers ("What does the Harbor Institute say about ..."); they prefer those."""
    reference = parse(question, catalog.title_words, catalog.series_words)
    if not catalog.mostly_dated:
        # A library of undated texts (articles, notes): a year is the data's, as no report is of one ("In the 2009
        # Commission v Italy case, ...", "located there until 2000").
        bounds = [y for y in (reference.since, reference.until) if y]
        reference.loose_years, reference.years = reference.loose_years + reference.years + bounds, []
        reference.since = reference.until = None
    if not reference.explicit:
        # Years, quarters and periods have their own rules ("at the end of September 2023" is a date, whose words
        # running heads may print); the unit a question asks for ("in what year") names no report.
        asked_unit = {stem(m["unit"]) for m in _ASKED_UNIT.finditer(question)}
        # "How has electricity use changed since 2019?" asks across the years: "changed" names no report, though one
        # is titled "Small Grants, Lasting Change".
        asked_unit |= {stem(m[0].split()[-1].lower()) for m in _ACROSS.finditer(question)} & _ACROSS_VERBS
        dated = _without_periods(_YEAR_BEFORE.sub(" ", _YEAR_AFTER.sub(" ", _MONTH_PERIOD.sub(" ", _PERIOD_WORDS.sub(
            " ", _PERIOD.sub(" ", _END_OF.sub(" ", _RELATIVE_TO.sub(" ", question))))))))
        reference.words = [w for w in stems(dated) if not _YEAR.fullmatch(w) and not _QUARTER.fullmatch(w)
                           and w not in asked_unit and w not in _TIME_WORDS]
    elif not set(reference.words) - KIND_STEMS - _PERIOD_STEMS:
        # "What was Apple's net income in the latest quarter?", "In its latest quarterly report, how many passengers
        # did Harbourline carry?": a phrase that names reports by time and kind alone; the question's names say whose,
        # or a word of a series' titles ("Where was the dialogue held the year before the most recent one?").
        series = [stem(w) for w in re.findall(r"[\w'’-]+", _without_periods(question).lower()) if w in catalog.series_words]
        counted_from = {stem(w) for w in reference.relative_to}  # "before the Lagos one" names the other one
        # "The last four quarters" are the series' last four reports, whatever their titles call them.
        reference.words = [w for w in reference.words if w not in _PERIOD_STEMS] + [
            w for w in dict.fromkeys(_proper_names(_without_periods(question)) + series)
            if w in catalog.known and w not in reference.words and w not in counted_from]
    return reference


_ACROSS_VERBS = frozenset(stem(w) for w in "changed evolved developed progressed shifted grown improved declined change "
                          "evolve develop progress shift grow improve decline compare compared comparison trend "
                          "trends trajectory".split())
_SINCE_THE_FIRST = re.compile(r"\b(?:since|from)\s+(?:the|its|their)\s+(?:very\s+)?(?:first|earliest|oldest)\b",
                             re.IGNORECASE)
# "That year", "the same quarter": the time of the report the conversation is about.
_THAT_TIME = re.compile(r"\b(?:that|the\s+same)\s+(?:year|quarter|month|period|time)\b", re.IGNORECASE)
# "That quarter", "the same year": words of a time, which name no report (a title's "Quarterly" stems apart).
_TIME_WORDS = frozenset(stem(w) for w in "quarter quarters year years month months period".split())
_ASKED_UNIT = re.compile(r"\b(?:what|which|how\s+many)\s+(?:fiscal\s+|calendar\s+)?"
                         r"(?P<unit>years?|months?|quarters?|weeks?|days?|decades?|centur(?:y|ies))\b", re.IGNORECASE)


def _proper_names(question: str) -> list[str]:
    """The stems of the capitalised words of ``question`` after its first, possessives as their names."""
    tokens = [t.replace("’", "'").removesuffix("'s") for t in _TOKEN.findall(question)[1:]]
    names = [stem(t.lower()) for t in tokens if _names_something(t) and t.isalpha()]
    return list(dict.fromkeys(w for w in names if w not in KIND_STEMS))


def _without(question: str, spans: list[tuple[int, int]]) -> str:
    """``question`` with the reference phrases cut out: "What does the 2016 plan say?" -> "What does it say?"."""
    ask = question
    for s, e in sorted(spans, reverse=True):
        # "... in the 2016 report?" -> "...?": the preposition that introduced the reference goes with it.
        before = re.search(r"\b(?:in|from|of|according\s+to|per|within|for|on|under|by|during)\s+$", ask[:s], re.IGNORECASE)
        ask = ask[: before.start()] + ask[e:] if before else ask[:s] + "it" + ask[e:]
        if before is None and s == 0:
            ask = ask[2:]
    return re.sub(r"^[\s,;:]+", "", " ".join(ask.split())).replace(" ?", "?").replace(" ,", ",")


def without_place_and_years(ask: str, place_words: list[str], years: frozenset[str]) -> str:
    """``ask`` without the place and years that pick out the one report it is asked of: "Who gave the keynote at it
    in Port Aldric in 2022?" -> "Who gave the keynote at it?" (when the forum held in Port Aldric in 2022 is the
    report searched); what is left says what is asked."""
    if place_words:
        names = r"\s+".join(re.escape(w) for w in place_words)
        ask = re.sub(rf"\s*\b(?:{'|'.join(_PLACE_WORDS)})\s+{names}\b", "", ask, flags=re.IGNORECASE)
    for year in years:
        ask = re.sub(rf"\s*\b(?:in|of|during|for)\s+{year}\b", "", ask)
    return " ".join(ask.split()).replace(" ?", "?")


def without_names(text: str, naming: set[str]) -> str:
    """``text`` without the capitalised words (a name, its possessive) whose stems are ``naming``, nor a "&" or "of"
    between two of them: "What occupancy did Alderwood Hotels & Resorts achieve?" -> "What occupancy did achieve?"."""
    words = re.findall(r"[\w'’.-]+|[^\w\s]", text)
    named = [w[:1].isupper() and stem(re.sub(r"['’]s$", "", w).lower()) in naming for w in words]
    for k in range(1, len(words) - 1):
        named[k] = named[k] or (words[k] in ("&", "of", "and") and named[k - 1] and named[k + 1])
    return " ".join(w for w, gone in zip(words, named) if not gone).replace(" ?", "?").replace(" ,", ",")


def _years(text: str) -> list[int]:
    years = [int(y) for y in _YEAR.findall(text)]
    for m in _FISCAL.finditer(text):
        y = m["year"]
        years.append(int(y) if len(y) == 4 else 2000 + int(y))
    return list(dict.fromkeys(years))


def _quarter(text: str) -> int | None:
    """The quarter ``text`` names: "Q3", "the third quarter"; or the last of a half's or a run of months' ("the first
    half", "the nine months to September", "April to June"), as a half-year's report is of its last quarter."""
    if m := _QUARTER.search(text):
        return int(m["q"] or m["n"]) if (m["q"] or m["n"]) else _QUARTER_WORDS[m["word"].lower()]
    if m := _HALF.search(text):
        return 4 if m["second"] else 2
    if m := _MONTH_QUARTER.search(text):
        return (_MONTH_NUMBERS[m["month"].lower()[:3]] + 2) // 3  # "the June 2023 quarter": the quarter ending in June
    if _FULL_YEAR.search(text):
        return 4  # "the full year 2023", "the 2022 year-end report": its last quarter's report gives it
    if m := _MONTHS_OF_YEAR.search(text):
        return _MONTHS_COUNTED[(m["first"] or m["report"]).lower()]
    if m := _MONTHS_TO.search(text):
        first, last = (_MONTH_NUMBERS[m[k].lower()[:3]] for k in ("first", "last"))
        # A quarter's months, or a year's from January or July: "January-March", "April to June", "January-September".
        if last % 3 == 0 and last > first and (first == last - 2 or first in (1, 7)):
            return last // 3
    return None


# "The full year 2023", "full-year 2022", "the year-end report 2022": a year's figures, which its last quarter's report
# gives; not "the full year" of an outlook, which every quarter's report looks ahead to.
_FULL_YEAR = re.compile(r"\bfull[\s-]+year\s+(?:of\s+)?(?:19|20)\d\d\b|\b(?:19|20)\d\d\s+full[\s-]+year\b"
                        r"|\byear[\s-]+end\s+(?:report|results)\b", re.IGNORECASE)
# "The first six months of 2023", "the nine-month report": the year's first quarters, to the last of them.
_MONTHS_OF_YEAR = re.compile(r"\bfirst\s+(?P<first>three|six|nine)\s+months\b"
                             r"|\b(?P<report>three|six|nine)[\s-]months?\s+(?:interim\s+)?(?:report|results|statements?)\b",
                             re.IGNORECASE)
_MONTHS_COUNTED = {"three": 1, "six": 2, "nine": 3}
_DATA_PERIOD = re.compile(rf"(?:the\s+|its\s+)?(?:{_HALF.pattern}|{_FULL_YEAR.pattern}|{_MONTHS_OF_YEAR.pattern})", re.IGNORECASE)
_MONTH_QUARTER = re.compile(rf"\b(?P<month>{MONTH})\s+(?:(?:19|20)\d\d\s+)?quarter\b", re.IGNORECASE)
_MONTH_NUMBERS = {name: n for n, name in enumerate("jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1)}
_MONTHS_TO = re.compile(rf"\b(?P<first>{MONTH})\s*(?:[-\u2013\u2014]|to|through|until)\s*(?P<last>{MONTH})", re.IGNORECASE)
# The same as a phrase of a question: "for the three months April to June 2023", "in January-March 2024".
_MONTHS_PERIOD = re.compile(rf"(?:\b(?:for|in|during|over|of)\s+)?(?:\bthe\s+)?(?:\b(?:three|six|nine|twelve)\s+months?\s+"
                            rf"(?:from\s+)?)?{_MONTHS_TO.pattern}(?:,?\s+(?:19|20)\d\d\b)?", re.IGNORECASE)
# The words that name a quarter, a half or a run of months, which name no report by themselves: "the third quarter"
# is no word of the titles "Third Quarter 2022" that other companies give their filings.
_PERIOD_PHRASES = (_QUARTER, _HALF, _FULL_YEAR, _MONTHS_OF_YEAR, _MONTHS_PERIOD, _MONTH_QUARTER)


def _without_periods(text: str) -> str:
    for pattern in _PERIOD_PHRASES:
        text = pattern.sub(" ", text)
    return text


# "The dialogue edition just before the Lagos one": the report before (or after) the one a name picks out.
_RELATIVE_TO = re.compile(r"\b(?:just\s+|immediately\s+|right\s+)?(?P<dir>before|after|preceding|following)\s+the\s+"
                          r"(?P<name>(?:[A-Z][\w'’-]*\s+){1,3})(?:one|edition|meeting|event)\b")
# "The second most recent report", "the one before the latest": the previous one.
_SECOND_LATEST = re.compile(r"\b(?:second|2nd)[\s-]+(?:most[\s-]+recent|latest|newest|last)\b|\bpenultimate\b"
                            r"|\bnext[\s-]+to[\s-]+(?:last|latest)\b"
                            r"|\bbefore\s+(?:the\s+|its\s+|their\s+|[\w.&-]+['’]s\s+)?(?:latest|most\s+recent|last)\b"
                            r"|\blast\s+year['’]s\b")  # "last year's edition"; "the last edition" is the latest
# "The first report", "the first dialogue": the earliest; not "the first quarter" or "the first half".
_FIRST = re.compile(r"\bfirst\b(?![\s-]+(?:quarter|half|term|semester|fiscal|year|time|\d))")
# "What about the quarter before (that)?", "a quarter earlier": the one before the report the conversation is about.
_THAT = r"(?:\s+(?:that|this|it|then)(?:\s+one)?)?\s*$"
_ONE_BEFORE = re.compile(r"\b(?:quarter|report|filing|edition|one)\s+(?:before|earlier)" + _THAT
                         + r"|\b(?:that|which)\s+preceded\s+(?:it|that|this)\b|\bit\s+(?:replaced|succeeded|superseded|followed)\b")
# "And in the next quarter?", "the quarter after that": the one after it.
_NEXT = re.compile(r"\b(?:next|following|subsequent)\s+(?:(?:quarterly|annual)\s+)?(?:quarter|report|filing|edition|one)\b"
                   r"|\b(?:quarter|report|filing|edition|one)\s+(?:after|later)" + _THAT
                   + r"|\b(?:that|which)\s+(?:replaced|succeeded|superseded|followed)\s+(?:it|that|this)\b")


# "Its last four quarterly reports", "the three most recent editions", "the first two dialogues": how many of a series.
_NUMBERS = {w: n for n, w in enumerate("two three four five six seven eight nine ten".split(), start=2)}
_COUNT = re.compile(rf"\b(?P<end>last|past|latest|most\s+recent|recent|first|earliest)\s+(?P<n>{_NUMBER})\b"
                    rf"|\b(?P<m>{_NUMBER})\s+(?P<end2>most\s+recent|latest|last|newest|earliest|first|oldest)\b",
                    re.IGNORECASE)


# "two years later", "three years earlier": how many years on from the year the conversation is about.
_YEARS_APART = re.compile(rf"\b(?P<n>{_NUMBER})\s+years\s+(?:(?P<later>later|after(?:wards)?|on)|earlier|before|previously)\b"
                          r"(?!\s+(?:the|that|this|it|\w+ing)\b)", re.IGNORECASE)


def mentions_quarter(text: str, quarter: int) -> bool:
    """Does ``text`` speak of that quarter ("Q3", "3Q", "third quarter")?"""
    return any(_quarter(m[0]) == quarter for m in _QUARTER.finditer(text))


def _year_shift(question: str) -> int:
    """Years on (+) or back (-) from the conversation's year: "the year after" 1, "two years earlier" -2, else 0."""
    if m := _YEARS_APART.search(question):
        n = _NUMBERS.get(m["n"].lower()) or int(m["n"])
        return n if m["later"] else -n
    return 1 if _YEAR_AFTER.search(question) else -1 if _YEAR_BEFORE.search(question) else 0


def _year_shift_phrase(question: str) -> re.Match | None:
    return _YEARS_APART.search(question) or _YEAR_AFTER.search(question) or _YEAR_BEFORE.search(question)


def _count(phrase: str) -> tuple[int, str | None]:
    """How many reports of a series a phrase names, and from which end: (4, "latest") for "its last four reports"."""
    m = _COUNT.search(phrase)
    if not m:
        return 0, None
    number = (m["n"] or m["m"]).lower()
    end = (m["end"] or m["end2"]).lower()
    return _NUMBERS.get(number) or int(number), "earliest" if end in ("first", "earliest", "oldest") else "latest"


def _recency(text: str) -> str | None:
    lowered = text.lower()
    if _SECOND_LATEST.search(lowered) or _ONE_BEFORE.search(lowered):
        return "previous"
    latest = re.search(r"\b(?:most\s+recent|latest|newest)\b", lowered)
    if (after := _NEXT.search(lowered)) and not (latest and "quarter" in after[0]):
        # "In Quillon's most recent results, what revenue are they guiding for the next quarter?": that quarter is
        # the data's, the report the latest.
        return "next"
    if re.search(r"\bmost\s+recent\b", lowered):
        return "latest"
    if _FIRST.search(lowered):
        return "earliest"
    for word in re.findall(r"\w+", lowered):
        if word in _RECENCY:
            return _RECENCY[word]
    return None


def _phrase_words(phrase: str) -> tuple[list[str], list[int], int | None, str | None]:
    """The stemmed naming words of a phrase, and its years, quarter and recency."""
    # A number counts reports ("its four quarterly reports"), naming none.
    marker_words = set(_RECENCY) | set(_QUARTER_WORDS) | _COUNT_WORDS | {"most", "recent", "quarter", "fy", "fiscal", "year", "before",
                                                          "after", "earlier", "later", "next", "following", "subsequent"
                                                          } | _SUCCEEDED | _PUBLISHED
    cleaned = _COUNT.sub(lambda m: m["end"] or m["end2"], _without_periods(_FISCAL.sub(" ", _PERIOD_WORDS.sub(" ", phrase))))
    # A single letter names nothing: "10-Q" reads "10", "q".
    words = [stem(w) for w in content_words(cleaned)
             if not _YEAR.fullmatch(w) and w not in marker_words and w not in _DETERMINERS and w not in _RIGHT_CLAUSE
             and not w.isdigit() and len(w) > 1]
    return list(dict.fromkeys(words)), _years(phrase), _quarter(phrase), _recency(phrase)


def _plural_head(phrase: str) -> bool:
    """"the annual reports" asks across them."""
    tokens = re.findall(r"[\w\-]+", phrase.lower())
    return any(t.endswith("s") and t[:-1] in REPORT_NOUNS for t in tokens) or any(
        t.endswith("ies") and t[:-3] + "y" in REPORT_NOUNS for t in tokens)


def _noun(token: str) -> str:
    token = token.lower().rstrip(".").replace("’", "'").removesuffix("'s")
    if token in REPORT_NOUNS:
        return token
    if token.endswith("ies") and token[:-3] + "y" in REPORT_NOUNS:
        return token[:-3] + "y"
    if token.endswith("s") and (token[:-1] in REPORT_NOUNS or token[:-1] in _PERIOD_NOUNS):  # "the last four quarters"
        return token[:-1]
    return token


def _reference_spans(question: str, title_words: frozenset[str], series_words: frozenset[str] = frozenset()
                     ) -> list[tuple[int, int, int]]:
    """Character spans (start, end of the noun, end of its "on/about ..." clause) of the phrases that name reports."""
    tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(question)]
    lower = [t.lower().replace("’", "'") for t, _, _ in tokens]
    spans: list[tuple[int, int]] = []
    i = 0
    while i < len(tokens):
        noun = _noun(lower[i])
        # "Brookmere Water's latest quarterly?": a kind of report that ends the phrase stands for the report.
        generic = noun in REPORT_NOUNS or (noun in _KIND_NOUNS
                                           and (i + 1 == len(tokens) or not lower[i + 1][0].isalnum()))
        # "The year before the most recent one" is a report's year, where "the previous year" is the data's.
        periodic = noun in _PERIOD_NOUNS or (noun == "year" and _before_the_latest(lower, i + 1) is not None)
        marked_only = noun in _MARKED_NOUNS
        if (not generic and not periodic and not marked_only and noun not in title_words) or noun in STOPWORDS:
            i += 1
            continue
        # Left: modifiers up to a determiner (kept) or a boundary (dropped), at most 8 words.
        first, indefinite = i, False
        for j in range(i - 1, max(-1, i - 9), -1):
            word = lower[j].removesuffix("'s")
            if word in ("a", "an"):
                indefinite = True  # "how long did it take to publish a report": any report, not one named
                break
            # A verb of asking capitalised inside the question is a word of a name: "the State of Rural Health report".
            named = j > 0 and tokens[j][0][:1].isupper()
            # "The 2014, 2015 and 2016 reports": a comma in a list of years.
            listed = word == "," and j > 0 and _YEAR.fullmatch(lower[j - 1]) and _YEAR.fullmatch(lower[j + 1])
            if (word in _BOUNDARY and not named) or word in _LEFT_STOP or not (word[0].isalnum() or listed):
                break
            first = j
            if word in _DETERMINERS:
                break
        if lower[first] == "the" and first >= 3 and lower[first - 1] == "of" and lower[first - 2] in _OF_THE_SERIES \
                and lower[first - 3] in ("the", "most"):
            first -= 3  # "the earliest of the water security forums", "the most recent of the reviews"
            first -= 1 if lower[first] == "most" and first > 0 and lower[first - 1] == "the" else 0
        if (lower[first] == "many" and first > 0 and lower[first - 1] == "how") or any(
                lower[k] == "of" and lower[k - 1] in _AMOUNT_NOUNS for k in range(first + 1, i)):
            i += 1  # "How many working papers did it publish?", "the number of rail investigations": counted, not named
            continue
        if _reported(lower, first, i):
            i += 1  # "What did Quillfeather report in its 10-Q ...?": a verb, not the report
            continue
        last = i
        if (generic or periodic) and (relative := _one_over(lower, i + 1)):
            last = relative  # "the quarter before?", "the quarter after that?", "a quarter earlier"
        elif generic and (relative := _relative_clause(lower, i + 1)):
            last = relative  # "the plan that replaced it", "the edition it followed"
        elif (generic or periodic) and (latest := _before_the_latest(lower, i + 1)):
            last = latest  # "the dialogue before the most recent one", "the year before the latest one"
        # Right: "the report on the incident near <town>", up to a verb of asking or punctuation.
        elif generic and i + 1 < len(tokens) and lower[i + 1] in _RIGHT_CLAUSE:
            asked = first > 0 and lower[first - 1] in ("which", "what")
            for j in range(i + 2, min(len(tokens), i + 14)):
                # "... of the energy transition dialogue held": an irregular verb of the question ends it too; so does
                # a regular one when the phrase is what "which" asks about ("which edition of the dialogue discussed
                # Lagos"), where elsewhere it may describe ("the report on the ferry grounded near Oban").
                verb = lower[j] in PAST_FORMS or (asked and lower[j].endswith("ed") and len(lower[j]) > 4
                                                  and lower[j - 1] not in _DETERMINERS)
                if lower[j] in _BOUNDARY or not lower[j][0].isalnum() or (j > i + 2 and verb):
                    break
                last = j
        # "the reports for 2017, 2018 and 2019": a list of years closing the phrase belongs to it.
        while last + 2 < len(tokens) and _YEAR.fullmatch(lower[last]) and lower[last + 1] in (",", "and", "or"):
            step = 2 if lower[last + 1] == "," and lower[last + 2] in ("and", "or") else 1
            if last + step + 1 >= len(tokens) or not _YEAR.fullmatch(lower[last + step + 1]):
                break
            last += step + 1
        if lower[first] == "recent":
            i = last + 1  # "Recent studies believe ...": research of late; "the most recent study" is a report
            continue
        phrase = question[tokens[first][1] : tokens[last][2]]
        words, years, quarter, recency = _phrase_words(phrase)
        # A noun right after the report's word makes it a modifier ("the background investigation cases"), which
        # names a report only with a year or recency ("the 2020 dialogue attendance").
        modifiers = [w for w in words if w != stem(noun)] if last > i or not _compound(lower, i + 1) else []
        # A title's word heads a reference only with a year or quarter: "the 2020 dialogue", not "the last Super Bowl";
        # or with "latest" when several dated reports' titles have it, a series: "the latest Northgate forum".
        marked = years or quarter or recency
        # A version is a report's only with a year or recency ("the previous version of the protocol"): "which
        # firmware version was running" asks of a thing's.
        if ((generic and (marked or (modifiers and not indefinite and noun not in _VERSION_NOUNS))) or (periodic and recency)
                or (marked_only and marked and modifiers)  # "the current procedure" alone: of what?
                or (not generic and noun in title_words
                    and (years or quarter or (recency and noun in series_words and not _compound(lower, i + 1))))):
            if spans and spans[-1][0] >= tokens[first][1]:  # "the 2016 annual" grows into "... performance report"
                spans.pop()
            spans.append((tokens[first][1], tokens[i][2], tokens[last][2]))
        i = last + 1
    return spans


# Verbs a question puts after the report it asks of ("did the forum discuss"), which no report's name goes on with.
_BASE_VERBS = frozenset("""take happen discuss agree decide focus meet begin cost include propose examine consider
    address""".split())
# "The earliest of the forums": a recency word before "of the" and the series it picks from.
_OF_THE_SERIES = frozenset("earliest oldest first latest newest last recent".split())


def _compound(lower: list[str], k: int) -> bool:
    """Whether ``lower[k]`` is a noun going on with the one before it: a plain word that neither asks, nor starts a
    clause, nor is a report's word itself ("Where did the earliest forums take place?": a verb)."""
    word = lower[k] if k < len(lower) else ""
    verb = word in PAST_FORMS or (len(word) > 4 and word.endswith("ed"))  # "the previous forum held"
    verb = verb or word in _BASE_VERBS
    return (word.isalpha() and not verb and word not in STOPWORDS and word not in _BOUNDARY and word not in _LEFT_STOP
            and word not in _RIGHT_CLAUSE and _noun(word) not in REPORT_NOUNS)


_DID = frozenset("did does do will would should must to".split())
_AFTER_THE_VERB = frozenset("in for during as at to that its their his her a an the any".split())
_VERB_NOUNS = frozenset("report reports plan plans review reviews survey surveys".split())  # a report's name, or a verb


def _reported(lower: list[str], first: int, i: int) -> bool:
    """Is "report" (or "plan", "review", "survey") at ``lower[i]`` a verb, its subject from ``lower[first]``: "did
    Quillfeather report in its 10-Q", "does the Alder Institute plan for 2026"; not "did the 2020 report say" or "did
    OPM's report find"."""
    subject = lower[first:i]
    return (lower[i] in _VERB_NOUNS and first > 0 and lower[first - 1] in _DID and i + 1 < len(lower)
            and lower[i + 1] in _AFTER_THE_VERB and subject[:1] != ["its"]
            and not any(t.endswith("'s") or any(ch.isdigit() for ch in t) for t in subject))


_SUCCEEDED = frozenset("replaced succeeded superseded followed preceded".split())


def _relative_clause(lower: list[str], k: int) -> int | None:
    """The index of the last token of "that replaced it", "which preceded it" or "it replaced" starting at
    ``lower[k]``: a report named by its place beside the conversation's."""
    if lower[k:k + 1] in (["that"], ["which"]) and lower[k + 1:k + 2] and lower[k + 1] in _SUCCEEDED \
            and lower[k + 2:k + 3] in (["it"], ["that"], ["this"]):
        return k + 2
    if lower[k:k + 1] == ["it"] and lower[k + 1:k + 2] and lower[k + 1] in _SUCCEEDED:
        return k + 1
    return None


def _one_over(lower: list[str], k: int) -> int | None:
    """The index of the last token of "before", "after that", "earlier", "later" (optionally "that one") starting at
    ``lower[k]`` when the question's phrase ends there: "the quarter before that?", not "the quarter before the merger"."""
    if lower[k:k + 1] not in (["before"], ["after"], ["earlier"], ["later"]):
        return None
    if lower[k + 1:k + 2] in (["that"], ["this"], ["it"], ["then"]):
        k += 1 + (lower[k + 2:k + 3] == ["one"])
    return k if k + 1 >= len(lower) or not lower[k + 1][0].isalnum() else None


_PUBLISHED = frozenset("published issued released produced".split())  # "the review published before the latest one"


def _before_the_latest(lower: list[str], k: int) -> int | None:
    """The index of the last token of "before the latest/most recent/last [one]" starting at ``lower[k]``, if it
    does; "before OPM's latest one", "(just) before its most recent filing" and "published before the latest" too."""
    k += bool(lower[k:k + 1]) and lower[k] in _PUBLISHED
    k += lower[k:k + 1] in (["just"], ["immediately"], ["right"], ["directly"])
    if lower[k:k + 1] != ["before"]:
        return None
    following = lower[k + 1] if k + 1 < len(lower) else ""
    k += 1 + (following in ("the", "its", "their") or following.endswith("'s"))
    k += lower[k:k + 1] == ["most"]
    if not lower[k:k + 1] or lower[k] not in ("latest", "last", "newest", "recent"):
        return None
    after = lower[k + 1] if k + 1 < len(lower) else ""
    return k + (after == "one" or _noun(after) in REPORT_NOUNS)


_TIME_STEMS = frozenset(stem(w) for w in "year years fiscal quarter quarterly month monthly week day decade period".split())


# -- the library's catalogue ----------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogEntry:
    doc_id: str
    title: str
    date: str  # as stored
    words: frozenset[str]  # stemmed words of its title, publisher, authors, file name and identity text
    title_years: frozenset[int]
    title_quarters: frozenset[int]
    when: tuple[int, int, int] | None  # (year, month, day) from its date, else the year its title names; None: undated
    main_words: frozenset[str] = frozenset()  # stemmed words of its title before a colon: the name, not the subtitle


def _readable_file_name(source: str) -> str:
    """"DOT2022.pdf" -> "DOT 2022"; "annual-report_2019.pdf" -> "annual report 2019"."""
    name = re.split(r"[/\\:]", source)[-1].rsplit(".", 1)[0]
    name = re.sub(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=\d)|(?<=\d)(?=[A-Za-z])", " ", name)
    return re.sub(r"[_\-.]+", " ", name)


def _when(date: str, title_years: frozenset[int]) -> tuple[int, int, int] | None:
    m = re.search(r"((?:19|20)\d\d)(?:-(\d\d))?(?:-(\d\d))?", date or "")
    if m:
        return int(m[1]), int(m[2] or 0), int(m[3] or 0)
    # A title that names one year dates the report ("Annual Report 2019"); a span of years ("2022-2026") names its start.
    return (min(title_years), 0, 0) if title_years else None


def catalog_entry(doc_id: str, title: str, date: str = "", source: str = "", publisher: str = "",
                  authors: list[str] | tuple = (), identity: str = "") -> CatalogEntry:
    name = _readable_file_name(source)
    # A filing titled "FORM 10-Q" may say its period only in its running heads ("Apple Inc. | Q3 2023 Form 10-Q"):
    # a fiscal quarter, which its date (the quarter's end) need not fall in. Only a quarter with its year counts there,
    # for running heads hold other years too ("VerDate Sep<11>2014").
    period = _QUARTER_OF_YEAR.search(identity) if _quarter(title) is None else None
    years = frozenset(_years(title)) or frozenset(_years(name)) or frozenset([int(period["year"])] if period else [])
    name_quarter = _NAME_QUARTER.search(name)
    quarters = frozenset(q for q in [_quarter(title) or (period and _quarter(period[0]))
                                     or (name_quarter and int(name_quarter[1]))] if q)
    text = " ".join([title, publisher, " ".join(authors), name, identity])
    # A report of a quarter ("Third Quarter 2024 Results") is a quarterly one, though its title never says so.
    words = frozenset(stems(text)) | ({_QUARTERLY} if quarters else set())
    return CatalogEntry(doc_id, title, date, words, years, quarters, _when(date, years),
                        frozenset(stems(title.split(":")[0])))


class Catalog:
    """The library's reports as references name them; built once per index generation."""

    def __init__(self, entries: list[CatalogEntry]):
        self.entries = {e.doc_id: e for e in entries}
        n = len(entries)
        df: dict[str, int] = {}
        for e in entries:
            for w in e.words:
                df[w] = df.get(w, 0) + 1
        # A word in every report tells them apart no better than one in none.
        self.idf = {w: math.log(n / c) for w, c in df.items() if c < n}
        self.known = frozenset(df)
        # Which reports have each word: match looks up a question's few words instead of scanning every report.
        self._having: dict[str, list[str]] = {}
        for e in self.entries.values():
            for w in e.words:
                self._having.setdefault(w, []).append(e.doc_id)
        titled = {e.doc_id: frozenset(w for w in re.findall(r"[a-z][\w\-]+", e.title.lower()) if len(w) > 2)
                  for e in entries}
        self.title_words = frozenset().union(*titled.values())
        dated = Counter(w for e in entries if e.when for w in titled[e.doc_id])
        # Words of time ("Fiscal Years 2020-2024") name no series: "the last 115 years" is a span of time.
        self.series_words = frozenset(w for w, c in dated.items() if c >= 2 and w not in STOPWORDS
                                      and stem(w) not in _TIME_STEMS)
        self.mostly_dated = 2 * sum(1 for e in entries if e.when) >= n

    def __len__(self) -> int:
        return len(self.entries)

    def names_in(self, question: str) -> list[str]:
        """The names in ``question`` (runs of capitalised words after its first) that some reports' titles,
        publishers or running heads carry and most do not: whose reports they are ("Brookmere Water", "Fenwick")."""
        names, run = [], []
        for k, token in enumerate(_TOKEN.findall(question) + [""]):
            bare = token.replace("’", "'").removesuffix("'s")
            dated = re.fullmatch(f"{MONTH}|{WEEKDAY}", bare, re.IGNORECASE)  # "the quarter ending December 2023"
            if k and bare[:1].isupper() and bare.isalpha() and not dated:
                run.append(bare)
                if bare != token:  # "Brookmere Water's dividend": the possessive ends the name
                    names.append(" ".join(run))
                    run = []
                continue
            if run:
                names.append(" ".join(run))
            run = []
        rare = 0.5 * len(self.entries)
        return [n for n in names if all(0 < len(self._having.get(w, ())) <= rare for w in stems(n))]

    def having(self, word: str) -> list[str]:
        """The reports whose name (title, publisher, authors, the names their text gives) has the stem ``word``."""
        return self._having.get(word, [])

    def match(self, words: list[str], pool: list[str]) -> dict[str, float]:
        """Reports of ``pool`` scored by the rare words of ``words`` they have (IDF over the catalogue)."""
        sums: dict[str, float] = {}
        for w in words:  # in the order of ``words``, as a sum per report adds them
            for d in self._having.get(w, ()):
                sums[d] = sums.get(d, 0) + self.idf.get(w, 0.0)
        return {d: s for d in pool if (s := sums.get(d, 0)) > 0}

    def dated(self, docs: list[str]) -> list[str]:
        """The dated reports of ``docs``, oldest first; undated ones are left out."""
        return sorted((d for d in docs if self.entries[d].when), key=lambda d: self.entries[d].when)

    def in_date_order(self, docs: list[str]) -> list[str]:
        """``docs`` oldest first, the undated ones after them."""
        return sorted(docs, key=lambda d: (self.entries[d].when is None, self.entries[d].when or (0, 0, 0)))

    def of_quarter(self, doc_id: str, quarter: int, calendar: bool = False) -> bool:
        """Is the report of that quarter: its title or running heads say so ("Q1 2024"; a half-year's report, "H1 2023
        Interim Results", is of the half's last quarter), or its date falls in it? ``calendar``: the calendar's
        quarter, named by its months, which a fiscal year's title ("Q1 FY2024") does not say: its date does."""
        entry = self.entries[doc_id]
        if entry.title_quarters and not (calendar and self.fiscal_titled(doc_id)):
            return quarter in entry.title_quarters
        return bool(entry.when and entry.when[1] and (entry.when[1] - 1) // 3 + 1 == quarter)

    def fiscal_titled(self, doc_id: str) -> bool:
        return bool(FISCAL_WORD.search(self.entries[doc_id].title))

    def year(self, doc_id: str) -> int | None:
        """The year a report is of: the one its title names (a fiscal year's report comes out the year after), else its date's."""
        entry = self.entries[doc_id]
        if entry.title_years:
            return min(entry.title_years)
        return entry.when[0] if entry.when else None


# Share of the best match a report must reach to be among the ones a reference names: a series' titles are not
# worded alike ("OPM Annual Report 2019", "Annual Report 2020"), so one rare word missing must not drop a report.
NEAR_BEST = 0.5


@dataclass
class Resolution:
    """The reports a reference names: ``docs`` (oldest first) and how sure that is."""

    docs: list[str]
    hard: bool  # search only these; otherwise prefer them by ``weights``
    weights: dict[str, float]  # 0..1 per preferred report
    words_matched: bool  # the reference's words (not just its years or recency) picked these


_ANY_REPORT = frozenset(stem(w) for w in ("report", "reports", "document", "publication"))
_ANY_EDITION = frozenset(stem(w) for w in ("edition", "editions", "issue", "volume", "instalment", "installment",
                                            "version", "revision"))
# Words any report of a library may be called ("the latest annual report"); "dialogue", "plan" or "brief" say which.
_ANY_KIND = _ANY_REPORT | frozenset(stem(w) for w in "annual quarterly monthly yearly interim final form".split())


def resolve(reference: Reference, catalog: Catalog, pool: list[str] | None = None,
            anchor: str | None = None) -> Resolution | None:
    """The reports of ``pool`` (default: all) that ``reference`` names, or None when it names none of them
    in particular. ``anchor``: the report the conversation is about ("the previous report" is the one before it)."""
    pool = list(catalog.entries) if pool is None else [d for d in pool if d in catalog.entries]
    if reference.empty or not pool:
        return None
    candidates, narrowed, bounded, weights = pool, False, False, {}
    # "The 2023 report" is any report of 2023: the word names no kind of report that a title must say.
    words = reference.words if set(reference.words) - _ANY_REPORT else []
    scores = _naming_scores(words, catalog, pool) if not _named_by_kind_alone(reference, catalog) else {}
    if scores and len(scores) < len(catalog):
        best = max(scores.values())
        candidates = [d for d in pool if scores.get(d, 0) >= NEAR_BEST * best]
        weights = {d: scores[d] / best for d in candidates}
        narrowed = True
    words_matched = narrowed
    # A year outside the phrase is the data's when the phrase says which report ("the report before the latest one,
    # ... back in FY 2016").
    # A period's end date says its year itself: "the quarter ended December 31, 2023" may be of fiscal 2024.
    loose_years = [] if reference.recency or reference.period else reference.loose_years
    named = candidates  # before the years narrow them
    for years, required in ((reference.years, True), (loose_years, False)):
        if not years:
            continue
        # A report is of the year its title names, or, when its title names none, of its date's: "Marlowe's Q3 2023
        # report" is the one dated 2023-09-30, though the file of its Q4 report is named "q4-2023-10q".
        # A fiscal year's first quarters may end in the calendar year before it: Korvath's first quarter of fiscal
        # 2024 ended on 30 September 2023 (its text says which quarter each filing is: qa/pipeline.py).
        dated_in = set(years) | ({y - 1 for y in years} if reference.fiscal and reference.quarter else set())
        of_year = [d for d in candidates if _of_year(catalog, d, reference, set(years), dated_in)]
        if of_year:
            candidates, narrowed = of_year, True
        elif required:
            return None  # "the 2031 report": no such report; do not guess another
    if reference.quarter:
        by_title = [d for d in candidates if reference.quarter in catalog.entries[d].title_quarters
                    and not (reference.calendar and catalog.fiscal_titled(d))]
        # A fiscal quarter ends in whichever calendar quarter its company's year puts it; only the title or running
        # heads can say which filing it is ("Q1 2024 Form 10-Q"), or the text ("the first quarter of fiscal year 2024").
        by_date = [] if reference.fiscal else [d for d in candidates
                                               if catalog.of_quarter(d, reference.quarter, reference.calendar)]
        # "Calderon's EBIT in Q3 2022", of a company whose reports of that quarter start a year later: the same
        # quarter's report of the next year, which compares with it.
        year_on = [] if by_title or by_date or reference.fiscal or reference.years else [
            d for d in named if catalog.of_quarter(d, reference.quarter, reference.calendar)
            and (catalog.entries[d].when or (0,))[0] - 1 in loose_years]
        if by_title or by_date or year_on:
            candidates, narrowed = by_title or by_date or year_on, True
        elif reference.years and not any(_may_be_of_quarter(catalog, d, reference) for d in candidates):
            return None  # "the Q2 2024 report" of a series whose 2024 reports are of other quarters: there is none
    dated = False
    if reference.period:
        of_period = [d for d in candidates if catalog.entries[d].date.startswith(reference.period)]
        if of_period:
            candidates, narrowed, dated = of_period, True, True
    if reference.since or reference.until:
        low, high = reference.since or 0, reference.until or 9999
        in_range = [d for d in candidates if (y := catalog.year(d)) and low <= y <= high]
        if not in_range and not reference.explicit:
            # Words that merely occur in some titles ("OPM" in two of nine reports' titles) narrowed to reports the
            # range leaves out; the years asked about say more.
            in_range = [d for d in pool if (y := catalog.year(d)) and low <= y <= high]
        if in_range:
            candidates, narrowed, bounded = in_range, True, True
    if reference.recency and reference.explicit:
        # "The rail accident office's most recent annual report", "the most recent coastal security dialogue": of the
        # series, those that have every word naming whose or which it is, when some do; the aviation board's newer
        # "Annual Review of Investigations" and a later brief on "Undersea Cables and Coastal Security" are others.
        naming = set(reference.words) - _ANY_KIND - _ANY_EDITION
        whole = [d for d in candidates if naming <= catalog.entries[d].words]
        candidates = whole if naming and whole else candidates
        # Of those, the ones of the kind it says ("annual", "quarterly"), when some are: the Harbor Foundation's latest
        # annual report is not the later notes of its grantees' convening.
        kind = (set(reference.words) & _ANY_KIND) - _ANY_REPORT
        of_kind = [d for d in candidates if kind and kind <= catalog.entries[d].words]
        candidates = of_kind or candidates
    if anchor in candidates and reference.recency in ("next", "previous") and not reference.across:
        # The filing after the conversation's is its company's next, not another's of the same date.
        key = _series_key(catalog, anchor)
        same = [d for d in candidates if (k := _series_key(catalog, d)) <= key or key <= k]
        candidates = same if len(same) > 1 else candidates
    # With no conversation to be after, "the next quarter" is the data's: "guidance for the next quarter in its Q1 10-Q".
    after_nothing = reference.recency == "next" and anchor is None
    if reference.recency and not after_nothing and (
            series := _one_per_date(catalog, catalog.dated(candidates), weights, reference.words)):
        if reference.across and reference.recency == "previous":  # "earlier reports": all but the latest
            chosen = series[:-1] or series
        elif reference.recency == "latest":
            chosen = series[-(reference.count or 1):]
        elif reference.recency == "earliest":
            chosen = series[:reference.count or 1]
        elif reference.recency == "next":  # none after the last one
            chosen = series[series.index(anchor) + 1:][:1] if anchor in series else []
        else:
            before = series[: series.index(anchor)] if anchor in series else series[:-1]
            chosen = before[-1:] or series[:1]
        candidates, narrowed = chosen, True
    if not narrowed or len(candidates) == len(catalog):
        return None
    # Of the reports a phrase names, those whose name (not subtitle, publisher or running heads) has its words: "the
    # 2021 dialogue" is "... Dialogue 2021", not "Annual Report 2021: Research and dialogue for safer seas".
    words = [w for w in reference.words if w not in KIND_STEMS] or [w for w in reference.words if w not in _ANY_REPORT]
    by_name = [d for d in candidates if catalog.entries[d].main_words.intersection(words)]
    if not any(weights.get(d, 1.0) >= 1.0 for d in by_name):
        # "The E. coli sampling protocol" is "Protocol WQ-03: E. coli sampling", whose words come after its number,
        # not another protocol whose name has "sampling" alone.
        by_name = []
    candidates = catalog.in_date_order(by_name if by_name and reference.explicit and not reference.across else candidates)
    # "Since 2016" leaves no doubt which reports are meant, even with no phrase naming them.
    # A period's end date leaves no doubt either: a filing is dated by it.
    return Resolution(candidates, reference.explicit or bounded or dated, {d: weights.get(d, 1.0) for d in candidates},
                      words_matched)


def _may_be_of_quarter(catalog: Catalog, doc_id: str, reference: Reference) -> bool:
    """Whether a report may be of the quarter ``reference`` asks ("the Q2 2024 report": of 2024's second quarter, by
    its title or its date). A fiscal quarter only a title says ("Q1 FY2024"); one whose title says none, or an undated
    one, may be of any."""
    entry = catalog.entries[doc_id]
    if not reference.quarter:
        return True
    if reference.fiscal:
        return not entry.title_quarters or reference.quarter in entry.title_quarters
    return not entry.when or catalog.of_quarter(doc_id, reference.quarter, reference.calendar)


def _of_year(catalog: Catalog, doc_id: str, reference: Reference, years: set[int], dated_in: set[int]) -> bool:
    """Is a report of one of ``years``: the year its title names, else its date's (``dated_in``: the years a date may
    fall in). A calendar quarter is in the year of its date, whichever fiscal year a title names."""
    entry = catalog.entries[doc_id]
    if reference.calendar and catalog.fiscal_titled(doc_id):
        return bool(entry.when) and entry.when[0] in years
    return bool(entry.title_years & years) or (not entry.title_years and catalog.year(doc_id) in dated_in)


def _naming_scores(words: list[str], catalog: Catalog, pool: list[str]) -> dict[str, float]:
    """Reports of ``pool`` scored by ``words`` (Catalog.match), less those that have only the words for a kind of
    report when others have a word naming which. A word for a report right after another one adds nothing: "the 2022
    dialogue report" is the dialogue's, and an annual report whose title says "Report" is not the better match."""
    words = [w for i, w in enumerate(words) if not (i and w in REPORT_NOUN_STEMS and words[i - 1] in REPORT_NOUN_STEMS)]
    # "The latest edition of the dialogue": any edition of a series; the word ranks none that happens to print it.
    words = [w for w in words if w not in _ANY_EDITION] or words
    scores = catalog.match(words, pool)
    named = catalog.match([w for w in words if w not in KIND_STEMS], pool)
    return {d: s for d, s in scores.items() if d in named} if named else scores


def _named_by_kind_alone(reference: Reference, catalog: Catalog) -> bool:
    """Does the phrase name its report by words no title has, and by nothing a title has but the kind of document
    it is ("the Milwaukee report", "the report from Milwaukee": "report")? Then titles with "report" in them are not
    the ones meant; the report's text may say which is (qa/pipeline.py names a report by its content)."""
    known = [w for w in reference.words if w in catalog.known]
    return (reference.headed and 0 < len(known) < len(reference.words)
            and all(w in REPORT_NOUN_STEMS for w in known))


def unnamed_years(reference: Reference, catalog: Catalog, pool: list[str] | None = None) -> tuple[list[int], list[str]]:
    """The years a phrase naming reports gives when none of the reports it names is of any of them ("the 2031 annual
    report", "the 2023 dialogue" in a library whose dialogues end in 2022), and the reports the phrase names, oldest
    first: a question about a report the library lacks is refused, not answered from another year's or another
    series'."""
    if not reference.explicit or not reference.years:
        return [], []
    pool = list(catalog.entries) if pool is None else [d for d in pool if d in catalog.entries]
    # The series is the reports that have every word of the phrase; a phrase that runs into the ask ("the fastest 90
    # percent of initial national security investigations", "investigations" read as a report) names none, and
    # then the library's years are what it could have meant.
    series = [d for d in pool if reference.words and catalog.entries[d].words.issuperset(reference.words)]
    held_by = [d for d in series or pool if _may_be_of_quarter(catalog, d, reference)]
    held = {y for d in held_by for y in catalog.entries[d].title_years} | {catalog.year(d) for d in held_by}
    if held & set(reference.years):
        return [], []
    scores = catalog.match(reference.words, series or pool)
    named = [d for d in pool if d in scores and scores[d] >= NEAR_BEST * max(scores.values())] if scores else pool
    return list(reference.years), catalog.in_date_order(named)


def unheld_quarter(reference: Reference, question: str, catalog: Catalog,
                   pool: list[str] | None = None) -> tuple[list[int], list[str]]:
    """The years of a quarter a question asks of an organisation's reports by its name ("Fenwick airport's passengers
    in Q3 2024") when none of them is of that quarter, nor later (whose comparisons would give it), and those reports,
    oldest first: another quarter's report speaks of its own quarter, which the question did not ask about."""
    # A phrase that names its years ("the Q2 2024 report") is unnamed_years'; "in the second quarter of 2024" is not.
    if reference.years or reference.fiscal or not reference.quarter or not reference.loose_years:
        return [], []
    series = _named_series(question, catalog, pool)
    if not series:
        return [], []
    ends = {y: (y, 3 * reference.quarter, 31) for y in reference.loose_years}  # a quarter's last month, its day after all
    held = [y for y in reference.loose_years if any(
        (catalog.year(d) == y and catalog.of_quarter(d, reference.quarter)) or catalog.entries[d].when > ends[y]
        for d in series)]
    return ([], []) if held else (list(reference.loose_years), catalog.in_date_order(series))


def unheld_year(reference: Reference, question: str, catalog: Catalog,
                pool: list[str] | None = None) -> tuple[list[int], list[str]]:
    """The years a question asks in the past tense of an organisation's reports by its name ("how many visitors did
    Wrexford Museums get in 2024?") when none of them is of that year nor later, and those reports, oldest first. Not
    a question looking ahead ("how many staff does it plan to have by 2028?"), which an earlier plan answers."""
    if reference.explicit or reference.fiscal or reference.quarter or not reference.loose_years \
            or not _PAST_ASKED.search(question) or _AHEAD.search(question):
        return [], []
    series = _named_series(question, catalog, pool)
    held = [y for y in reference.loose_years if any((catalog.year(d) or 0) >= y for d in series)]
    return ([], []) if held or not series else (list(reference.loose_years), catalog.in_date_order(series))


def _named_series(question: str, catalog: Catalog, pool: list[str] | None) -> list[str]:
    """The dated reports of ``pool`` whose names have every name ``question`` gives that some report is known by."""
    pool = list(catalog.entries) if pool is None else [d for d in pool if d in catalog.entries]
    names = {w for w in _proper_names(question) if w in catalog.known}
    return [d for d in pool if names and names <= catalog.entries[d].words and catalog.entries[d].when]


_PAST_ASKED = re.compile(r"\b(?:did|was|were|had)\b", re.IGNORECASE)
_AHEAD = re.compile(r"\b(?:will|plan(?:s|ned|ning)?|target(?:s|ed)?|aim(?:s|ed|ing)?|expect(?:s|ed|ing)?|forecast\w*"
                    r"|project(?:s|ed|ing|ion|ions)|guidance|by)\b", re.IGNORECASE)


def _series_key(catalog: Catalog, doc_id: str) -> frozenset[str]:
    """The words of a report's name that stay the same from one report of its series to the next: not its years,
    fiscal years or quarters ("OPM Annual Performance Report - Fiscal Year 2013" -> opm, annual, perform, report)."""
    return frozenset(w for w in catalog.entries[doc_id].main_words
                     if not w.isdigit() and w not in ("fy", "fiscal", "year") and not _QUARTER.fullmatch(w))


def _one_per_date(catalog: Catalog, series: list[str], weights: dict[str, float], words: list[str]) -> list[str]:
    """``series`` (in date order) with one report per date, the one the reference's words fit best: two reports
    of one year that both match "the latest annual report" in part are not both the latest. Of two that fit as well,
    the one whose name, not its subtitle, has the words ("the dialogue": not "Annual Report 2021: Research and
    dialogue for safer seas")."""
    def fit(d: str) -> tuple[float, int]:
        return weights.get(d, 1.0), len(catalog.entries[d].main_words.intersection(words))

    # A report dated by its year alone is of the same date as any other of that year: "2022" is no earlier than
    # "2022-02", and which of the two is the latest the words decide.
    vague = {when[0] for d in series if not (when := catalog.entries[d].when)[1]}

    def date(d: str) -> tuple:
        when = catalog.entries[d].when
        return when[:1] if when[0] in vague else when

    best: dict[tuple, str] = {}
    for d in series:
        if date(d) not in best or fit(d) > fit(best[date(d)]):
            best[date(d)] = d
    return [d for d in series if best[date(d)] == d]


def inherit(reference: Reference, earlier: Reference | None, catalog: Catalog) -> Reference:
    """A follow-up's reference: its own, with what it leaves unsaid taken from the conversation's.

    "And in the 2016 report?" changes only the year; "and the latest one?" only the recency; a question that
    names other reports by their words ("and in the transport plan?") starts afresh."""
    if earlier is None or earlier.empty:
        return reference
    if reference.year_shift and not reference.years:
        # "And the year after?": the year after the conversation's report, or its years'.
        resolved = resolve(earlier, catalog)
        one = resolved.docs[0] if resolved and len(resolved.docs) == 1 else None
        base = earlier.years or ([y] if one and (y := catalog.year(one)) else [])
        if base:
            reference = replace(reference, years=[y + reference.year_shift for y in base], year_shift=0)
        elif earlier.loose_years:
            # "How much did they get from contracts in 2021?", then "And the year after?": 2022's figure, which the
            # 2022 report most likely gives (a hint, as 2021 was).
            reference = replace(reference, loose_years=[y + reference.year_shift for y in earlier.loose_years],
                                year_shift=0)
    if reference.empty:
        # "What about by the end of the year?" after a question on the quarter ended in March: not that month.
        period = "" if _YEAR_END.search(reference.ask) else earlier.period
        return replace(earlier, ask=reference.ask, explicit=earlier.explicit, across=reference.across or False,
                       event_ask=reference.ask, period=period)
    # Words for "a report" alone ("the 2016 report") name no other reports than the conversation's. Nor do question
    # words that merely occur in the titles of the conversation's reports too ("What did they recommend about it?"
    # after a question about the 2021 dialogue, whose title says "Recommendations").
    # "The next quarterly report" is the next of the conversation's series, whatever other titles say "quarterly".
    kinds = KIND_STEMS if reference.recency in ("next", "previous") else REPORT_NOUN_STEMS
    naming = [w for w in reference.words if w not in kinds]
    matched = catalog.match(naming, list(catalog.entries))
    earlier_docs = (resolved.docs if not reference.explicit and (resolved := resolve(earlier, catalog)) else [])
    # "How much went to Power Sector Governance that year?": the conversation's report, though "power" is in the
    # titles of others.
    pointing = not reference.explicit and _THAT_TIME.search(reference.ask)
    if matched and not pointing and not (earlier_docs and set(earlier_docs) <= matched.keys()):
        return reference
    # "What about by the end of the year?" after a question on the quarter ended in March: another time than the
    # conversation's, which the asked words find among its reports.
    marked = bool(reference.years or reference.loose_years or reference.quarter or reference.recency
                  or reference.since or reference.until or reference.period or _YEAR_END.search(reference.ask))
    return replace(
        earlier, ask=reference.ask, phrase=f"{earlier.phrase} / {reference.phrase}".strip(" /"),
        years=reference.years if marked else earlier.years,
        loose_years=reference.loose_years if marked else earlier.loose_years,
        quarter=reference.quarter if marked else earlier.quarter,
        fiscal=reference.fiscal if marked else earlier.fiscal,
        period=reference.period if marked else earlier.period,
        recency=reference.recency if marked else earlier.recency,
        since=reference.since if marked else earlier.since,
        until=reference.until if marked else earlier.until,
        across=reference.across, explicit=earlier.explicit or reference.explicit,
        event_words=reference.event_words or earlier.event_words,
        event_phrase=reference.event_phrase if reference.event_words else earlier.event_phrase,
        event_ask=reference.event_ask if reference.event_words else reference.ask,
        place_words=reference.place_words or earlier.place_words,
    )


# -- scope given as filters -----------------------------------------------------------------------


class ScopeError(ValueError):
    """A filter that names no report, or is not a date; the message says which, in one line."""


MAX_GIVEN_REPORTS = 50
_DATE = re.compile(r"^((?:19|20)\d\d)(?:-(\d\d?))?(?:-(\d\d?))?$")


def given_scope(catalog: Catalog, reports: list[str] | tuple | str | None, since: str = "", until: str = "") -> list[str] | None:
    """The reports filters limit a question to: ``reports`` (ids, or words of their titles) dated ``since`` to
    ``until`` (YYYY, YYYY-MM or YYYY-MM-DD, inclusive; an undated report is outside any date range).
    None when no filter is given."""
    if isinstance(reports, str):
        reports = [reports]
    reports = [str(r).strip() for r in reports or [] if str(r).strip()]
    if not reports and not since and not until:
        return None
    if len(reports) > MAX_GIVEN_REPORTS:
        raise ScopeError(f"at most {MAX_GIVEN_REPORTS} reports can be given, not {len(reports)}")
    pool = list(catalog.entries)
    if reports:
        chosen: list[str] = []
        for wanted in reports:
            found = find_reports(catalog, wanted[:200])
            if not found:
                raise ScopeError(f"no report matches {wanted[:80]!r}; `ingest list` shows the reports and their ids")
            chosen += found
        pool = list(dict.fromkeys(chosen))
    if since or until:
        low, high = _date_bound(since, (0, 0, 0)), _date_bound(until, (9999, 12, 31))
        pool = [d for d in pool if (w := catalog.entries[d].when) and low <= w <= high]
        if not pool:
            raise ScopeError(f"no dated report {f'since {since} ' if since else ''}{f'until {until}' if until else ''}".strip())
    return pool


def _date_bound(value: str, default: tuple[int, int, int]) -> tuple[int, int, int]:
    value = str(value or "").strip()
    if not value:
        return default
    m = _DATE.match(value)
    if not m:
        raise ScopeError(f"{value[:40]!r} is not a date; write YYYY, YYYY-MM or YYYY-MM-DD")
    upper = default[0] == 9999  # an "until" bound takes in the whole month or year it names
    return int(m[1]), int(m[2] or (12 if upper else 0)), int(m[3] or (31 if upper else 0))


def find_reports(catalog: Catalog, wanted: str) -> list[str]:
    """The reports ``wanted`` names: an id (or its unique start), else words of the title with any year."""
    if wanted in catalog.entries:
        return [wanted]
    by_prefix = [d for d in catalog.entries if len(wanted) >= 6 and d.startswith(wanted)]
    if len(by_prefix) == 1:
        return by_prefix
    words, years, quarter, recency = _phrase_words(wanted)
    resolution = resolve(Reference(ask="", words=words, years=years, quarter=quarter, recency=recency, explicit=True),
                         catalog)
    if resolution is not None:
        return resolution.docs
    lowered = wanted.lower()
    return [d for d, e in catalog.entries.items() if lowered and lowered in e.title.lower()]
