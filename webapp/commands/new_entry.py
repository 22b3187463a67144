"""`flask content new`: asks a few questions (or takes them as options) and writes a valid entry skeleton
through content/writer.py, checked as the loader checks it. It never overwrites a file.

Messages are Dutch B1: the wijkteam editors read them.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import click
from flask.cli import with_appcontext

from ..content import ContentSet, GemeenteInfo, load_content, placeholders, writer
from ..content import fields as f
from ..content.schema import SAMENVATTING_MAX, not_a_kern
from ..content.taxonomy import (
    AANMELDEN,
    CATEGORY_BY_SLUG,
    CATEGORY_SLUGS,
    FEW_GEMEENTEN,
    KOSTEN_SOORTEN,
    LANDELIJK,
)
from .editors import DIR_OPTION, configured_content_dir

T = TypeVar("T")


@dataclass(frozen=True)
class Answers:
    gemeente: str
    titel: str
    categorieen: list[str]
    kernen: list[str]
    organisatie: str
    samenvatting: str
    aanmelden: str
    kosten: str
    bedrag: str

    @property
    def slug(self) -> str:
        """From the titel, after the kern or gemeente (a landelijk entry has no prefix)."""
        prefix = "" if self.gemeente == LANDELIJK else (self.kernen[0] if self.kernen else self.gemeente)
        return writer.make_slug(self.titel, prefix)


class Questions:
    """Asks for what the options did not give, and checks each answer at once: a wrong answer is asked
    again (with the reason in Dutch); a wrong option stops before anything is written. With --yes nothing
    is asked and a missing answer stops."""

    def __init__(self, non_interactive: bool) -> None:
        self.non_interactive = non_interactive

    def ask(
        self,
        value: str | None,
        name: str,
        question: str,
        check: Callable[[str], T],
        default: str | None = None,
    ) -> T:
        """name is the option (--name); question what the editor is asked."""
        if value is not None:
            return self._checked(value, name, check)
        if self.non_interactive:
            if default is not None:
                return self._checked(default, name, check)
            stop(f"Geef --{name} mee (met --yes vraagt het programma niets).", code=2)
        while True:
            answer = str(click.prompt(question, default=default, show_default=bool(default)))
            try:
                return check(answer)
            except f.FieldError as exc:
                click.echo(f"  {exc}. Probeer het nog eens.", err=True)

    @staticmethod
    def _checked(value: str, name: str, check: Callable[[str], T]) -> T:
        try:
            return check(value)
        except f.FieldError as exc:
            stop(f"--{name}: {exc}.")


def stop(message: str, code: int = 1) -> NoReturn:
    click.echo(message, err=True)
    click.echo("Er is niets geschreven.", err=True)
    sys.exit(code)


def split_option(values: tuple[str, ...]) -> list[str]:
    return [part.strip() for value in values for part in value.replace(";", ",").split(",") if part.strip()]


def one_of(allowed: list[str]) -> Callable[[str], str]:
    """A choice, whatever the case: 'Oss' is oss."""

    def check(answer: str) -> str:
        return f.choice(answer.strip().lower(), allowed)

    return check


def categories(answer: str) -> list[str]:
    chosen = list(
        f.text_list([c.lower() for c in split_option((answer,))], allowed=CATEGORY_SLUGS, min_items=1)
    )
    if len(chosen) > 3:
        raise f.FieldError(f"kies hoogstens 3 categorieën, nu {len(chosen)}")
    return chosen


def kernen_of(info: GemeenteInfo | None) -> Callable[[str], list[str]]:
    """The kernen as the gemeente writes them ('berghem' is Berghem, 'Rooi' is Sint-Oedenrode)."""

    def check(answer: str) -> list[str]:
        out = []
        for name in split_option((answer,)):
            if info is None:
                out.append(name)
                continue
            kern = next(
                (
                    k.naam
                    for k in info.kernen
                    if name.casefold() in {k.naam.casefold(), *(o.casefold() for o in k.ook)}
                ),
                None,
            )
            if kern is None:
                raise f.FieldError(not_a_kern(name, info))
            out.append(kern)
        return list(dict.fromkeys(out))

    return check


def ask_answers(options: dict[str, Any], gemeenten: dict[str, GemeenteInfo], questions: Questions) -> Answers:
    """Every answer, in the order an editor is asked, each checked when it is given."""
    ask = questions.ask
    places = [*sorted(gemeenten), LANDELIJK]
    which = ", ".join(places) if len(places) <= FEW_GEMEENTEN else "zoals oss, of landelijk"
    gemeente = ask(options["gemeente"], "gemeente", f"Gemeente ({which})", one_of(places))
    titel = ask(options["titel"], "titel", "Titel", lambda v: f.text(v, min_len=3, max_len=80))
    given = ", ".join(split_option(options["categorieen"])) if options["categorieen"] else None
    categorieen = ask(
        given, "categorie", f"Categorie(ën), met komma's ({', '.join(CATEGORY_SLUGS)})", categories
    )
    info = gemeenten.get(gemeente)
    if gemeente == LANDELIJK:
        kernen: list[str] = []
    else:
        choices = ", ".join(sorted(info.kern_names())) if info else ""
        given = ", ".join(split_option(options["kernen"])) if options["kernen"] else None
        kernen = ask(
            given, "kern", f"Kern(en), met komma's; leeg = hele gemeente ({choices})", kernen_of(info), ""
        )
    organisatie = ask(
        options["organisatie"], "organisatie", "Organisatie", lambda v: f.text(v, min_len=2, max_len=120)
    )
    samenvatting = ask(
        options["samenvatting"],
        "samenvatting",
        "Samenvatting (één zin)",
        lambda v: f.text(v, max_len=SAMENVATTING_MAX),
        placeholders.SAMENVATTING,
    )
    aanmelden = ask(
        options["aanmelden"],
        "aanmelden",
        f"Aanmelden ({', '.join(AANMELDEN)})",
        one_of(list(AANMELDEN)),
        "binnenlopen",
    )
    kosten = ask(
        options["kosten"],
        "kosten",
        f"Kosten ({', '.join(KOSTEN_SOORTEN)})",
        one_of(list(KOSTEN_SOORTEN)),
        "gratis",
    )
    bedrag = options["bedrag"]
    if kosten == "eigen-bijdrage" and not bedrag:
        bedrag = ask(
            None, "bedrag", "Bedrag, zoals '€ 2,50 per keer'", lambda v: f.text(v, min_len=1, max_len=80)
        )
    if kosten == "gratis":
        bedrag = ""
    return Answers(gemeente, titel, categorieen, kernen, organisatie, samenvatting, aanmelden, kosten, bedrag)


def free_path(root: Path, gemeente: str, slug: str) -> Path:
    """Where the new entry goes; stops when that file, or the same name in another folder, exists."""
    path = root / "voorzieningen" / gemeente / f"{slug}.md"
    if path.exists():
        click.echo(f"{path} bestaat al. Kies een andere titel, of pas dat bestand aan.", err=True)
        sys.exit(1)
    elsewhere = list((root / "voorzieningen").rglob(f"{slug}.md"))
    if elsewhere:
        click.echo(f"De naam '{slug}' bestaat al in {elsewhere[0]}. Kies een andere titel.", err=True)
        sys.exit(1)
    return path


def front_matter(answers: Answers, info: GemeenteInfo | None, today: date) -> dict[str, object]:
    """The fields of the skeleton: the answers, the kern's place on the map, and starting trefwoorden."""
    data: dict[str, object] = {
        "titel": answers.titel,
        "samenvatting": answers.samenvatting,
        "categorieen": answers.categorieen,
        "gemeente": answers.gemeente,
        "kernen": answers.kernen,
        "organisatie": answers.organisatie,
    }
    data.update(kern_place(answers.kernen, info))
    data.update(
        telefoon="",
        email="",
        website="",
        kosten={"soort": answers.kosten, "bedrag": answers.bedrag},
        aanmelden=answers.aanmelden,
        doelgroep=["iedereen"],
        talen=["nl"],
        laatst_gecontroleerd=today,
        voorbeeld=False,
        trefwoorden=keywords(answers, info),
    )
    return data


def kern_place(kernen: list[str], info: GemeenteInfo | None) -> dict[str, object]:
    """For an entry in one kern: that kern as its plaats and its point on the map."""
    if info is None or len(kernen) != 1:
        return {}
    kern = next((k for k in info.kernen if k.naam == kernen[0]), None)
    return {} if kern is None else {"plaats": kern.naam, "lat": kern.lat, "lon": kern.lon}


def keywords(answers: Answers, info: GemeenteInfo | None) -> list[str]:
    """Titel, category labels, kernen and gemeente, each once: a start the editor extends."""
    words = [answers.titel.lower()]
    words += [CATEGORY_BY_SLUG[c].label.lower() for c in answers.categorieen if c in CATEGORY_BY_SLUG]
    words += [k.lower() for k in answers.kernen] + ([info.naam.lower()] if info else []) + [answers.gemeente]
    return list(dict.fromkeys(words))


def body(answers: Answers) -> str:
    kosten = "Het is gratis." if answers.kosten == "gratis" else f"Je betaalt {answers.bedrag}."
    first, second, third = placeholders.BODY_LINES
    return f"{first}\n{second}\n\n{third}\n\n{AANMELDEN[answers.aanmelden]}\n{kosten}\n"


def check_or_stop(text: str, answers: Answers, existing: ContentSet, today: date) -> None:
    """The loader's check on the rendered file; on any problem say what and write nothing."""
    shown = str(Path("voorzieningen") / answers.gemeente / f"{answers.slug}.md")
    _, problems = writer.validate_text(
        text, answers.slug, answers.gemeente, shown, existing.gemeenten, today, draft=True
    )
    if problems:
        for problem in problems:
            click.echo(f"{problem.field}: {problem.message}", err=True)
        click.echo("Er is niets geschreven. Verbeter de antwoorden en probeer het opnieuw.", err=True)
        sys.exit(1)


@click.command("new")
@with_appcontext
@click.option("--gemeente", help="De gemeente (of landelijk).")
@click.option("--titel", help="De naam van de voorziening, 3 tot 80 tekens.")
@click.option("--samenvatting", help="Eén zin: wat kun je er doen of krijgen?")
@click.option("--categorie", "categorieen", multiple=True, help="Categorie; meer dan één: komma ertussen.")
@click.option("--kern", "kernen", multiple=True, help="Kern(en); leeg: de hele gemeente.")
@click.option("--organisatie", help="Wie organiseert het.")
@click.option("--aanmelden", help="binnenlopen, bellen of aanmelden.")
@click.option("--kosten", help="gratis of eigen-bijdrage.")
@click.option("--bedrag", default="", help="Bij eigen-bijdrage: het bedrag, zoals '€ 2,50 per keer'.")
@click.option("--yes", "-y", "non_interactive", is_flag=True, help="Niets vragen; gebruik de opties.")
@DIR_OPTION
def new_command(non_interactive: bool, content_dir: Path | None, **options: Any) -> None:
    """Maak een nieuwe voorziening: een geldig bestand dat je daarna aanvult."""
    root = content_dir or configured_content_dir()
    today = date.today()
    existing = load_content(root, today=today)
    answers = ask_answers(options, existing.gemeenten, Questions(non_interactive))
    path = free_path(root, answers.gemeente, answers.slug)
    text = writer.render_entry(
        front_matter(answers, existing.gemeenten.get(answers.gemeente), today), body(answers)
    )
    check_or_stop(text, answers, existing, today)
    writer.write_atomic(path, text)
    click.echo(f"Gemaakt: {path}")
    click.echo("Vul nu de samenvatting, de tekst, de doelgroep, het adres en de trefwoorden aan.")
    click.echo("Zolang er nog voorbeeldtekst in staat, komt het niet op de site.")
    click.echo(f"Controleer daarna met: flask content check {path}")
