"""`flask content ...` commands for editors and operators."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup, with_appcontext

from .catalog import content_service
from .content import ContentSet, load_content
from .content.taxonomy import CATEGORY_SLUGS, GEMEENTEN, LANDELIJK
from .translate_cli import translate_cli

content_cli = AppGroup("content", help="Check and load the voorzieningen in content/.")


def _report(content: ContentSet, seconds: float, extra: str = "") -> None:
    for problem in content.problems:
        click.echo(str(problem), err=problem.severity == "error")
    errors = len(content.errors)
    click.echo(
        f"{content.files_read} bestanden gelezen, {len(content.entries)} voorzieningen in orde, "
        f"{errors} {'fout' if errors == 1 else 'fouten'}{extra} ({seconds * 1000:.0f} ms)."
    )


@content_cli.command("check")
@click.option(
    "--dir", "content_dir", type=click.Path(path_type=Path), help="Content folder (default: config)."
)
def check_command(content_dir: Path | None) -> None:
    """Validate every file and report every problem; exit 1 when there is an error."""
    from .editor_cli import b1_results, b1_summary

    start = time.perf_counter()
    root = content_dir or Path(current_app.config["CONTENT_DIR"])
    content = load_content(root)
    b1 = b1_results(content, root)  # B1 warnings never change the exit code
    content.problems += [w for result in b1 for w in result.warnings]
    _report(content, time.perf_counter() - start, extra=", " + b1_summary(b1))
    if content.errors:
        sys.exit(1)


@content_cli.command("load")
def load_command() -> None:
    """Validate and store the content; broken files are skipped and reported (exit 1)."""
    start = time.perf_counter()
    report = content_service().load_from_disk()
    _report(report.content, time.perf_counter() - start)
    if not report.stored:
        click.echo(f"Niet opgeslagen: {report.error}", err=True)
        sys.exit(2)
    click.echo("Opgeslagen.")
    if report.content.errors:
        sys.exit(1)


@content_cli.command("stats")
def stats_command() -> None:
    """Table of voorzieningen per gemeente and category."""
    counts = content_service().catalog.counts()
    rows = [*GEMEENTEN, LANDELIJK]
    click.echo("categorie".ljust(22) + "".join(g[:8].rjust(9) for g in rows))
    for cat in CATEGORY_SLUGS:
        click.echo(cat.ljust(22) + "".join(str(counts.get(g, {}).get(cat, 0)).rjust(9) for g in rows))
    totals = [len([e for e in content_service().catalog.entries.values() if e.gemeente == g]) for g in rows]
    click.echo("totaal".ljust(22) + "".join(str(t).rjust(9) for t in totals))


@click.command("settings")
def settings_command() -> None:
    """Print every setting as a Markdown table (the README's settings table)."""
    click.echo(settings_table())


def settings_table() -> str:
    from .settings import SETTINGS

    rows = ["| variable | default | meaning |", "|---|---|---|"]
    rows += [f"| `{s.env_var}` | `{s.default}` | {s.help} |" for s in SETTINGS]
    return "\n".join(rows)


index_cli = AppGroup("index", help="Build the search index.")


@index_cli.command("build")
def index_build_command() -> None:
    """Embed the entries (cached by content hash) and write the search index."""
    from .searching import search_service

    start = time.perf_counter()
    catalog = content_service().catalog
    matcher = search_service().build(catalog)
    save = getattr(matcher.backend, "save", None)
    if callable(save):
        save()
    click.echo(
        f"Index gebouwd: {len(matcher.documents)} voorzieningen, backend {matcher.backend.name}, "
        f"model {search_service().status.get('embedder', 'none')} ({time.perf_counter() - start:.1f} s)."
    )


@content_cli.command("reload")
def reload_command() -> None:
    """Validate, store and re-index (embedded and Meilisearch). Any error: nothing changes (exit 1).

    Running web workers pick the new content up within CONTENT_POLL_SECONDS (or on a SIGHUP to gunicorn).
    """
    from .searching import search_service

    start = time.perf_counter()
    content = load_content(Path(current_app.config["CONTENT_DIR"]))
    if content.errors or not content.entries:
        _report(content, time.perf_counter() - start)
        click.echo(
            "Niet bijgewerkt: los eerst de fouten hierboven op. De vorige inhoud blijft staan.", err=True
        )
        sys.exit(1)
    report = content_service().load_from_disk()
    if not report.stored:
        _report(report.content, time.perf_counter() - start)
        click.echo(f"Niet bijgewerkt: {report.error}. De vorige inhoud blijft staan.", err=True)
        sys.exit(2)
    backend = search_service().matcher().backend
    _report(report.content, time.perf_counter() - start)
    click.echo(
        f"Opgeslagen en geïndexeerd: {len(report.content.entries)} voorzieningen, zoeken met {backend.name}."
    )
    if getattr(backend, "degraded", False):
        click.echo(
            f"Let op: Meilisearch is niet bijgewerkt ({getattr(backend, 'last_error', '')}). "
            "De site gebruikt de ingebouwde zoekfunctie tot Meilisearch terug is.",
            err=True,
        )
        sys.exit(3)


@click.command("counts")
@with_appcontext
@click.option("--days", type=int, default=0, help="Only the last N days (default: everything).")
def counts_command(days: int) -> None:
    """Questions per day, gemeente, route and category (numbers only; no question is ever stored)."""
    from datetime import date, timedelta

    from .counts import totals

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


def init_app(app: Flask) -> None:
    from .editor_cli import register
    from .model_cli import model_cli

    register(content_cli)
    app.cli.add_command(content_cli)
    app.cli.add_command(index_cli)
    app.cli.add_command(model_cli)
    app.cli.add_command(settings_command)
    app.cli.add_command(counts_command)
    app.cli.add_command(translate_cli)
