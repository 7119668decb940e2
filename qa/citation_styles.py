"""A cited source as a reader writes it in a paper: APA (7th edition, reference entry), Chicago (17th edition, note)
and plain text, each with the page and a link. Plain text throughout, so that it pastes anywhere.

``link`` is the address that opens the source (the site's viewer at the page, quote highlighted)."""
from __future__ import annotations

import re
from datetime import date

from .models import Citation

# A name with one of these words is an organisation: written as it is, never turned into "Surname, I.".
_ORGANISATION = re.compile(
    r"\b(office|department|ministry|agency|bureau|administration|commission|committee|council|institute|forum|"
    r"center|centre|foundation|association|university|college|service|group|board|corporation|inc|ltd|llc|"
    r"organi[sz]ation|program(me)?|project|team|unit|secretariat|authority|society|trust|network|partnership)\b",
    re.IGNORECASE)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def citation_styles(c: Citation, link: str) -> dict[str, str]:
    """Each style's text for source ``c``, by the name shown to readers."""
    return {"APA": apa(c, link), "Chicago": chicago(c, link), "Plain text": plain(c, link)}


def apa(c: Citation, link: str) -> str:
    """Manantan, M. (2020, December 1). Title (p. 1). Pacific Forum. https://…

    A report without authors has its publisher as author; one without either starts with its title."""
    authors = [_apa_name(a) for a in c.authors if a.strip()]
    publisher = c.publisher.strip()
    year, month, day = _date_parts(c.date)
    month_day = " ".join(filter(None, [MONTHS[month - 1] if month else "", str(day or "")]))
    when = ", ".join(filter(None, [str(year), month_day])) if year else "n.d."
    title = f"{c.title.strip().rstrip('.')} (p. {c.page})."
    by = _apa_list(authors) if authors else publisher
    if not by:
        return f"{title} ({when}). {link}"
    after = f" {_sentence_end(publisher)}" if publisher and publisher != by else ""
    return f"{_sentence_end(by)} ({when}). {title}{after} {link}"


def chicago(c: Citation, link: str) -> str:
    """Mark Manantan, “Title” (Pacific Forum, December 1, 2020), 1, https://…"""
    authors = [a.strip() for a in c.authors if a.strip()]
    by = _chicago_list(authors) if authors else ""
    year, month, day = _date_parts(c.date)
    when = (f"{MONTHS[month - 1]} {day}, {year}" if day else f"{MONTHS[month - 1]} {year}" if month
            else str(year) if year else "n.d.")
    published = ", ".join(filter(None, [c.publisher.strip() if c.publisher.strip() != by else "", when]))
    lead = f"{by}, " if by else ""
    return f"{lead}{c.title} ({published}), {c.page}, {link}."


def plain(c: Citation, link: str) -> str:
    """Title, by Mark Manantan, Pacific Forum, 1 December 2020, page 1: https://…"""
    return f"{source_line(c)}: {link}"


def source_line(c: Citation) -> str:
    """Title, by Mark Manantan, Pacific Forum, 1 December 2020, page 1"""
    authors = [a.strip() for a in c.authors if a.strip()]
    year, month, day = _date_parts(c.date)
    when = " ".join(filter(None, [str(day or ""), MONTHS[month - 1] if month else "", str(year or "")]))
    parts = [c.title] + ([f"by {_chicago_list(authors)}"] if authors else []) + [c.publisher.strip(), when, f"page {c.page}"]
    return ", ".join(p for p in parts if p)


def _date_parts(iso: str) -> tuple[int | None, int | None, int | None]:
    """'2020-12-01' -> (2020, 12, 1); '2020-12' -> (2020, 12, None); '2020' -> (2020, None, None); else Nones."""
    try:
        d = date.fromisoformat(iso)
        return d.year, d.month, d.day
    except ValueError:
        pass
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?", iso.strip())
    if not m or (m[2] and not 1 <= int(m[2]) <= 12):
        return None, None, None
    return int(m[1]), int(m[2]) if m[2] else None, None


def _apa_name(name: str) -> str:
    """'Mark Manantan' -> 'Manantan, M.'; 'Crystal A. Pryor' -> 'Pryor, C. A.'; an organisation stays as it is."""
    name = " ".join(name.split())
    if _ORGANISATION.search(name):
        return name
    if "," in name:
        surname, given = (p.strip() for p in name.split(",", 1))
    else:
        *given_names, surname = name.split(" ")
        given = " ".join(given_names)
    initials = " ".join(f"{g[0]}." for g in re.split(r"[\s.]+", given) if g and g[0].isalpha())
    return f"{surname}, {initials}" if initials else surname


def _apa_list(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    if len(names) > 20:  # APA: the first 19, an ellipsis, the last
        return ", ".join(names[:19]) + ", . . . " + names[-1]
    return ", ".join(names[:-1]) + ", & " + names[-1]


def _chicago_list(names: list[str]) -> str:
    if len(names) > 3:
        return f"{names[0]} et al."
    if len(names) == 3:
        return f"{names[0]}, {names[1]}, and {names[2]}"
    return " and ".join(names)


def _sentence_end(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "?", "!")) else text + "."
