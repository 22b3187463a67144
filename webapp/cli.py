"""`flask content ...` commands for editors and operators."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .catalog import content_service
from .content import ContentSet, load_content
from .content.taxonomy import CATEGORY_SLUGS, GEMEENTEN, LANDELIJK

content_cli = AppGroup("content", help="Check and load the voorzieningen in content/.")


def _report(content: ContentSet, seconds: float) -> None:
    for problem in content.problems:
        click.echo(str(problem), err=problem.severity == "error")
    errors = len(content.errors)
    click.echo(
        f"{content.files_read} bestanden gelezen, {len(content.entries)} voorzieningen in orde, "
        f"{errors} {'fout' if errors == 1 else 'fouten'} ({seconds * 1000:.0f} ms)."
    )


@content_cli.command("check")
@click.option(
    "--dir", "content_dir", type=click.Path(path_type=Path), help="Content folder (default: config)."
)
def check_command(content_dir: Path | None) -> None:
    """Validate every file and report every problem; exit 1 when there is an error."""
    start = time.perf_counter()
    content = load_content(content_dir or Path(current_app.config["CONTENT_DIR"]))
    _report(content, time.perf_counter() - start)
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


def init_app(app: Flask) -> None:
    app.cli.add_command(content_cli)
    app.cli.add_command(settings_command)
