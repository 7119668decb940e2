"""The question-answering pipeline: the one entry point the CLI, the app and evaluation all call."""
from __future__ import annotations

import math
import re
import sys
from functools import partial
from itertools import islice
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

from ingest import settings
from ingest.embedder import Embedder, get_embedder
from ingest.errors import first_line
from ingest.index import Index, IndexUnavailable, StoredPassage
from ingest.naming import is_date_line

from .answer_key import (asked_heads, asks_for_author, asks_when_published, asks_where_held, asks_who_did,
                         counts_asked_thing, is_asked_field, is_byline, is_cover_byline, is_dateline, is_place_dateline,
                         lacks_asked_kind, one_field, quote_key)
from .confidence_why import confidence_why
from ingest.text import STOPWORDS, content_words, fts_match_expression, stem, stem_sequence, stems

from .models import NOT_FOUND, Answer, Citation, ReportAnswer, Scope, ScopedReport, Suggestion
from .scope import (KIND_STEMS, REPORT_NOUN_STEMS, Catalog, Reference, Resolution, ScopeError, catalog_entry,
                    given_scope, inherit, mentions_quarter, read_reference, resolve, unheld_quarter, unheld_year,
                    unnamed_years, without_names, without_place_and_years)
from .conversation import leans_on_history, ordinal_reference
from .numbered import (asked_item, asked_item_by_subject, asked_items, first_numbered, numbered_headings,
                       on_subject)
from .lists import TERMINAL, asks_for_list, same_paragraph, sentence_text
from .extract import (CAUSE_HEADING, HEADING, Piece, Span, asks_cause, asks_for_amount, asks_outlook, asks_theme,
                      best_span, enumeration_item, list_span, mentions_any_year, opens_with_label, reorder_by_reader,
                      row_asked, row_label, standing_under, states_cause, states_theme, years_in)
from .refusals import RELATED_FLOOR, RELATED_MAX, holds_prose
from .organisations import named_organisations, spellings
from .signatures import TITLES, asked_office, asked_title, signature_at, signature_title
from .retriever import Candidate, HybridRetriever, Query, most_preferred

MAX_QUESTION_CHARS = 1000
_AT_PLACE = re.compile(r"\b(?:in|at|near|outside|off)\s+$")
_LOWER_WORD = re.compile(r"(?<![\w'’])[a-z]{3,}\b")  # a word a name may be, not the "s" of "brannock's"
# Logistic model of "the answer is right" on the best sentence's evidence. Below ABSTAIN_BELOW the
# system says the reports do not seem to answer the question: bench/calibrate.py prints, per threshold,
# the share of off-topic questions refused and of seed questions still answered right.
CALIBRATION = {"bias": -3.46, "sentence_dense": 3.32, "sentence_lexical": 4.90, "unknown": -0.73, "lacks_asked_kind": -3.57, "unmentioned_year": -4.98, "asked_part": 4.88, "unmentioned_organisation": -4.76, "echoes_question": -4.37}
ABSTAIN_BELOW = 0.15


RETRIEVE = 10  # passages retrieved (evaluation scores hits within them)
READ = 3  # of which the reader looks for the answer in the first few
READ_FURTHER = 10  # or in the table rows of more of them, when those few lack the amount asked for
MAX_HISTORY = 3  # earlier questions a follow-up may lean on, a chain of them included
MAX_ACROSS = 6  # reports quoted in an answer across reports
ACROSS_SEARCHED = 24  # reports searched one by one for them; in a larger library, those of the best ACROSS_POOL passages
ACROSS_POOL = 100
# Passages each report's own dense and lexical searches pool for it: a short passage under "Mission" must not be
# crowded out by a plan's dozens of one-line fields that share its title's words.
ACROSS_DEPTH = 20
LOWER_CASE_SEARCH = 50  # passages holding a word searched for it written in lower case (_truecased)
SIGNATURE_SEARCH = 50  # passages naming a title searched for a signature block, per question
VARIANT_SEARCH = 20  # passages holding a code's prefix searched for a variant of it ("S-92A" for "S-92")
# A report is quoted across reports when its best passage and sentence come this close to the best report's.
ACROSS_MARGIN = 0.75
# "The report on the incident near <town>" names a report by its text when one report holds this share of
# the BM25 evidence of the CONTENT_HITS passages that best match the naming words.
CONTENT_HITS = 20
_CAUSE_SECTION = re.compile(r"\bcaus(?:e|es|al)\b", re.IGNORECASE)  # "Probable Cause", "Causal factors"; not "Findings"
_MONTHS = {m: i for i, m in enumerate("january february march april may june july august september october november "
                                      "december".split(), start=1)}
_FISCAL_YEAR_END = re.compile(r"fiscal\s+year\s+end(?:s|ed|ing)?\s+(?:on\s+)?(?:the\s+last\s+\w+\s+(?:of|in)\s+)?"
                              r"(" + "|".join(_MONTHS) + r")\b", re.IGNORECASE)
# Question words that merely occur in a few titles prefer those reports by this share of a named reference's weight.
IMPLICIT_SHARE = 0.5
CONTENT_SHARE = 0.6
CONTENT_WORD_SHARE = 0.05  # words in more passages than this share name no report
ALL_WORDS_HITS = 50  # a word in at most this many passages may name a report with others that one report alone holds
PLACE_SHARE = 1.0  # preference for the report a place names by its text (qa/scope.py place_words)
COVER_PASSAGES = 3  # a report's opening passages, where a filing names the company it is of
COVER_FIELD_PASSAGES = 10  # at most, of its first page: the fields of a cover set in a table a passage per few rows
# A code that names one thing: capitals and digits, as a protocol, a structure, an accident is numbered ("WQ-05",
# "A320", "ERA21LA142"): it starts with a letter ("103.5FM" is a measure). Not a period ("Q2", "FY2022"), nor a
# formula of one digit ("CO2": also spelt "CO₂").
_CODE = re.compile(r"(?<![\w.-])[A-Z](?=(?:[A-Z0-9.-]*\d){2})[A-Z0-9]*(?:[-.][A-Z0-9]+)*(?![\w-])")
_ACRONYM = re.compile(r"\b[A-Z]{2,6}s?\b")  # "AQI", "CHCOs"
_PERIOD_CODE = re.compile(r"Q[1-4]|H[12]|FY-?\d+|CY\d+")
_CODE_PART = re.compile(r"[a-z0-9]+")  # as FTS5 (unicode61) cuts it: "WQ-05" is two tokens, "PM2.5" "pm2" and "5"
# A field's label that dates what a report is of: "Date of occurrence", "Date & Time", "Period covered".
_DATED_LABEL = re.compile(r"\b(?:date|period|year)\b", re.IGNORECASE)
THEME_ASK = "What was its theme?"
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
OF_ASKED_YEAR = 0.2  # added to a passage's score for a report of the year asked about
NEWER = 0.2  # at most, added to a passage's score for the newest report asked about "now" (_newest_first)
_NOW = re.compile(r"\b(?:latest|most\s+recent|newest|current|currently|now)\b", re.IGNORECASE)  # the data's time
_FINDINGS = frozenset(stems("key findings summary highlights executive proceedings"))
THEME_LINE_SLACK = 8  # words a cover's line may hold besides its title's theme ("Theme:", a subtitle)
CAUSE_PASSAGES = 8  # a report's passages under headings of causes or findings read for a question asking why


@dataclass(frozen=True)
class _Reading:
    """A question as read before searching: what it names, the conversation it follows, the filters it came with."""

    question: str
    history: tuple[str, ...]
    reports: Sequence[str] | None
    since: str
    until: str
    given: list[str] | None  # the reports the filters allow; None: all
    catalog: Catalog
    own: Reference  # the question's own reference
    reference: Reference  # with what it leaves unsaid taken from the conversation's
    anchor: str | None  # the one report the conversation came to
    leans: bool  # the question leans on the one before ("What did it say about them?")
    unnamed: list[tuple[str, str]]  # its naming words that no title has (_named_by_text_alone)
    series: list[str]  # the reports such a name picks out by their covers (_series_named_by_content)


@dataclass
class Result:
    answer: Answer
    candidates: list[Candidate]  # retrieved passages, best first
    span: Span | None = None  # where the answer was quoted from
    query: Query | None = None  # what retrieval looked for, the conversation included
    read_as: str = ""  # the question the quote was chosen for: the question, or the one a bare follow-up continues


class QAPipeline:
    def __init__(self, index_dir: Path | None = None, embedder: Embedder | None = None):
        """``embedder``: the model to embed questions with while it is the index's (tests and benches pass one
        loaded once); the index's own model otherwise."""
        self.index = Index(index_dir or settings.index_dir())
        self.embedder = self._embedder_for(self.index.model, embedder)
        self.retriever = HybridRetriever(self.index)
        self._unservable_generation = None
        self._catalog, self._catalog_of = Catalog([]), -1
        self._headings: dict[str, list[tuple[int, str, bool]]] = {}  # report -> its passages' headings (_headings_of_report)
        self._headings_of = -1
        self._mentions: dict[tuple[int, str, str], bool] = {}  # (generation, organisation, report): mentioned there
        self._cover_dates: dict[tuple[int, str], frozenset[str]] = {}  # (generation, report): _cover_field_years
        self._lower_case: dict[tuple[int, str], frozenset[str]] = {}  # (generation, report): _lower_case_words
        self._lower_case_word: dict[tuple[int, str], bool] = {}  # (generation, word): _written_in_lower_case

    def refresh(self) -> None:
        """Move to the index generation a writer published since, if any, with the model it was embedded with.

        The one way the app, the CLI and evaluation follow the index: every answer, report link and list calls it.
        A generation that cannot be served (a damaged FAISS file, a model that will not load) is reported once and
        the one loaded keeps answering."""
        current = self.index.current_generation()
        if current in (self.index.generation, self._unservable_generation):
            return
        try:
            # The model first: `ingest rebuild` may have re-embedded everything with another one.
            embedder = self._embedder_for(self.index.current_model(), self.embedder)
            self.index.refresh()
            embedder = self._embedder_for(self.index.model, embedder)  # a newer generation published meanwhile
        except IndexUnavailable as exc:
            self._unservable_generation = current
            print(f"Still serving generation {self.index.generation}: {exc}", file=sys.stderr, flush=True)
            return
        self.embedder = embedder

    @staticmethod
    def _embedder_for(model: str, loaded: Embedder | None) -> Embedder:
        """The embedder of ``model`` (the index's; "" for an empty index): ``loaded`` when it is that model."""
        if loaded is not None and (not model or loaded.name == model):
            return loaded
        try:
            return get_embedder(model or None)
        except (OSError, ValueError, RuntimeError) as exc:
            raise IndexUnavailable(f"the index was embedded with {model!r}, which cannot be loaded here"
                                   f" ({first_line(exc)}); run `ingest rebuild` with a model this machine has") from exc

    def ask(self, question: str, history: Sequence[str] = (), reports: Sequence[str] | None = None,
            since: str = "", until: str = "") -> Answer:
        """Answer ``question``; ``reports`` (ids or title words), ``since`` and ``until`` (dates) limit the reports searched."""
        return self.run(question, history, reports, since, until).answer

    def run(self, question: str, history: Sequence[str] = (), reports: Sequence[str] | None = None,
            since: str = "", until: str = "") -> "Result":
        """Answer ``question`` and keep what led there (evaluation scores the retrieval too)."""
        question = " ".join(str(question or "").split())[:MAX_QUESTION_CHARS]
        if not question:
            return Result(Answer(question, "Please type a question about the reports.", True, 0.0), [])
        self.refresh()
        catalog = self.catalog()
        try:
            given = given_scope(catalog, reports, since, until)
        except ScopeError as exc:
            return Result(Answer(question, str(exc), True, 0.0), [])
        spelled = self._acronyms_spelled_out(self._truecased(question, catalog), given)
        history = [self._truecased(h, catalog) for h in history if h and h.strip()]
        result = self._run(spelled, history, reports, since, until, catalog, given)
        result.answer.question = question
        return result

    def _truecased(self, question: str, catalog: Catalog) -> str:
        """``question`` typed all in lower case ("what was brannock's revenue in q3 2024") with the names of the
        library capitalised as its reports write them ("Brannock's"): a word that names reports (their title,
        publisher, the organisation their text gives) and that no report writes in lower case ("second" of "Second
        Quarter 2024 Results" is written so somewhere). A reference is told from the ask by its names; a reader who
        types none of them in capitals still names them."""
        if any(c.isupper() for c in question):
            return question

        def written(match: re.Match) -> str:
            word = match[0]
            # Where a place is named ("the outbreak in dunholm"), so is a word no report writes in lower case, or
            # holds at all (a place the library does not know). Elsewhere such a word is as likely one no report
            # happens to use ("attendance") or writes only at the head of a line ("Name:").
            placed = _AT_PLACE.search(question, 0, match.start()) is not None
            names = word not in STOPWORDS and (catalog.having(stem(word)) or placed) \
                and not self._written_in_lower_case(word)
            return word.capitalize() if names else word

        return _LOWER_WORD.sub(written, question)

    def _acronyms_spelled_out(self, question: str, given: list[str] | None) -> str:
        """``question`` with each acronym that no passage holds ("the AQI") written as the passages nearest the
        question spell it out ("the Air Quality Index"): a reader abbreviates what a report writes in full."""
        acronyms = list(dict.fromkeys(_ACRONYM.findall(question)))
        if not acronyms:
            return question
        held = self.index.document_frequencies([stem(a.lower()) for a in acronyms])
        unknown = [a for a in acronyms if not held.get(stem(a.lower()))]
        if not unknown:
            return question
        found = self.index.dense_search(self.embedder.embed([question])[0], RETRIEVE, given)
        texts = [p.text for p in self.index.passages([pid for pid, _ in found]).values()]
        for acronym in unknown:
            if expansion := _spelled_out(acronym, texts):
                question = re.sub(rf"\b{re.escape(acronym)}\b", expansion, question)
        return question

    def _run(self, question: str, history: Sequence[str], reports: Sequence[str] | None, since: str, until: str,
             catalog: Catalog, given: list[str] | None) -> "Result":
        history = list(history)[-MAX_HISTORY:]
        earlier_reference, anchor = self._conversation(history, catalog, given)
        own = read_reference(question, catalog)
        if own.relative_to:
            # "The dialogue edition just before the Lagos one": counted from the one of the series whose text names
            # Lagos (the annual report may name it too).
            series_of = resolve(replace(own, recency=None), catalog, given)
            anchor = self._named_by_content(own.relative_to, series_of.docs if series_of else given) or anchor
        reference = inherit(own, earlier_reference, catalog)
        unnamed = _named_by_text_alone(reference, catalog)
        series = self._series_named_by_content(reference, unnamed, catalog, given)
        resolution = resolve(reference, catalog, series or given, anchor)
        if resolution is not None and not series and (holding := self._reports_holding(reference, given)) \
                and set(holding).isdisjoint(resolution.docs):
            resolution = resolve(reference, catalog, holding, anchor) or resolution
        resolution = self._of_fiscal_quarter(reference, resolution, catalog, given)
        if resolution is None and series:  # "In the Microsoft 10-Q, ...": its filings, whichever is meant
            resolution = Resolution(catalog.in_date_order(series), True, {d: 1.0 for d in series}, True)
        missing, named = unnamed_years(reference, catalog, given) if resolution is None else ([], [])
        missing, named = (missing, named) if missing else unheld_quarter(own, question, catalog, given)
        missing, named = (missing, named) if missing else unheld_year(own, question, catalog, given)
        if missing:
            return Result(Answer(question, _no_report_of(missing, named, catalog, reference.quarter), True, 0.0), [])
        if unheard := self._code_no_report_holds(question, catalog) or self._event_place_no_report_holds(own):
            # "The helicopter crash near Uvalde", "protocol WQ-05": no report speaks of it, so none is about it.
            return Result(Answer(question, f"No report mentions {unheard}.", True, 0.0), [])
        reading = _Reading(question, tuple(history), reports, since, until, given, catalog, own, reference, anchor,
                           bool(history) and leans_on_history(question), unnamed, series)
        # "Who gave the keynote?" after a question about the 2020 dialogue means that dialogue, though every dialogue
        # had a keynote: the conversation's reports are searched alone first. But the question stands on its own and
        # may have moved on ("What was the probable cause?"): when they do not answer it, others are searched too,
        # the conversation's preferred.
        loosely = reference is not own and not reading.leans
        if loosely and reference.place_words and not own.place_words and (resolution is None or not resolution.hard):
            # "How old was the pilot?" after a question on the forced landing near Lemmon: the one report whose text
            # holds the place, searched alone first like a report the conversation named.
            place = self._named_by_content(reference.place_words, given)
            resolution = Resolution([place], True, {place: 1.0}, False) if place is not None else resolution
        if resolution is not None and loosely and resolution.hard:
            kept = self._answer(reading, resolution, loosely=False)
            if not kept.answer.abstained:
                return kept
            resolution = replace(resolution, hard=False)
        return self._answer(reading, resolution, loosely)

    def _answer(self, reading: _Reading, resolution: Resolution | None, loosely: bool) -> Result:
        """The answer to a question read as ``reading``, searched as ``resolution`` says; ``loosely``: the reference
        is the conversation's, and the question stands on its own."""
        question, own, reference, catalog = reading.question, reading.own, reading.reference, reading.catalog
        ask, within, prefer = self._search_plan(question, reference, resolution, reading.given, catalog,
                                                reference is own and not own.explicit, loosely, reading.unnamed,
                                                reading.series)
        context = ""
        if reading.leans:
            history = list(reading.history)
            earlier = self.run(history[-1], history[:-1], reading.reports, reading.since, reading.until)
            position = ordinal_reference(question)
            item = enumeration_item(earlier.span, position) if earlier.span and position is not None else None
            if item is not None:
                return self._result(question, item, earlier.candidates, earlier.query, earlier.answer.scope, own)
            context = earlier.query.text if earlier.query else history[-1]
        read_as = question
        one = within[0] if within and len(within) == 1 else None  # the one report searched, if it is one
        theme = not content_words(ask) and one and asks_theme(question)
        if theme:
            ask = THEME_ASK  # "What was the 2021 forum about?": what its theme was, not the words that name it
        if own.year_shift:  # "What was the ridership in 2022?", then "And the year before?": in 2021
            context = _YEAR.sub(lambda m: str(int(m[0]) + own.year_shift), context)
        # "And in the 2016 report?", "and the year before?": the conversation says what is asked.
        if not content_words(ask) or (context and not content_words(own.ask)):
            ask, context = (context or question), ""
            # ... and the quote is read for it: "And the year after?" asks "How many people took part?" again.
            read_as = ask
        if one:  # what names the one report searched asks nothing
            ask = without_place_and_years(ask, reference.place_words, self._years_of(one)) or ask
            # "What did Vennmeer Water spend on energy ...?": nor does its company's name, which its masthead, its
            # address and its disclaimer repeat.
            ask = without_names(ask, {w for w in reference.words if w in catalog.entries[one].words}) or ask
        if context:
            vector, own_vector = self.embedder.embed([f"{context} {ask}", ask])
        else:
            vector = own_vector = self.embedder.embed([ask])[0]
        naming = [w for w in reference.words if w in catalog.idf] if prefer and within is None else ()
        if within:
            # "What dividend did Harrow Ridge Bancorp declare in its latest report?": within that company's reports, its
            # name says nothing of which sentence answers, and the lines that repeat it (a statement's heading, the
            # cover) are seldom the answer; no more does the place of "the 2021 dialogue in Brisbane".
            naming = [w for w in reference.words if all(w in catalog.entries[d].words for d in within)]
            naming += [stem(w) for w in reference.place_words] if one else []
        query = self.retriever.prepare(ask, vector, context, own_vector, naming)
        scope = self._scope(reference, within, prefer, reading.given, reading.since, reading.until, catalog)
        if reference.across and not one:
            result = self._across(question, query, within, prefer, scope, catalog, own)
            if result is not None:
                return result
        asked_years = _asked_years(question, own)
        retrieved = self.retriever.retrieve(query, k=RETRIEVE, within=within, prefer=prefer)
        if prefer and not reference.recency and _NOW.search(question):
            retrieved = self._newest_first(retrieved, catalog)
        elif asked_years and not reference.across:
            # "How much cargo did the port handle in 2020?": the 2020 report's row, not the 2021 report's column for
            # 2020 beside its own, however alike (its title may name the port, the other's not).
            retrieved = _raised(retrieved, {c.passage.doc_id: OF_ASKED_YEAR for c in retrieved
                                            if str(catalog.year(c.passage.doc_id)) in asked_years})
        report_years = self._report_years(retrieved) if asked_years else None
        if report_years and reference.across:  # "in 2020, compared with 2024": each report speaks for its own year
            report_years = {d: asked_years if years & asked_years else years for d, years in report_years.items()}
        candidates = reorder_by_reader(retrieved, READ, read_as, asked_years, report_years)
        named = [one] if one else [c.passage.doc_id for c in candidates[:1]]
        leaned_on = reading.anchor if reading.leans else None
        span = (self._cover_theme_span(query, one) if theme else None) or self._signature_span(
            read_as, query, named, own) or self._cover_line_span(
            read_as, query, named) or self._numbered_span(read_as, query, within, prefer, leaned_on) or self._read(
            candidates, read_as, asked_years, report_years, frozenset(reference.place_words + reference.event_words),
            query, named)
        result = self._result(question, span, candidates, query, scope, own, read_as)
        if result.answer.abstained:
            self._explain_refusal(result.answer, question, query, within, catalog, own)
        return result

    @staticmethod
    def _newest_first(candidates: list[Candidate], catalog: Catalog) -> list[Candidate]:
        """``candidates`` with the newer reports' passages raised: "What's the latest bus ridership figure?" of the
        reports its words prefer, the newest that speaks of it (a later plan may not), not an older one's same row."""
        dated = catalog.dated(list({c.passage.doc_id for c in candidates}))[::-1]
        return _raised(candidates, {d: NEWER * (len(dated) - k) / len(dated) for k, d in enumerate(dated)})

    def _read(self, candidates: list[Candidate], question: str, asked_years: frozenset[str],
              report_years: dict[str, frozenset[str]] | None, naming: frozenset[str], query: Query,
              named: list[str]) -> Span | None:
        """The best quote of the first READ passages; when the question asks for an amount and that quote's sentence
        holds none, the best table row of the first READ_FURTHER that holds one, if any ("What were iPhone net
        sales?": the sentence saying they fell, over the table's row, which the table's caption and its other rows
        may rank fifth). Prose is read no further: on SQuAD, more prose read lost more right answers than it found
        (docs/library.md, session 11). ``naming``: the words the question names its report by (best_span). A question
        asking why of the one report ``named`` reads that report's causes when those passages give none
        (_cause_sections)."""
        listing = self._preceding if asks_for_list(question) else None
        span = best_span(candidates[:READ], self.index.following_passages, question, listing, asked_years, report_years,
                         naming=naming)
        span = self._stated_cause(span, question, query, named, listing, asked_years, report_years, naming)
        if span is None or len(candidates) <= READ:
            return span
        amount = asks_for_amount(question)
        # "Who inspected the dam?": a form's "Inspector:" or "Inspected by:" further down, over a sentence that names
        # the dam; a report of another year than the one asked has no say.
        doer = asks_who_did(question) and not is_asked_field(question, span.text) and not (
            asked_years and report_years is not None and not asked_years & report_years.get(span.candidate.passage.doc_id, set()))
        if (span.lacks_kind and (amount or asked_heads(question))) or doer:
            further = partial(best_span, candidates[:READ_FURTHER], self.index.following_passages, question, listing,
                              asked_years, report_years, naming=naming)
            # "How much will the foundation give each year?": no row holds it, but a sentence further down does, when
            # the first few passages' best is a line with no sum (a cover's name). Not when it is a sentence: on
            # SQuAD, a sentence said to lack the figure was right more often than the one further down that held one.
            line = not TERMINAL.search(span.text.rstrip())
            return (further(rows_only=amount, fields_only=not amount)
                    or (further(holding_only=True) if amount and span.lacks_kind and line else None) or span)
        if amount and span.candidate.passage.table is not None and opens_with_label(span.text) \
                and not row_asked(question, span.text, naming | query.naming):
            # "How did operating revenues change?": the row labelled so, over a segment's row ("Electric Distribution")
            # under a header naming operating revenues. (A row of figures alone, its label printed on the line above,
            # says nothing against itself.)
            return best_span(candidates[:READ_FURTHER], self.index.following_passages, question, None, asked_years,
                             report_years, rows_only=True, naming=naming | query.naming) or span
        if amount and span.candidate.passage.table is None and not asks_outlook(question):
            # "How much did the foundation spend on administration?": its table's "Administration" row, over a sentence
            # on its grants that holds a sum but never says administration.
            row = best_span(candidates[:READ_FURTHER], self.index.following_passages, question, None, asked_years,
                            report_years, rows_only=True, naming=naming)
            # Its label must be something asked: "Health improvement | 123" does not count the agency's staff because
            # "health" names the agency's report.
            label = row_label(row.text) if row is not None else set()
            if row is not None and label.isdisjoint(stems(span.text)) and not label.isdisjoint(
                    set(stems(question)).difference(naming, query.naming)):
                return row
        return span

    def _signature_span(self, question: str, query: Query, docs: list[str], reference: Reference) -> Span | None:
        """The first signature block of the reports ``docs`` when ``question`` (or the conversation it leans on,
        ``query.text``) asks who signed them or who held a title (qa/signatures.py): search finds neither a name nor its title by
        meaning."""
        title = asked_title(question, query.text)
        if title is None or not docs:
            return None
        office = asked_office(f"{query.text} {question}")
        hits = self.index.lexical_search(fts_match_expression([title] if title else TITLES), SIGNATURE_SEARCH, docs)
        for passage in sorted(self.index.passages([pid for pid, _ in hits]).values(), key=lambda p: (p.doc_id, p.ordinal)):
            # A name printed in bold above its title was read as the heading the passage opens with ("Pete Buttigieg :"
            # over "Secretary"): the block starts in the heading.
            opening, sentences = _heading_line_and_sentences(passage)
            lines = opening + sentences
            for i in range(len(lines)):
                found = signature_at(lines, i)
                if found is None or (title and found[1] != title) or found[0] < len(opening) or (
                        office and office not in " ".join(lines[i:found[0] + 1]).lower()):
                    continue
                k = i - len(opening)  # the block's first sentence; below 0, it starts in the heading
                candidate = self.retriever.candidates(query, [passage])[0]
                span = Span(candidate, [Piece(passage, HEADING if k < 0 else k, found[0] - len(opening))],
                            candidate.score, float(candidate.sentence_dense_scores[max(k, 0)]),
                            candidate.sentence_lexical_scores[max(k, 0)])
                # "Who was the director in 2011?": a report of another year was signed by someone else, maybe.
                return None if self.evidence(span, query, question, reference)["unmentioned_year"] else span
        return None

    def _cover_line_span(self, question: str, query: Query, docs: list[str]) -> Span | None:
        """The cover's date line of the one report ``docs`` names when ``question`` asks when it came out ("November
        2022", "Siti Rahman, December 2021"), its byline when it asks who wrote it ("Authors: Dr. Ilse Brandvik and
        Jonas Ekwueme"): it shares no word with the question, and search may not reach it."""
        when, who, where = asks_when_published(question), asks_for_author(question), asks_where_held(question)
        if len(docs) != 1 or not (when or who or where):
            return None
        lower_case = self._lower_case_words(docs[0]) if who else frozenset()
        for passage in self.index.opening_passages(docs[0], COVER_PASSAGES):
            # A name printed in bold or large above the date was read as the heading the passage opens with.
            opening, sentences = _heading_line_and_sentences(passage)
            opening = opening if who or where else []  # or the line of place and day, printed apart
            lines = opening + sentences
            for k, line in enumerate(lines):
                # A name may stand on its own line above the date ("Dr. Henrik Solberg", then "February 2022").
                last = k + 1 if who and k + 1 < len(lines) and is_date_line(lines[k + 1]) and is_cover_byline(
                    f"{line} {lines[k + 1]}", lower_case) else k
                if k < len(opening) and last == k and not (where and is_place_dateline(line)):
                    continue
                if (when and is_dateline(line, cover=True)) or (where and is_place_dateline(line)) or (
                        who and (is_cover_byline(line, lower_case) or last > k)):
                    candidate = self.retriever.candidates(query, [passage])[0]
                    first, last = k - len(opening), last - len(opening)
                    return Span(candidate, [Piece(passage, HEADING if first < 0 else first, last)], candidate.score,
                                float(candidate.sentence_dense_scores[max(first, 0)]),
                                candidate.sentence_lexical_scores[max(first, 0)], asked_part=True)
        return None

    def _lower_case_words(self, doc_id: str) -> frozenset[str]:
        """The words report ``doc_id`` writes in lower case somewhere: no part of a person's name, mostly."""
        key = (self.index.generation, doc_id)
        if key not in self._lower_case:
            self._lower_case[key] = frozenset(w for p in self.index.document_passages(doc_id)
                                              for w in re.findall(r"\b[a-z][a-z'’-]*", p.text))
        return self._lower_case[key]

    def _written_in_lower_case(self, word: str) -> bool:
        """Does some report write ``word`` in lower case ("second", "full-year")? Asked of the LOWER_CASE_SEARCH
        passages that best match it: a name is written so in none, a common word in most."""
        key = (self.index.generation, word)
        if key not in self._lower_case_word:
            hits = self.index.lexical_search(fts_match_expression([stem(word)]), LOWER_CASE_SEARCH)
            written = re.compile(rf"(?<![\w'’]){re.escape(word)}\b")
            self._lower_case_word[key] = any(written.search(p.text) for p in
                                             self.index.passages([pid for pid, _ in hits]).values())
        return self._lower_case_word[key]

    def _cover_theme_span(self, query: Query, doc_id: str) -> Span | None:
        """The cover's line that prints the theme of report ``doc_id``'s title (what follows its name: "Issue Brief
        No. 9: Shadow Fleets and Sanctions Enforcement"; or the whole title, where it names no kind of report), for
        "What is the latest brief about?": a brief is about what its title says, in words the question never uses."""
        name, _, subtitle = self.catalog().entries[doc_id].title.partition(": ")
        theme = stems(subtitle) if subtitle else [] if KIND_STEMS.intersection(stems(name)) else stems(name)
        if not set(theme) - KIND_STEMS - _FINDINGS:  # "...: Key Findings" names what kind of report, not its theme
            return None
        found = []
        for passage in self.index.opening_passages(doc_id, COVER_PASSAGES):
            head = passage.text[: passage.sentence_spans[0][0]] if passage.sentence_spans else passage.text
            lines = [(HEADING, head)] + [(k, sentence_text(passage, k)) for k in range(len(passage.sentence_spans))]
            found += [(passage, k, line) for k, line in lines
                      if set(theme) <= set(words := stems(line)) and len(words) <= len(theme) + THEME_LINE_SLACK]
        if not found:
            return None
        # A line that says it is the theme ("Theme: Energy Security ...") over one that only prints it.
        passage, k, _ = next((f for f in found if states_theme(f[2])), found[0])
        candidate = self.retriever.candidates(query, [passage])[0]
        return Span(candidate, [Piece(passage, k, k)], candidate.score,
                    float(candidate.sentence_dense_scores[max(k, 0)]), candidate.sentence_lexical_scores[max(k, 0)],
                    asked_part=True)

    def _numbered_span(self, question: str, query: Query, within: list[str] | None, prefer: dict[str, float] | None,
                       leaned_on: str | None) -> Span | None:
        """The heading numbering the item ``question`` asks for ("the first strategic goal": "1. Healthcare" over the
        goal's statement), each of them ("What are the strategic goals of HHS?") or the one whose heading names
        what is asked about ("What is DOT's safety goal?": "1. Safety"), quoted with the sentence under
        it (qa/numbered.py), when the question names one report (searched ``within`` it alone, the one it prefers
        most, the library's only one) or leans on a conversation about one (``leaned_on``: "And its first strategic
        goal?"): every plan has a first goal, and another organisation's is no answer."""
        one, every = asked_item(question), asked_items(question)
        by_subject = asked_item_by_subject(question) if one is None and every is None else None
        if one is None and every is None and by_subject is None:
            return None
        library = list(self.catalog().entries)
        named = (within if within is not None else most_preferred(prefer)
                 or (library if len(library) == 1 else []))  # a library of one report: the report
        if len(named) != 1 and leaned_on in (named or [leaned_on]):
            named = [leaned_on]
        if len(named) != 1:
            return None
        ids, headings = self._opening_headings(named[0])
        if one or every:
            found = numbered_headings(headings, one[1], one[0]) if one else numbered_headings(headings, every)
        else:
            # What the question asks about, not the words naming the report or the item ("safety" of "DOT's safety goal").
            item = set(stems(by_subject))
            subject = {t: w for t, w in query.weights.items() if t in query.terms and t not in query.naming and t not in item}
            numbered = first_numbered(headings, by_subject)
            best = on_subject([headings[i] for i in numbered], subject)
            found = [numbered[best]] if best is not None else []
        if not found:
            return None
        passages = self.index.passages([ids[i] for i in found])
        headed = [passages[ids[i]] for i in found]
        candidate = self.retriever.candidates(query, headed[:1])[0]
        return Span(candidate, [Piece(p, HEADING, 0) for p in headed], candidate.score,
                    float(candidate.sentence_dense_scores[0]), candidate.sentence_lexical_scores[0])

    def _opening_headings(self, doc_id: str) -> tuple[list[int], list[str]]:
        """The ids and headings, in order, of report ``doc_id``'s passages that a heading opens (their sentences
        start after the heading's lines)."""
        opening = [(pid, heading) for pid, heading, opens in self._headings_of_report(doc_id) if opens]
        return [pid for pid, _ in opening], [heading for _, heading in opening]

    def _headings_of_report(self, doc_id: str) -> list[tuple[int, str, bool]]:
        """Per prose passage of report ``doc_id`` under a heading, in order: its id, its heading and whether the
        heading opens it. Kept per generation: reading every passage of a long report is slow, and every question
        asking for a numbered item or a cause needs them."""
        if self._headings_of != self.index.generation:
            self._headings, self._headings_of = {}, self.index.generation
        if doc_id not in self._headings:
            self._headings[doc_id] = [(p.id, p.heading, p.sentence_spans[0][0] > 0)
                                      for p in self.index.document_passages(doc_id)
                                      if p.table is None and p.heading and p.sentence_spans]
        return self._headings[doc_id]

    def _stated_cause(self, span: Span | None, question: str, query: Query, named: list[str],
                      listing=None, asked_years: frozenset[str] = frozenset(),
                      report_years: dict[str, frozenset[str]] | None = None,
                      naming: frozenset[str] = frozenset()) -> Span | None:
        """``span``, unless ``question`` asks why and it gives no cause (the synopsis retelling the event): then the
        best of the one report ``named``'s stated causes ("Probable Cause"), else of its findings and conclusions: a
        finding that repeats the question's words ("the engine ran normally during a test run") says no why."""
        if not asks_cause(question) or (span is not None and states_cause(span.text)):
            return span
        sections = self._cause_sections(query, named)
        stated = [c for c in sections if _CAUSE_SECTION.search(c.passage.heading)]
        found = next((found for group in (stated, sections) if group and (found := best_span(
            group, self.index.following_passages, question, listing, asked_years, report_years, naming=naming))), span)
        return _with_its_explanation(found) if found is not None and not states_cause(found.text) else found

    def _cause_sections(self, query: Query, docs: list[str]) -> list[Candidate]:
        """The passages under a heading of causes or findings ("5. Probable cause", "Causal factors", "4. Findings") of
        the one report ``docs`` names, for a question asking why: an investigation states its causes there, in words
        that share little with the question, while its synopsis repeats every word the question names the event by."""
        if len(docs) != 1:
            return []
        ids = [pid for pid, heading, _ in self._headings_of_report(docs[0]) if CAUSE_HEADING.search(heading)]
        passages = self.index.passages(ids[:CAUSE_PASSAGES])
        return self.retriever.candidates(query, [passages[pid] for pid in ids[:CAUSE_PASSAGES] if pid in passages])

    def catalog(self) -> Catalog:
        """The library's reports as questions name them, of the generation loaded."""
        if self._catalog_of != self.index.generation:
            self._catalog = Catalog([
                catalog_entry(d.id, d.title, d.date, d.source, d.publisher, d.authors,
                              " ".join([getattr(d, "identity", ""), *self._title_spelled_out(d.id, d.title)]))
                for d in self.index.documents()])
            self._catalog_of = self.index.generation
        return self._catalog

    def _title_spelled_out(self, doc_id: str, title: str) -> list[str]:
        """The names a report's title abbreviates, as its opening spells them out: "the coastal livelihoods programme's
        newest report" is "CLRP Quarterly Monitoring Report Q1 2024", whose cover says "Coastal Livelihoods
        Resilience Programme (CLRP)"."""
        acronyms = list(dict.fromkeys(_ACRONYM.findall(title)))
        if not acronyms:
            return []
        texts = [p.text for p in self.index.opening_passages(doc_id, COVER_PASSAGES)]
        return [expansion for a in acronyms if (expansion := _spelled_out(a, texts))]

    def _preceding(self, passage: StoredPassage) -> StoredPassage | None:
        """The passage before ``passage`` in its document; a document's passages are stored in order, with
        consecutive ids."""
        before = self.index.passages([passage.id - 1]).get(passage.id - 1)
        return before if before and before.doc_id == passage.doc_id and before.ordinal == passage.ordinal - 1 else None

    def _conversation(self, history: list[str], catalog: Catalog, given: list[str] | None) -> tuple[Reference | None, str | None]:
        """The reference the conversation last made, and the one report it came to (for "the previous report")."""
        for n in range(len(history) - 1, -1, -1):
            reference = read_reference(history[n], catalog)
            resolution = self._of_fiscal_quarter(reference, resolve(reference, catalog, given), catalog, given)
            if resolution is not None:
                return reference, resolution.docs[0] if len(resolution.docs) == 1 else None
            if reference.event_words or reference.place_words:
                return reference, None  # named by its text alone ("at Pueblo"): the next question finds it again
        return None, None

    def _search_plan(self, question: str, reference: Reference, resolution: Resolution | None, given: list[str] | None,
                     catalog: Catalog, implicit: bool, loosely: bool, unnamed: list[tuple[str, str]], series: list[str]
                     ) -> tuple[str, list[str] | None, dict[str, float] | None]:
        """What to search with (the ask, or the whole question), within which reports, preferring which.
        ``implicit``: the reference is only the question's words that occur in titles, no phrase naming reports.
        ``loosely``: the reference is the conversation's, and the question stands on its own. ``unnamed``: its
        words no title has (_named_by_text_alone); ``series``: the reports such a name picked out by their covers
        (_series_named_by_content)."""
        pool = resolution.docs if resolution is not None and resolution.hard else given
        if unnamed and not series and not reference.across and (pool is None or len(pool) > 1):
            # "The report on the incident near <town>", "the Bishop accident": words no title has may still name one
            # report by its text.
            doc = self._named_by_content(list(dict.fromkeys(w for w, _ in unnamed)), pool)
            if doc is not None:
                return unnamed[0][1], None if loosely else [doc], {doc: 1.0} if loosely else None
        if resolution is None:
            # "The temperature at Bishop": the one report whose text holds the place is preferred, asked as it is.
            doc = self._named_by_content(reference.place_words, given) if reference.place_words else None
            return question, given, {doc: PLACE_SHARE} if doc else None
        if not resolution.hard:
            # Words that merely occur in a title ("the United Kingdom's ...") are weaker evidence than a phrase that names.
            share = IMPLICIT_SHARE if implicit else 1.0
            prefer = {d: w * share for d, w in resolution.weights.items()}
            # Look-alike titles ("Total Loss of Engine Power and Forced Landing, Cessna 172S", "..., Cessna 172N") are
            # told apart by the place a question puts the event at, which one report's text holds.
            place = self._named_by_content(reference.place_words, given) if reference.place_words else None
            return question, given, {place: PLACE_SHARE} if place is not None else prefer
        named = {w for d in resolution.docs for w in catalog.entries[d].words}
        clause_named = not reference.clause_words or any(w in named and w in catalog.idf for w in reference.clause_words)
        prefer = resolution.weights if min(resolution.weights.values(), default=1.0) < 1.0 else None
        return (reference.ask if clause_named else reference.ask_keeping_clause), resolution.docs, prefer

    def _series_named_by_content(self, reference: Reference, unnamed: list[tuple[str, str]], catalog: Catalog,
                                 given: list[str] | None) -> list[str]:
        """The reports a name that no title has picks out by their covers when no one report holds it ("the latest
        Microsoft 10-Q", in a library of several companies' filings whose titles all read "FORM 10-Q"): those that
        open with the name (as capitalised in the question). [] when one report or none does, or all do."""
        capitalised = {t.lower() for t in re.findall(r"[A-Za-z][\w&-]*", reference.phrase) if t[0].isupper()}
        names = list(dict.fromkeys(w for w, _ in unnamed if w in capitalised and stem(w) not in REPORT_NOUN_STEMS))
        if not names or reference.across or self._named_by_content(names, given) is not None:
            return []
        df = self.index.document_frequencies([stem(w) for w in names])
        rarest = min(names, key=lambda w: df[stem(w)])
        series = self.index.documents_opening_with(fts_match_expression([rarest]), COVER_PASSAGES)
        series = [d for d in series if given is None or d in given]
        return series if 1 < len(series) < len(given if given is not None else catalog.entries) else []

    def _event_place_no_report_holds(self, reference: Reference) -> str:
        """The place a question names its event by ("the crash near Uvalde", "the Burlington derailment"), when no
        passage of the library holds a word of it; "" otherwise. Only an event's: a place a question merely mentions
        ("favored in Bedigo and Geelong") may be misspelt where the answer stands."""
        # Each of its words: "Port Elsworth" is in no report, though reports speak of ports elsewhere.
        words = [stem(w) for w in reference.event_words]
        if not words or all(self.index.document_frequencies(words).get(w) for w in words):
            return ""
        return " ".join(w.capitalize() for w in reference.event_words)

    def _code_no_report_holds(self, question: str, catalog: Catalog) -> str:
        """A code the question names a thing by ("protocol WQ-05", "structure NS-1187", "the A320") when neither a
        passage nor a report's title, file name or running heads hold it; "" otherwise. A code is exact: a report
        about another is not about it."""
        for code in _CODE.findall(question):
            if _PERIOD_CODE.fullmatch(code):
                continue
            parts = _CODE_PART.findall(code.lower())
            if self.index.lexical_search('"' + " ".join(parts) + '"', 1) or self._variant_held(code, parts):
                continue
            if not any(all(stem(part) in entry.words for part in parts) for entry in catalog.entries.values()):
                return code
        return ""

    def _variant_held(self, code: str, parts: list[str]) -> bool:
        """Does a passage hold a variant of ``code`` that only adds a letter or two ("S-92A" for "the S-92", "A320neo"
        is not one)? A model's variant is the model asked about."""
        variant = re.compile(rf"(?<![\w-]){re.escape(code)}[A-Za-z]{{1,2}}(?![\w-])", re.IGNORECASE)
        hits = self.index.lexical_search('"' + " ".join(parts) + '"*', VARIANT_SEARCH)
        return any(variant.search(p.text) for p in self.index.passages([pid for pid, _ in hits]).values())

    def _of_fiscal_quarter(self, reference: Reference, resolution: Resolution | None, catalog: Catalog,
                           given: list[str] | None) -> Resolution | None:
        """Of the filings resolved, the one dated at the end of the fiscal quarter asked, by the fiscal year's end that
        their text states ("the fiscal year ending June 30, 2024": its first quarter ended in September 2023). Which
        calendar quarter a fiscal one is, only the company says; when none of them says, the resolution stands.
        A company's fiscal quarter is one filing even where its filings are the whole library (``resolution`` None)."""
        if not (reference.fiscal and reference.quarter and reference.years):
            return resolution
        quarter, year = reference.quarter, reference.years[0]
        searched = resolution or Resolution(catalog.in_date_order(given or list(catalog.entries)), True, {}, False)
        if len(searched.docs) < 2:
            return resolution
        hits = self.index.lexical_search('"fiscal year ending" OR "fiscal year ends" OR "fiscal year ended" OR '
                                         '"fiscal year end"', CONTENT_HITS, searched.docs)
        months = [_MONTHS[m.lower()] for p in self.index.passages([pid for pid, _ in hits]).values()
                  for m in _FISCAL_YEAR_END.findall(p.text)]
        if not months:
            return resolution
        if len(set(months)) > 1:  # companies whose years end in different months: the question's names must say whose
            return resolution
        last = months[0]
        month = (last - 3 * (4 - quarter) - 1) % 12 + 1
        wanted = (year if month <= last else year - 1) * 12 + month
        # A 52-53 week quarter may end a few days into the next month ("October 1").
        docs = [d for d in searched.docs if (when := catalog.entries[d].when) and when[1]
                and when[0] * 12 + when[1] - (when[2] <= 7) == wanted]
        return replace(searched, docs=docs, weights={d: searched.weights.get(d, 1.0) for d in docs}) if docs else resolution

    def _reports_holding(self, reference: Reference, given: list[str] | None) -> list[str]:
        """The reports whose text holds the ask's rarest word, when the reference names reports by recency alone
        ("What was iPhone revenue in the latest quarter?", in a library of several companies' filings): when the
        library's latest holds it not, the latest is the latest of those. [] when the reference has words of its own
        ("the latest annual report")."""
        if not reference.recency or reference.across or reference.words:
            return []
        words = content_words(reference.ask)
        df = self.index.document_frequencies([stem(w) for w in words])
        found = [w for w in words if df[stem(w)]]
        if not found:
            return []
        rarest = min(found, key=lambda w: df[stem(w)])
        hits = self.index.lexical_search(fts_match_expression([rarest]), CONTENT_HITS, given)
        return list(dict.fromkeys(p.doc_id for p in self.index.passages([pid for pid, _ in hits]).values()))

    def _named_by_content(self, words: list[str], given: list[str] | None) -> str | None:
        """The report whose passages hold most of the lexical evidence for ``words`` (as the question spells them:
        FTS5 stems what it is given, and a stem stemmed again may change, "milwauke" to "milwauk"), when one clearly does."""
        # Only rare words can name a report by its text, and a common one would make the search slow.
        by_stem = self.index.document_frequencies([stem(w) for w in words])
        df = {w: by_stem[stem(w)] for w in words}
        found = sorted((w for w in words if df[w]), key=df.get)
        rare = [w for i, w in enumerate(found) if i == 0 or df[w] <= CONTENT_WORD_SHARE * self.index.passage_count()]
        hits = self.index.lexical_search(fts_match_expression(rare), CONTENT_HITS, given) if rare else []
        if not hits:
            return None
        by_doc: dict[str, float] = {}
        for passage in self.index.passages([pid for pid, _ in hits]).values():
            by_doc[passage.doc_id] = by_doc.get(passage.doc_id, 0.0) + dict(hits)[passage.id]
        doc, mass = max(by_doc.items(), key=lambda kv: kv[1])
        if mass >= CONTENT_SHARE * sum(by_doc.values()):
            return doc
        # "The Colombo dialogue on illegal fishing": other reports hold many passages on illegal fishing, but only one
        # holds all three words.
        few = [w for w in rare if df[w] <= ALL_WORDS_HITS and stem(w) not in REPORT_NOUN_STEMS]  # "study" names no study
        if len(few) < 2:
            return None
        holding = set(by_doc)
        for w in few:
            found = self.index.passages([pid for pid, _ in self.index.lexical_search(fts_match_expression([w]), df[w], given)])
            holding &= {passage.doc_id for passage in found.values()}
        return next(iter(holding)) if len(holding) == 1 else None

    def _scope(self, reference: Reference, within: list[str] | None, prefer: dict[str, float] | None,
               given: list[str] | None, since: str, until: str, catalog: Catalog) -> Scope | None:
        docs = within if within is not None else list(prefer or [])
        if not docs:
            return None
        inferred = docs != given
        reports = [ScopedReport(d, catalog.entries[d].title, catalog.entries[d].date) for d in catalog.in_date_order(docs)]
        return Scope(reports, "only" if within is not None else "preferred", inferred,
                     (reference.phrase or reference.event_phrase) if inferred else "", since, until)

    def _across(self, question: str, query: Query, within: list[str] | None, prefer: dict[str, float] | None,
                scope: Scope | None, catalog: Catalog, reference: Reference) -> "Result | None":
        """One quote per relevant report, by date: the answer to a question asked across the library."""
        docs = within if within is not None else list(catalog.entries)
        names = named_organisations(question)
        if len(names) >= 2:
            # "Compare the missions of the Department of Transportation and the Department of Commerce": their own
            # reports, not every report that mentions either.
            theirs = [d for d in docs if any(self._about(d, name) for name in names)]
            docs = theirs if len(theirs) >= 2 else docs
        asked_years = _asked_years(question, reference)
        of_years = [d for d in docs if str(catalog.year(d)) in asked_years]
        if len({catalog.year(d) for d in of_years}) >= 2:
            docs = of_years  # "the number opened in 2020, compared with 2024": the reports of those years
        if len(docs) > ACROSS_SEARCHED:  # a large library: the reports of the passages that match best
            pooled = self.retriever.retrieve(query, k=ACROSS_POOL, within=within, prefer=prefer, depth=ACROSS_POOL)
            docs = list(dict.fromkeys(c.passage.doc_id for c in pooled))[:ACROSS_SEARCHED]
        if len(catalog.dated(docs)) < 2:
            return None  # no two dated reports to answer in date order (SQuAD's "compare"): none searched
        # Each report searched on its own: one with few passages on the topic must not be crowded out by one with many.
        # "Where was each dialogue held?": its "Venue:" field, which may rank below the passages read for prose.
        amount = asks_for_amount(question)
        fields = bool(asked_heads(question)) and not amount
        per_doc = {doc: self.retriever.retrieve(query, k=READ_FURTHER if fields or amount else READ, within=[doc],
                                                prefer=prefer, depth=ACROSS_DEPTH) for doc in docs}
        candidates = sorted((c for cands in per_doc.values() for c in cands[:READ]), key=lambda c: c.score, reverse=True)
        found = []
        signatures = ({doc: self._signature_span(question, query, [doc], reference) for doc in docs}
                      if asked_title(question, query.text) is not None else {})
        signed = any(signatures.values())
        for doc, cands in per_doc.items():
            field = best_span(cands, self.index.following_passages, question, asked_years=asked_years,
                              fields_only=True) if fields and not signed else None
            # Asked who signed each report: the signatures alone, however well another sentence matches. Otherwise
            # each report is read as if asked alone: "how did revenue change" is each report's revenue row.
            span = signatures[doc] if signed else field or self._read(cands, question, asked_years, None, frozenset(),
                                                                      query, [doc])
            confidence = _probability(self.evidence(span, query, question, reference))
            if span is not None and confidence >= ABSTAIN_BELOW:
                found.append((span.candidate.score + span.sentence_dense, span, confidence))
        if not found:
            return None
        best = max(f[0] for f in found)
        found = sorted((f for f in found if f[0] >= best - ACROSS_MARGIN), key=lambda f: f[0], reverse=True)[:MAX_ACROSS]
        if len(found) < 2 or len(catalog.dated([f[1].candidate.passage.doc_id for f in found])) < 2:
            return None  # one report answers, or the reports have no dates to order them by
        order = catalog.in_date_order([f[1].candidate.passage.doc_id for f in found])
        found.sort(key=lambda f: order.index(f[1].candidate.passage.doc_id))
        parts = []
        for _, span, confidence in found:
            entry = catalog.entries[span.candidate.passage.doc_id]
            citations = [self._cite(piece.passage, span.candidate.score, piece) for piece in span.pieces]
            parts.append(ReportAnswer(entry.doc_id, entry.title, entry.date, span.text, confidence, citations))
        text = "\n\n".join(f"{p.title}{f' ({p.date})' if p.date else ''}: {p.answer}" for p in parts)
        top = max(found, key=lambda f: f[0])
        answer = Answer(question, text, False, max(p.confidence for p in parts),
                        citations=[c for p in parts for c in p.citations], scope=scope, across=parts)
        return Result(answer, candidates, top[1], query)

    def _result(self, question: str, span: Span | None, candidates: list[Candidate], query: Query,
                scope: Scope | None, reference: Reference, read_as: str = "") -> "Result":
        """The answer to ``question``, quoting ``span``, which was read for ``read_as`` (the question itself, or the
        one it continues)."""
        read_as = read_as or question
        evidence = self.evidence(span, query, read_as, reference)
        confidence = _probability(evidence)
        if span is None or confidence < ABSTAIN_BELOW:
            related = [self._cite(c.passage, c.score) for c in self._related(candidates, query, read_as, reference)]
            return Result(Answer(question, NOT_FOUND, True, confidence, related=related, scope=scope), candidates, None, query,
                          read_as)
        quoted = list_span(span) if span.enumeration else span  # a list: its items' lead sentences, the rest a click away
        citations = [self._cite(piece.passage, span.candidate.score, piece) for piece in quoted.pieces]
        citations[0].key = quote_key(read_as, citations[0].passage, citations[0].start, citations[0].end)
        items = [sentence_text(*item.lead) for item in span.enumeration.items] if span.enumeration else []
        # A list's items each on a line of their own, as a list is printed.
        text = "\n".join(piece.text for piece in quoted.pieces) if span.enumeration else span.text
        answer = Answer(question, text, False, confidence, citations=citations, scope=scope, items=items,
                        whole=span.text if span.enumeration else "", why=confidence_why(evidence))
        return Result(answer, candidates, span, query, read_as)

    def evidence(self, span: Span | None, query: Query, question: str,
                 reference: Reference | None = None) -> dict[str, float] | None:
        """What the confidence weighs (confidence_features), for the quote ``span``; ``reference``: the question's
        own (read_reference), when the caller has it already."""
        if span is None:
            return None
        # Years that name reports, bound a range ("since 2013") or name the quoted report are not years asked about.
        reference = reference or read_reference(question, self.catalog())
        asked = _asked_years(question, reference)
        if asked:
            own = self._years_of(span.candidate.passage.doc_id)
            # Asked across the years ("in 2020, compared with 2024"), each report answers for the year it is of.
            asked = frozenset() if reference.across and asked & own else asked - own
        doc = span.candidate.passage.doc_id
        names = named_organisations(question)
        missing = [n for n in names if not self._mentions_organisation(doc, n)]
        # Asked across reports ("compare the missions of X and Y"), each report answers for its own organisation.
        unmentioned = bool(missing) and (not reference.across or len(missing) == len(names))
        # "Brookmere Water's dividend" is not answered by a report that never names Brookmere Water, a name some
        # reports are known by; of several ("the Millbrook flood or the Kestrel Bay storm surge"), one will do.
        owners = [n for n in self.catalog().names_in(question) if n not in names]
        unmentioned |= bool(owners) and not any(self._mentions_organisation(doc, n) for n in owners)
        return confidence_features(span, query, question, asked, unmentioned,
                                   self._quarter_unmentioned(span, reference))

    def _quarter_unmentioned(self, span: Span, reference: Reference) -> bool:
        """Does the question ask of a quarter ("profit before tax for Q3 2023") that the quote's report is not of and
        its passages never speak of (a half-year report's first-half profit)? A fiscal quarter is the filing scope
        found for it (_of_fiscal_quarter), whatever its date."""
        if not reference.quarter or reference.across or reference.fiscal:
            return False
        catalog, doc = self.catalog(), span.candidate.passage.doc_id
        years = set(reference.years) | set(reference.loose_years)
        if not years:  # "with 4:51 left in the fourth quarter": a game's, not a reporting period
            return False
        if catalog.of_quarter(doc, reference.quarter) and catalog.year(doc) in years:
            return False
        return not any(mentions_quarter(f"{p.passage.text} {standing_under(p.passage)}", reference.quarter)
                       for p in span.pieces)

    def _report_years(self, candidates: list[Candidate]) -> dict[str, frozenset[str]]:
        """The years each candidate's report is of (_years_of)."""
        return {d: self._years_of(d) for d in {c.passage.doc_id for c in candidates}}

    def _years_of(self, doc_id: str) -> frozenset[str]:
        """The years a report is of: its title's and date's ("the quarter ended December 31, 2022"), and the fiscal
        year its running heads name ("Apple Inc. | Q1 2023 Form 10-Q"), which its date need not fall in."""
        doc = self.index.document(doc_id)
        entry = self.catalog().entries.get(doc_id)
        return (years_in(f"{doc.title} {doc.date}" if doc else "") | {str(y) for y in (entry.title_years if entry else ())}
                | self._cover_field_years(doc_id))

    def _cover_field_years(self, doc_id: str) -> frozenset[str]:
        """The years of the dates its first page's fields give ("Date of occurrence: 14 November 2016", "Period
        covered: 2019-2020"): an investigation published in 2017 is the report of the accident of 2016."""
        key = (self.index.generation, doc_id)
        if key not in self._cover_dates:
            if len(self._cover_dates) > 10_000:
                self._cover_dates.clear()
            fields = (one_field(sentence_text(p, i)) for p in self.index.opening_passages(doc_id, COVER_FIELD_PASSAGES)
                      if p.page <= 1 for i in range(len(p.sentence_spans)))
            self._cover_dates[key] = frozenset().union(*(years_in(value) for label, value in filter(None, fields)
                                                         if _DATED_LABEL.search(label)))
        return self._cover_dates[key]

    def _mentions_organisation(self, doc_id: str, name: str) -> bool:
        """Does the report ``doc_id`` name the organisation ``name`` anywhere: its catalogue entry (title, publisher,
        authors, file name) or its text?"""
        key = (self.index.generation, name, doc_id)
        if key not in self._mentions:
            if len(self._mentions) > 10_000:
                self._mentions.clear()
            self._mentions[key] = self._about(doc_id, name) or any(
                self.index.lexical_search('"' + f.replace('"', "") + '"', 1, [doc_id]) for f in spellings(name)) or (
                # "HIPP" of a brief whose cover names "The Halvorsen Institute for Public Policy" and never "HIPP"
                _ACRONYM.fullmatch(name) is not None and _spelled_out(
                    name, [p.text for p in self.index.opening_passages(doc_id, COVER_PASSAGES)]) is not None)
        return self._mentions[key]

    def _about(self, doc_id: str, name: str) -> bool:
        """Does the catalogue entry of report ``doc_id`` (title, publisher, authors, file name) name the organisation
        ``name``?"""
        entry = self.catalog().entries.get(doc_id)
        return entry is not None and any(set(stems(f)) <= entry.words for f in spellings(name))

    def _related(self, candidates: list[Candidate], query: Query, question: str,
                 reference: Reference) -> list[Candidate]:
        """The passages worth showing beside a refusal: prose whose best sentence has evidence above the floor."""
        related = (c for c in candidates if holds_prose(c.passage)
                   and _probability(self.evidence(passage_span(c), query, question, reference)) >= RELATED_FLOOR)
        return list(islice(related, RELATED_MAX))

    def _explain_refusal(self, answer: Answer, question: str, query: Query, within: list[str] | None,
                         catalog: Catalog, reference: Reference) -> None:
        """Say how many reports a refusal searched, and suggest another scope when one would help: every report,
        when one outside the scope answers; the one report all the related passages come from."""
        answer.reports_searched = len(within) if within is not None else len(catalog)

        def scoped(doc: str) -> ScopedReport:
            return ScopedReport(doc, catalog.entries[doc].title, catalog.entries[doc].date)

        if within is not None:
            others = [c for c in self.retriever.retrieve(query, k=RETRIEVE) if c.passage.doc_id not in within]
            span = best_span(others[:READ], self.index.following_passages, question)
            confidence = _probability(self.evidence(span, query, question, reference))
            if span is not None and confidence >= ABSTAIN_BELOW:
                answer.suggestion = Suggestion("all", [scoped(span.candidate.passage.doc_id)], confidence)
        elif len(catalog) > 1 and answer.related and len({c.doc_id for c in answer.related}) == 1:
            answer.suggestion = Suggestion("only", [scoped(answer.related[0].doc_id)])

    def _cite(self, passage: StoredPassage, score: float, piece: Piece | None = None) -> Citation:
        doc = self.index.document(passage.doc_id)
        return Citation(
            doc_id=passage.doc_id,
            title=doc.title if doc else passage.doc_id,
            page=passage.page,
            passage=passage.text,
            start=piece.start if piece else 0,
            end=piece.end if piece else 0,
            score=round(score, 4),
            source=doc.source if doc else "",
            url=doc.url if doc else "",
            date=doc.date if doc else "",
            passage_id=passage.id,
            table=_quoted_rows(passage, piece),
            publisher=doc.publisher if doc else "",
            authors=list(doc.authors) if doc else [],
        )


_JOINING_WORDS = ("of", "and", "for", "the", "on", "in")


def _spelled_out(acronym: str, texts: list[str]) -> str | None:
    """The words ``acronym`` stands for, as the first of ``texts`` to spell it out writes them ("Air Quality Index" for
    "AQI", "Coastal Livelihoods Resilience Programme" for "CLRP")."""
    letters = acronym.removesuffix("s") if acronym.endswith("s") and acronym[:-1].isupper() else acronym
    # A small word between may have a letter of its own ("DOT": "Department of Transportation") or none ("AQI").
    words = ["|".join([f"{c}[a-z]+"] + [j for j in _JOINING_WORDS if j[0] == c.lower()]) for c in letters]
    spelled = re.compile(r"\b" + (r"\s+(?:(?:" + "|".join(_JOINING_WORDS) + r")\s+)?").join(f"(?:{w})" for w in words) + r"\b")
    return next((m.group() for text in texts if (m := spelled.search(text))), None)


def _raised(candidates: list[Candidate], bonus: dict[str, float]) -> list[Candidate]:
    """``candidates`` with each report's passages raised by its ``bonus``, best first again."""
    for c in candidates:
        c.score += bonus.get(c.passage.doc_id, 0.0)
    return sorted(candidates, key=lambda c: c.score, reverse=True)


def _with_its_explanation(span: Span) -> Span:
    """``span`` and the sentence after it in its paragraph, asked why it happened when ``span`` only says what did
    ("4.1 Lead exceeded the standard in one customer sample." "Orthophosphate dosing ... had been interrupted for
    eleven days."): a report states a finding, then explains it."""
    last = span.pieces[-1]
    if span.enumeration is not None or last.last == HEADING or last.last + 1 >= len(last.passage.sentence_spans) or \
            not same_paragraph((last.passage, last.last), (last.passage, last.last + 1)):
        return span
    return replace(span, pieces=[*span.pieces[:-1], Piece(last.passage, last.first, last.last + 1)])


def _heading_line_and_sentences(passage: StoredPassage) -> tuple[list[str], list[str]]:
    """The last line of the heading a passage opens with (none or one), and its sentences."""
    sentences = [sentence_text(passage, k) for k in range(len(passage.sentence_spans))]
    head = passage.text[: passage.sentence_spans[0][0]].strip() if sentences else ""
    return (head.split("\n\n")[-1:] if head else []), sentences


def _named_by_text_alone(reference: Reference, catalog: Catalog) -> list[tuple[str, str]]:
    """The words of a reference that no title, publisher or running head has ("the report on the incident near
    <town>", "the Bishop accident"), each with the ask to search once they have named their report."""
    named = [(w, reference.ask) for w in content_words(reference.phrase) if reference.headed and stem(w) in reference.words]
    unnamed = [(w, ask) for w, ask in named if stem(w) not in catalog.known]
    return unnamed + [(w, reference.event_ask) for w in reference.event_words]  # a title may name it too: "Air Tractor"


def _quoted_rows(passage: StoredPassage, piece: Piece | None) -> dict | None:
    if passage.table is None or piece is None:
        return None
    return {"header": passage.table.header, "rows": passage.table.rows[piece.first : piece.last + 1],
            **({"caption": passage.table.caption} if passage.table.caption else {})}


def _asked_years(question: str, reference: Reference) -> frozenset[str]:
    """The years ``question`` asks about: those it names, less those naming reports or bounding a range."""
    return years_in(question) - years_in(" ".join(map(str, [*reference.years, reference.since or "", reference.until or ""])))


def _no_report_of(years: list[int], named: list[str], catalog: Catalog, quarter: int | None = None) -> str:
    """A refusal that says which reports the library does hold of the series asked about (of which quarters, when
    a quarter was asked for)."""
    def period(d: str) -> str:
        quarters = [q for q in range(1, 5) if catalog.of_quarter(d, q)]
        return f"Q{quarters[0]} {catalog.year(d)}" if quarter and quarters else str(catalog.year(d))

    asked = " or ".join(f"Q{quarter} {y}" if quarter else str(y) for y in years)
    held = list(dict.fromkeys(period(d) for d in catalog.in_date_order(named) if catalog.year(d)))
    if not held:
        return f"The library holds no report from {asked}."
    listed = ", ".join(held[:-1]) + (" and " if len(held) > 1 else "") + held[-1]
    return f"The library holds no such report from {asked}; it has reports of that name from {listed}."


def passage_span(candidate: Candidate) -> Span | None:
    """A passage's own best sentence, whose evidence says whether the passage is related to a refused question."""
    return best_span([candidate], lambda passage, n: [])


def _probability(evidence: dict[str, float] | None) -> float:
    """P(the quoted answer is right), from its evidence; CALIBRATION is fitted by bench/calibrate.py."""
    if evidence is None:
        return 0.0
    z = CALIBRATION["bias"] + sum(CALIBRATION[name] * value for name, value in evidence.items())
    return round(1 / (1 + math.exp(-z)), 3)


def confidence_features(span: Span, query: Query, question: str, asked_years: frozenset[str] = frozenset(),
                        unmentioned_organisation: bool = False, unmentioned_quarter: bool = False) -> dict[str, float]:
    """The evidence the confidence model weighs (CALIBRATION names its weights); ``asked_years``: the years the
    question asks about (not those naming reports, a range or the quoted report); ``unmentioned_organisation``: the
    question names an organisation the quoted report never mentions (qa/organisations.py); ``unmentioned_quarter``:
    the quarter it asks of is neither the quoted report's nor spoken of there (QAPipeline._quarter_unmentioned)."""
    # "In 2011" asked of passages that never mention 2011; "in Q3 2023" of a half-year report's first half.
    unmentioned_year = unmentioned_quarter or (
        bool(asked_years) and not any(mentions_any_year(p.passage, asked_years) for p in span.pieces))
    return {"sentence_dense": span.sentence_dense, "sentence_lexical": span.sentence_lexical, "unknown": query.unknown,
            "lacks_asked_kind": float(lacks_asked_kind(question, span.text,
                                                       " ".join(standing_under(p.passage) for p in span.pieces),
                                                       table=span.candidate.passage.table is not None)),
            "unmentioned_year": float(unmentioned_year),
            # The part of a report the question asks for, which shares few words with it: the signature block asked
            # of who signed, the heading numbering the goal asked for (a Piece from the HEADING), the form field
            # whose label names what is asked ("Age: 29" for "how old was the pilot?"), a finding asked why.
            "asked_part": float(span.asked_part
                                or (asked_title(question, query.text) is not None
                                    and signature_title(span.text) is not None)
                                or span.pieces[0].first == HEADING or is_asked_field(question, span.text)
                                or counts_asked_thing(question, span.text)
                                # A row of the measure asked for ("Endowment | £7.5 million | £12 million" for "what
                                # size of endowment is it aiming for?"), as a field whose label names it; not of
                                # other years than those asked ("income in 2021": a plan's projection for 2024-2028).
                                or (span.candidate.passage.table is not None and asks_for_amount(question)
                                    and row_asked(question, span.text) and not unmentioned_year)
                                or (asks_for_author(question) and (is_byline(span.text) or (
                                    span.pieces[0].passage.ordinal < COVER_PASSAGES and is_cover_byline(span.text))))
                                or (asks_when_published(question)
                                    and is_dateline(span.text, cover=span.pieces[0].passage.ordinal < COVER_PASSAGES))
                                or (asks_where_held(question) and is_place_dateline(span.text))
                                or (asks_theme(question) and states_theme(span.text))
                                or (asks_cause(question) and bool(CAUSE_HEADING.search(span.pieces[0].passage.heading)))),
            "unmentioned_organisation": float(unmentioned_organisation),
            "echoes_question": float(echoes(span.text, query.text))}


def echoes(quote: str, asked: str) -> bool:
    """Is ``quote`` a run of the question's own words (``asked``, with the conversation it leans on)? A name line
    ("U.S. Department of Veterans Affairs") or a measure's label that repeats the question answers nothing; a
    vision "A secure Homeland", asked of the Department of Homeland Security, says the words in its own order."""
    said = [t for t in stem_sequence(quote) if len(t) > 1 or t.isdigit()]  # "Rail | 6 | 8": figures are no echo
    words = stem_sequence(asked)
    return bool(said) and any(words[i : i + len(said)] == said for i in range(len(words) - len(said) + 1))
