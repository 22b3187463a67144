"""Simulated question counts for the findability report, and the report itself.

    python -m bench.simulate_counts --gemeente oss --days 30 --out docs/findability-example.html
    python -m bench.simulate_counts --gemeente oss --days 30 --out docs/findability-example.html \\
        --screenshot docs/screenshots/findability-oss.png
    python -m bench.simulate_counts --gemeente alle --days 91 --out /tmp/kwartaal.html
    python -m bench.simulate_counts --gemeente oss --days 30 --via-command --out docs/findability-example.html

--via-command takes the path of a real site: the simulated counts go into the counts table of a fresh
SQLite database (with the demo content stored), and `flask counts report` writes the page from there.

Seeded and deterministic: the same arguments give the same rows and the same page. The simulation has a
weekday rhythm (busy Monday, quiet weekend), categories with different demand, some categories with unmet
need (psychisch, nieuwkomers, jongeren and klussen-thuis get few good matches; geld gets many "nee"
clicks), kernen of very different size (small kernen, buurtbemiddeling and the spoed route give cells that
the report must suppress) and questions without a known kern. The screenshot is taken with Debian's
Chromium through Python Playwright (never `playwright install`) at A4 width (794 px), and fails when the
page asks for anything but its own file.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from pathlib import Path

from webapp.reports import CountRow, report_html

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu"]
A4_WIDTH = 794  # px at 96 dpi
A4_HEIGHT = 1123

# Questions on an ordinary Thursday, roughly the population / 2,500.
BASE_PER_DAY: dict[str, float] = {
    "oss": 37.0,
    "maashorst": 25.0,
    "meierijstad": 33.0,
    "oirschot": 8.0,
    "geertruidenberg": 9.0,
}
UNKNOWN_GEMEENTE_PER_DAY = 6.0  # residents who named no place and chose no gemeente (only in "alle")
WEEKDAY = (1.25, 1.15, 1.05, 1.0, 0.85, 0.45, 0.4)  # Monday .. Sunday
KERN_UNKNOWN = 0.38  # share of questions without a kern

KERNEN: dict[str, dict[str, float]] = {
    "oss": {
        "Oss": 60,
        "Berghem": 7,
        "Geffen": 4,
        "Ravenstein": 4,
        "Lith": 3,
        "Herpen": 3,
        "Megen": 2,
        "Maren-Kessel": 2,
        "Haren": 1,
        "Macharen": 1,
        "Lithoijen": 1,
        "Oijen": 0.8,
        "Teeffelen": 0.5,
        "Deursen-Dennenburg": 0.4,
        "Demen": 0.2,
        "Dieden": 0.2,
        "Neerlangel": 0.2,
        "Overlangel": 0.2,
        "Keent": 0.15,
        "Huisseling": 0.15,
    },
    "maashorst": {"Uden": 70, "Zeeland": 9, "Schaijk": 9, "Volkel": 6, "Odiliapeel": 4, "Reek": 3},
    "meierijstad": {
        "Veghel": 40,
        "Schijndel": 25,
        "Sint-Oedenrode": 18,
        "Erp": 6,
        "Mariaheide": 2,
        "Eerde": 2,
        "Zijtaart": 1.5,
        "Boerdonk": 1,
        "Keldonk": 1,
        "Wijbosch": 1,
        "Olland": 1,
        "Boskant": 1,
        "Nijnsel": 1,
    },
    "oirschot": {"Oirschot": 75, "Middelbeers": 9, "Oostelbeers": 8, "Westelbeers": 3, "Spoordonk": 5},
    "geertruidenberg": {"Raamsdonksveer": 60, "Geertruidenberg": 30, "Raamsdonk": 10},
}

KERN_NAMES: dict[str, tuple[str, ...]] = {g: tuple(k) for g, k in KERNEN.items()}  # for report_html

ROUTE_WEIGHTS = {"voorziening": 0.74, "wijkteam": 0.15, "onbekend": 0.09, "spoed": 0.02}

# category: (demand weight, chance of a good match, chance of "ja" after a good match)
CATEGORIES: dict[str, tuple[float, float, float]] = {
    "ontmoeting": (14, 0.93, 0.86),
    "dagontmoeting": (5, 0.88, 0.82),
    "mantelzorg": (8, 0.87, 0.80),
    "eenzaamheid": (11, 0.85, 0.78),
    "boodschappen-vervoer": (6, 0.82, 0.80),
    "klussen-thuis": (7, 0.62, 0.70),  # unmet: few klussendiensten
    "geld": (13, 0.86, 0.52),  # a match, but often "nee" (not eligible for the voedselbank, a waiting list)
    "formulieren-recht": (9, 0.84, 0.78),
    "taal-digitaal": (6, 0.91, 0.86),
    "nieuwkomers": (3, 0.52, 0.60),  # unmet
    "jongeren": (3, 0.58, 0.66),  # unmet
    "opvoeden": (4, 0.83, 0.80),
    "bewegen-gezond": (5, 0.91, 0.86),
    "psychisch": (7, 0.48, 0.60),  # unmet: little between the GP and the ggz
    "vrijwilligerswerk": (3, 0.94, 0.90),
    "buurtbemiddeling": (0.25, 0.90, 0.85),  # rare: suppressed in a month of one gemeente
}
WIJKTEAM_CATEGORIES = {"": 55, "geld": 15, "psychisch": 12, "opvoeden": 10, "mantelzorg": 8}
CLICK_RATE = {"voorziening": 0.30, "wijkteam": 0.25, "spoed": 0.08, "onbekend": 0.15}
YES_WITHOUT_MATCH = 0.2


def poisson(rng: random.Random, lam: float) -> int:
    if lam <= 0:
        return 0
    if lam < 30:  # Knuth
        limit, k, p = math.exp(-lam), 0, 1.0
        while True:
            p *= rng.random()
            if p <= limit:
                return k
            k += 1
    return max(0, round(rng.gauss(lam, math.sqrt(lam))))


def pick(rng: random.Random, weights: Mapping[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def simulate(gemeente: str | None, start: date, days: int, seed: int = 16) -> list[CountRow]:
    """CountRows for one gemeente (all, and questions without a gemeente, when None), `days` days."""
    if gemeente is not None and gemeente not in BASE_PER_DAY:
        raise ValueError(f"unknown gemeente {gemeente!r}: one of {', '.join(BASE_PER_DAY)}")
    rng = random.Random(seed)
    gemeenten = [gemeente] if gemeente else [*BASE_PER_DAY, ""]
    # each gemeente its own taste: demand per category varies a little
    taste = {g: {c: rng.uniform(0.75, 1.3) for c in CATEGORIES} for g in BASE_PER_DAY}
    counts: dict[tuple[date, str, str, str, str], list[int]] = {}
    for i in range(days):
        day = start + timedelta(days=i)
        trend = 1 + 0.12 * i / max(days, 1)  # a slow rise after the launch
        noise = rng.uniform(0.85, 1.15)  # a busy or a quiet week day
        for g in gemeenten:
            base = BASE_PER_DAY[g] if g else UNKNOWN_GEMEENTE_PER_DAY
            for _ in range(poisson(rng, base * WEEKDAY[day.weekday()] * trend * noise)):
                key, values = one_question(rng, day, g, taste.get(g, {}))
                row = counts.setdefault(key, [0, 0, 0, 0])
                for j, v in enumerate(values):
                    row[j] += v
    return [
        CountRow(day, g, kern, route, cat, q, good, yes, no)
        for (day, g, kern, route, cat), (q, good, yes, no) in sorted(counts.items())
    ]


def one_question(
    rng: random.Random, day: date, gemeente: str, taste: dict[str, float]
) -> tuple[tuple[date, str, str, str, str], tuple[int, int, int, int]]:
    route = pick(rng, ROUTE_WEIGHTS)
    kern = ""
    if gemeente and rng.random() >= KERN_UNKNOWN:
        kern = pick(rng, KERNEN[gemeente])
    if route == "voorziening":
        category = pick(rng, {c: w * taste.get(c, 1.0) for c, (w, _, _) in CATEGORIES.items()})
        _, p_good, p_yes = CATEGORIES[category]
    elif route == "wijkteam":
        category = pick(rng, WIJKTEAM_CATEGORIES)
        p_good, p_yes = 0.95, 0.75
    elif route == "spoed":
        category, p_good, p_yes = "", 1.0, 0.7
    else:
        category, p_good, p_yes = "", 0.0, 0.0
    good = rng.random() < p_good
    yes = no = 0
    if rng.random() < CLICK_RATE[route]:
        if rng.random() < (p_yes if good else YES_WITHOUT_MATCH):
            yes = 1
        else:
            no = 1
    return (day, gemeente, kern, route, category), (1, int(good), yes, no)


def table_values(row: CountRow) -> list[int]:
    """A report row as the counts table stores it (questions, onbekend, no_match, good_match, ja, nee)."""
    onbekend = row.questions if row.route == "onbekend" else 0
    return [
        row.questions,
        onbekend,
        row.questions - row.good_match,
        row.good_match,
        row.found_yes,
        row.found_no,
    ]


def via_command(rows: Sequence[CountRow], gemeente: str | None, start: date, end: date, out: Path) -> str:
    """Store the rows in the counts table of a fresh database, and let `flask counts report` write `out`."""
    import tempfile

    from webapp import create_app
    from webapp.catalog import catalog
    from webapp.production.counts import upsert

    with tempfile.TemporaryDirectory(prefix="dichtbij-counts-") as tmp:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{tmp}/counts.db",
                "CONTENT_DIR": str(Path(__file__).resolve().parent.parent / "content"),
                "INDEX_DIR": f"{tmp}/index",
                "EMBEDDER": "none",
                "CONTENT_POLL_SECONDS": 0,
            }
        )
        with app.app_context():
            catalog()  # the demo content (and its kernen) stored, as on a running site
            engine = app.extensions["dichtbij.content"].engine
            upsert(
                engine, [((r.day, r.gemeente, r.kern, r.route, r.category), table_values(r)) for r in rows]
            )
        args = ["counts", "report", "--gemeente", gemeente or "alle", "--from", start.isoformat()]
        args += ["--to", end.isoformat(), "--output", str(out)]
        result = app.test_cli_runner().invoke(args=args)
        engine.dispose()
        if result.exit_code != 0:
            raise SystemExit(f"flask counts report failed: {result.output}")
    return out.read_text(encoding="utf-8")


def screenshot(html: Path, png: Path) -> None:
    """A full-page PNG of the report at A4 width; fails when the page requests anything else."""
    from playwright.sync_api import sync_playwright

    png.parent.mkdir(parents=True, exist_ok=True)
    requests: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(
                viewport={"width": A4_WIDTH, "height": A4_HEIGHT}, device_scale_factor=1
            )
            page = context.new_page()
            page.on("request", lambda r: requests.append(r.url))
            page.goto(html.resolve().as_uri(), wait_until="load")
            page.screenshot(path=str(png), full_page=True)
        finally:
            browser.close()
    foreign = [u for u in requests if u != html.resolve().as_uri()]
    if foreign:
        raise SystemExit(f"the report asked for more than itself: {foreign}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--gemeente", default="alle", help="a gemeente slug, or 'alle' (default)")
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--start", type=date.fromisoformat, default=date(2025, 6, 1))
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--threshold", type=int, default=10)
    parser.add_argument("--out", type=Path, default=Path("docs/findability-example.html"))
    parser.add_argument("--screenshot", type=Path, metavar="PATH", help="also write a PNG of the page")
    parser.add_argument(
        "--via-command",
        action="store_true",
        help="store the counts in a database and write the page with `flask counts report`",
    )
    args = parser.parse_args(argv)
    if args.days < 1:
        parser.error("--days must be 1 or more")
    gemeente = None if args.gemeente == "alle" else args.gemeente
    if gemeente is not None and gemeente not in BASE_PER_DAY:
        parser.error(f"--gemeente: one of alle, {', '.join(BASE_PER_DAY)}")
    end = args.start + timedelta(days=args.days - 1)
    rows = simulate(gemeente, args.start, args.days, args.seed)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.via_command:
        if args.threshold != 10:
            parser.error("--via-command writes with the command's threshold (10)")
        html = via_command(rows, gemeente, args.start, end, args.out)
    else:
        html = report_html(
            rows,
            gemeente,
            args.start,
            end,
            threshold=args.threshold,
            kernen=KERN_NAMES,
        )
        args.out.write_text(html, encoding="utf-8")
    questions = sum(r.questions for r in rows)
    print(
        f"{len(rows)} rows, {questions} questions, {args.gemeente}, {args.start} .. {end}: "
        f"{args.out} ({len(html.encode()) // 1024} KB)"
    )
    if args.screenshot:
        screenshot(args.out, args.screenshot)
        print(f"screenshot: {args.screenshot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
