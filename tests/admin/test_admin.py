"""The editors' admin: every page renders, roles are scoped, workflow buttons work."""

import re

import pytest
from django.urls import reverse

from articles.models import Article, AuditEntry, Section
from articles.states import State
from tests.factories import (
    ActorFactory,
    AnalystFactory,
    ArticleFactory,
    AttributionFactory,
    EnrichmentBlockFactory,
    ProposalFactory,
    ProposalTermFactory,
    TopicFactory,
    TranslationVersionFactory,
    moderate,
)

pytestmark = pytest.mark.django_db

ADMIN_MODELS = {
    "articles_article": ArticleFactory,
    "articles_attribution": AttributionFactory,
    "articles_enrichmentblock": EnrichmentBlockFactory,
    "articles_analyst": AnalystFactory,
    "articles_topic": TopicFactory,
    "articles_institution": lambda: AnalystFactory().institution,
    "articles_translationversion": TranslationVersionFactory,
    "proposals_proposal": lambda: ProposalTermFactory().proposal,
    "proposals_actor": ActorFactory,
    "proposals_termcategory": lambda: ProposalTermFactory().category,
}


@pytest.mark.parametrize("name", ADMIN_MODELS)
def test_editor_sees_changelist_add_and_change_pages(client, editor, name):
    obj = ADMIN_MODELS[name]()
    client.force_login(editor)
    assert client.get(reverse(f"admin:{name}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:{name}_changelist"), {"q": "a"}).status_code == 200
    assert client.get(reverse(f"admin:{name}_change", args=[obj.pk])).status_code == 200
    if name != "articles_translationversion":
        assert client.get(reverse(f"admin:{name}_add")).status_code == 200


def test_audit_log_is_read_only(client, editor):
    article = moderate(ArticleFactory(), State.IN_REVIEW, editor)
    entry = AuditEntry.objects.get(object_id=article.pk)
    client.force_login(editor)
    assert client.get(reverse("admin:articles_auditentry_changelist")).status_code == 200
    response = client.get(reverse("admin:articles_auditentry_change", args=[entry.pk]))
    assert response.status_code == 200
    assert b'name="action"' not in response.content
    assert client.get(reverse("admin:articles_auditentry_add")).status_code == 403


def article_form_data(article: Article, **overrides) -> dict:
    sections = list(article.sections.all())
    data = {
        "title": article.title,
        "slug": article.slug,
        "standfirst": article.standfirst,
        "byline": article.byline,
        "language": article.language,
        "original_language": article.original_language,
        "translator_credit": article.translator_credit,
        "edit_version": article.edit_version,
        "sections-TOTAL_FORMS": len(sections),
        "sections-INITIAL_FORMS": len(sections),
        "attributions-TOTAL_FORMS": 0,
        "attributions-INITIAL_FORMS": 0,
        "enrichment_blocks-TOTAL_FORMS": 0,
        "enrichment_blocks-INITIAL_FORMS": 0,
        "Proposal_articles-TOTAL_FORMS": 0,
        "Proposal_articles-INITIAL_FORMS": 0,
        "translations-TOTAL_FORMS": 0,
        "translations-INITIAL_FORMS": 0,
    }
    for i, section in enumerate(sections):
        data |= {
            f"sections-{i}-id": section.pk,
            f"sections-{i}-article": article.pk,
            f"sections-{i}-order": section.order,
            f"sections-{i}-heading": section.heading,
            f"sections-{i}-body": section.body,
        }
    return data | overrides


def test_editor_saves_an_article_and_its_sections(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    data = article_form_data(article, title="A sharper title")
    data["sections-0-body"] = "A rewritten lead."
    response = client.post(reverse("admin:articles_article_change", args=[article.pk]), data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    article.refresh_from_db()
    assert article.title == "A sharper title"
    assert article.sections.first().body == "A rewritten lead."
    assert article.text_revision == 2
    assert article.state == State.DRAFT


def test_save_from_a_stale_copy_is_refused_and_keeps_the_users_text(client, editor, other_editor):
    article = ArticleFactory()
    url = reverse("admin:articles_article_change", args=[article.pk])
    stale = article_form_data(article, title="Edith's title")
    client.force_login(other_editor)
    assert client.post(url, article_form_data(article, title="Eddie's title")).status_code == 302

    client.force_login(editor)
    response = client.post(url, stale)

    assert response.status_code == 200
    assert "This article was saved again at" in response.content.decode()
    assert "Edith&#x27;s title" in response.content.decode()  # still in the form
    article.refresh_from_db()
    assert article.title == "Eddie's title"


def test_state_is_not_a_form_field(client, editor):
    article = ArticleFactory()
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, article_form_data(article, state="published"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.state == State.DRAFT


def test_contributor_creates_a_draft_owned_by_them(client, contributor):
    client.force_login(contributor)
    data = {
        "title": "From the field",
        "slug": "from-the-field",
        "standfirst": "",
        "byline": "",
        "language": "en",
        "original_language": "en",
        "translator_credit": "",
        "sections-TOTAL_FORMS": 1,
        "sections-INITIAL_FORMS": 0,
        "sections-0-order": 0,
        "sections-0-heading": "",
        "sections-0-body": "What I saw.",
        "attributions-TOTAL_FORMS": 0,
        "attributions-INITIAL_FORMS": 0,
        "enrichment_blocks-TOTAL_FORMS": 0,
        "enrichment_blocks-INITIAL_FORMS": 0,
        "Proposal_articles-TOTAL_FORMS": 0,
        "Proposal_articles-INITIAL_FORMS": 0,
        "translations-TOTAL_FORMS": 0,
        "translations-INITIAL_FORMS": 0,
    }
    response = client.post(reverse("admin:articles_article_add"), data)
    assert response.status_code == 302
    article = Article.objects.get(slug="from-the-field")
    assert (article.author, article.state) == (contributor, State.DRAFT)
    assert Section.objects.filter(article=article).count() == 1


def test_contributor_cannot_reach_another_contributors_draft(
    client, contributor, other_contributor
):
    theirs = ArticleFactory(author=other_contributor, title="Not yours")
    mine = ArticleFactory(author=contributor, title="Yours")
    client.force_login(contributor)
    changelist = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "Yours" in changelist and "Not yours" not in changelist
    response = client.get(reverse("admin:articles_article_change", args=[theirs.pk]))
    assert response.status_code == 302  # the admin's "does not exist" redirect
    response = client.post(
        reverse("admin:articles_article_change", args=[theirs.pk]),
        article_form_data(theirs, title="Hijacked"),
    )
    theirs.refresh_from_db()
    assert theirs.title == "Not yours"
    assert client.get(reverse("admin:articles_article_change", args=[mine.pk])).status_code == 200


def test_contributor_cannot_edit_own_article_once_submitted(client, editor, contributor):
    article = moderate(ArticleFactory(author=contributor), State.IN_REVIEW, editor)
    client.force_login(contributor)
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert b'name="title"' not in response.content  # read-only view
    client.post(url, article_form_data(article, title="Sneaky"))
    article.refresh_from_db()
    assert article.title != "Sneaky"


def test_contributor_never_sees_approve_or_publish(client, contributor):
    article = ArticleFactory(author=contributor)
    client.force_login(contributor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    assert b"Submit for review" in page
    assert b"Approve" not in page and b">Publish<" not in page
    url = reverse("admin:articles_article_transition", args=[article.pk, "approve"])
    response = client.post(url, {"note": ""})
    assert "Your role may not approve" in response.content.decode()
    article.refresh_from_db()
    assert article.state == State.DRAFT


def test_translator_cannot_use_the_admin(client, translator):
    client.force_login(translator)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_editor_approves_through_the_button(client, editor):
    article = moderate(ArticleFactory(), State.IN_REVIEW, editor)
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content
    url = reverse("admin:articles_article_transition", args=[article.pk, "approve"])
    assert url.encode() in page
    response = client.post(url, {"note": "Good to go"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.state == State.APPROVED
    assert AuditEntry.objects.filter(object_id=article.pk).last().note == "Good to go"


def test_request_changes_without_a_note_asks_for_one(client, editor):
    article = moderate(ArticleFactory(), State.IN_REVIEW, editor)
    client.force_login(editor)
    url = reverse("admin:articles_article_transition", args=[article.pk, "request_changes"])
    response = client.post(url, {"note": ""})
    assert response.status_code == 200
    assert "This field is required" in response.content.decode()
    article.refresh_from_db()
    assert article.state == State.IN_REVIEW


def test_editor_schedules_publication(client, editor):
    article = moderate(ArticleFactory(), State.APPROVED, editor)
    client.force_login(editor)
    url = reverse("admin:articles_article_transition", args=[article.pk, "schedule"])
    response = client.post(url, {"note": "", "publish_at": "2099-01-01T09:00"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.state == State.APPROVED and article.publish_at.year == 2099
    response = client.post(url, {"note": "", "publish_at": "2000-01-01T09:00"})
    assert "future" in response.content.decode()


def test_bulk_publish_reports_what_was_refused(client, editor):
    approved = moderate(ArticleFactory(title="Ready"), State.APPROVED, editor)
    draft = ArticleFactory(title="Not ready")
    client.force_login(editor)
    response = client.post(
        reverse("admin:articles_article_changelist"),
        {"action": "workflow_publish", "_selected_action": [approved.pk, draft.pk]},
        follow=True,
    )
    # Stories are published from a confirmation listing every part of each (see
    # tests/admin/test_story_admin.py); confirming publishes what may be published.
    text = response.content.decode()
    assert "Publish stories" in text and "Ready" in text and "Not ready" in text
    fingerprints = dict(re.findall(r'name="(fingerprint-\d+)" value="(\w+)"', text))
    response = client.post(
        reverse("admin:review_stories"),
        {"action": "publish", "story": [approved.pk, draft.pk], "confirm": "1", **fingerprints},
        follow=True,
    )
    text = response.content.decode()
    assert "“Ready”: story published." in text
    assert "Cannot publish this article" in text
    approved.refresh_from_db()
    draft.refresh_from_db()
    assert (approved.state, draft.state) == (State.PUBLISHED, State.DRAFT)


def test_review_queue_lists_everything_in_review_oldest_first(client, editor, contributor):
    first = moderate(ArticleFactory(title="Oldest piece"), State.IN_REVIEW, editor)
    moderate(AttributionFactory(statement="A fresh claim"), State.IN_REVIEW, editor)
    moderate(ProposalFactory(title="A plan"), State.IN_REVIEW, editor)
    ArticleFactory(title="Still a draft")
    client.force_login(editor)
    response = client.get(reverse("admin:review_queue"))
    text = response.content.decode()
    assert response.status_code == 200
    assert text.index("Oldest piece") < text.index("A fresh claim") < text.index("A plan")
    assert "Still a draft" not in text
    index = client.get(reverse("admin:index")).content.decode()
    assert "3 items waiting for review" in index
    assert first.title in text


def test_contributor_cannot_open_the_review_queue(client, contributor):
    client.force_login(contributor)
    assert client.get(reverse("admin:review_queue")).status_code == 403


def test_revision_history_and_diff_are_available(client, editor):
    import reversion

    article = ArticleFactory(title="First title")
    with reversion.create_revision():
        article.save()
    with reversion.create_revision():
        article.title = "Second title"
        article.save()
    client.force_login(editor)
    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    assert history.status_code == 200
    from reversion.models import Version

    v1, v2 = Version.objects.get_for_object(article).order_by("pk")
    compare = client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"version_id1": v1.pk, "version_id2": v2.pk},
    )
    assert compare.status_code == 200
    assert "Second title" in compare.content.decode()


def test_audit_log_is_searchable_by_note(client, editor):
    moderate(ArticleFactory(), State.REJECTED, editor)
    client.force_login(editor)
    response = client.get(reverse("admin:articles_auditentry_changelist"), {"q": "Needs"})
    assert response.status_code == 200
    assert "Needs work" in response.content.decode()


def test_original_language_filter_lists_only_languages_in_use(client, editor):
    ArticleFactory(original_language="fr", language="en")
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_changelist")).content.decode()
    assert "?original_language=fr" in page
    assert "?original_language=de" not in page
    assert "English (from French)" in page
