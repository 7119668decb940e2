"""The organisations a question names ("the Department of Energy's mission", "NARA's budget", "the State
Department"), found by their form, for the check that the quoted report mentions them at all.

A question that names an organisation asks about it, and a report that never mentions it does not answer: "What is
the Department of Energy's mission?" is not answered by another department's plan, however alike the two missions
read. Only names shaped like an organisation count (an institution word such as Department, Office or Agency among
capitalised words, or an acronym), and only their absence from the whole report: people and places are often named
otherwise in the sentence that answers, but a report about an organisation names it somewhere.
"""
from __future__ import annotations

import re

_INSTITUTIONS = frozenset(
    "department office agency administration bureau commission council service institute board authority corporation"
    " ministry committee foundation court association secretariat directorate inspectorate fund bank".split())
# Words that may join the capitalised words of one name ("Department of Veterans Affairs", "Office of the Inspector
# General"); "the" only after one of the first three: "the Office for Civil Rights and the Department" names two.
_JOINERS = frozenset("of for on and &".split())
_WORD = re.compile(r"[A-Za-z][\w&.-]*(?:['’]s)?|&")
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
_ROMAN = re.compile(r"^[IVXLC]+$")
# Capitalised abbreviations that name no organisation (officers: "Who signed it as CFO?"; measures; currencies: "in
# thousands of USD", which a report writes "US dollars"), and words typed in capitals as search syntax.
_NOT_ORGANISATIONS = frozenset("FY US USA UK AM PM OK TV ID PDF FAQ AND OR NOT NEAR CEO CFO COO CTO CIO EPS GDP KPI"
                               " USD EUR GBP JPY CNY AUD CAD CHF INR".split())


# An organisation's name, as a line of capitalised words may be one: "Centre for Civic Attitudes Research".
_BODIES = _INSTITUTIONS | frozenset("university college centre center trust society group company forum".split())


def names_a_body(text: str) -> bool:
    """Does ``text`` hold a word that makes a name an organisation's ("Foundation", "University"), not a person's?"""
    return any(w[:1].isupper() and w.lower() in _BODIES for w in _WORD.findall(text))


def named_organisations(question: str) -> list[str]:
    """The organisations ``question`` names, as written (without a possessive "'s")."""
    words = [_bare(w) for w in _WORD.findall(question)]
    names = [w for w in words[1:] if _ACRONYM.match(w) and not _ROMAN.match(w) and w not in _NOT_ORGANISATIONS]
    run: list[str] = []
    for i, word in enumerate(words + [""]):
        joins = run and (word.lower() in _JOINERS or (word == "the" and run[-1].lower() in {"of", "for", "on"}))
        if (i > 0 and word[:1].isupper()) or joins:
            run.append(word)
            continue
        while run and (run[-1].lower() in _JOINERS or run[-1] == "the"):
            run.pop()
        if any(w.lower() in _INSTITUTIONS for w in run) and len(run) > 1:
            names.append(" ".join(run))
        run = []
    return list(dict.fromkeys(names))


def spellings(name: str) -> list[str]:
    """Ways a report may write ``name``: as asked, and from its institution word on when that is a name of its own
    ("Office of Personnel Management" for "the U.S. Office of Personnel Management")."""
    words = name.split()
    start = next((i for i, w in enumerate(words) if w.lower() in _INSTITUTIONS), 0)
    return [name] + ([" ".join(words[start:])] if 0 < start and len(words) - start >= 3 else [])


def _bare(word: str) -> str:
    """A word without its possessive "'s" or a full stop after it ("Energy's" -> "Energy"; "U.S." stays)."""
    word = re.sub(r"['’]s$", "", word)
    return word[:-1] if word.endswith(".") and "." not in word[:-1] else word
