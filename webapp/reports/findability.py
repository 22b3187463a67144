"""The findability report: one self-contained HTML page in Dutch (B1) for a wijkteam and a policy team.

    report_html(rows, "oss", date(2025, 6, 1), date(2025, 6, 30)) -> str

Questions per week, per route, per category, per gemeente and kern; the share answered with a good match;
the yes-share of "Was dit wat je zocht?"; the categories where residents most often find nothing. Charts
are inline SVG drawn here; the page has no script and makes no request (no font, stylesheet or image from
elsewhere). Counts under the threshold are never printed: every figure goes through `suppress` first.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from . import svg
from .data import CountRow, Tally, select, tally, tally_by
from .names import (
    CATEGORY_NAMES,
    GEMEENTE_NAMES,
    NO_CATEGORY,
    NO_GEMEENTE,
    NO_KERN,
    ROUTE_NAMES,
    ROUTES,
    category_name,
    gemeente_name,
    kern_name,
)
from .suppress import Line, count_text, order, protected_lines

# A category is "unmet need" when under this share of its questions got a good match, or under this share
# of its clicks said yes; the list shows at most UNMET_TOP, the most questions without a fit first.
UNMET_SHARE = 0.70
UNMET_TOP = 5
# With more weeks than this, the week chart leaves out the dates under each bar (the table has them).
WEEK_LABELS_MAX = 14

MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)

YES_HEAD = "Ja op „Was dit wat je zocht?”"


def fmt_date(d: date, year: bool = True) -> str:
    return f"{d.day} {MONTHS[d.month - 1]}" + (f" {d.year}" if year else "")


def fmt_period(start: date, end: date, sep: str = " tot en met ") -> str:
    if start == end:
        return fmt_date(start)
    if start.year != end.year:
        return fmt_date(start) + sep + fmt_date(end)
    if start.month != end.month:
        return fmt_date(start, year=False) + sep + fmt_date(end)
    return f"{start.day}{sep}{fmt_date(end)}"


@dataclass(frozen=True)
class Week:
    year: int
    number: int
    first: date  # first day of the week inside the period
    last: date  # last day of the week inside the period

    @property
    def days(self) -> int:
        return (self.last - self.first).days + 1

    @property
    def label(self) -> str:
        return f"Week\u00a0{self.number}"

    @property
    def short(self) -> str:
        if self.days == 1:
            return f"{self.first.day} {MONTHS[self.first.month - 1]}"
        if self.first.month == self.last.month:
            return f"{self.first.day}-{self.last.day} {MONTHS[self.last.month - 1]}"
        first, last = MONTHS[self.first.month - 1][:3], MONTHS[self.last.month - 1][:3]
        return f"{self.first.day} {first}-{self.last.day} {last}"

    @property
    def note(self) -> str:
        text = fmt_period(self.first, self.last, sep=" t/m ") if self.days > 1 else fmt_date(self.first)
        if self.days < 7:
            text += f" (niet de hele week: {self.days} {'dag' if self.days == 1 else 'dagen'})"
        return text


def weeks(start: date, end: date) -> list[Week]:
    out: list[Week] = []
    day = start
    while day <= end:
        year, number, weekday = day.isocalendar()
        last = min(end, day + timedelta(days=7 - weekday))
        out.append(Week(year, number, day, last))
        day = last + timedelta(days=1)
    return out


# --- HTML pieces ---------------------------------------------------------------------------------------


def _num_cell(text: str, hidden: bool) -> str:
    cls = "num hidden-cell" if hidden else "num"
    return f'<td class="{cls}">{escape(text)}</td>'


def line_cells(line: Line, threshold: int) -> list[str]:
    return [
        _num_cell(count_text(line.questions, threshold), line.questions is None),
        _num_cell(line.good.text, line.good.hidden),
        _num_cell(count_text(line.clicks, threshold), line.clicks is None),
        _num_cell(line.yes.text, line.yes.hidden),
    ]


def table(
    caption: str,
    head: str,
    lines: Sequence[Line],
    total: Line,
    threshold: int,
    note_head: str = "",
) -> str:
    heads = (
        [head] + ([note_head] if note_head else []) + ["Vragen", "Goed antwoord", "Klikken ja/nee", YES_HEAD]
    )
    out = [f"<table><caption>{escape(caption)}</caption>", "<thead><tr>"]
    for i, h in enumerate(heads):
        cls = ' class="num"' if i >= len(heads) - 4 else ""
        out.append(f'<th scope="col"{cls}>{escape(h)}</th>')
    out.append("</tr></thead><tbody>")
    for line in [*lines, total]:
        cls = ' class="total"' if line is total else ""
        cells = [f'<th scope="row">{escape(line.label)}</th>']
        if note_head:
            cells.append(f"<td>{escape(line.note)}</td>")
        out.append(f"<tr{cls}>" + "".join(cells + line_cells(line, threshold)) + "</tr>")
    out.append("</tbody></table>")
    if any(ln.questions is None or ln.clicks is None or ln.good.hidden or ln.yes.hidden for ln in lines):
        out.append(
            f'<p class="note">„&lt; {threshold}” betekent: minder dan {threshold}, of verborgen. '
            "Het getal laten we niet zien. Zie „Hoe lees je dit?”.</p>"
        )
    return "\n".join(out)


def bars(lines: Iterable[Line], threshold: int) -> list[svg.Bar]:
    return [svg.Bar(ln.label, ln.questions, count_text(ln.questions, threshold)) for ln in lines]


def chart(content: str) -> str:
    return f'<div class="chart-wrap">{content}</div>'


def section(slug: str, title: str, body: Iterable[str], part: bool = True) -> str:
    cls = "part" if part else "intro"
    return (
        f'<section id="{slug}" class="{cls}" aria-labelledby="h-{slug}">\n'
        f'<h2 id="h-{slug}">{escape(title)}</h2>\n' + "\n".join(body) + "\n</section>"
    )


# --- the report ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Unmet:
    slug: str
    line: Line
    reasons: tuple[str, ...]


def unmet_need(lines: dict[str, Line]) -> list[Unmet]:
    """Categories with a low good-match share or a low yes-share, the most questions without a fit first.

    Judged on the printed figures only (a bound counts as its value), so the list gives nothing away that
    the category table does not show."""
    found: list[tuple[float, str, Unmet]] = []
    limit = UNMET_SHARE * 100
    for slug, line in lines.items():
        if not slug or line.questions is None:
            continue
        reasons = []
        if line.good.under(limit):
            reasons.append(f"Weinig goede antwoorden ({line.good.text})")
        if line.yes.under(limit):
            reasons.append(f"Vaak „nee” geklikt (ja: {line.yes.text})")
        if reasons:
            worst = min(s.percent for s in (line.good, line.yes) if s.percent is not None)
            found.append((-line.questions * (100 - worst), slug, Unmet(slug, line, tuple(reasons))))
    found.sort(key=lambda f: (f[0], f[1]))
    return [u for _, _, u in found[:UNMET_TOP]]


def report_html(
    rows: Iterable[CountRow],
    gemeente: str | None,
    start: date,
    end: date,
    threshold: int = 10,
    *,
    kernen: Mapping[str, Sequence[str]] | None = None,
) -> str:
    """The findability report of one gemeente (all when None) from start to end, both included.

    `kernen` (gemeente slug -> kern names), when given, lists every kern of a gemeente, also those without
    a question, so that a "< 10" does not tell whether a kern had any question at all."""
    if end < start:
        raise ValueError(f"the end ({end}) is before the start ({start})")
    if threshold < 1:
        raise ValueError("threshold must be 1 or more")
    data = select(rows, gemeente, start, end)
    total = tally(data)
    place = gemeente_name(gemeente) if gemeente else "alle gemeenten"
    period = fmt_period(start, end)
    h1 = f"Vindbaarheid in {place}, {period}"
    k = threshold

    # per week
    week_list = weeks(start, end)
    by_week = tally_by(data, lambda r: r.day.isocalendar()[:2])
    week_lines, total_line = protected_lines(
        [(w.label, by_week.get((w.year, w.number), Tally())) for w in week_list],
        total,
        k,
        notes=[w.note for w in week_list],
    )
    many_weeks = len(week_list) > WEEK_LABELS_MAX
    week_bars = [
        svg.Bar(
            str(w.number) if many_weeks else w.label,
            ln.questions,
            count_text(ln.questions, k),
            "" if many_weeks else w.short,
        )
        for w, ln in zip(week_list, week_lines, strict=True)
    ]

    # per route
    by_route = tally_by(data, lambda r: r.route)
    route_lines, _ = protected_lines([(ROUTE_NAMES[r], by_route.get(r, Tally())) for r in ROUTES], total, k)

    # per category: the 16, and "no category" when there are such questions
    by_category = tally_by(data, lambda r: r.category)
    slugs = list(CATEGORY_NAMES) + [s for s in sorted(by_category) if s and s not in CATEGORY_NAMES]
    if "" in by_category:
        slugs.append("")
    category_groups = {s: by_category.get(s, Tally()) for s in slugs}
    cat_lines, _ = protected_lines([(category_name(s), t) for s, t in category_groups.items()], total, k)
    cat_by_slug = dict(zip(slugs, cat_lines, strict=True))
    unmet = unmet_need(cat_by_slug)

    parts = [
        summary_section(total_line, period, place, cat_lines, unmet, k),
        explanation_section(k),
        section(
            "weken",
            "Vragen per week",
            [
                chart(svg.vbars("c-weken", f"Vragen per week in {place}, {period}", week_bars)),
                table(f"Vragen per week in {place}", "Week", week_lines, total_line, k, note_head="Dagen"),
            ],
        ),
        section(
            "routes",
            "Welk soort antwoord kregen inwoners?",
            [
                "<p>Dichtbij geeft vier soorten antwoord. Zie „Hoe lees je dit?”.</p>",
                chart(svg.hbars("c-routes", f"Vragen per soort antwoord in {place}", bars(route_lines, k))),
                table(f"Vragen per soort antwoord in {place}", "Soort antwoord", route_lines, total_line, k),
            ],
        ),
        section(
            "onderwerpen",
            "Vragen per onderwerp",
            [
                "<p>Het onderwerp is het onderwerp van het antwoord dat het best past.</p>",
                chart(
                    svg.hbars(
                        "c-onderwerpen",
                        f"Vragen per onderwerp in {place}",
                        bars(order(cat_lines, [NO_CATEGORY]), k),
                    )
                ),
                table(
                    f"Vragen per onderwerp in {place}",
                    "Onderwerp",
                    order(cat_lines, [NO_CATEGORY]),
                    total_line,
                    k,
                ),
            ],
        ),
        unmet_section(unmet, place, k),
        places_section(data, gemeente, total, total_line, place, k, kernen or {}),
    ]
    return page(h1, place, period, parts, k)


def summary_section(
    total: Line, period: str, place: str, cat_lines: Sequence[Line], unmet: Sequence[Unmet], k: int
) -> str:
    top = [ln.label for ln in order(cat_lines, [NO_CATEGORY]) if not ln.hidden and ln.label != NO_CATEGORY][
        :3
    ]
    rows = [
        ("Vragen", count_text(total.questions, k)),
        ("Vragen met een goed antwoord", total.good.text),
        ("Klikken op „Was dit wat je zocht?”", count_text(total.clicks, k)),
        ("Daarvan ja", total.yes.text),
        ("Meeste vragen over", ", ".join(top) or "Te weinig vragen om dit te tonen"),
        (
            "Hier vinden inwoners vaak niets",
            ", ".join(category_name(u.slug) for u in unmet[:3]) or "Geen onderwerp valt op",
        ),
    ]
    body = [
        f'<table class="keys"><caption>Kerncijfers van {escape(place)}, {escape(period)}</caption><tbody>',
        *(f'<tr><th scope="row">{escape(a)}</th><td>{escape(b)}</td></tr>' for a, b in rows),
        "</tbody></table>",
    ]
    return section("samenvatting", "Samenvatting", body, part=False)


def explanation_section(k: int) -> str:
    routes = "".join(
        f"<li><strong>{escape(ROUTE_NAMES[r])}</strong>: {escape(text)}</li>"
        for r, text in (
            ("voorziening", "Dichtbij liet voorzieningen in de buurt zien."),
            ("wijkteam", "de vraag past bij het wijkteam. Bijvoorbeeld omdat er maatwerk nodig is."),
            ("spoed", "er leek gevaar. Dichtbij liet eerst 112, 113 en Veilig Thuis zien."),
            ("onbekend", "de vraag ging niet over welzijn, zorg of hulp. Of het was geen vraag."),
        )
    )
    unmet = round(UNMET_SHARE * 100)
    # (term, text, extra HTML before the text)
    items = [
        (
            "Vragen",
            "Het aantal vragen aan Dichtbij. We bewaren de vraag zelf nooit. We tellen alleen: hoeveel "
            "vragen, over welk onderwerp, in welke gemeente en kern.",
            "",
        ),
        ("Goed antwoord", "Het deel van de vragen waarop Dichtbij een passend antwoord gaf.", ""),
        (
            "Was dit wat je zocht?",
            "Onder elk antwoord kan de inwoner ja of nee klikken. Niet iedereen klikt. „Klikken ja/nee” is "
            "het aantal klikken. „Ja” is het deel van de klikken dat ja was. Hoe hoger, hoe beter.",
            "",
        ),
        ("Soort antwoord", "Dichtbij geeft vier soorten antwoord:", ""),
        (
            "Onderwerp en kern",
            "Het onderwerp is het onderwerp van het antwoord dat het best past. De kern is de stad of het "
            "dorp dat de inwoner noemde of koos. Dat weten we niet altijd. Dan staat de vraag bij "
            f"„{NO_CATEGORY}” of „{NO_KERN}”.",
            "",
        ),
        (
            "Waar vinden inwoners het vaakst niets?",
            f"Onderwerpen met minder dan {unmet}% goede antwoorden, of minder dan {unmet}% ja. Bovenaan "
            "staat het onderwerp waar de meeste vragen geen passend antwoord kregen.",
            "",
        ),
        (
            f"< {k} en de gestreepte balk",
            f"„< {k}” betekent: minder dan {k}. Kleine aantallen laten we nooit zien. Zo kan niemand een "
            "inwoner herkennen. Soms verbergen we ook een groter aantal. Anders kun je het kleine aantal "
            "uitrekenen met het totaal. In een grafiek is een verborgen aantal een korte gestreepte balk. "
            "Alle gestreepte balken zijn even lang. De lengte zegt dus niets.",
            svg.hidden_example("c-voorbeeld", k),
        ),
        (
            "Percentages",
            f"Een percentage van minder dan {k} vragen of klikken laten we niet zien. Soms kun je met een "
            f"percentage een aantal onder de {k} uitrekenen. Dan staat er alleen of het lager of hoger is: "
            "„< 8%” is minder dan 8%, „> 92%” is meer dan 92%. Percentages zijn afgerond op hele getallen.",
            "",
        ),
    ]
    body = ['<dl class="terms">']
    for term, text, extra in items:
        more = f"<ul>{routes}</ul>" if term == "Soort antwoord" else ""
        body.append(f"<dt>{escape(term)}</dt><dd>{extra}{escape(text)}{more}</dd>")
    body.append("</dl>")
    return section("uitleg", "Hoe lees je dit?", body, part=False)


def unmet_section(unmet: Sequence[Unmet], place: str, k: int) -> str:
    title = "Waar vinden inwoners het vaakst niets?"
    body = [
        "<p>Deze onderwerpen hebben veel vragen. Maar weinig vragen kregen een goed antwoord, of veel "
        "inwoners klikten „nee”. Misschien mist hier een voorziening. Of inwoners vinden hem niet. "
        "Kijk of er een voorziening bij moet, of dat de tekst beter kan.</p>"
    ]
    if not unmet:
        body.append("<p>Geen onderwerp valt op in deze periode.</p>")
        return section("niets-gevonden", title, body)
    heads = ["Onderwerp", "Vragen", "Goed antwoord", YES_HEAD, "Wat valt op?"]
    out = [f"<table><caption>{escape(title)} ({escape(place)})</caption><thead><tr>"]
    for i, h in enumerate(heads):
        cls = ' class="num"' if 0 < i < 4 else ""
        out.append(f'<th scope="col"{cls}>{escape(h)}</th>')
    out.append("</tr></thead><tbody>")
    for u in unmet:
        out.append(
            f'<tr><th scope="row">{escape(u.line.label)}</th>'
            + _num_cell(count_text(u.line.questions, k), u.line.questions is None)
            + _num_cell(u.line.good.text, u.line.good.hidden)
            + _num_cell(u.line.yes.text, u.line.yes.hidden)
            + f"<td>{escape('. '.join(u.reasons))}.</td></tr>"
        )
    out.append("</tbody></table>")
    body.append("\n".join(out))
    return section("niets-gevonden", title, body)


def kern_lines(
    data: Sequence[CountRow], total: Tally, outer: Line, k: int, known: Sequence[str]
) -> tuple[list[Line], Line] | None:
    """The kernen of one gemeente (the known ones and those in the data), or None when no kern is known."""
    by_kern = tally_by(data, lambda r: r.kern)
    if not any(by_kern):
        return None
    names = sorted(set(by_kern) | set(known), key=lambda s: (s == "", s.casefold(), s))
    groups = [(kern_name(s), by_kern.get(s, Tally())) for s in names]
    lines, total_line = protected_lines(groups, total, k, outer=outer)
    return order(lines, [NO_KERN]), total_line


def places_section(
    data: Sequence[CountRow],
    gemeente: str | None,
    total: Tally,
    total_line: Line,
    place: str,
    k: int,
    kernen: Mapping[str, Sequence[str]],
) -> str:
    no_kern = "<p>Van geen enkele vraag is de kern bekend.</p>"
    if gemeente is not None:
        body: list[str] = []
        found = kern_lines(data, total, total_line, k, kernen.get(gemeente, ()))
        if found is None:
            body.append(no_kern)
        else:
            lines, kt = found
            body.append(chart(svg.hbars("c-kernen", f"Vragen per kern in {place}", bars(lines, k))))
            body.append(table(f"Vragen per kern in {place}", "Kern", lines, kt, k))
        return section("plaatsen", "Per kern", body)

    by_gemeente = tally_by(data, lambda r: r.gemeente)
    slugs = list(GEMEENTE_NAMES) + [s for s in sorted(by_gemeente) if s and s not in GEMEENTE_NAMES]
    if "" in by_gemeente:
        slugs.append("")
    g_lines, _ = protected_lines([(gemeente_name(s), by_gemeente.get(s, Tally())) for s in slugs], total, k)
    by_slug = dict(zip(slugs, g_lines, strict=True))
    shown = order(g_lines, [NO_GEMEENTE])
    body = [
        chart(svg.hbars("c-gemeenten", "Vragen per gemeente", bars(shown, k))),
        table("Vragen per gemeente", "Gemeente", shown, total_line, k),
    ]
    for slug in [s for s in slugs if s]:
        name = gemeente_name(slug)
        body.append(f"<h3>Kernen in {escape(name)}</h3>")
        rows = [r for r in data if r.gemeente == slug]
        if by_slug[slug].questions is None:
            body.append(f"<p>Te weinig vragen uit {escape(name)} om kernen te tonen.</p>")
            continue
        found = kern_lines(rows, by_gemeente[slug], by_slug[slug], k, kernen.get(slug, ()))
        if found is None:
            body.append(no_kern)
            continue
        lines, kt = found
        body.append(chart(svg.hbars(f"c-kernen-{slug}", f"Vragen per kern in {name}", bars(lines, k))))
        body.append(table(f"Vragen per kern in {name}", "Kern", lines, kt, k))
    return section("plaatsen", "Per gemeente en kern", body)


CSS = """
*{box-sizing:border-box}
html{color-scheme:light}
body{margin:0;background:#fff;color:#1a1a1a;line-height:1.5;font-size:1rem;
font-family:system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","Liberation Sans",Arial,sans-serif}
header,main,footer{max-width:46rem;margin:0 auto;padding:0 1rem}
header{padding-top:1.25rem;padding-bottom:.75rem;border-bottom:3px solid #1d4f91}
.brand{margin:0;font-weight:700;color:#1d4f91}
h1{font-size:1.7rem;line-height:1.2;margin:.25rem 0 .5rem}
h2{font-size:1.35rem;line-height:1.25;margin:2rem 0 .5rem;padding-bottom:.2rem;
border-bottom:1px solid #8a96a3}
h3{font-size:1.1rem;margin:1.5rem 0 .25rem}
p{margin:.5rem 0}
table{border-collapse:collapse;width:100%;margin:.75rem 0 .5rem;font-size:.9rem}
caption{text-align:left;font-weight:700;padding:.25rem 0}
th,td{border-bottom:1px solid #c3ccd6;padding:.3rem .5rem;text-align:left;vertical-align:top}
thead th{background:#eef2f7;border-bottom:2px solid #1a1a1a}
.num{text-align:right;font-variant-numeric:tabular-nums}
td.num{white-space:nowrap}
.hidden-cell{font-style:italic}
tr.total th,tr.total td{font-weight:700;border-top:2px solid #1a1a1a}
table.keys{width:auto;min-width:60%}
table.keys td{font-weight:700}
.note{color:#404040;font-size:.875rem}
.chart-wrap{margin:.75rem 0}
svg.chart{display:block;width:100%;height:auto;font-family:inherit}
dl.terms dt{font-weight:700;margin-top:.6rem;break-after:avoid}
dl.terms dd{margin:0 0 0 1rem}
dl.terms svg.chart{width:160px;margin:.2rem 0}
dl.terms ul{margin:.25rem 0;padding-left:1.25rem}
footer{margin-top:2rem;padding-top:.5rem;padding-bottom:2rem;border-top:1px solid #8a96a3;font-size:.875rem}
@page{size:A4 portrait;margin:14mm 14mm 16mm}
@media print{
body{font-size:10pt}
header,main,footer{max-width:none;padding-left:0;padding-right:0}
section.part{break-before:page}
h2,h3,caption{break-after:avoid}
.chart-wrap,tr,dl.terms dd{break-inside:avoid}
thead{display:table-header-group}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}
}
"""


def page(h1: str, place: str, period: str, parts: Sequence[str], k: int) -> str:
    return "\n".join(
        [
            "<!doctype html>",
            '<html lang="nl">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{escape(h1)} – Dichtbij</title>",
            f"<style>{CSS}</style>",
            "</head>",
            "<body>",
            "<header>",
            '<p class="brand">Dichtbij: rapport over vindbaarheid</p>',
            f"<h1>{escape(h1)}</h1>",
            f"<p>Voor het wijkteam en het beleidsteam. Vinden inwoners van {escape(place)} de hulp die ze "
            "zoeken? Dit rapport laat zien hoeveel vragen inwoners stelden, waarover, en hoe vaak ze "
            "een goed antwoord kregen.</p>",
            "</header>",
            "<main>",
            *parts,
            "</main>",
            "<footer>",
            f"<p>Gemaakt door Dichtbij uit tellingen van vragen, {escape(period)}. In dit rapport staan geen "
            f"vragen, namen, adressen of tijden. Aantallen onder de {k} zijn verborgen.</p>",
            "</footer>",
            "</body>",
            "</html>",
            "",
        ]
    )
