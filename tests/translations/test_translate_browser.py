"""A translator translates the seed story into French in a real browser, end to end:
the workspace offers French (made from the English text), a partial draft is saved and
reopened with its credit, the memory and glossary help, the version is submitted, an
editor approves it side by side, and readers get a French page with no English part.

Debian's Chromium (/usr/bin/chromium), never a downloaded browser. Screenshots at
1366 px and 390 px land in test-artifacts/ (git-ignored).
"""

from __future__ import annotations

import re

import pytest

from tests.browser import BROWSER_TEST, assert_accessible, shot

pytestmark = BROWSER_TEST

FRENCH_SLUG = "poutine-ouverture-pourparlers"


@pytest.fixture
def chief(transactional_db):
    from django.contrib.auth.models import User

    return User.objects.create_superuser("chief", "chief@example.org", "pw-chief")


@pytest.fixture
def seed_story(chief):
    from articles.intake.importer import import_wire
    from articles.translations.glossary import sync_entities
    from tests.translations.conftest import SEED, publish_story

    article = import_wire(SEED.read_bytes(), source=SEED.name).article
    sync_entities()
    return publish_story(article, chief)


@pytest.fixture
def camille(transactional_db):
    from articles.models import LanguageGrant
    from articles.roles import Role
    from tests.conftest import make_user

    user = make_user("camille", Role.TRANSLATOR, staff=False)
    user.first_name, user.last_name = "Camille", "Martin"
    user.save()
    for language in ("en", "fr"):
        LanguageGrant.objects.create(user=user, language=language)
    return user


def sign_in(page, base: str, username: str, password: str, next_path: str) -> None:
    page.goto(f"{base}/accounts/login/?next={next_path}")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{next_path}")


def test_a_translator_translates_the_seed_story_into_french(
    live_server,
    browser,  # noqa: F811 (the fixture imported above)
    chief,
    camille,
    seed_story,
):
    from articles.models import TranslationVersion

    base = live_server.url
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    sign_in(page, base, "camille", "pw-camille", "/translate/")
    row = page.locator("#open-articles tr", has_text="Putin")
    french = row.get_by_role("link", name=re.compile("^French"))
    assert "made from the English text" in french.inner_text()
    shot(page, "translate-1-workspace")
    assert_accessible(page)

    french.click()
    page.wait_for_url(f"**/translate/{seed_story.slug}/fr/")
    assert "the French original is not held" in page.locator("#made-from").inner_text()
    # Glossary: the analysts' names are marked, to be kept as they are.
    assert page.locator("mark.term", has_text="Jeff Hawn").count() >= 1
    fields = page.locator("main form textarea[lang=fr], main form input[lang=fr]:not(#id_title)")
    total = fields.count()
    assert total > 20  # the text's paragraphs and headings, then every part of the story
    shot(page, "translate-2-form")

    # A first sitting: the title, the address, half the fields, a credit; saved as draft.
    page.fill("#id_title", "Poutine ouvert aux pourparlers : une ruse ?")
    page.fill("#id_slug", FRENCH_SLUG)
    for i in range(total // 2):
        fields.nth(i).fill(f"Texte traduit, champ {i + 1}.")
    page.fill("#id_credit", "Camille Martin")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(f"**/translate/{seed_story.slug}/fr/")
    assert "Draft saved (version 1)" in page.locator(".messages").inner_text()

    # Reopened: the draft and the credit are as they were; then finish and submit.
    page.goto(f"{base}/translate/{seed_story.slug}/fr/")
    assert page.input_value("#id_credit") == "Camille Martin"
    assert fields.nth(0).input_value() == "Texte traduit, champ 1."
    for i in range(total // 2, total):
        fields.nth(i).fill(f"Texte traduit, champ {i + 1}.")
    page.get_by_role("button", name="Submit for review").click()
    page.wait_for_url("**/translate/versions/**")
    assert "Version 1 submitted for review" in page.locator(".messages").inner_text()
    shot(page, "translate-3-submitted")
    version = TranslationVersion.objects.get(article=seed_story, language="fr")
    assert (version.version, version.credit, version.slug) == (1, "Camille Martin", FRENCH_SLUG)

    phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    sign_in(phone, base, "camille", "pw-camille", "/translate/")
    shot(phone, "translate-4-workspace-phone")
    phone.goto(f"{base}/translate/{seed_story.slug}/fr/")
    shot(phone, "translate-5-form-phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390

    # An editor approves it side by side.
    desk = browser.new_page(viewport={"width": 1366, "height": 900})
    desk.goto(f"{base}/admin/login/?next=/admin/")
    desk.fill("#id_username", "chief")
    desk.fill("#id_password", "pw-chief")
    desk.locator("input[type=submit]").click()
    desk.goto(f"{base}/admin/articles/translationversion/{version.pk}/review/")
    assert desk.locator("#parts-side-by-side").is_visible()
    shot(desk, "translate-6-review")
    desk.get_by_role("button", name="Approve").click()
    version.refresh_from_db()
    assert version.state == "published"

    # Readers: the French page at its French address, with no English part.
    reader = browser.new_page(viewport={"width": 1366, "height": 900})
    reader.goto(f"{base}/fr/articles/{seed_story.slug}/")
    reader.wait_for_url(f"**/fr/articles/{FRENCH_SLUG}/")
    assert reader.locator("h1").inner_text() == "Poutine ouvert aux pourparlers : une ruse ?"
    assert reader.get_by_text("Traduit de la version en anglais par Camille Martin").is_visible()
    assert reader.locator(".untranslated").count() == 0
    assert reader.locator("main [lang=en]").count() == 0
    shot(reader, "translate-7-french-page")
    assert_accessible(reader)
    reader_phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2)
    reader_phone.goto(f"{base}/fr/articles/{FRENCH_SLUG}/")
    shot(reader_phone, "translate-8-french-page-phone")
    assert reader_phone.evaluate("document.documentElement.scrollWidth") <= 390
