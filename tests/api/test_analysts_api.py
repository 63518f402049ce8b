"""GET /api/v1/analysts/ and /api/v1/analysts/<slug>/: only analysts with a published
statement, with those statements; everyone else is 404, whatever the role."""

import pytest

from articles.states import State
from tests.factories import AnalystFactory, AttributionFactory, moderate, published_article

pytestmark = pytest.mark.django_db

LIST = "/api/v1/analysts/"


def test_only_analysts_with_a_published_statement_are_listed(world, role_client):
    _role, client = role_client
    response = client.get(LIST)
    assert response.status_code == 200
    assert [a["slug"] for a in response.json()["results"]] == ["ana-lyst"]


def test_analyst_detail_lists_published_statements(world, role_client):
    _role, client = role_client
    data = client.get(f"{LIST}ana-lyst/").json()
    assert data["slug"] == "ana-lyst"
    assert data["name"] == "Ana Lyst"
    assert data["role"] == "Director"
    assert data["affiliation"] == {"name": "Institute for War Studies", "place": "London"}
    [statement] = data["statements"]
    assert statement["article"] == {"slug": "putin-talks", "title": "Talks in Istanbul"}
    assert statement["kind"] == "quote"
    assert statement["statement"] == "The talks are a ruse."
    assert statement["published_at"]


@pytest.mark.parametrize("slug", ["hidden-analyst", "nobody"])
def test_analyst_without_published_statement_is_404_for_every_role(world, role_client, slug):
    _role, client = role_client
    response = client.get(f"{LIST}{slug}/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_statement_in_an_unpublished_article_does_not_count(editor, anon):
    analyst = AnalystFactory(slug="only-draft")
    statement = AttributionFactory(analyst=analyst)
    moderate(statement, State.PUBLISHED, editor)  # the statement is, its article is not
    assert anon.get(f"{LIST}only-draft/").status_code == 404


@pytest.mark.parametrize("size", [1, 15])
def test_analysts_run_a_fixed_number_of_queries(editor, anon, django_assert_max_num_queries, size):
    analysts = AnalystFactory.create_batch(size)
    for _ in range(3):
        article = published_article(editor)
        for analyst in analysts:
            moderate(AttributionFactory(article=article, analyst=analyst), State.PUBLISHED, editor)
    with django_assert_max_num_queries(2):
        response = anon.get(LIST, {"page_size": 100})
    assert response["X-Cache"] == "miss"  # the work, not the cache, was counted
    listed = response.json()["results"]
    assert len(listed) == size
    assert all(len(a["statements"]) == 3 for a in listed)
    with django_assert_max_num_queries(2):
        assert len(anon.get(f"{LIST}{analysts[0].slug}/").json()["statements"]) == 3
