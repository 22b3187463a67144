"""The circuit breaker in search.fallback: skip a failing primary, no penalty while it is down, recover."""

from __future__ import annotations

import time

import pytest

from search.backend import BackendUnavailable
from search.documents import Document, Hit
from search.fallback import FallbackBackend

DOC = Document(
    slug="a",
    title="Buurthuis",
    summary="Kom langs",
    categories=("ontmoeten",),
    gemeente="oss",
    kernen=(),
    keywords=("buurthuis",),
    body="Koffie",
)


class Fake:
    def __init__(self, name: str, delay: float = 0.0) -> None:
        self.name = name
        self.down = False
        self.index_missing = False
        self.delay = delay
        self.searches = 0
        self.indexed = 0

    def index(self, docs, vectors):
        if self.down:
            raise BackendUnavailable("connection refused")
        self.indexed += 1
        self.index_missing = False

    def search(
        self, query, *, gemeente=None, categories=None, kern=None, limit=20, vector=None, keyword_weight=0.5
    ):
        self.searches += 1
        time.sleep(self.delay)
        if self.down:
            raise BackendUnavailable("connection refused")
        if self.index_missing:
            raise BackendUnavailable("meilisearch: index_not_found")
        return [Hit("a", 1.0, 1.0, 0.0)]

    def healthy(self):
        return not self.down


@pytest.fixture
def clock():
    return [100.0]


def make(clock, **kw):
    primary, secondary = Fake("meilisearch", **kw), Fake("embedded")
    fb = FallbackBackend(primary, secondary, retry_after=5.0, clock=lambda: clock[0])
    fb.index([DOC], None)
    return fb, primary, secondary


def test_primary_answers_while_it_works(clock):
    fb, primary, secondary = make(clock)
    assert fb.search("buurthuis") == [Hit("a", 1.0, 1.0, 0.0)]
    assert (primary.searches, secondary.searches) == (1, 0)
    assert fb.name == "meilisearch" and not fb.degraded


def test_a_failure_skips_the_primary_without_penalty(clock):
    fb, primary, secondary = make(clock, delay=0.05)
    primary.down = True
    assert fb.search("buurthuis")  # this one pays: it tried the primary
    assert fb.degraded and fb.name == "embedded"
    for _ in range(20):
        assert fb.search("buurthuis")
    assert primary.searches == 1  # the 20 requests after the failure do not ask (nor wait for) the primary
    assert secondary.searches == 21


def test_recovers_in_the_background_after_the_retry_interval(clock):
    fb, primary, secondary = make(clock)
    primary.down = True
    fb.search("x")
    primary.down = False
    clock[0] += 4.0
    fb.search("x")
    assert fb.degraded  # too early: no probe yet
    clock[0] += 1.5
    fb.search("x")  # starts the probe; this request is still answered by the secondary
    deadline = time.monotonic() + 5
    while fb.degraded and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not fb.degraded
    before = primary.searches
    fb.search("x")
    assert primary.searches == before + 1


def test_a_failed_probe_waits_another_interval(clock):
    fb, primary, _ = make(clock)
    primary.down = True
    fb.search("x")
    clock[0] += 6
    assert fb.probe() is False
    assert fb.degraded
    assert fb._open_until == pytest.approx(clock[0] + 5)


def test_a_missing_index_is_rebuilt_when_the_primary_returns(clock):
    fb, primary, _ = make(clock)
    primary.index_missing = True
    fb.search("x")
    assert fb.degraded
    indexed = primary.indexed
    clock[0] += 6
    assert fb.probe() is True
    assert primary.indexed == indexed + 1
    assert not fb.degraded


def test_indexing_while_the_primary_is_down_keeps_the_secondary_and_reindexes_later(clock):
    primary, secondary = Fake("meilisearch"), Fake("embedded")
    primary.down = True
    marks = []
    fb = FallbackBackend(
        primary,
        secondary,
        retry_after=5.0,
        clock=lambda: clock[0],
        on_primary_indexed=lambda: marks.append(1),
    )
    fb.index([DOC], None)
    assert secondary.indexed == 1 and fb.degraded
    primary.down = False
    clock[0] += 6
    assert fb.probe() is True
    assert primary.indexed == 1 and marks == [1]


def test_index_primary_false_leaves_the_primary_alone(clock):
    primary, secondary = Fake("meilisearch"), Fake("embedded")
    fb = FallbackBackend(primary, secondary)
    fb.index([DOC], None, primary=False)
    assert (primary.indexed, secondary.indexed) == (0, 1)


class Begun(Fake):
    """A primary with a search of two halves (like Meilisearch): begun before the vector exists."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.begun = 0
        self.weights: list[float] = []

    def begin(self, query, *, gemeente=None, categories=None, kern=None):
        self.begun += 1
        primary = self

        class Pending:
            def hits(self, vector, limit, keyword_weight=0.5):
                primary.weights.append(keyword_weight)
                return primary.search(query, gemeente=gemeente, limit=limit, vector=vector)

        return Pending()


def test_a_begun_search_hands_the_keyword_weight_to_the_primary(clock):
    primary, secondary = Begun("meilisearch"), Fake("embedded")
    fb = FallbackBackend(primary, secondary, retry_after=5.0, clock=lambda: clock[0])
    fb.index([DOC], None)
    fb.begin("buurthuis").hits([1.0, 0.0], 5, keyword_weight=0.15)
    fb.search("buurthuis", vector=[1.0, 0.0], keyword_weight=0.2)
    assert primary.weights == [0.15, 0.2] and not fb.degraded


def test_a_begun_search_that_fails_is_answered_by_the_secondary_with_its_vector(clock):
    primary, secondary = Begun("meilisearch"), Fake("embedded")
    fb = FallbackBackend(primary, secondary, retry_after=5.0, clock=lambda: clock[0])
    fb.index([DOC], None)
    asked = []
    secondary.search = lambda query, **kw: asked.append((query, kw)) or [Hit("a", 0.5, 0.0, 0.5)]
    pending = fb.begin("buurthuis", gemeente="oss")
    primary.down = True  # fails between the keyword half and the vector half
    assert pending.hits([1.0, 0.0], 7, keyword_weight=0.15) == [Hit("a", 0.5, 0.0, 0.5)]
    assert fb.degraded and primary.begun == 1
    filters = {"gemeente": "oss", "categories": None, "kern": None}
    assert asked == [("buurthuis", {**filters, "limit": 7, "vector": [1.0, 0.0], "keyword_weight": 0.15})]
    fb.begin("buurthuis").hits(None, 5)  # the circuit is open: the primary is not even begun
    assert primary.begun == 1
