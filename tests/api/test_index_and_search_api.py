"""GET /api/v1/ (the index of endpoints) and GET /api/v1/search/?q= (the site's search)."""

import pytest

from articles.site import search
from tests.api.fixtures import client_for

pytestmark = pytest.mark.django_db


def test_the_index_names_every_endpoint_with_absolute_urls(anon, db):
    response = anon.get("/api/v1/")
    assert response.status_code == 200
    index = response.json()
    assert index["articles"] == "http://testserver/api/v1/articles/"
    assert index["search"] == "http://testserver/api/v1/search/"
    assert index["article_ninjs"] == "http://testserver/api/v1/articles/{slug}/ninjs/"
    assert index["proposals_compare"] == "http://testserver/api/v1/proposals/compare/"
    assert index["schema"] == "http://testserver/api/schema/"
    assert index["feeds"]["fr"]["json"] == "http://testserver/fr/feed.json"
    for url in (index["articles"], index["search"] + "?q=x", index["analysts"]):
        assert anon.get(url).status_code == 200, url


@pytest.fixture
def indexed(world):
    search.rebuild_index()
    return world


def test_search_finds_published_articles_in_the_shape_of_the_list(indexed, anon):
    response = anon.get("/api/v1/search/", {"q": "Istanbul"})
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    assert [a["slug"] for a in body["results"]] == ["putin-talks"]
    listed = anon.get("/api/v1/articles/", {"q": "Istanbul"}).json()["results"]
    assert body["results"] == listed


def test_search_in_a_language_gives_titles_in_it(indexed, anon):
    results = anon.get("/api/v1/search/", {"q": "Istanbul", "language": "fr"}).json()["results"]
    assert [(a["slug"], a["title"]) for a in results] == [("putin-talks", "Pourparlers à Istanbul")]


def test_search_never_shows_unpublished_articles_even_to_editors(indexed, editor):
    client = client_for(editor)
    for q in ("Unfinished", "draft"):
        assert client.get("/api/v1/search/", {"q": q}).json()["results"] == []


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "x\x00y"}, {"q": "a" * 201}])
def test_search_without_a_usable_query_is_400(indexed, anon, params):
    response = anon.get("/api/v1/search/", params)
    assert response.status_code == 400
    assert "q" in response.json()["errors"]


def test_search_is_cursor_paginated(indexed, anon, editor):
    from articles.states import State
    from tests.factories import ArticleFactory, moderate

    for n in range(3):
        moderate(ArticleFactory(slug=f"more-{n}", title="Istanbul again"), State.PUBLISHED, editor)
    search.rebuild_index()
    first = anon.get("/api/v1/search/", {"q": "Istanbul", "page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"]
    second = anon.get(first["next"]).json()
    assert len(second["results"]) == 2
    assert not {a["slug"] for a in first["results"]} & {a["slug"] for a in second["results"]}
