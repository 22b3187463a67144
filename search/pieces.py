"""The question matcher's tokenizer: SentencePiece's Unigram over the model's own 250,002 pieces.

The Hugging Face tokenizer of multilingual-e5-small holds about 300 MB per process for its 250k-piece
vocabulary; SentencePiece holds the same vocabulary, scores and normalizer in about 60 MB and encodes
about 4x faster. convert() builds the SentencePiece model once (at `flask model build`) from the model's
tokenizer.json: the same pieces in the same order (so the ids are the model's ids), the same scores, the
same precompiled NFKC normalizer, the same metaspace rules. On the repository's texts (the triage corpus,
the held-out and evaluation questions, every entry's passage) the two give the same ids for all but one
text, where two segmentations have exactly the same score (tests/search/test_pieces.py, bench/embedders.py).
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

BOS, PAD, EOS, UNK = 0, 1, 2, 3  # XLM-R's fairseq ids: <s>, <pad>, </s>, <unk>


def convert(tokenizer_json: Path, out: Path) -> None:
    """Write a SentencePiece model with tokenizer.json's Unigram vocabulary and normalizer."""
    from sentencepiece import sentencepiece_model_pb2

    pb: Any = sentencepiece_model_pb2  # generated protobuf classes: no type information

    spec = json.loads(tokenizer_json.read_text(encoding="utf-8"))
    model = spec["model"]
    if model.get("type") != "Unigram":
        raise ValueError(f"{tokenizer_json}: a Unigram vocabulary is needed, not {model.get('type')}")
    precompiled = next(
        (
            n
            for n in spec["normalizer"].get("normalizers", [spec["normalizer"]])
            if n["type"] == "Precompiled"
        ),
        None,
    )
    if precompiled is None:
        raise ValueError(f"{tokenizer_json}: no precompiled normalizer")
    proto = pb.ModelProto()
    kinds = {"<s>": pb.ModelProto.SentencePiece.CONTROL, "<pad>": pb.ModelProto.SentencePiece.CONTROL,
             "</s>": pb.ModelProto.SentencePiece.CONTROL, "<unk>": pb.ModelProto.SentencePiece.UNKNOWN,
             "<mask>": pb.ModelProto.SentencePiece.USER_DEFINED}  # fmt: skip
    for text, score in model["vocab"]:
        piece = proto.pieces.add()
        piece.piece = text
        piece.score = score
        piece.type = kinds.get(text, pb.ModelProto.SentencePiece.NORMAL)
    proto.trainer_spec.model_type = pb.TrainerSpec.UNIGRAM
    proto.trainer_spec.bos_id, proto.trainer_spec.pad_id = BOS, PAD
    proto.trainer_spec.eos_id, proto.trainer_spec.unk_id = EOS, UNK
    proto.normalizer_spec.name = "nmt_nfkc"
    proto.normalizer_spec.precompiled_charsmap = base64.b64decode(precompiled["precompiled_charsmap"])
    proto.normalizer_spec.add_dummy_prefix = True  # Metaspace prepend_scheme "always"
    proto.normalizer_spec.remove_extra_whitespaces = True
    proto.normalizer_spec.escape_whitespaces = True
    out.write_bytes(proto.SerializeToString())


class Pieces:
    """encode(text) -> the model's input ids: <s> pieces </s>, at most max_tokens in all."""

    def __init__(self, model_file: Path, max_tokens: int = 512) -> None:
        import sentencepiece

        self._sp = sentencepiece.SentencePieceProcessor(model_file=str(model_file))
        self._space = self._sp.piece_to_id("\u2581")
        self.max_tokens = max_tokens

    def _wrap(self, text: str, ids: list[int]) -> list[int]:
        # The model's tokenizer keeps trailing whitespace as one more "▁" piece; SentencePiece drops it.
        if text[-1:].isspace() and ids:
            ids = [*ids, self._space]
        return [BOS, *ids[: self.max_tokens - 2], EOS]

    def encode(self, text: str) -> list[int]:
        return self._wrap(text, self._sp.encode(text))

    def encode_batch(self, texts: list[str]) -> list[list[int]]:
        return [self._wrap(text, ids) for text, ids in zip(texts, self._sp.encode(texts), strict=True)]
