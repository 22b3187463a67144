"""The warm hand-off to the wijkteam: one step to an addressed e-mail, the question only when chosen."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from webapp import create_app

QUESTION = "wie regelt een aangepast bed voor mijn vader na zijn operatie"


def test_one_step_to_an_addressed_email_with_or_without_the_question(
    content_dir: Path, tmp_path: Path, route_as
) -> None:  # type: ignore[no-untyped-def]
    gemeente = content_dir / "gemeenten" / "oss.md"
    gemeente.write_text(
        gemeente.read_text(encoding="utf-8").replace(
            '  telefoon: ""\n', '  telefoon: ""\n  email: wijkteam@oss.example\n', 1
        ),
        encoding="utf-8",
    )
    app = create_app(
        {
            "TESTING": True,
            "CONTENT_DIR": str(content_dir),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'test.db'}",
            "INDEX_DIR": str(tmp_path / "index"),
            "VECTOR_CACHE_DIR": str(tmp_path / "vectors"),
            "ROUTER_DIR": str(tmp_path / "no-router"),
            "EMBEDDER": "none",
            "TILE_URL": "",
        }
    )
    route_as(QUESTION, "wijkteam")
    html = app.test_client().post("/vraag", data={"q": QUESTION, "gemeente": "oss"}).get_data(as_text=True)
    links = [h for h in _hrefs(html) if h.startswith("mailto:")]
    assert len(links) == 2
    plain, with_question = (parse_qs(urlsplit(h).query) for h in links)
    assert all(urlsplit(h).path == "wijkteam@oss.example" for h in links)  # addressed
    assert QUESTION not in plain["body"][0]
    assert QUESTION in with_question["body"][0]


def _hrefs(html: str) -> list[str]:
    import re
    from html import unescape

    return [unescape(h) for h in re.findall(r'href="([^"]*)"', html)]
