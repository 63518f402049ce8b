"""A reader's journey in a real browser: home → article → analyst → compare → search.

Playwright drives Debian's Chromium (/usr/bin/chromium, headless); it never downloads a
browser. A screenshot of every page lands in test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; the ORM calls made by the
# fixtures here are plain synchronous ones.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium package"),
]


@pytest.fixture
def editor(transactional_db):
    # A superuser counts as an editor. Not the shared persona: an earlier transactional
    # test may have flushed the groups that migration 0002 created.
    from django.contrib.auth.models import User

    return User.objects.create_superuser("chief", "chief@example.org", "pw-chief")


@pytest.fixture
def browser():
    from django.db import connections
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
        # Inside Playwright's event loop the ORM gets connections of that context; close
        # them here, or PostgreSQL refuses to drop the test database at the end.
        connections.close_all()


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_reader_goes_from_home_to_article_analyst_compare_and_search(live_server, browser, story):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/en/"
    assert page.locator("h1").inner_text() == "Latest analysis"
    # The first Tab lands on the skip link, which becomes visible.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()
    shot(page, "1-home")

    page.get_by_role("link", name="Putin says talks with Washington are going nowhere").click()
    page.wait_for_url("**/en/articles/putin-talks/")
    assert page.locator("h1").inner_text() == "Putin says talks with Washington are going nowhere"
    assert page.get_by_text("Translated from the original in French by Lara Bullens").is_visible()
    assert page.get_by_text("The Kremlin is buying time.").is_visible()
    assert page.get_by_text("No ceasefire.").is_visible()
    table = page.locator("table.comparison")
    assert table.get_by_text("Donbas ceded to Russia.").is_visible()
    assert table.locator("td.comparison__empty").count() == 1
    shot(page, "2-article")

    page.get_by_role("link", name="Alexander Gabuev").click()
    page.wait_for_url("**/en/analysts/alexander-gabuev/")
    assert page.locator("h1").inner_text() == "Alexander Gabuev"
    assert page.get_by_text("Carnegie Endowment, Berlin").is_visible()
    assert page.get_by_text("The Kremlin is buying time.").is_visible()
    shot(page, "3-analyst")

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Proposals").click()
    page.wait_for_url("**/en/proposals/")
    page.get_by_label("Compare “US 28-point plan”").check()
    page.get_by_label("Compare “European counter-proposal”").check()
    page.get_by_role("button", name="Compare selected").click()
    page.wait_for_url("**/en/proposals/compare/**")
    assert page.locator("h1").inner_text() == "Proposals compared"
    headers = page.locator("table.comparison thead th").all_inner_texts()
    assert any("European counter-proposal" in h for h in headers)
    assert any("US 28-point plan" in h for h in headers)
    territory = page.locator("tr", has_text="Territorial concessions")
    assert territory.get_by_text("Donbas ceded to Russia.").is_visible()
    assert territory.locator("td.comparison__empty").count() == 1
    shot(page, "4-compare")

    search = page.get_by_role("search").first.get_by_label("Search articles")
    search.fill("Kremlin")
    search.press("Enter")
    page.wait_for_url("**/en/search/?q=Kremlin")
    assert page.get_by_text("1 article matches “Kremlin”").is_visible()
    assert page.locator(".result mark").first.inner_text() == "Kremlin"
    shot(page, "5-search")

    phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    phone.goto(f"{live_server.url}/en/articles/putin-talks/")
    assert phone.locator("h1").is_visible()
    # Nothing is wider than the screen (the comparison table scrolls inside its box).
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "6-article-phone")
