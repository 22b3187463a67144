"""The synthetic national sociale kaart of bench/scale.py (bench/synthetic.py): only the generator."""

from __future__ import annotations

import re

from bench.synthetic import gemeenten, national, national_with_templates


def test_every_dutch_gemeente_gets_entries_and_places():
    documents, places = national(400, seed=3)
    names = {str(g["slug"]) for g in gemeenten()}
    assert len(names) == 342
    assert {d.gemeente for d in documents} == names
    assert {p.gemeente for p in places if p.kind == "gemeente"} == names
    assert {"oss", "maashorst", "meierijstad", "oirschot", "geertruidenberg", "noardeast-fryslan"} <= names
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", d.slug) for d in documents)  # Meilisearch ids
    kernen = {p.name for p in places if p.kind == "kern"}
    assert all(set(d.kernen) <= kernen | {p.name for p in places} for d in documents)


def test_entries_differ_from_each_other_and_from_their_demo_entry():
    documents, _, origins = national_with_templates(400, seed=3)
    assert len({d.slug for d in documents}) == 400
    assert len({d.passage_text() for d in documents}) == 400
    assert len(set(origins)) > 50  # many demo entries are varied, not a few
    assert not any("(voorbeeld)" in d.title for d in documents)


def test_the_same_seed_gives_the_same_map_and_another_seed_another():
    first, _ = national(60, seed=7)
    again, _ = national(60, seed=7)
    other, _ = national(60, seed=8)
    assert first == again
    assert [d.passage_text() for d in first] != [d.passage_text() for d in other]
    longer, _ = national(120, seed=7)
    assert longer[:60] == first  # a larger map extends a smaller one: the vector cache is reused
