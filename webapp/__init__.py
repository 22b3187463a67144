"""Dichtbij: the Flask application factory."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask

from .settings import config_from_env


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(config_from_env())
    if test_config:
        app.config.from_mapping(test_config)
    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")

    from . import api, catalog, commands, i18n, searching
    from .views import ask, browse, detail, home, hulpkaart, kaart, nood, pages, wijkteam

    i18n.init_app(app)
    catalog.init_app(app)
    searching.init_app(app)
    commands.init_app(app)
    api.init_app(app)
    for module in (detail, wijkteam):
        app.register_blueprint(module.bp)
    for module in (home, ask, browse, nood, pages, kaart, hulpkaart):  # the resident site
        app.register_blueprint(module.bp)
    pages.init_app(app)

    from . import production

    production.init_app(app)

    @app.context_processor
    def page_language() -> dict[str, str]:
        lang = i18n.select_locale()
        return {"lang": lang, "dir": i18n.direction(lang)}

    return app
