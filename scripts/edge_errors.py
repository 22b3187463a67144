"""Write nginx's own error pages (deploy/nginx/errors/<status>.html and .json) from one template.

    python scripts/edge_errors.py [--check]

nginx answers these itself, when the app is not asked (a request too large or too long, too many
questions, the app down), so they are static files. They carry the national crisis lines from
webapp/emergency.py, so a number is written in one place. --check exits 1 when a file is not what this
script writes (tests/production/test_deploy_files.py runs it).
"""

from __future__ import annotations

import json
import sys
from html import escape
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from webapp.emergency import LINES  # noqa: E402 - after the path is set

OUT = ROOT / "deploy" / "nginx" / "errors"

# status -> (title, text in Dutch B1, the same text per language)
PAGES: dict[int, tuple[str, str, dict[str, str]]] = {
    413: (
        "Je bericht is te lang",
        "Je bericht is te lang om te versturen. Maak het korter en probeer het opnieuw.",
        {
            "en": "Your message is too long. Make it shorter and try again.",
            "pl": "Twoja wiadomość jest za długa. Skróć ją i spróbuj ponownie.",
            "tr": "Mesajınız çok uzun. Kısaltın ve tekrar deneyin.",
            "ar": "رسالتك طويلة جداً. اجعلها أقصر وحاول مرة أخرى.",
            "uk": "Ваше повідомлення задовге. Скоротіть його і спробуйте ще раз.",
        },
    ),
    414: (
        "Je vraag is te lang",
        "Je vraag is te lang. Gebruik minder woorden en probeer het opnieuw.",
        {
            "en": "Your question is too long. Use fewer words and try again.",
            "pl": "Twoje pytanie jest za długie. Użyj mniej słów i spróbuj ponownie.",
            "tr": "Sorunuz çok uzun. Daha az kelime kullanın ve tekrar deneyin.",
            "ar": "سؤالك طويل جداً. استخدم كلمات أقل وحاول مرة أخرى.",
            "uk": "Ваше запитання задовге. Напишіть коротше і спробуйте ще раз.",
        },
    ),
    429: (
        "Even wachten",
        "Er zijn veel vragen gesteld vanaf jouw verbinding. Wacht een minuut en probeer het dan opnieuw.",
        {
            "en": "Many questions came from your connection. Wait a minute and try again.",
            "pl": "Z Twojego połączenia zadano wiele pytań. Poczekaj minutę i spróbuj ponownie.",
            "tr": "Bağlantınızdan çok soru geldi. Bir dakika bekleyin ve tekrar deneyin.",
            "ar": "وصلت أسئلة كثيرة من اتصالك. انتظر دقيقة ثم حاول مرة أخرى.",
            "uk": "З вашого з'єднання надійшло багато запитань. Зачекайте хвилину і спробуйте ще раз.",
        },
    ),
    503: (
        "Dichtbij is even niet bereikbaar",
        "Dichtbij werkt nu even niet. Probeer het over een paar minuten opnieuw.",
        {
            "en": "Dichtbij is not working right now. Try again in a few minutes.",
            "pl": "Dichtbij chwilowo nie działa. Spróbuj ponownie za kilka minut.",
            "tr": "Dichtbij şu anda çalışmıyor. Birkaç dakika sonra tekrar deneyin.",
            "ar": "Dichtbij لا يعمل الآن. حاول مرة أخرى بعد بضع دقائق.",
            "uk": "Dichtbij зараз не працює. Спробуйте ще раз за кілька хвилин.",
        },
    ),
}

RTL = ' dir="rtl"'
LANGUAGE_NAMES = {"en": "English", "pl": "Polski", "tr": "Türkçe", "ar": "العربية", "uk": "Українська"}

# The crisis lines as the error pages word them: the question that says when, then the call.
NOOD = (
    ("112", "Is er nu gevaar?", "Bel {phone}"),
    ("113", "Denk je aan zelfdoding? Bellen is gratis en anoniem.", "Bel {phone}"),
    ("veilig-thuis", "Is er geweld of mishandeling thuis? Bellen is gratis.", "Bel {name}: {phone}"),
)

STYLE = """    body { font: 1.125rem/1.5 system-ui, sans-serif; margin: 0; padding: 1rem; color: #1a1a1a; background: #fff; }
    main { max-width: 40rem; margin-inline: auto; }
    h1 { font-size: 1.5rem; }
    .nood { border-inline-start: 6px solid #a4161a; padding: 0.5rem 0.75rem; margin-block: 1.5rem; }
    .nood ul { list-style: none; padding: 0; margin: 0; }
    .nood li { margin-block: 0.5rem; }
    .nood a { display: inline-block; min-height: 44px; line-height: 44px; padding-inline: 0.75rem;
              background: #a4161a; color: #fff; font-weight: 700; text-decoration: none; border-radius: 4px; }
    a { color: #004a99; }"""  # noqa: E501 - written out as nginx serves it


def html_page(title: str, text: str, translations: dict[str, str]) -> str:
    nood = "\n".join(
        f'        <li>{escape(when)} <a href="tel:{LINES[key].tel}">'
        f"{escape(call.format(name=LINES[key].name, phone=LINES[key].phone))}</a></li>"
        for key, when, call in NOOD
    )
    other = "\n".join(
        f'    <p lang="{lang}"{RTL if lang == "ar" else ""}><b>{LANGUAGE_NAMES[lang]}:</b> '
        f"{escape(t, quote=False)}</p>"
        for lang, t in translations.items()
    )
    return f"""<!doctype html>
<html lang="nl">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{escape(title)} - Dichtbij</title>
  <style>
{STYLE}
  </style>
</head>
<body>
  <main>
    <h1>{escape(title)}</h1>
    <p>{escape(text)}</p>
    <p><a href="/">Naar de startpagina van Dichtbij</a></p>
    <section class="nood" aria-labelledby="nood">
      <h2 id="nood">Hulp als het niet veilig is</h2>
      <ul>
{nood}
      </ul>
    </section>
{other}
  </main>
</body>
</html>
"""


def json_body(status: int, text: str) -> str:
    lines = [{"name": LINES[key].name, "phone": LINES[key].phone} for key, _, _ in NOOD]
    return json.dumps({"error": text, "status": status, "emergency": lines}, ensure_ascii=False) + "\n"


def files() -> dict[Path, str]:
    out: dict[Path, str] = {}
    for status, (title, text, translations) in PAGES.items():
        out[OUT / f"{status}.html"] = html_page(title, text, translations)
        out[OUT / f"{status}.json"] = json_body(status, text)
    return out


def _shown(path: Path) -> Path:
    return path.relative_to(ROOT) if path.is_relative_to(ROOT) else path


def main(argv: list[str]) -> int:
    stale = [path for path, text in files().items() if not path.exists() or path.read_text("utf-8") != text]
    if "--check" in argv:
        for path in stale:
            print(f"not current: {_shown(path)} (run: python scripts/edge_errors.py)")
        return 1 if stale else 0
    for path in stale:
        path.write_text(files()[path], encoding="utf-8")
        print(f"written: {_shown(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
