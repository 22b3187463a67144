"""Bench: the content limits of #14 on hostile files. Prints one line per case with seconds.

- load_content on the demo content plus one entry with 60,000 trefwoorden (refused by size, then by count);
- the duplicate check of fields.text_list on 60,000 trefwoorden without a maximum (one pass);
- the CSV import with one cell of 140,000 characters (reported by row and column).
Usage: python bench/content_limits.py
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp.content import csv_import, fields, load_content  # noqa: E402
from webapp.content.loader import MAX_FILE_BYTES  # noqa: E402

N = 60_000
ENTRY = """---
titel: Veel trefwoorden
samenvatting: Een bestand met heel veel trefwoorden.
categorieen: [ontmoeting]
gemeente: oss
organisatie: Test
kosten: {{soort: gratis, bedrag: ""}}
aanmelden: binnenlopen
doelgroep: [iedereen]
laatst_gecontroleerd: 2026-10-01
voorbeeld: true
trefwoorden: [{words}]
---
Kom langs.
"""


def timed(label: str, run: Callable[[], str]) -> None:
    start = time.perf_counter()
    outcome = run()
    print(f"{label}: {time.perf_counter() - start:.3f} s ({outcome})")


def main() -> None:
    words = [f"woord{i % (N - 1000)}" for i in range(N)]
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        shutil.copytree(ROOT / "content", content)
        path = content / "voorzieningen" / "oss" / "oss-veel-trefwoorden.md"
        path.write_text(ENTRY.format(words=", ".join(words)), encoding="utf-8")
        size = path.stat().st_size

        def check() -> str:
            found = [str(p) for p in load_content(content).errors]
            return f"{size} bytes > {MAX_FILE_BYTES}: " + "; ".join(found)

        timed(f"content check, {N} trefwoorden in one file", check)

        def dedup() -> str:
            try:
                fields.text_list(words)
            except fields.FieldError as exc:
                return f"{str(exc).count('woord')} doubles named"
            return "no error"

        timed(f"text_list duplicate check on {N} trefwoorden", dedup)

        def big_cell() -> str:
            text = "titel,gemeente,tekst\nThee,oss," + "a" * 140_000 + "\n"
            return "; ".join(csv_import.plan_import(text, content).messages())

        timed("csv import, one cell of 140,000 characters", big_cell)


if __name__ == "__main__":
    main()
