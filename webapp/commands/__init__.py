"""Every `flask` command: content (operators and editors), index, model, translate, settings, counts."""

from __future__ import annotations

from flask import Flask

from . import content, counts, editors, index, model, new_entry, preview, settings, translate


def init_app(app: Flask) -> None:
    for command in (
        new_entry.new_command,
        editors.b1_command,
        editors.stale_command,
        editors.export_command,
        editors.import_command,
        preview.preview_command,
    ):
        content.content_cli.add_command(command)
    app.cli.add_command(content.content_cli)
    app.cli.add_command(index.index_cli)
    app.cli.add_command(model.model_cli)
    app.cli.add_command(translate.translate_cli)
    app.cli.add_command(settings.settings_command)
    app.cli.add_command(counts.counts_command)
