"""In a real browser, the Content-Security-Policy blocks nothing the site needs: the
readers' pages, the admin (changelists, forms, the import form, the revision history
and diffs, the editors' preview), the translators' workspace and the API docs run without a single
violation.

Drives Debian's Chromium like test_browser.py.
"""

from __future__ import annotations

from tests.browser import BROWSER_TEST
from tests.site.test_browser import editor  # noqa: F401 (a fixture)

pytestmark = BROWSER_TEST


def watch_for_violations(page) -> list[str]:
    violations: list[str] = []
    page.on(
        "console",
        lambda message: (
            violations.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return violations


def sign_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():  # the next page, not the one clicked on
        page.get_by_role("button", name="Sign in").click()


def test_readers_pages_run_without_a_violation(live_server, browser, story):  # noqa: F811
    page = browser.new_page()
    violations = watch_for_violations(page)
    for path in ["/en/", "/en/articles/putin-talks/", "/en/proposals/", "/en/search/?q=talks"]:
        page.goto(f"{live_server.url}{path}")
        page.wait_for_load_state("networkidle")
    assert violations == []


def test_the_admin_runs_without_a_violation(live_server, browser, story, editor):  # noqa: F811
    import reversion
    from reversion.models import Version

    from articles.models import Article

    article = Article.objects.get(slug="putin-talks")
    for title in ("Talks stall", "Talks resume"):
        with reversion.create_revision():
            article.title = title
            article.save()
    newer, older = Version.objects.get_for_object(article).values_list("pk", flat=True)[:2]
    page = browser.new_page()
    violations = watch_for_violations(page)
    sign_in(page, live_server.url, "chief", "pw-chief")
    for path in [
        "/admin/",
        "/admin/review/",
        "/admin/articles/article/",
        f"/admin/articles/article/{article.pk}/change/",
        f"/admin/articles/article/{article.pk}/history/",
        f"/admin/articles/article/{article.pk}/history/compare/"
        f"?version_id1={older}&version_id2={newer}",
        f"/admin/articles/article/{article.pk}/preview/en/",
        "/admin/articles/article/add/",
        "/admin/articles/translationversion/",
        "/admin/articles/article/import/",
    ]:
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    # The import form's own script (a file now) still checks the size before sending.
    page.locator("textarea").first.fill("x" * (1024 * 1024 + 1))
    page.get_by_role("button", name="Preview import").click()
    assert page.locator("#wire-import-too-big").is_visible()
    assert violations == []


def test_the_api_docs_run_without_a_violation(live_server, browser):  # noqa: F811
    page = browser.new_page()
    violations = watch_for_violations(page)
    page.goto(f"{live_server.url}/api/docs/")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() > 10
    page.locator(".opblock-summary").first.click()
    page.wait_for_load_state("networkidle")
    assert violations == []


def test_the_translators_workspace_runs_without_a_violation(live_server, browser, story):  # noqa: F811
    from articles.roles import Role
    from tests.conftest import make_user

    make_user("tran", Role.TRANSLATOR, staff=False)
    page = browser.new_page()
    violations = watch_for_violations(page)
    sign_in(page, live_server.url, "tran", "pw-tran")
    assert page.url == f"{live_server.url}/translate/"
    page.wait_for_load_state("networkidle")
    # The story's French text, side by side with its English source.
    page.locator("main a[href^='/translate/putin-talks/']").first.click()
    page.wait_for_load_state("networkidle")
    assert page.locator("textarea").count() > 0
    assert violations == []
