"""`flask settings`: every setting as the Markdown table the README shows (a test keeps them equal)."""

from __future__ import annotations

import click

from ..settings import SETTINGS


@click.command("settings")
def settings_command() -> None:
    """Print every setting as a Markdown table (the README's settings table)."""
    click.echo(settings_table())


def settings_table() -> str:
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    rows += [f"| `{s.env_var}` | `{s.default}` | {s.help} |" for s in SETTINGS]
    return "\n".join(rows)
