"""Resident-facing labels for the fixed vocabularies, marked for translation (lazy, resolved per request)."""

from __future__ import annotations

from flask_babel import LazyString, gettext
from flask_babel import lazy_gettext as _l

from ..content.taxonomy import AANMELDEN, CATEGORIES, DAGEN, LANGUAGE_NAMES


def translated(text: str) -> LazyString:
    """A Dutch text written (and marked with N_) in content/taxonomy.py, translated when it is shown."""
    return LazyString(gettext, text)


CATEGORY_LABELS: dict[str, LazyString] = {c.slug: translated(c.label) for c in CATEGORIES}
CATEGORY_DESCRIPTIONS: dict[str, LazyString] = {c.slug: translated(c.description) for c in CATEGORIES}

# How you join, in a sentence on the detail page (cards show the first action instead: site/actions.py).
AANMELDEN_LONG: dict[str, LazyString] = {key: translated(text) for key, text in AANMELDEN.items()}

DOELGROEPEN: dict[str, LazyString] = {
    "iedereen": _l("Iedereen"),
    "ouderen": _l("Ouderen"),
    "volwassenen": _l("Volwassenen"),
    "jongeren": _l("Jongeren"),
    "kinderen": _l("Kinderen"),
    "ouders": _l("Ouders"),
    "mantelzorgers": _l("Mantelzorgers"),
    "nieuwkomers": _l("Nieuwkomers"),
    "mensen-met-een-beperking": _l("Mensen met een beperking"),
    "mensen-met-dementie": _l("Mensen met dementie"),
    "vrijwilligers": _l("Vrijwilligers"),
}

TOEGANKELIJKHEID: dict[str, LazyString] = {
    "rolstoel": _l("Toegankelijk met een rolstoel"),
    "invalidentoilet": _l("Toilet voor mensen met een beperking"),
    "lift": _l("Er is een lift"),
    "ringleiding": _l("Er is een ringleiding"),
    "gehandicaptenparkeerplaats": _l("Parkeerplaats voor mensen met een beperking"),
    "hulphond-welkom": _l("Hulphond welkom"),
    "aan-huis": _l("Ze komen ook bij je thuis"),
}

WEEKDAYS: dict[str, LazyString] = {dag: translated(dag) for dag in DAGEN}


def category(slug: str) -> LazyString | str:
    return CATEGORY_LABELS.get(slug, slug)


def language(code: str) -> str:
    """A language's name in the language itself (not translated: a speaker recognises their own)."""
    name = LANGUAGE_NAMES.get(code)
    return name.own if name else code
