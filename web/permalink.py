"""Links that ask a question again: ``?q=<question>&h=<earlier question>...&report=<id>&v=<library>``.

``h`` are the earlier questions the answer was read with (a follow-up), ``report`` the report the reader asked
within, and ``v`` a short fingerprint of the library the answer came from: opened after the library changed (a
report added, removed or its details corrected), the page says the answer may differ from the one linked to.
Everything read from a link is only a candidate: lengths are capped here, the report id is checked against the index
by the page, and the question goes to the pipeline as any typed question does."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Iterable, Mapping, Sequence
from urllib.parse import urlencode

from ingest.index import DocumentRecord
from qa.pipeline import MAX_HISTORY, MAX_QUESTION_CHARS

FINGERPRINT_CHARS = 10
_FINGERPRINT = re.compile(rf"[0-9a-f]{{{FINGERPRINT_CHARS}}}")
_DOC_ID = re.compile(r"[0-9a-f]{1,64}")


@dataclass
class Permalink:
    question: str
    history: list[str] = field(default_factory=list)  # oldest first
    report: str | None = None  # a report id, unchecked
    fingerprint: str = ""


def library_fingerprint(documents: Iterable[DocumentRecord], model: str = "") -> str:
    """A short digest of what answers depend on: each report's content (its id is a hash of the file), title, date,
    publisher and authors, and the model the index was built with."""
    digest = hashlib.sha256(model.encode())
    for d in sorted(documents, key=lambda d: d.id):
        digest.update("\x1f".join([d.id, d.title, d.date, d.publisher, *d.authors, str(d.passages)]).encode() + b"\x1e")
    return digest.hexdigest()[:FINGERPRINT_CHARS]


def permalink_query(link: Permalink) -> str:
    """The link, relative to the site's page: ``?q=...``."""
    query = [("q", link.question)] + [("h", h) for h in link.history[-MAX_HISTORY:]]
    query += [("report", link.report)] if link.report else []
    query += [("v", link.fingerprint)] if link.fingerprint else []
    return "?" + urlencode(query)


def read_permalink(params: Mapping[str, Sequence[str]]) -> Permalink | None:
    """The link a page was opened with (query parameters, each with its values), or None when it asks nothing."""
    question = _first(params.get("q"))
    if not question:
        return None
    history = [h for h in (_clean(h) for h in list(params.get("h") or [])[-MAX_HISTORY:]) if h]
    report = _first(params.get("report"))
    fingerprint = _first(params.get("v"))
    return Permalink(question, history, report if report and _DOC_ID.fullmatch(report) else None,
                     fingerprint if _FINGERPRINT.fullmatch(fingerprint) else "")


def _first(values: Sequence[str] | None) -> str:
    return _clean(values[0]) if values else ""


def _clean(value) -> str:
    return " ".join(value.split())[:MAX_QUESTION_CHARS] if isinstance(value, str) else ""
