"""The admin intake in a real browser: paste, preview, pick another option, apply,
confirm, see the warnings on the story, mark them checked; then an update of the story
with its per-section diff. Screenshots at 1366 and 390 px land in test-artifacts/."""

from __future__ import annotations

from pathlib import Path

from articles.models import Article, EnrichmentBlock, ImportWarning
from tests.browser import ARTIFACTS, BROWSER_TEST, shot
from tests.site.test_browser import editor  # noqa: F401 (a fixture)

pytestmark = BROWSER_TEST

PUTIN = (
    Path(__file__).resolve().parents[2] / "articles" / "samples" / "wire-putin-talks.txt"
).read_text(encoding="utf-8")


def signed_in(browser, live_server, width: int):  # noqa: F811
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{live_server.url}/admin/login/")
    page.fill("#id_username", "chief")
    page.fill("#id_password", "pw-chief")
    page.click("input[type=submit]")
    return page


def preview(page, live_server, text: str) -> None:
    page.goto(f"{live_server.url}/admin/articles/article/import/")
    page.fill("textarea[name=text]", text)
    page.click("input[name=preview]")
    page.wait_for_selector("#wire-import-confirm")


def test_an_editor_resolves_a_choice_in_the_preview_and_checks_the_warnings(
    live_server,
    browser,  # noqa: F811
    editor,  # noqa: F811
):
    page = signed_in(browser, live_server, 1366)
    preview(page, live_server, PUTIN)
    choice = page.locator("#choice-key-points")
    assert choice.locator("input[type=radio]").count() == 6
    assert choice.locator("input[value='34']").is_checked()
    shot(page, "intake-preview-1366")

    choice.locator("input[value='35']").check()
    page.click("#import-apply-choices")
    page.wait_for_selector("#wire-import-confirm")
    assert page.locator("#choice-key-points input[value='35']").is_checked()
    assert "Key points: 4 points" in page.locator("#import-blocks").inner_text()
    assert not Article.objects.exists()

    page.click("input[name=confirm]")
    page.wait_for_selector("#import-warnings-on-article")
    assert len(EnrichmentBlock.objects.get(kind="key_points").items) == 4
    assert "choice key-points: 35" in page.locator("#import-warnings-on-article").inner_text()
    shot(page, "intake-article-warnings-1366")
    page.locator("#import-warnings-on-article").screenshot(
        path=str(ARTIFACTS / "intake-article-warnings-box-1366.png")
    )

    page.click("text=Mark them checked…")
    page.click("input[type=submit][value^='Mark 5']")
    page.wait_for_selector(".messagelist .success")
    assert page.locator("#import-warnings-on-article").count() == 0
    assert not ImportWarning.objects.filter(checked_at__isnull=True).exists()
    page.close()


def test_an_update_shows_the_story_its_score_and_the_diff_at_both_widths(
    live_server,
    browser,  # noqa: F811
    editor,  # noqa: F811
):
    from articles.intake.importer import import_wire

    import_wire(PUTIN)
    changed = PUTIN.replace("Is Putin's sudden openness", "Is Putin's new openness").replace(
        "stalled ceasefire efforts", "stalled truce efforts"
    )
    for width in (1366, 390):
        page = signed_in(browser, live_server, width)
        preview(page, live_server, changed)
        story = page.locator("#import-story")
        assert "Update of" in story.inner_text()
        assert "similarity" in story.inner_text()
        assert story.locator("input[name='choice:update'][value='new']").count() == 1
        assert page.locator("#import-section-diffs ins").count() >= 1
        # Nothing overflows the phone's width.
        overflow = page.evaluate("document.documentElement.scrollWidth > window.innerWidth")
        assert not overflow or width > 390
        shot(page, f"intake-update-{width}")
        story.screenshot(path=str(ARTIFACTS / f"intake-update-story-{width}.png"))
        page.locator("#choice-key-points").screenshot(
            path=str(ARTIFACTS / f"intake-choice-{width}.png")
        )
        if width == 390:
            preview(page, live_server, PUTIN.replace("Is Putin", "Was Putin"))
            shot(page, "intake-preview-390")
        page.close()
