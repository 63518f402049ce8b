"""Anonymous readers get cached pages that change the moment published content does."""

from __future__ import annotations

import pytest
from django.test import Client

from articles.models import Article, Attribution
from articles.publication import public_content_changed
from articles.states import State
from articles.workflow import transition
from tests.factories import ArticleFactory, moderate

pytestmark = pytest.mark.django_db


def test_anonymous_readers_get_the_page_from_the_cache(client, story, django_assert_num_queries):
    assert client.get("/en/articles/putin-talks/")["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get("/en/articles/putin-talks/")
    assert response["X-Cache"] == "hit"
    assert "Putin says talks" in response.content.decode()


def test_the_cache_is_kept_per_language(client, story):
    client.get("/en/articles/putin-talks/")
    html = client.get("/fr/articles/putin-talks/").content.decode()
    assert "Poutine juge" in html and '<html lang="fr">' in html


def test_publishing_shows_at_once(client, story, editor, django_capture_on_commit_callbacks):
    assert "Ceasefire hopes fade" not in client.get("/en/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        moderate(ArticleFactory(title="Ceasefire hopes fade"), State.PUBLISHED, editor)
    assert "Ceasefire hopes fade" in client.get("/en/").content.decode()


def test_unpublishing_answers_404_at_once(
    client, story, editor, django_capture_on_commit_callbacks
):
    assert client.get("/en/articles/putin-talks/").status_code == 200
    assert "Putin says talks" in client.get("/en/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        transition(story, "unpublish", by=editor)
    assert client.get("/en/articles/putin-talks/").status_code == 404
    assert "Putin says talks" not in client.get("/en/").content.decode()
    assert client.get("/en/analysts/alexander-gabuev/").status_code == 404


def test_unpublishing_a_statement_removes_it_at_once(
    client, story, editor, django_capture_on_commit_callbacks
):
    assert "The Kremlin is buying time." in client.get("/en/articles/putin-talks/").content.decode()
    statement = Attribution.objects.get(statement="The Kremlin is buying time.")
    with django_capture_on_commit_callbacks(execute=True):
        transition(statement, "unpublish", by=editor)
    html = client.get("/en/articles/putin-talks/").content.decode()
    assert "The Kremlin is buying time." not in html
    assert client.get("/en/analysts/alexander-gabuev/").status_code == 404


def test_an_edit_of_published_content_shows_at_once(client, story):
    client.get("/en/articles/putin-talks/")
    Article.objects.filter(pk=story.pk).update(title="Putin: talks are dead")
    public_content_changed(Article.objects.get(pk=story.pk))  # what the admin calls on save
    html = client.get("/en/articles/putin-talks/").content.decode()
    assert "Putin: talks are dead" in html
    # ... and the search index follows the edit.
    assert "talks are <mark>dead</mark>" in client.get("/en/search/?q=dead").content.decode()


def test_signed_in_staff_always_get_a_fresh_page(client, story, editor):
    client.get("/en/articles/putin-talks/")  # cached for anonymous readers
    # An edit whose invalidation has not happened (yet): anonymous readers see the copy.
    Article.objects.filter(pk=story.pk).update(title="Fresh title for staff")
    assert "Fresh title" not in client.get("/en/articles/putin-talks/").content.decode()
    client.force_login(editor)
    response = client.get("/en/articles/putin-talks/")
    assert "Fresh title for staff" in response.content.decode()
    assert response["Cache-Control"] == "private, no-cache, no-store"
    assert "X-Cache" not in response


@pytest.mark.django_db
def test_renaming_a_topic_in_the_admin_shows_at_once(
    client, editor, django_capture_on_commit_callbacks
):
    from django.urls import reverse

    from articles.models import Topic
    from tests.factories import published_article

    topic = Topic.objects.create(slug="diplomacy", name="Diplomacy")
    article = published_article(editor)
    article.topics.add(topic)
    url = f"/en/topics/{topic.slug}/"
    assert "Diplomacy" in client.get(url).content.decode()  # now cached

    staff = Client()
    staff.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = staff.post(
            reverse("admin:articles_topic_change", args=[topic.pk]),
            {"name": "Statecraft", "slug": "diplomacy"},
        )
    assert response.status_code == 302
    assert "Statecraft" in client.get(url).content.decode()
