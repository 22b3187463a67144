"""Language detection accuracy (search.langid): batch-held-out cross-validation on the corpus, and the
shipped model on held-out files it never saw.

    python -m bench.language [--heldout bench/heldout/triage-a.jsonl ...] [--alpha 0.01] [--dutch-prior 2]
    python -m bench.language --sweep      # the grid behind ALPHA and DUTCH_PRIOR (cross-validation only)

Cross-validation uses the router's folds (search.triage.train.folds): a message is judged by a model that
saw nothing of its batch (one writer, one language). The held-out files are only reported, never tuned on.
Reported: accuracy, Dutch questions kept Dutch (a Dutch resident answered in another language is the costly
error), other languages taken for Dutch, the commonest confusions, and the median time per question.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.triage import DEFAULT_HELDOUT
from search import langid
from search.langid import LanguageModel
from search.triage.corpus import Message, load_corpus, read
from search.triage.train import folds


def figures(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    y, p = np.array(truth), np.array(predicted)
    dutch = y == "nl"
    wrong = Counter(f"{a}->{b}" for a, b in zip(y[p != y], p[p != y], strict=True))
    return {
        "n": len(y),
        "accuracy": round(float((p == y).mean()), 4),
        "dutch_kept_dutch": round(float((p[dutch] == "nl").mean()), 4) if dutch.any() else None,
        "other_taken_for_dutch": round(float((p[~dutch] == "nl").mean()), 4) if (~dutch).any() else None,
        "confusions": dict(wrong.most_common(6)),
    }


def cross_validated(messages: Sequence[Message], alpha: float) -> list[str]:
    y = np.array([m.lang for m in messages])
    groups = np.array([m.source for m in messages])
    predicted = [""] * len(messages)
    for train, test in folds(y, groups):
        model = LanguageModel.fit([messages[i].text for i in train], y[train].tolist(), alpha)
        for i in test:
            predicted[i] = model.detect(messages[i].text)
    return predicted


def median_ms(model: LanguageModel, texts: Sequence[str]) -> float:
    times = []
    for text in texts:
        start = time.perf_counter()
        model.detect(text)
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 3)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--heldout", nargs="*", type=Path, default=DEFAULT_HELDOUT)
    parser.add_argument("--alpha", type=float, default=langid.ALPHA)
    parser.add_argument("--dutch-prior", type=float, default=langid.DUTCH_PRIOR)
    parser.add_argument("--sweep", action="store_true", help="cross-validate a grid of alpha and prior")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    messages = load_corpus()
    texts = [m.text for m in messages]
    truth = [m.lang for m in messages]
    if args.sweep:
        for alpha in (0.003, 0.01, 0.03, 0.1):
            for prior in (0.0, 1.0, 2.0, 4.0):
                langid.DUTCH_PRIOR = prior
                row = figures(truth, cross_validated(messages, alpha))
                print(json.dumps({"alpha": alpha, "dutch_prior": prior} | row))
        return 0
    langid.DUTCH_PRIOR = args.dutch_prior
    start = time.perf_counter()
    model = LanguageModel.fit(texts, truth, args.alpha)
    report: dict[str, Any] = {
        "alpha": args.alpha,
        "dutch_prior": args.dutch_prior,
        "train_seconds": round(time.perf_counter() - start, 2),
        "model_mb": round(model.log_prob.nbytes / 2**20, 1),
        "median_ms": median_ms(model, texts[:2000]),
        "cross_validated": figures(truth, cross_validated(messages, args.alpha)),
    }
    for path in args.heldout:
        held = read([path])
        report[path.stem] = figures([m.lang for m in held], [model.detect(m.text) for m in held])
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
