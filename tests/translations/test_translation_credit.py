"""Readers get credited translations: the credit comes from data, not free text."""

import pytest

from articles.translations.domain import TranslationInput, submit_translation
from articles.workflow import transition
from tests.factories import published_article

pytestmark = pytest.mark.django_db

SECTIONS = [("", "The lead paragraph."), ("Background", "First.\n\nSecond.")]


def english_revision(credit: str) -> TranslationInput:
    return TranslationInput(
        "The talks, revised",
        "What the talks mean for the region.",
        [
            {"heading": "", "paragraphs": ["The lead paragraph, revised."]},
            {"heading": "Background", "paragraphs": ["First.", "Second."]},
        ],
        credit=credit,
    )


@pytest.fixture
def wire(editor):
    """Like the sample: English copy of a French original we do not have."""
    return published_article(
        editor,
        slug="wire",
        language="en",
        original_language="fr",
        translator_credit="Lara Bullens",
        sections=SECTIONS,
    )


def test_the_article_page_credits_the_imported_translation(client, wire):
    response = client.get("/en/articles/wire/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Translated from the original in French by Lara Bullens" in html
    assert 'hreflang="fr"' not in html  # no published French text
    assert client.get("/fr/articles/wire/").status_code == 404


def test_a_new_approved_version_replaces_the_text_and_the_credit(
    client, wire, editor, translator, django_capture_on_commit_callbacks
):
    version = submit_translation(wire, "en", english_revision("Tom Translator"), by=translator)
    assert "Lara Bullens" in client.get("/en/articles/wire/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        transition(version, "approve", by=editor)

    html = client.get("/en/articles/wire/").content.decode()
    assert "The lead paragraph, revised." in html
    assert "Translated from the original in French by Tom Translator" in html
    assert "Lara Bullens" not in html


def test_a_version_in_review_is_not_shown_to_readers(
    client, editor, translator, django_capture_on_commit_callbacks
):
    article = published_article(editor, slug="talks", sections=SECTIONS)
    data = TranslationInput(
        "Les pourparlers",
        "Ce que les pourparlers signifient.",
        [
            {"heading": "", "paragraphs": ["Le paragraphe."]},
            {"heading": "Contexte", "paragraphs": ["Premier.", "Second."]},
        ],
        credit="Jeanne Traductrice",
    )
    version = submit_translation(article, "fr", data, by=translator)

    assert client.get("/fr/articles/talks/").status_code == 404
    assert 'hreflang="fr"' not in client.get("/en/articles/talks/").content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        transition(version, "approve", by=editor)

    # The French text lives at its French address; the article's own one redirects there.
    assert client.get("/fr/articles/talks/")["Location"] == "/fr/articles/les-pourparlers/"
    page = client.get("/fr/articles/les-pourparlers/")
    assert page.status_code == 200
    assert "Jeanne Traductrice" in page.content.decode()
    assert 'hreflang="fr"' in client.get("/en/articles/talks/").content.decode()
