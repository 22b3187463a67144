"""Full-page screenshots of the resident pages on an emulated phone (360 px, touch, mobile viewport), in Dutch
and in Arabic (right to left), for docs/screenshots/: <page>-<lang>.png.

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
from .conftest import (
    DETAIL,
    DEVICES,
    LOCALE,
    QUESTION,
    SPOED,
    WIJKTEAM,
    browser_config,
    fixed_routes,
    with_lang,
)

LANGS = ("nl", "ar")
PAGES = {
    "home": "/",
    "antwoord": f"/vraag?q={quote(QUESTION)}&gemeente=oss",
    "spoed": f"/vraag?q={quote(SPOED)}",
    "wijkteam": f"/vraag?q={quote(WIJKTEAM)}&gemeente=oss",
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
        fixed_routes(),
        tempfile.TemporaryDirectory() as tmp,
        serve(browser_config(Path(tmp))) as base,
        sync_playwright() as p,
    ):
        browser = launch(p)
        phone = {**DEVICES["phone"], "device_scale_factor": 1}  # 360 px wide images: small files
        page = browser.new_context(locale=LOCALE, **phone).new_page()
        for lang in LANGS:
            for name, path in PAGES.items():
                page.goto(base + with_lang(path, lang), wait_until="load")
                if name == "kaart":
                    page.wait_for_selector(".leaflet-marker-icon")
                target = args.out / f"{name}-{lang}.png"
                page.screenshot(path=str(target), full_page=True)
                print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
        browser.close()


if __name__ == "__main__":
    main()
