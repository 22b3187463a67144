"""A varied set of resident questions for latency runs (not the evaluation set)."""

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
