"""A synthetic national sociale kaart: every Dutch gemeente, entries made by varying the demo content.

    from bench.synthetic import national
    documents, places = national(10_000)

Each demo entry (content/voorzieningen) is a template. A synthetic entry takes one, moves it to another
gemeente and kern (real names from search/data/nederland.yaml), and varies its text so no two are the same:
its title gets the kern's name and one of a few organisation forms, its sentences are shuffled and one is
left out, a few words become synonyms, its keywords are sampled. Coordinates are near a point derived from
the gemeente's name (nederland.yaml has no coordinates): the map is not realistic, the search load is.
Deterministic for a given size (seeded). Used by bench/scale.py.
"""

from __future__ import annotations

import hashlib
import random
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import yaml

from search.documents import Document, Place
from search.places import DATA as NEDERLAND

ROOT = Path(__file__).resolve().parent.parent
FORMS = ("", "Stichting {k}", "{k} Samen", "Buurtteam {k}", "Vrijwilligers {k}", "Dorpshuis {k}")
SYNONYMS = {
    "buurthuis": ("wijkhuis", "dorpshuis", "ontmoetingsplek"),
    "vrijwilliger": ("vrijwilligster", "maatje", "buurtgenoot"),
    "gratis": ("kosteloos", "zonder kosten"),
    "hulp": ("steun", "ondersteuning"),
    "koffie": ("thee", "koffie en thee"),
    "kom": ("loop", "stap"),
}


def gemeenten() -> list[dict[str, object]]:
    """Every Dutch gemeente with its kernen (the main town first)."""
    rows = yaml.safe_load(NEDERLAND.read_text(encoding="utf-8"))
    return [
        {"naam": r["naam"], "slug": slug(r["naam"]), "kernen": [r["naam"], *r.get("kernen", [])]}
        for r in rows
    ]


def slug(name: str) -> str:
    """Lower-case ASCII letters, digits and hyphens ("Noardeast-Fryslân" -> "noardeast-fryslan"): a
    Meilisearch document id allows no other characters."""
    letters = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", letters.casefold()).strip("-")


def _point(name: str) -> tuple[float, float]:
    h = hashlib.sha256(name.encode()).digest()
    return 50.8 + 2.6 * h[0] / 255, 3.4 + 3.7 * h[1] / 255


def templates() -> list[Document]:
    """The demo content's entries as search documents (the app's own conversion)."""
    from webapp.content import load_content
    from webapp.searching import to_document

    content = load_content(ROOT / "content")
    return [to_document(e) for e in content.entries if not e.landelijk]


OURS = {"oss": "Oss", "maashorst": "Maashorst", "meierijstad": "Meierijstad", "oirschot": "Oirschot",
        "geertruidenberg": "Geertruidenberg"}  # fmt: skip


def _moved(text: str, template: Document, kern: str) -> str:
    """The template's own place names replaced by the new kern; no "(voorbeeld)"."""
    for name in (*template.kernen, OURS.get(template.gemeente or "", "")):
        if name:
            text = text.replace(name, kern)
    return text.replace(" (voorbeeld)", "")


def _vary(text: str, rng: random.Random) -> str:
    sentences = [s.strip() for s in text.replace("\n", " ").split(". ") if s.strip()]
    if len(sentences) > 3:
        sentences.pop(rng.randrange(len(sentences)))
        rng.shuffle(sentences)
    words = " ".join(s.rstrip(".") + "." for s in sentences).split()
    for i, word in enumerate(words):
        options = SYNONYMS.get(word.lower().strip(".,"))
        if options and rng.random() < 0.5:
            words[i] = rng.choice(options)
    return " ".join(words)


def national(size: int, seed: int = 0) -> tuple[list[Document], list[Place]]:
    """`size` synthetic entries spread over all gemeenten, and every gemeente and kern as a Place."""
    documents, places, _ = national_with_templates(size, seed)
    return documents, places


def national_with_templates(size: int, seed: int = 0) -> tuple[list[Document], list[Place], list[str]]:
    """national(), and for each entry the slug of the demo entry it was made from."""
    rng = random.Random(seed)
    base = templates()
    rows = gemeenten()
    places: list[Place] = []
    for row in rows:
        lat, lon = _point(str(row["naam"]))
        places.append(Place(str(row["naam"]), str(row["slug"]), "gemeente", None, lat, lon))
        for kern in row["kernen"][1:]:  # type: ignore[index]
            klat, klon = _point(str(kern))
            places.append(Place(str(kern), str(row["slug"]), "kern", None, klat, klon))
    documents: list[Document] = []
    origins: list[str] = []
    for i in range(size):
        row = rows[i % len(rows)]
        kern = rng.choice(row["kernen"])  # type: ignore[arg-type]
        template = rng.choice(base)
        form = rng.choice(FORMS)
        own = _moved(template.title, template, str(kern))
        title = own if not form else f"{own} ({form.format(k=kern)})"
        lat, lon = _point(f"{kern}{i}")
        keep = max(1, len(template.keywords) * 2 // 3)
        keywords: Sequence[str] = rng.sample(list(template.keywords), k=keep) if template.keywords else ()
        origins.append(template.slug)
        documents.append(
            replace(
                template,
                slug=f"{row['slug']}-{i:05d}",
                title=title,
                summary=_vary(_moved(template.summary, template, str(kern)), rng),
                gemeente=str(row["slug"]),
                kernen=(str(kern),),
                keywords=tuple(keywords),
                body=_vary(_moved(template.body, template, str(kern)), rng),
                lat=lat,
                lon=lon,
            )
        )
    return documents, places, origins
