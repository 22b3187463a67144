"""The Meilisearch index is repaired by the documented command, built by one process at a time, and a
live index never lacks its embedder settings (issue #14 item 3). Counted, never timed."""

from __future__ import annotations

import multiprocessing
import threading
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import numpy as np
import pytest

from search.documents import Document
from search.fallback import MeiliVersion
from search.meili import MeiliBackend, entry_hash
from search.shared_index import Content, SharedIndex, changes

from .test_faults import ask_all, meili_app, readiness, slugs

pytestmark = pytest.mark.meili
DIM = 8


def documents(n: int = 12) -> list[Document]:
    return [
        Document(f"doc-{i}", f"Buurthuis {i}", "Koffie en een praatje", ("ontmoeten",), "oss", (), (), "")
        for i in range(n)
    ]


def vectors(n: int = 12) -> np.ndarray:
    rows = np.random.default_rng(7).normal(size=(n, DIM)).astype(np.float32)
    return rows / np.linalg.norm(rows, axis=1, keepdims=True)


def shared(url: str, key: str, lock: Path, index: str = "proef") -> SharedIndex:
    meili = MeiliBackend(url, key, index_name=index, synonyms=[])
    return SharedIndex(meili, MeiliVersion(url, key, index), "test-model", lock)


def build_in_a_process(url: str, key: str, lock: str, start, out) -> None:  # type: ignore[no-untyped-def]
    index = shared(url, key, Path(lock))
    start.wait(30)
    out.put(index.ensure(documents(), vectors()))


def index_names(meili_process) -> list[str]:
    import meilisearch

    admin = meilisearch.Client(meili_process.url, meili_process.key)
    return sorted(i.uid for i in admin.get_indexes({"limit": 100})["results"])


def test_reload_repairs_a_deleted_or_emptied_index_with_unchanged_content(make_app, meili_process):
    import meilisearch

    meili_process.start()
    app = meili_app(make_app, meili_process)
    client = app.test_client()
    before = ask_all(client)
    entries = readiness(client)["content"]
    admin = meilisearch.Client(meili_process.url, meili_process.key)
    runner = app.test_cli_runner()

    # Gone: the content fingerprint is unchanged, yet reload builds it again.
    admin.wait_for_task(admin.delete_index("voorzieningen").task_uid)
    result = runner.invoke(args=["content", "reload"])
    assert result.exit_code == 0, result.output
    assert "zoeken met meilisearch" in result.output
    assert admin.index("voorzieningen").get_stats().number_of_documents == entries

    # Half emptied: the document count tells.
    live = admin.index("voorzieningen")
    for doc in live.get_documents({"limit": 3}).results:
        admin.wait_for_task(live.delete_document(doc.slug).task_uid)
    assert runner.invoke(args=["content", "reload"]).exit_code == 0
    assert admin.index("voorzieningen").get_stats().number_of_documents == entries
    fresh = meili_app(make_app, meili_process, LOAD_ON_START=False)
    assert readiness(fresh.test_client())["checks"]["meilisearch"] == "ok"
    assert slugs(ask_all(fresh.test_client())) == slugs(before)


def test_reload_leaves_a_current_index_alone_unless_forced(make_app, meili_process):
    meili_process.start()
    app = meili_app(make_app, meili_process)
    readiness(app.test_client())  # the first build
    runner = app.test_cli_runner()
    service = app.extensions["dichtbij.search"]

    assert runner.invoke(args=["content", "reload"]).exit_code == 0
    assert service.shared_index.builds == 0  # current: nothing built

    result = runner.invoke(args=["content", "reload", "--force-index"])
    assert result.exit_code == 0, result.output
    assert service.shared_index.builds == 1
    assert not [n for n in index_names(meili_process) if "__building" in n]  # nothing left behind


def edited(docs: list[Document], vecs: np.ndarray) -> tuple[list[Document], np.ndarray]:
    """An editor's afternoon: doc-3 rewritten (new text, new vector), doc-5 deleted, doc-12 added."""
    new = [replace(d, summary="Nu ook op zaterdag open") if d.slug == "doc-3" else d for d in docs]
    new = [d for d in new if d.slug != "doc-5"]
    new.append(Document("doc-12", "Taalcafe De Brug", "Nederlands oefenen", ("taal",), "oss", (), (), ""))
    rows = {d.slug: vecs[i] for i, d in enumerate(docs)}
    rows["doc-3"], rows["doc-12"] = -vecs[3], vecs[0][::-1].copy()
    return new, np.stack([rows[d.slug] for d in new])


def test_changes_names_the_new_changed_and_gone_entries() -> None:
    docs, vecs = documents(), vectors()
    live = {d.slug: entry_hash(d, vecs[i]) for i, d in enumerate(docs)}
    new, new_vecs = edited(docs, vecs)
    changed, removed = changes(live, new, Content.of(new, new_vecs, "m").hashes)
    assert sorted(new[i].slug for i in changed) == ["doc-12", "doc-3"] and removed == ["doc-5"]
    moved = new_vecs.copy()
    moved[0] = -moved[0]  # same text, another vector (a new model): changed too
    changed, _ = changes(live, new, Content.of(new, moved, "m").hashes)
    assert sorted(new[i].slug for i in changed) == ["doc-0", "doc-12", "doc-3"]


def test_content_hashes_the_entries_as_their_records_and_fingerprints_the_documents() -> None:
    docs, vecs = documents(), vectors()
    order = (5, 0, 11, 3, 1, 2, 4, 6, 7, 8, 9, 10)
    shuffled, shuffled_vecs = [docs[i] for i in order], vecs[list(order)]
    content = Content.of(docs, vecs, "m")
    assert content.hashes == tuple(entry_hash(d, vecs[i]) for i, d in enumerate(docs))
    assert Content.of(docs, None, "m").hashes == tuple(entry_hash(d, None) for d in docs)
    # The fingerprint names the documents, in any order, and the model; not the vectors: a worker that
    # embedded a passage again, a last bit apart, still finds the index current.
    assert Content.of(shuffled, shuffled_vecs, "m").fingerprint == content.fingerprint
    assert Content.of(docs, -vecs, "m").fingerprint == content.fingerprint
    other = [replace(docs[0], title="Buurthuis De Schakel"), *docs[1:]]
    assert Content.of(other, vecs, "m").fingerprint != content.fingerprint
    assert Content.of(docs, vecs, "none").fingerprint != content.fingerprint
    assert Content.of(docs[:-1], vecs[:-1], "m").fingerprint != content.fingerprint


def test_a_few_changed_entries_are_sent_alone_by_any_process(meili_process, tmp_path: Path):
    meili_process.start()
    url, key = meili_process.url, meili_process.key
    index = shared(url, key, tmp_path / "lock")
    assert index.ensure(documents(), vectors()) is True and index.builds == 1
    new, new_vecs = edited(documents(), vectors())
    # Another process (the reload job) that knows nothing of the build: the records' hashes tell it.
    meili = MeiliBackend(url, key, index_name="proef", synonyms=[])
    update = SharedIndex(meili, MeiliVersion(url, key, "proef"), "m", tmp_path / "lock")
    assert update.ensure(new, new_vecs) is True
    assert (update.updates, update.builds) == (1, 0)  # sent alone, nothing copied
    assert update.problem(new, new_vecs) is None  # current: the count, the embedder and the recorded version
    assert [h.slug for h in meili.search("taalcafe", vector=new_vecs[-1], limit=5)][0] == "doc-12"
    assert [h.slug for h in meili.search("zaterdag", limit=5)] == ["doc-3"]  # the rewritten entry
    assert "doc-5" not in meili.hashes()


def test_hashes_reads_every_record_in_one_request_or_in_pages(meili_process, tmp_path: Path):
    meili_process.start()
    index = shared(meili_process.url, meili_process.key, tmp_path / "lock")
    index.ensure(documents(), vectors())
    wanted = {d.slug: entry_hash(d, vectors()[i]) for i, d in enumerate(documents())}
    assert index.meili.hashes() == wanted
    assert index.meili.hashes(page=5) == wanted  # 5 + 5 + 2


def test_an_update_reads_the_recorded_snapshot_until_another_writer_came(meili_process, tmp_path: Path):
    """The builder and each updater record the records' hashes with the version; the next update reads
    them there, not from 12 (50,000) records, unless the index was written since (another host, a hand):
    then from the records, so no entry is judged on old hashes."""
    import meilisearch

    meili_process.start()
    url, key = meili_process.url, meili_process.key
    assert shared(url, key, tmp_path / "lock").ensure(documents(), vectors()) is True
    meili = MeiliBackend(url, key, index_name="proef", synonyms=[])
    update = SharedIndex(meili, MeiliVersion(url, key, "proef"), "m", tmp_path / "lock")
    new, new_vecs = edited(documents(), vectors())
    assert update.ensure(new, new_vecs) is True
    assert (update.updates, update.records_read) == (1, 0)  # the build's snapshot
    later = [replace(d, summary="Ook op zondag") if d.slug == "doc-1" else d for d in new]
    assert update.ensure(later, new_vecs) is True
    assert (update.updates, update.records_read) == (2, 0)  # the first update's own

    other = MeiliBackend(url, key, index_name="proef", synonyms=[])  # outside SharedIndex
    other.update([replace(documents()[7], title="Elders herschreven")], vectors()[7:8], [], 12)
    latest = [replace(d, summary="Ook in de vakantie") if d.slug == "doc-2" else d for d in later]
    assert update.ensure(latest, new_vecs) is True
    assert (update.updates, update.records_read) == (3, 1)  # written since: the records themselves
    ours = Content.of(latest, new_vecs, "m").hashes
    assert meili.hashes() == dict(zip([d.slug for d in latest], ours, strict=True))  # doc-7 is ours again
    assert update.version.snapshot() is not None
    side = meilisearch.Client(url, key).index("proef__meta").get_settings()
    assert side["searchableAttributes"] == ["fingerprint"]  # the snapshot is kept, not indexed


def test_a_stamp_is_kept_only_when_the_last_write_was_ours() -> None:
    meili = MeiliBackend("http://127.0.0.1:9", "key", index_name="proef", synonyms=[])
    meili.stamp = lambda: ("2026-12-03T12:00:00Z", "2026-12-03T12:00:05.000002999Z")  # type: ignore[method-assign]
    meili._last_write = datetime(2026, 12, 3, 12, 0, 5, 3)  # our task finished after that write
    assert meili._own_stamp() == ("2026-12-03T12:00:00Z", "2026-12-03T12:00:05.000002999Z")
    meili._last_write = datetime(2026, 12, 3, 12, 0, 5, 1)  # someone wrote after our task
    assert meili._own_stamp() is None


def test_other_settings_or_records_without_hashes_mean_a_build(meili_process, tmp_path: Path):
    meili_process.start()
    url, key = meili_process.url, meili_process.key
    assert shared(url, key, tmp_path / "lock").ensure(documents(), vectors()) is True
    new, new_vecs = edited(documents(), vectors())
    synonyms = [("buurthuis", "wijkcentrum")]  # synoniemen.yaml changed with the entry
    meili = MeiliBackend(url, key, index_name="proef", synonyms=synonyms)
    update = SharedIndex(meili, MeiliVersion(url, key, "proef"), "m", tmp_path / "lock")
    assert update.ensure(new, new_vecs) is True
    assert (update.updates, update.builds) == (0, 1)
    assert update.problem(new, new_vecs) is None  # the new synonyms recorded with the content

    # A record written without its hash (by a version before entry hashes): which records differ is
    # unknown, so a build.
    import meilisearch

    admin = meilisearch.Client(url, key)
    admin.wait_for_task(admin.index("proef").add_documents([{"slug": "doc-0", "title": "Oud"}]).task_uid)
    later = [replace(d, title="Buurthuis Noord") if d.slug == "doc-1" else d for d in new]
    rebuild = SharedIndex(meili, MeiliVersion(url, key, "proef"), "m", tmp_path / "lock")
    assert rebuild.ensure(later, new_vecs) is True
    assert (rebuild.updates, rebuild.builds) == (0, 1)


def test_an_index_without_its_embedder_is_rebuilt(meili_process, tmp_path: Path):
    import meilisearch

    meili_process.start()
    index = shared(meili_process.url, meili_process.key, tmp_path / "lock")
    assert index.problem(documents(), vectors()) == "no index"
    assert index.ensure(documents(), vectors()) is True
    assert index.meili.live() == (12, DIM)
    assert index.problem(documents(), vectors()) is None

    admin = meilisearch.Client(meili_process.url, meili_process.key)
    admin.wait_for_task(admin.index("proef").reset_embedders().task_uid)
    assert index.problem(documents(), vectors()) == "no embedder settings"
    assert index.ensure(documents(), vectors()) is True
    assert index.meili.live() == (12, DIM)


def test_two_processes_at_once_build_the_index_once(meili_process, tmp_path: Path):
    meili_process.start()
    ctx = multiprocessing.get_context("spawn")
    start, out = ctx.Barrier(2), ctx.Queue()
    args = (meili_process.url, meili_process.key, str(tmp_path / "lock"), start, out)
    procs = [ctx.Process(target=build_in_a_process, args=args) for _ in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0, 0]
    built = sorted(out.get(timeout=5) for _ in procs)
    assert built == [False, True]  # one built, the other waited and found it current
    assert (
        shared(meili_process.url, meili_process.key, tmp_path / "lock").problem(documents(), vectors())
        is None
    )


def test_builders_without_a_shared_lock_never_break_each_other(meili_process):
    """Two hosts (no common lock file) building at once: each builds in an index of its own, so neither
    deletes the other's half-built index, and the live one always has its settings."""
    meili_process.start()
    backends = [MeiliBackend(meili_process.url, meili_process.key, index_name="proef") for _ in range(2)]
    errors: list[BaseException] = []
    live: list[tuple[int, int | None] | None] = []
    done = threading.Event()

    def build(backend: MeiliBackend) -> None:
        try:
            for _ in range(3):
                backend.index(documents(), vectors())
        except BaseException as exc:  # noqa: BLE001 - collected for the assert
            errors.append(exc)

    def watch() -> None:
        while not done.is_set():
            state = backends[0].live()
            if state is not None:
                live.append(state)

    threads = [threading.Thread(target=build, args=(b,)) for b in backends]
    watcher = threading.Thread(target=watch)
    watcher.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    done.set()
    watcher.join(10)
    assert errors == []
    assert live and set(live) == {(12, DIM)}  # every look at the live index: all documents, the embedder
    assert [n for n in index_names(meili_process) if n.startswith("proef")] == ["proef"]
