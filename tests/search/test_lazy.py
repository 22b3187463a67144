"""search.lazy: a backend built at its first use, once, and the fallback of a worker on Meilisearch."""

from __future__ import annotations

import threading
from typing import Any

import numpy as np
import pytest

from search.backend import BackendUnavailable, SearchBackend
from search.documents import Document, Hit
from search.embedded import EmbeddedBackend
from search.fallback import FallbackBackend
from search.lazy import LAZY_FROM, LazyBackend, lazy_fallback


def doc(slug: str, title: str) -> Document:
    return Document(slug, title, "", ("ontmoeten",), "oss", (), (), "")


DOCS = [doc("oss-buurthuis", "Buurthuis De Schakel"), doc("oss-taalcafe", "Taalcafé in de bibliotheek")]
SAFETY = 10.0  # seconds before a broken test gives up waiting; never reached when the code is right


class Counting:
    """A factory of embedded backends that counts its builds."""

    def __init__(self) -> None:
        self.made: list[EmbeddedBackend] = []

    def __call__(self) -> EmbeddedBackend:
        backend = EmbeddedBackend(None, synonyms=[])
        self.made.append(backend)
        return backend


class Down:
    name = "meilisearch"

    def index(self, docs, vectors):
        raise BackendUnavailable("connection refused")

    def search(self, query, **kwargs):
        raise BackendUnavailable("connection refused")

    def healthy(self):
        return False


class Up(Down):
    def search(self, query, **kwargs):
        return [Hit("oss-buurthuis", 1.0, 1.0, 0.0)]

    def healthy(self):
        return True

    def index(self, docs, vectors):
        pass


def test_it_is_a_search_backend():
    assert isinstance(LazyBackend(Counting(), name="embedded"), SearchBackend)


def test_nothing_is_built_until_it_is_used():
    factory = Counting()
    lazy = LazyBackend(factory, name="embedded")
    lazy.index(DOCS, None)
    assert factory.made == [] and not lazy.built
    assert lazy.name == "embedded"  # its name needs no build
    assert [h.slug for h in lazy.search("taalcafé")] == ["oss-taalcafe"]
    assert lazy.built and len(factory.made) == 1
    lazy.search("buurthuis")
    assert len(factory.made) == 1


def test_the_build_indexes_the_last_documents_and_vectors_given():
    factory = Counting()
    lazy = LazyBackend(factory, name="embedded")
    lazy.index(DOCS[:1], None)
    lazy.index(DOCS, np.eye(2, 4, dtype=np.float32))
    hits = lazy.search("taalcafé", vector=np.array([0, 1, 0, 0], np.float32))
    assert hits[0].slug == "oss-taalcafe" and hits[0].semantic == pytest.approx(1.0)
    assert len(factory.made[0]) == 2


def test_once_built_index_replaces_the_index_at_once():
    factory = Counting()
    lazy = LazyBackend(factory, name="embedded")
    lazy.index(DOCS, None)
    assert lazy.healthy()  # a use: builds
    lazy.index(DOCS[:1], None)
    assert len(factory.made) == 1 and len(factory.made[0]) == 1
    with pytest.raises(ValueError, match="duplicate"):
        lazy.index([DOCS[0], DOCS[0]], None)  # the real backend's own checks, at once


def test_a_search_reaches_the_real_backend_with_all_its_arguments():
    seen: list[dict] = []

    class Recording(EmbeddedBackend):
        def search(self, query, **kwargs):
            seen.append(kwargs)
            return super().search(query, **kwargs)

    lazy = LazyBackend(lambda: Recording(None, synonyms=[]), name="embedded")
    lazy.index(DOCS, None)
    lazy.search("taalcafé", gemeente="oss", kern="Oss", limit=3, keyword_weight=0.15)
    filters = {"gemeente": "oss", "categories": None, "kern": "Oss"}
    assert seen == [{**filters, "limit": 3, "vector": None, "keyword_weight": 0.15}]


def test_without_documents_it_is_like_an_empty_backend():
    lazy = LazyBackend(Counting(), name="embedded")
    assert lazy.search("buurthuis") == []
    assert lazy.healthy() is False  # an un-indexed embedded backend is not healthy either


def test_a_failed_build_is_unhealthy_and_tried_again():
    attempts: list[int] = []

    def flaky() -> EmbeddedBackend:
        attempts.append(1)
        if len(attempts) == 1:
            raise OSError("disk full")
        return EmbeddedBackend(None, synonyms=[])

    lazy = LazyBackend(flaky, name="embedded")
    lazy.index(DOCS, None)
    assert lazy.healthy() is False and not lazy.built
    assert [h.slug for h in lazy.search("buurthuis")] == ["oss-buurthuis"]  # the documents were kept
    assert len(attempts) == 2


def test_save_builds_and_writes_the_real_backends_file(tmp_path):
    path = tmp_path / "embedded.npz"
    lazy = LazyBackend(lambda: EmbeddedBackend(path, synonyms=[]), name="embedded")
    lazy.index(DOCS, None)
    assert not path.exists()  # the embedded backend writes its file when it indexes: not yet
    lazy.save()
    assert path.exists() and lazy.built


class SpyLock:
    """A lock that tells when a second thread has to wait for it."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.contended = threading.Event()

    def __enter__(self) -> SpyLock:
        if not self._lock.acquire(blocking=False):
            self.contended.set()
            self._lock.acquire()
        return self

    def __exit__(self, *exc: object) -> None:
        self._lock.release()


def test_two_threads_that_need_it_at_once_build_it_once():
    entered, release = threading.Event(), threading.Event()
    factory = Counting()

    def slow_factory() -> EmbeddedBackend:
        entered.set()
        assert release.wait(SAFETY)  # held here until the second thread waits for the build
        return factory()

    lazy = LazyBackend(slow_factory, name="embedded")
    lazy._lock = SpyLock()  # type: ignore[assignment]
    lazy.index(DOCS, None)
    results: dict[str, Any] = {}

    def ask(who: str) -> None:
        results[who] = [h.slug for h in lazy.search("buurthuis")]

    first = threading.Thread(target=ask, args=("first",))
    first.start()
    assert entered.wait(SAFETY)  # the first thread is building
    second = threading.Thread(target=ask, args=("second",))
    second.start()
    assert lazy._lock.contended.wait(SAFETY)  # type: ignore[attr-defined]  # the second one waits for it
    release.set()
    first.join(SAFETY)
    second.join(SAFETY)
    assert results == {"first": ["oss-buurthuis"], "second": ["oss-buurthuis"]}
    assert len(factory.made) == 1


def test_the_fallback_answers_from_a_lazy_secondary_when_the_primary_fails():
    factory = Counting()
    lazy = LazyBackend(factory, name="embedded")
    fb = FallbackBackend(Down(), lazy)
    fb.index(DOCS, None)  # Meilisearch down at startup: the breaker opens, nothing is built yet
    assert fb.degraded and fb.name == "embedded" and not lazy.built
    assert [h.slug for h in fb.search("taalcafé")] == ["oss-taalcafe"]  # the first degraded request builds
    assert lazy.built and len(factory.made) == 1


def test_a_working_primary_never_builds_the_lazy_secondary():
    factory = Counting()
    lazy = LazyBackend(factory, name="embedded")
    fb = FallbackBackend(Up(), lazy)
    fb.index(DOCS, None)
    for _ in range(3):
        assert fb.search("buurthuis")[0].slug == "oss-buurthuis"
    assert fb.name == "meilisearch" and fb.stats()["secondary"] == "embedded"
    assert factory.made == [] and not lazy.built


@pytest.mark.parametrize(
    ("mode", "entries", "lazy"),
    [
        ("eager", 10 * LAZY_FROM, False),
        ("lazy", 1, True),
        ("auto", LAZY_FROM - 1, False),
        ("auto", LAZY_FROM, True),
    ],
)
def test_lazy_fallback_by_mode_and_size(mode, entries, lazy):
    assert lazy_fallback(mode, entries) is lazy


def test_auto_turns_lazy_between_the_sizes_it_was_chosen_for():
    """Measured (docs/architecture.md): the embedded worker passes 400 MB at about 4,500 entries."""
    assert 4_500 <= LAZY_FROM <= 10_000


def test_an_unknown_mode_is_refused():
    with pytest.raises(ValueError, match="choose one of auto, eager, lazy"):
        lazy_fallback("sometimes", 10)


def test_the_setting_accepts_exactly_the_modes_lazy_fallback_knows() -> None:
    from search.lazy import MODES
    from webapp.settings import SETTINGS

    (setting,) = [s for s in SETTINGS if s.name == "MEILI_FALLBACK"]
    assert [setting.parse(mode) for mode in MODES] == list(MODES)
    with pytest.raises(ValueError):
        setting.parse("sometimes")
