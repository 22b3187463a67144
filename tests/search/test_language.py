"""Language detection and the one fold of search/ (search.language.fold)."""

from __future__ import annotations

import pytest

from search.langid import LanguageModel, detect_language
from search.language import fold, fold_char
from search.places import normalise
from search.ranking import words


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Waar vind ik een inloopspreekuur voor geldvragen?", "nl"),
        ("Is there a place where older people can have lunch together?", "en"),
        ("Gdzie mogę znaleźć pomoc przy wypełnianiu formularzy?", "pl"),
        ("Yaşlılar için bir buluşma yeri var mı?", "tr"),
        ("أين يمكنني تعلم اللغة الهولندية؟", "ar"),
        ("Де я можу знайти допомогу з документами?", "uk"),
        ("Мне нужна помощь с документами, где это можно найти?", "ru"),
        ("Wo kann ich Niederländisch lernen?", "de"),
        ("buurthuis", "nl"),
        ("help", "nl"),
        ("", "nl"),
        ("??", "nl"),
        ("Oss", "nl"),
    ],
)
def test_detect(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_fold() -> None:
    assert fold("Şiddet  ÖLMEK") == "siddet olmek"
    assert fold("Chcę się zabić, mąż") == "chce sie zabic, maz"
    assert fold("أريد أن أموت") == "اريد ان اموت"
    assert fold("б'є") == "бє"


@pytest.mark.parametrize(
    "text",
    [
        "Łódź, Øresund, Straße",
        "bakıyorum",
        "Taalcafé",
        "أنا في إلى المدرسة ـ",
        "ми\u200cخوام",
        "Вегеле",
        "ﬁx",
    ],
)
def test_keywords_and_place_names_fold_like_the_triage(text: str) -> None:
    """One fold: the keyword search's words and the gazetteer's names are made of fold_char's letters."""
    folded = fold(text)
    assert "".join(map(fold_char, text)).split() == folded.split()
    assert all(word in folded for word in words(text))
    assert normalise(text)[0] == normalise(folded)[0]


def test_fold_spells_out_special_letters_and_drops_apostrophes() -> None:
    assert fold("Łódź Øresund Straße bakıyorum") == "lodz oresund strasse bakiyorum"
    assert fold("ة ى أ") == "ه ي ا"
    assert fold("auto's zo’n") == "autos zon"


def test_words_break_at_an_apostrophe_and_keep_special_letters_whole() -> None:
    assert words("Mijn oma's auto’s, zo'n taalcafé") == ["mijn", "oma", "auto", "zo", "taalcafe"]
    assert words("Chciałabym bakıyorum") == ["chcialabym", "bakiyorum"]


def test_place_names_fold_with_their_index() -> None:
    norm, index = normalise("Łódź-Straße")
    assert norm == "lodz strasse"
    assert [index[i] for i in (0, 5, 9, 10, 11)] == [0, 5, 9, 9, 10]


def test_the_language_model_learns_its_languages_from_labelled_text() -> None:
    model = LanguageModel.fit(
        ["de kat zit op de mat", "het huis is groot en oud", "the cat sat on the mat", "the house is old"],
        ["nl", "nl", "en", "en"],
    )
    assert model.labels == ("en", "nl")
    assert model.detect("the cat is old") == "en"
    assert model.detect("de kat is oud") == "nl"


def test_dutch_unless_there_is_enough_to_read() -> None:
    model = LanguageModel.fit(["the cat sat on the mat"] * 3 + ["de kat"], ["en"] * 3 + ["nl"])
    assert model.detect("the") == "nl"  # one short word
    assert model.detect("?? 12") == "nl"  # no letters
    assert model.detect("the cat sat") == "en"
