"""Editors' commands: `flask content new | b1 | stale | export | import`.

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
from flask.cli import AppGroup, with_appcontext

from ..api import hsds
from ..catalog import content_service
from ..content import ContentSet, load_content, writer
from ..content.b1 import B1Result, average, check_entries
from ..content.csv_import import import_csv
from ..content.freshness import stale_entries
from ..content.taxonomy import (
    AANMELDEN,
    CATEGORY_BY_SLUG,
    CATEGORY_SLUGS,
    GEMEENTEN,
    KOSTEN_SOORTEN,
    LANDELIJK,
)

DIR_OPTION = click.option(
    "--dir", "content_dir", type=click.Path(path_type=Path), help="Content-map (standaard: config)."
)


def _content_dir() -> Path:
    return Path(current_app.config["CONTENT_DIR"])


def b1_results(content: ContentSet, content_dir: Path) -> list[B1Result]:
    return check_entries(content.entries, content_dir)


def b1_summary(results: list[B1Result]) -> str:
    """The part of the `content check` summary line about B1."""
    count = sum(len(r.warnings) for r in results)
    word = "B1-waarschuwing" if count == 1 else "B1-waarschuwingen"
    return f"{count} {word}, B1-score gemiddeld {average(results):.1f}"


def _split_option(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.replace(";", ",").split(",") if part.strip()]


def _body(aanmelden: str, soort: str, bedrag: str) -> str:
    kosten = "Het is gratis." if soort == "gratis" else f"Je betaalt {bedrag}."
    return (
        "Schrijf hier in gewone taal wat je hier kunt doen.\n"
        "Vertel ook voor wie het is.\n\n"
        "Gebruik korte zinnen. Schrijf tegen de lezer: je en jij.\n\n"
        f"{AANMELDEN[aanmelden]}\n"
        f"{kosten}\n"
    )


@click.command("new")
@with_appcontext
@click.option("--gemeente", type=click.Choice([*GEMEENTEN, LANDELIJK]), help="De gemeente (of landelijk).")
@click.option("--titel", help="De naam van de voorziening, 3 tot 80 tekens.")
@click.option("--samenvatting", help="Eén zin: wat kun je er doen of krijgen?")
@click.option("--categorie", "categorieen", multiple=True, help="Categorie; meer dan één: komma ertussen.")
@click.option("--kern", "kernen", multiple=True, help="Kern(en); leeg: de hele gemeente.")
@click.option("--organisatie", help="Wie organiseert het.")
@click.option("--aanmelden", type=click.Choice(list(AANMELDEN)), help="binnenlopen, bellen of aanmelden.")
@click.option("--kosten", type=click.Choice(list(KOSTEN_SOORTEN)), help="gratis of eigen-bijdrage.")
@click.option("--bedrag", default="", help="Bij eigen-bijdrage: het bedrag, zoals '€ 2,50 per keer'.")
@click.option("--yes", "-y", "non_interactive", is_flag=True, help="Niets vragen; gebruik de opties.")
@DIR_OPTION
def new_command(
    gemeente: str | None,
    titel: str | None,
    samenvatting: str | None,
    categorieen: tuple[str, ...],
    kernen: tuple[str, ...],
    organisatie: str | None,
    aanmelden: str | None,
    kosten: str | None,
    bedrag: str,
    non_interactive: bool,
    content_dir: Path | None,
) -> None:
    """Maak een nieuwe voorziening: een geldig bestand dat je daarna aanvult."""
    root = content_dir or _content_dir()
    today = date.today()
    existing = load_content(root, today=today)

    def ask(
        value: str | None, question: str, default: str | None = None, choices: list[str] | None = None
    ) -> str:
        if value is not None:
            return value
        if non_interactive:
            if default is not None:
                return default
            raise click.UsageError(f"geef {question.lower()} mee als optie (met --yes wordt niets gevraagd)")
        kind = click.Choice(choices) if choices else None
        return str(click.prompt(question, default=default, type=kind))

    gemeente = ask(gemeente, "Gemeente", choices=[*GEMEENTEN, LANDELIJK])
    titel = ask(titel, "Titel")
    cats = _split_option(categorieen) or _split_option(
        (ask(None, f"Categorie(ën), met komma's ({', '.join(CATEGORY_SLUGS)})"),)
    )
    info = existing.gemeenten.get(gemeente)
    if gemeente == LANDELIJK:
        kern_list: list[str] = []
    elif kernen:
        kern_list = _split_option(kernen)
    else:
        choices = ", ".join(sorted(info.kern_names())) if info else ""
        kern_list = _split_option(
            (ask(None, f"Kern(en), met komma's; leeg = hele gemeente ({choices})", ""),)
        )
    organisatie = ask(organisatie, "Organisatie")
    samenvatting = ask(samenvatting, "Samenvatting (één zin)", "Schrijf hier in één zin wat je er kunt doen.")
    aanmelden = ask(aanmelden, "Aanmelden", "binnenlopen", list(AANMELDEN))
    kosten = ask(kosten, "Kosten", "gratis", list(KOSTEN_SOORTEN))
    if kosten == "eigen-bijdrage" and not bedrag:
        bedrag = ask(None, "Bedrag, zoals '€ 2,50 per keer'")
    if kosten == "gratis":
        bedrag = ""

    prefix = "" if gemeente == LANDELIJK else (kern_list[0] if kern_list else gemeente)
    slug = writer.make_slug(titel, prefix)
    path = root / "voorzieningen" / gemeente / f"{slug}.md"
    if path.exists():
        click.echo(f"{path} bestaat al. Kies een andere titel, of pas dat bestand aan.", err=True)
        sys.exit(1)
    elsewhere = [p for p in (root / "voorzieningen").rglob(f"{slug}.md")]
    if elsewhere:
        click.echo(f"De naam '{slug}' bestaat al in {elsewhere[0]}. Kies een andere titel.", err=True)
        sys.exit(1)

    data: dict[str, object] = {
        "titel": titel,
        "samenvatting": samenvatting,
        "categorieen": cats,
        "gemeente": gemeente,
        "kernen": kern_list,
        "organisatie": organisatie,
    }
    if info is not None and len(kern_list) == 1:
        kern = next((k for k in info.kernen if k.naam == kern_list[0]), None)
        if kern is not None:
            data.update(plaats=kern.naam, lat=kern.lat, lon=kern.lon)
    keywords = [titel.lower()] + [CATEGORY_BY_SLUG[c].label.lower() for c in cats if c in CATEGORY_BY_SLUG]
    keywords += [k.lower() for k in kern_list] + ([info.naam.lower()] if info else []) + [gemeente]
    data.update(
        telefoon="",
        email="",
        website="",
        kosten={"soort": kosten, "bedrag": bedrag},
        aanmelden=aanmelden,
        doelgroep=["iedereen"],
        talen=["nl"],
        laatst_gecontroleerd=today,
        voorbeeld=False,
        trefwoorden=list(dict.fromkeys(keywords)),
    )
    text = writer.render_entry(data, _body(aanmelden, kosten, bedrag))
    shown = str(Path("voorzieningen") / gemeente / f"{slug}.md")
    _, problems = writer.validate_text(text, slug, gemeente, shown, existing.gemeenten, today)
    if problems:
        for problem in problems:
            click.echo(f"{problem.field}: {problem.message}", err=True)
        click.echo("Er is niets geschreven. Verbeter de antwoorden en probeer het opnieuw.", err=True)
        sys.exit(1)
    writer.write_atomic(path, text)
    click.echo(f"Gemaakt: {path}")
    click.echo("Vul nu de samenvatting, de tekst, de doelgroep, het adres en de trefwoorden aan.")
    click.echo("Controleer daarna met: flask content check")


@click.command("b1")
@with_appcontext
@DIR_OPTION
@click.option("--details", is_flag=True, help="Toon ook elke waarschuwing.")
def b1_command(content_dir: Path | None, details: bool) -> None:
    """B1-score per voorziening (slechtste eerst) en het gemiddelde."""
    root = content_dir or _content_dir()
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
    root = content_dir or _content_dir()
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
    root = content_dir or _content_dir()
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
    click.echo("Zet ze op de site met: flask content load")


def register(group: AppGroup) -> None:
    for command in (new_command, b1_command, stale_command, export_command, import_command):
        group.add_command(command)
