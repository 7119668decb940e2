"""How an exception is told to a person: in one line."""
from __future__ import annotations


def first_line(exc: BaseException, limit: int = 160) -> str:
    """The first line of ``exc``'s message, cut to ``limit`` characters; "no detail" when it has none."""
    text = str(exc).strip()
    return text.splitlines()[0][:limit] if text else "no detail"
