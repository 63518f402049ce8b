"""A translator withdraws a submitted version from the workspace until an editor decides."""

import pytest
from django.urls import reverse

from articles.states import State
from articles.workflow import transition
from tests.factories import TranslationVersionFactory

pytestmark = pytest.mark.django_db


def test_a_translator_withdraws_their_version_until_an_editor_decides(
    client, editor, translator, other_translator
):
    version = TranslationVersionFactory(author=translator, translator=translator)
    transition(version, "submit", by=translator)
    url = reverse("translate:withdraw", args=[version.pk])

    client.force_login(other_translator)
    assert client.post(url).status_code == 404

    client.force_login(translator)
    page = client.get(reverse("translate:version", args=[version.pk])).content.decode()
    assert "Withdraw it from review" in page
    assert client.post(url).status_code == 302
    version.refresh_from_db()
    assert version.state == State.DRAFT

    transition(version, "submit", by=translator)
    transition(version, "approve", by=editor)
    page = client.get(reverse("translate:version", args=[version.pk])).content.decode()
    assert "Withdraw it from review" not in page
    client.post(url)
    version.refresh_from_db()
    assert version.state == State.APPROVED
