"""Bytes transferred on a first visit (empty cache): the document and every subresource, headers included.

    python -m bench.pageweight

One line per page with its limit; exits 1 when a page is over. Runs the app on 127.0.0.1 without map tiles
(TILE_URL empty: tiles come from elsewhere and are not ours to weigh) and measures with Debian's Chromium
through the DevTools protocol (Network.loadingFinished.encodedDataLength per request).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path
from typing import Any
from urllib.parse import quote

KB = 1024
PAGES: list[tuple[str, str, int]] = [
    ("home", "/", 60 * KB),
    ("answer", f"/vraag?q={quote('ik voel me alleen')}&gemeente=oss", 60 * KB),
    ("map (Oss, 45 places)", "/kaart?gemeente=oss", 250 * KB),
    ("map (all 139 places)", "/kaart", 250 * KB),
]


def weigh(browser: Any, url: str) -> tuple[int, int]:
    """(bytes, requests) for a first visit to url in a fresh browser context."""
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    sizes: dict[str, int] = {}
    cdp.on(
        "Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], int(e["encodedDataLength"]))
    )
    page.goto(url, wait_until="networkidle")
    if "/kaart" in url:
        page.wait_for_selector(".leaflet-marker-icon")
        page.wait_for_load_state("networkidle")
    context.close()
    return sum(sizes.values()), len(sizes)


def main() -> int:
    from playwright.sync_api import sync_playwright

    from bench.servers import serve
    from tests.browser.conftest import browser_config
    from tests.conftest import launch

    over = False
    with (
        tempfile.TemporaryDirectory() as tmp,
        serve(browser_config(Path(tmp))) as base,
        sync_playwright() as p,
    ):
        browser = launch(p)
        for name, path, limit in PAGES:
            size, requests = weigh(browser, base + path)
            ok = size <= limit
            over |= not ok
            verdict = "ok" if ok else "OVER"
            print(
                f"{name:<22} {size / KB:7.1f} KB in {requests:2d} requests (limit {limit // KB} KB) {verdict}"
            )
        browser.close()
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
