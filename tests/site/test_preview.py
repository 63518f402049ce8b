"""Editors (and an article's own contributor) preview an unpublished article from the
admin exactly as readers will see it; readers still get 404 for it."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import Section
from articles.states import State
from proposals.models import ProposalTerm, TermCategory
from tests.factories import (
    AnalystFactory,
    ArticleFactory,
    AttributionFactory,
    EnrichmentBlockFactory,
    ProposalFactory,
    TranslationVersionFactory,
    moderate,
    published_article,
)

pytestmark = pytest.mark.django_db

MAX_QUERIES = 13  # the public page, plus session, user and roles (corrections included)


def preview_url(article, language: str = "en") -> str:
    return f"/admin/articles/article/{article.pk}/preview/{language}/"


@pytest.fixture
def draft(contributor, editor):
    """A contributor's draft with a statement in review, a draft block, a rejected
    statement, an approved proposal and a French translation in review."""
    article = ArticleFactory(
        slug="ceasefire-draft",
        title="Ceasefire talks resume in Istanbul",
        standfirst="Both sides send delegations.",
        byline="Marie Dupont",
        author=contributor,
        sections=[("", "Delegations met on Monday."), ("Next steps", "A second round.")],
    )
    moderate(
        AttributionFactory(
            article=article,
            author=contributor,
            analyst=AnalystFactory(name="Tatiana Stanovaya"),
            statement="Moscow is playing for time.",
        ),
        State.IN_REVIEW,
        editor,
    )
    moderate(
        AttributionFactory(article=article, statement="A rejected claim about the talks."),
        State.REJECTED,
        editor,
    )
    EnrichmentBlockFactory(article=article, kind="key_points", title="Key points", items=["Talks."])
    proposal = ProposalFactory(title="Istanbul framework")
    ProposalTerm.objects.create(
        proposal=proposal,
        category=TermCategory.for_label("Security guarantees"),
        text="Neutral status.",
    )
    proposal.articles.add(article)
    moderate(proposal, State.APPROVED, editor)
    moderate(
        TranslationVersionFactory(
            article=article, language="fr", title="Reprise des pourparlers à Istanbul", version=1
        ),
        State.IN_REVIEW,
        editor,
    )
    return article


def test_editor_previews_a_draft_as_readers_will_see_it(client, editor, draft):
    client.force_login(editor)
    response = client.get(preview_url(draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ceasefire talks resume in Istanbul" in html
    assert "Delegations met on Monday." in html and "<h2>Next steps</h2>" in html
    assert 'class="preview-banner"' in html
    assert "Preview — not published (state: draft)" in html
    assert '<meta name="robots" content="noindex">' in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    # The readers' template: the same story layout, statements and comparison table.
    assert 'class="story__title"' in html and 'class="statement-card"' in html
    assert 'class="term"' in html and "Neutral status." in html


def test_the_in_review_statement_is_shown_and_marked_not_yet_published(client, editor, draft):
    client.force_login(editor)
    html = client.get(preview_url(draft)).content.decode()
    card = html[html.index("Moscow is playing for time.") :].split("</li>")[0]
    assert "Not yet published (in review)" in card
    assert "Tatiana Stanovaya" in card
    assert "Not yet published (draft)" in html  # the key points block
    assert "Istanbul framework:" in html and "Not yet published (approved)" in html


def test_rejected_items_are_left_out_of_the_preview(client, editor, draft):
    client.force_login(editor)
    html = client.get(preview_url(draft)).content.decode()
    assert "A rejected claim" not in html
    assert html.count('class="statement-card"') == 1


def test_published_parts_of_a_published_article_are_not_marked(client, editor):
    article = ArticleFactory(slug="live", title="Live story")
    moderate(
        AttributionFactory(article=article, statement="Already public."), State.APPROVED, editor
    )
    article = moderate(article, State.PUBLISHED, editor)
    moderate(AttributionFactory(article=article, statement="Added later."), State.IN_REVIEW, editor)
    client.force_login(editor)
    html = client.get(preview_url(article)).content.decode()
    assert "Preview — published; items marked below are not (state: published)" in html
    assert html.count('class="statement-card"') == 2
    assert html.count('class="preview-mark ') == 1
    later = html[html.index("Added later.") :].split("</li>")[0]
    assert "Not yet published (in review)" in later


def test_the_preview_in_french_shows_the_translation_in_review(client, editor, draft):
    client.force_login(editor)
    response = client.get(preview_url(draft, "fr"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Reprise des pourparlers à Istanbul" in html
    assert "Text: FR version 1 (in review)" in html
    assert '<html lang="fr">' in html
    assert response["Content-Language"] == "fr"
    # The language switcher stays inside the preview.
    assert f'href="{preview_url(draft, "en")}"' in html


def test_a_language_without_a_text_or_unknown_answers_404(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    assert client.get(preview_url(article, "fr")).status_code == 404
    assert client.get(preview_url(article, "xx")).status_code == 404
    assert client.get("/admin/articles/article/999999/preview/en/").status_code == 404


def test_contributor_previews_their_own_draft(client, contributor, draft):
    client.force_login(contributor)
    response = client.get(preview_url(draft))
    assert response.status_code == 200
    assert "Ceasefire talks resume in Istanbul" in response.content.decode()


def test_contributor_cannot_preview_another_contributors_draft(client, other_contributor, draft):
    client.force_login(other_contributor)
    response = client.get(preview_url(draft))
    assert response.status_code == 404
    assert "Ceasefire talks" not in response.content.decode()


def test_anonymous_visitor_is_sent_to_the_admin_login(client, draft):
    response = client.get(preview_url(draft))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert "Ceasefire talks" not in response.content.decode()


def test_a_translator_is_sent_to_the_admin_login(client, translator, draft):
    client.force_login(translator)  # not staff
    response = client.get(preview_url(draft))
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_the_preview_is_never_cached(client, editor, draft):
    client.force_login(editor)
    first = client.get(preview_url(draft))
    assert "no-cache" in first["Cache-Control"] and "private" in first["Cache-Control"]
    draft.title = "Ceasefire talks collapse in Istanbul"
    draft.save()
    Section.objects.filter(article=draft, heading="").update(body="Delegations left on Tuesday.")
    html = client.get(preview_url(draft)).content.decode()
    assert "Ceasefire talks collapse in Istanbul" in html
    assert "Delegations left on Tuesday." in html
    assert "Ceasefire talks resume" not in html


def test_the_public_url_of_the_draft_still_answers_404(client, editor, draft):
    client.force_login(editor)
    assert client.get(preview_url(draft)).status_code == 200
    client.logout()
    assert client.get("/en/articles/ceasefire-draft/").status_code == 404
    assert client.get("/fr/articles/ceasefire-draft/").status_code == 404
    client.force_login(editor)
    assert client.get("/en/articles/ceasefire-draft/").status_code == 404


def test_the_preview_runs_a_bounded_number_of_queries(client, editor):
    def draft_with(n: int):
        article = ArticleFactory(sections=[])
        Section.objects.bulk_create(
            Section(article=article, order=i, heading=f"Part {i}" if i else "", body="Text.")
            for i in range(n)
        )
        for i in range(n):
            moderate(AttributionFactory(article=article, order=i), State.IN_REVIEW, editor)
            EnrichmentBlockFactory(article=article, order=i)
            proposal = ProposalFactory()
            proposal.articles.add(article)
            ProposalTerm.objects.create(
                proposal=proposal, category=TermCategory.for_label(f"Category {i}"), text="T."
            )
        TranslationVersionFactory(article=article, version=1)
        return article

    client.force_login(editor)

    def count(article) -> int:
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(preview_url(article)).content.decode()
        assert html.count('class="statement-card"') == article.attributions.count()
        return len(ctx.captured_queries)

    few, many = count(draft_with(2)), count(draft_with(20))
    assert few == many
    assert many <= MAX_QUERIES


def test_the_change_page_of_a_draft_offers_preview_not_view_on_site(client, editor, draft):
    client.force_login(editor)
    html = client.get(f"/admin/articles/article/{draft.pk}/change/").content.decode()
    assert f'<a class="previewlink" href="{preview_url(draft)}">Preview</a>' in html
    assert "View on site" not in html


def test_the_change_page_of_a_published_article_keeps_view_on_site(client, editor):
    article = published_article(editor, slug="live-story")
    client.force_login(editor)
    html = client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "View on site" in html
    assert 'class="previewlink"' in html  # unpublished additions can be previewed too
    view_on_site = client.get(f"/admin/r/{_content_type_id()}/{article.pk}/")
    assert view_on_site["Location"].endswith("/en/articles/live-story/")


def _content_type_id() -> int:
    from django.contrib.contenttypes.models import ContentType

    from articles.models import Article

    return ContentType.objects.get_for_model(Article).pk


def test_the_review_queue_links_to_the_preview(client, editor, draft):
    article = moderate(ArticleFactory(title="Waiting for review"), State.IN_REVIEW, editor)
    client.force_login(editor)
    html = client.get("/admin/review/").content.decode()
    row = html[html.index("Waiting for review") :].split("</tr>")[0]
    assert f'href="{preview_url(article)}">Preview</a>' in row
    # A translation in review is previewed in its language.
    assert f'href="{preview_url(draft, "fr")}">Preview</a>' in html
