"""Read a PDF's text, page by page, without letting a hostile or broken file take more than its share.

pypdf raises LimitReachedError when a file exceeds its safety limits (limits that stop
decompression bombs). Real reports sometimes exceed the element-count limits, so a file is
retried once with those two limits raised fifty-fold: the reader runs in a worker process
with a memory cap and a timeout (ingest/isolation.py), which is what really bounds a bomb.
Decompression output limits are never raised.
"""
from __future__ import annotations

import io
import logging
import re
import warnings
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Callable

from .errors import first_line
from .layout import PageLayout, contents_parsed_once, read_page_layout
from .metadata import Metadata
from .models import Table
from .tables import page_tables

# A page with less text than this (a page number, a stray mark) has no real text layer: a scan or an image.
MIN_PAGE_CHARS = 20
RAISED_LIMITS = {"array_maximum_element_count": 5_000_000, "dictionary_maximum_element_count": 5_000_000}


class PdfError(Exception):
    """The PDF cannot be ingested; the message says why, in one line."""


@dataclass
class PdfText:
    pages: list[PageLayout]  # the lines of each page, none for a page without text
    metadata: Metadata  # what the info dictionary says, as it says it (ingest/naming.py judges the title)
    created: str = ""  # the info dictionary's creation date, YYYY-MM-DD
    notes: list[str] = field(default_factory=list)  # what staff should know: raised limits, unreadable pages, warnings
    tables: list[list[Table]] = field(default_factory=list)  # the tables of each page (ingest/tables.py)


PageCallback = Callable[[int, int], None]  # (pages read, pages in the file), after each page


def read_pdf(data: bytes, password: str | None, on_page: PageCallback | None = None) -> PdfText:
    from pypdf import apply_configuration
    from pypdf.errors import LimitReachedError

    with _captured_warnings() as warned:
        try:
            result = _extract(data, password, on_page)
        except LimitReachedError:
            try:
                with apply_configuration(**RAISED_LIMITS):
                    result = _extract(data, password, on_page)
            except LimitReachedError as exc:
                raise PdfError(f"PDF exceeds pypdf's safety limits even when raised ({first_line(exc)})") from exc
            result.notes.append("read with raised pypdf element limits")
    if warned:
        (example, _), = warned.most_common(1)
        result.notes.append(f"pypdf warned {sum(warned.values())} times, e.g. {example}")
    return result


def _extract(data: bytes, password: str | None, on_page: PageCallback | None) -> PdfText:
    from pypdf import PdfReader
    from pypdf.errors import FileNotDecryptedError, LimitReachedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        # The empty password is tried too: a batch given --password may hold files that need none.
        if reader.is_encrypted and not (password and reader.decrypt(password)) and not reader.decrypt(""):
            raise PdfError("wrong password for this PDF" if password else "PDF is password-protected; pass its password with --password")
        pages = list(reader.pages)
        info = reader.metadata
    except FileNotDecryptedError as exc:
        raise PdfError("PDF is password-protected; pass its password with --password") from exc
    except (PdfError, LimitReachedError):
        raise
    except (PdfReadError, NotImplementedError) as exc:
        raise PdfError(f"PDF cannot be read ({exc.__class__.__name__}: {first_line(exc)})") from exc

    layouts, tables, failed = [], [], 0
    for page in pages:
        with contents_parsed_once(page):  # for both its readings: the lines, then the tables
            try:
                layouts.append(read_page_layout(page))
            except LimitReachedError:
                raise
            except Exception:  # noqa: BLE001 - one broken page costs that page, not the report
                layouts.append(PageLayout([], 0.0))
                failed += 1
            tables.append(page_tables(page, layouts[-1].text()))
        if on_page:
            on_page(len(layouts), len(pages))
    notes = [f"{failed} of {len(pages)} pages could not be read"] if failed else []
    metadata, created = _metadata(info)
    return PdfText(layouts, metadata, created, notes, tables)


_LOGIN = re.compile(r"[a-z][a-z0-9._]*")


def _metadata(info) -> tuple[Metadata, str]:
    """The PDF's own title, author and creation date, each read on its own: a field pypdf cannot read (LibreOffice
    writes its dates as "D:20261201010729Z'") costs that field, not the others."""
    if not info:
        return Metadata(), ""
    title = " ".join(_field(lambda: str(info.title or "")).split())
    author = _field(lambda: str(info.author or "")).strip()
    created = _field(lambda: info.creation_date.date().isoformat() if info.creation_date else "")
    # A login name ("kmolefe", "jsmith2") is who saved the file, not who wrote the report.
    authors = [author] if author and not _LOGIN.fullmatch(author) else []
    return Metadata(title=title, authors=authors), created


def _field(read: Callable[[], str]) -> str:
    try:
        return read()
    except Exception:  # noqa: BLE001 - a garbled info field is no reason to reject the text, nor the other fields
        return ""


@contextmanager
def _captured_warnings():
    """Collect pypdf's log warnings (dozens per file are common) instead of printing them."""
    counts: Counter[str] = Counter()

    class _Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            counts[first_line(record.getMessage(), 80)] += 1

    logger = logging.getLogger("pypdf")
    handler, propagate = _Collect(logging.WARNING), logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            yield counts
        for w in caught:
            counts[first_line(str(w.message), 80)] += 1
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate
