"""The translations: complete, compilable, placeholders intact, in step with the code, used by the site."""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from webapp.commands.translate import TRANSLATIONS, compile_translations, extract, translations
from webapp.i18n import DEFAULT, LANGUAGES, RTL

ROOT = Path(__file__).resolve().parent.parent
TRANSLATED = sorted(lang for lang in LANGUAGES if lang != DEFAULT)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")
H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
HOME_H1 = "Hulp en ontmoeting dichtbij"


def load(lang: str) -> Catalog:
    with (TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=lang)


def messages(translated: Catalog) -> list:
    return [m for m in translated if m.id]


def placeholders(text: str) -> set[str]:
    return set(PLACEHOLDER.findall(text))


@pytest.fixture(autouse=True, scope="module")
def compiled() -> None:
    """The site reads .mo files (build output). tests/conftest.py compiles them; this covers a single file."""
    compile_translations()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def fresh_msgids(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    """What `flask translate update` would extract from the code right now."""
    pot = tmp_path_factory.mktemp("pot") / "messages.pot"
    extract(pot)
    with pot.open("rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


def test_every_language_is_translated_and_no_translation_is_orphaned() -> None:
    assert sorted(p.parent.parent.name for p in translations()) == TRANSLATED


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translation_compiles_without_errors(lang: str) -> None:
    translated = load(lang)
    problems = [(m.id, [str(e) for e in errors]) for m, errors in translated.check()]
    assert problems == []
    buffer = io.BytesIO()
    write_mo(buffer, translated)
    buffer.seek(0)
    translations = gettext.GNUTranslations(buffer)
    assert translations.gettext(HOME_H1) != HOME_H1


@pytest.mark.parametrize("lang", TRANSLATED)
def test_no_untranslated_or_fuzzy_messages(lang: str) -> None:
    translated = load(lang)
    untranslated = [m.id for m in messages(translated) if not m.string or not all(m.string)]
    fuzzy = [m.id for m in messages(translated) if m.fuzzy]
    assert untranslated == [], f"{lang}: translate these, then run `flask translate compile`"
    assert fuzzy == [], f"{lang}: check these translations and remove the fuzzy flag"
    assert not translated.fuzzy, f"{lang}: the header of the translation is marked fuzzy"


@pytest.mark.parametrize("lang", TRANSLATED)
def test_placeholders_match_the_msgid(lang: str) -> None:
    wrong = []
    for m in messages(load(lang)):
        ids = m.id if isinstance(m.id, tuple) else (m.id,)
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        expected = placeholders(ids[-1]) | placeholders(ids[0])
        wrong += [(m.id, s) for s in strings if placeholders(s) != expected]
    assert wrong == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_translation_has_every_message_in_the_code(lang: str, fresh_msgids: set[str]) -> None:
    known = {m.id if isinstance(m.id, str) else m.id[0] for m in messages(load(lang)) if not m.fuzzy}
    missing = sorted(fresh_msgids - known)
    assert missing == [], (
        f"{len(missing)} new text(s) are not in translations/{lang}: run `flask translate update`, "
        f"translate them, then `flask translate compile`:\n" + "\n".join(missing)
    )


def test_no_text_is_marked_inside_an_f_string() -> None:
    """pybabel does not see _("...") inside an f-string: such a text is never translated."""
    marked = re.compile(r"""\bf(["'])[^"'\n]*\{\s*(?:_|_l|gettext|ngettext)\(""")
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "webapp").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if marked.search(line)
    ]
    assert not found


def test_extraction_finds_texts_from_python_and_templates(fresh_msgids: set[str]) -> None:
    assert HOME_H1 in fresh_msgids  # a template, {{ _("...") }}
    assert "Typ eerst een vraag." in fresh_msgids  # Python, gettext
    assert "Mantelzorg" in fresh_msgids  # Python, N_ (webapp/content/taxonomy.py)
    assert "Zonder aanmelden" in fresh_msgids  # Python, lazy_gettext imported as _l (webapp/labels.py)


@pytest.mark.parametrize("lang", TRANSLATED)
def test_home_page_is_translated(client, lang: str) -> None:
    dutch = client.get("/").get_data(as_text=True)
    page = client.get(f"/?lang={lang}").get_data(as_text=True)
    direction = "rtl" if lang in RTL else "ltr"
    assert f'<html lang="{lang}" dir="{direction}">' in page
    h1 = H1.search(page)
    assert h1 is not None
    assert h1.group(1).strip() != H1.search(dutch).group(1).strip()  # type: ignore[union-attr]
    assert h1.group(1).strip() == load(lang)[HOME_H1].string


def test_arabic_is_right_to_left(client) -> None:
    assert '<html lang="ar" dir="rtl">' in client.get("/?lang=ar").get_data(as_text=True)
    assert '<html lang="nl" dir="ltr">' in client.get("/").get_data(as_text=True)


def test_compile_writes_a_mo_only_when_the_po_changed(tmp_path: Path) -> None:
    po = tmp_path / "pl" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    translated = Catalog(locale="pl")
    translated.add("Ja", "Tak")
    with po.open("wb") as handle:
        write_po(handle, translated)
    assert compile_translations(tmp_path) == [po.with_suffix(".mo")]
    assert compile_translations(tmp_path) == []  # up to date
    with po.with_suffix(".mo").open("rb") as handle:
        assert gettext.GNUTranslations(handle).gettext("Ja") == "Tak"


def test_translate_commands_are_registered(runner) -> None:
    result = runner.invoke(args=["translate", "--help"])
    assert result.exit_code == 0
    for command in ("update", "compile", "init"):
        assert command in result.output


def test_init_refuses_the_source_language_and_existing_translations(runner) -> None:
    assert runner.invoke(args=["translate", "init", DEFAULT]).exit_code != 0
    assert runner.invoke(args=["translate", "init", "en"]).exit_code != 0
