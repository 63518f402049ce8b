"""Each role's day in a real browser: sign in, land on the desk, act in place.

Playwright drives Debian's Chromium (never a downloaded browser). Every page visited is
screenshotted (test-artifacts/desk-*.png) at 1366 px and at 390 px, checked for
horizontal overflow at both widths, and audited with axe-core (as tests/site/
test_browser.py does for the readers' pages).
"""

from __future__ import annotations

import pytest

from tests.browser import BROWSER_TEST, assert_accessible, shot
from tests.site.test_browser_csp import watch_for_violations

pytestmark = BROWSER_TEST

WIDE, PHONE = 1366, 390
# Content-Security-Policy violations seen by each page (id(page) -> messages).
VIOLATIONS: dict[int, list[str]] = {}


def new_page(context):
    page = context.new_page()
    VIOLATIONS[id(page)] = watch_for_violations(page)
    return page


@pytest.fixture
def roles(transactional_db):
    """The role groups: a flush between transactional tests recreates them with their
    permissions (`articles.roles.sync_role_groups`, on post_migrate)."""


@pytest.fixture
def people(roles):
    from articles.roles import Role
    from tests.conftest import make_user

    return {
        "editor": make_user("edith", Role.EDITOR),
        "contributor": make_user("connie", Role.CONTRIBUTOR),
        "translator": make_user("tran", Role.TRANSLATOR, staff=False),
    }


@pytest.fixture
def desk(people):
    """A story in review with statements and a French version; a contributor's work
    sent back and in review."""
    from articles.comments import threads
    from articles.states import State
    from articles.workflow import transition
    from tests.factories import (
        AnalystFactory,
        ArticleFactory,
        AttributionFactory,
        TranslationVersionFactory,
        moderate,
    )

    editor, contributor, translator = people["editor"], people["contributor"], people["translator"]
    story = ArticleFactory(
        title="Putin says talks with Washington are going nowhere",
        slug="putin-talks",
        author=editor,
        sections=[
            ("", "Vladimir Putin said on Friday that the negotiations had stalled."),
            ("What the Kremlin wants", "Moscow demands the four regions.\n\nKyiv refuses."),
        ],
    )
    gabuev = AnalystFactory(name="Alexander Gabuev", slug="alexander-gabuev")
    for i, (analyst, statement) in enumerate(
        [
            (
                gabuev,
                "The Kremlin is buying time before the summer offensive, and everyone knows it.",
            ),
            (AnalystFactory(name="Tatiana Stanovaya"), "Putin believes time is on his side."),
        ]
    ):
        AttributionFactory(article=story, analyst=analyst, statement=statement, order=i)
    moderate(story, State.IN_REVIEW, editor)
    for part in story.attributions.all():
        transition(part, "submit", by=editor)
    version = TranslationVersionFactory(
        article=story,
        author=translator,
        translator=translator,
        source_snapshot={
            "language": "en",
            "title": story.title,
            "standfirst": story.standfirst,
            "sections": [
                {
                    "heading": "",
                    "paragraphs": [
                        "Vladimir Putin said on Friday that the negotiations had stalled."
                    ],
                },
                {
                    "heading": "What the Kremlin wants",
                    "paragraphs": ["Moscow demands the four regions.", "Kyiv refuses."],
                },
            ],
        },
        sections=[
            {
                "heading": "",
                "paragraphs": [
                    "Vladimir Poutine a déclaré vendredi que les négociations étaient"
                    " au point mort."
                ],
            },
            {
                "heading": "Ce que veut le Kremlin",
                "paragraphs": ["Moscou exige les quatre régions.", "Kiev refuse."],
            },
        ],
    )
    transition(version, "submit", by=translator)
    threads.post(version, by=translator, body="@edith is “au point mort” too strong?", anchor="1.1")
    sent_back = moderate(
        ArticleFactory(author=contributor, title="Grain corridor reopens"), State.IN_REVIEW, editor
    )
    transition(sent_back, "request_changes", by=editor, note="Name the shipping source.")
    waiting = ArticleFactory(author=contributor, title="Ports under pressure")
    transition(waiting, "submit", by=contributor)
    ArticleFactory(author=contributor, title="Notes from Odesa")
    return {"story": story, "version": version, "sent_back": sent_back, "waiting": waiting}


def sign_in(browser, live_server, username: str):
    context = browser.new_context(viewport={"width": WIDE, "height": 900})
    page = new_page(context)
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"pw-{username}")
    with page.expect_navigation():  # the next page, not the one clicked on
        page.get_by_role("button", name="Sign in").click()
    return context, page


def check(context, page, name: str) -> None:
    """Screenshot `page` at 1366 px and at 390 px; no horizontal overflow; axe clean; no
    Content-Security-Policy violation so far."""
    for width in (WIDE, PHONE):
        page.set_viewport_size({"width": width, "height": 900})
        shot(page, f"desk-{name}-{width}")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{page.url} is {scroll} px wide at {width} px"
    page.set_viewport_size({"width": WIDE, "height": 900})
    audit(page)


# What axe itself sets off: it sets style attributes, which the policy refuses. The
# console reports them asynchronously, possibly after the audit: the same messages
# arriving later are axe's, not the page's.
AXE_NOISE: set[str] = set()


def audit(page) -> None:
    """No Content-Security-Policy violation so far (but axe's own), then axe."""
    seen = VIOLATIONS.setdefault(id(page), [])
    assert [v for v in seen if v not in AXE_NOISE] == [], seen
    seen.clear()
    assert_accessible(page)
    page.wait_for_timeout(300)  # let the console deliver what axe set off
    AXE_NOISE.update(seen)
    seen.clear()


def test_an_editor_starts_on_the_dashboard_and_approves_in_place(live_server, browser, desk):
    context, page = sign_in(browser, live_server, "edith")
    assert page.url == f"{live_server.url}/admin/"
    assert page.get_by_role("heading", name="Your desk").is_visible()
    awaiting = page.locator("#awaiting-review")
    assert awaiting.locator(".story-group__title", has_text="Putin says talks").is_visible()
    check(context, page, "editor-dashboard")

    page.get_by_role(
        "link", name="Putin says talks with Washington are going nowhere"
    ).first.click()
    page.wait_for_url("**/admin/articles/article/*/change/")
    check(context, page, "editor-article")
    # Workflow buttons stand apart from Preview and History.
    assert page.locator("ul.workflow-tools").get_by_role("link", name="Approve").is_visible()
    assert page.locator("ul.workflow-tools").get_by_text("Preview").count() == 0

    # Unsaved changes: leaving asks first; Ctrl+S saves and stays on the page.
    page.get_by_label("Byline:").fill("Marie Dupont")
    asks = page.evaluate(
        "() => { const e = new Event('beforeunload', {cancelable: true});"
        " window.dispatchEvent(e); return e.defaultPrevented; }"
    )
    assert asks is True
    with page.expect_navigation():
        page.keyboard.press("Control+s")
    shot(page, "desk-editor-saved-with-ctrl-s")
    assert page.get_by_text("was changed successfully").is_visible()
    assert page.get_by_label("Byline:").input_value() == "Marie Dupont"

    # Approve in place: a small dialog, keyboard only, back on the same page.
    page.locator("ul.workflow-tools").get_by_role("link", name="Approve").focus()
    page.keyboard.press("Enter")
    dialog = page.locator("dialog[open]")
    assert dialog.is_visible()
    shot(page, "desk-editor-approve-dialog")
    audit(page)
    url = page.url
    with page.expect_navigation():  # the next page, not the one clicked on
        dialog.get_by_role("button", name="Approve").click()
    assert page.url == url
    assert page.get_by_text("is now approved").is_visible()

    # The translation, side by side, with the translator's comment under its paragraph.
    page.goto(f"{live_server.url}/admin/articles/translationversion/{desk['version'].pk}/review/")
    assert page.locator(".tv-comments").get_by_text("too strong").is_visible()
    check(context, page, "editor-side-by-side")

    page.goto(f"{live_server.url}/notifications/")
    assert page.get_by_text("tran mentioned you").is_visible()
    check(context, page, "editor-notifications")
    page.goto(f"{live_server.url}/notifications/preferences/")
    check(context, page, "editor-preferences")


def test_a_contributor_starts_on_my_work_and_withdraws_a_submission(live_server, browser, desk):
    context, page = sign_in(browser, live_server, "connie")
    assert page.url == f"{live_server.url}/admin/"
    assert page.get_by_role("heading", name="My work").is_visible()
    assert page.locator("#sent-back").get_by_text("Name the shipping source.").is_visible()
    assert page.get_by_role("link", name="Review queue").count() == 0
    check(context, page, "contributor-my-work")

    in_review = page.locator("#in-review")
    in_review.get_by_role("link", name="Withdraw").click()
    with page.expect_navigation():  # the next page, not the one clicked on
        page.locator("dialog[open]").get_by_role("button", name="Withdraw").click()
    assert page.get_by_text("is now draft").is_visible()
    assert page.locator("#drafts").get_by_role("link", name="Ports under pressure").is_visible()

    page.locator("#sent-back").get_by_role("link", name="Grain corridor reopens").click()
    page.wait_for_url("**/change/")
    assert page.locator("#sent-back-note").get_by_text("Name the shipping source.").is_visible()
    check(context, page, "contributor-sent-back")


def test_a_translator_starts_in_the_workspace_and_discusses_a_version(live_server, browser, desk):
    context, page = sign_in(browser, live_server, "tran")
    assert page.url == f"{live_server.url}/translate/"
    check(context, page, "translator-workspace")
    page.goto(f"{live_server.url}/translate/versions/{desk['version'].pk}/")
    thread = page.locator("#thread")
    assert thread.get_by_text("too strong?").is_visible()
    thread.get_by_label("New comment").fill("I will soften it.")
    with page.expect_navigation():  # the next page, not the one clicked on
        thread.get_by_role("button", name="Comment").click()
    assert page.locator("#thread").get_by_text("I will soften it.").is_visible()
    check(context, page, "translator-version")


def test_an_analyst_confirms_a_statement_through_an_outside_link(
    live_server, browser, desk, people
):
    from articles.models import Analyst
    from articles.signoff import links

    link = links.issue(
        desk["story"], Analyst.objects.get(slug="alexander-gabuev"), by=people["editor"]
    )
    context = browser.new_context(viewport={"width": WIDE, "height": 900})
    page = new_page(context)
    page.goto(f"{live_server.url}{links.url_for(link)}")
    assert page.get_by_role("heading", name="Please check how you are quoted").is_visible()
    assert page.locator("mark").first.inner_text().startswith("The Kremlin is buying time")
    check(context, page, "analyst-signoff")
    with page.expect_navigation():  # the next page, not the one clicked on
        page.get_by_role("button", name="Confirm this statement").click()
    assert page.get_by_text("Thank you").is_visible()
    assert page.get_by_text("Confirmed on").is_visible()


def test_the_login_page_passes_the_checks(live_server, browser, transactional_db):
    context = browser.new_context(viewport={"width": WIDE, "height": 900})
    page = new_page(context)
    page.goto(f"{live_server.url}/accounts/login/")
    check(context, page, "login")
