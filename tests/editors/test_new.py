"""`flask content new`: a valid skeleton, by flags or by questions; never overwrites."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from webapp.content import Entry, load_content, writer


def draft(content_dir: Path, gemeente: str, slug: str) -> Entry:
    """The new entry as the skeleton check sees it (the example texts still in)."""
    path = content_dir / "voorzieningen" / gemeente / f"{slug}.md"
    gemeenten = load_content(content_dir).gemeenten
    entry, problems = writer.validate_text(
        path.read_text(encoding="utf-8"), slug, gemeente, str(path), gemeenten, date.today(), draft=True
    )
    assert entry is not None, [str(p) for p in problems]
    return entry


def placeholder_errors_only(content_dir: Path) -> bool:
    errors = load_content(content_dir).errors
    return bool(errors) and all("voorbeeld" in p.message for p in errors)


def test_new_with_flags_writes_a_valid_entry(runner, content_dir):
    args = [
        "content", "new", "--yes", "--gemeente", "oss", "--titel", "Samen eten in Berghem",
        "--categorie", "ontmoeting", "--kern", "Berghem", "--organisatie", "ONS welzijn",
        "--aanmelden", "bellen", "--kosten", "eigen-bijdrage", "--bedrag", "€ 5 per maaltijd",
    ]  # fmt: skip
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    path = content_dir / "voorzieningen" / "oss" / "berghem-samen-eten-in-berghem.md"
    assert path.is_file()
    text = path.read_text(encoding="utf-8")
    assert f"laatst_gecontroleerd: {date.today().isoformat()}" in text
    assert "voorbeeld: false" in text and "TODO" not in text
    entry = draft(content_dir, "oss", "berghem-samen-eten-in-berghem")
    assert entry.kernen == ("Berghem",) and entry.kosten.bedrag == "€ 5 per maaltijd"
    assert entry.lat == 51.770 and entry.aanmelden == "bellen"
    check = runner.invoke(args=["content", "check"])
    assert check.exit_code == 1, check.output  # an entry never filled in cannot go live
    shown = "content/voorzieningen/oss/berghem-samen-eten-in-berghem.md"
    assert f"{shown}:3: samenvatting: dit is nog de voorbeeldzin" in check.output
    assert f"{shown}:24: tekst: dit is nog voorbeeldtekst" in check.output
    assert placeholder_errors_only(content_dir)


def test_new_asks_the_questions(runner, content_dir):
    answers = (
        "oss\nKlussendienst\nklussen-thuis, boodschappen-vervoer\n\nONS welzijn\n\nbinnenlopen\ngratis\n"
    )
    result = runner.invoke(args=["content", "new"], input=answers)
    assert result.exit_code == 0, result.output
    assert "Gemeente" in result.output and "Categorie" in result.output
    entry = draft(content_dir, "oss", "oss-klussendienst")
    assert entry.categorieen == ("klussen-thuis", "boodschappen-vervoer") and entry.kernen == ()
    assert placeholder_errors_only(content_dir)


def test_new_landelijk_has_no_prefix_and_no_kernen(runner, content_dir):
    args = ["content", "new", "-y", "--gemeente", "landelijk", "--titel", "Hulplijn", "--categorie",
            "psychisch", "--organisatie", "Stichting Hulplijn"]  # fmt: skip
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert draft(content_dir, "landelijk", "hulplijn").kernen == ()
    assert placeholder_errors_only(content_dir)


def test_new_refuses_to_overwrite(runner, content_dir):
    path = content_dir / "voorzieningen" / "oss" / "oss-taalcafe.md"
    before = path.read_text(encoding="utf-8")
    args = ["content", "new", "-y", "--gemeente", "oss", "--titel", "Taalcafe", "--categorie",
            "taal-digitaal", "--organisatie", "Bibliotheek"]  # fmt: skip
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert "bestaat al" in result.output
    assert path.read_text(encoding="utf-8") == before


def test_new_reports_a_bad_option_in_dutch_and_writes_nothing(runner, content_dir):
    args = ["content", "new", "-y", "--gemeente", "oss", "--titel", "Koffie", "--categorie", "koffie",
            "--kern", "Amsterdam", "--organisatie", "ONS"]  # fmt: skip
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert "--categorie: 'koffie' bestaat niet. Kies uit ontmoeting" in result.output
    assert "Er is niets geschreven" in result.output
    args[args.index("koffie")] = "ontmoeting"
    result = runner.invoke(args=args)
    assert result.exit_code == 1
    assert "--kern: 'Amsterdam' is geen kern van Oss. Kies uit Berghem, Oss." in result.output
    assert sorted(p.name for p in (content_dir / "voorzieningen" / "oss").iterdir()) == ["oss-taalcafe.md"]


def test_new_answers_are_case_insensitive(runner, content_dir):
    args = ["content", "new", "-y", "--gemeente", "Oss", "--titel", "Koffie in Berghem", "--categorie",
            "Ontmoeting", "--kern", "berghem", "--organisatie", "ONS", "--aanmelden", "Bellen",
            "--kosten", "GRATIS"]  # fmt: skip
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    entry = draft(content_dir, "oss", "berghem-koffie-in-berghem")
    assert (entry.gemeente, entry.categorieen, entry.kernen) == ("oss", ("ontmoeting",), ("Berghem",))
    assert (entry.aanmelden, entry.kosten.soort) == ("bellen", "gratis")


def test_a_wrong_answer_is_asked_again_at_once(runner, content_dir):
    answers = (
        "Uden\nOss\nKlussendienst\nklussen\nklussen-thuis\nAmsterdam\n\nONS welzijn\n\nbinnenlopen\ngratis\n"
    )
    result = runner.invoke(args=["content", "new"], input=answers)
    assert result.exit_code == 0, result.output
    assert "'uden' kan niet. Kies uit geertruidenberg, maashorst" in result.output
    assert "'klussen' bestaat niet. Bedoel je klussen-thuis?" in result.output
    assert "'Amsterdam' is geen kern van Oss. Kies uit Berghem, Oss. Probeer het nog eens." in result.output
    assert "Error" not in result.output and "is not one of" not in result.output
    assert draft(content_dir, "oss", "oss-klussendienst").categorieen == ("klussen-thuis",)


def test_new_with_yes_needs_the_required_flags(runner):
    result = runner.invoke(args=["content", "new", "--yes", "--gemeente", "oss"])
    assert result.exit_code == 2
    assert "Geef --titel mee (met --yes vraagt het programma niets)." in result.output
