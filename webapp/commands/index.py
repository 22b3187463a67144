"""`flask index build`: embed the entries and write the search index."""

from __future__ import annotations

import time

import click
from flask.cli import AppGroup

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
