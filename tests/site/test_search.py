"""Full-text search: ranked, highlighted, published only, same on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from articles.site import search
from articles.states import State
from articles.workflow import transition
from tests.factories import ArticleFactory, moderate

pytestmark = pytest.mark.django_db


def publish(editor, **kwargs):
    return moderate(ArticleFactory(**kwargs), State.PUBLISHED, editor)


@pytest.fixture
def corpus(editor):
    in_title = publish(
        editor,
        slug="ceasefire-title",
        title="Ceasefire talks resume in Istanbul",
        standfirst="Delegations meet again.",
        sections=[("", "The delegations met on Monday.")],
    )
    in_body = publish(
        editor,
        slug="ceasefire-body",
        title="Energy prices climb",
        standfirst="Markets react.",
        sections=[("", "Traders doubt any ceasefire will hold <b>soon</b>.")],
    )
    publish(editor, slug="unrelated", title="Football results", sections=[("", "Goals.")])
    search.rebuild_index()
    return in_title, in_body


def test_a_title_match_ranks_above_a_body_match(corpus):
    results = search.search("ceasefire", "en")
    assert results.total == 2
    assert [hit.article_id for hit in results.hits] == [corpus[0].pk, corpus[1].pk]


def test_matches_are_highlighted_and_the_text_is_escaped(corpus):
    hit = search.search("ceasefire", "en").hits[1]
    assert "<mark>ceasefire</mark>" in hit.excerpt
    # Text is never trusted as HTML: escaped (SQLite) or dropped as a tag (PostgreSQL).
    assert "soon" in hit.excerpt
    assert "<b>" not in hit.excerpt


def test_every_word_must_match_and_operators_are_plain_words(corpus):
    assert search.search("ceasefire Istanbul", "en").total == 1
    assert search.search('ceasefire" OR "football', "en").total == 0
    assert search.search("NEAR(* -", "en").total == 0
    assert search.search("", "en").hits == []


def test_search_page_shows_ranked_highlighted_results(client, corpus):
    html = client.get("/en/search/?q=ceasefire").content.decode()
    assert "2 articles match “ceasefire”" in html
    assert html.index("Istanbul") < html.index("Energy prices climb")
    assert "<mark>Ceasefire</mark> talks resume in Istanbul" in html
    assert 'href="/en/articles/ceasefire-title/"' in html


def test_search_page_without_results_says_so(client, corpus):
    html = client.get("/en/search/?q=zeppelin").content.decode()
    assert "0 articles match “zeppelin”" in html


def test_publishing_indexes_and_unpublishing_removes_from_search(
    editor, client, django_capture_on_commit_callbacks
):
    # The index is maintained on commit by public_content_changed.
    with django_capture_on_commit_callbacks(execute=True):
        article = publish(editor, slug="new", title="Drone strike on refinery")
    assert [h.article_id for h in search.search("refinery", "en").hits] == [article.pk]
    with django_capture_on_commit_callbacks(execute=True):
        transition(article, "unpublish", by=editor)
    assert search.search("refinery", "en").total == 0
    assert "Drone strike" not in client.get("/en/search/?q=refinery").content.decode()


def test_a_published_translation_is_searchable_in_its_language(
    editor, corpus, django_capture_on_commit_callbacks
):
    from tests.factories import TranslationVersionFactory

    with django_capture_on_commit_callbacks(execute=True):
        version = TranslationVersionFactory(
            article=corpus[0], title="Reprise des pourparlers de cessez-le-feu", version=1
        )
        moderate(version, State.APPROVED, editor)  # the article is live: published at once
    assert [h.article_id for h in search.search("pourparlers", "fr").hits] == [corpus[0].pk]
    assert search.search("pourparlers", "en").total == 0


def test_a_stale_index_row_never_shows_an_unpublished_article(editor, corpus):
    article = corpus[0]
    # Bypass the hook: the row stays in the index, the article is no longer published.
    type(article).objects.filter(pk=article.pk).update(state=State.ARCHIVED)
    hits = search.search("ceasefire", "en").hits
    assert [h.article_id for h in hits] == [corpus[1].pk]
    assert search.matching_article_ids("ceasefire") == [corpus[1].pk]


def test_matching_article_ids_across_languages_for_the_api(corpus):
    assert search.matching_article_ids("ceasefire") == [corpus[0].pk, corpus[1].pk]
    assert search.matching_article_ids("ceasefire", "fr") == []
