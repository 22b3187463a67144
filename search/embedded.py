"""In-process search backend (the default): BM25F over Dutch stems, typo tolerance, compound parts, synonyms
and cosine similarity on stored vectors. Persisted to one .npz file so startup only loads arrays."""

from __future__ import annotations

import bisect
import json
import logging
import math
import os
import tempfile
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Final

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from search.backend import KEYWORD_WEIGHT, rank_hits
from search.documents import Document, Hit
from search.ranking import _STEMMER_NAME, STOPWORDS, content_words, stem, stems, words
from search.synonyms import DEFAULT_SYNONYMS_PATH, Group, SynonymExpander, load_synonyms
from search.table import DocumentTable

log = logging.getLogger(__name__)

FORMAT_VERSION: Final = 1

# BM25F: per-field weight and length normalisation.
FIELD_WEIGHTS: Final = {"title": 3.0, "keywords": 3.0, "summary": 1.5, "body": 0.6}
FIELD_B: Final = {"title": 0.3, "keywords": 0.3, "summary": 0.5, "body": 0.75}
K1: Final = 1.2

# Weights of terms that were not typed literally, relative to an exact (stemmed) match.
TYPO_WEIGHTS: Final = {1: 0.7, 2: 0.5}
SYNONYM_WEIGHT: Final = 0.6
COMPOUND_PREFIX_WEIGHT: Final = 0.5  # "schuld" -> "schuldhulp"
COMPOUND_INFIX_WEIGHT: Final = 0.35  # "hulp" inside "schuldhulp" (needs >= 5 letters)
COMPOUND_PART_WEIGHT: Final = 0.5  # unknown "schuldhulpverlening" -> known part "schuld"
MAX_COMPOUND_TERMS: Final = 12
MIN_TYPO_LEN: Final = 4
MIN_TWO_TYPO_LEN: Final = 8
MIN_PREFIX_LEN: Final = 4
MIN_INFIX_LEN: Final = 5
# Documents that match only some of the query words score lower: factor = FLOOR + (1 - FLOOR) * share.
COVERAGE_FLOOR: Final = 0.6


def _doc_fields(doc: Document) -> dict[str, list[str]]:
    return {
        "title": stems(doc.title),
        "keywords": stems(" ; ".join(doc.keywords)),
        "summary": stems(doc.summary),
        "body": stems(doc.body),
    }


class EmbeddedBackend:
    """In-process backend. `index()` builds (and saves when a path is set); `load()` reads a saved index."""

    name = "embedded"

    def __init__(self, path: Path | None = None, synonyms: Sequence[Group] | None = None) -> None:
        self.path = path
        if synonyms is None:
            synonyms = load_synonyms(DEFAULT_SYNONYMS_PATH) if DEFAULT_SYNONYMS_PATH.exists() else []
        self._expander = SynonymExpander(synonyms)
        empty_ids, empty_scores = np.zeros(0, np.int32), np.zeros(0, np.float32)
        self._set_state([], [], np.zeros(1, np.int64), empty_ids, empty_scores, {}, None)
        self._ready = False

    # ------------------------------------------------------------------ building
    def index(self, docs: Sequence[Document], vectors: np.ndarray | None) -> None:
        docs = list(docs)
        if len({d.slug for d in docs}) != len(docs):
            raise ValueError("duplicate slugs in the documents")
        if vectors is not None:
            vectors = np.asarray(vectors, dtype=np.float32)
            if vectors.ndim != 2 or vectors.shape[0] != len(docs):
                raise ValueError(f"vectors must have shape (len(docs), dim), got {vectors.shape}")

        fields = [_doc_fields(d) for d in docs]
        n = len(docs)
        avg_len = {f: max(1.0, sum(len(df[f]) for df in fields) / n) if n else 1.0 for f in FIELD_WEIGHTS}
        tfs: dict[str, dict[int, float]] = {}
        for i, df in enumerate(fields):
            for f, toks in df.items():
                if not toks:
                    continue
                norm = 1.0 - FIELD_B[f] + FIELD_B[f] * len(toks) / avg_len[f]
                for term, count in Counter(toks).items():
                    row = tfs.setdefault(term, {})
                    row[i] = row.get(i, 0.0) + FIELD_WEIGHTS[f] * count / norm
        terms = sorted(tfs)
        offsets = np.zeros(len(terms) + 1, np.int64)
        doc_ids: list[int] = []
        contribs: list[float] = []
        for t_i, term in enumerate(terms):
            row = tfs[term]
            idf = math.log(1.0 + (n - len(row) + 0.5) / (len(row) + 0.5))
            for d_i in sorted(row):
                tf = row[d_i]
                doc_ids.append(d_i)
                contribs.append(idf * tf * (K1 + 1.0) / (K1 + tf))
            offsets[t_i + 1] = len(doc_ids)

        surface: dict[str, str] = {}
        for d in docs:
            for w in content_words(" ".join((d.title, d.summary, " ".join(d.keywords), d.body))):
                surface.setdefault(w, stem(w))
        self._set_state(
            docs,
            terms,
            offsets,
            np.asarray(doc_ids, np.int32),
            np.asarray(contribs, np.float32),
            surface,
            vectors,
        )
        self._ready = True
        if self.path is not None:
            self.save()

    def _set_state(
        self,
        docs: list[Document],
        terms: list[str],
        offsets: np.ndarray,
        doc_ids: np.ndarray,
        contribs: np.ndarray,
        surface: dict[str, str],
        vectors: np.ndarray | None,
    ) -> None:
        self._docs = docs
        self._slugs = [d.slug for d in docs]
        self._terms = terms
        self._offsets = offsets
        self._doc_ids = doc_ids
        self._contribs = contribs
        self._surface = surface
        self._postings: dict[str, tuple[np.ndarray, np.ndarray]] = {
            t: (doc_ids[offsets[i] : offsets[i + 1]], contribs[offsets[i] : offsets[i + 1]])
            for i, t in enumerate(terms)
        }
        # Typo candidates: surface words and stems, each mapped to the stem(s) it stands for.
        typo_map: dict[str, set[str]] = {}
        for w, s in surface.items():
            typo_map.setdefault(w, set()).add(s)
        for t in terms:
            typo_map.setdefault(t, set()).add(t)
        self._typo_choices = [w for w in typo_map if len(w) >= MIN_TYPO_LEN - 1]
        self._typo_map = typo_map
        # All terms in one string for fast substring (compound) search.
        self._joined = "\n".join(terms)
        starts, pos = [], 0
        for t in terms:
            starts.append(pos)
            pos += len(t) + 1
        self._starts = starts
        self._vectors = vectors
        self.table = DocumentTable(docs, vectors)
        self._token_cache: dict[str, dict[str, float]] = {}

    # ------------------------------------------------------------------ persistence
    def save(self, path: Path | None = None) -> Path:
        path = Path(path or self.path or "")
        if not str(path):
            raise ValueError("no path to save the index to")
        meta = {
            "format": FORMAT_VERSION,
            "stemmer": _STEMMER_NAME,
            "docs": [asdict(d) for d in self._docs],
            "terms": self._terms,
            "surface": self._surface,
        }
        arrays: dict[str, np.ndarray] = {
            "meta": np.array(json.dumps(meta, ensure_ascii=False)),
            "offsets": self._offsets,
            "doc_ids": self._doc_ids,
            "contribs": self._contribs,
        }
        if self._vectors is not None:
            arrays["vectors"] = self._vectors
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, **arrays)  # type: ignore[arg-type]
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        return path

    def load(self, path: Path | None = None) -> None:
        """Load a saved index. Raises FileNotFoundError, or ValueError for a file of another version."""
        path = Path(path or self.path or "")
        with np.load(path, allow_pickle=False) as data:
            meta = json.loads(str(data["meta"]))
            if meta.get("format") != FORMAT_VERSION or meta.get("stemmer") != _STEMMER_NAME:
                raise ValueError(f"{path}: index format {meta.get('format')} is outdated, rebuild the index")
            vectors = data["vectors"] if "vectors" in data.files else None
            offsets, doc_ids, contribs = data["offsets"], data["doc_ids"], data["contribs"]
        docs = [
            Document(
                **{
                    **d,
                    "categories": tuple(d["categories"]),
                    "kernen": tuple(d["kernen"]),
                    "keywords": tuple(d["keywords"]),
                }
            )
            for d in meta["docs"]
        ]
        self._set_state(docs, meta["terms"], offsets, doc_ids, contribs, meta["surface"], vectors)
        self._ready = True

    # ------------------------------------------------------------------ searching
    def healthy(self) -> bool:
        return self._ready

    def __len__(self) -> int:
        return len(self._docs)

    def document(self, slug: str) -> Document | None:
        for d in self._docs:
            if d.slug == slug:
                return d
        return None

    def search(
        self,
        query: str,
        *,
        gemeente: str | None = None,
        categories: Sequence[str] | None = None,
        kern: str | None = None,
        limit: int = 20,
        vector: np.ndarray | None = None,
        keyword_weight: float = KEYWORD_WEIGHT,
    ) -> list[Hit]:
        n = len(self._docs)
        if n == 0 or limit <= 0:
            return []
        keyword = self._keyword_scores(query)
        semantic = self.table.cosines(vector)
        mask = self.table.mask(gemeente, categories, kern)
        if mask is not None:
            keyword = keyword * mask
            if semantic is not None:
                semantic = semantic * mask
        return rank_hits(self._slugs, keyword, semantic, limit, keyword_weight)

    def query_terms(self, query: str) -> list[dict[str, float]]:
        """Weighted index terms per query word (for tests and debugging)."""
        return [terms for _, terms in self._analyse(query)]

    def _analyse(self, query: str) -> list[tuple[str, dict[str, float]]]:
        qwords = [w for w in words(query) if w not in STOPWORDS]
        per_word = [(w, dict(self._expand_word(w))) for w in qwords]
        qstems = [stem(w) for w in qwords]
        for start, end, phrases in self._expander.expand_spans(qstems):
            for phrase in phrases:
                weight = SYNONYM_WEIGHT / math.sqrt(len(phrase))
                for term in phrase:
                    for t, w in self._term_variants(term).items():
                        for _, terms in per_word[start:end]:
                            if terms.get(t, 0.0) < weight * w:
                                terms[t] = weight * w
        return per_word

    def _keyword_scores(self, query: str) -> np.ndarray:
        n = len(self._docs)
        total = np.zeros(n, dtype=np.float64)
        per_word = self._analyse(query)
        analysed = [terms for _, terms in per_word if terms]
        if not analysed:
            return total
        covered = np.zeros(n, dtype=np.float64)
        for terms in analysed:
            acc = np.zeros(n, dtype=np.float64)
            for t, w in terms.items():
                ids, contrib = self._postings[t]
                acc[ids] += w * contrib
            total += acc
            covered += acc > 0.0
        return total * (COVERAGE_FLOOR + (1.0 - COVERAGE_FLOOR) * covered / len(per_word))

    def _expand_word(self, word: str) -> dict[str, float]:
        """Index terms for one folded query word: exact stem, else typo corrections or compound parts;
        plus longer compounds that contain it. Cached per index."""
        cached = self._token_cache.get(word)
        if cached is not None:
            return cached
        s = stem(word)
        terms: dict[str, float] = {}
        if s in self._postings:
            terms[s] = 1.0
        else:
            for t, w in self._typo_terms(word, s).items():
                terms[t] = max(terms.get(t, 0.0), w)
            if not terms:
                for t in self._compound_parts(s):
                    terms[t] = COMPOUND_PART_WEIGHT
        for t, w in list(terms.items()):
            for t2, w2 in self._compound_terms(t).items():
                if terms.get(t2, 0.0) < w * w2:
                    terms[t2] = w * w2
        if len(self._token_cache) > 4096:
            self._token_cache.clear()
        self._token_cache[word] = terms
        return terms

    def _term_variants(self, term: str) -> dict[str, float]:
        """A synonym term and the longer compounds that contain it."""
        out: dict[str, float] = {}
        if term in self._postings:
            out[term] = 1.0
        out.update({t: w for t, w in self._compound_terms(term).items() if t not in out})
        return out

    def _typo_terms(self, word: str, s: str) -> dict[str, float]:
        if len(word) < MIN_TYPO_LEN or not self._typo_choices:
            return {}
        max_edits = 2 if len(word) >= MIN_TWO_TYPO_LEN else 1
        found: dict[str, float] = {}
        for probe in {word, s}:
            matches = process.extract(
                probe, self._typo_choices, scorer=Levenshtein.distance, score_cutoff=max_edits, limit=8
            )
            for choice, dist, _ in matches:
                weight = TYPO_WEIGHTS[max(1, int(dist))]
                for t in self._typo_map[choice]:
                    if t in self._postings and found.get(t, 0.0) < weight:
                        found[t] = weight
        return found

    def _compound_terms(self, s: str) -> dict[str, float]:
        """Longer index terms that contain s: as prefix (len >= 4) or elsewhere (len >= 5)."""
        if len(s) < MIN_PREFIX_LEN or not self._joined:
            return {}
        found: dict[str, float] = {}
        pos = self._joined.find(s)
        while pos != -1:
            t_i = bisect.bisect_right(self._starts, pos) - 1
            term = self._terms[t_i]
            if term != s:
                if pos == self._starts[t_i]:
                    found[term] = COMPOUND_PREFIX_WEIGHT
                elif len(s) >= MIN_INFIX_LEN:
                    found.setdefault(term, COMPOUND_INFIX_WEIGHT)
            pos = self._joined.find(s, pos + 1)
        if len(found) > MAX_COMPOUND_TERMS:
            best = sorted(found, key=lambda t: (-found[t], len(t), t))[:MAX_COMPOUND_TERMS]
            found = {t: found[t] for t in best}
        return found

    def _compound_parts(self, s: str) -> Iterable[str]:
        """Known terms that form the start or end of an unknown compound ("schuldhulpverlen" -> "schuld")."""
        if len(s) < 2 * MIN_INFIX_LEN - 1:
            return []
        parts = []
        for cut in range(MIN_INFIX_LEN, len(s) - 2):
            head, tail = s[:cut], s[cut:]
            if head in self._postings:
                parts.append(head)
            if len(tail) >= MIN_INFIX_LEN and tail in self._postings:
                parts.append(tail)
        return parts
