"""/vraag: the answer page. The site's forms post the question, so it never lands in the address bar, the
browser history or a cache (Cache-Control: no-store); the follow-up forms carry it in hidden fields.
GET /vraag?q= keeps working for old links and the example questions. Nothing is stored on the server."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Blueprint, Response, make_response, render_template, request
from flask_babel import gettext as _

from ..answers import clean_gemeente, clean_question, contact_json
from ..api.ask import ask_data
from ..catalog import catalog
from ..errors import BadInput
from ..production import counts

bp = Blueprint("vraag", __name__)

FOLLOW_UPS = ("ja", "nee")
# The forms on an answer page that ask the same question again: "Was dit wat je zocht?" (ja, nee), the
# onderwerp of a vague question and the gemeente. None of them counts a second question.
REPEATS = (*FOLLOW_UPS, "onderwerp", "gemeente")
FOUND = {"ja": counts.FOUND_YES, "nee": counts.FOUND_NO}


def what_to_count(method: str, vervolg: str | None) -> str | None:
    """A new question counts once; a ja / nee post counts the click (posts only: a link never counts);
    the other follow-up forms count nothing."""
    if vervolg not in REPEATS:
        return counts.QUESTION
    return FOUND.get(vervolg) if method == "POST" else None


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
    """A prepared e-mail to the wijkteam (addressed when the address is known); with the question only when
    the resident chooses that link."""
    lines = [_("Hallo,"), "", _("Ik heb een vraag. Kunnen jullie contact met mij opnemen?"), ""]
    if include_question:
        lines += [_("Mijn vraag:"), question, ""]
    lines += [_("Mijn naam:"), _("Mijn telefoonnummer:"), ""]
    subject = _("Vraag aan het wijkteam")
    body = "\r\n".join(lines)
    address = contact.get("email") or ""
    return f"mailto:{quote(address, safe='@')}?subject={quote(subject)}&body={quote(body)}"


@bp.route("/vraag", methods=["GET", "POST"])
def index() -> Any:
    form = request.form if request.method == "POST" else request.args
    q = form.get("q")
    gemeente = form.get("gemeente") or None
    errors = field_errors(q, gemeente)
    data: dict[str, Any] | None = None
    if not errors:
        try:
            data = ask_data(
                q,
                gemeente,
                request.args.get("lang"),
                form.get("onderwerp"),
                count=what_to_count(request.method, form.get("vervolg")),
            )
        except BadInput as exc:
            errors = [("q", str(exc.description))]
    if data is None:
        page = render_template("vraag_fout.html", errors=errors, q=q or "", gemeente=gemeente or "")
        return private(make_response(page, 400))

    question = clean_question(q)
    follow_up = form.get("vervolg") if form.get("vervolg") in FOLLOW_UPS else None
    route = data["route"]
    contact = data["contact"]
    if contact is None and (route == "wijkteam" or follow_up == "nee"):
        contact = contact_json(catalog(), data["gemeente"])
    entries = catalog().entries
    cards = [(s, entries[s["slug"]]) for s in data["services"] if s["slug"] in entries]
    page = render_template(
        "vraag.html",
        data=data,
        route=route,
        question=question,
        cards=cards,
        contact=contact,
        follow_up=follow_up,
        show_handoff=contact is not None and (route == "wijkteam" or follow_up == "nee"),
        onderwerp=form.get("onderwerp") or "",
        mail=mail_links(contact, question),
    )
    return private(make_response(page))


def mail_links(contact: dict[str, Any] | None, question: str) -> dict[str, str]:
    """One step to an e-mail to the wijkteam: without and with the question; none without an address."""
    if not contact or not contact.get("email"):
        return {}
    return {"plain": mailto(contact, question, False), "with_question": mailto(contact, question, True)}


def private(response: Response) -> Response:
    """The answer page is never cached (the question is on it), nor kept for the back button."""
    response.headers["Cache-Control"] = "no-store"
    return response
