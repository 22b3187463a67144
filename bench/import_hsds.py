"""Bench: import a 1,000-service HSDS 3.0 file with 5% bad records (#16).

The services are the demo content's own export, repeated with new ids and names until there are N; 5% get
one fault each (a bad point, no category, a bad date, a bad phone number, an unknown area). Runs
`flask content import --hsds` (test CLI runner) on a temporary folder with the demo gemeenten. Prints one
line: services, bad records reported by id, files written, seconds.
Usage: python bench/import_hsds.py [--services N]
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp import create_app  # noqa: E402
from webapp.api import hsds  # noqa: E402
from webapp.api.hsds_import import MAPPING_FILE  # noqa: E402
from webapp.content import load_content  # noqa: E402


def _break(service: dict[str, Any], kind: int) -> None:
    if kind == 0:
        for link in service["service_at_locations"]:
            link["location"]["latitude"] = "ergens"
        if not service["service_at_locations"]:
            service["last_modified"] = "31-02-2026"
    elif kind == 1:
        service["attributes"] = []
    elif kind == 2:
        service["last_modified"] = "31-02-2026"
        service.pop("assured_date", None)
    elif kind == 3:
        service["phones"] = [{"id": "x", "number": "bel maar"}]
    else:
        service["service_areas"] = [{"id": "x", "name": "Atlantis"}]
        for link in service["service_at_locations"]:
            for address in link["location"].get("addresses", []):
                address["city"] = "Atlantis"


def make_document(count: int, bad_share: float, seed: int = 7) -> tuple[dict[str, Any], set[str]]:
    content = load_content(ROOT / "content")
    demo = hsds.export_document(content.entries, content.gemeenten)["contents"]
    rng = random.Random(seed)
    bad = set(rng.sample(range(count), round(count * bad_share)))
    services, bad_ids = [], set()
    for i in range(count):
        service = copy.deepcopy(demo[i % len(demo)])
        service["id"] = hsds.stable_id(f"bench-{i}")
        service["alternate_name"] = f"{service['alternate_name']}-{i}"
        service["name"] = f"{service['name']} {i}"[:80]
        if i in bad:
            _break(service, i % 5)
            bad_ids.add(service["id"])
        services.append(service)
    return {"contents": services}, bad_ids


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--services", type=int, default=1000)
    args = parser.parse_args()
    doc, bad_ids = make_document(args.services, 0.05)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "content"
        shutil.copytree(ROOT / "content" / "gemeenten", root / "gemeenten")
        shutil.copy(ROOT / "content" / MAPPING_FILE, root / MAPPING_FILE)
        (root / "voorzieningen").mkdir()
        source = Path(tmp) / "services.json"
        source.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
        app = create_app({"TESTING": True, "CONTENT_DIR": str(root), "DATABASE_URL": "sqlite://",
                          "EMBEDDER": "none", "ROUTER_DIR": str(Path(tmp) / "none")})  # fmt: skip
        start = time.perf_counter()
        result = app.test_cli_runner().invoke(args=["content", "import", "--hsds", str(source)])
        seconds = time.perf_counter() - start
        reported = {i for i in bad_ids if f"service {i}: " in result.output}
        written = len(list((root / "voorzieningen").rglob("*.md")))
    print(
        f"import_hsds: services={args.services} bad={len(bad_ids)} reported_by_id={len(reported)} "
        f"(exit {result.exit_code}, {written} files written) seconds={seconds:.2f}"
    )


if __name__ == "__main__":
    main()
