"""Typed, validated content: what the loader produces and storage and search consume."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a look) in a content file."""

    path: str
    field: str
    message: str
    line: int | None = None
    severity: str = "error"  # "error" blocks the file; "warning" does not

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        return f"{where}: {self.field}: {self.message}"


@dataclass(frozen=True)
class Opening:
    dag: str
    open: str
    dicht: str


@dataclass(frozen=True)
class Openingstijden:
    tijden: tuple[Opening, ...] = ()
    notitie: str = ""


@dataclass(frozen=True)
class Kosten:
    soort: str = "gratis"
    bedrag: str = ""

    @property
    def gratis(self) -> bool:
        return self.soort == "gratis"


@dataclass(frozen=True)
class Entry:
    """One voorziening (a service) as an editor wrote it."""

    slug: str
    path: str
    titel: str
    samenvatting: str
    categorieen: tuple[str, ...]
    gemeente: str  # a gemeente slug or "landelijk"
    organisatie: str
    kosten: Kosten
    aanmelden: str
    doelgroep: tuple[str, ...]
    laatst_gecontroleerd: date
    voorbeeld: bool
    trefwoorden: tuple[str, ...]
    body: str = ""
    kernen: tuple[str, ...] = ()
    wijk: str = ""
    adres: str = ""
    postcode: str = ""
    plaats: str = ""
    lat: float | None = None
    lon: float | None = None
    telefoon: str = ""
    email: str = ""
    website: str = ""
    openingstijden: Openingstijden = field(default_factory=Openingstijden)
    toegankelijkheid: tuple[str, ...] = ()
    talen: tuple[str, ...] = ("nl",)

    @property
    def landelijk(self) -> bool:
        return self.gemeente == "landelijk"


@dataclass(frozen=True)
class Wijk:
    naam: str
    lat: float
    lon: float


@dataclass(frozen=True)
class Kern:
    naam: str
    lat: float
    lon: float
    wijken: tuple[Wijk, ...] = ()
    ook: tuple[str, ...] = ()  # other names and spellings residents use: Rooi, Осс, أوس


@dataclass(frozen=True)
class Wijkteam:
    naam: str
    organisatie: str = ""
    telefoon: str = ""
    email: str = ""
    website: str = ""
    bereikbaarheid: str = ""
    voorbeeld: bool = True


@dataclass(frozen=True)
class GemeenteInfo:
    """A gemeente: its kernen and wijken, and its wijkteam / toegang."""

    slug: str
    path: str
    naam: str
    website: str
    wijkteam: Wijkteam
    kernen: tuple[Kern, ...]
    laatst_gecontroleerd: date
    voorbeeld: bool
    body: str = ""
    redactie_email: str = ""
    ook: tuple[str, ...] = ()  # other names residents use for the gemeente: Den Bosch, Den Haag

    def kern_names(self) -> set[str]:
        return {k.naam for k in self.kernen}

    def wijk_names(self) -> set[str]:
        return {w.naam for k in self.kernen for w in k.wijken}

    def points(self) -> list[tuple[str, float, float]]:
        out = [(k.naam, k.lat, k.lon) for k in self.kernen]
        out += [(w.naam, w.lat, w.lon) for k in self.kernen for w in k.wijken]
        return out
