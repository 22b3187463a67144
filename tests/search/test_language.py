"""Language detection."""

from __future__ import annotations

import pytest

from search.language import detect_language, fold


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
