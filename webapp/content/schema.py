"""Validate parsed front matter into Entry and GemeenteInfo objects, collecting every problem at once."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any, TypeVar

from . import fields as f
from . import placeholders
from .frontmatter import Parsed
from .models import (
    Entry,
    GemeenteInfo,
    Kern,
    Kosten,
    Opening,
    Openingstijden,
    Problem,
    Wijk,
    Wijkteam,
)
from .taxonomy import (
    AANMELDEN,
    CATEGORY_SLUGS,
    DAGEN,
    DOELGROEPEN,
    KOSTEN_SOORTEN,
    LANDELIJK,
    TOEGANKELIJKHEID,
)

T = TypeVar("T")
_NONE: tuple[str, ...] = ()

SAMENVATTING_MAX = 160
MAX_KM_FROM_KERN = 8.0
TEKST_MAX = 6000  # characters of the body: a good text has 60 to 200 words (about 1,500 characters)
TREFWOORDEN_MAX = 30
TREFWOORD_MAX = 60  # characters of one trefwoord

ENTRY_FIELDS: dict[str, bool] = {  # field -> required
    "titel": True,
    "samenvatting": True,
    "categorieen": True,
    "gemeente": True,
    "kernen": False,
    "wijk": False,
    "organisatie": True,
    "adres": False,
    "postcode": False,
    "plaats": False,
    "lat": False,
    "lon": False,
    "telefoon": False,
    "email": False,
    "website": False,
    "openingstijden": False,
    "kosten": True,
    "aanmelden": True,
    "doelgroep": True,
    "toegankelijkheid": False,
    "talen": False,
    "laatst_gecontroleerd": True,
    "voorbeeld": True,
    "trefwoorden": True,
}

GEMEENTE_FIELDS: dict[str, bool] = {
    "naam": True,
    "ook": False,
    "website": True,
    "redactie_email": False,
    "wijkteam": True,
    "kernen": True,
    "laatst_gecontroleerd": True,
    "voorbeeld": True,
}
WIJKTEAM_FIELDS = ("naam", "organisatie", "telefoon", "email", "website", "bereikbaarheid", "voorbeeld")


class _Collector:
    """Reads fields from parsed front matter; every failure becomes a Problem, never an exception."""

    def __init__(self, path: str, parsed: Parsed, known: dict[str, bool]) -> None:
        self.path = path
        self.parsed = parsed
        self.problems: list[Problem] = []
        for key in parsed.data:
            if key not in known:
                self.add(key, f"dit veld bestaat niet; bedoel je een van: {', '.join(_close(key, known))}?")
        for key, required in known.items():
            if required and _missing(parsed.data.get(key)):
                self.add(key, "dit veld is verplicht en ontbreekt", line=parsed.key_lines.get(key) or 1)

    def add(self, field: str, message: str, line: int | None = None) -> None:
        top = field.split(".")[0].split("[")[0]
        self.problems.append(Problem(self.path, field, message, line or self.parsed.key_lines.get(top)))

    def problems_for(self, *names: str) -> bool:
        return any(p.field in names for p in self.problems)

    def get(self, name: str, check: Callable[[Any], T], default: T) -> T:
        raw = self.parsed.data.get(name)
        if _missing(raw):
            return default
        try:
            return check(raw)
        except f.FieldError as exc:
            self.add(name, str(exc))
            return default


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, str | list | dict) and len(value) == 0)


def _close(key: str, known: dict[str, bool]) -> list[str]:
    from difflib import get_close_matches

    return get_close_matches(key, list(known), n=3, cutoff=0.5) or sorted(known)[:6]


def km_between(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    rad = math.radians
    dlat, dlon = rad(lat2 - lat1), rad(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(rad(lat1)) * math.cos(rad(lat2)) * math.sin(dlon / 2) ** 2
    return 6371.0 * 2 * math.asin(math.sqrt(a))


def check_entry(
    path: str,
    slug: str,
    folder: str,
    parsed: Parsed,
    gemeenten: dict[str, GemeenteInfo],
    today: date,
    *,
    draft: bool = False,
    known: Iterable[str] | None = None,
) -> tuple[Entry | None, list[Problem]]:
    """Validate one voorziening; returns (entry or None, problems).

    `known`: the folders an entry may name as its gemeente (every gemeente file, also a broken one, and
    landelijk); by default the valid gemeenten in `gemeenten` and landelijk.

    A draft (the skeleton `flask content new` writes) may still hold the example texts and a short body.
    """
    c = _Collector(path, parsed, ENTRY_FIELDS)
    if not f.SLUG_RE.match(slug):
        c.add("bestandsnaam", f"'{slug}' mag alleen kleine letters, cijfers en streepjes hebben", line=1)

    titel = c.get("titel", lambda v: f.text(v, min_len=3, max_len=80), "")
    samenvatting = c.get("samenvatting", lambda v: f.text(v, max_len=SAMENVATTING_MAX), "")
    categorieen = c.get("categorieen", lambda v: f.text_list(v, allowed=CATEGORY_SLUGS, min_items=1), _NONE)
    if len(categorieen) > 3:
        c.add("categorieen", f"kies hoogstens 3 categorieën, nu {len(categorieen)}")
    allowed = tuple(known) if known is not None else (*gemeenten, LANDELIJK)
    gemeente = c.get("gemeente", lambda v: f.choice(v, allowed), "")
    if gemeente and gemeente != folder:
        c.add("gemeente", f"'{gemeente}' past niet bij de map '{folder}'; zet het bestand in de goede map")
    info = gemeenten.get(gemeente)
    kernen, wijk = _kernen_and_wijk(c, gemeente, info)
    location = _location(c, gemeente, info)
    telefoon = c.get("telefoon", f.phone, "")
    email = c.get("email", f.email, "")
    website = c.get("website", f.website, "")
    openingstijden = _openingstijden(c)
    kosten = _kosten(c)
    aanmelden = c.get("aanmelden", lambda v: f.choice(v, AANMELDEN), "")
    doelgroep = c.get("doelgroep", lambda v: f.text_list(v, allowed=DOELGROEPEN, min_items=1), _NONE)
    toegankelijkheid = c.get("toegankelijkheid", lambda v: f.text_list(v, allowed=TOEGANKELIJKHEID), _NONE)
    talen = _talen(c)
    laatst = c.get("laatst_gecontroleerd", lambda v: f.day(v, today=today), date.min)
    voorbeeld = c.get("voorbeeld", f.boolean, False)
    trefwoorden = c.get(
        "trefwoorden",
        lambda v: f.text_list(v, min_items=3, max_items=TREFWOORDEN_MAX, max_len=TREFWOORD_MAX),
        _NONE,
    )
    if not parsed.body.strip():
        c.add("tekst", "onder de velden hoort een korte uitleg in gewone taal", line=parsed.body_line)
    _check_body_length(c)
    if not draft:
        _check_filled_in(c, samenvatting)

    if c.problems:
        return None, c.problems
    entry = Entry(
        slug=slug,
        path=path,
        titel=titel,
        samenvatting=samenvatting,
        categorieen=categorieen,
        gemeente=gemeente,
        organisatie=c.get("organisatie", f.text, ""),
        kosten=kosten,
        aanmelden=aanmelden,
        doelgroep=doelgroep,
        laatst_gecontroleerd=laatst,
        voorbeeld=voorbeeld,
        trefwoorden=trefwoorden,
        body=parsed.body,
        kernen=kernen,
        wijk=wijk,
        **location,
        telefoon=telefoon,
        email=email,
        website=website,
        openingstijden=openingstijden,
        toegankelijkheid=toegankelijkheid,
        talen=talen,
    )
    return entry, c.problems


def _check_filled_in(c: _Collector, samenvatting: str) -> None:
    """No example text of `flask content new` goes live, nor a text too short to help anyone."""
    if samenvatting and placeholders.is_placeholder(samenvatting):
        c.add("samenvatting", "dit is nog de voorbeeldzin; schrijf in één zin wat je er kunt doen")
    found = placeholders.placeholder_lines(c.parsed.body, c.parsed.body_line)
    for line in found:
        c.add("tekst", "dit is nog voorbeeldtekst; vervang hem door je eigen uitleg", line=line)
    words = placeholders.word_count(c.parsed.body)
    if c.parsed.body.strip() and not found and words < placeholders.MIN_BODY_WORDS:
        c.add(
            "tekst",
            f"is te kort: {words} woorden, minstens {placeholders.MIN_BODY_WORDS}. Vertel wat er gebeurt, "
            "voor wie het is, hoe je meedoet en wat het kost (60 tot 200 woorden)",
            line=c.parsed.body_line,
        )


def _check_body_length(c: _Collector) -> None:
    """The text under the fields has a limit: a long text is hard to read and slow to serve."""
    length = len(c.parsed.body)
    if length > TEKST_MAX:
        c.add(
            "tekst",
            f"is te lang: {length} tekens, maximaal {TEKST_MAX}; "
            "een goede tekst heeft 60 tot 200 woorden. Maak hem korter",
            line=c.parsed.body_line,
        )


def _kernen_and_wijk(c: _Collector, gemeente: str, info: GemeenteInfo | None) -> tuple[tuple[str, ...], str]:
    """The kernen and the wijk, each one of the gemeente's (a landelijk entry has neither)."""
    kernen = c.get("kernen", f.text_list, _NONE)
    wijk = c.get("wijk", f.text, "")
    if gemeente == LANDELIJK and kernen:
        c.add("kernen", "een landelijke voorziening heeft geen kernen; laat de lijst leeg: []")
    if info is None:
        return kernen, wijk
    for kern in kernen:
        if kern not in info.kern_names():
            c.add("kernen", not_a_kern(kern, info))
    wijken = {w.naam for k in info.kernen if not kernen or k.naam in kernen for w in k.wijken}
    if wijk and wijk not in wijken:
        where = f"{info.naam} ({', '.join(kernen)})" if kernen else info.naam
        near = f.hint(wijk, info.wijk_names())
        c.add(
            "wijk", f"'{wijk}' is geen wijk van {where}.{near} Kies uit {', '.join(sorted(wijken)) or 'geen'}"
        )
    return kernen, wijk


def not_a_kern(kern: str, info: GemeenteInfo) -> str:
    """Why a name is not one of the gemeente's kernen, with the likely fix."""
    choices = ", ".join(sorted(info.kern_names()))
    for k in info.kernen:
        if any(w.naam.casefold() == kern.casefold() for w in k.wijken):
            return f"'{kern}' is een wijk van {k.naam}, geen kern. Schrijf kernen: [{k.naam}] en wijk: {kern}"
        if any(other.casefold() == kern.casefold() for other in k.ook):
            return f"'{kern}' is een andere naam voor {k.naam}. Schrijf kernen: [{k.naam}]"
    return f"'{kern}' is geen kern van {info.naam}.{f.hint(kern, info.kern_names())} Kies uit {choices}"


def _location(c: _Collector, gemeente: str, info: GemeenteInfo | None) -> dict[str, Any]:
    """adres, postcode, plaats, lat and lon; the point must lie near one of the gemeente's kernen."""
    adres = c.get("adres", f.text, "")
    postcode = c.get("postcode", f.postcode, "")
    plaats = c.get("plaats", f.text, "")
    lat = c.get("lat", lambda v: f.number(v, low=50.7, high=53.6), None)
    lon = c.get("lon", lambda v: f.number(v, low=3.3, high=7.3), None)
    if (lat is None) != (lon is None) and not c.problems_for("lat", "lon"):
        c.add("lat" if lat is None else "lon", "geef lat en lon allebei, of allebei niet")
    if lat is not None and lon is not None and info is not None and info.kernen:
        name, km = min(((n, km_between(lat, lon, la, lo)) for n, la, lo in info.points()), key=lambda t: t[1])
        if km > MAX_KM_FROM_KERN:
            c.add(
                "lat",
                f"het punt ({lat}, {lon}) ligt {km:.0f} km van {name}, buiten {info.naam}; "
                "staan lat en lon goed, of niet omgewisseld?",
            )
    if gemeente == LANDELIJK and (adres or lat is not None):
        c.add("adres", "een landelijke voorziening heeft geen adres of lat/lon")
    return {"adres": adres, "postcode": postcode, "plaats": plaats, "lat": lat, "lon": lon}


def _talen(c: _Collector) -> tuple[str, ...]:
    talen: tuple[str, ...] = c.get("talen", f.text_list, ("nl",))
    for taal in talen:
        if not f.LANG_RE.match(taal):
            c.add("talen", f"'{taal}' is geen taalcode; gebruik twee letters, zoals nl, en, pl, tr, ar, uk")
    return talen


def _openingstijden(c: _Collector) -> Openingstijden:
    raw = c.parsed.data.get("openingstijden")
    if _missing(raw):
        return Openingstijden()
    if not isinstance(raw, dict):
        c.add("openingstijden", "moet een groep zijn met 'tijden' (lijst) en/of 'notitie' (tekst)")
        return Openingstijden()
    for key in raw:
        if key not in ("tijden", "notitie"):
            c.add(f"openingstijden.{key}", "dit veld bestaat niet; gebruik 'tijden' en 'notitie'")
    tijden: list[Opening] = []
    raw_tijden = raw.get("tijden") or []
    if not isinstance(raw_tijden, list):
        c.add("openingstijden.tijden", "moet een lijst zijn van {dag, open, dicht}")
        raw_tijden = []
    for i, item in enumerate(raw_tijden, start=1):
        name = f"openingstijden.tijden[{i}]"
        if not isinstance(item, dict) or set(item) != {"dag", "open", "dicht"}:
            c.add(name, 'schrijf elke regel als {dag: maandag, open: "09:00", dicht: "12:00"}')
            continue
        try:
            dag = f.choice(item["dag"], DAGEN)
            opens, closes = f.clock(item["open"]), f.clock(item["dicht"])
        except f.FieldError as exc:
            c.add(name, str(exc))
            continue
        if closes <= opens:
            c.add(name, f"{dag}: 'dicht' ({closes}) moet later zijn dan 'open' ({opens})")
            continue
        tijden.append(Opening(dag, opens, closes))
    try:
        notitie = f.text(raw.get("notitie"), max_len=300)
    except f.FieldError as exc:
        c.add("openingstijden.notitie", str(exc))
        notitie = ""
    return Openingstijden(tuple(tijden), notitie)


def _kosten(c: _Collector) -> Kosten:
    raw = c.parsed.data.get("kosten")
    if _missing(raw):
        return Kosten()
    if not isinstance(raw, dict):
        c.add("kosten", "moet een groep zijn: soort (gratis of eigen-bijdrage) en bedrag")
        return Kosten()
    for key in raw:
        if key not in ("soort", "bedrag"):
            c.add(f"kosten.{key}", "dit veld bestaat niet; gebruik 'soort' en 'bedrag'")
    try:
        soort = f.choice(raw.get("soort"), KOSTEN_SOORTEN)
        bedrag = f.text(raw.get("bedrag"), max_len=80)
    except f.FieldError as exc:
        c.add("kosten", str(exc))
        return Kosten()
    if soort == "gratis" and bedrag:
        c.add("kosten.bedrag", "bij 'gratis' hoort geen bedrag")
    if soort == "eigen-bijdrage" and not bedrag:
        c.add("kosten.bedrag", "schrijf het bedrag, zoals '€ 2,50 per keer'")
    return Kosten(soort, bedrag)


def check_gemeente(
    path: str, slug: str, parsed: Parsed, today: date
) -> tuple[GemeenteInfo | None, list[Problem]]:
    c = _Collector(path, parsed, GEMEENTE_FIELDS)
    if not f.SLUG_RE.match(slug) or slug == LANDELIJK:
        c.add("bestandsnaam", f"'{slug}' kan niet: gebruik kleine letters, cijfers en streepjes", line=1)
    naam = c.get("naam", lambda v: f.text(v, min_len=2), "")
    ook = c.get("ook", lambda v: f.text_list(v, max_len=80), _NONE)
    website = c.get("website", f.website, "")
    redactie_email = c.get("redactie_email", f.email, "")
    laatst = c.get("laatst_gecontroleerd", lambda v: f.day(v, today=today), date.min)
    voorbeeld = c.get("voorbeeld", f.boolean, False)
    wijkteam = _wijkteam(c)
    kernen = _kernen(c)
    _check_body_length(c)
    if c.problems or wijkteam is None:
        return None, c.problems
    info = GemeenteInfo(
        slug=slug,
        path=path,
        naam=naam,
        ook=ook,
        website=website,
        wijkteam=wijkteam,
        kernen=kernen,
        laatst_gecontroleerd=laatst,
        voorbeeld=voorbeeld,
        body=parsed.body,
        redactie_email=redactie_email,
    )
    return info, c.problems


def _wijkteam(c: _Collector) -> Wijkteam | None:
    raw = c.parsed.data.get("wijkteam")
    if not isinstance(raw, dict):
        if not _missing(raw):
            c.add("wijkteam", "moet een groep zijn met naam, organisatie, telefoon, email, website, ...")
        return None
    for key in raw:
        if key not in WIJKTEAM_FIELDS:
            c.add(f"wijkteam.{key}", f"dit veld bestaat niet; kies uit {', '.join(WIJKTEAM_FIELDS)}")
    checks: dict[str, Callable[[Any], Any]] = {
        "naam": lambda v: f.text(v, min_len=2),
        "organisatie": f.text,
        "telefoon": f.phone,
        "email": f.email,
        "website": f.website,
        "bereikbaarheid": f.text,
        "voorbeeld": lambda v: True if v is None else f.boolean(v),
    }
    values: dict[str, Any] = {}
    for key, check in checks.items():
        try:
            values[key] = check(raw.get(key))
        except f.FieldError as exc:
            c.add(f"wijkteam.{key}", str(exc))
    if len(values) != len(checks):
        return None
    return Wijkteam(**values)


def _place(c: _Collector, name: str, raw: object) -> tuple[str, float, float] | None:
    if not isinstance(raw, dict):
        c.add(name, "schrijf elke plaats als {naam: ..., lat: ..., lon: ...}")
        return None
    try:
        return (
            f.text(raw.get("naam"), min_len=2),
            f.number(raw.get("lat"), low=50.7, high=53.6),
            f.number(raw.get("lon"), low=3.3, high=7.3),
        )
    except f.FieldError as exc:
        c.add(name, str(exc))
        return None


def _kernen(c: _Collector) -> tuple[Kern, ...]:
    raw = c.parsed.data.get("kernen")
    if not isinstance(raw, list):
        if not _missing(raw):
            c.add("kernen", "moet een lijst van kernen zijn")
        return ()
    kernen: list[Kern] = []
    seen: set[str] = set()
    for i, item in enumerate(raw, start=1):
        place = _place(c, f"kernen[{i}]", item)
        if place is None or not isinstance(item, dict):
            continue
        wijken: list[Wijk] = []
        for j, w in enumerate(item.get("wijken") or [], start=1):
            wp = _place(c, f"kernen[{i}].wijken[{j}]", w)
            if wp is not None:
                wijken.append(Wijk(*wp))
        if place[0] in seen:
            c.add(f"kernen[{i}]", f"'{place[0]}' staat dubbel")
        seen.add(place[0])
        wijk_counts = Counter(w.naam for w in wijken)
        for name in sorted(n for n, count in wijk_counts.items() if count > 1):
            c.add(f"kernen[{i}].wijken", f"'{name}' staat dubbel")
        ook = item.get("ook") or []
        if not isinstance(ook, list) or not all(isinstance(n, str) and len(n.strip()) >= 2 for n in ook):
            c.add(f"kernen[{i}].ook", "schrijf andere namen als een lijst: ook: [Rooi, Oedenrode]")
            ook = []
        kernen.append(Kern(place[0], place[1], place[2], tuple(wijken), tuple(n.strip() for n in ook)))
    return tuple(kernen)
