"""The resident site: one view module per journey, named after its URL (each a blueprint of that name,
its main page the endpoint `<module>.index`), plus what the pages share: helpers (URLs, dates, template
globals), filters, labels, hours and the map."""

from __future__ import annotations

from flask import Flask

from . import (
    categorie,
    helpers,
    home,
    hulpkaart,
    kaart,
    nood,
    privacy,
    toegankelijkheid,
    tuintips,
    voorziening,
    vraag,
    wijkteam,
)

JOURNEYS = (
    home,
    vraag,
    categorie,
    voorziening,
    kaart,
    hulpkaart,
    nood,
    wijkteam,
    toegankelijkheid,
    privacy,
    tuintips,
)


def init_app(app: Flask) -> None:
    for module in JOURNEYS:
        app.register_blueprint(module.bp)
    helpers.init_app(app)
    home.init_app(app)
