"""GET /api/v1/proposals/, /<slug>/ and /compare/?slugs=a,b: public proposals only."""

import pytest

from articles.states import State
from proposals.models import TermCategory
from tests.factories import ProposalFactory, ProposalTermFactory, moderate, published_article

pytestmark = pytest.mark.django_db

LIST = "/api/v1/proposals/"
COMPARE = "/api/v1/proposals/compare/"


def test_list_shows_public_proposals_by_title(world, role_client):
    _role, client = role_client
    response = client.get(LIST)
    assert response.status_code == 200
    assert [p["slug"] for p in response.json()["results"]] == ["european-plan", "russian-plan"]


def test_proposal_detail_has_the_contract_shape(world, role_client):
    _role, client = role_client
    data = client.get(f"{LIST}russian-plan/").json()
    assert data["slug"] == "russian-plan"
    assert data["title"] == "Russian plan"
    assert data["status"] == "reported"
    assert data["proposed_by"] == [{"slug": "russia", "name": "Russia"}]
    assert data["terms"] == [
        {"category": "Security guarantees", "text": "No NATO membership.", "sourcing": "reported"},
        {
            "category": "Territorial concessions",
            "text": "Ukraine cedes Donbas.",
            "sourcing": "reported",
        },
    ]
    assert data["articles"] == [{"slug": "putin-talks", "title": "Talks in Istanbul"}]


@pytest.mark.parametrize("slug", ["secret-plan", "no-such-plan"])
def test_unpublished_or_unknown_proposal_is_404_for_every_role(world, role_client, slug):
    _role, client = role_client
    assert client.get(f"{LIST}{slug}/").status_code == 404


def test_published_proposal_of_no_published_article_is_404(editor, anon):
    proposal = moderate(ProposalFactory(slug="orphan"), State.PUBLISHED, editor)
    assert proposal.state == State.PUBLISHED
    assert anon.get(f"{LIST}orphan/").status_code == 404


def test_filters(world, anon):
    def listed(**params):
        return [p["slug"] for p in anon.get(LIST, params).json()["results"]]

    assert listed(actor="russia") == ["russian-plan"]
    assert listed(category="territorial-concessions") == ["russian-plan"]
    assert listed(article="putin-talks") == ["european-plan", "russian-plan"]
    assert listed(article="draft-article") == []
    assert anon.get(LIST, {"status": "bogus"}).json()["errors"]["status"]


def test_compare_groups_terms_category_by_category(world, role_client):
    _role, client = role_client
    response = client.get(COMPARE, {"slugs": "russian-plan,european-plan"})
    assert response.status_code == 200
    data = response.json()
    assert data["proposals"] == [
        {"slug": "russian-plan", "title": "Russian plan"},
        {"slug": "european-plan", "title": "European plan"},
    ]
    assert data["categories"] == [
        {
            "category": "Security guarantees",
            "slug": "security-guarantees",
            "terms": {
                "russian-plan": [{"text": "No NATO membership.", "sourcing": "reported"}],
                "european-plan": [{"text": "European troops.", "sourcing": "reported"}],
            },
        },
        {
            "category": "Territorial concessions",
            "slug": "territorial-concessions",
            "terms": {
                "russian-plan": [{"text": "Ukraine cedes Donbas.", "sourcing": "reported"}],
                "european-plan": [],
            },
        },
    ]


@pytest.mark.parametrize("slugs", ["russian-plan,no-such-plan", "russian-plan,secret-plan"])
def test_compare_with_an_unknown_or_hidden_proposal_is_404(world, anon, slugs):
    assert anon.get(COMPARE, {"slugs": slugs}).status_code == 404


@pytest.mark.parametrize(
    "params", [{}, {"slugs": "russian-plan"}, {"slugs": "a,a"}, {"slugs": ","}]
)
def test_compare_needs_two_proposals(world, anon, params):
    response = anon.get(COMPARE, params)
    assert response.status_code == 400
    assert "slugs" in response.json()["errors"]


@pytest.mark.parametrize("size", [1, 10])
def test_proposals_run_a_fixed_number_of_queries(editor, anon, django_assert_max_num_queries, size):
    article = published_article(editor)
    categories = [TermCategory.for_label(f"Category {i}") for i in range(size)]
    for i in range(size):
        proposal = ProposalFactory(slug=f"plan-{i}")
        proposal.articles.add(article)
        for category in categories:
            ProposalTermFactory(proposal=proposal, category=category)
        moderate(proposal, State.PUBLISHED, editor)
    with django_assert_max_num_queries(4):
        listed = anon.get(LIST, {"page_size": 100}).json()["results"]
    assert len(listed) == size and all(len(p["terms"]) == size for p in listed)
    with django_assert_max_num_queries(4):
        assert anon.get(f"{LIST}plan-0/").status_code == 200
    with django_assert_max_num_queries(4):
        compared = anon.get(COMPARE, {"slugs": "plan-0,plan-1" if size > 1 else "plan-0,x"})
    assert compared.status_code == (200 if size > 1 else 404)
