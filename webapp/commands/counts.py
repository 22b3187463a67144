"""`flask counts`: the privacy-safe question counts as a table, and `flask counts report`: the findability
report of one gemeente over a period, as one HTML file (webapp/reports)."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import click
from flask.cli import with_appcontext

from .. import storage
from ..catalog import content_service
from ..production.counts import QuestionCount, totals
from ..reports import CountRow, report_html
from ..reports.names import GEMEENTE_NAMES, ROUTES

ALL = "alle"


class InputError(click.ClickException):
    """A wrong option, told in Dutch (click's own "Error: Invalid value for" is English)."""

    exit_code = 2

    def show(self, file: Any = None) -> None:
        click.echo(f"Fout: {self.format_message()}", file=file, err=True)


@click.group("counts", invoke_without_command=True)
@click.option("--days", type=int, default=0, help="Only the last N days (default: everything).")
@with_appcontext
@click.pass_context
def counts_command(ctx: click.Context, days: int) -> None:
    """Questions per day, gemeente, kern, route and category (numbers only; no question is ever stored)."""
    if ctx.invoked_subcommand is not None:
        return
    since = date.today() - timedelta(days=days - 1) if days > 0 else None
    rows = totals(content_service().engine, since)
    click.echo(
        "dag         gemeente         kern             route        categorie              "
        "vragen  onbekend  geen match  ja  nee"
    )
    for r in rows:
        click.echo(
            f"{r.day.isoformat():<12}{(r.gemeente or '-'):<17}{(r.kern or '-')[:16]:<17}{r.route:<13}"
            f"{(r.category or '-'):<23}{r.questions:>6}{r.onbekend:>10}{r.no_match:>12}"
            f"{r.found_yes:>4}{r.found_no:>5}"
        )
    click.echo(f"totaal: {sum(r.questions for r in rows)} vragen")


def count_rows(rows: list[QuestionCount]) -> list[CountRow]:
    """The table's rows as the report reads them. A route the report does not know is left out (none is
    stored today); good_match never exceeds questions."""
    out = []
    for r in rows:
        if r.route not in ROUTES:
            continue
        out.append(
            CountRow(
                r.day,
                r.gemeente,
                r.kern,
                r.route,
                r.category,
                r.questions,
                min(r.good_match, r.questions),
                r.found_yes,
                r.found_no,
            )
        )
    return out


def read_date(option: str, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{option} '{value}' is geen goede datum. "
            "Schrijf de datum als jaar-maand-dag, bijvoorbeeld 2026-11-01."
        ) from None


@counts_command.command("report")
@click.option("--gemeente", required=True, help="De gemeente, bijvoorbeeld oss. Of 'alle'.")
@click.option("--from", "start_text", required=True, metavar="JJJJ-MM-DD", help="De eerste dag.")
@click.option("--to", "end_text", required=True, metavar="JJJJ-MM-DD", help="De laatste dag.")
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Het bestand. Standaard: vindbaarheid-GEMEENTE-VAN-TOT.html in deze map.",
)
@with_appcontext
def report_command(gemeente: str, start_text: str, end_text: str, output: Path | None) -> None:
    """Write the findability report of one gemeente over a period: one HTML file, no question in it."""
    start = read_date("--from", start_text)
    end = read_date("--to", end_text)
    if start > end:
        raise InputError(
            f"De eerste dag ({start.isoformat()}) ligt na de laatste dag ({end.isoformat()}). "
            "Draai --from en --to om."
        )
    engine = content_service().engine
    gemeenten = storage.read_content(engine).gemeenten
    slug = gemeente.strip().lower()
    if slug != ALL and slug not in GEMEENTE_NAMES and slug not in gemeenten:
        known = ", ".join(sorted(set(GEMEENTE_NAMES) | set(gemeenten)))
        raise InputError(f"De gemeente '{gemeente}' kennen we niet. Kies uit: {known}. Of kies '{ALL}'.")
    rows = count_rows(totals(engine, start, end))
    kernen = {g: [k.naam for k in info.kernen] for g, info in gemeenten.items()}
    html = report_html(rows, None if slug == ALL else slug, start, end, kernen=kernen)
    path = output or Path(f"vindbaarheid-{slug}-{start.isoformat()}-tot-{end.isoformat()}.html")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(html, encoding="utf-8")
    # No figure here: the report is where small counts are hidden.
    click.echo(f"Rapport geschreven: {path.resolve()}")
