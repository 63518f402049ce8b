"""Anonymous API readers are served from the cache; it changes the moment published
content does; signed-in callers always get a fresh answer and never fill the cache."""

import pytest
from django.test import Client

from articles.models import Analyst, Article
from articles.states import State
from articles.workflow import transition
from tests.api.fixtures import client_for
from tests.factories import ArticleFactory, TranslationVersionFactory, moderate

pytestmark = pytest.mark.django_db

CACHED_URLS = [
    "/api/v1/articles/",
    "/api/v1/articles/?topic=ukraine&language=fr",
    "/api/v1/articles/putin-talks/",
    "/api/v1/articles/putin-talks/?language=fr",
    "/api/v1/articles/putin-talks/ninjs/",
    "/api/v1/analysts/",
    "/api/v1/analysts/ana-lyst/",
    "/api/v1/proposals/",
    "/api/v1/proposals/russian-plan/",
    "/api/v1/proposals/compare/?slugs=russian-plan,european-plan",
]


@pytest.mark.parametrize("url", CACHED_URLS)
def test_a_second_anonymous_request_is_a_cache_hit_without_queries(
    world, anon, django_assert_max_num_queries, url
):
    first = anon.get(url)
    assert first.status_code == 200 and first["X-Cache"] == "miss"
    with django_assert_max_num_queries(2):
        second = anon.get(url)
    assert second["X-Cache"] == "hit"
    assert second.status_code == 200
    assert second.json() == first.json()
    assert second["Content-Type"] == "application/json"
    assert second.get("Content-Language") == first.get("Content-Language")
    assert {"Authorization", "Cookie"} <= {v.strip() for v in second["Vary"].split(",")}


def test_the_text_language_is_negotiated_per_accept_language_header(world, anon):
    english = anon.get("/api/v1/articles/putin-talks/", HTTP_ACCEPT_LANGUAGE="en")
    french = anon.get("/api/v1/articles/putin-talks/", HTTP_ACCEPT_LANGUAGE="fr")
    assert (english.json()["title"], french.json()["title"]) == (
        "Talks in Istanbul",
        "Pourparlers à Istanbul",
    )
    assert french["Content-Language"] == "fr" and french["X-Cache"] == "miss"
    again = anon.get("/api/v1/articles/putin-talks/", HTTP_ACCEPT_LANGUAGE="fr")
    assert again["X-Cache"] == "hit" and again["Content-Language"] == "fr"
    assert again.json()["title"] == "Pourparlers à Istanbul"


def test_links_follow_the_host_that_was_asked(world, anon):
    anon.get("/api/v1/articles/putin-talks/ninjs/", HTTP_HOST="localhost")
    other = anon.get("/api/v1/articles/putin-talks/ninjs/", HTTP_HOST="testserver")
    assert other["X-Cache"] == "miss"
    assert other.json()["uri"].startswith("http://testserver/")


def test_errors_are_not_cached(world, anon):
    assert anon.get("/api/v1/articles/draft-article/").status_code == 404
    again = anon.get("/api/v1/articles/draft-article/")
    assert again.status_code == 404 and again.get("X-Cache") != "hit"
    assert anon.get("/api/v1/articles/", {"language": "xx"}).get("X-Cache") != "hit"


@pytest.mark.parametrize("persona", ["editor", "translator", "contributor"])
def test_signed_in_callers_neither_read_nor_fill_the_cache(world, anon, request, persona):
    url = "/api/v1/articles/putin-talks/"
    anon.get(url)  # cached for readers
    # An edit whose invalidation has not happened (yet): readers still get the copy.
    Article.objects.filter(pk=world.article.pk).update(title="Fresh title")
    assert anon.get(url).json()["title"] == "Talks in Istanbul"
    client = client_for(request.getfixturevalue(persona))
    response = client.get(url)
    assert response.json()["title"] == "Fresh title"
    assert "X-Cache" not in response
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]


def test_an_editors_list_with_drafts_never_reaches_readers(world, anon, editor):
    editors_list = client_for(editor).get("/api/v1/articles/")
    assert "draft-article" in str(editors_list.json())
    readers_list = anon.get("/api/v1/articles/")
    assert readers_list["X-Cache"] == "miss"
    assert "draft-article" not in str(readers_list.json())


def test_session_signed_in_editors_are_not_served_from_the_cache(world, anon, editor):
    anon.get("/api/v1/articles/")
    browser = Client()
    browser.force_login(editor)
    response = browser.get("/api/v1/articles/")
    assert "X-Cache" not in response
    assert "draft-article" in str(response.json())


def test_a_cached_hit_is_still_throttled(world, anon, monkeypatch):
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setitem(SimpleRateThrottle.THROTTLE_RATES, "anon", "2/minute")
    assert anon.get("/api/v1/proposals/").status_code == 200
    assert anon.get("/api/v1/proposals/")["X-Cache"] == "hit"
    assert anon.get("/api/v1/proposals/").status_code == 429


# -- invalidation through the workflow and the admin -------------------------------------


def test_publishing_an_article_shows_in_the_list_at_once(
    world, anon, editor, django_capture_on_commit_callbacks
):
    before = [a["slug"] for a in anon.get("/api/v1/articles/").json()["results"]]
    assert "fresh-news" not in before
    with django_capture_on_commit_callbacks(execute=True):
        moderate(ArticleFactory(slug="fresh-news"), State.PUBLISHED, editor)
    response = anon.get("/api/v1/articles/")
    assert response["X-Cache"] == "miss"
    assert response.json()["results"][0]["slug"] == "fresh-news"


def test_unpublishing_answers_404_at_once_everywhere(
    world, anon, editor, django_capture_on_commit_callbacks
):
    for url in CACHED_URLS:
        assert anon.get(url).status_code == 200, url
    with django_capture_on_commit_callbacks(execute=True):
        transition(world.article, "unpublish", by=editor)
    assert anon.get("/api/v1/articles/putin-talks/").status_code == 404
    assert anon.get("/api/v1/articles/putin-talks/ninjs/").status_code == 404
    assert anon.get("/api/v1/analysts/ana-lyst/").status_code == 404
    assert anon.get("/api/v1/proposals/russian-plan/").status_code == 404
    listed = anon.get("/api/v1/articles/").json()["results"]
    assert [a["slug"] for a in listed] == ["sahel-mediation"]


def test_a_new_translation_going_live_shows_at_once(
    world, anon, editor, django_capture_on_commit_callbacks
):
    url = "/api/v1/articles/putin-talks/?language=fr"
    assert anon.get(url).json()["title"] == "Pourparlers à Istanbul"
    newer = TranslationVersionFactory(
        article=world.article, language="fr", version=2, title="Nouvelle version"
    )
    with django_capture_on_commit_callbacks(execute=True):
        moderate(newer, State.APPROVED, editor)  # the article is published: live at once
    assert anon.get(url).json()["title"] == "Nouvelle version"


def test_an_admin_edit_of_a_public_analyst_shows_at_once(
    world, anon, editor, django_capture_on_commit_callbacks
):
    url = "/api/v1/analysts/ana-lyst/"
    assert anon.get(url).json()["role"] == "Director"
    admin = Client()
    admin.force_login(editor)
    analyst = Analyst.objects.get(slug="ana-lyst")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            f"/admin/articles/analyst/{analyst.pk}/change/",
            {
                "name": "Ana Lyst",
                "slug": "ana-lyst",
                "role": "Senior fellow",
                "institution": world.institution.pk,
            },
        )
    assert response.status_code == 302, response.content
    assert anon.get(url).json()["role"] == "Senior fellow"
