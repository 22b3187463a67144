"""The resident's journeys in a real browser: asking a question (with and without JavaScript) and the
quick exit ("Snel weg") by mouse and by keyboard, which must leave no way back to the page."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlsplit

import pytest

from .conftest import QUESTION, SPOED

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("which", ["page", "nojs_page"])
def test_question_flow(request: pytest.FixtureRequest, base_url: str, which: str) -> None:
    page: Any = request.getfixturevalue(which)
    page.goto(base_url + "/")
    page.fill("#q", QUESTION)
    page.select_option("#gemeente", "oss")
    with page.expect_navigation(wait_until="load"):
        page.click("form.ask-form button[type=submit]")
    assert urlsplit(page.url).path == "/vraag"
    assert not urlsplit(page.url).query, "the question is posted, never left in the address bar"
    assert page.locator("h1").inner_text() == "Antwoord op je vraag"
    assert page.locator(".bubble--resident .bubble__text").inner_text() == QUESTION
    assert page.locator("article.card").count() > 0
    assert page.locator("#wijkteam").count() == 0  # no hand-off before the resident says no

    with page.expect_navigation(wait_until="load"):
        page.click("form.choice button[value=nee]")
    assert urlsplit(page.url).fragment == "wijkteam" and not urlsplit(page.url).query
    handoff = page.locator("#wijkteam")
    assert handoff.is_visible()
    assert handoff.locator("h2").inner_text() == "Neem contact op met het wijkteam"

    # A new question from the answer page keeps the gemeente.
    page.fill("#q", "waar kan ik nederlands oefenen")
    with page.expect_navigation(wait_until="load"):
        page.click("form.ask-form button[type=submit]")
    assert page.locator("#gemeente").input_value() == "oss"
    assert page.locator("article.card").count() > 0


@pytest.mark.parametrize("which", ["page", "nojs_page"])
def test_empty_question_shows_the_error_summary(
    request: pytest.FixtureRequest, base_url: str, which: str
) -> None:
    page: Any = request.getfixturevalue(which)
    page.goto(base_url + "/")
    with page.expect_navigation(wait_until="load"):
        page.click("form.ask-form button[type=submit]")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert page.locator("#q").get_attribute("aria-invalid") == "true"
    summary.locator("a[href='#q']").click()
    assert page.evaluate("document.activeElement.id") == "q"


def open_spoed(page: Any, base_url: str) -> int:
    page.goto(base_url + "/")
    page.goto(base_url + f"/vraag?q={quote(SPOED)}")
    assert page.locator("#snel-weg").is_visible()
    assert page.locator(".js-esc-hint").is_visible()  # the Esc shortcut is offered only where it works
    return int(page.evaluate("history.length"))


def assert_left_without_trace(page: Any, base_url: str, before: int) -> None:
    page.wait_for_url("**/tuintips")
    assert page.evaluate("history.length") == before, "Snel weg added a history entry"
    page.go_back()
    assert urlsplit(page.url).path == "/", f"back went to {page.url}, not to the page before the answer"


def test_quick_exit_by_click(page, base_url) -> None:
    before = open_spoed(page, base_url)
    page.click("#snel-weg")
    assert_left_without_trace(page, base_url, before)


def test_quick_exit_by_escape_twice(page, base_url) -> None:
    before = open_spoed(page, base_url)
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    assert_left_without_trace(page, base_url, before)


def test_quick_exit_by_tab_and_enter(page, base_url) -> None:
    before = open_spoed(page, base_url)
    for _ in range(12):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "snel-weg":
            break
    else:
        pytest.fail("Snel weg cannot be reached with Tab")
    page.keyboard.press("Enter")
    assert_left_without_trace(page, base_url, before)


def test_quick_exit_without_javascript_is_a_plain_link(nojs_page, base_url) -> None:
    nojs_page.goto(base_url + f"/vraag?q={quote(SPOED)}")
    assert nojs_page.locator(".quick-exit-hint").is_visible()
    assert not nojs_page.locator(".js-esc-hint").is_visible()  # no script, so no Esc shortcut to offer
    nojs_page.click("#snel-weg")
    nojs_page.wait_for_url("**/tuintips")
    assert "Dichtbij" not in nojs_page.content()
