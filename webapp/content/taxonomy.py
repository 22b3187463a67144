"""Fixed vocabularies of the content model: categories, gemeenten, languages and the controlled lists.

The category slugs are fixed (the evaluation and bookmarked URLs use them). The resident-facing Dutch texts
are written here once and marked for translation with N_; the site translates them where it shows them
(webapp/site/labels.py), while the HSDS export and the editors' commands use the Dutch as written.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(text: str) -> str:  # the gettext_noop convention: Babel extracts N_("...") by default
    """Mark a text for translation without translating it: the content model stays plain Dutch and
    Flask-free; `flask translate update` extracts the text, the site translates it when it shows it."""
    return text


@dataclass(frozen=True)
class Category:
    slug: str
    label: str
    description: str


CATEGORIES: tuple[Category, ...] = (
    Category("ontmoeting", N_("Ontmoeten"), N_("Buurthuis, wijkcentrum, dorpshuis, inloop en samen eten.")),
    Category(
        "dagontmoeting", N_("Dagontmoeting"), N_("Overdag samen zijn voor ouderen met geheugenproblemen.")
    ),
    Category(
        "mantelzorg", N_("Mantelzorg"), N_("Steun als je zorgt voor iemand: advies, even vrij, lotgenoten.")
    ),
    Category("eenzaamheid", N_("Minder alleen"), N_("Een maatje, huisbezoek of een telefooncirkel.")),
    Category(
        "boodschappen-vervoer",
        N_("Vervoer en boodschappen"),
        N_("Vrijwilligers die rijden of boodschappen doen."),
    ),
    Category(
        "klussen-thuis",
        N_("Hulp in en om huis"),
        N_("Klussen, tuin, hulpmiddelen lenen en veilig thuis wonen."),
    ),
    Category("geld", N_("Geld"), N_("Hulp bij schulden, budgetcoach, voedselbank en kledingbank.")),
    Category(
        "formulieren-recht",
        N_("Formulieren en recht"),
        N_("Hulp bij formulieren, brieven en juridische vragen."),
    ),
    Category(
        "taal-digitaal",
        N_("Taal en computer"),
        N_("Taalcafé, taalmaatje, lezen en schrijven, hulp met DigiD."),
    ),
    Category(
        "nieuwkomers",
        N_("Nieuw in Nederland"),
        N_("Hulp voor statushouders, arbeidsmigranten en inburgeraars."),
    ),
    Category("jongeren", N_("Jongeren"), N_("Jongerenwerk en plekken voor jongeren.")),
    Category("opvoeden", N_("Opvoeden"), N_("Vragen over kinderen en opvoeden, het consultatiebureau.")),
    Category(
        "bewegen-gezond", N_("Bewegen en gezond"), N_("Wandelgroepen, bewegen voor ouderen, gezond leven.")
    ),
    Category(
        "psychisch", N_("Je goed voelen"), N_("Inloop, lotgenoten en hulp als je somber of angstig bent.")
    ),
    Category(
        "vrijwilligerswerk", N_("Vrijwilligerswerk"), N_("Vrijwilligerswerk vinden en je dag zinvol vullen.")
    ),
    Category("buurtbemiddeling", N_("Buurtbemiddeling"), N_("Hulp bij ruzie of overlast met de buren.")),
)
CATEGORY_SLUGS: tuple[str, ...] = tuple(c.slug for c in CATEGORIES)
CATEGORY_BY_SLUG: dict[str, Category] = {c.slug: c for c in CATEGORIES}

# The gemeenten are data: one file content/gemeenten/<slug>.md each (content.loader.gemeente_slugs; the app
# reads them from its catalog). This tuple names the demo content's five for `flask content stats` only.
GEMEENTEN: tuple[str, ...] = ("oss", "maashorst", "meierijstad", "oirschot", "geertruidenberg")
LANDELIJK = "landelijk"
# Up to this many gemeenten a form offers them in a list (a <select>); with more, a text field that suggests
# names as you type (<datalist>) and a message that lists them would be too long to read.
FEW_GEMEENTEN = 12

AANMELDEN: dict[str, str] = {
    "binnenlopen": N_("Je kunt gewoon binnenlopen."),
    "bellen": N_("Bel eerst even."),
    "aanmelden": N_("Meld je eerst aan."),
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
DAGEN: tuple[str, ...] = (
    N_("maandag"),
    N_("dinsdag"),
    N_("woensdag"),
    N_("donderdag"),
    N_("vrijdag"),
    N_("zaterdag"),
    N_("zondag"),
)


@dataclass(frozen=True)
class LanguageName:
    own: str  # in the language itself, shown to residents (a speaker recognises their own)
    dutch: str  # in Dutch: the HSDS export's language.name


# The languages of the entries' `talen` (ISO 639-1) and of the site, by code.
LANGUAGE_NAMES: dict[str, LanguageName] = {
    "nl": LanguageName("Nederlands", "Nederlands"),
    "en": LanguageName("English", "Engels"),
    "de": LanguageName("Deutsch", "Duits"),
    "fr": LanguageName("Français", "Frans"),
    "pl": LanguageName("Polski", "Pools"),
    "tr": LanguageName("Türkçe", "Turks"),
    "ar": LanguageName("العربية", "Arabisch"),
    "uk": LanguageName("Українська", "Oekraïens"),
    "ru": LanguageName("Русский", "Russisch"),
    "ro": LanguageName("Română", "Roemeens"),
    "bg": LanguageName("Български", "Bulgaars"),
    "es": LanguageName("Español", "Spaans"),
    "pt": LanguageName("Português", "Portugees"),
    "so": LanguageName("Soomaali", "Somalisch"),
    "ti": LanguageName("ትግርኛ", "Tigrinya"),
    "fa": LanguageName("فارسی", "Perzisch"),
    "zh": LanguageName("中文", "Chinees"),
    "pap": LanguageName("Papiamentu", "Papiaments"),
}
