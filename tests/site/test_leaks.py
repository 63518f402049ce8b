"""Only published content reaches readers: every page, the feed, the sitemap, search.

Everything unpublished carries the marker "zqleak" in its text and "leak" in its
slug; a crawl of every public URL must never show the marker, and every unpublished
thing's own URL answers 404.
"""

from __future__ import annotations

import pytest

from articles.site import search
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

MARKER = "zqleak"
UNPUBLISHED = [
    State.DRAFT,
    State.IN_REVIEW,
    State.CHANGES_REQUESTED,
    State.APPROVED,
    State.REJECTED,
    State.ARCHIVED,
]


def proposal(slug: str, *, articles) -> object:
    p = ProposalFactory(slug=slug, title=f"{MARKER} proposal {slug}", summary=MARKER)
    ProposalTerm.objects.create(
        proposal=p, category=TermCategory.for_label(f"{MARKER} category {slug}"), text=MARKER
    )
    p.articles.add(*articles)
    return p


def leaky_article(editor, state: State):
    """An article in `state` whose children are all approved (published if it once was)."""
    article = ArticleFactory(
        slug=f"leak-{state}",
        title=f"{MARKER} article {state}",
        standfirst=MARKER,
        sections=[("", f"{MARKER} lead"), (f"{MARKER} heading", MARKER)],
    )
    article.topics.add(TopicFactory(slug=f"leak-topic-{state}", name=f"{MARKER} {state}"))
    analyst = AnalystFactory(slug=f"leak-analyst-{state}", name=f"{MARKER} analyst {state}")
    children = [
        AttributionFactory(article=article, analyst=analyst, statement=MARKER),
        EnrichmentBlockFactory(article=article, title=MARKER, items=[MARKER]),
        proposal(f"leak-proposal-{state}", articles=[article]),
        # For the approved article: an approved translation that is not live.
        TranslationVersionFactory(article=article, title=f"{MARKER} fr", version=1),
    ]
    for child in children:
        moderate(child, State.APPROVED, editor)
    # Archived: published (children with it) then unpublished, leaving published
    # statements and a published proposal attached to an unpublished article.
    return moderate(article, state, editor)


@pytest.fixture
def world(editor, story):
    for state in UNPUBLISHED:
        leaky_article(editor, state)
    # The published story gets children in every unpublished state.
    for state in UNPUBLISHED:
        analyst = AnalystFactory(slug=f"leak-only-{state}", name=f"{MARKER} only {state}")
        moderate(
            AttributionFactory(article=story, analyst=analyst, statement=f"{MARKER} {state}"),
            state,
            editor,
        )
        moderate(
            EnrichmentBlockFactory(article=story, title=f"{MARKER} {state}", items=[MARKER]),
            state,
            editor,
        )
        moderate(proposal(f"leak-vis-proposal-{state}", articles=[story]), state, editor)
    moderate(
        TranslationVersionFactory(article=story, language="fr", title=MARKER, version=2),
        State.IN_REVIEW,
        editor,
    )
    search.rebuild_index()
    return story


def public_urls() -> list[str]:
    urls = ["/sitemap.xml", "/robots.txt"]
    for lang in ("en", "fr"):
        urls += [
            f"/{lang}/",
            f"/{lang}/?page=2",
            f"/{lang}/articles/putin-talks/",
            f"/{lang}/topics/ukraine/",
            f"/{lang}/analysts/",
            f"/{lang}/analysts/alexander-gabuev/",
            f"/{lang}/analysts/tatiana-stanovaya/",
            f"/{lang}/proposals/",
            f"/{lang}/proposals/us-plan/",
            f"/{lang}/proposals/eu-plan/",
            f"/{lang}/proposals/compare/?slugs=us-plan,eu-plan",
            f"/{lang}/feed/",
            f"/{lang}/search/?q={MARKER}",
            f"/{lang}/search/?q=talks",
        ]
    return urls


def hidden_urls() -> list[str]:
    urls = []
    for lang in ("en", "fr"):
        for state in UNPUBLISHED:
            urls += [
                f"/{lang}/articles/leak-{state}/",
                f"/{lang}/topics/leak-topic-{state}/",
                f"/{lang}/analysts/leak-analyst-{state}/",
                f"/{lang}/analysts/leak-only-{state}/",
                f"/{lang}/proposals/leak-proposal-{state}/",
                f"/{lang}/proposals/leak-vis-proposal-{state}/",
                f"/{lang}/proposals/compare/?slugs=us-plan,leak-vis-proposal-{state}",
                f"/{lang}/proposals/compare/?slugs=us-plan,leak-proposal-{state}",
            ]
    return urls


def test_no_public_page_feed_sitemap_or_search_shows_unpublished_content(client, world):
    for url in public_urls():
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        if f"q={MARKER}" in url:
            # The page repeats the reader's query (in the page's language); it finds nothing.
            nothing = {
                "en": f"0 articles match “{MARKER}”",
                "fr": f"0 article correspond à « {MARKER} »",
            }
            assert nothing[url.split("/")[1]] in body, url
            assert 'class="result"' not in body, url
            body = body.replace(MARKER, "")
        assert MARKER not in body, url
        assert "leak-" not in body, url


def test_the_published_page_still_shows_its_published_parts(client, world):
    html = client.get("/en/articles/putin-talks/").content.decode()
    assert "The Kremlin is buying time." in html and "US 28-point plan" in html


def test_everything_unpublished_answers_404(client, world):
    for url in hidden_urls():
        assert client.get(url).status_code == 404, url


def test_search_finds_nothing_unpublished(world):
    for lang in ("en", "fr"):
        assert search.search(MARKER, lang).hits == []
    assert search.matching_article_ids(MARKER) == []


def test_signed_in_staff_see_no_more_than_readers_on_the_public_site(client, world, editor):
    client.force_login(editor)
    for url in public_urls():
        if f"q={MARKER}" not in url:
            assert MARKER not in client.get(url).content.decode(), url


def test_the_tricky_cases_are_really_there(world):
    from articles.models import Attribution, TranslationVersion
    from proposals.models import Proposal

    # A published statement and a published proposal attached only to an unpublished article.
    assert Attribution.objects.get(article__slug="leak-archived").state == State.PUBLISHED
    assert Proposal.objects.get(slug="leak-proposal-archived").state == State.PUBLISHED
    # An approved translation that is not live (its article is only approved).
    assert TranslationVersion.objects.get(article__slug="leak-approved").state == State.APPROVED
