"""Full-page screenshots of the resident pages at phone width (360 px) for docs/screenshots/.

    python -m tests.browser.screenshots [--out docs/screenshots]

Uses the same app setup as the browser tests (no model, no map tiles: the map shows its markers on a plain
background) and Debian's Chromium.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from urllib.parse import quote

from ..conftest import ROOT, launch
from .conftest import DETAIL, QUESTION, SPOED, browser_config

PAGES = {
    "home": "/",
    "antwoord": f"/vraag?q={quote(QUESTION)}&gemeente=oss",
    "spoed": f"/vraag?q={quote(SPOED)}",
    "detail": f"/voorziening/{DETAIL}",
    "kaart": "/kaart?categorie=ontmoeting&gemeente=geertruidenberg",
    "hulpkaart": f"/hulpkaart?gemeente=geertruidenberg&categorie=ontmoeting&slug={DETAIL}"
    "&slug=geertruidenberg-taalcafe&slug=de-luisterlijn",
}


def main() -> None:
    from playwright.sync_api import sync_playwright

    from bench.servers import serve

    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as tmp,
        serve(browser_config(Path(tmp))) as base,
        sync_playwright() as p,
    ):
        browser = launch(p)
        page = browser.new_page(viewport={"width": 360, "height": 740})
        for name, path in PAGES.items():
            page.goto(base + path, wait_until="load")
            if name == "kaart":
                page.wait_for_selector(".leaflet-marker-icon")
            target = args.out / f"{name}.png"
            page.screenshot(path=str(target), full_page=True)
            print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
        browser.close()


if __name__ == "__main__":
    main()
