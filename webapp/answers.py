"""Turn a matcher Result into the answer a resident reads: B1 text, services, contact, emergency lines.

The JSON API and the answer page share this one function, so they never disagree.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from babel.lists import format_list
from flask import url_for
from flask_babel import LazyString, force_locale, get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from search.matcher import Match, Result

from . import gemeenten
from .catalog import Catalog
from .catalog import catalog as current_catalog
from .content import Entry
from .content.taxonomy import CATEGORY_BY_SLUG
from .emergency import Line, lines_for
from .errors import BadInput
from .i18n import DEFAULT, supported, translator

MAX_QUESTION = 500


def clean_question(raw: str | None) -> str:
    text = (raw or "").strip()
    if not text:
        raise BadInput(_("Typ eerst een vraag."))
    if len(text) > MAX_QUESTION:
        raise BadInput(_("Je vraag is te lang. Gebruik hoogstens %(max)s tekens.", max=MAX_QUESTION))
    if any(unicodedata.category(c) == "Cc" and c not in "\t\n\r" for c in text):
        raise BadInput(_("Je vraag bevat tekens die we niet kunnen lezen. Typ de vraag opnieuw."))
    return " ".join(text.split())


# The follow-up question for a vague question ("hulp", "ik zoek iets"): what is it about? Each choice narrows
# the search to a few categories. Carried in the form as `onderwerp`, never stored.
TOPICS: dict[str, tuple[LazyString, tuple[str, ...]]] = {
    "ontmoeten": (_l("Mensen ontmoeten of minder alleen zijn"), ("ontmoeting", "eenzaamheid")),
    "zorgen": (_l("Zorgen voor iemand"), ("mantelzorg", "dagontmoeting")),
    "geld": (_l("Geld, post en formulieren"), ("geld", "formulieren-recht")),
    "taal": (_l("Taal, computer of nieuw in Nederland"), ("taal-digitaal", "nieuwkomers")),
    "kinderen": (_l("Kinderen en jongeren"), ("opvoeden", "jongeren")),
    "gezond": (_l("Gezondheid en je goed voelen"), ("bewegen-gezond", "psychisch")),
    "thuis": (_l("Hulp in huis, boodschappen of vervoer"), ("klussen-thuis", "boodschappen-vervoer")),
    "buurt": (_l("Vrijwilligerswerk of de buurt"), ("vrijwilligerswerk", "buurtbemiddeling")),
}


def clean_topic(raw: str | None) -> tuple[str, ...]:
    """The categories of a follow-up choice; () when there is none."""
    if not raw:
        return ()
    if raw not in TOPICS:
        raise BadInput(_("Kies een van de onderwerpen in de lijst."))
    return TOPICS[raw][1]


def clean_gemeente(raw: str | None) -> str | None:
    """The slug of the gemeente `raw` names (its slug, name, another name or a kern: gemeenten.choose)."""
    choice = gemeenten.choose(raw, current_catalog())
    if choice.unknown:
        raise BadInput(unknown_gemeente(choice, current_catalog()))
    return choice.slug


def unknown_gemeente(choice: gemeenten.Choice, cat: Catalog) -> str:
    """Why a typed gemeente is not used: the names it is close to ("bedoel je ...?"), or the whole short
    list, or (with many gemeenten) a request to check the spelling."""
    if choice.suggestions:
        return _(
            "We kennen geen gemeente „%(naam)s”. Bedoel je %(namen)s?",
            naam=choice.typed,
            namen=format_list(list(choice.suggestions), style="or", locale=str(get_locale())),
        )
    if not gemeenten.many(cat):
        listed = ", ".join(gemeenten.names(cat).values())
        return _("Deze gemeente kennen we niet. Kies uit: %(list)s.", list=listed)
    return _("We kennen geen gemeente „%(naam)s”. Kijk of je de naam goed schreef.", naam=choice.typed)


def service_json(match: Match, entry: Entry, _: Callable[..., str] = _) -> dict[str, Any]:
    """`_`: the gettext to use (webapp.i18n.translator: once for all services of an answer)."""
    doc = match.document
    return {
        "slug": doc.slug,
        "title": doc.title,
        "samenvatting": doc.summary,
        "categories": list(doc.categories),
        "gemeente": doc.gemeente,
        "kern": entry.kernen[0] if len(entry.kernen) == 1 else (entry.plaats or None),
        "kernen": list(entry.kernen),
        "url": url_for("voorziening.index", slug=doc.slug, _external=False),
        "lat": doc.lat,
        "lon": doc.lon,
        "why": why_text(match, _),
        "gratis": entry.kosten.gratis,
        "kosten": entry.kosten.bedrag,
        "aanmelden": entry.aanmelden,
        "telefoon": entry.telefoon,
        "voorbeeld": entry.voorbeeld,
    }


def line_json(line: Line) -> dict[str, Any]:
    return {
        "key": line.key,
        "name": line.name,
        "phone": line.phone,
        "tel": line.tel,
        "when": str(line.when),
        "short": str(line.short),
        "url": line.url,
    }


def why_text(match: Match, _: Callable[..., str] = _) -> str:
    """What in the question made this entry fit: the resident's own words, the need, the kern."""
    why = match.why
    parts = []
    if why.words:
        parts.append(_("Past bij wat je schreef: %(words)s.", words=", ".join(why.words)))
    if why.need in CATEGORY_BY_SLUG:
        parts.append(_("Gaat over: %(need)s.", need=_(CATEGORY_BY_SLUG[why.need].label).lower()))
    if why.kern:
        parts.append(_("Dichtbij: in %(kern)s.", kern=why.kern))
    return " ".join(parts) or _("Past bij je vraag.")


def contact_json(catalog: Catalog, gemeente: str | None) -> dict[str, Any]:
    info = catalog.gemeenten.get(gemeente) if gemeente else None
    if info is None:
        # every wijkteam to choose from while the list is short; else the wijkteam page, which asks
        listed = [] if gemeenten.many(catalog) else [catalog.gemeenten[s] for s in gemeenten.names(catalog)]
        return {
            "gemeente": None,
            "name": _("Het wijkteam van je gemeente"),
            "phone": "",
            "url": url_for("wijkteam.index"),
            "how": _("Kies je gemeente. Dan zie je hoe je het wijkteam bereikt."),
            "options": [
                {
                    "gemeente": g.slug,
                    "name": g.wijkteam.naam,
                    "url": url_for("wijkteam.gemeente", gemeente=g.slug),
                }
                for g in listed
            ],
        }
    team = info.wijkteam
    return {
        "gemeente": info.slug,
        "gemeente_naam": info.naam,
        "name": team.naam,
        "organisation": team.organisatie,
        "phone": team.telefoon,
        "email": team.email,
        "website": team.website or info.website,
        "how": team.bereikbaarheid,
        "url": url_for("wijkteam.gemeente", gemeente=info.slug),
        "voorbeeld": team.voorbeeld,
    }


def answer_text(result: Result, catalog: Catalog, services: list[dict[str, Any]]) -> str:
    naam = catalog.gemeenten[result.gemeente].naam if result.gemeente in catalog.gemeenten else ""
    if result.route == "spoed":
        return _("Dit klinkt ernstig. Je hoeft dit niet alleen te doen. Bel nu een van deze nummers.")
    if result.route == "onbekend":
        if naam:
            return _(
                "Deze vraag gaat niet over hulp of zorg in de buurt. Daar kan ik je niet mee helpen. "
                "Kijk op de website van de gemeente %(gemeente)s. Of bel de gemeente.",
                gemeente=naam,
            )
        return _(
            "Deze vraag gaat niet over hulp of zorg in de buurt. Daar kan ik je niet mee helpen. "
            "Kijk op de website van je gemeente. Of bel de gemeente."
        )
    if result.elsewhere is not None:
        return elsewhere_text(result, catalog, services)
    if result.route == "wijkteam":
        return wijkteam_text(naam, services)
    return voorziening_text(result, naam, services)


def wijkteam_text(naam: str, services: list[dict[str, Any]]) -> str:
    parts = [
        _("Voor deze vraag kun je het beste naar het wijkteam van de gemeente %(gemeente)s.", gemeente=naam)
        if naam
        else _("Voor deze vraag kun je het beste naar het wijkteam van je gemeente."),
        _("Het wijkteam kijkt samen met jou wat je nodig hebt."),
        _("Soms is daarvoor een indicatie nodig. Dat regelt het wijkteam met je."),
        _("Hieronder staat hoe je het wijkteam bereikt."),
    ]
    if services:
        parts.append(_("Intussen kan dit je misschien helpen."))
    return " ".join(parts)


def voorziening_text(result: Result, naam: str, services: list[dict[str, Any]]) -> str:
    """What kind of help fits and why, what it costs, that no indicatie is needed, what to do next."""
    if result.vague:
        return _(
            "Je vraag is nog wat algemeen. Waar gaat het over? Kies hieronder een onderwerp. "
            "Dan zoek ik gerichter."
        )
    need = result.matches[0].why.need if result.matches else None
    parts = [
        _("Dit is hulp in %(gemeente)s die bij je vraag past.", gemeente=naam)
        if naam
        else _("Dit is hulp die bij je vraag past.")
    ]
    if need in CATEGORY_BY_SLUG:
        kind = str(_(CATEGORY_BY_SLUG[need].description)).rstrip(".")
        parts.append(_("Het gaat om: %(kind)s.", kind=kind[:1].lower() + kind[1:]))
    if services and all(s["gratis"] for s in services):
        parts.append(_("Deze hulp is gratis."))
    elif services:
        parts.append(_("Soms betaal je een kleine bijdrage. Dat staat bij de plek."))
    parts.append(_("Je hebt geen indicatie of verwijzing nodig."))
    parts.append(_("Bij elke plek staat wat je nu kunt doen."))
    if not naam:
        parts.append(_("In welke gemeente woon je? Dan zoek ik iets dicht bij jou."))
    return " ".join(parts)


def elsewhere_text(result: Result, catalog: Catalog, services: list[dict[str, Any]]) -> str:
    """The honest answer for a place outside our gemeenten: where to look instead, and the national
    help that is there for everyone."""
    assert result.elsewhere is not None
    place, gemeente = result.elsewhere.name, result.elsewhere.kern or result.elsewhere.name
    if gemeenten.many(catalog):  # a list of every gemeente would be longer than the answer
        text = _(
            "%(place)s ligt buiten ons gebied. "
            "Kijk voor %(place)s op de website van de gemeente %(gemeente)s.",
            place=place,
            gemeente=gemeente,
        )
    else:
        ours = format_list(list(gemeenten.names(catalog).values()), locale=str(get_locale()))
        text = _(
            "%(place)s ligt buiten ons gebied. Dichtbij kent alleen de hulp in %(ours)s. "
            "Kijk voor %(place)s op de website van de gemeente %(gemeente)s.",
            place=place,
            ours=ours,
            gemeente=gemeente,
        )
    if result.route == "wijkteam":
        text += " " + _("Vraag daar naar het wijkteam of het sociaal team.")
    elif services:
        text += " " + _("Deze hulp is er in heel Nederland.")
    return text


def follow_up_json() -> dict[str, Any]:
    """One follow-up question with a few choices: send the question again with `onderwerp`."""
    return {
        "question": _("Waar gaat je vraag over?"),
        "field": "onderwerp",
        "choices": [{"value": value, "label": str(label)} for value, (label, _categories) in TOPICS.items()],
    }


def answer(catalog: Catalog, result: Result, lang: str | None = None) -> dict[str, Any]:
    """The whole answer as plain data (the API's JSON body)."""
    locale = supported(lang) or supported(result.question.language) or DEFAULT
    with force_locale(locale):
        translate = translator()
        services = [service_json(m, catalog.entries[m.document.slug], translate) for m in result.matches]
        route = result.route
        if route == "voorziening" and not services and result.elsewhere is None:
            route = "onbekend"
        shown = replace(result, route=route)
        body: dict[str, Any] = {
            "route": route,
            "answer": answer_text(shown, catalog, services),
            "lang": locale,
            "question_language": result.question.language,
            "gemeente": result.gemeente,
            "gemeente_detected": result.gemeente_detected,
            "ask_gemeente": result.gemeente is None
            and result.elsewhere is None
            and route in ("voorziening", "wijkteam"),
            "elsewhere": None
            if result.elsewhere is None
            else {"place": result.elsewhere.name, "gemeente": result.elsewhere.kern},
            "services": services,
            "contact": contact_json(catalog, result.gemeente)
            if route in ("wijkteam", "onbekend") and result.elsewhere is None
            else None,
            "safety": None,
            "emergency": [],
            "follow_up": follow_up_json() if result.vague and route == "voorziening" else None,
        }
        body["safety"] = result.triage.safety
        if result.triage.safety is not None:
            body["emergency"] = [line_json(line) for line in lines_for(list(result.triage.emergency))]
        return body
