"""Place resolution: the gemeente a message names, in any script or spelling, against the labels.

    python -m bench.places [--file bench/heldout/triage-a.jsonl ...] [--misses]

Every corpus (or held-out) line that names a place carries its gemeente (one of ours, or "buiten" for a
place elsewhere in the Netherlands). Reported per language: how many of those the gazetteer resolves to
the right gemeente, how many it resolves wrongly or misses, and how many lines without a place get one.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

from search.places import Gazetteer
from search.triage.corpus import Message, load_corpus, read


def gazetteer() -> Gazetteer:
    """The gazetteer as the app builds it from the demo content (webapp.searching.places_of)."""
    from tests.conftest import demo_config
    from webapp import create_app
    from webapp.catalog import content_service
    from webapp.searching import gazetteer_of

    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(demo_config(Path(tmp)))
        with app.app_context():
            return gazetteer_of(content_service().catalog)


def score(messages: Sequence[Message], gaz: Gazetteer, misses: bool) -> None:
    rows: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0, 0])  # named, right, wrong, missed, false
    for m in messages:
        place = gaz.detect(m.text)
        found = place.gemeente if place else None
        row = rows[m.lang]
        if m.gemeente:
            row[0] += 1
            if found == m.gemeente:
                row[1] += 1
            elif found is None:
                row[3] += 1
            else:
                row[2] += 1
            if misses and found != m.gemeente:
                print(f"  {m.lang} want {m.gemeente:<15} got {found or '-':<15} {m.text[:100]}")
        elif found is not None:
            row[4] += 1
            if misses:
                print(f"  {m.lang} want -               got {found:<15} {m.text[:100]}")
    total = [sum(r[i] for r in rows.values()) for i in range(5)]
    print(
        "| language | lines naming a place | right | wrong gemeente | missed | place found where none named |"
    )
    print("|---|---|---|---|---|---|")
    for lang, r in sorted(rows.items()) + [("all", total)]:
        share = f"{r[1]}/{r[0]} ({100 * r[1] / r[0]:.0f}%)" if r[0] else "-"
        print(f"| {lang} | {r[0]} | {share} | {r[2]} | {r[3]} | {r[4]} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", nargs="*", type=Path, help="JSONL files (default: the training corpus)")
    parser.add_argument("--misses", action="store_true", help="print every line resolved wrongly")
    args = parser.parse_args(argv)
    logging.disable(logging.WARNING)
    messages = read(args.file) if args.file else load_corpus()
    score(messages, gazetteer(), args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
