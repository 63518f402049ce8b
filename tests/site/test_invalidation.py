"""Per-story invalidation: a change makes stale the pages showing what changed, every
other cached page stays warm; public responses carry tags, validators and CDN headers."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from articles.models import Topic
from articles.site.cache import TAG_KEY
from articles.staging import stage
from articles.states import State
from articles.stories import transition_story
from articles.workflow import transition
from tests.factories import (
    AnalystFactory,
    ArticleFactory,
    AttributionFactory,
    TopicFactory,
    moderate,
    published_article,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def other(editor):
    """A second story with a topic and an analyst of its own."""
    article = ArticleFactory(slug="other-story", title="Grain corridor reopens")
    article.topics.add(TopicFactory(slug="grain", name="Grain"))
    analyst = AnalystFactory(slug="grain-analyst")
    moderate(AttributionFactory(article=article, analyst=analyst), State.APPROVED, editor)
    return moderate(article, State.PUBLISHED, editor)


STORY_PAGES = ["/en/articles/putin-talks/", "/fr/articles/putin-talks/"]
STORY_LISTS = [
    "/en/",
    "/en/topics/ukraine/",
    "/en/analysts/alexander-gabuev/",
    "/en/proposals/us-plan/",
    "/en/feed/",
    "/en/search/?q=talks",
    "/sitemap.xml",
    "/api/v1/articles/",
]
OTHER_PAGES = [
    "/en/articles/other-story/",
    "/en/topics/grain/",
    "/en/analysts/grain-analyst/",
    "/api/v1/articles/other-story/",
    "/api/v1/analysts/grain-analyst/",
]


def warm(client, urls: list[str]) -> None:
    for url in urls:
        assert client.get(url).status_code == 200, url
        assert client.get(url)["X-Cache"] == "hit", url


def cache_state(client, urls: list[str]) -> dict[str, str]:
    responses = {url: client.get(url) for url in urls}
    for url, response in responses.items():
        assert response.status_code == 200, (url, response.status_code, response.content[:300])
    return {url: response["X-Cache"] for url, response in responses.items()}


def test_a_change_to_a_story_leaves_unrelated_pages_warm(
    client, story, other, editor, django_capture_on_commit_callbacks
):
    urls = STORY_PAGES + STORY_LISTS + OTHER_PAGES
    warm(client, urls)
    with django_capture_on_commit_callbacks(execute=True):  # an editor corrects the title
        stage(story, {"fields": {"title": "Putin: the talks are going nowhere"}}, by=editor)
        transition_story(story, "approve", by=editor)
    # Pending changes: readers keep the live story, every page stays warm.
    assert cache_state(client, urls) == dict.fromkeys(urls, "hit")
    with django_capture_on_commit_callbacks(execute=True):
        transition_story(story, "publish", by=editor)
    after = cache_state(client, urls)
    assert {url: after[url] for url in OTHER_PAGES} == dict.fromkeys(OTHER_PAGES, "hit")
    stale = STORY_PAGES + STORY_LISTS
    assert {url: after[url] for url in stale} == dict.fromkeys(stale, "miss")
    assert "the talks are going nowhere" in client.get("/en/proposals/us-plan/").content.decode()


def test_unpublishing_a_story_answers_404_and_leaves_unrelated_pages_warm(
    client, story, other, editor, django_capture_on_commit_callbacks
):
    warm(client, STORY_PAGES + OTHER_PAGES + ["/en/"])
    with django_capture_on_commit_callbacks(execute=True):
        transition(story, "unpublish", by=editor)
    assert cache_state(client, OTHER_PAGES) == dict.fromkeys(OTHER_PAGES, "hit")
    for url in STORY_PAGES + ["/en/analysts/alexander-gabuev/", "/en/proposals/us-plan/"]:
        assert client.get(url).status_code == 404, url
    assert "Putin says talks" not in client.get("/en/").content.decode()


def test_publishing_a_story_invalidates_its_lists_only(
    client, story, other, editor, django_capture_on_commit_callbacks
):
    unrelated = ["/en/articles/putin-talks/", "/en/topics/ukraine/", "/en/analysts/grain-analyst/"]
    warm(client, ["/en/", "/en/topics/grain/", *unrelated])
    article = ArticleFactory(slug="fresh-news", title="Fresh news on grain")
    article.topics.add(Topic.objects.get(slug="grain"))
    with django_capture_on_commit_callbacks(execute=True):
        moderate(article, State.PUBLISHED, editor)
    assert cache_state(client, unrelated) == dict.fromkeys(unrelated, "hit")
    for url in ["/en/", "/en/topics/grain/"]:
        response = client.get(url)
        assert response["X-Cache"] == "miss"
        assert "Fresh news on grain" in response.content.decode()


def test_renaming_a_topic_invalidates_the_pages_showing_it(
    client, story, other, editor, django_capture_on_commit_callbacks
):
    warm(client, ["/en/articles/putin-talks/", "/en/articles/other-story/", "/en/topics/grain/"])
    staff = Client()
    staff.force_login(editor)
    topic = Topic.objects.get(slug="ukraine")
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("admin:articles_topic_change", args=[topic.pk]),
            {"name": "Russia-Ukraine war", "slug": "ukraine"},
        )
    response = client.get("/en/articles/putin-talks/")
    assert response["X-Cache"] == "miss"
    assert "Russia-Ukraine war" in response.content.decode()
    assert client.get("/en/articles/other-story/")["X-Cache"] == "hit"


def test_public_responses_name_their_tags_for_a_cdn(client, story):
    response = client.get("/en/articles/putin-talks/")
    keys = set(response["Surrogate-Key"].split())
    assert {f"story-{story.pk}", "site"} <= keys
    assert {k for k in keys if k.startswith(("topic-", "analyst-", "proposal-"))}
    assert set(response["Cache-Tag"].split(",")) == keys
    assert response["Cache-Control"] == "public, max-age=0, s-maxage=600"
    api = client.get("/api/v1/articles/putin-talks/")
    assert f"story-{story.pk}" in api["Surrogate-Key"].split()
    assert api["Cache-Control"] == "public, max-age=0, s-maxage=600"


@pytest.mark.parametrize("url", ["/en/articles/putin-talks/", "/api/v1/articles/putin-talks/"])
def test_validators_answer_304_until_the_page_changes(
    client, story, editor, url, django_capture_on_commit_callbacks
):
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert etag and modified
    for response in (  # from the cache, then rendered again after a clear
        client.get(url, HTTP_IF_NONE_MATCH=etag),
        client.get(url, HTTP_IF_MODIFIED_SINCE=modified),
    ):
        assert response.status_code == 304
        assert response["ETag"] == etag
        assert response.content == b""
    cache.clear()
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304  # same content
    with django_capture_on_commit_callbacks(execute=True):
        transition(
            story.attributions.get(statement="The Kremlin is buying time."),
            "unpublish",
            by=editor,
        )
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


def test_a_lost_invalidation_never_revives_a_stale_copy(client, story):
    client.get("/en/articles/putin-talks/")
    assert client.get("/en/articles/putin-talks/")["X-Cache"] == "hit"
    cache.delete(TAG_KEY.format(f"story-{story.pk}"))  # evicted
    assert client.get("/en/articles/putin-talks/")["X-Cache"] == "miss"


@pytest.mark.parametrize(
    "url",
    [
        "/en/",
        "/en/articles/putin-talks/",
        "/en/feed/",
        "/sitemap.xml",
        "/api/v1/articles/",
        "/api/v1/articles/putin-talks/",
        "/api/v1/articles/putin-talks/ninjs/",
        "/api/v1/proposals/us-plan/",
        "/admin/",
        "/admin/articles/article/",
        "/translate/",
    ],
)
def test_staff_responses_are_never_cacheable(client, story, editor, url):
    client.get(url)  # a public copy in the cache, for the anonymous
    client.force_login(editor)
    response = client.get(url)
    assert response.status_code == 200, url
    control = response.get("Cache-Control", "")
    assert "private" in control and "no-store" in control, control
    assert "public" not in control and "s-maxage" not in control
    for header in ("Surrogate-Key", "Cache-Tag", "X-Cache"):
        assert header not in response, header


def test_a_publish_purges_the_cdn_by_tag_once_on_commit(
    story, editor, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_CDN_PURGE_URL = "https://cdn.example/purge"
    settings.NEWSROOM_CDN_PURGE_TOKEN = "secret"
    calls = []

    class Answer:
        status = 200

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def urlopen(request, timeout):
        calls.append(request)
        return Answer()

    monkeypatch.setattr("articles.site.cdn.urllib.request.urlopen", urlopen)
    article = published_article(editor)  # hooks not run: nothing purged
    assert calls == []
    draft = ArticleFactory()
    moderate(AttributionFactory(article=draft), State.APPROVED, editor)
    with django_capture_on_commit_callbacks(execute=True):
        moderate(draft, State.PUBLISHED, editor)  # the article and its statement
    assert len(calls) == 1  # one purge per commit, not one per part
    keys = calls[0].get_header("Surrogate-key").split()
    assert f"story-{draft.pk}" in keys and "articles" in keys
    assert f"story-{article.pk}" not in keys
    assert calls[0].get_header("Authorization") == "Bearer secret"


def test_a_failing_purge_never_fails_the_publication(
    story, editor, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_CDN_PURGE_URL = "https://cdn.example/purge"

    def urlopen(request, timeout):
        raise OSError("connection refused")

    monkeypatch.setattr("articles.site.cdn.urllib.request.urlopen", urlopen)
    with django_capture_on_commit_callbacks(execute=True):
        article = published_article(editor, slug="still-published")
    assert article.state == State.PUBLISHED
