"""Signature blocks: the name and title that close a letter or a report ("Katherine Archuleta / Director /
March 7, 2014"), and the questions they answer ("Who signed the 2018 report?", "Who was the director when it was
issued?").

A signature block shares no words with such a question and means little to the model, so neither search finds it;
but every report series has them, and "who signed it" is what a reader checking a report asks. Read from the
convention alone (a person's name, then a leader's title, standing alone), nothing here knows any one library."""
from __future__ import annotations

import re
from functools import lru_cache

from .answer_key import WH_WORDS
from .citation_styles import MONTHS

# Titles of those who sign for an organisation, lower case; the first word of a qualified title ("acting director")
# is a qualifier below.
TITLES = ("director secretary administrator president chair chairman chairwoman chairperson commissioner archivist "
          "superintendent governor mayor dean chancellor chief ceo founder trustee principal".split())
_QUALIFIERS = "acting deputy executive vice interim under assistant associate senior general"
# A capitalised word with a lower-case letter ("McGettigan", "Amélie", "Łukasz"; not a heading's "FEDERAL"), or an
# initial.
_CAPITAL = "A-ZÀ-ÖØ-ÞĀ-ſ"
_NAME_WORD = rf"(?:[{_CAPITAL}](?=\S*?[a-zß-öø-ÿ])[^\W\d_]*(?:['’\-][^\W\d_]+)*|[{_CAPITAL}]\.)"
_TITLE = rf"(?:(?:{'|'.join(q.capitalize() for q in _QUALIFIERS.split())})\s+)?(?:{'|'.join(t.capitalize() for t in TITLES)}|CEO)\b"
# A name of two to four words (initials count), after an honorific if any ("Dr. Margit Solberg-Hale"), then a title,
# with at most a colon or comma between.
_HONORIFIC = r"(?:(?:Dr|Mr|Mrs|Ms|Mx|Prof|Professor|Sir|Dame|Hon|Rev)\.?\s+)?"
# A letter's closing before the name ("With gratitude,", "Sincerely,"), and degrees after it ("Margaret Oyelaran, Ph.D.").
_VALEDICTION = re.compile(r"^\s*(?:With\s+(?:\w+\s+)?(?:gratitude|thanks|appreciation|regards)|Sincerely(?:\s+yours)?"
                          r"|Respectfully(?:\s+(?:yours|submitted))?|Yours\s+(?:sincerely|truly|faithfully)"
                          r"|(?:Best|Kind|Warm)\s+(?:regards|wishes))\s*,\s+", re.IGNORECASE)
_DEGREES = r"(?:,?\s+(?:Ph\.\s?D\.|PhD|M\.D\.|P\.E\.|J\.D\.|MBA|MPH|CPA|Esq\.))*"
_SIGNATURE = re.compile(rf"^\s*{_HONORIFIC}{_NAME_WORD}(?:\s+{_NAME_WORD}){{1,3}}{_DEGREES}\s*[:,]?\s+(?P<title>{_TITLE})")
MAX_SIGNATURE_WORDS = 12  # a name, a title, a date: longer is prose that starts with a name
_SIGNED = re.compile(r"\b(?:signed|signs|sign|wrote|writes|authored|penned)\b", re.IGNORECASE)
_WHO = re.compile(r"\bwho\b", re.IGNORECASE)
_SIGNED_AN_AGREEMENT = re.compile(r"\bsign(?:ed|s|ing)?\b[^?.]*?\b(?:with|contracts?|agreements?|deals?|memorand\w*"
                                  r"|leases?|treat(?:y|ies)|partnerships?|mou)\b", re.IGNORECASE)


_ASKING = re.compile(r"\b(?:" + "|".join(sorted(WH_WORDS)) + r")\b", re.IGNORECASE)


@lru_cache(maxsize=256)
def asked_title(question: str, context: str = "") -> str | None:
    """What signature ``question`` asks for: "" for any ("Who signed the report?"), a title ("director" in "Who
    was the director when it was issued?"), or None when it asks no such thing. ``context``: the earlier question
    a follow-up leans on; it counts only when the follow-up asks nothing of its own ("And the 2019 one?")."""
    if not _ASKING.search(question):
        question = f"{context} {question}"
    if not _WHO.search(question):
        return None
    if _SIGNED_AN_AGREEMENT.search(question):
        return None  # "Who did they sign the cargo contract with?": a party to a contract, not the report's signatory
    words = ["chief" if w in _CHIEF_OFFICER else _TITLE_VERBS.get(w, w) for w in re.findall(r"[a-z]+", question.lower())]
    title = next((w for w in words if w in TITLES), None)
    if title is not None:
        return title
    return "" if _SIGNED.search(question) else None


# "Who chairs the foundation?" asks for its chair.
_TITLE_VERBS = {"chairs": "chair", "chaired": "chair", "chairing": "chair"}


# A chief officer of one office: "CFO", "the finance chief", "the chief financial officer"; their signature blocks all
# read "Chief ... Officer", and which office is the word between.
_CHIEF_OFFICER = {"cfo": "financial", "coo": "operating"}
_CHIEF_OF = re.compile(r"\bchief\s+(financial|executive|operating|accounting|information|technology)\b"
                       r"|\b(financ|execut|operat|account)\w*\s+chief\b", re.IGNORECASE)


def asked_office(question: str) -> str | None:
    """The office of the chief officer ``question`` asks for ("financial" for "CFO" or "the finance chief"), if any."""
    if match := _CHIEF_OF.search(question):
        return match[1].lower() if match[1] else {"financ": "financial", "execut": "executive", "operat": "operating",
                                                   "account": "accounting"}[match[2].lower()]
    return next((_CHIEF_OFFICER[w] for w in re.findall(r"[a-z]+", question.lower()) if w in _CHIEF_OFFICER), None)


_DATE_LINE = re.compile(r"^\s*(?:" + "|".join(MONTHS) + r")\s+\d{1,2},?\s+(?:19|20)[\d ]{2,3}\s*$")


def signature_at(sentences: list[str], i: int) -> tuple[int, str] | None:
    """Whether a signature block starts at sentence ``i`` of a passage: the last sentence it runs through (the
    name, the title and the date may each stand on a line of their own) and its title; else None."""
    for last in (i, i + 1):
        if last < len(sentences) and (title := signature_title(" ".join(sentences[i : last + 1]))):
            if last + 1 < len(sentences) and _DATE_LINE.match(sentences[last + 1]):
                last += 1
            return last, title
    return None


def signature_title(sentence: str) -> str | None:
    """The title (lower case, qualifiers left out) of a sentence that is a signature block, else None."""
    sentence = _VALEDICTION.sub("", sentence, count=1)
    if len(sentence.split()) > MAX_SIGNATURE_WORDS:
        return None
    match = _SIGNATURE.match(sentence)
    return match["title"].split()[-1].lower() if match else None
