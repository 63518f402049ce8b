import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_a_form_body_over_the_limit_is_refused_with_413(client, editor):
    article = ArticleFactory(title="Untouched")
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_change", args=[article.pk]),
        {"title": "x" * (2 * 1024 * 1024)},
    )
    assert response.status_code == 413
    assert "nothing was saved" in response.content.decode()
    assert Article.objects.get(pk=article.pk).title == "Untouched"


def test_a_form_just_over_the_limit_is_refused_with_413_not_400(client, editor):
    client.force_login(editor)
    body = "title=" + "x" * (1024 * 1024)
    response = client.post(
        reverse("admin:articles_article_add"),
        body,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413


def test_the_413_page_speaks_the_language_of_the_path(client):
    response = client.post(
        "/fr/search/",
        "q=" + "x" * (2 * 1024 * 1024),
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413
    assert 'lang="fr"' in response.content.decode()
    assert "trop volumineux" in response.content.decode()
