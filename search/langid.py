"""The language of a resident's question: a naive Bayes model over its letters, learnt from the corpus.

The model reads the same hashed character n-grams as the router (search.letters) and learns one
letter profile per language from the labelled corpus (search/data/triage, 15 languages, every script and
transliteration the writers used). Training is a sum per language over 10,000 short messages: about a
second at the first question, numpy only, the same result in every process. The model holds 4 MB, where
lingua's models held 26 MB per worker, and it knows the languages and the spellings residents write in
(Arabizi, Persian, Tigrinya, Somali). bench/language.py measures it by batch-held-out cross-validation.

Dutch is the default: a question of one short word, or without letters, is Dutch, and another language must
beat Dutch by DUTCH_PRIOR (a log-odds head start) since most questions are Dutch.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from search.language import fold
from search.letters import BUCKETS, letter_features

DEFAULT = "nl"
ALPHA = 0.01  # additive smoothing, chosen by batch-held-out cross-validation (bench/language.py --alpha)
DUTCH_PRIOR = 2.0
_LETTERS = re.compile(r"[^\W\d_]", re.UNICODE)


@dataclass(frozen=True)
class LanguageModel:
    """Multinomial naive Bayes over the letter features: one log-probability row per language."""

    labels: tuple[str, ...]
    log_prob: np.ndarray  # languages x BUCKETS, float32

    @classmethod
    def fit(cls, texts: Sequence[str], labels: Sequence[str], alpha: float = ALPHA) -> LanguageModel:
        names = tuple(sorted(set(labels)))
        index = {name: i for i, name in enumerate(names)}
        counts = np.zeros((len(names), BUCKETS), dtype=np.float64)
        for text, label in zip(texts, labels, strict=True):
            buckets, weights = letter_features(fold(text))
            counts[index[label], buckets] += weights
        counts += alpha
        log_prob = np.log(counts) - np.log(counts.sum(axis=1, keepdims=True))
        return cls(names, log_prob.astype(np.float32))

    def scores(self, text: str) -> np.ndarray:
        """Log-likelihood per language (self.labels order), Dutch with its head start."""
        buckets, weights = letter_features(fold(text))
        scores = self.log_prob[:, buckets] @ weights
        if DEFAULT in self.labels:
            scores[self.labels.index(DEFAULT)] += DUTCH_PRIOR
        return scores

    def detect(self, text: str) -> str:
        """ISO 639-1 code of the text's language; Dutch when there is too little to read."""
        text = (text or "").strip()
        letters = len(_LETTERS.findall(text))
        if letters < 3 or (len(text.split()) < 2 and letters < 8):
            return DEFAULT  # no letters, or one short word: not enough evidence
        return self.labels[int(np.argmax(self.scores(text)))]


_lock = threading.Lock()
_model: LanguageModel | None = None


def model() -> LanguageModel:
    """The model trained on the packaged corpus, once per process."""
    global _model
    with _lock:
        if _model is None:
            from search.triage.corpus import load_corpus

            messages = load_corpus()
            _model = LanguageModel.fit([m.text for m in messages], [m.lang for m in messages])
    return _model


@lru_cache(maxsize=4096)
def detect_language(text: str) -> str:
    """ISO 639-1 code of a question's language; "nl" when short, unclear or unknown."""
    return model().detect(text)
