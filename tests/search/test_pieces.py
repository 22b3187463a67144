"""The SentencePiece tokenizer built from the model's tokenizer.json gives the model's own ids."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.servers import MODEL_DIR
from search.pieces import BOS, EOS, Pieces, convert
from search.triage.corpus import load_corpus

TOKENIZER = MODEL_DIR / "tokenizer.json"


@pytest.fixture(scope="module")
def both(tmp_path_factory):  # type: ignore[no-untyped-def]
    if not TOKENIZER.exists():
        pytest.fail(f"{TOKENIZER} is missing: `make test` builds the model first (flask model build)")
    from tokenizers import Tokenizer

    model = tmp_path_factory.mktemp("pieces") / "pieces.model"
    convert(TOKENIZER, model)
    hf = Tokenizer.from_file(str(TOKENIZER))
    hf.enable_truncation(512)
    return hf, Pieces(model)


def test_the_same_ids_as_the_model_tokenizer_on_the_corpus(both) -> None:  # type: ignore[no-untyped-def]
    hf, pieces = both
    texts = ["query: " + m.text for m in load_corpus()]
    different = [t for t in texts if hf.encode(t).ids != pieces.encode(t)]
    # Unigram ties: two segmentations with exactly the same score may come out in either order.
    assert len(different) <= len(texts) // 1000, different[:5]


@pytest.mark.parametrize(
    "text",
    [
        "query: Вегеле  і Осс",
        "passage: Taalcafé  (voorbeeld)\nElke dinsdag.",
        "query: ኣብ ፈኸል",
        "query: " + "lang " * 700,
    ],
)
def test_scripts_spaces_and_truncation(both, text: str) -> None:  # type: ignore[no-untyped-def]
    hf, pieces = both
    ids = pieces.encode(text)
    assert ids == hf.encode(text).ids
    assert ids[0] == BOS and ids[-1] == EOS and len(ids) <= 512


def test_a_tokenizer_that_is_not_unigram_is_refused(tmp_path: Path) -> None:
    spec = {"model": {"type": "BPE", "vocab": {}}, "normalizer": {"type": "NFC"}}
    (tmp_path / "tokenizer.json").write_text(json.dumps(spec), encoding="utf-8")
    with pytest.raises(ValueError, match="Unigram"):
        convert(tmp_path / "tokenizer.json", tmp_path / "out.model")
