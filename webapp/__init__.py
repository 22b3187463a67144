"""Dichtbij: the Flask application factory.

The packages below webapp/ say what they are: the shared services at the top (settings, logs, i18n,
catalog, storage, searching, answers, emergency, errors), the resident site (site/), the JSON API (api/), the
production plumbing (production/), the flask commands (commands/) and the content model (content/).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from flask import Flask

from . import logs
from .settings import config_from_env


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(config_from_env())
    if test_config:
        app.config.from_mapping(test_config)
    logging.basicConfig(level=logging.INFO, format=logs.LINE_FORMAT, datefmt=logs.DATE_FORMAT)
    logs.install()  # no question, client address or control character in any log line

    # Imported here, so that importing webapp.content or webapp.settings does not load the whole app.
    from . import api, catalog, commands, errors, i18n, production, searching, site

    # The shared services first, then what uses them.
    for package in (i18n, catalog, searching, errors, site, api, production, commands):
        package.init_app(app)
    return app
