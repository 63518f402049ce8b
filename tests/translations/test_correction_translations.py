"""A correction outdates every translation of the story, and translators translate the
note itself: readers of each language then see it in their language."""

import pytest
from django.urls import reverse

from articles.models import Correction, TranslationVersion
from articles.staging import stage
from articles.states import State
from articles.stories import transition_story
from articles.translations import staleness
from articles.workflow import transition
from tests.api.fixtures import client_for
from tests.factories import ArticleFactory, TranslationVersionFactory, moderate

pytestmark = pytest.mark.django_db

SECTIONS = [("", "The lead paragraph."), ("Background", "First.\n\nSecond.")]


@pytest.fixture
def corrected(editor, translator):
    """A live story with a live French version, then corrected (a statement-free fix)."""
    article = ArticleFactory(slug="talks", title="The talks", sections=SECTIONS)
    moderate(
        TranslationVersionFactory(article=article, version=1, author=translator),
        State.APPROVED,
        editor,
    )
    article = moderate(article, State.PUBLISHED, editor)
    stage(article, {"fields": {"byline": "Foreign desk"}}, by=editor)
    transition_story(article, "approve", by=editor)
    transition_story(
        article, "publish", by=editor, correction={"kind": "correction", "text": "We misdated it."}
    )
    article.refresh_from_db()
    return article


def form_data(note_field: str, note: str) -> dict:
    return {
        "title": "Un article",
        "standfirst": "Ce que les pourparlers signifient.",
        "credit": "",
        "s0p0": "Le paragraphe.",
        "heading_1": "Contexte",
        "s1p0": "Premier.",
        "s1p1": "Second.",
        note_field: note,
        "submit": "1",
    }


def test_the_live_translation_is_outdated_after_a_correction(corrected):
    live = TranslationVersion.objects.get(state=State.PUBLISHED)
    assert staleness.is_outdated(live)


def test_translators_translate_the_note_and_french_readers_see_it(
    client, corrected, translator, editor
):
    correction = Correction.objects.get()
    field = f"correction_{correction.pk}"
    client.force_login(translator)
    url = reverse("translate:edit", args=["talks", "fr"])

    page = client.get(url).content.decode()
    assert "We misdated it." in page and f'name="{field}"' in page

    response = client.post(url, form_data(field, "Nous nous sommes trompés de date."))
    assert response.status_code == 302
    version = TranslationVersion.objects.get(state=State.IN_REVIEW)
    assert version.corrections == {str(correction.pk): "Nous nous sommes trompés de date."}
    transition(version, "approve", by=editor)  # the article is live: so is this version

    client.logout()
    # The French text has its own address (made from its title): the English one leads there.
    fr = client.get("/fr/articles/talks/", follow=True).content.decode()
    assert '<p class="correction__text">Nous nous sommes trompés de date.</p>' in fr
    en = client.get("/en/articles/talks/").content.decode()
    assert "We misdated it." in en
    api = client_for().get("/api/v1/articles/talks/", {"language": "fr"}).json()
    assert api["corrections"][0]["text"] == "Nous nous sommes trompés de date."


def test_a_note_translation_over_2000_characters_is_refused(client, corrected, translator):
    correction = Correction.objects.get()
    client.force_login(translator)
    url = reverse("translate:edit", args=["talks", "fr"])
    response = client.post(url, form_data(f"correction_{correction.pk}", "x" * 2001))
    assert response.status_code == 400
    assert not TranslationVersion.objects.filter(state=State.IN_REVIEW).exists()


def test_the_translations_api_takes_the_notes(corrected, translator):
    correction = Correction.objects.get()
    body = {
        "article": "talks",
        "language": "fr",
        "title": "Un article",
        "standfirst": "Ce que les pourparlers signifient.",
        "sections": [
            {"heading": "", "paragraphs": ["Le paragraphe."]},
            {"heading": "Contexte", "paragraphs": ["Premier.", "Second."]},
        ],
        "corrections": [{"id": correction.pk, "text": "Erreur de date."}],
    }
    client = client_for(translator)
    response = client.post("/api/v1/translations/", body, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["corrections"] == [{"id": correction.pk, "text": "Erreur de date."}]
    bad = client.post(
        "/api/v1/translations/",
        {**body, "corrections": [{"id": correction.pk + 100, "text": "?"}]},
        format="json",
    )
    assert bad.status_code == 400 and "corrections" in bad.json()["errors"]
