"""The proposals' list and comparison as a reader uses them: grouped by story, helpful
at 0 or 1 ticked proposal, two to six side by side, unrelated stories only on request."""

from __future__ import annotations

import re

import pytest

from articles.states import State
from proposals.models import ProposalTerm, TermCategory
from tests.factories import ArticleFactory, ProposalFactory, moderate

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_stories(editor):
    """Story A (Ukraine) with six proposals, story B (Red Sea) with one."""
    categories = [TermCategory.for_label(f"Category {i}") for i in range(3)]
    stories = {}
    for slug, count in (("ukraine-story", 6), ("red-sea-story", 1)):
        article = ArticleFactory(slug=slug, title=f"The {slug.split('-story')[0]} story")
        for n in range(count):
            proposal = ProposalFactory(slug=f"{slug[:6]}-{n}", title=f"{slug[:6]} plan {n}")
            proposal.articles.add(article)
            ProposalTerm.objects.create(
                proposal=proposal, category=categories[n % 3], text=f"{slug[:6]} term {n}."
            )
            moderate(proposal, State.APPROVED, editor)
        stories[slug] = moderate(article, State.PUBLISHED, editor)
    return stories


def compare(client, *slugs, **params):
    query = "&".join([f"slugs={s}" for s in slugs] + [f"{k}={v}" for k, v in params.items()])
    return client.get(f"/en/proposals/compare/?{query}")


def test_ticking_nothing_says_what_to_do(client, two_stories):
    response = compare(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert "A comparison needs at least two" in html
    assert 'href="/en/proposals/"' in html
    assert '<meta name="robots" content="noindex, follow">' in html


def test_ticking_one_proposal_says_what_to_do_and_links_it(client, two_stories):
    html = compare(client, "ukrain-0").content.decode()
    assert "You ticked one proposal." in html
    assert "A comparison needs at least two" in html
    assert 'href="/en/proposals/ukrain-0/">ukrain plan 0</a>' in html


def test_two_proposals_of_a_story_are_compared(client, two_stories):
    html = compare(client, "ukrain-0", "ukrain-1").content.decode()
    table = html[html.index("<table") : html.index("</table>")]
    assert "ukrain plan 0" in table and "ukrain plan 1" in table
    assert "comparison--2" in table


def test_six_proposals_fit_side_by_side(client, two_stories):
    slugs = [f"ukrain-{n}" for n in range(6)]
    html = compare(client, *slugs).content.decode()
    header = re.search(r"<thead>(.*?)</thead>", html, re.S).group(1)
    assert header.count('<th scope="col">') == 6
    # The phone layout: one card per category, every proposal listed in each.
    cards = html[html.index('class="comparison-narrow"') :]
    assert cards.count('<section class="compare-card">') == 3
    assert cards.count("<dt>ukrain plan 5</dt>") == 3


def test_seven_proposals_are_too_many_and_it_says_so(client, two_stories):
    slugs = [f"ukrain-{n}" for n in range(6)] + ["red-se-0"]
    html = compare(client, *slugs).content.decode()
    assert "At most 6 proposals fit side by side." in html


def test_proposals_of_unrelated_stories_are_compared_only_when_asked(client, two_stories):
    html = compare(client, "ukrain-0", "red-se-0").content.decode()
    assert "These proposals belong to different stories" in html
    assert "<table" not in html
    assert "The red-sea story" in html and "The ukraine story" in html
    link = re.search(r'href="([^"]+&amp;across=1)"', html).group(1).replace("&amp;", "&")
    assert link == "/en/proposals/compare/?slugs=ukrain-0,red-se-0&across=1"
    html = client.get(link).content.decode()
    assert "<table" in html and "red-se term 0." in html


def test_the_list_groups_proposals_by_story_without_repeated_labels(client, two_stories):
    html = client.get("/en/proposals/").content.decode()
    groups = re.findall(r'<section class="story-group"(.*?)</section>', html, re.S)
    assert len(groups) == 2
    # The newest story first (published last).
    assert "The red-sea story" in groups[0] and "red-se plan 0" in groups[0]
    assert "The ukraine story" in groups[1]
    assert all(f"ukrain plan {n}" in groups[1] for n in range(6))
    # Each checkbox keeps its accessible name, but no visible "Compare …" line repeats.
    assert html.count('<label class="visually-hidden" for="pick-') == 7
    assert 'class="pick-label"' not in html


def test_unpublished_proposals_and_stories_stay_out(client, two_stories, editor):
    hidden = ProposalFactory(slug="hidden", title="Hidden plan")
    hidden.articles.add(two_stories["ukraine-story"])
    draft_story = ArticleFactory(slug="draft-story", title="Draft story")
    ProposalFactory(slug="drafty", title="Drafty plan").articles.add(draft_story)
    html = client.get("/en/proposals/").content.decode()
    assert "Hidden plan" not in html and "Drafty plan" not in html and "Draft story" not in html
    assert compare(client, "ukrain-0", "hidden").status_code == 404


def test_the_list_and_compare_pages_keep_their_query_count(
    client, two_stories, editor, django_assert_max_num_queries
):
    with django_assert_max_num_queries(8):
        assert client.get("/en/proposals/").status_code == 200
    with django_assert_max_num_queries(8):
        assert compare(client, *[f"ukrain-{n}" for n in range(6)]).status_code == 200
