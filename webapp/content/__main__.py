"""`python -m webapp.content check [BESTAND|GEMEENTE] [--dir content]`: the editors' check without the app.

For the CI of a content repository (docs/content-ci/): it needs only flask, pyyaml and pyphen, no database,
no model and no search index. Exit 0: no errors; 1: errors; 2: wrong use.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .checking import full_check, report_lines
from .scope import ScopeError, scope_for


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m webapp.content", description="Controleer de inhoud.")
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("check", help="Controleer alles, één bestand of één gemeente.")
    check.add_argument("target", nargs="?", help="Een bestand of een gemeente; leeg: alles.")
    check.add_argument("--dir", default="content", help="De content-map (standaard: content).")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    root = Path(args.dir)
    if not (root / "voorzieningen").is_dir():
        print(f"{root} heeft geen map voorzieningen/; geef de content-map met --dir.", file=sys.stderr)
        return 2
    try:
        scope = scope_for(root, args.target)
    except ScopeError as exc:
        print(exc, file=sys.stderr)
        return 2
    content, b1 = full_check(root, scope)
    for is_error, line in report_lines(content, ", " + b1, time.perf_counter() - start):
        print(line, file=sys.stderr if is_error else sys.stdout, flush=True)
    return 1 if content.errors else 0


if __name__ == "__main__":
    sys.exit(main())
