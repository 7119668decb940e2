"""The confidence of an answer in words, and explained in one line: what its evidence (``confidence_features`` in
qa/pipeline.py) says for and against the quote, in words a reader understands.

The thresholds only choose words; they do not change the confidence, which the calibration computes."""
from __future__ import annotations

from typing import Callable


def confidence_words(confidence: float) -> str:
    """Words for the calibrated chance that the quote answers the question (see qa/pipeline.py)."""
    if confidence >= 0.7:
        return "high confidence"
    if confidence >= 0.4:
        return "medium confidence"
    return "low confidence"


Phrase = tuple[str, bool]  # (what the evidence says, whether it speaks for the quote)


def _levels(levels: list[tuple[float, str, bool]], below: Phrase) -> Callable[[float], Phrase]:
    """A reading by thresholds, highest first: the first one the value reaches gives the phrase; else ``below``."""
    return lambda value: next(((text, good) for floor, text, good in levels if value >= floor), below)


_meaning = _levels([(0.6, "the quote is close in meaning to the question", True),
                    (0.4, "the quote is related in meaning to the question", True)],
                   ("the quote is only loosely related in meaning to the question", False))
_words = _levels([(0.6, "it shares most of the question's key words", True),
                  (0.3, "it shares some of the question's key words", True)],
                 ("it shares few of the question's key words", False))


def _unknown(value: float) -> Phrase | None:
    if value >= 0.5:
        return "most of the question's key words occur in no report", False
    if value >= 0.1:
        return "some of the question's words occur in no report", False
    return None


def _lacks_kind(value: float) -> Phrase | None:
    return ("the question asks for a number or a date and the quote holds none", False) if value else None


def _unmentioned_year(value: float) -> Phrase | None:
    return ("the question asks about a year the quoted passage never mentions", False) if value else None


def _unmentioned_organisation(value: float) -> Phrase | None:
    return ("the question names an organisation the quoted report never mentions", False) if value else None


def _echoes(value: float) -> Phrase | None:
    return ("the quote only repeats the question's words", False) if value else None


def _asked_part(value: float) -> Phrase | None:
    return ("the quote is the part of the report asked for (its signature block, a numbered item)", True) if value else None


# One reading per feature; a feature without one (a new one the calibration learns) is left out of the line.
READINGS: dict[str, Callable[[float], Phrase | None]] = {
    "sentence_dense": _meaning,
    "sentence_lexical": _words,
    "unknown": _unknown,
    "lacks_asked_kind": _lacks_kind,
    "unmentioned_year": _unmentioned_year,
    "asked_part": _asked_part,
    "unmentioned_organisation": _unmentioned_organisation,
    "echoes_question": _echoes,
}


def confidence_why(features: dict[str, float]) -> str:
    """One sentence: what speaks for the quote, then, after "but", what speaks against it."""
    read = [READINGS[name](value) for name, value in features.items() if name in READINGS]
    read = [r for r in read if r is not None]
    pros = [text for text, good in read if good]
    cons = [text for text, good in read if not good]
    line = _joined(pros) + (", but " if pros and cons else "") + _joined(cons)
    return line[:1].upper() + line[1:] + "." if line else ""


def _joined(parts: list[str]) -> str:
    return ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + (parts[-1] if parts else "")
