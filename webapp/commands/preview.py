"""`flask content preview`: the site on an editor's own content folder, on this computer only.

Every page of a voorziening shows, above its content, what `flask content check` says about that file (errors
and B1 warnings, with line numbers); every page starts with a one-line summary of the whole folder, so a new
file with an error (which the site cannot show) is not missed. The preview has its own temporary database and
search index: nothing goes live, the real site's storage is not touched. A changed file is picked up on the
next page view.

Messages are Dutch B1: the wijkteam editors read them.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click
from flask import Flask, Response, request
from flask.cli import with_appcontext
from markupsafe import Markup

from ..catalog import content_service
from ..content.checking import full_check
from ..content.models import Problem
from ..content.scope import Scope
from .editors import DIR_OPTION, configured_content_dir

ENTRY_ENDPOINT = "voorziening.index"


def folder_signature(root: Path) -> tuple[tuple[str, float, int], ...]:
    """Changes when any content file is added, removed or saved."""
    files = sorted(p for p in root.rglob("*") if p.suffix in (".md", ".yaml") and p.is_file())
    return tuple((str(p), p.stat().st_mtime, p.stat().st_size) for p in files)


@dataclass
class PreviewChecks:
    """The check's problems of the folder, computed again when a file changed."""

    root: Path
    problems: list[Problem] = field(default_factory=list)
    signature: tuple[tuple[str, float, int], ...] = ()
    lock: threading.Lock = field(default_factory=threading.Lock)

    def refresh(self) -> bool:
        """Check again when the folder changed; True when it did."""
        signature = folder_signature(self.root)
        with self.lock:
            if signature == self.signature:
                return False
            content, _ = full_check(self.root, Scope(self.root))
            self.problems, self.signature = content.problems, signature
        return True

    def for_slug(self, slug: str) -> list[Problem]:
        return [p for p in self.problems if Path(p.path).stem == slug]

    def summary(self) -> str:
        errors = [p for p in self.problems if p.severity == "error"]
        files = sorted({p.path for p in errors})
        warnings = len(self.problems) - len(errors)
        text = f"Voorbeeld van {self.root}: {len(errors)} fouten, {warnings} taalwaarschuwingen."
        if files:
            text += " Met een fout (niet op de site): " + ", ".join(files) + "."
        return text


def _box(title: str, lines: list[str]) -> Markup:
    items = Markup("").join(Markup("<li>{}</li>").format(line) for line in lines)
    return Markup('<section class="stale" aria-label="{0}"><h2>{0}</h2><ul>{1}</ul></section>').format(
        title, items
    )


def _where(problem: Problem) -> str:
    kind = "fout" if problem.severity == "error" else "taal"
    line = f"regel {problem.line}, " if problem.line else ""
    return f"{kind}: {line}{problem.field}: {problem.message}"


def inject(checks: PreviewChecks, response: Response) -> Response:
    """Put the check's findings at the top of <main> on every HTML page of the preview."""
    if response.mimetype != "text/html" or response.content_encoding or response.direct_passthrough:
        return response
    html = response.get_data(as_text=True)
    start = html.find("<main")
    end = html.find(">", start) + 1 if start >= 0 else 0
    if not end:
        return response
    boxes = Markup("<p>{}</p>").format(checks.summary())
    if request.endpoint == ENTRY_ENDPOINT and request.view_args:
        found = checks.for_slug(str(request.view_args.get("slug", "")))
        lines = [_where(p) for p in found] or ["Geen fouten en geen taalwaarschuwingen."]
        boxes += _box("Controle van dit bestand (alleen in het voorbeeld)", lines)
    response.set_data(html[:end] + str(boxes) + html[end:])
    return response


def preview_app(root: Path, work: Path, **extra: Any) -> Flask:
    """The site on root, with its own storage and index under work."""
    from .. import create_app

    app = create_app(
        {
            "CONTENT_DIR": str(root),
            "DATABASE_URL": f"sqlite:///{work / 'preview.db'}",
            "INDEX_DIR": str(work / "index"),
            "SEARCH_BACKEND": "embedded",
            "LOAD_ON_START": True,
            **extra,
        }
    )
    checks = PreviewChecks(root)

    @app.before_request
    def reload_when_changed() -> None:
        if checks.refresh():
            content_service().load_from_disk()

    app.after_request(lambda response: inject(checks, response))
    return app


@click.command("preview")
@with_appcontext
@DIR_OPTION
@click.option("--port", type=int, default=5001, show_default=True, help="Poort op deze computer.")
def preview_command(content_dir: Path | None, port: int) -> None:
    """Bekijk de site met jouw map, met de controle op elke pagina. Alleen op deze computer."""
    from werkzeug.serving import run_simple

    root = (content_dir or configured_content_dir()).resolve()
    with tempfile.TemporaryDirectory(prefix="dichtbij-voorbeeld-") as work:
        app = preview_app(root, Path(work))
        click.echo(f"Voorbeeld: open http://127.0.0.1:{port}/ in je browser. Stoppen: Ctrl+C.")
        click.echo("Alleen jij ziet dit. Een veranderd bestand zie je als je de pagina opnieuw laadt.")
        # no request lines (they hold the questions typed) and no English development-server banner
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        run_simple("127.0.0.1", port, app, use_reloader=False, threaded=True)
