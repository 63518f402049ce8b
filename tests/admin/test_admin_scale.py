"""The articles changelist costs the same number of queries at 10,000 rows as at 10."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles.models import Article, Topic

pytestmark = pytest.mark.django_db


def bulk_articles(count: int, start: int, author) -> None:
    Article.objects.bulk_create(
        Article(slug=f"bulk-{i}", title=f"Bulk article {i}", author=author)
        for i in range(start, start + count)
    )


def changelist_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("admin:articles_article_changelist"))
    assert response.status_code == 200
    return len(queries)


def test_articles_changelist_queries_do_not_grow_with_rows(client, editor):
    Topic.objects.create(slug="politics", name="Politics")
    client.force_login(editor)
    bulk_articles(10, 0, editor)
    few = changelist_queries(client)
    bulk_articles(9_990, 10, editor)
    assert Article.objects.count() == 10_000
    many = changelist_queries(client)
    assert many == few
    # 23 as measured: the page, its filters, the desk's unread count and language grants.
    assert many <= 23
