"""Triage: the decision rules around the learned router, with a router whose probabilities we set.

How well the real router generalises is asserted on a held-out file in test_triage_heldout.py; no test here
checks one wording against the model (that is measuring, done in bench/triage.py).
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pytest

from search.language import fold
from search.letters import BUCKETS, char_features
from search.question import Meaning
from search.triage import LINES_FOR, Triage, is_gibberish
from search.triage.corpus import KINDS, ROUTES
from search.triage.router import Head, Router
from search.triage.rules import crisis_kinds

DIM = 8
THRESHOLDS = {"full": {"zorg": 0.1, "spoed": 0.6}, "letters": {"zorg": 0.2, "spoed": 0.7}}


def fixed_head(labels: tuple[str, ...], probabilities: dict[str, float], vector: bool) -> Head:
    """A head that answers `probabilities` whatever the message (zero weights, bias = log p)."""
    p = np.array([max(probabilities.get(label, 0.0), 1e-9) for label in labels], dtype=np.float32)
    return Head(
        labels=labels,
        bias=np.log(p / p.sum()),
        char=np.zeros((len(labels), BUCKETS), dtype=np.float32),
        embedding=np.zeros((len(labels), DIM), dtype=np.float32) if vector else None,
    )


def fake_router(routes: dict[str, float], kinds: dict[str, float] | None = None,
                letters: dict[str, float] | None = None) -> Router:  # fmt: skip
    kinds = kinds or {"suicide": 1.0}
    return Router(
        heads={
            "routes": fixed_head(ROUTES, routes, vector=True),
            "kinds": fixed_head(KINDS, kinds, vector=True),
            "routes.letters": fixed_head(ROUTES, letters or routes, vector=False),
            "kinds.letters": fixed_head(KINDS, kinds, vector=False),
        },
        neighbours=None,
        thresholds=THRESHOLDS,
        family="multilingual-e5-small",
        meta={},
    )


VECTOR = np.ones(DIM, dtype=np.float32) / np.sqrt(DIM)
MESSAGE = Meaning.of("een bericht", VECTOR)
E5 = "onnx-e5-small:abc:v1"


def triage(routes: dict[str, float], **kw: dict[str, float]) -> Triage:
    return Triage(E5, fake_router(routes, **kw))


def test_high_spoed_probability_is_the_emergency_page_with_112() -> None:
    result = triage({"spoed": 0.7, "voorziening": 0.3}).classify(MESSAGE)
    assert (result.route, result.safety) == ("spoed", "spoed")
    assert result.emergency[0] == "113"  # suicide: 113 first
    assert "112" in result.emergency


def test_middle_spoed_probability_answers_as_usual_with_the_zorg_block() -> None:
    result = triage({"spoed": 0.3, "voorziening": 0.6, "wijkteam": 0.1}).classify(MESSAGE)
    assert (result.route, result.safety) == ("voorziening", "zorg")
    assert result.emergency == LINES_FOR["suicide"]


def test_low_spoed_probability_has_no_safety_block() -> None:
    result = triage({"spoed": 0.05, "wijkteam": 0.9, "voorziening": 0.05}).classify(MESSAGE)
    assert (result.route, result.safety, result.emergency) == ("wijkteam", None, ())


def test_spoed_as_the_most_likely_route_below_the_threshold_is_zorg_not_the_page() -> None:
    result = triage({"spoed": 0.45, "onbekend": 0.35, "voorziening": 0.2}).classify(MESSAGE)
    assert (result.route, result.safety) == ("onbekend", "zorg")


def test_kinds_choose_the_lines_and_a_likely_second_kind_adds_its_own() -> None:
    kinds = {"child_abuse": 0.6, "medical": 0.3, "suicide": 0.1}
    result = triage({"spoed": 0.9, "voorziening": 0.1}, kinds=kinds).classify(MESSAGE)
    assert result.kinds == ("child_abuse", "medical")
    assert result.emergency == ("veilig-thuis", "112")


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_has_lines_and_every_spoed_answer_has_112(kind: str) -> None:
    result = triage({"spoed": 0.95, "voorziening": 0.05}, kinds={kind: 1.0}).classify(
        Meaning.of("x y z", VECTOR)
    )
    assert LINES_FOR[kind]
    assert "112" in result.emergency
    assert result.emergency[0] == LINES_FOR[kind][0]


def test_without_a_vector_the_letters_head_and_its_thresholds_answer() -> None:
    t = triage({"spoed": 0.01, "voorziening": 0.99}, letters={"spoed": 0.65, "voorziening": 0.35})
    assert t.classify(MESSAGE).safety is None  # full head: 0.01
    result = t.classify(Meaning.of("een bericht"))  # letters head: 0.65 is below its spoed threshold 0.7
    assert (result.route, result.safety) == ("voorziening", "zorg")
    assert "letters" in result.reason


def test_vectors_of_another_model_are_not_fed_to_the_router() -> None:
    router = fake_router({"spoed": 0.9, "voorziening": 0.1}, letters={"spoed": 0.0, "voorziening": 1.0})
    other = Triage("st:some-other-model", router)
    assert other.classify(MESSAGE).safety is None  # letters head, vector ignored
    assert Triage(E5, router).classify(MESSAGE).safety == "spoed"


def test_a_rule_match_is_at_least_the_zorg_block() -> None:
    result = triage({"spoed": 0.0, "voorziening": 1.0}).classify(Meaning.of("ik wil dood", VECTOR))
    assert (result.route, result.safety) == ("voorziening", "zorg")
    assert "113" in result.emergency
    assert "rule:suicide" in result.signals


def test_without_a_vector_a_rule_match_is_the_emergency_page() -> None:
    result = triage({"spoed": 0.0, "voorziening": 1.0}).classify(Meaning.of("ik wil dood", None))
    assert (result.route, result.safety) == ("spoed", "spoed")


def test_without_a_router_the_rules_answer_alone() -> None:
    rules = Triage(E5, router=None)
    assert rules.router is None
    crisis = rules.classify(Meaning.of("mijn opa ademt niet meer"))
    assert (crisis.route, crisis.safety) == ("spoed", "spoed")
    assert crisis.emergency[0] == "112"
    assert rules.classify(Meaning.of("qwerty asdfgh")).route == "onbekend"
    assert rules.classify(Meaning.of("waar is een buurthuis")).route == "voorziening"


def test_gibberish_is_onbekend_unless_the_router_hears_danger() -> None:
    calm = triage({"spoed": 0.0, "voorziening": 1.0})
    assert calm.classify(Meaning.of("asdfgh qwerty", VECTOR)).route == "onbekend"
    worried = triage({"spoed": 0.2, "voorziening": 0.8})
    assert worried.classify(Meaning.of("asdfgh qwerty", VECTOR)).safety == "zorg"


def test_rules_catch_plain_danger_words_but_not_figures_of_speech() -> None:
    assert crisis_kinds(fold("Ik wil echt niet meer leven.")) == ("suicide",)
    assert crisis_kinds(fold("he is not breathing")) == ("medical",)
    assert crisis_kinds(fold("en nu slaat hij me weer")) == ()  # the short list is not the net: the router is
    assert crisis_kinds(fold("hij slaat me weer")) == ("violence",)
    assert crisis_kinds(fold("ik verveel me dood op zondag")) == ()
    assert crisis_kinds(fold("dit formulier maakt me gek")) == ()


def test_gibberish() -> None:
    assert is_gibberish(fold("asdfasdf"))
    assert is_gibberish(fold(""))
    assert is_gibberish(fold("!!! ???"))
    assert not is_gibberish(fold("buurthuis"))
    assert not is_gibberish(fold("angstschreeuw"))
    assert not is_gibberish(fold("أريد مساعدة"))
    assert not is_gibberish(fold("szczęście"))
    # three quarters of the long words mashed is gibberish, half is not; a real word alone is not
    assert is_gibberish(fold("asdf qwer zxcv buurthuis"))
    assert not is_gibberish(fold("asdf qwer buurthuis hallo"))
    assert not is_gibberish(fold("asdf hallo"))


def test_char_features_are_unit_length_and_the_same_in_every_process() -> None:
    text = "Waar is het buurthuis?"
    buckets, weights = char_features(text)
    assert np.isclose(float(np.linalg.norm(weights)), 1.0)
    assert buckets.min() >= 0 and buckets.max() < BUCKETS
    code = f"from search.letters import char_features\nprint(char_features({text!r})[0].tolist())"
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == str(buckets.tolist())


def test_char_features_fold_case_and_accents() -> None:
    a, _ = char_features("Café in Óss")
    b, _ = char_features("cafe in oss")
    assert a.tolist() == b.tolist()


def test_router_round_trips_through_its_folder(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from search.triage.router import load_router

    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(30, DIM)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    heads = {
        name: Head(
            labels=labels,
            bias=rng.normal(size=len(labels)).astype(np.float32),
            char=(rng.normal(size=(len(labels), BUCKETS)) * (rng.random(BUCKETS) < 0.01)).astype(np.float32),
            embedding=None
            if name.endswith("letters")
            else rng.normal(size=(len(labels), DIM)).astype(np.float32),
            scale=3.0,
            temperature=0.8,
        )
        for name, labels in (
            ("routes", ROUTES),
            ("kinds", KINDS),
            ("routes.letters", ROUTES),
            ("kinds.letters", KINDS),
        )
    }
    from search.triage.train import neighbour_space, neighbours_of

    router = Router(
        heads, neighbours_of(vectors, rng.integers(0, 4, size=30), neighbour_space(vectors, dim=8)),
        THRESHOLDS, "multilingual-e5-small", {"mix": {"weight": 0.5, "temperature": 0.7}},
    )  # fmt: skip
    router.save(tmp_path)
    again = load_router(tmp_path)
    for text in ("ik zoek een buurthuis", "Мені потрібна допомога"):
        for vector in (vectors[3], None):
            a, b = router.predict(fold(text), vector), again.predict(fold(text), vector)
            assert a.routes == pytest.approx(b.routes, abs=2e-3)  # float16 letter weights on disk
            assert a.kinds == pytest.approx(b.kinds, abs=2e-3)
    assert again.thresholds == router.thresholds
    assert isinstance(again.neighbours.vectors, np.memmap)  # type: ignore[union-attr]  # shared by workers
    assert again.neighbours.vectors.shape == (30, 8)  # type: ignore[union-attr]  # the smaller space
    assert again.neighbours is not None and again.neighbours.coarse is not None  # the int8 first pass
    for vector in vectors[:10]:
        full = again.neighbours.vote(again.neighbours.similarities(vector), len(ROUTES))
        assert again.neighbours.vote_for(vector, len(ROUTES)) == pytest.approx(full, abs=1e-6)
    # A worker loads it with ONNX Runtime alone: the onnx package (17 MB resident) is for training only.
    code = (
        "import sys\nfrom pathlib import Path\nfrom search.triage.router import load_router\n"
        f"router = load_router(Path({str(tmp_path)!r}))\n"
        "print(router.neighbours.coarse is not None, 'onnx' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "False"]
    (tmp_path / "neighbours.int8.onnx").unlink()  # a folder without it: every row is read
    load_router.cache_clear()
    assert load_router(tmp_path).neighbours.coarse is None  # type: ignore[union-attr]


def test_one_question_vote_reads_the_same_rows_as_the_batch_vote() -> None:
    from search.triage.router import Neighbours

    rng = np.random.default_rng(1)
    labels = rng.integers(0, 4, size=500)
    for temperature in (0.001, 0.04):  # few rows within reach of the best, and many
        neighbours = Neighbours(np.zeros((500, 2), np.float32), labels, k=10, temperature=temperature)
        sims = rng.normal(0.5, 0.05, size=(40, 500)).astype(np.float32)
        batch = neighbours.vote(sims, 4)
        for row, expected in zip(sims, batch, strict=True):
            assert neighbours.vote(row, 4) == pytest.approx(expected, abs=1e-9)


def test_int8_pass_keeps_every_row_that_could_be_among_the_nearest() -> None:
    from search.triage.coarse import Coarse

    rng = np.random.default_rng(3)
    rows = rng.normal(size=(2000, 32)).astype(np.float32)
    rows[1000:] = rows[0] + rng.normal(size=(1000, 32)).astype(np.float32) * 0.02  # a crowd of near ties
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    coarse = Coarse.of(rows)
    assert coarse is not None
    for query in [*rows[[0, 5, 1500]], *rng.normal(size=(20, 32)).astype(np.float32)]:
        query = query / np.linalg.norm(query)
        exact = rows @ query
        kept = set(coarse.candidates(query, 10).tolist())
        assert set(np.argsort(-exact)[:10].tolist()) <= kept
        assert len(kept) < len(rows)  # rows far from the query are dropped


def test_kth_largest_is_the_partitions_also_when_the_largest_stand_far_apart() -> None:
    from search.triage.coarse import _kth_largest

    rng = np.random.default_rng(5)
    for values in (
        rng.normal(size=5000).astype(np.float32),  # many near the top
        np.array([9.0, -9.0, 3.0, 0.5, -2.0, 7.0, 1.0], dtype=np.float32),  # far apart: the margin grows
        np.full(50, 0.3, dtype=np.float32),  # all tied
    ):
        for k in (1, 3, 7):
            assert _kth_largest(values, k) == float(np.sort(values)[-k])


def test_vote_with_the_int8_pass_is_the_vote_over_all_rows() -> None:
    from search.triage.coarse import Coarse
    from search.triage.router import Neighbours

    rng = np.random.default_rng(4)
    rows = rng.normal(size=(3000, 24)).astype(np.float32)
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    labels = rng.integers(0, 4, size=3000)
    full = Neighbours(rows, labels, k=10, temperature=0.04)
    fast = Neighbours(rows, labels, k=10, temperature=0.04, coarse=Coarse.of(rows))
    for query in rng.normal(size=(30, 24)).astype(np.float32):
        assert fast.vote_for(query, 4) == pytest.approx(full.vote(full.similarities(query), 4), abs=1e-6)


def test_neighbour_space_keeps_similar_questions_close() -> None:
    from search.triage.train import neighbour_space, neighbours_of

    rng = np.random.default_rng(2)
    centre = rng.normal(size=DIM)
    spread = rng.normal(size=(200, 4)) @ rng.normal(size=(4, DIM))  # the corpus varies along 4 directions
    vectors = centre + spread * 0.3 + rng.normal(size=(200, DIM)) * 0.001
    vectors = (vectors / np.linalg.norm(vectors, axis=1, keepdims=True)).astype(np.float32)
    neighbours = neighbours_of(vectors, np.zeros(200, dtype=np.int64), neighbour_space(vectors, dim=4))
    assert neighbours.vectors.shape == (200, 4)
    assert np.linalg.norm(neighbours.vectors, axis=1) == pytest.approx(np.ones(200), abs=1e-5)
    sims = neighbours.similarities(vectors[7])
    assert int(np.argmax(sims)) == 7 and sims[7] == pytest.approx(1.0, abs=1e-5)
