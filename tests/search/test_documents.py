"""documents.document_bytes: what the index's fingerprint and each record's hash are made of. Any change to
any field must change it, and two different documents must never give the same bytes."""

from __future__ import annotations

import dataclasses

import pytest

from search.documents import Document, document_bytes

DOC = Document(
    "buurthuis-oss", "Buurthuis", "Koffie en een praatje", ("ontmoeten", "eenzaamheid"), "oss",
    ("Oss", "Berghem"), ("koffie", "praatje"), "Kom langs op dinsdag.", 51.76, 5.52, True, False, True,
)  # fmt: skip


def other_value(value: object) -> object:
    if isinstance(value, bool):
        return not value
    if isinstance(value, float):
        return value + 0.001
    if isinstance(value, str):
        return value + "x"
    if isinstance(value, tuple):
        return (*value, "x")
    if value is None:
        return "x"
    raise AssertionError(f"no other value for {value!r}: teach this test the new field's type")


@pytest.mark.parametrize("field", [f.name for f in dataclasses.fields(Document)])
def test_every_field_counts(field: str) -> None:
    """A field added to Document and left out of document_bytes fails here."""
    changed = dataclasses.replace(DOC, **{field: other_value(getattr(DOC, field))})
    assert document_bytes(changed) != document_bytes(DOC)


@pytest.mark.parametrize(
    "a, b",
    [
        # text moved across a field boundary
        ({"title": "Buurt", "summary": "huis"}, {"title": "Buurthuis", "summary": ""}),
        # an empty list, a list of one empty item, two lists that join the same
        ({"keywords": ()}, {"keywords": ("",)}),
        ({"keywords": ("a", "b")}, {"keywords": ("a\x1eb",)}),
        ({"categories": ("a",), "kernen": ()}, {"categories": (), "kernen": ("a",)}),
        # landelijk (None) and an empty gemeente; no coordinates and zero
        ({"gemeente": None}, {"gemeente": ""}),
        ({"lat": None}, {"lat": 0.0}),
        # a text holding a separator: written as its repr
        ({"title": "a\x1fb", "summary": "c"}, {"title": "a", "summary": "b\x1fc"}),
        ({"body": "x\x1e"}, {"body": "x"}),
        ({"keywords": ("a\x1eb", "c")}, {"keywords": ("a", "b\x1ec")}),
    ],
)
def test_different_documents_never_give_the_same_bytes(a: dict, b: dict) -> None:
    assert document_bytes(dataclasses.replace(DOC, **a)) != document_bytes(dataclasses.replace(DOC, **b))


def test_the_same_document_gives_the_same_bytes_whatever_its_strings_objects() -> None:
    copy = Document(**{k: ("".join(list(v)) if isinstance(v, str) else v) for k, v in DOC.__dict__.items()})
    rebuilt = Document(**{f.name: getattr(DOC, f.name) for f in dataclasses.fields(Document)})
    assert document_bytes(copy) == document_bytes(rebuilt) == document_bytes(DOC)
    assert document_bytes(DOC).startswith(b"u")  # the fast form for ordinary text
