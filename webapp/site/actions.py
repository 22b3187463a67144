"""What a resident can do next with a voorziening: one rule for every card and detail page.

The first action fits how the entry says you join (`aanmelden`) and uses only what the entry really has:
Bel only with a number, Aanmelden only with a website or an e-mail address, Binnenlopen only with a fixed
address (and the next opening when hours are known). Without any of those the next step that does exist:
the organisation's website, the gemeente's website, or the wijkteam. A route or map link only with a fixed
address. Hours of demo entries are invented: the note says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_date, format_time
from flask_babel import gettext as _

from ..catalog import catalog
from ..content import Entry
from .helpers import address, now_local, tel, url
from .hours import is_open, next_opening


@dataclass(frozen=True)
class Action:
    kind: str  # bellen | aanmelden | mailen | binnenlopen | website | gemeente | wijkteam
    label: str
    href: str
    note: str = ""  # the opening for binnenlopen; why this step when there is no contact
    place: str = ""  # the address for binnenlopen: Dutch in any page language (the page isolates it)


def has_address(entry: Entry) -> bool:
    """A fixed place to walk in, route to or show on a map (not just a town)."""
    return bool(entry.adres) and entry.lat is not None and entry.lon is not None


def opening_note(entry: Entry) -> str:
    """ "Nu open" / "Nu dicht. Weer open op dinsdag om 17:30", marked as an example for demo entries."""
    now = now_local()
    state = is_open(entry.openingstijden, now)
    if state is None:
        return ""
    if state:
        text = _("Nu open.")
    else:
        nxt = next_opening(entry.openingstijden, now)
        if nxt is None:
            text = _("Nu dicht.")
        else:
            day, time = format_date(nxt, "EEEE"), format_time(nxt, "HH:mm")
            text = _("Nu dicht. Weer open op %(day)s om %(time)s.", day=day, time=time)
    if not entry.voorbeeld:
        return text
    example = _("Dit zijn voorbeeldtijden.")
    return f"{text} {example}"


def _call(entry: Entry) -> Action | None:
    if not entry.telefoon:
        return None
    return Action("bellen", _("Bel %(phone)s", phone=entry.telefoon), f"tel:{tel(entry.telefoon)}")


def _sign_up(entry: Entry) -> Action | None:
    if entry.website:
        return Action("aanmelden", _("Aanmelden op de website"), entry.website)
    if entry.email:
        return Action("mailen", _("Mail om je aan te melden"), f"mailto:{entry.email}")
    return None


def _walk_in(entry: Entry) -> Action | None:
    if not has_address(entry):
        return None
    href = url("voorziening.index", slug=entry.slug) + "#adres"
    return Action("binnenlopen", _("Loop binnen"), href, opening_note(entry), address(entry) + ".")


def _elsewhere(entry: Entry) -> Action:
    """No way to reach this voorziening itself yet: the next step that exists."""
    if entry.website:
        return Action("website", _("Naar de website"), entry.website, _("We hebben nog geen telefoonnummer."))
    info = catalog().gemeenten.get(entry.gemeente)
    note = _("We hebben nog geen contactgegevens van deze plek.")
    if info is not None and info.website:
        label = _("Vraag het de gemeente %(gemeente)s", gemeente=info.naam)
        return Action("gemeente", label, info.website, note)
    if info is not None:
        return Action("wijkteam", _("Vraag het wijkteam"), url("wijkteam.gemeente", gemeente=info.slug), note)
    return Action("wijkteam", _("Vraag het wijkteam"), url("wijkteam.index"), note)


def actions(entry: Entry) -> list[Action]:
    """Every step the entry allows, the one that fits how you join first; never an empty list."""
    order = {
        "bellen": (_call, _sign_up, _walk_in),
        "aanmelden": (_sign_up, _call, _walk_in),
        "binnenlopen": (_walk_in, _call, _sign_up),
    }.get(entry.aanmelden, (_call, _sign_up, _walk_in))
    found = [action for make in order if (action := make(entry)) is not None]
    return found or [_elsewhere(entry)]


def first_action(entry: Entry) -> Action:
    return actions(entry)[0]
