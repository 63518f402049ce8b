"""Readers' cached pages are shared by every process on the machine: a change made by
another server worker or by a cron command (publish_scheduled, import_article) reaches
readers served by this one within 2 seconds."""

from __future__ import annotations

import time

import pytest

from articles.models import Article
from articles.publication import public_content_changed
from articles.site.cache import VERSION_KEY
from tests.shared_process import in_another_process

pytestmark = pytest.mark.django_db

ARTICLE = "/en/articles/putin-talks/"


def page_within(client, path: str, seconds: float, until) -> str:
    """The page as readers get it, once `until(html)` holds or `seconds` have passed."""
    deadline = time.monotonic() + seconds
    while True:
        html = client.get(path).content.decode()
        if until(html) or time.monotonic() > deadline:
            return html
        time.sleep(0.1)


def test_an_invalidation_by_another_process_reaches_this_one_within_2_seconds(client, story):
    assert client.get(ARTICLE)["X-Cache"] == "miss"
    assert client.get(ARTICLE)["X-Cache"] == "hit"
    # The change is in the database; another process (a cron command, another
    # worker) made it and invalidated the cache, as `public_content_changed` does.
    Article.objects.filter(pk=story.pk).update(title="Talks resume in Geneva")
    assert "Talks resume in Geneva" not in client.get(ARTICLE).content.decode()
    in_another_process(
        "from articles.site.cache import invalidate_public_cache; invalidate_public_cache()"
    )
    html = page_within(client, ARTICLE, 2, until=lambda html: "Talks resume in Geneva" in html)
    assert "Talks resume in Geneva" in html


def test_the_cache_version_is_the_same_in_every_process(client, story):
    client.get(ARTICLE)
    from articles.site.cache import public_cache_version

    assert in_another_process(
        "from articles.site.cache import public_cache_version; print(public_cache_version())"
    ).strip() == str(public_cache_version())


def test_an_evicted_version_never_brings_back_an_older_page(client, story):
    from django.core.cache import cache

    client.get(ARTICLE)  # cached under the first version
    Article.objects.filter(pk=story.pk).update(title="Talks resume in Geneva")
    public_content_changed(Article.objects.get(pk=story.pk))
    assert "Talks resume in Geneva" in client.get(ARTICLE).content.decode()
    # Caches drop entries when full (the file cache at random, Redis by its policy):
    # the version that replaces the lost one must not be an old one again.
    cache.delete(VERSION_KEY)
    assert "Talks resume in Geneva" in client.get(ARTICLE).content.decode()
