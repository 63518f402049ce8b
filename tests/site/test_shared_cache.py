"""Readers' cached pages are shared by every process on the machine: a change made by
another server worker or by a cron command (publish_scheduled, import_article) reaches
readers served by this one within 2 seconds."""

from __future__ import annotations

import time

import pytest

from articles.models import Article
from articles.publication import public_content_changed
from articles.site import snapshots
from articles.site.cache import TAG_KEY
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
    # The change and its snapshot are in the database; another process (a cron command,
    # another worker) made them and invalidated the cache, as `public_content_changed`
    # does.
    Article.objects.filter(pk=story.pk).update(title="Talks resume in Geneva")
    snapshots.refresh([story.pk])
    assert "Talks resume in Geneva" not in client.get(ARTICLE).content.decode()
    in_another_process(
        "from articles.site.cache import invalidate_public_cache; invalidate_public_cache()"
    )
    html = page_within(client, ARTICLE, 2, until=lambda html: "Talks resume in Geneva" in html)
    assert "Talks resume in Geneva" in html


def test_an_invalidation_is_seen_alike_by_every_process(client, story):
    from django.core.cache import cache

    client.get(ARTICLE)
    tag = f"story-{story.pk}"
    seen_there = in_another_process(
        "from django.core.cache import cache; from articles.site.cache import TAG_KEY,"
        f" invalidate; invalidate([{tag!r}]); print(repr(cache.get(TAG_KEY.format({tag!r}))))"
    ).strip()
    assert seen_there == repr(cache.get(TAG_KEY.format(tag)))
    assert client.get(ARTICLE)["X-Cache"] == "miss"


def test_an_evicted_invalidation_never_brings_back_an_older_page(client, story):
    from django.core.cache import cache

    client.get(ARTICLE)  # cached
    Article.objects.filter(pk=story.pk).update(title="Talks resume in Geneva")
    public_content_changed(Article.objects.get(pk=story.pk))
    assert "Talks resume in Geneva" in client.get(ARTICLE).content.decode()
    # Caches drop entries when full (the file cache at random, Redis by its policy):
    # a tag whose invalidation was lost makes its pages stale, never fresh again.
    for tag in ("site", f"story-{story.pk}"):
        cache.delete(TAG_KEY.format(tag))
    assert "Talks resume in Geneva" in client.get(ARTICLE).content.decode()
    assert client.get(ARTICLE)["X-Cache"] == "miss"
