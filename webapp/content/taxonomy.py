"""Fixed vocabularies of the content model: categories, gemeenten and the controlled lists.

The category slugs are fixed (the evaluation and bookmarked URLs use them). Labels and descriptions are
resident-facing Dutch; the webapp marks them for translation where it shows them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Category:
    slug: str
    label: str
    description: str


CATEGORIES: tuple[Category, ...] = (
    Category("ontmoeting", "Ontmoeten", "Buurthuis, wijkcentrum, dorpshuis, inloop en samen eten."),
    Category("dagontmoeting", "Dagontmoeting", "Overdag samen zijn voor ouderen met geheugenproblemen."),
    Category("mantelzorg", "Mantelzorg", "Steun als je zorgt voor iemand: advies, even vrij, lotgenoten."),
    Category("eenzaamheid", "Minder alleen", "Een maatje, huisbezoek of een telefooncirkel."),
    Category(
        "boodschappen-vervoer", "Vervoer en boodschappen", "Vrijwilligers die rijden of boodschappen doen."
    ),
    Category(
        "klussen-thuis", "Hulp in en om huis", "Klussen, tuin, hulpmiddelen lenen en veilig thuis wonen."
    ),
    Category("geld", "Geld", "Hulp bij schulden, budgetcoach, voedselbank en kledingbank."),
    Category(
        "formulieren-recht", "Formulieren en recht", "Hulp bij formulieren, brieven en juridische vragen."
    ),
    Category(
        "taal-digitaal", "Taal en computer", "Taalcafé, taalmaatje, lezen en schrijven, hulp met DigiD."
    ),
    Category(
        "nieuwkomers", "Nieuw in Nederland", "Hulp voor statushouders, arbeidsmigranten en inburgeraars."
    ),
    Category("jongeren", "Jongeren", "Jongerenwerk en plekken voor jongeren."),
    Category("opvoeden", "Opvoeden", "Vragen over kinderen en opvoeden, het consultatiebureau."),
    Category("bewegen-gezond", "Bewegen en gezond", "Wandelgroepen, bewegen voor ouderen, gezond leven."),
    Category("psychisch", "Je goed voelen", "Inloop, lotgenoten en hulp als je somber of angstig bent."),
    Category("vrijwilligerswerk", "Vrijwilligerswerk", "Vrijwilligerswerk vinden en je dag zinvol vullen."),
    Category("buurtbemiddeling", "Buurtbemiddeling", "Hulp bij ruzie of overlast met de buren."),
)
CATEGORY_SLUGS: tuple[str, ...] = tuple(c.slug for c in CATEGORIES)
CATEGORY_BY_SLUG: dict[str, Category] = {c.slug: c for c in CATEGORIES}

GEMEENTEN: tuple[str, ...] = ("oss", "maashorst", "meierijstad", "oirschot", "geertruidenberg")
LANDELIJK = "landelijk"

AANMELDEN: dict[str, str] = {
    "binnenlopen": "Je kunt gewoon binnenlopen.",
    "bellen": "Bel eerst even.",
    "aanmelden": "Meld je eerst aan.",
}
KOSTEN_SOORTEN: tuple[str, ...] = ("gratis", "eigen-bijdrage")
DOELGROEPEN: tuple[str, ...] = (
    "iedereen",
    "ouderen",
    "volwassenen",
    "jongeren",
    "kinderen",
    "ouders",
    "mantelzorgers",
    "nieuwkomers",
    "mensen-met-een-beperking",
    "mensen-met-dementie",
    "vrijwilligers",
)
TOEGANKELIJKHEID: tuple[str, ...] = (
    "rolstoel",
    "invalidentoilet",
    "lift",
    "ringleiding",
    "gehandicaptenparkeerplaats",
    "hulphond-welkom",
    "aan-huis",
)
DAGEN: tuple[str, ...] = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
