"""Editors' commands: `flask content b1 | stale | export | import` (`flask content new` is new_entry.py).

Messages are Dutch B1: the wijkteam editors read them. An import shows a progress bar on a terminal
(progress.py): rows checked, then files written.
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
from ..api.hsds_import import HsdsError, import_hsds
from ..catalog import content_service
from ..content import ContentSet, load_content, writer
from ..content.b1 import B1Result, average, check_entries
from ..content.checking import b1_summary_of
from ..content.csv_import import ImportReport, import_csv
from ..content.fields import hint
from ..content.freshness import stale_entries
from ..content.loader import gemeente_slugs
from ..content.taxonomy import FEW_GEMEENTEN, LANDELIJK
from . import progress

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
@click.option("--csv", "csv_file", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.option(
    "--hsds",
    "hsds_source",
    type=click.Path(path_type=Path, exists=True),
    help="HSDS 3.0: een JSON-bestand (zoals /api/v1/services), een map met JSON, of een datapackage-map.",
)
@click.option(
    "--mapping", type=click.Path(path_type=Path, dir_okay=False), help="HSDS: termen -> categorieën."
)
@click.option("--gemeente", help="HSDS: zet alle voorzieningen in deze gemeente.")
@click.option("--dry-run", is_flag=True, help="Alleen controleren; niets schrijven.")
@click.option("--replace", is_flag=True, help="Bestaande bestanden met dezelfde naam vervangen.")
@DIR_OPTION
def import_command(
    csv_file: Path | None,
    hsds_source: Path | None,
    mapping: Path | None,
    gemeente: str | None,
    dry_run: bool,
    replace: bool,
    content_dir: Path | None,
) -> None:
    """Voorzieningen uit een spreadsheet (CSV) of uit Open Referral HSDS halen: alles of niets."""
    root = content_dir or configured_content_dir()
    if (csv_file is None) == (hsds_source is None):
        click.echo("Kies één bron: --csv BESTAND of --hsds BESTAND|MAP.", err=True)
        sys.exit(2)
    if hsds_source is not None:
        _import_hsds(hsds_source, root, mapping, gemeente, dry_run, replace)
        return
    assert csv_file is not None
    try:
        text = csv_file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        click.echo(f"{csv_file} is geen UTF-8; sla de spreadsheet op als 'CSV UTF-8'.", err=True)
        sys.exit(1)
    with progress.shown() as bar:
        report = import_csv(
            text,
            root,
            dry_run=dry_run,
            replace=replace,
            checking=bar.step("Rijen controleren"),
            writing=bar.step("Bestanden schrijven"),
        )
    _finish(report, dry_run, "rijen", ("rij", "rijen"))


def _finish(report: ImportReport, dry_run: bool, what: str, bad_words: tuple[str, str]) -> None:
    """The messages and the closing line of an import, and its exit code."""
    for message in report.messages():
        click.echo(message, err=True)
    bad = len(report.bad_rows)
    word = bad_words[0] if bad == 1 else bad_words[1]
    if not report.ok:
        click.echo(
            f"{len(report.rows)} {what} gelezen, {bad} {word} met fouten. "
            "Er is niets geschreven. Verbeter ze en probeer het opnieuw.",
            err=True,
        )
        sys.exit(1)
    if dry_run:
        click.echo(f"{len(report.rows)} {what} gelezen, alle {what} in orde. Niets geschreven (--dry-run).")
        return
    click.echo(f"{len(report.rows)} {what} gelezen, {len(report.written)} bestanden geschreven.")
    click.echo("Controleer ze en zet ze op de site met: flask content publish")


def _import_hsds(
    source: Path, root: Path, mapping: Path | None, gemeente: str | None, dry_run: bool, replace: bool
) -> None:
    places = (*gemeente_slugs(root), LANDELIJK)
    if gemeente is not None and gemeente.lower() not in places:
        which = ", ".join(places) if len(places) <= FEW_GEMEENTEN else "een bestand in content/gemeenten/"
        near = hint(gemeente.lower(), places)
        click.echo(f"--gemeente: '{gemeente}' kan niet.{near} Kies uit {which}.", err=True)
        sys.exit(2)
    try:
        with progress.shown() as bar:
            report = import_hsds(
                source,
                root,
                mapping_file=mapping,
                gemeente=gemeente.lower() if gemeente else None,
                dry_run=dry_run,
                replace=replace,
                checking=bar.step("Services controleren"),
                writing=bar.step("Bestanden schrijven"),
            )
    except HsdsError as exc:
        click.echo(f"{exc}. Er is niets geschreven.", err=True)
        sys.exit(1)
    if report.warnings:
        click.echo("Niet overgenomen (waarschuwingen):", err=True)
        for warning in report.warnings:
            click.echo(f"  {warning}", err=True)
    _finish(report.plan, dry_run, "services", ("service", "services"))
