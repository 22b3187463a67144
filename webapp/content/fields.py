"""Small field checkers shared by the entry and gemeente schemas.

Each checker takes the raw YAML value and returns the cleaned value, or raises FieldError with a plain
Dutch message for the editor.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from datetime import date, datetime
from difflib import get_close_matches

TIME_RE = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")  # 09:30, 9:30, 9.30 (as in the CSV import)
POSTCODE_RE = re.compile(r"^[1-9]\d{3} ?[A-Z]{2}$")
PHONE_RE = re.compile(r"^(\+31|0)[0-9 \-]{8,14}$|^1[0-9]{2,3}$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$", re.IGNORECASE)
SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LANG_RE = re.compile(r"^[a-z]{2}$")


class FieldError(ValueError):
    """A field value an editor must fix; the message is shown as is."""


def text(value: object, *, min_len: int = 0, max_len: int | None = None) -> str:
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FieldError(f"moet tekst zijn, niet {type_name(value)}")
    out = str(value).strip()
    if len(out) < min_len:
        raise FieldError(f"is te kort ({len(out)} tekens; minstens {min_len})" if out else "is leeg")
    if max_len is not None and len(out) > max_len:
        raise FieldError(f"is te lang: {len(out)} tekens, maximaal {max_len}")
    return out


def text_list(
    value: object,
    *,
    allowed: Iterable[str] | None = None,
    min_items: int = 0,
    max_items: int | None = None,
    max_len: int | None = None,
) -> tuple[str, ...]:
    """A list of texts; every check is linear in the length of the list (a huge list fails fast)."""
    if value is None:
        value = []
    if isinstance(value, str):
        raise FieldError(f"moet een lijst zijn, zoals [{value}]")
    if not isinstance(value, list):
        raise FieldError(f"moet een lijst zijn, niet {type_name(value)}")
    if max_items is not None and len(value) > max_items:
        raise FieldError(f"gebruik hoogstens {max_items}, nu {len(value)}; kies de belangrijkste")
    items: list[str] = []
    for i, item in enumerate(value, start=1):
        if not isinstance(item, str | int) or isinstance(item, bool) or not str(item).strip():
            raise FieldError(f"onderdeel {i} moet tekst zijn, niet {type_name(item)}")
        item_text = str(item).strip()
        if max_len is not None and len(item_text) > max_len:
            raise FieldError(f"onderdeel {i} is te lang: {len(item_text)} tekens, maximaal {max_len}")
        items.append(item_text)
    if len(items) < min_items:
        raise FieldError(f"heeft minstens {min_items} onderdelen nodig")
    if allowed is not None:
        allowed = tuple(allowed)
        for item in items:
            if item not in allowed:
                raise FieldError(f"'{item}' bestaat niet.{hint(item, allowed)} Kies uit {', '.join(allowed)}")
    dubbel = sorted(item for item, count in Counter(items).items() if count > 1)
    if dubbel:
        raise FieldError(f"staat dubbel in de lijst: {', '.join(dubbel)}")
    return tuple(items)


def choice(value: object, allowed: Iterable[str]) -> str:
    allowed = tuple(allowed)
    if not isinstance(value, str) or value not in allowed:
        near = hint(value, allowed) if isinstance(value, str) else ""
        raise FieldError(f"'{value}' kan niet.{near} Kies uit {', '.join(allowed)}")
    return value


def boolean(value: object) -> bool:
    if not isinstance(value, bool):
        raise FieldError(f"moet true of false zijn, niet '{value}'")
    return value


def day(value: object, *, today: date | None = None) -> date:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value.strip())
        except ValueError:
            raise FieldError(
                f"'{value}' is geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2026-03-01"
            ) from None
    if not isinstance(value, date):
        raise FieldError(f"'{value}' is geen datum; schrijf JJJJ-MM-DD, bijvoorbeeld 2026-03-01")
    if today is not None and value > today:
        raise FieldError(f"{value.isoformat()} ligt in de toekomst")
    return value


def number(value: object, *, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise FieldError(f"moet een getal zijn, zoals 51.76, niet '{value}'")
    if not low <= float(value) <= high:
        raise FieldError(f"{value} ligt niet tussen {low} en {high}")
    return float(value)


def clock(value: object) -> str:
    """A time of day as "HH:MM"; 9:30 and 9.30 are read as 09:30."""
    if isinstance(value, int) and not isinstance(value, bool):
        # YAML 1.1 reads an unquoted 09:00 as the number 540 (minutes in base 60).
        raise FieldError('zet de tijd tussen aanhalingstekens, zoals "09:00"')
    if isinstance(value, float):
        value = f"{value:.2f}"  # an unquoted 9.30 is the number 9.3
    match = TIME_RE.match(value.strip()) if isinstance(value, str) else None
    if match is None:
        raise FieldError(f"'{value}' is geen tijd; schrijf UU:MM, zoals \"09:00\"")
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def hint(value: str, choices: Iterable[str]) -> str:
    """' bedoel je X?' for a near miss (other case, a typo), else ''."""
    options = list(choices)
    same = [c for c in options if c.casefold() == value.casefold()]
    close = same or get_close_matches(value.casefold(), options, n=1, cutoff=0.7)
    if not close:
        lowered = {c.casefold(): c for c in options}
        close = [lowered[c] for c in get_close_matches(value.casefold(), list(lowered), n=1, cutoff=0.7)]
    return f" Bedoel je {close[0]}?" if close else ""


def phone(value: object) -> str:
    out = text(value)
    if out and not PHONE_RE.match(out):
        raise FieldError(f"'{out}' is geen telefoonnummer; schrijf het zo: 0412-123456 of 0800-0113")
    return out


def email(value: object) -> str:
    out = text(value)
    if out and not EMAIL_RE.match(out):
        raise FieldError(f"'{out}' is geen e-mailadres")
    return out


def website(value: object) -> str:
    out = text(value)
    if out and not out.startswith("https://"):
        raise FieldError(f"'{out}' moet beginnen met https://")
    return out


def postcode(value: object) -> str:
    out = text(value)
    if out and not POSTCODE_RE.match(out):
        raise FieldError(f"'{out}' is geen postcode; schrijf het zo: 5341 AB")
    return out


def type_name(value: object) -> str:
    return {
        "str": "tekst",
        "int": "een getal",
        "float": "een getal",
        "bool": "true/false",
        "list": "een lijst",
        "dict": "een groep velden",
        "NoneType": "leeg",
        "date": "een datum",
    }.get(type(value).__name__, type(value).__name__)
