"""Public pages run a fixed, small number of SQL queries whatever the content's size."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Section
from articles.publication import public_content_changed
from articles.states import State
from proposals.models import ProposalTerm, TermCategory
from tests.factories import (
    AnalystFactory,
    ArticleFactory,
    AttributionFactory,
    EnrichmentBlockFactory,
    ProposalFactory,
    TopicFactory,
    TranslationVersionFactory,
    moderate,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 12


@pytest.fixture
def big_article(editor):
    """50 analysts' statements, 20 blocks, 5 proposals of 30 terms, 12 sections."""
    article = ArticleFactory(slug="big", sections=[])
    Section.objects.bulk_create(
        Section(article=article, order=i, heading=f"Part {i}" if i else "", body="Text.\n\nMore.")
        for i in range(12)
    )
    article.topics.add(*(TopicFactory() for _ in range(3)))
    children = [AttributionFactory(article=article, order=i) for i in range(50)]
    children += [EnrichmentBlockFactory(article=article, order=i) for i in range(20)]
    children += [TranslationVersionFactory(article=article, version=1)]
    categories = [TermCategory.for_label(f"Category {i}") for i in range(8)]
    for p in range(5):
        proposal = ProposalFactory(slug=f"big-{p}")
        proposal.articles.add(article)
        ProposalTerm.objects.bulk_create(
            ProposalTerm(proposal=proposal, category=categories[(t + p) % 8], text=f"T{t}", order=t)
            for t in range(30)
        )
        children.append(proposal)
    for child in children:
        moderate(child, State.APPROVED, editor)
    return moderate(article, State.PUBLISHED, editor)


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def test_article_page_is_three_queries_from_its_snapshot(
    client, big_article, django_assert_max_num_queries
):
    public_content_changed(big_article)  # what publishing does on commit
    # The snapshot, then the related stories and their titles.
    with django_assert_max_num_queries(3):
        html = client.get("/en/articles/big/").content.decode()
    assert html.count('class="statement-card"') == 50
    assert html.count("block block--") == 20
    assert html.count('<li class="term">') == 150


def test_article_page_in_a_translation_is_three_queries_from_its_snapshot(
    client, big_article, django_assert_max_num_queries
):
    public_content_changed(big_article)
    with django_assert_max_num_queries(3):
        assert client.get("/fr/articles/big/").status_code == 200


def test_without_a_snapshot_the_article_page_builds_it_in_a_fixed_number_of_queries(
    client, big_article, django_assert_max_num_queries
):
    # Never built (before the deploy's `rebuild_snapshots`) or marked stale: built on read
    # (the story with its parts and pictures, locked and written), then the related.
    with django_assert_max_num_queries(MAX_QUERIES + 6):
        assert client.get("/en/articles/big/").status_code == 200
    cache.clear()
    with django_assert_max_num_queries(3):
        assert client.get("/en/articles/big/").status_code == 200


def test_analyst_page_is_paginated_in_at_most_12_queries(
    client, big_article, editor, django_assert_max_num_queries
):
    analyst = AnalystFactory(slug="prolific")
    for _ in range(6):
        other = ArticleFactory()
        for order in range(5):
            moderate(
                AttributionFactory(article=other, analyst=analyst, order=order),
                State.APPROVED,
                editor,
            )
        moderate(other, State.PUBLISHED, editor)
    with django_assert_max_num_queries(MAX_QUERIES):
        html = client.get("/en/analysts/prolific/").content.decode()
    # A page of the record, the most recent first; the whole record counted.
    assert html.count('class="record__item"') == 20
    assert "30 statements, 6 articles" in html
    with django_assert_max_num_queries(MAX_QUERIES):
        html = client.get("/en/analysts/prolific/?page=2").content.decode()
    assert html.count('class="record__item"') == 10


def test_compare_page_is_at_most_12_queries(client, big_article, django_assert_max_num_queries):
    slugs = ",".join(f"big-{p}" for p in range(5))
    with django_assert_max_num_queries(MAX_QUERIES):
        html = client.get(f"/en/proposals/compare/?slugs={slugs}").content.decode()
    assert html.count('<li class="term">') == 150


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/en/?page=2",
        "/en/topics/shared/",
        "/en/analysts/",
        "/en/proposals/",
        "/en/search/?q=talks",
        "/en/feed/",
        "/sitemap.xml",
        "/sitemap-articles-en.xml",
        "/sitemap-news.xml",
        "/en/feed.json",
    ],
)
def test_lists_run_the_same_number_of_queries_for_few_or_many_items(client, editor, url):
    from django.core.cache import cache

    from articles.site import search

    topic = TopicFactory(slug="shared")

    def add_articles(n: int) -> None:
        for _ in range(n):
            article = ArticleFactory(title="Article on the talks")
            article.topics.add(topic, TopicFactory())
            moderate(AttributionFactory(article=article), State.APPROVED, editor)
            proposal = ProposalFactory()
            proposal.articles.add(article)
            moderate(proposal, State.APPROVED, editor)
            moderate(article, State.PUBLISHED, editor)
        search.rebuild_index()
        cache.clear()

    add_articles(13)
    few = count_queries(client, url)
    add_articles(20)
    many = count_queries(client, url)
    assert few == many
    assert many <= MAX_QUERIES


def test_an_illustrated_article_with_related_stories_is_at_most_3_queries(
    client, big_article, editor, django_assert_max_num_queries
):
    from articles.models import Article, ImageTranslation
    from tests.images.pictures import make_image

    pictures = [make_image(alt_text=f"Picture {n}") for n in range(4)]
    for picture in pictures:
        ImageTranslation.objects.create(image=picture, language="fr", alt_text="Image")
    Article.objects.filter(pk=big_article.pk).update(lead_image=pictures[0])
    for section, picture in zip(big_article.sections.all()[1:4], pictures[1:], strict=True):
        type(section).objects.filter(pk=section.pk).update(image=picture)
    topic = big_article.topics.first()
    for _ in range(6):
        related = ArticleFactory()
        related.topics.add(topic)
        moderate(related, State.PUBLISHED, editor)
    # The French version of the fixture has two sections: the lead picture and one more.
    public_content_changed(Article.objects.get(pk=big_article.pk))  # as on commit
    for language, figures in (("en", 4), ("fr", 2)):
        # The snapshot (pictures and their texts in it), the related stories, their titles.
        with django_assert_max_num_queries(3):
            html = client.get(f"/{language}/articles/big/").content.decode()
        assert html.count("<figure") == figures
        # Related stories only in languages they have a text in (English here).
        assert html.count('id="related-heading"') == (language == "en")
