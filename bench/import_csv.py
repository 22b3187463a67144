"""Bench: import a 1,000-row spreadsheet (about 5% bad rows of varied kinds).

Runs the import function once, and once through `flask content import --csv` (test CLI runner), on a
temporary copy of the gemeenten. Prints one line: rows, bad rows reported, seconds.
Usage: python bench/import_csv.py [--rows N]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp import create_app  # noqa: E402
from webapp.content import csv_import, load_content  # noqa: E402
from webapp.content.taxonomy import CATEGORY_SLUGS  # noqa: E402

BAD_KINDS = (
    ("lat", "ergens"),
    ("categorieen", "koffie"),
    ("laatst_gecontroleerd", "31-02-2026"),
    ("openingstijden", "maandag de hele dag"),
    ("kernen", "Amsterdam"),
    ("titel", ""),
    ("kosten", "duur"),
    ("postcode", "12345"),
    ("voorbeeld", "misschien"),
    ("website", "www.example.org"),
)


def make_csv(content_dir: Path, rows: int, bad_share: float, seed: int = 7) -> tuple[str, int]:
    """(csv text, number of bad rows) for `rows` rows; the good ones would all pass the check."""
    rng = random.Random(seed)
    gemeenten = load_content(content_dir).gemeenten
    places = [(info.slug, kern) for info in gemeenten.values() for kern in info.kernen]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(csv_import.CSV_COLUMNS))
    writer.writeheader()
    bad_rows = set(rng.sample(range(rows), round(rows * bad_share)))
    for i in range(rows):
        gemeente, kern = places[i % len(places)]
        row = {
            "titel": f"Inloop {i} in {kern.naam}",
            "samenvatting": "Kom langs voor koffie en een praatje.",
            "categorieen": "; ".join(rng.sample(CATEGORY_SLUGS, rng.randint(1, 3))),
            "gemeente": gemeente,
            "kernen": kern.naam,
            "organisatie": "Welzijn (voorbeeld)",
            "adres": "Voorbeeldstraat 1",
            "postcode": "5341 AA",
            "plaats": kern.naam,
            "lat": f"{kern.lat:.4f}".replace(".", ","),
            "lon": f"{kern.lon:.4f}",
            "openingstijden": "maandag 09:00-12:00; donderdag 13:30-16:00",
            "kosten": "eigen-bijdrage" if i % 3 else "gratis",
            "kosten_bedrag": "€ 2,50 per keer" if i % 3 else "",
            "aanmelden": ("binnenlopen", "bellen", "aanmelden")[i % 3],
            "doelgroep": "iedereen; ouderen",
            "talen": "nl; en",
            "laatst_gecontroleerd": "2026-01-15",
            "voorbeeld": "ja",
            "trefwoorden": "koffie; praatje; inloop; buurt",
            "tekst": (
                "Je drinkt koffie met buren.\nJe hoeft niets te regelen.\n\n"
                "Een vrijwilliger zet de koffie en de thee klaar. Je praat over wat je bezighoudt.\n"
                "Je mag ook gewoon luisteren. Wil je iets doen? Er liggen spelletjes en kranten.\n"
                "Kom binnen wanneer je wilt en ga weg wanneer je wilt."
            ),
        }
        if i in bad_rows:
            column, value = BAD_KINDS[i % len(BAD_KINDS)]
            row[column] = value
        writer.writerow(row)
    return out.getvalue(), len(bad_rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        content_dir = Path(tmp) / "content"
        shutil.copytree(ROOT / "content" / "gemeenten", content_dir / "gemeenten")
        (content_dir / "voorzieningen").mkdir()
        text, bad = make_csv(content_dir, args.rows, 0.05)
        csv_path = Path(tmp) / "import.csv"
        csv_path.write_text(text, encoding="utf-8")

        start = time.perf_counter()
        report = csv_import.import_csv(text, content_dir)
        function_seconds = time.perf_counter() - start
        assert not report.written, "a file with bad rows must write nothing"

        app = create_app(
            {
                "TESTING": True,
                "CONTENT_DIR": str(content_dir),
                "DATABASE_URL": f"sqlite:///{tmp}/bench.db",
                "INDEX_DIR": f"{tmp}/index",
                "VECTOR_CACHE_DIR": f"{tmp}/vectors",
                "EMBEDDER": "none",
                "LOAD_ON_START": False,
                "TILE_URL": "",
            }
        )
        start = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["content", "import", "--csv", str(csv_path)])
        cli_seconds = time.perf_counter() - start
        cli_bad = sum(1 for line in result.output.splitlines() if line.startswith("rij "))
        written = list((content_dir / "voorzieningen").rglob("*.md"))
    print(
        f"import_csv: rows={args.rows} bad_rows={bad} reported={len(report.bad_rows)} "
        f"(cli exit {result.exit_code}, {cli_bad} row messages, {len(written)} files written) "
        f"function={function_seconds:.2f}s cli={cli_seconds:.2f}s total={function_seconds + cli_seconds:.2f}s"
    )


if __name__ == "__main__":
    main()
