"""No evaluation question lives where the system could learn it by heart.

The shared dev questions, our own question sets and the held-out files measure; they must not appear in
the triage rules, the category needs, the synonyms, the entries' keywords, the tests or the router's
corpus. Verbatim (after folding) for rules, content and tests; nearly verbatim for the corpus.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from search.language import fold
from search.letters import char_matrix
from search.triage.corpus import load_corpus, read

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "eval" / "vragen-dev.jsonl"
OWN_SETS = [
    ROOT / "bench" / "vragen-eigen.jsonl",
    ROOT / "bench" / "vragen-toets.jsonl",
    *sorted((ROOT / "bench" / "antwoorden").rglob("*.jsonl")),  # a sealed/ folder too
]
HELDOUT = sorted((ROOT / "bench" / "heldout").rglob("*.jsonl"))  # a sealed/ folder too


def evaluation_questions() -> list[str]:
    texts: list[str] = []
    for path in [SHARED, *OWN_SETS]:
        if path.exists():
            texts += [json.loads(line)["q"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    texts += [m.text for m in read(HELDOUT)]
    return texts


def places_that_could_hold_them() -> list[Path]:
    files = [ROOT / "search" / "triage" / "rules.py", ROOT / "search" / "data" / "categorieen.yaml"]
    files += sorted((ROOT / "content").rglob("*.md")) + sorted((ROOT / "content").rglob("*.yaml"))
    files += [p for p in sorted((ROOT / "tests").rglob("*.py")) if p.name != Path(__file__).name]
    return files


def test_no_evaluation_question_is_written_into_rules_content_or_tests() -> None:
    questions = {fold(q).strip(" ?.!") for q in evaluation_questions()}
    questions = {q for q in questions if len(q.split()) >= 4}  # "buurthuis" alone is a word, not a question
    found = []
    for path in places_that_could_hold_them():
        text = fold(path.read_text(encoding="utf-8"))
        found += [(path.relative_to(ROOT), q) for q in questions if q in text]
    assert not found


def test_no_evaluation_question_is_in_the_corpus_nearly_verbatim() -> None:
    questions = evaluation_questions()
    corpus = [m.text for m in load_corpus()]
    similarity = (char_matrix(corpus) @ char_matrix(questions).T).max(axis=1).toarray().ravel()
    close = [corpus[i] for i in range(len(corpus)) if similarity[i] >= 0.8]
    assert not close, f"{len(close)} corpus lines are near copies of evaluation questions"


@pytest.mark.parametrize("path", HELDOUT, ids=lambda p: p.name)
def test_heldout_files_follow_the_guideline(path: Path) -> None:
    assert len(read([path])) >= 600
