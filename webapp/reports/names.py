"""The names a report shows: one place for them (the lead points this at the app's taxonomy later).

Slugs are the keys the counts use; the values are the Dutch names printed in a report.
"""

from __future__ import annotations

GEMEENTE_NAMES: dict[str, str] = {
    "oss": "Oss",
    "maashorst": "Maashorst",
    "meierijstad": "Meierijstad",
    "oirschot": "Oirschot",
    "geertruidenberg": "Geertruidenberg",
}

CATEGORY_NAMES: dict[str, str] = {
    "ontmoeting": "Ontmoeting",
    "dagontmoeting": "Dagontmoeting",
    "mantelzorg": "Mantelzorg",
    "eenzaamheid": "Eenzaamheid",
    "boodschappen-vervoer": "Boodschappen en vervoer",
    "klussen-thuis": "Klussen en thuis",
    "geld": "Geld",
    "formulieren-recht": "Formulieren en recht",
    "taal-digitaal": "Taal en digitaal",
    "nieuwkomers": "Nieuwkomers",
    "jongeren": "Jongeren",
    "opvoeden": "Opvoeden",
    "bewegen-gezond": "Bewegen en gezond",
    "psychisch": "Psychische gezondheid",
    "vrijwilligerswerk": "Vrijwilligerswerk",
    "buurtbemiddeling": "Buurtbemiddeling",
}

# The four routes of an answer, in the order a report lists them, with a short B1 name.
ROUTE_NAMES: dict[str, str] = {
    "voorziening": "Voorziening in de buurt",
    "wijkteam": "Naar het wijkteam",
    "spoed": "Spoed: hulplijnen eerst",
    "onbekend": "Geen vraag voor Dichtbij",
}
ROUTES: tuple[str, ...] = tuple(ROUTE_NAMES)

NO_GEMEENTE = "Gemeente niet bekend"
NO_KERN = "Kern niet bekend"
NO_CATEGORY = "Geen onderwerp"


def gemeente_name(slug: str) -> str:
    if not slug:
        return NO_GEMEENTE
    return GEMEENTE_NAMES.get(slug, slug)


def category_name(slug: str) -> str:
    if not slug:
        return NO_CATEGORY
    return CATEGORY_NAMES.get(slug, slug)


def kern_name(kern: str) -> str:
    return kern or NO_KERN
