"""`flask index build | keys`: write the search index; the Meilisearch keys of the web and the build job."""

from __future__ import annotations

import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup

from search.meili_keys import KEYS, create_keys

from ..catalog import content_service
from ..searching import search_service
from . import progress

index_cli = AppGroup("index", help="Build the search index.")


@index_cli.command("build")
def index_build_command() -> None:
    """Embed the entries (cached by content hash) and write the search index."""
    start = time.perf_counter()
    with progress.shown() as bar, progress.embedding(bar):
        catalog = content_service().catalog  # the first load of the catalog may build the index too
        matcher = search_service().build(catalog)
    save = getattr(matcher.backend, "save", None)
    if callable(save):
        save()
    click.echo(
        f"Index gebouwd: {len(matcher.documents)} voorzieningen, backend {matcher.backend.name}, "
        f"model {search_service().status.get('embedder', 'none')} ({time.perf_counter() - start:.1f} s)."
    )


@index_cli.command("keys")
@click.option("--create", is_flag=True, help="Maak de sleutels aan in Meilisearch (toont ze niet).")
def index_keys_command(create: bool) -> None:
    """Print the search key (web) and the admin key (content reload), derived from MEILI_MASTER_KEY, as
    export lines; with --create make them in Meilisearch instead (without printing them: the output of an
    init container ends up in its logs). Only this command needs the master key.
    """
    master = current_app.config["MEILI_MASTER_KEY"]
    if not master:
        click.echo("Zet eerst MEILI_MASTER_KEY: de sleutels worden daarvan afgeleid.", err=True)
        sys.exit(2)
    if create:
        made = create_keys(current_app.config["MEILI_URL"], master, current_app.config["MEILI_INDEX"])
        click.echo(f"Aangemaakt in Meilisearch: {', '.join(made) or 'niets, ze bestonden al'}.")
        return
    for spec in KEYS:
        click.echo(f"export {spec.setting}={spec.key(master)}")
