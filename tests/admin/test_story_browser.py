"""An editor takes imported wire copy live in six clicks, in a real browser: import →
preview → confirm → open the story → approve → publish; then corrects the live story
the same way (re-import → pending changes → publish with a correction).

Playwright drives Debian's Chromium (never a downloaded browser), as in
tests/site/test_browser.py. Screenshots at 1366 px and 390 px land in test-artifacts/.
"""

from __future__ import annotations

from pathlib import Path

from tests.browser import ARTIFACTS, BROWSER_TEST, assert_accessible
from tests.site import test_browser as site_browser

# The readers' browser test's fixtures: Debian's Chromium, and a superuser editor.
editor = site_browser.editor

pytestmark = BROWSER_TEST

SAMPLE = Path(__file__).resolve().parents[2] / "articles" / "samples" / "wire-putin-talks.txt"
WIDTHS = {"wide": 1366, "phone": 390}


class Clicks:
    """Counts the clicks an editor makes (typing and scrolling are not clicks)."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def click(self, locator) -> None:
        self.count += 1
        with self.page.expect_navigation():  # the next page, not the one clicked on
            locator.click()


def shots(browser, url: str, name: str, cookies) -> None:
    """Screenshots of `url` at a desktop and a phone width, signed in as the editor."""
    ARTIFACTS.mkdir(exist_ok=True)
    for label, width in WIDTHS.items():
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.add_cookies(cookies)
        page = context.new_page()
        page.goto(url)
        page.screenshot(path=str(ARTIFACTS / f"story-{name}-{label}.png"), full_page=True)
        context.close()


def sign_in(page, base: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill("pw-chief")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/admin/")


def import_copy(clicks: Clicks, page, text: str) -> None:
    clicks.click(page.get_by_role("link", name="Import wire copy"))
    page.get_by_label("Paste the wire copy").fill(text)
    clicks.click(page.get_by_role("button", name="Preview import"))
    clicks.click(page.get_by_role("button", name="Confirm import"))


def test_an_imported_story_goes_live_in_six_clicks(live_server, browser, editor):
    from articles.models import Article
    from articles.states import State

    base = live_server.url
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    sign_in(page, base)
    page.goto(f"{base}/admin/articles/article/")
    clicks = Clicks(page)

    import_copy(clicks, page, SAMPLE.read_text())
    assert "waiting for review" in page.locator(".messagelist").first.inner_text()
    shots(browser, f"{base}/admin/review/", "0-queue", page.context.cookies())
    clicks.click(page.get_by_role("link", name="Review story"))
    story_url = page.url
    table = page.locator("table.story-parts")
    assert table.locator("tr.story-part").count() >= 6
    assert table.get_by_text("in review → approved").count() >= 6
    shots(browser, story_url, "1-approve", page.context.cookies())
    for label, width in WIDTHS.items():  # nothing is wider than the screen
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width, label
    page.set_viewport_size({"width": 1366, "height": 900})
    clicks.click(page.get_by_role("button", name="Approve story"))
    assert "story approved" in page.locator(".messagelist").first.inner_text()
    assert table.get_by_text("approved → published").count() >= 6
    shots(browser, story_url, "2-publish", page.context.cookies())
    clicks.click(page.get_by_role("button", name="Publish story"))
    assert "story published" in page.locator(".messagelist").first.inner_text()

    assert clicks.count <= 6
    article = Article.objects.get()
    assert article.state == State.PUBLISHED
    waiting = [
        part
        for relation in ("attributions", "enrichment_blocks", "proposals")
        for part in getattr(article, relation).all()
        if part.state != State.PUBLISHED
    ]
    assert waiting == []  # nothing left behind

    reader = browser.new_page(viewport={"width": 1366, "height": 900})
    reader.goto(f"{base}{article.get_absolute_url()}")
    assert reader.get_by_text("What the analysts say").is_visible()
    assert reader.locator(".story__aside .block").count() == 2  # overview and key points
    assert reader.locator("table.comparison").is_visible()
    reader.screenshot(path=str(ARTIFACTS / "story-3-live-wide.png"), full_page=True)
    assert_accessible(reader)


def test_a_live_story_is_corrected_through_pending_changes(live_server, browser, editor):
    from articles.intake.importer import import_wire
    from articles.models import Article, Correction
    from articles.stories import transition_story

    text = SAMPLE.read_text()
    article = import_wire(text, user=editor).article
    transition_story(article, "approve", by=editor)
    transition_story(article, "publish", by=editor)
    base = live_server.url
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    sign_in(page, base)
    page.goto(f"{base}/admin/articles/article/")
    clicks = Clicks(page)

    changed = text.replace("stalled ceasefire", "stalled truce")
    import_copy(clicks, page, changed)
    clicks.click(page.get_by_role("link", name="Review story"))
    assert page.locator(".pending-diff ins").first.is_visible()  # live → pending, word by word
    shots(browser, page.url, "4-pending", page.context.cookies())
    reader = browser.new_page()
    reader.goto(f"{base}{article.get_absolute_url()}")
    assert reader.get_by_text("stalled ceasefire").count() >= 1  # readers keep the live text
    clicks.click(page.get_by_role("button", name="Approve story"))
    page.get_by_label("Public note").select_option("correction")
    page.get_by_label("Text of the note").fill("An earlier version called the truce a ceasefire.")
    clicks.click(page.get_by_role("button", name="Publish story"))
    assert clicks.count <= 6
    assert page.locator("#story-nothing-waiting").is_visible()

    article = Article.objects.get()
    assert "stalled truce" in article.sections.get(order=3).body
    assert Correction.objects.get().article == article
    for label, width in WIDTHS.items():
        reader = browser.new_page(viewport={"width": width, "height": 900})
        reader.goto(f"{base}{article.get_absolute_url()}")
        assert reader.get_by_text("An earlier version called the truce a ceasefire.").is_visible()
        reader.screenshot(path=str(ARTIFACTS / f"story-5-correction-{label}.png"), full_page=True)
        notes = reader.locator("section.corrections")
        notes.screenshot(path=str(ARTIFACTS / f"story-6-correction-note-{label}.png"))
        if label == "phone":
            assert reader.evaluate("document.documentElement.scrollWidth") <= width
        assert_accessible(reader)
