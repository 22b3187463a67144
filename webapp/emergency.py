"""The real national crisis lines. Shown first and large on every spoed answer and on /nood."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class Line:
    key: str
    name: str
    phone: str
    tel: str  # for tel: links
    when: object  # lazy translated text: when to call, on the emergency page
    short: object  # lazy translated text: one line for the compact block above an ordinary answer
    url: str = ""


LINES: dict[str, Line] = {
    "112": Line(
        "112",
        "Alarmnummer 112",
        "112",
        "112",
        _l("Bel 112 bij direct gevaar. Bijvoorbeeld als iemand niet ademt of als er nu geweld is."),
        _l("Is er nu gevaar? Bel het alarmnummer."),
    ),
    "113": Line(
        "113",
        "113 Zelfmoordpreventie",
        "0800-0113",
        "08000113",
        _l(
            "Denk je aan zelfdoding? Praat erover met 113. "
            "Bellen is gratis, dag en nacht. Chatten kan op 113.nl."
        ),
        _l("Denk je aan zelfdoding? Praat met 113. Gratis en anoniem."),
        "https://www.113.nl",
    ),
    "veilig-thuis": Line(
        "veilig-thuis",
        "Veilig Thuis",
        "0800-2000",
        "08002000",
        _l(
            "Is er geweld of mishandeling thuis? Bel Veilig Thuis. Gratis, dag en nacht. Ook als je twijfelt."
        ),
        _l("Is er geweld of mishandeling thuis? Bel Veilig Thuis. Gratis."),
        "https://veiligthuis.nl",
    ),
}
ORDER = ("112", "113", "veilig-thuis")


def lines_for(keys: tuple[str, ...] | list[str]) -> list[Line]:
    """The lines the triage chose, in its order (112 is among them on every spoed answer)."""
    return [LINES[k] for k in dict.fromkeys(keys) if k in LINES]
