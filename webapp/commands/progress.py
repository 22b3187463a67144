"""Progress of long commands: on a terminal a bar per step with counts and time left; elsewhere (CI, logs,
a pipe) nothing, so the command's own summary line is all that is written.

    with progress.shown() as bar:
        train.build(..., progress=bar.step("Voorbeelden inbedden"))

The library (search/, webapp/content/) reports through a plain callback `(done, total)`; only this module
knows how it is shown.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from search.cache import Progress as Callback

from ..searching import search_service


class Bar:
    """Hands out one callback per step; each step gets its row on the first report."""

    def __init__(self, shown: Progress | None) -> None:
        self._shown = shown

    def step(self, label: str) -> Callback:
        task: TaskID | None = None

        def report(done: int, total: int) -> None:
            nonlocal task
            if self._shown is None:
                return
            if task is None:
                task = self._shown.add_task(label, total=total)
            self._shown.update(task, completed=done, total=total)

        return report


@contextlib.contextmanager
def shown(console: Console | None = None) -> Iterator[Bar]:
    """A Bar that draws on stderr when it is a terminal, and draws nothing otherwise."""
    console = console or Console(stderr=True)
    if not console.is_terminal:
        yield Bar(None)
        return
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("nog"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console) as progress:
        yield Bar(progress)


@contextlib.contextmanager
def embedding(bar: Bar) -> Iterator[None]:
    """Show how far the search index embeds the entries while the block (re)builds it."""
    service = search_service()
    service.progress = bar.step("Voorzieningen inbedden")
    try:
        yield
    finally:
        service.progress = None
