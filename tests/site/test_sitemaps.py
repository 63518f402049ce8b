"""Sitemaps search engines read: an index of sitemaps of at most 10,000 URLs each, and
the Google News sitemap of the last two days' articles."""

from __future__ import annotations

import datetime
import re

import pytest
from django.utils import timezone

from articles.models import Article
from articles.states import State
from tests.factories import ArticleFactory, TranslationVersionFactory, moderate

pytestmark = pytest.mark.django_db

NEWS = "http://www.google.com/schemas/sitemap-news/0.9"


def locs(xml: str) -> list[str]:
    return re.findall(r"<loc>(.*?)</loc>", xml)


def test_the_sitemap_is_an_index_of_sections(client, story):
    xml = client.get("/sitemap.xml").content.decode()
    assert "<sitemapindex" in xml
    assert locs(xml) == [
        "http://testserver/sitemap-home.xml",
        "http://testserver/sitemap-articles-en.xml",
        "http://testserver/sitemap-articles-fr.xml",
        "http://testserver/sitemap-topics.xml",
        "http://testserver/sitemap-analysts.xml",
        "http://testserver/sitemap-proposals.xml",
    ]
    fr = client.get("/sitemap-articles-fr.xml").content.decode()
    assert locs(fr) == ["http://testserver/fr/articles/putin-talks/"]


def test_drafts_are_in_no_sitemap(client, story):
    ArticleFactory(slug="a-draft")
    for section in ("articles-en", "articles-fr"):
        assert "a-draft" not in client.get(f"/sitemap-{section}.xml").content.decode()
    assert "a-draft" not in client.get("/sitemap-news.xml").content.decode()


def test_25000_articles_make_three_sitemaps_of_at_most_10000(
    client, editor, django_assert_max_num_queries
):
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            slug=f"bulk-{n}",
            title=f"Bulk {n}",
            state=State.PUBLISHED,
            published_at=now - datetime.timedelta(minutes=n),
        )
        for n in range(25_000)
    )
    with django_assert_max_num_queries(8):
        xml = client.get("/sitemap.xml").content.decode()
    assert [loc for loc in locs(xml) if "articles-en" in loc] == [
        "http://testserver/sitemap-articles-en.xml",
        "http://testserver/sitemap-articles-en.xml?p=2",
        "http://testserver/sitemap-articles-en.xml?p=3",
    ]
    sizes = []
    for page in ("", "?p=2", "?p=3"):
        with django_assert_max_num_queries(3):
            response = client.get(f"/sitemap-articles-en.xml{page}")
        sizes.append(len(locs(response.content.decode())))
    assert sizes == [10_000, 10_000, 5_000]
    first = locs(client.get("/sitemap-articles-en.xml").content.decode())[0]
    assert first == "http://testserver/en/articles/bulk-0/"  # newest first
    assert client.get("/sitemap-articles-en.xml?p=4").status_code == 404


def test_the_news_sitemap_lists_the_last_two_days_with_publication_and_language(client, editor):
    recent = ArticleFactory(slug="recent", title="Talks resume")
    moderate(
        TranslationVersionFactory(article=recent, title="Reprise des pourparlers", version=1),
        State.APPROVED,
        editor,
    )
    moderate(recent, State.PUBLISHED, editor)
    old = moderate(ArticleFactory(slug="old", title="Old news"), State.PUBLISHED, editor)
    Article.objects.filter(pk=old.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=3)
    )
    response = client.get("/sitemap-news.xml")
    assert response["Content-Type"].startswith("application/xml")
    xml = response.content.decode()
    assert f'xmlns:news="{NEWS}"' in xml
    assert locs(xml) == [
        "http://testserver/en/articles/recent/",
        "http://testserver/fr/articles/recent/",
    ]
    entries = re.findall(r"<url>(.*?)</url>", xml, re.S)
    assert "<news:name>Newsroom</news:name>" in entries[0]
    assert "<news:language>en</news:language>" in entries[0]
    assert "<news:title>Talks resume</news:title>" in entries[0]
    assert "<news:language>fr</news:language>" in entries[1]
    assert "<news:title>Reprise des pourparlers</news:title>" in entries[1]
    assert re.search(r"<news:publication_date>\d{4}-\d\d-\d\dT", entries[0])
    assert "Old news" not in xml


def test_robots_txt_names_both_sitemaps(client, db):
    body = client.get("/robots.txt").content.decode()
    assert "Sitemap: http://testserver/sitemap.xml" in body
    assert "Sitemap: http://testserver/sitemap-news.xml" in body
