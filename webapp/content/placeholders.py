"""The example texts `flask content new` writes, and the check that none of them goes live.

The skeleton is a valid file on purpose (so an editor can open it and fill it in); `flask content check`
and `load` report a placeholder left in it as an error, as they report a body too short to help anyone.
"""

from __future__ import annotations

import re

SAMENVATTING = "Schrijf hier in één zin wat je er kunt doen."
BODY_LINES = (
    "Schrijf hier in gewone taal wat je hier kunt doen.",
    "Vertel ook voor wie het is.",
    "Gebruik korte zinnen. Schrijf tegen de lezer: je en jij.",
)
MIN_BODY_WORDS = 40  # a good text has 60 to 200 words
_WORD_RE = re.compile(r"[^\W_]+")


def is_placeholder(line: str) -> bool:
    text = " ".join(line.split())
    return text == SAMENVATTING or text in BODY_LINES or text.startswith("Schrijf hier ")


def placeholder_lines(body: str, first_line: int) -> list[int]:
    """File line numbers of the body lines that are still an example text."""
    return [first_line + i for i, line in enumerate(body.splitlines()) if is_placeholder(line)]


def word_count(text: str) -> int:
    return len(_WORD_RE.findall(text))
