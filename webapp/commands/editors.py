"""Editors' commands: `flask content b1 | stale | export | import` (`flask content new` is new_entry.py).

Messages are Dutch B1: the wijkteam editors read them.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from ..api import hsds
from ..catalog import content_service
from ..content import ContentSet, load_content, writer
from ..content.b1 import B1Result, average, check_entries
from ..content.checking import b1_summary_of
from ..content.csv_import import import_csv
from ..content.freshness import stale_entries

DIR_OPTION = click.option(
    "--dir", "content_dir", type=click.Path(path_type=Path), help="Content-map (standaard: config)."
)


def configured_content_dir() -> Path:
    return Path(current_app.config["CONTENT_DIR"])


def b1_results(content: ContentSet, content_dir: Path) -> list[B1Result]:
    return check_entries(content.entries, content_dir)


def b1_summary(results: list[B1Result]) -> str:
    """The part of the `content check` summary line about B1."""
    return b1_summary_of(sum(len(r.warnings) for r in results), average(results))


@click.command("b1")
@with_appcontext
@DIR_OPTION
@click.option("--details", is_flag=True, help="Toon ook elke waarschuwing.")
def b1_command(content_dir: Path | None, details: bool) -> None:
    """B1-score per voorziening (slechtste eerst) en het gemiddelde."""
    root = content_dir or configured_content_dir()
    content = load_content(root)
    results = sorted(b1_results(content, root), key=lambda r: (r.score, r.slug))
    for result in results:
        counts = f"{len(result.warnings)} waarschuwingen, {result.words} woorden"
        click.echo(f"{result.score:3d}  {result.path}  ({counts})")
        if details:
            for warning in result.warnings:
                click.echo(f"       {warning}")
    click.echo(f"{len(results)} voorzieningen, {b1_summary(results)}.")


@click.command("stale")
@with_appcontext
@click.option(
    "--months", type=click.IntRange(min=0), help="Ouder dan zoveel maanden (standaard: STALE_MONTHS)."
)
@DIR_OPTION
def stale_command(months: int | None, content_dir: Path | None) -> None:
    """Voorzieningen die lang niet gecontroleerd zijn, per gemeente en organisatie, oudste eerst."""
    root = content_dir or configured_content_dir()
    months = months if months is not None else int(current_app.config["STALE_MONTHS"])
    today = date.today()
    stale = stale_entries(load_content(root, today=today).entries, months, today)
    if not stale:
        click.echo(f"Alles is in de laatste {months} maanden gecontroleerd.")
        return
    groups: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for entry in stale:
        groups[entry.gemeente][entry.organisatie].append(entry)
    gemeente_order = sorted(
        groups, key=lambda g: min(e.laatst_gecontroleerd for o in groups[g].values() for e in o)
    )
    for gemeente in gemeente_order:
        click.echo(f"{gemeente}:")
        orgs = groups[gemeente]
        for org in sorted(orgs, key=lambda o: (orgs[o][0].laatst_gecontroleerd, o)):
            click.echo(f"  {org}:")
            for entry in orgs[org]:
                click.echo(f"    {entry.laatst_gecontroleerd.isoformat()}  {entry.path}")
    click.echo(f"{len(stale)} voorzieningen zijn langer dan {months} maanden niet gecontroleerd.")


@click.command("export")
@with_appcontext
@click.option("--hsds", "as_hsds", is_flag=True, required=True, help="Open Referral HSDS 3.0 JSON.")
@click.option("--output", "-o", type=click.Path(path_type=Path), help="Bestand (standaard: scherm).")
def export_command(as_hsds: bool, output: Path | None) -> None:
    """Alle voorzieningen als Open Referral HSDS 3.0 JSON."""
    catalog = content_service().catalog
    doc = hsds.export_document(list(catalog.entries.values()), catalog.gemeenten)
    text = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
        return
    writer.write_atomic(output, text)
    click.echo(f"{doc['total_items']} voorzieningen geschreven naar {output}.", err=True)


@click.command("import")
@with_appcontext
@click.option(
    "--csv", "csv_file", type=click.Path(path_type=Path, exists=True, dir_okay=False), required=True
)
@click.option("--dry-run", is_flag=True, help="Alleen controleren; niets schrijven.")
@click.option("--replace", is_flag=True, help="Bestaande bestanden met dezelfde naam vervangen.")
@DIR_OPTION
def import_command(csv_file: Path, dry_run: bool, replace: bool, content_dir: Path | None) -> None:
    """Voorzieningen uit een spreadsheet (CSV) halen: alles of niets."""
    root = content_dir or configured_content_dir()
    try:
        text = csv_file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        click.echo(f"{csv_file} is geen UTF-8; sla de spreadsheet op als 'CSV UTF-8'.", err=True)
        sys.exit(1)
    report = import_csv(text, root, dry_run=dry_run, replace=replace)
    for message in report.messages():
        click.echo(message, err=True)
    bad = len(report.bad_rows)
    if not report.ok:
        click.echo(
            f"{len(report.rows)} rijen gelezen, {bad} {'rij' if bad == 1 else 'rijen'} met fouten. "
            "Er is niets geschreven. Verbeter de rijen en probeer het opnieuw.",
            err=True,
        )
        sys.exit(1)
    if dry_run:
        click.echo(f"{len(report.rows)} rijen gelezen, alle rijen in orde. Niets geschreven (--dry-run).")
        return
    click.echo(f"{len(report.rows)} rijen gelezen, {len(report.written)} bestanden geschreven.")
    click.echo("Controleer ze en zet ze op de site met: flask content publish")
