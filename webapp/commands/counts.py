"""`flask counts`: the privacy-safe question counts, per day, gemeente, route and category."""

from __future__ import annotations

from datetime import date, timedelta

import click
from flask.cli import with_appcontext

from ..catalog import content_service
from ..production.counts import totals


@click.command("counts")
@with_appcontext
@click.option("--days", type=int, default=0, help="Only the last N days (default: everything).")
def counts_command(days: int) -> None:
    """Questions per day, gemeente, route and category (numbers only; no question is ever stored)."""
    since = date.today() - timedelta(days=days - 1) if days > 0 else None
    rows = totals(content_service().engine, since)
    click.echo(
        "dag         gemeente         route        categorie              vragen  onbekend  geen match"
    )
    for r in rows:
        click.echo(
            f"{r.day.isoformat():<12}{(r.gemeente or '-'):<17}{r.route:<13}{(r.category or '-'):<23}"
            f"{r.questions:>6}{r.onbekend:>10}{r.no_match:>12}"
        )
    click.echo(f"totaal: {sum(r.questions for r in rows)} vragen")
