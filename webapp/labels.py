"""Resident-facing labels for the fixed vocabularies, marked for translation (lazy, resolved per request)."""

from __future__ import annotations

from flask_babel import LazyString
from flask_babel import lazy_gettext as _l

from .content.taxonomy import CATEGORY_SLUGS

CATEGORY_LABELS: dict[str, LazyString] = {
    "ontmoeting": _l("Ontmoeten"),
    "dagontmoeting": _l("Dagontmoeting"),
    "mantelzorg": _l("Mantelzorg"),
    "eenzaamheid": _l("Minder alleen"),
    "boodschappen-vervoer": _l("Vervoer en boodschappen"),
    "klussen-thuis": _l("Hulp in en om huis"),
    "geld": _l("Geld"),
    "formulieren-recht": _l("Formulieren en recht"),
    "taal-digitaal": _l("Taal en computer"),
    "nieuwkomers": _l("Nieuw in Nederland"),
    "jongeren": _l("Jongeren"),
    "opvoeden": _l("Opvoeden"),
    "bewegen-gezond": _l("Bewegen en gezond"),
    "psychisch": _l("Je goed voelen"),
    "vrijwilligerswerk": _l("Vrijwilligerswerk"),
    "buurtbemiddeling": _l("Buurtbemiddeling"),
}

CATEGORY_DESCRIPTIONS: dict[str, LazyString] = {
    "ontmoeting": _l("Buurthuis, wijkcentrum, dorpshuis, inloop en samen eten."),
    "dagontmoeting": _l("Overdag samen zijn voor ouderen met geheugenproblemen."),
    "mantelzorg": _l("Steun als je zorgt voor iemand: advies, even vrij, lotgenoten."),
    "eenzaamheid": _l("Een maatje, huisbezoek of een telefooncirkel."),
    "boodschappen-vervoer": _l("Vrijwilligers die rijden of boodschappen doen."),
    "klussen-thuis": _l("Klussen, tuin, hulpmiddelen lenen en veilig thuis wonen."),
    "geld": _l("Hulp bij schulden, budgetcoach, voedselbank en kledingbank."),
    "formulieren-recht": _l("Hulp bij formulieren, brieven en juridische vragen."),
    "taal-digitaal": _l("Taalcafé, taalmaatje, lezen en schrijven, hulp met DigiD."),
    "nieuwkomers": _l("Hulp voor statushouders, arbeidsmigranten en inburgeraars."),
    "jongeren": _l("Jongerenwerk en plekken voor jongeren."),
    "opvoeden": _l("Vragen over kinderen en opvoeden, het consultatiebureau."),
    "bewegen-gezond": _l("Wandelgroepen, bewegen voor ouderen, gezond leven."),
    "psychisch": _l("Inloop, lotgenoten en hulp als je somber of angstig bent."),
    "vrijwilligerswerk": _l("Vrijwilligerswerk vinden en je dag zinvol vullen."),
    "buurtbemiddeling": _l("Hulp bij ruzie of overlast met de buren."),
}

# Short badge on cards, and the longer sentence on the detail page.
AANMELDEN_SHORT: dict[str, LazyString] = {
    "binnenlopen": _l("Zonder aanmelden"),
    "bellen": _l("Bel eerst"),
    "aanmelden": _l("Aanmelden nodig"),
}
AANMELDEN_LONG: dict[str, LazyString] = {
    "binnenlopen": _l("Je kunt gewoon binnenlopen."),
    "bellen": _l("Bel eerst even."),
    "aanmelden": _l("Meld je eerst aan."),
}

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

WEEKDAYS: dict[str, LazyString] = {
    "maandag": _l("maandag"),
    "dinsdag": _l("dinsdag"),
    "woensdag": _l("woensdag"),
    "donderdag": _l("donderdag"),
    "vrijdag": _l("vrijdag"),
    "zaterdag": _l("zaterdag"),
    "zondag": _l("zondag"),
}

# Language names in their own language (not translated: a speaker recognises their own).
LANGUAGE_NAMES: dict[str, str] = {
    "nl": "Nederlands",
    "en": "English",
    "pl": "Polski",
    "tr": "Türkçe",
    "ar": "العربية",
    "uk": "Українська",
    "de": "Deutsch",
    "fr": "Français",
    "es": "Español",
    "ro": "Română",
    "bg": "Български",
    "so": "Soomaali",
    "ti": "ትግርኛ",
    "fa": "فارسی",
    "ru": "Русский",
    "pap": "Papiamentu",
}

assert set(CATEGORY_LABELS) == set(CATEGORY_SLUGS) == set(CATEGORY_DESCRIPTIONS)


def category(slug: str) -> LazyString | str:
    return CATEGORY_LABELS.get(slug, slug)
