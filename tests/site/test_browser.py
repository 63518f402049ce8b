"""A reader's journey in a real browser: home → article → analyst → compare → search.

Playwright drives Debian's Chromium (/usr/bin/chromium, headless); it never downloads a
browser. A screenshot of every page lands in test-artifacts/ (git-ignored); phone-width
(390 px) shots of home, article and compare too. Every page visited is audited with
axe-core (vendored in vendor/, injected into the page): WCAG 2 A/AA and best practices,
no violation allowed.
"""

from __future__ import annotations

import pytest

from tests.browser import BROWSER_TEST, assert_accessible, axe_violations, describe, shot

pytestmark = BROWSER_TEST


@pytest.fixture
def editor(transactional_db):
    # A superuser counts as an editor.
    from django.contrib.auth.models import User

    return User.objects.create_superuser("chief", "chief@example.org", "pw-chief")


@pytest.fixture
def pictured_story(story):
    """The story with a lead picture and a picture in a section, as readers get them."""
    from articles.models import Article, Section
    from tests.images.pictures import make_image

    lead = make_image(alt_text="Putin at a podium", caption="In Moscow on Friday.")
    Article.objects.filter(pk=story.pk).update(lead_image=lead, dateline="Moscow")
    section = story.sections.get(heading="What the Kremlin wants")
    Section.objects.filter(pk=section.pk).update(image=make_image(alt_text="A map"))
    return story


@pytest.fixture
def six_proposals(story, editor):
    """Four more proposals of the story (six in all), one more of another story."""
    from articles.states import State
    from proposals.models import ProposalTerm, TermCategory
    from tests.factories import ArticleFactory, ProposalFactory, moderate

    categories = [TermCategory.for_label(label) for label in ("Territorial concessions",
                  "Security guarantees", "Sanctions and reparations")]  # fmt: skip
    for n in range(4):
        proposal = ProposalFactory(
            slug=f"plan-{n}", title=f"Plan number {n} with a fairly long title for a column"
        )
        proposal.articles.add(story)
        for i, category in enumerate(categories):
            ProposalTerm.objects.create(
                proposal=proposal,
                category=category,
                text=f"Term {i} of plan {n}: a sentence long enough to wrap in a column.",
            )
        moderate(proposal, State.PUBLISHED, editor)
    other = ArticleFactory(slug="red-sea", title="Red Sea shipping")
    elsewhere = ProposalFactory(slug="insurance-pool", title="Insurance pool")
    elsewhere.articles.add(other)
    ProposalTerm.objects.create(proposal=elsewhere, category=categories[0], text="None.")
    moderate(elsewhere, State.APPROVED, editor)
    moderate(other, State.PUBLISHED, editor)
    return ["us-plan", "eu-plan", *(f"plan-{n}" for n in range(4))]


def no_sideways_scrolling(page, width: int, path: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width, path


def test_desktop_and_phone_pages_fit_their_screen_and_pass_axe(
    live_server, browser, pictured_story, six_proposals
):
    """Screenshots at 1366 and 390 pixels of home, article, comparison and search (in
    test-artifacts/); nothing wider than the screen; every page audited."""
    six = ",".join(six_proposals)
    long_query = "x" * 500
    pages = [
        ("home", "/en/"),
        ("article", "/en/articles/putin-talks/"),
        ("compare-6", f"/en/proposals/compare/?slugs={six}"),
        ("search", "/en/search/?q=Kremlin"),
        ("search-long-query", f"/en/search/?q={long_query}"),
    ]
    for width, height, label in ((1366, 900, "desktop"), (390, 844, "phone")):
        page = browser.new_page(viewport={"width": width, "height": height})
        for name, path in pages:
            page.goto(f"{live_server.url}{path}")
            shot(page, f"{label}-{name}")
            no_sideways_scrolling(page, width, path)
            assert_accessible(page)
        page.goto(f"{live_server.url}/en/proposals/compare/?slugs={six}")
        if width == 1366:
            # Six columns share the width: the table does not scroll sideways either.
            region = page.locator(".comparison-wide .table-scroll")
            assert region.evaluate("e => e.scrollWidth <= e.clientWidth")
            assert page.locator("table.comparison thead th").count() == 7
            assert not page.locator(".comparison-narrow").is_visible()
        else:
            # One card per category, each proposal's terms stacked; no table.
            assert not page.locator("table.comparison").is_visible()
            cards = page.locator(".compare-card")
            assert cards.count() == 3
            assert cards.first.locator("dt").count() == 6
        # The pictures were loaded from their renditions (WebP where the browser takes it).
        page.goto(f"{live_server.url}/en/articles/putin-talks/")
        lead = page.locator(".figure--lead img")
        assert lead.evaluate("img => img.complete && img.naturalWidth > 0")
        assert ".webp" in lead.evaluate("img => img.currentSrc")


def test_a_reader_goes_from_home_to_article_analyst_compare_and_search(live_server, browser, story):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/")
    assert page.url == f"{live_server.url}/en/"
    assert page.locator("h1").inner_text() == "Latest analysis"
    # The first Tab lands on the skip link, which becomes visible.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    assert page.locator(".skip-link").is_visible()
    shot(page, "1-home")
    assert_accessible(page)

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
    assert_accessible(page)

    page.get_by_role("link", name="Alexander Gabuev").click()
    page.wait_for_url("**/en/analysts/alexander-gabuev/")
    assert page.locator("h1").inner_text() == "Alexander Gabuev"
    assert page.get_by_text("Carnegie Endowment, Berlin").is_visible()
    assert page.get_by_text("The Kremlin is buying time.").is_visible()
    shot(page, "3-analyst")
    assert_accessible(page)

    page.get_by_role("navigation", name="Sections").get_by_role("link", name="Proposals").click()
    page.wait_for_url("**/en/proposals/")
    assert_accessible(page)
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
    assert_accessible(page)

    search = page.get_by_role("search").first.get_by_label("Search articles")
    search.fill("Kremlin")
    search.press("Enter")
    page.wait_for_url("**/en/search/?q=Kremlin")
    assert page.get_by_text("1 article matches “Kremlin”").is_visible()
    assert page.locator(".result mark").first.inner_text() == "Kremlin"
    shot(page, "5-search")
    assert_accessible(page)

    phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    for name, path in [
        ("6-home-phone", "/en/"),
        ("7-article-phone", "/en/articles/putin-talks/"),
        ("8-compare-phone", "/en/proposals/compare/?slugs=us-plan,eu-plan"),
        ("9-article-phone-fr", "/fr/articles/putin-talks/"),
        ("10-compare-phone-fr", "/fr/proposals/compare/?slugs=us-plan,eu-plan"),
    ]:
        phone.goto(f"{live_server.url}{path}")
        shot(phone, name)
        assert phone.locator("h1").is_visible()
        # Nothing is wider than the screen (the comparison table scrolls inside its box).
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, path
        assert_accessible(phone)


@pytest.mark.parametrize(
    "path",
    [
        "/fr/",
        "/fr/articles/putin-talks/",
        "/fr/analysts/",
        "/fr/analysts/tatiana-stanovaya/",
        "/fr/proposals/us-plan/",
        "/fr/proposals/compare/?slugs=us-plan,eu-plan",
        "/fr/search/?q=Poutine",
        "/fr/search/?q=introuvable",
        "/en/search/",
        "/en/topics/ukraine/",
        "/en/articles/no-such-article/",
        "/fr/articles/nulle-part/",
        "/en/proposals/",
        "/en/proposals/compare/",
        "/en/proposals/compare/?slugs=us-plan",
        "/en/about/corrections/",
        "/en/bylines/marie-dupont/",
        "/fr/about/ethics/",
        "/en/search/?q=Kremlin&page=9",
    ],
)
def test_every_kind_of_page_passes_an_axe_audit(live_server, browser, story, path):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{live_server.url}{path}")
    assert_accessible(page)


def test_the_audit_catches_and_describes_violations(browser):
    # Guards the harness itself: a page with known faults must fail, readably.
    page = browser.new_page()
    page.set_content('<html><body><main><img src="x.png"><a href="/"></a></main></body></html>')
    violations = axe_violations(page)
    assert {"html-has-lang", "image-alt", "link-name"} <= {v["id"] for v in violations}
    text = describe(violations)
    assert "image-alt (critical): Images must have alternative text" in text
    assert "    img: Fix any of the following:" in text
