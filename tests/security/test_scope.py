"""Nobody reads or links someone else's private work through a side door: choice fields,
autocomplete, inline rows, the preview, the translators' workspace and its API."""

from __future__ import annotations

import json

import pytest
from django import forms
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from articles.admin.moderation import ModeratedAdmin, ScopedInlineMixin
from articles.models import Attribution, Moderated, TranslationVersion
from articles.states import State
from articles.workflow import transition
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    EnrichmentBlockFactory,
    ProposalFactory,
    TranslationVersionFactory,
    moderate,
    published_article,
)
from tests.security.forms import change_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def theirs(other_contributor):
    """Contributor B's private work: a draft article and a draft proposal."""
    article = ArticleFactory(author=other_contributor, title="B-secret-article")
    proposal = ProposalFactory(author=other_contributor, title="B-secret-proposal")
    return article, proposal


def test_a_contributor_cannot_attach_a_statement_to_someone_elses_draft(
    client, contributor, theirs, django_assert_num_queries
):
    article, _ = theirs
    analyst = AttributionFactory().analyst
    client.force_login(contributor)
    data = {"article": article.pk, "analyst": analyst.pk, "kind": "quote", "statement": "Mine.",
            "order": 0}  # fmt: skip

    response = client.post(reverse("admin:articles_attribution_add"), data)

    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Attribution.objects.filter(statement="Mine.").exists()
    mine = ArticleFactory(author=contributor)
    data["article"] = mine.pk
    assert client.post(reverse("admin:articles_attribution_add"), data).status_code == 302


def test_a_contributor_cannot_link_someone_elses_private_proposal(client, contributor, theirs):
    _, proposal = theirs
    mine = ArticleFactory(author=contributor)
    url = reverse("admin:articles_article_change", args=[mine.pk])
    client.force_login(contributor)
    data = change_form(client.get(url).content.decode())
    data |= {"Proposal_articles-TOTAL_FORMS": ["1"], "Proposal_articles-0-proposal": [proposal.pk]}

    response = client.post(url, data)

    assert response.status_code == 200
    assert not proposal.articles.exists()


def test_a_contributor_cannot_link_their_proposal_to_someone_elses_article(
    client, contributor, theirs
):
    article, _ = theirs
    mine = ProposalFactory(author=contributor, title="Mine")
    url = reverse("admin:proposals_proposal_change", args=[mine.pk])
    client.force_login(contributor)
    data = change_form(client.get(url).content.decode())
    data["articles"] = [article.pk]

    response = client.post(url, data)

    assert response.status_code == 200
    assert not mine.articles.exists()


def test_autocomplete_offers_only_what_the_user_may_work_on(client, contributor, theirs):
    ArticleFactory(author=contributor, title="Mine to quote")
    client.force_login(contributor)

    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "articles", "model_name": "attribution", "field_name": "article", "term": ""},
    )

    text = response.content.decode()
    assert response.status_code == 200
    assert "Mine to quote" in text and "B-secret" not in text


def test_every_choice_of_moderated_objects_in_every_admin_form_is_scoped(
    contributor, other_contributor, theirs
):
    """The census of choices: every form the admin builds (change forms and inline
    forms), every choice field over a moderated model, for a contributor."""
    foreign = {
        model: set(model.objects.filter(author=other_contributor).values_list("pk", flat=True))
        for model in (m for m in admin.site._registry if issubclass(m, Moderated))
    }
    foreign[Attribution] = {AttributionFactory(author=other_contributor).pk}
    request = RequestFactory().get("/admin/")
    request.user = contributor
    checked = 0
    for model, model_admin in admin.site._registry.items():
        form_classes = [model_admin.get_form(request)]
        for inline in model_admin.get_inline_instances(request):
            if isinstance(model_admin, ModeratedAdmin):
                assert isinstance(inline, ScopedInlineMixin), f"{type(inline).__name__} unscoped"
            form_classes.append(inline.get_formset(request).form)
        for form_class in form_classes:
            for name, field in form_class.base_fields.items():
                if not isinstance(field, forms.ModelChoiceField):
                    continue
                target = field.queryset.model
                if issubclass(target, Moderated):
                    offered = set(field.queryset.values_list("pk", flat=True))
                    assert not offered & foreign.get(target, set()), (model, name)
                    checked += 1
    assert checked >= 4


def test_links_a_contributor_cannot_see_survive_their_save(client, contributor, editor):
    live = published_article(editor, title="Editor's live story")
    mine = ProposalFactory(author=contributor, title="My plan")
    mine.articles.add(live)  # linked by an editor
    url = reverse("admin:proposals_proposal_change", args=[mine.pk])
    client.force_login(contributor)
    page = client.get(url).content.decode()
    data = change_form(page)
    data["title"] = ["My better plan"]

    assert client.post(url, data).status_code == 302
    mine.refresh_from_db()
    assert mine.title == "My better plan"
    assert list(mine.articles.all()) == [live]


def test_a_contributor_cannot_change_their_statement_in_review_through_the_article(
    client, contributor, editor
):
    article = ArticleFactory(author=contributor)
    waiting = moderate(
        AttributionFactory(article=article, author=contributor, statement="Under review."),
        State.IN_REVIEW,
        editor,
    )
    url = reverse("admin:articles_article_change", args=[article.pk])
    client.force_login(contributor)
    data = change_form(client.get(url).content.decode())
    assert "Under review." not in json.dumps(data)
    data |= {
        "attributions-TOTAL_FORMS": ["1"], "attributions-INITIAL_FORMS": ["1"],
        "attributions-0-id": [waiting.pk], "attributions-0-article": [article.pk],
        "attributions-0-analyst": [waiting.analyst_id], "attributions-0-kind": ["quote"],
        "attributions-0-statement": ["Changed while in review."], "attributions-0-order": ["0"],
        "attributions-0-edit_version": [waiting.edit_version],
    }  # fmt: skip

    client.post(url, data)

    waiting.refresh_from_db()
    assert waiting.statement == "Under review."


@pytest.fixture
def crowded(contributor, other_contributor, other_translator):
    """Contributor A's draft, with what others attached to it while it was elsewhere:
    B's draft statement, block and proposal, translator B's draft French version."""
    article = ArticleFactory(author=contributor, title="A's story")
    AttributionFactory(article=article, author=other_contributor, statement="B-secret-statement")
    EnrichmentBlockFactory(article=article, author=other_contributor, title="B-secret-block")
    ProposalFactory(author=other_contributor, title="B-secret-proposal").articles.add(article)
    TranslationVersionFactory(
        article=article, author=other_translator, translator=other_translator, version=1,
        title="TB-secret-version", credit="TB-secret-credit",
    )  # fmt: skip
    return article


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_preview_leaves_out_what_is_private_to_someone_else(
    client, contributor, editor, crowded, language
):
    url = reverse("admin:articles_article_preview", args=[crowded.pk, language])
    client.force_login(contributor)
    mine = client.get(url)
    client.force_login(editor)
    editors = client.get(url).content.decode()

    assert mine.status_code == (200 if language == "en" else 404)
    assert "secret" not in mine.content.decode()
    if language == "en":
        assert "B-secret-statement" in editors and "B-secret-proposal" in editors
    else:
        assert "TB-secret-version" in editors


def test_translators_see_no_contributors_draft(client, translator, other_contributor, theirs):
    article, _ = theirs
    submitted = moderate(
        ArticleFactory(author=other_contributor, title="B-in-review", slug="b-in-review"),
        State.IN_REVIEW,
        other_contributor,
    )
    client.force_login(translator)

    index = client.get("/translate/").content.decode()
    edit = client.get(reverse("translate:edit", args=[article.slug, "fr"]))
    api = client.post(
        "/api/v1/translations/",
        json.dumps({"article": article.slug, "language": "fr", "title": "T", "standfirst": "S",
                    "sections": [{"heading": "", "paragraphs": ["P"]}]}),
        content_type="application/json",
    )  # fmt: skip

    assert "B-secret" not in index and "B-in-review" in index
    assert edit.status_code == 404 and "B-secret" not in edit.content.decode()
    assert api.status_code == 400 and "B-secret" not in api.content.decode()
    assert not TranslationVersion.objects.exists()
    assert client.get(reverse("translate:edit", args=[submitted.slug, "fr"])).status_code == 200


def test_view_on_site_redirects_only_for_objects_the_user_may_see(client, contributor, editor):
    from django.contrib.contenttypes.models import ContentType

    theirs = ArticleFactory(slug="someone-elses-secret-plan")
    live = published_article(editor, slug="live-story")
    article_type = ContentType.objects.get_for_model(theirs).pk
    client.force_login(contributor)

    hidden = client.get(reverse("admin:view_on_site", args=[article_type, theirs.pk]))

    assert hidden.status_code == 404
    assert "someone-elses-secret-plan" not in hidden.get("Location", "") + hidden.content.decode()
    client.force_login(editor)
    shown = client.get(reverse("admin:view_on_site", args=[article_type, live.pk]))
    assert shown.status_code == 302 and shown["Location"].endswith("/en/articles/live-story/")


def test_a_translators_version_of_an_article_sent_back_shows_the_title_it_was_made_from(
    client, translator, other_contributor, editor
):
    from articles.translations.domain import TranslationInput, save_translation_draft

    article = moderate(
        ArticleFactory(author=other_contributor, title="As submitted", sections=[("", "Lead.")]),
        State.IN_REVIEW,
        other_contributor,
    )
    draft = save_translation_draft(
        article, "fr", TranslationInput("Tel que soumis", "Chapô.", [{"heading": "",
        "paragraphs": ["Chapeau."]}]), by=translator,
    )  # fmt: skip
    transition(article, "request_changes", by=editor, note="Rework it.")
    article.title = "B-secret-rework"
    article.save()
    client.force_login(translator)

    index = client.get("/translate/").content.decode()
    page = client.get(reverse("translate:version", args=[draft.pk])).content.decode()

    assert "B-secret" not in index and "B-secret" not in page
    assert "As submitted" in page
