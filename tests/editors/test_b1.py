"""The B1 check: warnings with line numbers, the score, and `content check` / `content b1`."""

from __future__ import annotations

from webapp.content.b1 import Jargon, check_text, load_jargon, score, sentences, syllables

from ..conftest import ENTRY_BODY, ROOT

JARGON = Jargon({"indicatie": "een besluit dat je hulp krijgt", "voorliggend veld": "hulp in de buurt"})


def _check(body: str, titel: str = "Koffie in het dorpshuis", samenvatting: str = "Drink koffie met buren."):
    lines = list(enumerate(body.splitlines(), start=30))
    return check_text("x.md", titel, samenvatting, lines, jargon=JARGON, samenvatting_line=3)


def test_syllables_come_from_the_dutch_hyphenation_dictionary():
    assert syllables("koffie") == 2
    assert syllables("maatwerkvoorziening") == 5
    assert syllables("geïnteresseerd") == 5
    assert syllables("vrijwilliger") == 4
    assert syllables("situatie") == 4  # si-tu-a-tie: three groups of vowels, four syllables
    assert syllables("individueel") == 5  # in-di-vi-du-eel


def test_individueel_is_a_long_word_now():
    warnings, kinds, _ = _check("Je krijgt individueel advies.")
    assert kinds == ["lang-woord"]
    assert "'individueel' is een lang woord (5 lettergrepen)" in warnings[0].message


def test_sentences_keep_the_line_where_they_start():
    found = sentences([(10, "Kom langs. Het is"), (11, "gezellig!"), (12, ""), (13, "- een lijst")])
    assert [(s.text, s.line) for s in found] == [
        ("Kom langs.", 10),
        ("Het is gezellig!", 10),
        ("een lijst", 13),
    ]


def test_long_sentence_warns_with_line_and_suggestion():
    body = "Kom langs.\n\n" + " ".join(["woord"] * 19) + "."
    warnings, kinds, _ = _check(body)
    assert [str(w) for w in warnings] == [
        "x.md:32: tekst: zin van 19 woorden; maak er twee zinnen van (hoogstens 15 woorden per zin): "
        "'woord woord woord woord woord woord woord woord ...'"
    ]
    assert warnings[0].severity == "warning"
    assert kinds == ["lange-zin"]


def test_jargon_long_words_and_passive():
    body = "Je hebt geen indicaties nodig.\nHet wordt georganiseerd door vrijwilligers.\n"
    body += "Dit is voorliggend veld."
    warnings, kinds, _ = _check(body + "\nWe hebben ondersteuningsmogelijkheden.")
    messages = {w.line: w.message for w in warnings}
    assert "'indicaties' is vaktaal; schrijf liever: een besluit dat je hulp krijgt" in messages[30]
    assert "'wordt georganiseerd' is lijdende vorm" in messages[31]
    assert "'voorliggend veld' is vaktaal" in messages[32]
    assert "'ondersteuningsmogelijkheden' is een lang woord" in messages[33]
    assert "'georganiseerd' is een lang woord (5 lettergrepen)" in warnings[1].message  # ge-or-ga-ni-seerd
    assert sorted(kinds) == ["lang-woord", "lang-woord", "lijdende-vorm", "vaktaal", "vaktaal"]


def test_formal_u_and_a_passive_with_u_in_between():
    body = "Na het gesprek wordt u doorverwezen naar de juiste hulp.\nNeem uw pas mee."
    warnings, kinds, _ = _check(body)
    messages = [(w.line, w.message) for w in warnings]
    assert (30, "'wordt ... doorverwezen' is lijdende vorm; zeg wie het doet, zoals 'wij organiseren' "
            "of 'de vrijwilliger helpt je'") in messages  # fmt: skip
    assert (30, "'u' is formeel; schrijf tegen de lezer met je en jij (jouw)") in messages
    assert sorted(kinds) == ["lijdende-vorm", "u-vorm"]  # the u form once per entry, not for 'uw' again


def test_indien_and_kosteloos_are_on_the_repository_jargon_list():
    jargon = load_jargon(ROOT / "content")
    lines = [(7, "Indien je wilt, is de cursus kosteloos.")]
    warnings, kinds, _ = check_text("x.md", "T", "", lines, jargon=jargon)
    assert kinds == ["vaktaal", "vaktaal"]
    assert "'Indien' is vaktaal; schrijf liever: als" in warnings[0].message
    assert "'kosteloos' is vaktaal; schrijf liever: gratis" in warnings[1].message


def test_a_score_under_the_minimum_is_an_error(runner, write_entry):
    hard = (
        "Indien u in aanmerking komt voor een maatwerkvoorziening, wordt u na een uitgebreid gesprek "
        "met een consulent kosteloos doorverwezen naar een gecontracteerde zorgaanbieder in uw regio.\n"
        "De ondersteuningsmogelijkheden worden vastgesteld op basis van uw persoonlijke omstandigheden "
        "en uw zelfredzaamheid binnen het voorliggend veld.\n"
        "Aanvragen worden afgehandeld conform de geldende verordening en beleidsregels van de gemeente.\n"
    )
    write_entry(slug="oss-moeilijk", replace={ENTRY_BODY: hard})
    result = runner.invoke(args=["content", "check", "content/voorzieningen/oss/oss-moeilijk.md"])
    assert result.exit_code == 1
    assert (
        "  content/voorzieningen/oss/oss-moeilijk.md: tekst: B1-score 44, minstens 50: de tekst is te "
        in (result.output)
    )
    assert "1 bestanden gelezen, 0 voorzieningen in orde, 1 fout, 9 B1-waarschuwingen" in result.output


def test_names_trefwoorden_and_weekdays_are_not_long_words():
    lines = [(5, "Kom naar Ontmoetingscentrum Heesch op donderdagmiddag voor de seniorenvoorlichting.")]
    warnings, _, _ = check_text("x.md", "T", "", lines, jargon=JARGON, trefwoorden=["seniorenvoorlichting"])
    assert warnings == []


def test_samenvatting_that_repeats_the_titel():
    warnings, kinds, _ = _check("Kom langs.", titel="Taalcafé Oss", samenvatting="Het taalcafé in Oss.")
    assert kinds == ["herhaalt-titel"]
    assert warnings[0].field == "samenvatting" and warnings[0].line == 3


def test_the_repository_jargon_list_loads():
    jargon = load_jargon(ROOT / "content")
    assert jargon.terms["maatwerkvoorziening"] and "vrijwilligerswerk" in jargon.ok_words
    assert load_jargon(ROOT / "nergens").terms == {}


def test_score_is_100_minus_weighted_penalties_per_100_words():
    assert score([], 120) == 100
    assert score(["lange-zin"], 100) == 94  # 3 points per 100 words, times 2
    assert score(["lange-zin"], 10) == 88  # short texts count as 50 words
    assert score(["vaktaal"] * 40, 100) == 0


def test_check_prints_warnings_but_exits_0(runner, write_entry):
    write_entry(
        slug="oss-lang",
        replace={
            "Wil je beter Nederlands praten? Kom naar het taalcafé.": "Wil je beter Nederlands praten en "
            "ook andere mensen uit de buurt leren kennen in een gezellige omgeving? Kom dan."
        },
    )
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 0, result.output
    assert "content/voorzieningen/oss/oss-lang.md:30: tekst: zin van 18 woorden" in result.output
    assert "2 voorzieningen in orde, 0 fouten, 1 B1-waarschuwing, B1-score gemiddeld" in result.output


def test_check_still_fails_on_errors_with_warnings(runner, write_entry):
    write_entry(slug="oss-kapot", replace={"aanmelden: binnenlopen": "aanmelden: zomaar"})
    result = runner.invoke(args=["content", "check"])
    assert result.exit_code == 1
    assert "1 fout" in result.output


def test_b1_command_lists_worst_first_and_the_average(runner, write_entry, content_dir):
    (content_dir / "jargon.yaml").write_text("vaktaal:\n  indicatie: een besluit\n", encoding="utf-8")
    write_entry(slug="oss-vaktaal", replace={"Kom naar het taalcafé.": "Je hebt geen indicatie nodig."})
    result = runner.invoke(args=["content", "b1", "--details"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert "oss-vaktaal.md" in lines[0] and "oss-taalcafe.md" in lines[2]
    assert "'indicatie' is vaktaal" in lines[1]
    assert lines[-1].startswith("2 voorzieningen, 1 B1-waarschuwing, B1-score gemiddeld")
