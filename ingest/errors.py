"""How an error is told to a person: in one line."""
from __future__ import annotations


def first_line(error: BaseException | str, limit: int = 160) -> str:
    """The first line of ``error`` (an exception's message, or a message), cut to ``limit`` characters; "no detail"
    when it is empty."""
    text = str(error).strip()
    return text.splitlines()[0][:limit] if text else "no detail"
