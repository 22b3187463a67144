"""/vraag: the answer page. All conversation state is in the URL and hidden fields, never on the server."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Blueprint, render_template, request
from flask_babel import gettext as _

from ..answers import clean_gemeente, clean_question, contact_json
from ..api.ask import ask_data
from ..catalog import catalog
from ..errors import BadInput

bp = Blueprint("vraag", __name__)

FOLLOW_UPS = ("ja", "nee")


def field_errors(q: str | None, gemeente: str | None) -> list[tuple[str, str]]:
    """(field id, B1 message) for every field that cannot be used, question first."""
    errors: list[tuple[str, str]] = []
    try:
        clean_question(q)
    except BadInput as exc:
        errors.append(("q", str(exc.description)))
    try:
        clean_gemeente(gemeente)
    except BadInput as exc:
        errors.append(("gemeente", str(exc.description)))
    return errors


def mailto(contact: dict[str, Any], question: str, include_question: bool) -> str:
    """A prepared e-mail to the wijkteam; the question is in it only when the resident chose so."""
    lines = [_("Hallo,"), "", _("Ik heb een vraag. Kunnen jullie contact met mij opnemen?"), ""]
    if include_question:
        lines += [_("Mijn vraag:"), question, ""]
    lines += [_("Mijn naam:"), _("Mijn telefoonnummer:"), ""]
    subject = _("Vraag aan het wijkteam")
    body = "\r\n".join(lines)
    address = contact.get("email") or ""
    return f"mailto:{quote(address, safe='@')}?subject={quote(subject)}&body={quote(body)}"


@bp.get("/vraag")
def index() -> Any:
    q = request.args.get("q")
    gemeente = request.args.get("gemeente") or None
    errors = field_errors(q, gemeente)
    data: dict[str, Any] | None = None
    if not errors:
        try:
            data = ask_data(q, gemeente, request.args.get("lang"))
        except BadInput as exc:
            errors = [("q", str(exc.description))]
    if data is None:
        return render_template("vraag_fout.html", errors=errors, q=q or "", gemeente=gemeente or ""), 400

    question = clean_question(q)
    follow_up = request.args.get("vervolg") if request.args.get("vervolg") in FOLLOW_UPS else None
    route = data["route"]
    contact = data["contact"]
    if contact is None and (route == "wijkteam" or follow_up == "nee"):
        contact = contact_json(catalog(), data["gemeente"])
    include = request.args.get("mee") == "1"
    entries = catalog().entries
    cards = [(s, entries[s["slug"]]) for s in data["services"] if s["slug"] in entries]
    return render_template(
        "vraag.html",
        data=data,
        route=route,
        question=question,
        cards=cards,
        contact=contact,
        follow_up=follow_up,
        show_handoff=contact is not None and (route == "wijkteam" or follow_up == "nee"),
        include_question=include,
        mailto=mailto(contact, question, include) if contact and contact.get("gemeente") else "",
    )
