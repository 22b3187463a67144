"""`flask translate ...`: keep the translations in translations/<lang>/LC_MESSAGES/messages.po (Babel) in step
with the code (microblog style). ("catalog" in this app is the content snapshot, webapp/catalog.py.)

Dutch is the source language: the msgids are the Dutch B1 texts, so there is no nl translation.
    flask translate update      extract every marked text and merge it into each language's messages
    flask translate compile     write the .mo files the site reads (build output, git-ignored)
    flask translate init LANG   start the translation into a new language
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

import click
from flask.cli import AppGroup

from ..i18n import DEFAULT, LANGUAGES

ROOT = Path(__file__).resolve().parents[2]
TRANSLATIONS = ROOT / "translations"
# `_l` is how the code imports lazy_gettext; `_`, `gettext` and `ngettext` are Babel's defaults.
KEYWORDS = ("_l", "lazy_gettext", "lazy_ngettext:1,2")

translate_cli = AppGroup("translate", help="Translation and localization commands.")


def pybabel(*args: str) -> None:
    """Run a pybabel command from the project root; a failure stops the command (exit 1)."""
    command = [sys.executable, "-m", "babel.messages.frontend", "-q", *args]
    if subprocess.run(command, cwd=ROOT, check=False).returncode != 0:
        raise click.ClickException(f"pybabel {args[0]} failed")


def extract(pot: Path) -> None:
    """Every text marked for translation in webapp/ (Python and templates) into the template `pot`."""
    keywords = [arg for k in KEYWORDS for arg in ("-k", k)]
    pybabel(
        "extract",
        "-F",
        "babel.cfg",
        *keywords,
        "--add-comments=TRANSLATORS:",
        "--project=Dichtbij",
        "-o",
        str(pot),
        ".",
    )


def translations(directory: Path = TRANSLATIONS) -> list[Path]:
    """The messages.po of every language."""
    return sorted(directory.glob("*/LC_MESSAGES/messages.po"))


def compile_translations(directory: Path = TRANSLATIONS) -> list[Path]:
    """Write a .mo next to every .po that is newer than its .mo (in-process, no pybabel needed on PATH).

    The tests call this before they start (tests/conftest.py), so a plain `pytest` sees every translation.
    """
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in translations(directory):
        mo = po.with_suffix(".mo")
        if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
            continue
        with po.open("rb") as handle:
            messages = read_po(handle, locale=po.parent.parent.name)
        with mo.open("wb") as handle:
            write_mo(handle, messages)
        written.append(mo)
    return written


@translate_cli.command("update")
def update_command() -> None:
    """Extract the texts and merge them into every language; translate what is new (empty or fuzzy)."""
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        extract(pot)
        pybabel("update", "-i", str(pot), "-d", str(TRANSLATIONS), "--width", "110")  # the files' own width
    click.echo(f"Bijgewerkt: {', '.join(p.parent.parent.name for p in translations())}.")


@translate_cli.command("compile")
def compile_command() -> None:
    """Compile every language's messages.po into a .mo file."""
    pybabel("compile", "-d", str(TRANSLATIONS))
    click.echo(f"Gecompileerd: {', '.join(p.parent.parent.name for p in translations())}.")


@translate_cli.command("init")
@click.argument("lang")
def init_command(lang: str) -> None:
    """Start the translation into LANG (also add LANG to LANGUAGES in webapp/i18n.py)."""
    if lang == DEFAULT:
        raise click.ClickException(f"{DEFAULT} is the source language: it needs no translation.")
    if (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").exists():
        raise click.ClickException(f"{lang} is translated already: use `flask translate update`.")
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        extract(pot)
        pybabel("init", "-i", str(pot), "-d", str(TRANSLATIONS), "-l", lang)
    if lang not in LANGUAGES:
        click.echo(f"Let op: voeg {lang} toe aan LANGUAGES in webapp/i18n.py.")
