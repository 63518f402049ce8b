import pytest
from django.urls import reverse

from articles.models import EnrichmentBlock
from tests.factories import ArticleFactory, EnrichmentBlockFactory

pytestmark = pytest.mark.django_db


def test_block_body_is_sanitised_on_save():
    block = EnrichmentBlockFactory(
        body='<p onclick="steal()">Hi <script>alert(1)</script><a href="javascript:x">x</a></p>'
    )
    block.refresh_from_db()
    assert "script" not in block.body and "onclick" not in block.body
    assert "javascript" not in block.body
    assert block.body.startswith("<p>Hi")


def test_editor_edits_key_points_one_per_line(client, editor):
    block = EnrichmentBlockFactory(article=ArticleFactory())
    client.force_login(editor)
    url = reverse("admin:articles_enrichmentblock_change", args=[block.pk])
    page = client.get(url).content.decode()
    assert "First point.\nSecond point." in page
    response = client.post(
        url,
        {
            "article": block.article.pk,
            "kind": "key_points",
            "title": "Key points",
            "body": "",
            "items": "One.\n\n  Two.  \nThree.",
            "provenance": "desk",
            "order": 0,
            "edit_version": block.edit_version,
        },
    )
    assert response.status_code == 302
    block.refresh_from_db()
    assert block.items == ["One.", "Two.", "Three."]
    assert EnrichmentBlock.objects.count() == 1
