"""The two Meilisearch keys the app uses instead of the master key.

- search: what every web worker holds. Read-only: searches, reads the version document, the index's stats
  and settings (readiness and the current-index check). It cannot change or delete anything.
- admin: what the job that runs `flask content reload` holds: builds, swaps and deletes the index. It
  cannot manage keys, make dumps or snapshots, or cancel or delete tasks (its actions), but it holds them
  on every index ("*"), not only on the app's own ones (`<index>`, `<index>__meta`,
  `<index>__building_<suffix>`, all matched by the pattern "<index>*").

Why "*": a build waits for each of its tasks, its index swap too (search.meili, MeiliBackend._swap_in:
the swap's outcome decides whether the index is swapped or renamed in). Meilisearch 1.21 (and the
source of later versions) shows a key whose indexes are not "*" no task that is not tied to exactly one
index: its index scheduler drops IndexSwap tasks for such keys, and a pattern such as "voorzieningen*"
makes such a key. Bound to "voorzieningen*", the admin key does every other step of a build and is refused
elsewhere (403), but `GET /tasks/<swap>` answers 404 task_not_found and the build fails
(tests/production/test_meili_keys.py checks this against the real binary). So "*" is the narrowest scope
of one admin key that builds. A third key that only reads tasks (["tasks.get"] on "*") would let the
admin key be bound to "<index>*": one more secret for the reload job, not done.

Meilisearch derives a key from its uid: hex(HMAC-SHA256(master key, uid)). The uids are fixed here, so
the keys follow from the master key alone: `flask index keys` prints them before Meilisearch even runs
(for the .env of docker-compose), and `flask index keys --create` makes them in Meilisearch (again and
again: a key that exists is left alone).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from typing import Any

SEARCH_UID = "6f2b2a52-6a53-4c1e-9a0e-0d1c7b5e8a01"
ADMIN_UID = "6f2b2a52-6a53-4c1e-9a0e-0d1c7b5e8a02"


@dataclass(frozen=True)
class KeySpec:
    uid: str
    setting: str
    description: str
    actions: tuple[str, ...]

    def indexes(self, index_name: str) -> list[str]:
        if self.uid == SEARCH_UID:
            return [index_name, f"{index_name}__meta"]
        return ["*"]  # a key bound to some indexes, even by a pattern, sees no index swap task: see above

    def key(self, master_key: str) -> str:
        return hmac.new(master_key.encode(), self.uid.encode(), hashlib.sha256).hexdigest()


KEYS = (
    KeySpec(
        SEARCH_UID,
        "MEILI_SEARCH_KEY",
        "Dichtbij web: search only",
        ("search", "documents.get", "indexes.get", "stats.get", "settings.get"),
    ),
    KeySpec(
        ADMIN_UID,
        "MEILI_ADMIN_KEY",
        "Dichtbij content reload: builds the index",
        ("search", "documents.*", "indexes.*", "settings.*", "stats.get", "tasks.get"),
    ),
)


def create_keys(url: str, master_key: str, index_name: str, timeout: float = 10.0) -> list[str]:
    """Create the keys that do not exist yet; returns the settings of those it created."""
    import meilisearch
    from meilisearch.errors import MeilisearchApiError

    client = meilisearch.Client(url, master_key, timeout=int(timeout))
    created = []
    for spec in KEYS:
        try:
            client.get_key(spec.uid)
            continue
        except MeilisearchApiError as exc:
            if exc.code != "api_key_not_found":
                raise
        options: dict[str, Any] = {
            "uid": spec.uid,
            "description": spec.description,
            "actions": list(spec.actions),
            "indexes": spec.indexes(index_name),
            "expiresAt": None,
        }
        client.create_key(options)
        created.append(spec.setting)
    return created
