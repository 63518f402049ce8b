"""A translator withdraws a submitted version back to a draft until a reviewer decides."""

import pytest
from django.urls import reverse

from articles.states import State
from articles.workflow import IllegalTransition, available_transitions, transition
from tests.factories import TranslationVersionFactory

pytestmark = pytest.mark.django_db


def test_a_translator_withdraws_their_version_until_an_editor_decides(
    client, editor, translator, other_translator
):
    version = TranslationVersionFactory(author=translator, translator=translator)
    transition(version, "submit", by=translator)
    number = version.version
    url = reverse("translate:withdraw", args=[version.pk])

    client.force_login(other_translator)
    assert client.post(url).status_code == 404
    version.refresh_from_db()
    assert version.state == State.IN_REVIEW

    client.force_login(translator)
    assert client.get(url).status_code == 405  # never by GET
    page = client.get(reverse("translate:version", args=[version.pk])).content.decode()
    assert "Withdraw it from review" in page
    response = client.post(url, follow=True)
    assert f"Version {number} is back in your drafts" in response.content.decode()
    version.refresh_from_db()
    assert (version.state, version.version) == (State.DRAFT, number)
    page = client.get(reverse("translate:version", args=[version.pk])).content.decode()
    assert "Continue editing this draft" in page

    transition(version, "submit", by=translator)
    transition(version, "approve", by=editor)
    page = client.get(reverse("translate:version", args=[version.pk])).content.decode()
    assert "Withdraw it from review" not in page
    assert "withdraw" not in {t.name for t in available_transitions(version, translator)}
    client.post(url)
    version.refresh_from_db()
    assert version.state == State.APPROVED


def test_a_version_is_not_withdrawn_over_another_draft_of_the_same_text(translator):
    submitted = TranslationVersionFactory(author=translator, translator=translator)
    transition(submitted, "submit", by=translator)
    draft = TranslationVersionFactory(
        article=submitted.article,
        language=submitted.language,
        author=translator,
        translator=translator,
        version=submitted.version + 1,
    )
    with pytest.raises(IllegalTransition, match=f"already has a draft.*version {draft.version}"):
        transition(submitted, "withdraw", by=translator)
    submitted.refresh_from_db()
    assert submitted.state == State.IN_REVIEW
