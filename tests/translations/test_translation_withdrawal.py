"""A submitted translation version is not withdrawn (desks had translators withdraw one
from the workspace; the story-moderation rules keep versions append-only: a submitted
text never changes, so a translator submits a new version instead)."""

import pytest
from django.urls import NoReverseMatch, reverse

from articles.states import State
from articles.workflow import IllegalTransition, available_transitions, transition
from tests.factories import TranslationVersionFactory

pytestmark = pytest.mark.django_db


def test_a_translator_cannot_withdraw_a_submitted_version_it_stays_until_an_editor_decides(
    client, editor, translator
):
    version = TranslationVersionFactory(author=translator, translator=translator)
    transition(version, "submit", by=translator)
    with pytest.raises(NoReverseMatch):
        reverse("translate:withdraw", args=[version.pk])

    client.force_login(translator)
    page = client.get(reverse("translate:version", args=[version.pk])).content.decode()
    assert "Withdraw" not in page
    assert "withdraw" not in {t.name for t in available_transitions(version, translator)}
    with pytest.raises(IllegalTransition):
        transition(version, "withdraw", by=translator)
    version.refresh_from_db()
    assert version.state == State.IN_REVIEW

    transition(version, "approve", by=editor)
    version.refresh_from_db()
    assert version.state == State.APPROVED
