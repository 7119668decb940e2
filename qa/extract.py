"""Pick the answer: the best sentence of the top passages, grown over the list it introduces.

A sentence is scored by its own similarity to the question (dense and lexical) plus the
score of its passage. When it introduces a list ("... abound. First, ... Second, ...",
"... four key takeaways: (1) ... (2) ..."; qa/lists.py), the span runs on to the list's last item,
across passage boundaries if need be, and knows the list's items.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator, Mapping

from ingest.index import StoredPassage
from ingest.models import CELL_SEPARATOR
from ingest.naming import is_date_line
from ingest.text import stems

from .answer_key import (asked_heads, asks_for_author, asks_when_published, counts_asked_thing, expected_kind,
                         holds_asked_figure, is_asked_field, is_byline, is_dateline, label_fit, labels_name,
                         lacks_asked_kind, one_field, question_stems)
from .lists import (TERMINAL, Enumeration, enumeration_after, enumeration_around, enumeration_under_heading, marker,
                    same_paragraph, sentence_text)
from .retriever import Candidate
from .scope import KIND_STEMS

SENTENCE_WEIGHTS = {"dense": 1.0, "lexical": 0.5, "passage": 0.5, "heading": 0.5}
# A how-many or when question answered by a sentence without a figure or date (a measure's definition, a heading
# that repeats the question) most likely quotes the wrong sentence (qa/answer_key.py lacks_asked_kind).
LACKS_ASKED_KIND = -0.3
# A question that asks for an amount prefers a table row to a sentence of prose among the passages read: reports
# give their figures in tables, and a row of a few words and figures resembles the question less than a
# sentence that merely shares its subject does, even under its header.
TABLE_ROW_BONUS = 0.3
# ... a row that says something of what is asked, in its cells or what it stands under: not "Communications | 214,700"
# under "Expenses by programme" for "how has the number of staff grown?". These words say only that a figure is asked.
_FIGURE_ASKING = frozenset(stems("number total amount percent percentage share rate figure year fiscal fy"))
# A question about a year ("the processing time in 2012") is not answered from a passage that never mentions it,
# however alike its words (a table of other years); the confidence weighs the same (qa/pipeline.py unmentioned_year).
UNMENTIONED_YEAR = -0.3
# A form field whose label names what is asked ("Agency: Bureau of ..." for "which agency filed the report?",
# "Date of incident: ..." for "when did it happen?") states the answer, though it shares few words with the question:
# this much times how well its label fits the question, twice that when the field stands alone ("Age: 3 Years").
FIELD_BONUS = 0.3
# A line this short just before the sentence (a transcript's date line, a cover's "March 2, 2021") may hold the date
# or figure the sentence lacks; it is quoted with it.
SHORT_LINE_WORDS = 12
# A sentence that asks ("Criminal charges filed?", an FAQ's "What is a claim?") answers nothing itself, however many
# words it shares with the question.
ASKS = -0.3
# A lone field whose value is what the question names its report by, under a label it does not ask for ("Location:
# Mobile Bay, Alabama" for "Which ship did the towboat hit in Mobile Bay?"), says which report it is, not the answer.
NAMES_REPORT = -0.3
# A field whose value the question says itself answers nothing: it is the thing asked about.
ECHOED = -0.3
# A sentence giving a cause, for a question asking why ("why did the machine roll away?": "... ran away because ...",
# not "the machine began to roll").
STATES_CAUSE = 0.2
# Added for a sentence naming a meeting's or a report's theme when the question asks what it was about.
STATES_THEME = 0.3
# Added for prose looking ahead ("expects", "guidance") when the question asks for a forecast.
STATES_OUTLOOK = 0.3
# A footnote (a source, a caveat, a rule of the meeting) shares the words of its page's subject, and so of questions
# about it, but seldom says what the body text says: it answers only when nothing in the body does as well.
FOOTNOTE = -0.2
# A form's field answers what or when ("Date of occurrence: 21 March 2023"), not why, unless its label asks it
# ("Probable cause: ..."): what "why" loses on a field whose value holds the date or place the question names.
FIELD_NO_CAUSE = -0.3
_WORDS = re.compile(r"\w+")
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
LIST_BONUS = 0.2
ITEM_LEAD_WORDS = 8  # a numbered item's first sentence this short only heads it (_item_lead)
# The passages the reader reads are ordered by their score plus READER_WEIGHT times their best sentence's evidence
# (reorder_by_reader); chosen by article-level cross-validation on SQuAD v1.1 dev's shared half (docs/quality.md).
READER_WEIGHT = 1.0
HEADING = -1  # Piece.first of a quote that opens with its passage's heading
_AMOUNT_QUESTION = re.compile(
    r"\bhow (?:many|much|big|large)\b|\b(?:total|number|percent(?:age)?|share|rate|amount|cost|value|score|average|count|sum"
    r"|size|ratio|income|revenue|budget|spending|sale|earning|profit|expense|figure|ebit|ebitda)s?\b", re.IGNORECASE)
# "The project number", "its registration number": a number that names a thing, asked as a form field asks it.
_IDENTIFIER = re.compile(r"\b(?:project|reference|case|file|account|contract|grant|phone|telephone|registration|serial"
                         r"|policy|document|report|docket|licen[cs]e|permit|award|id|identification|tracking)\s+"
                         r"(?:number|no\.?|code|id)\b", re.IGNORECASE)
_CAPTION = re.compile(r"^\([^()]{3,80}\)(?:\s*\([^()]{2,40}\))*$")  # "(Exact name of registrant ...)", "(Zip Code)"
_ANAPHOR = re.compile(r"^(?:this|these|that|those|such|it|they|its|their)\b", re.IGNORECASE)


@dataclass
class Piece:
    """Consecutive sentences ``first``..``last`` (inclusive) of one passage; ``first`` HEADING: from the heading
    that opens the passage (a numbered goal's heading is its statement, qa/numbered.py); ``last`` HEADING too: that
    heading alone."""

    passage: StoredPassage
    first: int
    last: int

    @property
    def start(self) -> int:
        return 0 if self.first == HEADING else self.passage.sentence_spans[self.first][0]

    @property
    def end(self) -> int:
        if self.last == HEADING:  # the heading alone ("Tuesday 14 November 2023 · Corn Exchange, Bramwell")
            return len(self.passage.text[: self.passage.sentence_spans[0][0]].rstrip())
        return self.passage.sentence_spans[self.last][1]

    @property
    def text(self) -> str:
        return self.passage.text[self.start : self.end]


@dataclass
class Span:
    candidate: Candidate  # the passage the best sentence came from
    pieces: list[Piece]  # one per passage the answer runs through, in document order
    score: float
    sentence_dense: float  # the best sentence's own evidence, for confidence
    sentence_lexical: float
    enumeration: Enumeration | None = None  # the list the span quotes whole, if it quotes one
    lacks_kind: bool = False  # the best sentence lacks the figure or date the question asks for
    asked_part: bool = False  # quotes the part of a report the question asks for, found as such (a cover's theme)

    @property
    def text(self) -> str:
        """The answer, verbatim: the pieces joined by the whitespace that separates them in the document."""
        text = self.pieces[0].text
        for before, piece in zip(self.pieces, self.pieces[1:]):
            # Passages of one document are cut at sentence or paragraph ends; cleaning left one space
            # between sentences and a blank line between paragraphs.
            gap = (piece.passage.start + piece.start) - (before.passage.start + before.end)
            text += (" " if gap <= 1 else "\n\n") + piece.text
        return text


# "Why did revenue fall?", "What drove revenue growth?": a cause, which prose gives, though the question names a figure.
_CAUSE_QUESTION = re.compile(r"(?:^|[,;:.?-])\s*(?:why\b|what\s+(?:drove|drives|caused|causes|led\s+to|explains|was\s+behind"
                             r"|set\s+off|sets\s+off|started|starts|ignited|ignites|triggered|triggers|sparked|made(?!\s+up))\b)"
                             r"|\bwhat\s+(?:was|is|were|are)\s+the\s+(?:\w+\s+)?(?:causes?|reasons?)\b"
                             # "How did E. coli get into the reservoir?", "how did the fire start?": how it came about.
                             r"|\bhow\s+(?:did|does|do|could|can)\b[^?]*\b(?:get|got)\s+in(?:to|side)?\b"
                             r"|\bhow\s+did\b[^?]*\b(?:happen|come\s+about|occur|start|begin)\s*\??$",
                             re.IGNORECASE)
# Where an investigation states its causes: "5. Probable cause", "Causal factors", "4. Findings", "Conclusions".
CAUSE_HEADING = re.compile(r"\b(?:caus(?:e|es|al)|why|findings?|conclusions?|contributing\s+factors?)\b", re.IGNORECASE)
# What a sentence that gives a cause says.
_STATES_CAUSE = re.compile(r"\b(?:because|due\s+to|caus(?:e|es|ed|ing)|result(?:s|ed|ing)?\s+(?:of|from|in)|as\s+a\s+result"
                           r"|le(?:d|ads?|ading)\s+to|owing\s+to|attribut(?:ed|able)\s+to|contribut(?:ed|ing)|reasons?"
                           r"|ignit(?:ed|ion)|triggered|sparked)\b", re.IGNORECASE)


# "What was the 2021 forum about?", "What was the theme of the dialogue?", "What did the 2022 summit focus on?"
_THEME_QUESTION = re.compile(r"^\s*what(?:\s+(?:was|is|were|are)\b|['’]s\b).*\babout\s*\??\s*$|\b(?:theme|focus|topic)\s+of\b"
                             r"|\bwhat\s+did\b.*\bfocus\s+on\b", re.IGNORECASE)
_STATES_THEME = re.compile(r"\b(?:theme|themed|focus(?:s?ed)?\s+on|centred\s+on|centered\s+on|devoted\s+to)\b",
                           re.IGNORECASE)


def states_theme(text: str) -> bool:
    """Does ``text`` say what a meeting or report was about ("Theme: ...", "focused on")?"""
    return bool(_STATES_THEME.search(text))


# "What revenue are they guiding for?", "Ashgrove's latest guidance for net interest margin?": a forecast, which an
# outlook's prose states; a table's rows give the period's actual figures. Not "the project" (a thing).
_OUTLOOK_QUESTION = re.compile(r"\b(?:guidance|guiding|guided?|forecast(?:s|ed|ing)?|outlook|expect(?:s|ed|ing)?"
                               r"|projected|projecting|anticipated?)\b", re.IGNORECASE)
_STATES_OUTLOOK = re.compile(r"\b(?:expects?|expected|expecting|guidance|outlook|forecasts?|anticipates?|projects?"
                             r"|projected|reiterates?|reaffirms?)\b", re.IGNORECASE)


def asks_outlook(question: str) -> bool:
    """Does ``question`` ask what an organisation expects, forecasts or guides to?"""
    return bool(question) and bool(_OUTLOOK_QUESTION.search(question))


def asks_theme(question: str) -> bool:
    """Does ``question`` ask what a meeting or report was about, its theme?"""
    return bool(question) and bool(_THEME_QUESTION.search(question))


# "Do the statistics represent the number of firearms sold?": yes or no, not a figure.
_YES_NO_QUESTION = re.compile(r"^\s*(?:do|does|did|is|are|was|were|can|could|will|would|has|have|had|should|may)\b",
                              re.IGNORECASE)


def asks_for_amount(question: str) -> bool:
    """Whether ``question`` asks for a figure: "how many ...", "what was the total ...", "what percent ...", or names a
    measure alone ("Kestrel's vessel operating days in the third quarter of 2022?"), as one asks a table."""
    return ((bool(_AMOUNT_QUESTION.search(_IDENTIFIER.sub(" ", question))) or not _ASKING_WORD.search(question))
            and not _CAUSE_QUESTION.search(question) and not _YES_NO_QUESTION.search(question))


# A word that makes a question ask something other than a figure, wherever it stands ("The mission of DOT?" aside).
_ASKING_WORD = re.compile(r"\b(?:what|which|who|whom|whose|when|where|why|how|list|name|describe|explain|tell|show|give"
                          r"|summari[sz]e|define|mean|means|meant)\b", re.IGNORECASE)


_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)


def says_nothing(sentence: str) -> bool:
    """Figures without a word (a chart's labels), a link with at most a label ("Source: https://..."), or a
    report's list of contents ("Contents: 1. Management discussion; 2. ...") say nothing alone."""
    if not any(ch.isalpha() for ch in sentence) or _CONTENTS.match(sentence) or _shouted_label(sentence):
        return True
    without_links = _URL.sub(" ", sentence)
    return without_links != sentence and len(re.findall(r"[^\W\d_]{2,}", without_links)) < 3


def _names_only_its_report(sentence: str, words: list[str], title: frozenset[str]) -> bool:
    """A line of a cover or a running head that only says which report this is: its ``words`` (stems) are those of
    its report's ``title`` and of a series' label ("Year in Review", "Working Paper 2021/3", "Issue Brief 08"); no
    sentence, no table row. It shares the words a question names the report by, and answers nothing asked of it."""
    if CELL_SEPARATOR in sentence or sentence.rstrip().endswith((".", "!", "?", ":")) or one_field(sentence):
        return False
    return bool(words) and all(w in title or w in _SERIES_LABEL or w.isdigit() for w in words)


# Words of a publication series' label, besides the report's own kind: "Working Paper", "Issue Brief", "Key Findings".
_SERIES_LABEL = KIND_STEMS | frozenset(stems("""working issue policy discussion occasional technical research white
    fact sheet key findings year series number vol volume edition"""))


def _shouted_label(sentence: str) -> bool:
    """A line set in capitals, and no sentence: a cover's or a page's label ("NORTHMOOR INSTITUTE FOR MARITIME
    SECURITY · POLICY BRIEF NO. 14"), which names the publisher or the series, and answers nothing asked of them."""
    words = re.findall(r"[^\W\d_][\w'’.-]*", sentence)
    shouted = [w for w in words if len(w) > 1 and w.isupper()]
    return len(shouted) >= 2 and len(shouted) >= 0.6 * len(words) and not sentence.rstrip().endswith((".", "!", "?"))


_CONTENTS = re.compile(r"\s*(?:table\s+of\s+)?contents\s*(?::|(?=\d|[ivx]+\.\s)|$)", re.IGNORECASE)


def _contents_entry(sentence: str) -> bool:
    """A line of a list of contents set one to a line under its heading: "2. Mission, Vision and Values", no sentence."""
    return not sentence.rstrip().endswith((".", "!", "?")) and len(sentence.split()) <= 12


def _is_chart(nothing: list[bool]) -> bool:
    """Is this a chart's text, ``nothing`` telling of each "sentence" whether it says_nothing: more than half of them
    figures without a word ("20000", "127671309713620123911455116618"), the rest its labels ("Target ValueActual
    Value"), which answer nothing either?"""
    return 2 * sum(nothing) > len(nothing) >= 2


def standing_under(passage: StoredPassage) -> str:
    """What a passage's sentences stand under: its heading and, for a table row, the table's caption and header cells."""
    return " ".join([passage.heading, *([passage.table.caption, *passage.table.header] if passage.table else [])])


def years_in(text: str) -> frozenset[str]:
    return frozenset(_YEAR.findall(text))


def mentions_any_year(passage: StoredPassage, years: frozenset[str]) -> bool:
    """Does ``passage`` mention one of ``years``, in its text, its heading or its table's header?"""
    return not years.isdisjoint(_YEAR.findall(passage.text + " " + standing_under(passage)))


def best_span(candidates: list[Candidate], following: Callable[[StoredPassage, int], list[StoredPassage]],
              question: str = "", listing: Callable[[StoredPassage], StoredPassage | None] | None = None,
              asked_years: frozenset[str] = frozenset(), report_years: Mapping[str, frozenset[str]] | None = None,
              rows_only: bool = False, naming: frozenset[str] = frozenset(), fields_only: bool = False,
              holding_only: bool = False) -> Span | None:
    """The best-scoring sentence of ``candidates``; ``following(passage, n)`` gives the passages after one.
    A ``question`` asking for a figure (asks_for_amount) prefers a table row, and one asking for a figure or a date
    prefers sentences that hold one. ``listing``: the question asks for a list (qa/lists.py asks_for_list); it gives the passage before one, where
    the list whose item or heading matched best may begin. ``asked_years``: years the question asks about (not those
    naming a report), which the passage should mention unless ``report_years`` (per report, the years of its title
    and date) has them. ``rows_only``: only table rows that hold the figure asked for, labelled by what is asked;
    ``fields_only``: only form fields whose label names what is asked (is_asked_field); ``holding_only``: only
    sentences that hold what is asked for (a figure, a date, a name).
    ``naming``: the lower-case words the question names its report by (a place, an event's name)."""
    if not candidates:
        return None
    top = candidates[0].score
    best: tuple[float, Candidate, int, bool] | None = None
    for cand in candidates:
        if rows_only and cand.passage.table is None:
            continue
        for i, evidence, lacks in _sentences_evidence(cand, question, asked_years, report_years, naming):
            if rows_only and (lacks or not row_asked(question, sentence_text(cand.passage, i), naming)):
                continue
            if fields_only and (lacks or not is_asked_field(question, sentence_text(cand.passage, i))):
                continue
            if holding_only and lacks:
                continue
            score = evidence + SENTENCE_WEIGHTS["passage"] * (cand.score - top)
            # A question asking for a list prefers a sentence announcing one to a sentence that merely shares its words.
            if (listing is not None and (best is None or score + LIST_BONUS > best[0])
                    and enumeration_after(cand.passage, i, following, unmarked=True) is not None):
                score += LIST_BONUS
            if best is None or score > best[0]:
                best = (score, cand, i, lacks)
    if best is None:
        return None
    score, cand, i, lacks = best
    if cand.passage.table is not None:  # a table row is an answer on its own, shown under its header
        return Span(cand, [Piece(cand.passage, i, i)], score, float(cand.sentence_dense_scores[i]), cand.sentence_lexical_scores[i],
                    lacks_kind=lacks)
    enumeration = None
    if listing is not None and i > 0 and all(marker(sentence_text(cand.passage, k)) for k in range(i + 1)):
        # An item in the middle of a list that opens its passage under a heading ("3. Materials", then bullets):
        # the list from its first item, not from the one that matched best.
        enumeration = enumeration_under_heading(cand.passage, following)
    enumeration = enumeration or enumeration_after(cand.passage, i, following, unmarked=listing is not None)
    if enumeration is None and listing is not None:
        enumeration = (enumeration_around(cand.passage, i, following, listing)
                       or (enumeration_under_heading(cand.passage, following) if i == 0 else None))
    opening = [(cand.passage, i)]
    # "This gap creates ..." means little without the sentence before it; nor "The matter came on for argument"
    # without its date line; nor a form's caption, printed under the value it names ("(Address of principal
    # executive offices)").
    if _line_holding_kind(cand.passage, i, question) or (i > 0 and _CAPTION.match(sentence_text(cand.passage, i))):
        opening.insert(0, (cand.passage, i - 1))
    elif i > 0 and _ANAPHOR.match(sentence_text(cand.passage, i)) and same_paragraph((cand.passage, i - 1), opening[0]):
        opening.insert(0, (cand.passage, i - 1))
        if enumeration is not None and enumeration.intro[:1] and enumeration.intro[0][0].id == cand.passage.id:
            enumeration.intro[:1] = opening
    if enumeration is None and sentence_text(cand.passage, i).rstrip().endswith((",", ":")):
        # "Signed," or "The goals are:" is said by what follows it.
        opening += _next_sentence(cand.passage, i, following)
    elif enumeration is None and _item_lead(cand.passage, i):
        # "1. Illegal fishing reached a record." heads its item; the next sentence says what it means.
        opening.append((cand.passage, i + 1))
    pieces = _pieces(enumeration.sentences if enumeration else opening)
    return Span(cand, pieces, score, float(cand.sentence_dense_scores[i]), cand.sentence_lexical_scores[i], enumeration,
                lacks)


def _sentences_evidence(cand: Candidate, question: str, asked_years: frozenset[str],
                        report_years: Mapping[str, frozenset[str]] | None = None,
                        naming: frozenset[str] = frozenset()) -> Iterator[tuple[int, float, bool]]:
    """Each sentence of ``cand`` that says something, with its own evidence as the reader weighs it (best_span's
    score but for its passage's): its dense and lexical likeness to ``question``, whether it holds the kind of thing
    asked and what it stands under; and whether it lacks the figure or date asked for."""
    under = standing_under(cand.passage)
    # A report of the year asked (its title's or date's) speaks of that year without saying it in every passage.
    asked_years = asked_years - (report_years or {}).get(cand.passage.doc_id, frozenset())
    unmentioned = bool(asked_years) and not mentions_any_year(cand.passage, asked_years)
    amount = asks_for_amount(question)
    topic = frozenset(w for w in question_stems(question) - _FIGURE_ASKING if not w.isdigit()) if amount else frozenset()
    # A table's row of figures says what its header and caption say they measure.
    explained = cand.passage.table is not None and bool(under.strip())
    sentences = [sentence_text(cand.passage, i) for i in range(len(cand.passage.sentence_spans))]
    nothing = [not explained and says_nothing(sentence) for sentence in sentences]
    if _is_chart(nothing):
        return
    # After the chart's test: a passage's cover line is no figure of a chart.
    nothing = [n or (not explained and _names_only_its_report(s, words, cand.title))
               for n, s, words in zip(nothing, sentences, cand.passage.sentence_stem_sequences)]
    contents = [bool(_CONTENTS.match(sentence)) for sentence in sentences]
    for i in range(1, len(sentences)):
        # "Contents:" heads its entries, split into sentences of their own at each "1." and ";"; or a line of its own
        # does, the entries a line each under it.
        contents[i] = contents[i] or (contents[i - 1] and (same_paragraph((cand.passage, i - 1), (cand.passage, i))
                                                           or _contents_entry(sentences[i])))
        nothing[i] = nothing[i] or (contents[i] and not explained)
    heads = asked_heads(question) if question else frozenset()
    # A cover's byline, or its date line, answers as a field whose label is asked for.
    byline, dateline = asks_for_author(question), asks_when_published(question)
    asked = question_stems(question) if heads else frozenset()
    # A line that only dates the report ("Published August 2022") says when, or whose: nothing else is asked of it.
    dates_only = bool(question) and expected_kind(question) not in ("date", "person") and not byline
    cause, theme, outlook = asks_cause(question), asks_theme(question), asks_outlook(question)
    prose = cand.passage.table is None
    for i, sentence in enumerate(sentences):
        if nothing[i] or (dates_only and not sentence.rstrip().endswith((".", "!", "?")) and is_dateline(sentence)):
            continue
        lacks = (question and lacks_asked_kind(question, sentence, under, table=cand.passage.table is not None)
                 and not _line_holding_kind(cand.passage, i, question))
        # A sentence without a figure does not answer a question asking for an amount ("what were iPhone net sales?"),
        # though it may be the best one there is: the pipeline then reads on for a table's row.
        lacks_amount = amount and not holds_asked_figure(question, sentence)
        yield i, (SENTENCE_WEIGHTS["dense"] * float(cand.sentence_dense_scores[i])
                  + (LACKS_ASKED_KIND if lacks else 0.0) + (UNMENTIONED_YEAR if unmentioned else 0.0)
                  + SENTENCE_WEIGHTS["lexical"] * cand.sentence_lexical_scores[i]
                  # Under a heading that names what is asked, the sentences state it (qa/retriever.py heading_focus).
                  + SENTENCE_WEIGHTS["heading"] * cand.features.get("heading", 0.0)
                  + (TABLE_ROW_BONUS if amount and not prose and not outlook
                     and not topic.isdisjoint(stems(f"{sentence} {under}")) else 0.0)
                  + (STATES_OUTLOOK if outlook and prose and _STATES_OUTLOOK.search(sentence) else 0.0)
                  + _field_bonus(question, heads, asked, sentence)
                  # "How many people took part?": "It brought together 58 participants", as a label would name them.
                  + (FIELD_BONUS if counts_asked_thing(question, sentence) else 0.0)
                  + (ASKS if sentence.rstrip().endswith("?") else 0.0)
                  # Under a heading of causes, the sentence that itself says "cause" or "because" over the one after
                  # it ("The structure remains safe for use").
                  + (STATES_CAUSE if cause and states_cause(sentence)
                     else STATES_CAUSE / 2 if cause and CAUSE_HEADING.search(under) else 0.0)
                  + (STATES_THEME if theme and states_theme(sentence) else 0.0)
                  + (FIELD_NO_CAUSE if cause and _field_without_cause(sentence) else 0.0)
                  + (FOOTNOTE if cand.passage.note else 0.0)
                  + (2 * FIELD_BONUS if (byline and is_byline(sentence)) or (dateline and is_dateline(sentence))
                     else 0.0)
                  + (NAMES_REPORT if naming and _names_report(sentence, naming, heads, asked) else 0.0)), bool(lacks or lacks_amount)


def asks_cause(question: str) -> bool:
    """Does ``question`` ask why, or what caused something?"""
    return bool(question) and bool(_CAUSE_QUESTION.search(question))


def states_cause(text: str) -> bool:
    """Does ``text`` say why something happened ("because", "caused by", "as a result of")?"""
    return bool(_STATES_CAUSE.search(text))


def _field_without_cause(sentence: str) -> bool:
    field = one_field(sentence)
    return field is not None and not states_cause(field[0])


def _names_report(sentence: str, naming: frozenset[str], heads: frozenset[str], asked: frozenset[str]) -> bool:
    """Is ``sentence`` a lone form field whose value holds a word the question names its report by, under a label the
    question does not ask for?"""
    field = one_field(sentence)
    return (field is not None and not naming.isdisjoint(w.lower() for w in _WORDS.findall(field[1]))
            and not (heads and label_fit(heads, asked, sentence)))


# Share of a row's label that the question must name: "iPhone" for "what were iPhone net sales?", not "Rate of
# improper payments in the retirement program" for "what percent of retirement claims were processed in 60 days?".
ROW_LABEL_FIT = 0.5


def row_asked(question: str, row: str, naming: frozenset[str] = frozenset()) -> bool:
    """Does ``question`` name most of the label of the table row ``row``: its first cell with a word, after any
    number it is known by ("3.04A | Number of users on the dashboard | ...")? Or is the row a field whose label
    names what is asked ("Quantity released | Estimated 410,000 cubic feet" for "how much gas escaped")? The words
    naming the report (``naming``, stems) ask nothing: "Vennmeer Water's revenue" asks no "Drinking water" row."""
    label = row_label(row)
    asked = question_stems(question) - naming
    return (bool(label) and len(label & asked) >= ROW_LABEL_FIT * len(label)) or (
        one_field(row) is not None and labels_name(asked_heads(question), row))


def row_label(row: str) -> set[str]:
    """The stems of a table row's label: its first cell with a word."""
    labels = (set(stems(cell)) for cell in row.split(CELL_SEPARATOR))
    return next((words for words in labels if any(w.isalpha() for w in words)), set())


def opens_with_label(row: str) -> bool:
    """Whether a table row opens with its label, after any number it is known by ("7.03B | Percent of claims
    processed | ..."), not with figures whose label is printed on another line ("92% | 93% | 94% | Met")."""
    return any(any(w.isalpha() for w in stems(cell)) for cell in row.split(CELL_SEPARATOR)[:2])


def _field_bonus(question: str, heads: frozenset[str], asked: frozenset[str], sentence: str) -> float:
    """What a field gains from a label that names what is asked; what it loses when the question says its value
    itself ("Vessel: Island Spirit" for "What kind of vessel was the Island Spirit?")."""
    said = set(stems(field[1])) if asked and (field := one_field(sentence)) else set()
    if said and said <= asked:
        return ECHOED
    fit = label_fit(heads, asked, sentence) if heads else 0.0
    return FIELD_BONUS * fit * (1 + is_asked_field(question, sentence)) if fit else 0.0


def reader_evidence(cand: Candidate, question: str, asked_years: frozenset[str] = frozenset(),
                    report_years: Mapping[str, frozenset[str]] | None = None) -> float:
    """The evidence of ``cand``'s best sentence as the reader weighs it (0 when none says anything)."""
    return max((e for _, e, _ in _sentences_evidence(cand, question, asked_years, report_years)), default=0.0)


def reorder_by_reader(candidates: list[Candidate], n: int, question: str,
                      asked_years: frozenset[str] = frozenset(),
                      report_years: Mapping[str, frozenset[str]] | None = None) -> list[Candidate]:
    """``candidates`` with the first ``n``, those the reader reads, reordered by their score plus READER_WEIGHT times
    their reader_evidence (DrQA's joint passage and answer scoring, on a sentence): retrieval scores a passage's best
    dense and best lexical sentence apart, which may be two sentences, and cannot tell that neither holds the date or
    figure asked for. ``asked_years`` as best_span takes them. The quote does not change: best_span reads the same
    passages, and their scores stay retrieval's."""
    joint = {id(c): c.score + READER_WEIGHT * reader_evidence(c, question, asked_years, report_years)
             for c in candidates[:n]}
    return sorted(candidates[:n], key=lambda c: joint[id(c)], reverse=True) + candidates[n:]


def _line_holding_kind(passage: StoredPassage, i: int, question: str) -> bool:
    """Is sentence ``i - 1`` a short line holding the figure or date ``question`` asks for, which sentence ``i``
    lacks, or a date alone on its line, which dates what follows it (a transcript's "Tuesday, January 13, 2009"
    above "The matter came on for argument at 1:01 p.m.") when the question asks when?"""
    if i == 0 or not question:
        return False
    before = sentence_text(passage, i - 1)
    if is_date_line(before) and expected_kind(question) == "date":
        return True
    # A line, not a sentence: "Total funding was GBP 486,000." says its own figure, of another thing.
    return (len(before.split()) <= SHORT_LINE_WORDS and not TERMINAL.search(before.rstrip())
            and not lacks_asked_kind(question, before) and lacks_asked_kind(question, sentence_text(passage, i)))


def enumeration_item(span: Span, n: int) -> Span | None:
    """Item ``n`` (1-based; -1 for the last) of the list a span quoted, with its elaboration, as an answer of its own;
    of numbered headings quoted in a row (qa/numbered.py: "the strategic goals"), the ``n``th heading's piece."""
    headings = len(span.pieces) > 1 and all(piece.first == HEADING for piece in span.pieces)
    if headings and (n == -1 or 1 <= n <= len(span.pieces)):
        return Span(span.candidate, [span.pieces[n if n == -1 else n - 1]], span.score, span.sentence_dense,
                    span.sentence_lexical)
    item = span.enumeration.item(n) if span.enumeration else None
    if item is None:
        return None
    return Span(span.candidate, _pieces(item.sentences), span.score, span.sentence_dense, span.sentence_lexical)


def list_span(span: Span) -> Span:
    """A span quoting a list whole, cut to the list's announcement and each item's lead sentence, a piece each."""
    leads = [Piece(passage, i, i) for passage, i in (item.lead for item in span.enumeration.items)]
    return Span(span.candidate, _pieces(span.enumeration.intro) + leads, span.score, span.sentence_dense,
                span.sentence_lexical, span.enumeration)


def _item_lead(passage: StoredPassage, i: int) -> bool:
    """Is sentence ``i`` the short lead of a numbered item ("3. Grey-zone tactics intensified."), with more of the item
    after it in the same paragraph?"""
    sentence = sentence_text(passage, i)
    found = marker(sentence)
    return (found is not None and found[0] > 0 and len(sentence.split()) <= ITEM_LEAD_WORDS
            and i + 1 < len(passage.sentence_spans) and same_paragraph((passage, i), (passage, i + 1)))


def _next_sentence(passage: StoredPassage, i: int, following) -> list[tuple[StoredPassage, int]]:
    """The sentence after sentence ``i`` of ``passage``, in the next passage if need be; [] at the end."""
    if i + 1 < len(passage.sentence_spans):
        return [(passage, i + 1)]
    after = following(passage, 1)
    return [(after[0], 0)] if after and after[0].sentence_spans else []


def _pieces(sentences: list[tuple[StoredPassage, int]]) -> list[Piece]:
    pieces: list[Piece] = []
    for passage, i in sentences:
        if pieces and pieces[-1].passage.id == passage.id and pieces[-1].last == i - 1:
            pieces[-1].last = i
        else:
            pieces.append(Piece(passage, i, i))
    return pieces
