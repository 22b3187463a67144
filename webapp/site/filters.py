"""The filters residents set on /categorie and /kaart: a kern and the checkboxes (gratis, zonder aanmelden,
rolstoel, nu open). A GET form that works without JavaScript: every filter is in the URL."""

from __future__ import annotations

from collections.abc import Mapping

from ..content import Entry
from . import helpers
from .hours import is_open

CHECKBOXES = ("gratis", "zonder", "rolstoel", "open")


def checked_boxes(args: Mapping[str, str]) -> dict[str, bool]:
    """{checkbox: ticked} from the query."""
    return {name: args.get(name) == "1" for name in CHECKBOXES}


def filtered(entries: list[Entry], kern: str | None, checked: dict[str, bool]) -> list[Entry]:
    """The entries that pass the kern and checkbox filters (shared by the list and the map)."""
    if kern:
        entries = [e for e in entries if serves_kern(e, kern)]
    if checked["gratis"]:
        entries = [e for e in entries if e.kosten.gratis]
    if checked["zonder"]:
        entries = [e for e in entries if e.aanmelden == "binnenlopen"]
    if checked["rolstoel"]:
        entries = [e for e in entries if "rolstoel" in e.toegankelijkheid]
    if checked["open"]:
        now = helpers.now_local()
        entries = [e for e in entries if is_open(e.openingstijden, now)]
    return entries


def serves_kern(entry: Entry, kern: str) -> bool:
    return entry.landelijk or not entry.kernen or kern in entry.kernen
