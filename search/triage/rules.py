# ruff: noqa: E501  (regular expressions read better unbroken)
"""The short rule list: unmistakable words of danger, in the languages of the corpus.

Two jobs, nothing more (search.triage.Triage):
- a floor under the learned router: a message with one of these words always gets at least the compact
  block with the crisis lines (the router decides whether the full emergency page is needed);
- the no-model fallback: without a router file, a match is answered with the emergency page.
Adding a wording is done in the corpus (search/data/triage/), never here. Patterns are matched against the
folded message (search.language.fold): lower case, no accents, Arabic letter variants unified.
"""

from __future__ import annotations

import math
import re

from search.language import fold

# crisis kind -> patterns (any language)
RULES: dict[str, tuple[str, ...]] = {
    "suicide": (
        r"\bzelfmoord (plegen|te plegen|doen)\b",
        r"\b(wil|wou|ga) (dood|zelfmoord)\b",
        r"\bniet meer (willen |wil )?leven\b",
        r"\bmaak(en)? er een (eind|einde) aan\b",
        r"\ber een (eind|einde) aan (te )?maken\b",
        r"\bkill(ing)? my ?self\b",
        r"\bwant to die\b",
        r"\bend my life\b",
        r"\bchce (umrzec|sie zabic)\b",
        r"\bvreau sa mor\b",
        r"\bsa ma sinucid",
        r"\bискам да умра\b",
        r"\bolmek istiyorum\b",
        r"\bkendimi oldurecegim\b",
        r"اريد ان اموت",
        r"انتحر",
        r"\bхочу (по|в|у)мерти\b",
        r"\bich will sterben\b",
        r"\bmich umbringen\b",
        r"\bquiero (morir|matarme)\b",
        r"\bje veux mourir\b",
        r"\bme suicider\b",
        r"میخوام بمیرم",
        r"خودکشی کنم",
        r"\bхочу умереть\b",
        r"\bпокончить с собой\b",
        r"\bпокінчити (з|із) собою\b",
    ),
    "medical": (
        r"\bademt niet( meer)?\b",
        r"\bis bewusteloos\b",
        r"\bnot breathing\b",
        r"\bis unconscious\b",
        r"\bnie oddycha\b",
        r"\bnu respira\b",
        r"\bне диша\b",
        r"\bnefes almiyor\b",
        r"لا يتنفس",
        r"\bне дихає\b",
        r"\batmet nicht\b",
        r"\bno respira\b",
        r"\bne respire (plus|pas)\b",
        r"نفس نمیکشه",
        r"\bне дышит\b",
    ),
    "violence": (
        r"\b(hij|zij|ze) (slaat|schopt|wurgt) (me|mij)\b",
        r"\bmet een mes\b.*\b(bedreig|dreig)",
        r"\b(is|are) hitting me\b",
        r"\b(he|she) (hits|beats|chokes) me\b",
        r"\bbije mnie\b",
        r"\bbeni dovuyor\b",
        r"يضربني",
        r"\bб'є мене\b",
        r"\bschlägt mich\b",
        r"\bme pega\b",
        r"\bme frappe\b",
        r"\bбьет меня\b",
        r"\bме бие\b",
        r"\bma bate\b",
    ),
}
_COMPILED = {
    kind: re.compile("|".join(f"(?:{fold(p)})" for p in patterns)) for kind, patterns in RULES.items()
}
KEYBOARD_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "azertyuiop", "qsdfghjklm", "wxcvbn", "1234567890")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LATIN_VOWELS = set("aeiouy")


def crisis_kinds(folded: str) -> tuple[str, ...]:
    """The crisis kinds whose rule matches the folded message (usually none)."""
    return tuple(kind for kind, pattern in _COMPILED.items() if pattern.search(folded))


def _is_gibberish_token(token: str) -> bool:
    if not token.isascii():
        return False  # other scripts: no cheap test
    if len(token) >= 3 and any(token in row or token[::-1] in row for row in KEYBOARD_ROWS):
        return len(token) >= 4 or not any(ch in _LATIN_VOWELS for ch in token)
    if len(token) >= 3 and len(set(token)) == 1:
        return True
    vowels = sum(ch in _LATIN_VOWELS for ch in token)
    if len(token) >= 4 and vowels == 0:
        return True
    run = longest = 0
    for ch in token:
        run = 0 if ch in _LATIN_VOWELS else run + 1
        longest = max(longest, run)
    if longest >= 9:
        return True
    if len(token) >= 7 and vowels / len(token) < 0.15:
        return True
    # many repeats of a 2-4 letter unit ("dfdfdfdf")
    return len(token) >= 6 and any(
        token == (token[:k] * (len(token) // k + 1))[: len(token)] for k in (2, 3, 4)
    )


def is_gibberish(folded: str) -> bool:
    """No real words in the folded message: empty, only digits, punctuation or emoji, or every word looks like
    keyboard mashing."""
    words = _WORD.findall(folded)
    if not words:
        return True
    letters = sum(len(w) for w in words)
    if letters < 2:
        return True
    long_words = [w for w in words if len(w) >= 3]
    if not long_words:
        return letters < 3
    # gibberish when every long word is, or (three or more) at least three quarters of them: stop reading
    # at the first real word past what that allows (a real message stops after a word or two)
    n = len(long_words)
    allowed = n - math.ceil(0.75 * n) if n >= 3 else 0
    real = 0
    for word in long_words:
        if not _is_gibberish_token(word):
            real += 1
            if real > allowed:
                return False
    return True
