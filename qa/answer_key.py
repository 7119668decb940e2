"""The answer inside the quote: the words of a quoted sentence that answer a who/when/where/how-many question.

The question's wording gives the kind of answer it expects: a person, a date, a place, a number or a named
thing ("which team", "what company"). Questions that ask for an explanation or a description (why, how,
"what is ...") expect none and get no key. The quote's candidate keys are runs of up to MAX_KEY_TOKENS
tokens that begin and end on a content word; a linear model scores each from its form (capitals, digits,
dates), its place (next to the question's words, after a preposition) and whether it merely repeats the
question. The weights, one set per kind of answer, are fitted on SQuAD by bench/fit_answer_key.py.
"""
from __future__ import annotations

import re
from functools import lru_cache

import numpy as np

from ingest.models import CELL_SEPARATOR
from ingest.naming import MONTH, WEEKDAY, date_span, find_date, is_date_line
from ingest.text import STOPWORDS, stem, stems

from .lists import TERMINAL, asks_for_list
from .organisations import names_a_body
from .verb_forms import PAST_FORMS

MAX_KEY_TOKENS = 6
MAX_QUOTE_TOKENS = 150  # a long quote (a whole list) is searched in its first so many tokens
NEAR = 4  # tokens either side of a key counted as its neighbourhood
# A key the scorer gives less than this share of its belief is not shown: on SQuAD such keys overlap
# a gold answer with F1 below 0.25, a wrong highlight more often than a right one (bench/fit_answer_key.py).
MIN_PROBABILITY = 0.2

KINDS = ("person", "date", "place", "number", "name")

# The noun a "what/which ..." question asks about says which kind of answer it wants; a noun in none of
# these lists ("what type of ...", "what effect ...") asks for a description, which gets no key.
_KIND_NOUNS = {
    "date": "year date day month century decade time season".split(),
    "place": ("city country state place location region area continent town village county island river nation "
              "province street capital port district neighborhood neighbourhood site venue stadium borough suburb "
              "valley mountain lake sea ocean coast border territory colony harbor harbour").split(),
    "number": ("number percentage percent proportion amount size score cost price population rate total "
               "temperature distance length height age speed value fraction share sum salary frequency weight "
               "count ratio margin wage").split(),
    "person": ("person people man men woman women scientist player author writer artist painter composer leader "
               "king queen emperor president minister general member performer singer musician coach quarterback "
               "architect engineer inventor philosopher theologian poet ruler pope bishop official officer founder "
               "owner director governor mayor senator chancellor explorer mathematician physicist chemist economist "
               "historian politician professor actor actress athlete winner judge commissioner candidate prince "
               "princess duke saint").split(),
    "name": ("name team company group band network channel station organization organisation agency institution "
             "university college school museum church party court treaty act law book novel film movie song album "
             "newspaper magazine journal hotel army navy war battle empire dynasty kingdom tribe club league "
             "conference award prize ship spacecraft satellite planet mission project program programme language "
             "nationality religion brand product firm corporation bank airline airport bridge building park tower "
             "palace cathedral castle monument landmark festival show series championship trophy publication "
             "proclamation edict constitution amendment bill theorem").split(),
}
_NOUN_KIND = {form: kind for kind, nouns in _KIND_NOUNS.items() for noun in nouns for form in (noun, noun + "s")}
_HOW_NUMBER = set("many much long old far close big large tall high often fast deep wide heavy small".split())
_AUXILIARIES = set("is was are were be been does did do has have had can could will would should may might must".split())
_DETERMINERS = set("the a an its their his her this that these those".split())
WH_WORDS = frozenset("who whom whose when where why how what which".split())
_WH_WORD = "(?:" + "|".join(sorted(WH_WORDS)) + ")"
_WH = re.compile(rf"\b({_WH_WORD})\b", re.IGNORECASE)
_WORD = re.compile(r"[\w'’-]+")
# A leading "when"/"where" clause, then the question's own wh-word after its comma.
_WH_CLAUSE = re.compile(rf"(?:when|where)\b[^,?]{{3,}}?,\s*(?={_WH_WORD}\b)", re.IGNORECASE)

# Numbers and ranges of them with their currency, percent or ordinal ("$5.3", "30–60%", "21st"); initials
# and abbreviations ("E.", "U.S."), whose dot ends no sentence; words with inner hyphens, dots or
# apostrophes, but a possessive "'s" apart ("Luther's" -> "Luther", "'", "s"), as SQuAD's answers leave it out.
_NUMBER = r"\d(?:[\d,.]*\d)?"
_TOKEN = re.compile(
    rf"[$£€¥]?{_NUMBER}(?:[–-]{_NUMBER})?(?:%|st|nd|rd|th|s)?|(?:[A-Za-z]\.){{2,}}|[A-Z]\.(?=\s+[A-Z])"
    r"|\w+(?:[-.]\w+|['’](?!s\b)\w+)*|[^\w\s]"
)
_CURRENCY = set("$£€¥")
_BREAKS = set(";:.?!")  # a key never runs across these
_NUMBER_WORDS = set(
    "one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen "
    "eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion "
    "trillion dozen dozens half quarter twice hundreds thousands millions billions percent".split()
)
# Words that state a figure: "the second quarter" names a period of the year far more often than a share of something.
_FIGURE_WORDS = _NUMBER_WORDS - {"quarter"}
_MONTHS = set(
    "january february march april may june july august september october november december monday tuesday "
    "wednesday thursday friday saturday sunday spring summer autumn fall winter century centuries".split()
)
_YEAR = re.compile(r"^(?:1\d{3}|20\d{2})s?$")
# A year or a span of years ("2022–2026", "FY 2019-20"): no answer to "how many" or "what rate".
_YEARS = re.compile(r"^(?:1\d{3}|20\d{2})(?:[–-](?:1\d{3}|20\d{2}|\d{2}))?s?$")
_PREVIOUS = {  # words before a key, grouped by what they announce
    "prev_place": set("in at on near within into inside throughout across".split()),
    "prev_by": {"by"},
    "prev_time": set("during since until before after between around circa".split()),
    "prev_other": set("of for to with as from than about".split()),
    "prev_article": set("the a an".split()),
}

FEATURES = (
    # its form
    "len1", "len2", "len3", "len4", "len5", "capitals", "all_capitals", "whole_name", "has_number", "numbers",
    "number_unit", "has_year", "has_month", "has_symbol", "inner_punctuation", "inner_stopword", "at_start",
    # its neighbours
    *_PREVIOUS, "prev_comma", "next_comma", "prev_content", "next_content", "prev_capital", "next_capital",
    "in_brackets",
    # the question's words in and around it
    "question_words", "any_question_word", "prev_question_word", "next_question_word", "distance",
    "question_before_near", "question_after_near", "question_wide", "question_after", "question_order",
    "focus_near", "has_focus", "sentence_overlap",
)

# Fitted by bench/fit_answer_key.py on half of the articles of SQuAD v1.1 dev; see docs/answer-key.md.
WEIGHTS = {  # per kind, in the order of FEATURES
    "person": [-0.54, 0.32, 0.49, 0.20, -0.48, 1.54, 2.40, 0.40, -1.30, 2.11, 0.18, 0.32, -0.53, 0.11, -0.79, -0.69, 0.37, -0.35, 1.55, 1.31, 0.34, 0.45, 1.01, 0.14, 0.48, -0.60, -0.37, -1.93, -0.39, -3.29, 0.11, -0.41, 0.24, -0.44, 1.28, 0.13, 1.22, -0.49, 1.25, 1.06, 0.08, 1.03],
    "date": [0.24, 0.49, 0.32, -0.39, -0.66, -0.40, 1.45, 0.70, -0.42, 4.43, -0.35, 2.30, 1.51, -0.19, -0.98, -0.21, 0.60, 1.00, 0.60, 0.38, 0.80, 0.91, -0.19, 0.79, -0.05, -0.51, -0.47, -0.52, 0.24, -2.89, 0.50, -0.28, 0.28, -0.26, 1.05, 0.29, 1.34, -1.10, 0.59, 0.82, 0.60, 1.02],
    "place": [-0.10, 0.43, 0.44, 0.02, -0.80, 0.41, 1.47, 0.38, -0.85, 2.08, -0.15, -0.54, -0.46, 0.08, -1.21, -0.83, 0.68, 1.28, 0.25, 0.70, 0.60, 1.23, 0.26, 0.47, 0.28, -0.65, -0.90, -0.93, -0.32, -3.59, 0.55, -0.44, 0.46, -0.40, 1.26, 0.02, 1.26, -1.30, 0.54, 1.17, 0.53, -0.37],
    "number": [0.39, 0.34, -0.07, -0.14, -0.53, -0.94, 0.67, 0.20, 0.23, 4.05, 0.92, -0.50, 0.38, 0.57, -1.20, -0.84, 0.82, -0.19, 0.70, 0.52, 0.65, 0.43, 0.38, -0.30, 0.38, -1.08, -1.20, -0.34, -0.44, -2.57, 1.00, 0.20, 1.24, -0.66, 0.38, 0.78, 1.55, -1.06, 0.72, 0.61, 0.54, 1.37],
    "name": [-0.42, 0.27, 0.32, 0.32, -0.49, 1.30, 1.81, 0.71, -0.01, 2.49, 0.39, -0.18, -0.78, 0.06, -1.48, -0.74, 1.22, -0.15, 0.72, 0.43, 0.36, 0.58, 0.81, 0.43, 0.34, -0.36, -1.10, -1.00, -0.20, -3.11, 1.16, -0.56, 0.44, -0.19, 1.21, 0.35, 1.21, -0.58, 0.78, 1.13, 1.27, 0.94],
}


def expected_kind(question: str) -> str | None:
    """The kind of answer ``question`` asks for, one of KINDS, or None (why, how, what is ...)."""
    return _asked_for(question)[0]


def answer_key(question: str, text: str) -> tuple[int, int] | None:
    """Character offsets of the words in ``text`` that answer ``question``; None when it asks for no name,
    date, place or number, or when no words of ``text`` make a likely enough answer."""
    kind = expected_kind(question)
    if kind is None:
        return None
    spans, features = candidate_features(question, text)
    if not spans:
        return None
    scores = features @ _WEIGHTS[kind]
    best = int(np.argmax(scores))
    probability = 1.0 / float(np.exp(scores - scores[best]).sum())
    return spans[best] if probability >= MIN_PROBABILITY else None


def lacks_asked_kind(question: str, text: str, context: str = "", table: bool = False) -> bool:
    """Does ``question`` ask for a number or a date that ``text`` holds none of, or for a person where ``text`` is a
    field of a date? ("How many ...?" answered by a
    sentence without a figure is most likely the wrong sentence.) A "how many <things>" question also wants the
    things named, in ``text`` or in its ``context`` (the heading or table header it stands under): "22 departments"
    does not say how many employees. A ``table`` row's figures are in the unit its table states once, in a caption
    or a note under it ("All figures in thousands of euros"): money asked for need not show in the row."""
    # "What was Corvane's revenue in Q3 2024?": a row of another measure ("C1 cash cost | US$/lb | 1.97") is no answer,
    # nor a line that names no measure of its kind ("Released via the Regulatory News Service at 07:00"); a row may
    # say it otherwise ("Net sales"), and its header or heading may say it.
    asked = [family for family in _MEASURES if not family.isdisjoint(_stems(question))]
    said = _stems(f"{text} {context}")
    # A row the question names by its label ("Zinc concentrate | 214" for "zinc concentrate revenue in H1 2024") is of
    # the measure its table's caption says.
    named_row = table and bool(label := _stems(text.split(CELL_SEPARATOR)[0])) and label <= _stems(question)
    if any(family.isdisjoint(said) for family in asked) and (table or _PERIOD.search(question)) and not named_row:
        return True
    # "Net income" is not "GAAP operating income": a row, or a line of one ("GAAP operating income ($m): 29.8"), that
    # names the measure asked names its kind too ("iPhone | $ 7,312" names neither: its table's caption does).
    if (table or not TERMINAL.search(text.rstrip())) and (kind_of := _MEASURE_KIND.search(question)) \
            and stem(kind_of[2].lower()) in said and stem(kind_of[1].lower()) not in said:
        return True
    # Each is money: "Copper sales | kt | 45.1 | 40.6" is how much was sold, not what it earned.
    if asked and table and not _MONEY.search(text) and (_OTHER_UNIT.search(_first_value(text)) or _UNIT_CELL.search(text)):
        return True
    kind = expected_kind(question)
    if kind is None and asked and _PERIOD.search(question):
        kind = "number"  # asked of a period, a measure is a figure: not "our results for Q3 2024"
    if kind == "person":
        # "Who took the minutes at the meeting on 7 March 2023?": not the field "Meeting date: 7 March 2023".
        field = one_field(text)
        return field is not None and is_date_line(field[1])
    if kind not in ("number", "date"):
        return False
    counted = _counted_thing(question)
    if counted and _UNITS.get(counted, frozenset([counted])).isdisjoint(_stems(f"{text} {context}")):
        return True
    # "How much water did the port use?": a row of electricity, its header and caption never saying water, holds a
    # figure of something else. Prose may say it otherwise ("used 1.2 million cubic metres"), so rows alone.
    measured = _measured_thing(question) if table else None
    if measured and measured not in _stems(f"{text} {context}"):
        return True
    # "How much does it cost?" wants money: "six times as much" is a figure, but no price.
    # A row's money may be in its table's unit, stated once; but not a row whose figure is in another unit ("Overall
    # length | 142 m" is no cost).
    if _ASKS_MONEY.search(question) and not _MONEY.search(f"{text} {context}") and (
            not table or _OTHER_UNIT.search(_first_value(text))):
        return True
    # "How fast was the ferry going?" wants a speed ("about 6 knots"), or a rate of growth; not the visibility's miles.
    if _HOW_FAST.search(question) and not _SPEED.search(f"{text} {context}"):
        return True
    # A row's number ("1 | Close the bridge to all vehicles | Urgent") counts no thing asked for.
    return not holds_asked_figure(question, _ROW_NUMBER.sub("", text) if table else text, kind)


_ASKS_MONEY = re.compile(r"\bhow\s+much\b(?:(?!\b(?:of|percent|per\s+cent)\b)[^?]){0,60}?\b(?:costs?|costed|pay|pays"
                         r"|paid|raised?|bring\s+in|brought\s+in|spend|spends|spent|charges?|charged|fees?|price[ds]?"
                         r"|worth|earns?|earned|salary|budget)\b",
                         re.IGNORECASE)


def _first_value(row: str) -> str:
    """A row's first cell after its label: the unit its figures are in ("Overall length | 142 m"), which a change in
    percent beside them ("Operating revenues | 1,098.3 | 1,002.7 | +9.5%") does not say."""
    cells = row.split(CELL_SEPARATOR)
    return cells[1] if len(cells) > 1 else row


_OTHER_UNIT = re.compile(r"\d\s*(?:%|per\s*cent|mm|cm|m|km|kg|t|tonnes?|metres?|meters?|miles?|ha|hectares?|hours?"
                         r"|days?|weeks?|months?|years?|kw|mw|kwh|mwh|gwh|°c)(?!\w)", re.IGNORECASE)
_UNIT_CELL = re.compile(r"\|\s*(?:kt|mt|t|tonnes|oz|koz|moz|lb|mlb|%|pts|km|kwh|mwh|gwh|m3|ml|litres|units|days)\s*(?:\||$)",
                        re.IGNORECASE)
_HOW_FAST = re.compile(r"\bhow\s+fast\b", re.IGNORECASE)
_SPEED = re.compile(r"\d\s*(?:knots?|kts?|kn|mph|km/h|kph|kmh|m/s|ft/s|mach|%|per\s*cent|percent"
                    r"|(?:metres|meters|miles|kilometres|kilometers|feet)\s+(?:per|an|a)\s+(?:second|hour|minute))(?!\w)",
                    re.IGNORECASE)
_ROW_NUMBER = re.compile(r"^\s*\d{1,2}\.?\s*\|")
_MONEY = re.compile(r"[$£€¥₹]|\b(?:dollars?|euros?|pounds?|pence|cents?|yen|yuan|rand|pula|francs?|rupees?|pesos?"
                    r"|shillings?|usd|eur|gbp)\b", re.IGNORECASE)


def holds_asked_figure(question: str, text: str, kind: str = "number") -> bool:
    """Does ``text`` hold a figure (``kind`` "number") or a date ("date") that ``question`` does not give itself?"""
    # A figure the question itself gives ("within 60 days") is no answer: the definition of a measure repeats it.
    # Nor is a year or a month the answer to "how many".
    # A share or a change is a figure or a fraction: "all three measures" says no percent.
    if kind == "number" and _HOW_OFTEN.search(question) and _FREQUENCY.search(text):
        return True  # "before each day of use", "weekly", "twice a year": how often, in words
    if kind == "number" and _PERCENT_ASKED.search(question):
        # "By what percentage did sales grow?" is answered by a percent, not the amounts it was worked out from.
        return bool(_PERCENT.search(text)) or not _SHARE_WORDS.isdisjoint(w.lower() for w in _TOKEN.findall(text))
    # A rate ("the response rate", "the unemployment rate") is a figure or a share: "two researchers" is a count.
    words = _SHARE_WORDS if kind == "number" and (_SHARE.search(question) or _RATE.search(question)) else _FIGURE_WORDS
    given = _question_words(question)
    # "Seven decades" is how long, not how many people or how much money, unless a unit of time is asked about.
    durations_answer = kind != "number" or not _HOW_MANY_OR_MUCH.search(question) or not given.isdisjoint(_TIME_UNITS)
    if kind == "number" and not _ASKS_CODE.search(question):
        # "At 22:17 train 6M52 passed signal WC118", "F2 The water entered ...": a time of day and the codes that name
        # a train, a signal or a finding are no amount (but what "the registration number" asks for).
        text = _CODE_OR_CLOCK.sub(" ", text)
    tokens = _TOKEN.findall(text)
    for k, token in enumerate(tokens):
        word = token.lower()
        if word in given or (kind == "number" and _YEARS.fullmatch(token)):
            continue
        after = tokens[k + 1].lower() if k + 1 < len(tokens) else ""
        if word == "one" and (after == "of" or (k and tokens[k - 1].lower() in _BEFORE_PRONOUN_ONE)
                              or (k > 1 and tokens[k - 2].lower() in _BEFORE_PRONOUN_ONE and not after[:1].isalnum())):
            continue  # "no one", "a busy one", "one of them": a pronoun, not a count; "reduced to one." counts
        if not durations_answer and (after in _TIME_UNITS or word.split("-")[-1] in _TIME_UNITS):
            continue  # "seven decades", "a ten-week programme": how long, not how many
        if kind == "number" and token.isdecimal() and int(token) <= 31 and (
                after in _MONTHS or (k and tokens[k - 1].lower() in _MONTHS)):
            continue  # "for the years ended 31 December": a day of a month, no amount
        # "Fifty-six" is one token, a number in words.
        if (any(ch.isdecimal() for ch in token) or word in words or not words.isdisjoint(word.split("-"))
                or (kind == "date" and word in _MONTHS)):
            return True
    return False


# A code mixing letters and digits, its letters first or between its digits ("F2", "WC118", "6M52", "AIB-2023-0042";
# not "5m", "10km", "1990s"), or a time of day ("07:58", "16:41:18").
_CODE_OR_CLOCK = re.compile(r"(?<![\w.,$£€¥])(?:[A-Za-z]+[-/]?\d|\d+[A-Za-z]+\d)[\w/-]*|(?<![\d.,:])\d{1,2}:\d\d(?::\d\d)?(?![\d:])")
# "The registration number", "the accident number of the Tullahoma accident", "its code": a number that names a
# thing, not "the number of" things nor "what number of" them.
_ASKS_CODE = re.compile(r"\b(?:number|no\.|code|id|identifier|registration|serial)(?!\s+of\b)(?!\w)"
                        r"|\b(?!(?:the|a|an|what|which|total|average|overall|record|same|highest|lowest|greater|higher"
                        r"|lower|larger|smaller|growing|increasing|rising|falling)\b)[a-z]+\s+number\s+of\b", re.IGNORECASE)
_HOW_MANY_OR_MUCH = re.compile(r"\bhow\s+(?:many|much|big|large)\b", re.IGNORECASE)
_HOW_OFTEN = re.compile(r"\bhow\s+(?:often|frequently)\b", re.IGNORECASE)
_FREQUENCY = re.compile(r"\b(?:(?:each|every|per|a|an)\s+(?:\w+\s+)?(?:day|week|month|year|quarter|shift|use|run|batch|visit"
                        r"|hour|minute|sample|season)|daily|weekly|fortnightly|monthly|quarterly|annually|yearly|hourly"
                        r"|biannually|biennially|once|twice|continuously)\b", re.IGNORECASE)
_TIME_UNITS = frozenset("""year years decade decades century centuries month months week weeks day days hour hours
                           minute minutes""".split())
_BEFORE_PRONOUN_ONE = frozenset("a the this that each every any no another which".split())


# "What percent/share/proportion of ...", "By how much did ... rise?"
_SHARE = re.compile(r"\b(?:what|which)\s+(?:percent(?:age)?|share|proportion|fraction)\b|\bby\s+how\s+much\b", re.IGNORECASE)
_PERCENT_ASKED = re.compile(r"\b(?:what|which|how\s+many)\s+(?:percent(?:age)?|share|proportion|fraction)\b", re.IGNORECASE)
_RATE = re.compile(r"\brates?\b", re.IGNORECASE)
_PERCENT = re.compile(r"\d\s*(?:%|percent\b|per\s+cent\b)", re.IGNORECASE)
_SHARE_WORDS = frozenset("half halves quarter quarters third thirds fifth fifths percent majority".split())


# A unit asked for by its symbol ("how many km") is written out as often ("61 kilometres"), and the other way round;
# people counted as residents are often said to be people.
_UNIT_NAMES = {"people": "persons residents inhabitants individuals citizens",
               "homes": "home house houses property properties dwelling dwellings household households premises",
               "km": "kilometre kilometer",
               "m": "metre meter", "cm": "centimetre centimeter", "mm": "millimetre millimeter",
               "kg": "kilogram", "t": "tonne ton", "mi": "mile", "ft": "foot feet", "ha": "hectare", "l": "litre liter",
               "ml": "megalitre megaliter millilitre", "kwh": "kilowatt", "mwh": "megawatt", "mw": "megawatt",
               "gw": "gigawatt", "gwh": "gigawatt", "hr": "hour", "hrs": "hour", "min": "minute", "mins": "minute"}


def _unit_forms() -> dict[str, frozenset[str]]:
    """Each stem of a unit's symbol or name (or a word for people), with all the stems it may be written as."""
    forms: dict[str, frozenset[str]] = {}
    for symbol, names in _UNIT_NAMES.items():
        unit = frozenset({stem(symbol)} | {stem(w) for w in names.split()})
        forms |= {form: forms.get(form, frozenset()) | unit for form in unit}
    return forms


_UNITS = _unit_forms()


# Things counted in units so general that a figure answers without naming them ("how many years": "1990 to 1996").
_GENERIC_COUNTS = frozenset(
    """people persons individuals times years months weeks days hours minutes seconds percent""".split())


@lru_cache(maxsize=256)
def _counted_thing(question: str) -> str | None:
    """The stem of what "how many <things> ..." counts: the phrase's last word before an auxiliary, "of" or the end
    ("how many miles of rail" counts miles); None for another question, a long phrase or a generic unit, and where a
    past form follows the first word ("how many Maritime Fellows joined", "how many GP surgeries served the
    countryside"): the last word there is no thing counted, and the words before it may well be said otherwise in
    the report ("142 GP practices"), so only the figure is looked for. "Registered voters" are a thing counted."""
    return _thing_after(re.search(r"\bhow\s+many\s+([^?,;]*)", question, re.IGNORECASE))


# A year or a quarter a measure is asked of.
_PERIOD = re.compile(r"\b(?:(?:19|20)\d\d|q[1-4]|h[12]|(?:first|second|third|fourth)\s+(?:quarter|half))\b", re.IGNORECASE)
# The measures a question may ask a table for by name, one of which the row, or its header, must name.
_MEASURE_KIND = re.compile(r"\b(net|gross|operating|underlying|adjusted|pre-tax)\s+(income|profit|revenue|earnings|loss"
                           r"|margin|sales)\b", re.IGNORECASE)
# Each family of words for one measure (not what is spent: that is said as costs, expenditure, expenses).
_MEASURES = [frozenset(stem(w) for w in family.split()) for family in (
    "revenue revenues sales turnover", "income profit profits earnings ebit ebitda", "dividend dividends")]
# "How much more", "how much money", "how much time": no thing a table's row must name.
_UNMEASURED = frozenset(stem(w) for w in "more less money time funding cash".split())


@lru_cache(maxsize=256)
def _measured_thing(question: str) -> str | None:
    """The stem of what "how much <thing> ..." measures ("how much water did the port use": water), as _counted_thing
    finds it; None for "how much did they spend", money or time."""
    thing = _thing_after(re.search(r"\bhow\s+much\s+([^?,;]*)", question, re.IGNORECASE))
    return None if thing in _UNMEASURED else thing


def _thing_after(match: re.Match | None) -> str | None:
    """The stem of the thing named by ``match``'s phrase (after "how many" or "how much"): see _counted_thing."""
    if not match:
        return None
    phrase: list[str] = []
    for word in _WORD.findall(match.group(1).lower()):
        if word in _AUXILIARIES or word == "of" or word in WH_WORDS:
            break
        if phrase and (word in PAST_FORMS or (len(word) > 4 and word.endswith("ed"))):
            return None
        phrase.append(word)
    phrase = [w for w in phrase if w not in STOPWORDS]
    if not phrase or len(phrase) > 4 or phrase[-1] in _GENERIC_COUNTS:
        return None
    return stem(phrase[-1])


# What a form's label calls the answer to "when", "where", "how old" and "how much".
_LABELS_FOR = {"when": ("date", "time", "day", "due"), "where": ("location", "place", "address", "site", "venue"),
               "old": ("age",),
               "much": ("amount", "cost", "total", "value")}
_HOW = re.compile(r"\bhow\s+(old|much)\b", re.IGNORECASE)
_QUANTITY_HEADS = frozenset(stem(w) for w in ("quantity", "amount", "volume"))
_WHO_DID = re.compile(r"who\s+(\w+ed)\b", re.IGNORECASE)
# "Who owns the procedure?", "Which team owns it?": a form names the doer by the deed ("Owner:", "Maintained by:").
_WHO_DOES = re.compile(r"\b(?:who|which\s+[a-z]+)\s+(?!(?:is|was|has|does|this|its)\b)([a-z]{2,}[^s\W]s)\b", re.IGNORECASE)
# "How many people were injured?": a form counts them under what was done to them ("Injuries: 1 Serious").
_HOW_MANY_DONE = re.compile(r"\bhow\s+many\s+(\w+)\s+(?:were|was|are|is|have\s+been|had\s+been)\s+(\w+ed)\b",
                            re.IGNORECASE)
# "How many people died ...": a form counts the dead under Fatalities or Deaths.
_HOW_MANY_DIED = re.compile(r"\bhow\s+many\s+(?:\w+\s+)?(?:died|were\s+killed|perished|lost\s+their\s+lives)\b", re.IGNORECASE)
_DEATH_HEADS = frozenset(stem(w) for w in ("fatalities", "deaths", "killed", "dead"))
# "Was anybody hurt?", "Were there any injuries?", "How badly was the sailor hurt?": a form's "Injuries:" says.
_ANYONE_HURT = re.compile(r"\b(?:any(?:one|body)|some(?:one|body)|people|nobody|no\s+one)\s+(?:\w+\s+)?(?:hurt|injured|harmed)\b"
                          r"|\bany\s+(?:injuries|casualties)\b|\bhow\s+(?:badly|seriously|severely)\b[^?]*\b(?:hurt|injured)\b",
                          re.IGNORECASE)
_HARM_HEADS = frozenset(stem(w) for w in ("injuries", "injured", "casualties", "hurt"))
# "How many people attended the 2022 dialogue?": "Participants: 88", "It attracted 88 participants".
_HOW_MANY_ATTENDED = re.compile(r"\bhow\s+many\s+(?:\w+\s+)?(?:attended|took\s+part|participated|came|turned\s+up"
                                r"|were\s+(?:there|present))\b|\battendance\b", re.IGNORECASE)
_ATTENDANCE_HEADS = frozenset(stem(w) for w in ("participants", "attendance", "attendees", "delegates", "attended"))
_PREPOSITIONS = frozenset("of in on at for to by from with about during under over".split())
# Heads that say only the form of an answer: the word before ("the registration number": "Registration: N733EF",
# not "Accident Number: ...") or the noun after "of" ("what type of aircraft": "Aircraft: Aviat A-1B") says which.
_FORM_HEADS = frozenset("number name date type kind sort code id".split())


@lru_cache(maxsize=256)
def asked_heads(question: str) -> frozenset[str]:
    """Stems of the words a form's label would use for what ``question`` asks: the head noun of "which agency ...",
    "what was the probable cause?" (agency, cause), or date/time for "when", location/place for "where", age for
    "how old", the thing of "how much damage" or a quantity, the verb of "how many people were injured" and of "who
    inspected", the word that says which number, name or type ("the registration number", "what type of aircraft")."""
    if _HOW_MANY_DIED.search(question):
        return _DEATH_HEADS
    if done := _HOW_MANY_DONE.search(question):
        counted = done.group(1).lower()
        return frozenset([stem(done.group(2).lower())] + ([] if counted in _GENERIC_COUNTS else [stem(counted)]))
    if _ANYONE_HURT.search(question):
        return _HARM_HEADS
    if _HOW_MANY_ATTENDED.search(question):
        return _ATTENDANCE_HEADS
    match = _HOW.search(question) or _asked_wh(question)
    if not match:
        return frozenset()
    wh = match.group(1).lower()
    after = [w.lower() for w in _WORD.findall(question[match.end():])]
    if wh in _LABELS_FOR:
        # "How much damage did ...": the label names the damage, or says it is a quantity ("Quantity released: ...").
        thing = after[0] if wh == "much" and after and after[0] not in _AUXILIARIES and after[0] not in STOPWORDS else ""
        return frozenset([stem(thing), *_QUANTITY_HEADS] if thing else [stem(w) for w in _LABELS_FOR[wh]])
    if wh == "who" and (done := _WHO_DID.match(question, match.start())):
        return frozenset([stem(done.group(1).lower())])  # "Who inspected the dam?": "Inspector:", "Inspected by:"
    does = _WHO_DOES.match(question, match.start()) if wh in ("who", "which") else None
    deed = does.group(1).lower()[:-1] if does else ""
    doers = frozenset(stem(w) for w in (deed, f"{deed}er", f"{deed}r")) if deed else frozenset()
    if wh == "who" and doers:
        return doers
    # "Who was the inspector for the Castlebeck audit?": a form's "Inspector:", as "what was the cause" asks "Cause:".
    who_was_the = wh == "who" and len(after) > 2 and after[0] in _AUXILIARIES and after[1] in _DETERMINERS
    if wh not in ("what", "which") and not who_was_the:
        return frozenset()
    if after and after[0] in _AUXILIARIES:  # "what was the probable cause of ...": the noun after the article
        after = after[2:] if len(after) > 1 and after[1] in _DETERMINERS else []
    phrase = []
    for word in after[:4]:
        if word in _AUXILIARIES or word in _PREPOSITIONS or word in WH_WORDS:
            break
        phrase.append(word)
    # The last noun that names a kind of answer ("which NFL team won ..."); else the last of a short phrase, or the
    # first of a long one, which runs on into a verb ("which office filed the ...").
    kinds = [w for w in phrase if w in _NOUN_KIND]
    head = kinds[-1] if kinds else (phrase[-1] if len(phrase) <= 2 else phrase[0]) if phrase else ""
    if head in _FORM_HEADS and phrase[-1] == head:
        rest = after[len(phrase):]
        if len(phrase) >= 2 and phrase[-2] not in STOPWORDS:
            head = phrase[-2]
        elif len(rest) >= 2 and rest[0] == "of":
            named = rest[2] if rest[1] in _DETERMINERS and len(rest) > 2 else rest[1]
            return frozenset([stem(head), stem(named)]) if named not in STOPWORDS else frozenset([stem(head)])
    if not phrase or head in STOPWORDS:
        return doers
    return frozenset(stem(w) for w in (head, *_HEAD_LABELS.get(head, ()))) | doers


# "Which company is building it?": a form names the company by what it does ("Contractor: Voltmarine Systems").
_FIRM_ROLES = ("contractor", "supplier", "vendor", "operator", "consultant", "company", "firm")
_HEAD_LABELS = {"company": _FIRM_ROLES, "firm": _FIRM_ROLES}


# "Label: value", or a row of a table of labels and values ("Substance released | Anhydrous ammonia", ingest/tables.py):
# two cells, the first a label.
_CELL_LABEL = r"([A-Z][\w&/'’()#*\- ]{0,40}?) \| "
_LABEL = re.compile(r"(?:^|(?<=\s))([A-Z][\w&/'’()#\- ]{0,40}?)\s*:\s+\S|(?m:^" + _CELL_LABEL + r"(?=[^|\n]+$))")


def _labels(text: str) -> list[str]:
    return [colon or cell for colon, cell in _LABEL.findall(text)] if ":" in text or " | " in text else []


def labels_name(heads: frozenset[str], text: str) -> bool:
    """Does ``text`` hold a ``Label: value`` field (form lines often hold two) whose label names one of ``heads``
    (asked_heads)?"""
    # Most passages hold no colon nor cell: the label pattern, tried at every capital letter, need not read them.
    return bool(heads) and any(_named(heads, _label_stems(label)) for label in _labels(text))


@lru_cache(maxsize=4096)
def _label_stems(label: str) -> frozenset[str]:
    """The stems of a label's last four words, the words that say what it holds."""
    return frozenset(stem(w) for w in _WORD.findall(label.lower())[-4:]) - STOPWORDS


def _named(heads: frozenset[str], words: frozenset[str]) -> set[str]:
    """The label's stems that name one of ``heads``: the same stem, or one the start of the other where both are
    long enough to mean a word ("injur" of "injured" and "injuri" of "Injuries")."""
    return {w for w in words if w in heads or any(len(h) >= 5 and len(w) >= 5 and (w.startswith(h) or h.startswith(w))
                                                  for h in heads)}


def label_fit(heads: frozenset[str], asked: frozenset[str], text: str) -> float:
    """How well the best label of ``text`` that names one of ``heads`` fits the question: the share of its words
    among ``heads`` and the question's stems ``asked``. "Aircraft: ..." fits "what type of aircraft ..." better than
    "Aircraft Damage: ..." does; 0 when no label names what is asked."""
    return max((_fit(heads, asked, label) for label in _labels(text)), default=0.0) if heads else 0.0


def _fit(heads: frozenset[str], asked: frozenset[str], label: str) -> float:
    words = _label_stems(label)
    named = _named(heads, words)
    if named & _QUANTITY_HEADS and heads >= _QUANTITY_HEADS:
        return 1.0  # "how much fuel leaked": "Quantity released", whatever verb the form uses for it
    return len(named | (words & asked)) / len(words) if named else 0.0


# "Time: 09:42", "Injuries | None"
_ONE_FIELD = re.compile(r"^([A-Z][\w&/'’()#\- ]{0,40}?)\s*:\s+(\S(?:[^:]|:(?!\s))*)$|^" + _CELL_LABEL + r"([^|]+)$")
FIELD_VALUE_WORDS = 12  # a form's value is a few words; a "Label: ..." of more is prose with a colon in it
FIELD_FIT = 0.6  # of a label's words, the share the question must have asked for ("Aircraft Explosion" is half)


def one_field(text: str) -> tuple[str, str] | None:
    """``text`` as the label and value of one form field ("Location: Mobile Bay, Alabama"); None when it is not one:
    prose that holds a colon, a long label or a long value."""
    match = _ONE_FIELD.match(text.strip())
    if not match:
        return None
    label, value = (match.group(1), match.group(2)) if match.group(1) else (match.group(3), match.group(4))
    return None if len(label.split()) > 5 or len(value.split()) > FIELD_VALUE_WORDS else (label, value)


# "Who wrote/prepared the 2021 report?" is answered by a cover's byline ("By Siti Rahman and Marco Villanueva",
# "Prepared by: ..."), which shares no word with it.
_ASKS_AUTHOR = re.compile(r"\b(?:who|which\s+(?:organi[sz]ation|firm|company|institute|team|consultancy|body))\s+"
                          r"(?:wrote|authored|prepared|compiled|edited|drafted|conducted|carried\s+out)\b"
                          r"|\bwho\s+(?:is|are|was|were)\s+(?:the\s+)?(?:authors?|writers?)\b", re.IGNORECASE)
_BYLINE = re.compile(r"^(?:(?:written|prepared|compiled|edited)\s+)?by:?\s+[A-Z]|^(?:about\s+the\s+)?authors?:\s*[A-Z]",
                     re.IGNORECASE)


BYLINE_WORDS = 20  # "About the author: Dr Imogen Fairweather is a senior research fellow at ..." is one line or two


def asks_for_author(question: str) -> bool:
    return bool(_ASKS_AUTHOR.search(question))


def is_byline(text: str) -> bool:
    """A line naming who wrote a report: "By Siti Rahman December 2021", "Prepared by: the Office of ...", "About the
    author: Dr Elin Marsh is ..."."""
    return bool(_BYLINE.match(text.strip())) and len(text.split()) <= BYLINE_WORDS


# "When was the policy brief published?" is answered by its cover's date line ("November 2022"), or the byline
# that ends with it ("Prepared by Rutendo Chikowore, November 2022"), which share no word with it.
_ASKS_PUBLISHED = re.compile(r"\bwhen\s+(?:was|were|did)\b[^?]{0,60}?\b(?:published|released|issued|written|launched"
                            r"|out|come\s+out)\b|\b(?:publication|release)\s+date\b", re.IGNORECASE)


def asks_when_published(question: str) -> bool:
    return bool(_ASKS_PUBLISHED.search(question))


DATELINE_WORDS = 10

# "Where was the workshop held?", "In which city did the dialogue take place?": answered by the cover's line of place
# and days ("Da Nang, Vietnam 17-18 October 2022", "Suva, Fiji | 23-24 November 2021"), which shares no word with it.
_ASKS_WHERE_HELD = re.compile(r"\b(?:where|(?:in\s+)?(?:which|what)\s+(?:city|town|country|place|venue))\b[^?]{0,80}?"
                              r"\b(?:held|hosted|take\s+place|took\s+place|taking\s+place|meet|met|convened?|hold)\b",
                              re.IGNORECASE)


_AHEAD = re.compile(r"\b(?:will|next|planned|upcoming|future)\b", re.IGNORECASE)


def asks_where_held(question: str) -> bool:
    """Does ``question`` ask where the meeting a report is of was held (not where the next one will be)?"""
    return bool(_ASKS_WHERE_HELD.search(question)) and not _AHEAD.search(question)


def is_place_dateline(text: str) -> bool:
    """A cover's line naming where and when a meeting was: capitalised place words, then its day or days ("Da Nang,
    Vietnam 17-18 October 2022", "Colombo, Sri Lanka, and online | 9-10 November 2021", whatever follows them on the
    cover: "Convened by ..."), or the day and then the place ("Tuesday 14 November 2023 · Corn Exchange, Bramwell");
    not a publication line ("Published December 2022")."""
    start, end = date_span(text) or (0, 0)
    if len(find_date(text[:end], 9999)) != len("2022-10-17") or _PUBLISHING.match(text):
        return False
    # After the day, the place runs to the cover's next credit, if it is read into the same line ("... Elmsford Town
    # Hall Published by the Council, September 2019").
    place = _CREDIT.split(text[end:], maxsplit=1)[0]
    return _names_places(text[:end]) or (not _words(text[:start]) and _names_places(place, whole=True))


_CREDIT = re.compile(r"\b[A-Z]?[a-z]+\s+by\b")  # "Published by", "Convened by", "Hosted by"


def _words(text: str) -> list[str]:
    """``text``'s words but its months and weekdays."""
    return [w for w in re.findall(r"[^\W\d_][\w'’.-]*", text) if not re.fullmatch(MONTH, w, re.IGNORECASE)
            and not re.fullmatch(WEEKDAY, w, re.IGNORECASE)]


def _names_places(text: str, whole: bool = False) -> bool:
    """Are ``text``'s words (months and weekdays aside) a few capitalised place words? ``whole``: and nothing else
    (not the start of a sentence)."""
    places = _words(text)
    return (0 < len(places) <= DATELINE_WORDS and ":" not in text and not (whole and text.rstrip().endswith("."))
            and all(w[:1].isupper() or w in ("and", "online", "of") for w in places))


def is_dateline(text: str, cover: bool = False) -> bool:
    """A line dating a report: a date and nothing else ("November 2022"), or a byline or names ending with one
    ("Prepared by Rutendo Chikowore, November 2022", "Siti Rahman December 2021"). On a ``cover``, the lines under
    its title may be read as one "sentence" ("Policy Paper No. 11 Ruth Kinsella September 2023 Northgate Centre"):
    a short one that ends as no sentence does and names a month dates the report too."""
    words = text.split()
    if is_date_line(text) or (is_byline(text) and bool(find_date(text, 9999))):
        return True
    if cover and len(words) <= BYLINE_WORDS and not text.rstrip().endswith((".", "!", "?")) \
            and len(find_date(text, 9999)) >= len("2023-09"):
        return True
    return _names_beside_date(text) or (cover and _credits_then_date(text))


CREDITS_WORDS = 30


def _credits_then_date(text: str) -> bool:
    """A cover's authors with their affiliations, then its date, read as one "sentence" ("Nguyen Thi Lan, College of
    Environment and Natural Resources, Can Tho University Peter Halvorsen, Senior Fellow, Meridian Policy Institute
    14 March 2022"): mostly capitalised words, a comma or "and" between them, and the date ending the line."""
    span = date_span(text)
    if span is None or text[span[1]:].strip(" .") or len(find_date(text[span[0]:], 9999)) < len("2023-09"):
        return False
    credits = text[:span[0]].split()
    long = [w for w in credits if len(w.strip(",()")) > 3]
    return (3 <= len(credits) <= CREDITS_WORDS and ("," in text[:span[0]] or "and" in credits)
            and sum(w[:1].isupper() for w in long) >= 0.7 * len(long)
            and not any(w.lower().strip(",.") in _NOT_CREDITS for w in credits) and not _PUBLISHING.match(text))


_PUBLISHING = re.compile(r"^\s*(?:published|issued|released|updated|printed|revised|dated?)\b", re.IGNORECASE)


def is_cover_byline(text: str, lower_case: frozenset[str] = frozenset()) -> bool:
    """A cover line naming who wrote the report: a byline, or names beside its date ("Dr. Aurelio Baptiste 14 June
    2023", "December 2022 Ragnhild Solem"), or names and their affiliations before it; not a date alone, its
    publication ("Published July 2023") nor a field ("Hawaii: 2:00 PM on ..."). Given ``lower_case``, the words the
    report writes in lower case too, names alone ("Tomas Lindqvist", "Owen Price and Dr Sara Malik"): not a
    subtitle's capitalised words ("Public Virtual Event"), which the report writes in lower case elsewhere."""
    words = text.split()
    alone = (bool(lower_case) and 2 <= len(words) <= DATELINE_WORDS and _names(words) and not names_a_body(text)
             and 2 * sum(w.lower().strip(",.") in lower_case for w in words if w[:1].isupper()) < len(words))
    return is_byline(text) or ((_names_beside_date(text, either_side=True) or _credits_then_date(text) or alone)
                               and ":" not in text and not _PUBLISHING.match(text))


_NOT_NAMES = frozenset("""key findings summary report review annual brief paper policy working executive introduction
    contents edition volume issue update proceedings outlook statement plan strategy""".split())
# "Meridian Policy Institute" is an author's affiliation; "Key Findings", "Annual Report" are a title's words.
_NOT_CREDITS = _NOT_NAMES - {"policy"}


def _names(words: list[str]) -> bool:
    """Are ``words`` names and nothing else? "Commander (ret.) Fiona Laird"; not a title's words ("Key Findings")."""
    return all((w[:1].isupper() and w.lower().strip(",.") not in _NOT_NAMES) or w in ("and", "&")
               or (w.startswith("(") and w.endswith(")")) for w in words)


def _names_beside_date(text: str, either_side: bool = False) -> bool:
    """Capitalised words, and nothing else, before a date that ends the line ("Siti Rahman December 2021"), or with
    ``either_side`` after one that starts it ("December 2022 Ragnhild Solem")."""
    words = text.split()
    return len(words) <= DATELINE_WORDS and any(
        (is_date_line(" ".join(words[-k:])) and _names(words[:-k]))
        or (either_side and is_date_line(" ".join(words[:k])) and _names(words[k:]))
        for k in (2, 3, 4) if k < len(words))


def asks_who_did(question: str) -> bool:
    """"Who inspected the dam?", "Who prepared the report?": a form names the doer under a label of the deed."""
    match = _asked_wh(question)
    return bool(match) and match.group(1).lower() == "who" and bool(_WHO_DID.match(question, match.start()))


def is_asked_field(question: str, text: str) -> bool:
    """Is ``text`` one form field, a short value under a label that names what ``question`` asks ("Age: 29,Male" for
    "how old ...", asked_heads) and says little else? Stricter than labels_name: the quote is the field, not prose
    that holds a colon. A question asking for a list ("what are the strategic goals ...") is not answered by one."""
    field = one_field(text)
    if field is None or asks_for_list(question):
        return False
    heads = asked_heads(question)
    return bool(heads) and _fit(heads, question_stems(question), field[0]) >= FIELD_FIT


def counts_asked_thing(question: str, text: str) -> bool:
    """Does ``text`` count those who attended, as "how many people took part?" or "how has attendance changed?" asks,
    in the words a form would label them with ("It brought together 58 participants")? Only attendance: a question
    asking how many were killed says the words of its answer itself, and one of them before a figure ("1.25 million
    deaths") may well count them somewhere else."""
    return bool(_HOW_MANY_ATTENDED.search(question)) and any(
        stem(word.lower()) in _ATTENDANCE_HEADS for m in _COUNT_OF.finditer(text) for word in m.groups("") if word)


_COUNT_OF = re.compile(r"\b\d[\d,.]*\s+([A-Za-z]+)(?:\s+([a-z]+))?")  # "58 participants", "58 registered delegates"


@lru_cache(maxsize=256)
def question_stems(question: str) -> frozenset[str]:
    """The stems of ``question``'s words, read once however many sentences they are weighed against."""
    return frozenset(stems(question))


def quote_key(question: str, passage: str, start: int, end: int) -> list[int] | None:
    """The key of the quote ``passage[start:end]`` as [start, end] offsets in ``passage`` (Citation.key)."""
    key = answer_key(question, passage[start:end])
    return [start + key[0], start + key[1]] if key else None


@lru_cache(maxsize=256)  # the reader asks it of every sentence it weighs, for one question at a time
def _question_words(question: str) -> frozenset[str]:
    return frozenset(token.lower() for token in _TOKEN.findall(question))


def _asked_wh(question: str) -> re.Match | None:
    """The wh-word of what ``question`` asks. "When the ferry hit the rocks, which chart correction was missing?":
    the clause says of what, not when."""
    match = _WH.search(question)
    if match and (clause := _WH_CLAUSE.match(question, match.start())):
        return _WH.match(question, clause.end())
    return match


@lru_cache(maxsize=256)
def _asked_for(question: str) -> tuple[str | None, str | None]:
    """The kind of answer ``question`` asks for and the noun that says so ("year" in "In what year ...")."""
    match = _asked_wh(question)
    if not match:
        return None, None
    wh = match.group(1).lower()
    if wh in ("who", "whom", "whose"):
        return "person", None
    if wh in ("when", "where"):
        return ("date" if wh == "when" else "place"), None
    after = [w.lower() for w in _WORD.findall(question[match.end():])]
    if wh == "how":
        return ("number" if after and after[0] in _HOW_NUMBER else None), None
    if wh == "why" or not after:
        return None, None
    if after[0] in _AUXILIARIES:
        # "What is the name of ...", "What was the final score ...": the noun after the article decides.
        if len(after) < 3 or after[1] not in _DETERMINERS:
            return None, None
        phrase = after[2:6]
        phrase = phrase[: phrase.index("of")] if "of" in phrase else phrase[:2]
        noun = next((w for w in reversed(phrase) if w in _NOUN_KIND), None)
        return (_NOUN_KIND[noun], noun) if noun else (None, None)
    # "Which NFL team ...", "In what year ...", "What other two performers ...": a noun before the verb, the last
    # one ("what high school graduation rate" asks for a rate, not a school).
    head = None
    for word in after[:4]:
        if word in _AUXILIARIES or word == "of":
            break
        if word in _NOUN_KIND:
            head = word
    return (_NOUN_KIND[head], head) if head else (None, None)


def _stems(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS}


# What each token is, one column each: computed in one pass, then summed over every candidate and its
# neighbours at once. The question's words come first; what a word is by itself is cached per word.
_ASKED, _ASKED_EARLY, _FOCUS, _CONTENT, _CAPITAL, _NUMERIC, _YEAR_TOKEN, _MONTH, _SYMBOL, _PUNCT, _STOP, _COMMA, \
    _OPEN, _CLOSE, _BREAK, *_PREVIOUS_GROUP = range(15 + len(_PREVIOUS))


@lru_cache(maxsize=100_000)
def _word_flags(word: str) -> tuple[str, tuple[bool, ...]]:
    """A token's stem (empty unless a content word) and its flags from _CONTENT on."""
    low = word.lower()
    punct = not (word[0].isalnum() or word[0] in _CURRENCY)
    content = not punct and low not in STOPWORDS
    return (stem(low) if content else ""), (
        content, content and word[0].isupper(), word[0].isdigit() or word[0] in _CURRENCY or low in _NUMBER_WORDS,
        bool(_YEAR.match(word)), low in _MONTHS, word[0] in _CURRENCY or word.endswith("%") or low == "percent",
        punct, not punct and not content, word == ",", word == "(", word == ")", word in _BREAKS,
        *(low in group for group in _PREVIOUS.values()),
    )


def candidate_features(question: str, text: str) -> tuple[list[tuple[int, int]], np.ndarray]:
    """Every candidate key of ``text`` as (start, end) character offsets, and its row of FEATURES."""
    tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)][:MAX_QUOTE_TOKENS]
    n = len(tokens)
    if not n:
        return [], np.zeros((0, len(FEATURES)))
    _, noun = _asked_for(question)
    focus = stem(noun) if noun else None
    # The noun asked about may well be part of the answer ("Which company ..." - "Fresno Traction Company").
    question_stems = _stems(question) - {focus}
    wh = _WH.search(question)
    early_stems = _stems(question[: wh.start()]) if wh else set()
    stems, flags = [], []
    for t in tokens:
        stemmed, word_flags = _word_flags(t[2])
        asked = stemmed in question_stems
        stems.append(stemmed)
        flags.append((asked, asked and stemmed in early_stems, bool(stemmed) and stemmed == focus, *word_flags))
    flags = np.array(flags, dtype=float)
    counts = np.vstack([np.zeros(flags.shape[1]), np.cumsum(flags, axis=0)])  # counts[i]: flags of tokens < i

    # Candidates: runs of up to MAX_KEY_TOKENS tokens from a content word to a content word, within a sentence.
    first = np.repeat(np.arange(n), MAX_KEY_TOKENS)
    last = first + np.tile(np.arange(MAX_KEY_TOKENS), n)
    inside = last < n
    first, last = first[inside], last[inside]
    content = flags[:, _CONTENT] > 0
    keep = content[first] & content[last] & (counts[last + 1, _BREAK] == counts[first, _BREAK])
    first, last = first[keep], last[keep]
    if not len(first):
        return [], np.zeros((0, len(FEATURES)))

    def before(reach: int) -> np.ndarray:
        """Per candidate and flag: how many of the ``reach`` tokens before it have the flag."""
        return counts[first] - counts[np.maximum(first - reach, 0)]

    def after(reach: int) -> np.ndarray:
        return counts[np.minimum(last + 1 + reach, n)] - counts[last + 1]

    within = counts[last + 1] - counts[first]
    previous, following = before(1), after(1)
    near = before(NEAR), after(NEAR)
    wide = before(3 * NEAR) + after(3 * NEAR)
    all_before, all_after = counts[first], counts[n] - counts[last + 1]

    words_in = within[:, _CONTENT]
    capitals = within[:, _CAPITAL]
    numbers = within[:, _NUMERIC]
    asked_in = within[:, _ASKED]
    length = np.minimum(words_in, 5)
    question_size = max(len(question_stems), 1)
    asked_size = max(counts[n, _ASKED], 1)
    # Distance to the nearest question word outside the candidate, in tokens.
    positions = np.flatnonzero(flags[:, _ASKED])
    if len(positions):
        left = np.searchsorted(positions, first) - 1
        right = np.searchsorted(positions, last, side="right")
        gap_left = np.where(left >= 0, first - positions[np.maximum(left, 0)], n)
        gap_right = np.where(right < len(positions), positions[np.minimum(right, len(positions) - 1)] - last, n)
        distance = np.log1p(np.minimum(gap_left, gap_right))
    else:
        distance = np.full(len(first), np.log1p(n))
    # A quote of several sentences: the key is most likely in the one sharing most words with the question.
    sentence = counts[:-1, _BREAK].astype(int)
    shared = [len({s for s, k in zip(stems, sentence.tolist()) if k == i} & question_stems)
              for i in range(sentence[-1] + 1)]
    sentence_overlap = (np.array(shared) / max(max(shared), 1))[sentence[first]]
    whole = capitals == words_in
    columns = [
        length == 1, length == 2, length == 3, length == 4, length == 5, capitals / words_in, whole,
        whole & (previous[:, _CAPITAL] == 0) & (following[:, _CAPITAL] == 0), numbers > 0, numbers / words_in,
        (numbers > 0) & (flags[last, _NUMERIC] == 0), within[:, _YEAR_TOKEN] > 0, within[:, _MONTH] > 0,
        within[:, _SYMBOL] > 0, within[:, _PUNCT] > 0, within[:, _STOP] > 0, first == 0,
        *(previous[:, group] for group in _PREVIOUS_GROUP), previous[:, _COMMA], following[:, _COMMA],
        previous[:, _CONTENT], following[:, _CONTENT], previous[:, _CAPITAL], following[:, _CAPITAL],
        previous[:, _OPEN] * following[:, _CLOSE],
        asked_in / words_in, asked_in > 0, previous[:, _ASKED], following[:, _ASKED], distance,
        near[0][:, _ASKED] / question_size, near[1][:, _ASKED] / question_size, wide[:, _ASKED] / question_size,
        all_after[:, _ASKED] / asked_size,
        (all_before[:, _ASKED_EARLY] + all_after[:, _ASKED] - all_after[:, _ASKED_EARLY]) / asked_size,
        (near[0][:, _FOCUS] + near[1][:, _FOCUS]) > 0, within[:, _FOCUS] > 0, sentence_overlap,
    ]
    spans = [(tokens[a][0], tokens[b][1]) for a, b in zip(first.tolist(), last.tolist())]
    return spans, np.column_stack(columns).astype(float)


_WEIGHTS = {kind: np.asarray(weights, dtype=float) for kind, weights in WEIGHTS.items()}
