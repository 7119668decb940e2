"""List positions spelled as words, as reports number their items ("First, ...") and readers point at them
("the second one")."""
from __future__ import annotations

ORDINALS = {w: n for n, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth".split(), start=1)}
# The words as a regular-expression alternation.
ORDINAL_PATTERN = "|".join(ORDINALS)
