"""Limits on content (#14): body, keyword count, file size and CSV cells, each with a plain message."""

from __future__ import annotations

import csv
import io

import pytest

from webapp.content import csv_import, fields, load_content
from webapp.content.loader import MAX_FILE_BYTES
from webapp.content.schema import TEKST_MAX

from ..conftest import ENTRY_BODY

BODY = "Wil je beter Nederlands praten? Kom naar het taalcafé.\n"
KEYWORDS = "trefwoorden: [nederlands leren, taal oefenen, praten]"


def _errors(content_dir):
    return [str(p) for p in load_content(content_dir).errors]


def test_a_body_over_the_limit_is_an_error(write_entry, content_dir):
    write_entry(replace={ENTRY_BODY: "Kom langs. " * 600})
    assert (
        "content/voorzieningen/oss/oss-taalcafe.md:30: tekst: is te lang: 6599 tekens, "
        f"maximaal {TEKST_MAX}; een goede tekst heeft 60 tot 200 woorden. Maak hem korter"
    ) in _errors(content_dir)


def test_more_than_thirty_keywords_is_an_error(write_entry, content_dir):
    many = ", ".join(f"woord{i}" for i in range(31))
    write_entry(replace={KEYWORDS: f"trefwoorden: [{many}]"})
    assert any("trefwoorden: gebruik hoogstens 30, nu 31" in e for e in _errors(content_dir))


def test_a_keyword_over_sixty_characters_is_an_error(write_entry, content_dir):
    write_entry(replace={KEYWORDS: f"trefwoorden: [taal, praten, {'a' * 61}]"})
    assert any("trefwoorden: onderdeel 3 is te lang: 61 tekens" in e for e in _errors(content_dir))


def test_a_file_over_the_size_limit_is_not_read(write_entry, content_dir):
    write_entry(replace={BODY: "x" * (MAX_FILE_BYTES + 1)})
    errors = _errors(content_dir)
    assert errors == [
        f"content/voorzieningen/oss/oss-taalcafe.md: bestand: is te groot: {MAX_FILE_BYTES // 1024} kB, "
        f"maximaal {MAX_FILE_BYTES // 1024} kB; maak de tekst korter"
    ]


def test_sixty_thousand_keywords_are_refused_before_any_pairwise_work():
    words = [f"woord{i % 59_000}" for i in range(60_000)]
    with pytest.raises(fields.FieldError, match="gebruik hoogstens 30, nu 60000"):
        fields.text_list(words, max_items=30)
    # without a maximum, the duplicate check still names each double once (one pass with a counter)
    with pytest.raises(fields.FieldError) as found:
        fields.text_list(words)
    assert str(found.value).count("woord") == 1000


def test_a_csv_cell_over_the_limit_is_reported_by_row_and_column(runner, content_dir, tmp_path):
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=["titel", "gemeente", "tekst"])
    writer.writeheader()
    writer.writerow({"titel": "Koffie", "gemeente": "oss", "tekst": "Kom langs."})
    writer.writerow({"titel": "Thee", "gemeente": "oss", "tekst": "a" * 140_000})
    path = tmp_path / "groot.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    result = runner.invoke(args=["content", "import", "--csv", str(path)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert (
        f"rij 3: kolom 'tekst': de cel is te lang: 140000 tekens, maximaal {csv_import.CELL_MAX}"
        in result.output
    )
    assert "Er is niets geschreven" in result.output
    assert csv.field_size_limit() == 131_072  # the module's limit is back as it was
