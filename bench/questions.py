"""A varied set of resident questions for latency and load runs (not the evaluation set)."""

from __future__ import annotations

import itertools

NEEDS = [
    "Mijn vader wordt vergeetachtig, waar kan hij overdag naartoe",
    "ik zoek een buurthuis",
    "Ik zorg voor mijn vrouw en ik kan het niet meer aan",
    "wie helpt mij met mijn schulden",
    "hulp bij het invullen van een formulier van de gemeente",
    "Ik wil Nederlands leren praten",
    "Waar kan mijn dochter van 16 heen na school",
    "Ik ben eenzaam sinds mijn man is overleden",
    "Wie kan mij naar het ziekenhuis rijden",
    "Ik zoek vrijwilligerswerk met dieren",
    "Is er een wandelgroep voor ouderen",
    "mijn kind van 3 eet slecht, wie kan ik iets vragen",
    "ik heb een rolstoel nodig",
    "Ik voel me somber en wil met iemand praten",
    "de buren maken elke nacht lawaai",
    "computerles voor senioren",
    "voedselbank aanmelden",
    "kledingbank",
    "klusjes in huis, lamp ophangen",
    "I need help with my debts",
    "Potrzebuję pomocy z językiem niderlandzkim",
    "Yalnız hissediyorum",
    "أحتاج مساعدة في ملء استمارة",
    "Шукаю безкоштовні курси нідерландської",
    "wanneer is de afvalkalender",
    "Ik wil niet meer leven",
]
PLACES = [
    "",
    " in Oss",
    " in Veghel",
    " in Uden",
    " in Oirschot",
    " in Raamsdonksveer",
    " in Schijndel",
    " in Zeeland",
]


def questions(n: int) -> list[str]:
    """n questions, cycling needs x places so most are distinct."""
    pairs = itertools.cycle(itertools.product(NEEDS, PLACES))
    return [need + place for need, place in itertools.islice(pairs, n)]


OPENERS = ["", "Hallo, ", "Goedemiddag. ", "Vraagje: ", "Weet iemand dit? ", "Sorry voor de vraag, ", "Hoi! "]
CLOSERS = [
    "",
    "?",
    ", alvast bedankt",
    ". Wie weet raad?",
    " graag snel",
    ". Groetjes",
    " (voor een buurvrouw)",
]
WHO = [
    "",
    " voor mijn moeder",
    " voor mijn buurman",
    " voor ons gezin",
    " voor een vriendin",
    " voor mijzelf",
]


def new_question_count() -> int:
    """How many distinct questions new_questions can make."""
    wordings = len(OPENERS) * len(WHO) * len(CLOSERS) - 1
    return wordings * len(NEEDS)


def new_questions(n: int) -> list[str]:
    """n distinct questions, none repeated: each need worded n // len(NEEDS) ways (opener, for whom,
    closer, place), so every one pays the model (the question cache never hits); none is worded like
    questions() (the warm-up), whose needs come bare."""
    wordings = itertools.islice(itertools.product(OPENERS, WHO, CLOSERS), 1, None)
    out: list[str] = []
    for (opener, who, closer), place in zip(wordings, itertools.cycle(PLACES), strict=False):
        out += [f"{opener}{need}{who}{place}{closer}" for need in NEEDS]
        if len(out) >= n:
            return out[:n]
    raise ValueError(f"at most {len(out)} distinct questions")
