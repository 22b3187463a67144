"""`flask content check | publish | load | reload | stats`: validate, store and re-index the content.

`check` and `publish` are the editors' pair (check one file, a gemeente or all; publish refuses any error);
`load` (lenient) and `reload` are the operators'.

The editors' subcommands of the same group are in editors.py."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from .. import storage
from ..catalog import Catalog, LoadReport, content_service
from ..content import ContentSet, load_content
from ..content.checking import full_check, report_lines
from ..content.scope import Scope, ScopeError, scope_for
from ..content.taxonomy import CATEGORY_SLUGS, FEW_GEMEENTEN, LANDELIJK
from ..searching import search_service
from . import progress

content_cli = AppGroup("content", help="Check and load the voorzieningen in content/.")


def _report(content: ContentSet, seconds: float, extra: str = "") -> None:
    """Errors first (they block), then warnings (language), then one summary line."""
    for is_error, line in report_lines(content, extra, seconds):
        click.echo(line, err=is_error)


def _load_from_disk() -> LoadReport:
    """Read, store and index the content, with a progress bar on a terminal."""
    with progress.shown() as bar, progress.embedding(bar):
        return content_service().load_from_disk(progress=bar.step("Bestanden lezen"))


@content_cli.command("check")
@click.argument("target", required=False)
@click.option(
    "--dir", "content_dir", type=click.Path(path_type=Path), help="Content-map (standaard: config)."
)
def check_command(target: str | None, content_dir: Path | None) -> None:
    """Controleer alles, één bestand of één gemeente. Bij een fout: exit 1.

    Voorbeelden: flask content check / flask content check oss /
    flask content check content/voorzieningen/oss/oss-taalcafe.md
    """
    start = time.perf_counter()
    root = content_dir or Path(current_app.config["CONTENT_DIR"])
    try:
        scope = scope_for(root, target)
    except ScopeError as exc:
        click.echo(str(exc), err=True)
        sys.exit(2)
    content, b1 = full_check(root, scope)
    _report(content, time.perf_counter() - start, extra=", " + b1)
    if content.errors:
        sys.exit(1)


@content_cli.command("load")
def load_command() -> None:
    """Validate and store the content; broken files are skipped and reported (exit 1)."""
    start = time.perf_counter()
    report = _load_from_disk()
    _report(report.content, time.perf_counter() - start)
    if not report.stored:
        click.echo(f"Niet opgeslagen: {report.error}", err=True)
        sys.exit(2)
    content = report.content
    for path in content.kept:
        click.echo(f"Niet bijgewerkt: {path} heeft een fout. De vorige versie blijft op de site.", err=True)
    for path in content.skipped:
        click.echo(f"Overgeslagen: {path} heeft een fout en staat niet op de site.", err=True)
    click.echo(
        f"Opgeslagen: {len(content.entries)} voorzieningen en {len(content.gemeenten)} gemeenten "
        "staan op de site."
    )
    if content.errors:
        click.echo("Los de fouten op en typ dan opnieuw: flask content load", err=True)
        sys.exit(1)


@content_cli.command("stats")
def stats_command() -> None:
    """Table of voorzieningen per gemeente and category: what is on the site (stored)."""
    service = content_service()
    stored = Catalog.from_content(storage.read_content(service.engine))  # no search index, no log lines
    if not stored.entries:
        click.echo("Er staat nog niets op de site. Zet de inhoud erop met: flask content publish")
        return
    counts = stored.counts()
    if len(stored.gemeenten) > FEW_GEMEENTEN:  # a column each would not fit: a line each
        _stats_per_line(stored, counts)
        return
    columns = [*stored.gemeenten, LANDELIJK]  # the gemeenten of content/gemeenten/, as stored
    first = max(len("categorie"), *(len(c) for c in CATEGORY_SLUGS)) + 2
    widths = [len(g) + 2 for g in columns]

    def row(label: str, cells: list[object]) -> str:
        return label.ljust(first) + "".join(str(c).rjust(w) for c, w in zip(cells, widths, strict=True))

    click.echo(row("categorie", list(columns)))
    for cat in CATEGORY_SLUGS:
        click.echo(row(cat, [counts.get(g, {}).get(cat, 0) for g in columns]))
    totals = Counter(e.gemeente for e in stored.entries.values())
    click.echo(row("totaal", [totals[g] for g in columns]))


def _stats_per_line(stored: Catalog, counts: dict[str, dict[str, int]]) -> None:
    """Many gemeenten: per gemeente its voorzieningen and the categories it has none in."""
    totals = Counter(e.gemeente for e in stored.entries.values())
    width = max(len(g) for g in [*stored.gemeenten, LANDELIJK]) + 2
    click.echo("gemeente".ljust(width) + "voorzieningen  categorieën zonder voorziening")
    for slug in [*stored.gemeenten, LANDELIJK]:
        missing = [c for c in CATEGORY_SLUGS if not counts.get(slug, {}).get(c)]
        click.echo(slug.ljust(width) + str(totals[slug]).rjust(13) + "  " + (", ".join(missing) or "-"))


@content_cli.command("publish")
def publish_command() -> None:
    """Zet de inhoud op de site: eerst alles controleren; bij een fout verandert er niets."""
    start = time.perf_counter()
    root = Path(current_app.config["CONTENT_DIR"])
    content, b1 = full_check(root, Scope(root))
    if content.errors or not content.entries:
        _report(content, time.perf_counter() - start, extra=", " + b1)
        count = len(content.errors)
        click.echo(
            f"Niet gepubliceerd: er {'is 1 fout' if count == 1 else f'zijn {count} fouten'} (zie hierboven). "
            "De site blijft zoals hij was. Los de fouten op en typ opnieuw: flask content publish",
            err=True,
        )
        sys.exit(1)
    report = _load_from_disk()
    if not report.stored:
        click.echo(f"Niet gepubliceerd: {report.error}. De site blijft zoals hij was.", err=True)
        sys.exit(2)
    backend = search_service().matcher().backend
    warnings = len([p for p in content.problems if p.severity != "error"])
    stored = report.content
    click.echo(
        f"Gepubliceerd: {len(stored.entries)} voorzieningen en {len(stored.gemeenten)} gemeenten geladen. "
        f"De zoekindex is opnieuw opgebouwd ({backend.name}). "
        f"Klaar in {time.perf_counter() - start:.1f} s."
    )
    click.echo(
        f"De site toont de nieuwe inhoud binnen {current_app.config['CONTENT_POLL_SECONDS']} seconden."
    )
    if warnings:
        click.echo(f"Er zijn {warnings} taalwaarschuwingen (B1). Bekijk ze met: flask content check")
    exit_if_degraded(backend)


def exit_if_degraded(backend: object) -> None:
    """Exit 3 with a warning when Meilisearch was not updated (the embedded backend answers meanwhile)."""
    if getattr(backend, "degraded", False):
        click.echo(
            f"Let op: Meilisearch is niet bijgewerkt ({getattr(backend, 'last_error', '')}). "
            "De site gebruikt de ingebouwde zoekfunctie tot Meilisearch terug is.",
            err=True,
        )
        sys.exit(3)


@content_cli.command("reload")
@click.option(
    "--force-index",
    is_flag=True,
    help="Bouw de Meilisearch-index opnieuw op, ook als hij in orde lijkt.",
)
def reload_command(force_index: bool) -> None:
    """Validate, store and re-index (embedded and Meilisearch). Any error: nothing changes (exit 1).

    A Meilisearch index that is missing, has the wrong number of documents or lacks its embedder is
    rebuilt also when the content did not change; --force-index rebuilds it in any case. Running web
    workers pick the new content up within CONTENT_POLL_SECONDS (or on a SIGHUP to gunicorn).
    """
    start = time.perf_counter()
    if force_index:
        search_service().force_next_index()
    content = load_content(Path(current_app.config["CONTENT_DIR"]))
    if content.errors or not content.entries:
        _report(content, time.perf_counter() - start)
        click.echo(
            "Niet bijgewerkt: los eerst de fouten hierboven op. De vorige inhoud blijft staan.", err=True
        )
        sys.exit(1)
    report = _load_from_disk()
    if not report.stored:
        _report(report.content, time.perf_counter() - start)
        click.echo(f"Niet bijgewerkt: {report.error}. De vorige inhoud blijft staan.", err=True)
        sys.exit(2)
    backend = search_service().matcher().backend
    _report(report.content, time.perf_counter() - start)
    click.echo(
        f"Opgeslagen en geïndexeerd: {len(report.content.entries)} voorzieningen, zoeken met {backend.name}."
    )
    exit_if_degraded(backend)
