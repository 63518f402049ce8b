"""Editors view and revert old revisions in the admin history (django-reversion): the
content comes back, the workflow fields (state, author, dates, edit version) stay."""

from __future__ import annotations

import importlib

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from articles.states import State
from proposals.models import Proposal
from tests.admin.test_admin import article_form_data
from tests.factories import ArticleFactory, ProposalFactory, ProposalTermFactory, moderate

pytestmark = pytest.mark.django_db

WORKFLOW = ("state", "author_id", "created_at", "state_changed_at", "submitted_at",
            "reviewed_at", "reviewed_by_id", "publish_at", "published_at")  # fmt: skip


def posted_form(response) -> dict:
    """What a browser would post back from an admin change (or revision) page."""
    data = {}

    def add(form):
        for name, field in form.fields.items():
            value = form[name].value()
            if value is None or getattr(field.widget, "input_type", "") == "checkbox" and not value:
                continue
            if isinstance(value, list | tuple):
                data[form.add_prefix(name)] = [str(v) for v in value]
            else:
                data[form.add_prefix(name)] = str(value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form)
        for form in formset.forms:
            add(form)
    return data


def history_page(client, app_model: str, obj) -> int:
    return client.get(reverse(f"admin:{app_model}_history", args=[obj.pk])).status_code


def test_an_editor_views_and_reverts_an_old_article_revision(client, editor, contributor):
    article = ArticleFactory(author=contributor, title="First title")
    client.force_login(editor)
    change = reverse("admin:articles_article_change", args=[article.pk])
    assert client.post(change, article_form_data(article)).status_code == 302
    article.refresh_from_db()
    edited = article_form_data(article, title="Second title")
    edited["sections-0-body"] = "A rewritten lead."
    assert client.post(change, edited).status_code == 302
    article = moderate(Article.objects.get(pk=article.pk), State.APPROVED, editor)
    before = Article.objects.values(*WORKFLOW, "edit_version").get(pk=article.pk)
    first, _second = Version.objects.get_for_object(article).order_by("pk")
    assert history_page(client, "articles_article", article) == 200
    url = reverse("admin:articles_article_revision", args=[article.pk, first.pk])

    page = client.get(url)

    assert page.status_code == 200
    assert 'value="First title"' in page.content.decode()
    assert Article.objects.get(pk=article.pk).title == "Second title"  # viewing changes nothing

    response = client.post(url, posted_form(page))

    assert response.status_code == 302, response.context and response.context["errors"]
    article = Article.objects.get(pk=article.pk)
    assert article.title == "First title"
    assert article.sections.first().body == "The lead paragraph."
    after = Article.objects.values(*WORKFLOW, "edit_version").get(pk=article.pk)
    assert {k: after[k] for k in WORKFLOW} == {k: before[k] for k in WORKFLOW}
    assert after["state"] == State.APPROVED and after["author_id"] == contributor.pk
    assert after["edit_version"] > before["edit_version"]


def test_an_editor_views_and_reverts_an_old_proposal_revision(client, editor):
    proposal = ProposalFactory(title="Old plan")
    ProposalTermFactory(proposal=proposal, text="Old term.")
    with reversion.create_revision():
        proposal.save()
    with reversion.create_revision():
        proposal.title = "New plan"
        proposal.save()
        proposal.terms.update(text="New term.")
    proposal = moderate(Proposal.objects.get(pk=proposal.pk), State.IN_REVIEW, editor)
    before = Proposal.objects.values(*WORKFLOW).get(pk=proposal.pk)
    first = Version.objects.get_for_object(proposal).order_by("pk").first()
    client.force_login(editor)
    assert history_page(client, "proposals_proposal", proposal) == 200
    url = reverse("admin:proposals_proposal_revision", args=[proposal.pk, first.pk])

    page = client.get(url)
    assert page.status_code == 200
    response = client.post(url, posted_form(page))

    assert response.status_code == 302, response.context and response.context["errors"]
    proposal = Proposal.objects.get(pk=proposal.pk)
    assert proposal.title == "Old plan"
    assert [t.text for t in proposal.terms.all()] == ["Old term."]
    assert Proposal.objects.values(*WORKFLOW).get(pk=proposal.pk) == before


def test_older_revisions_move_to_the_format_that_keeps_workflow_fields(editor):
    from django.apps import apps

    migration = importlib.import_module("articles.migrations.0006_revisions_keep_workflow_fields")
    article = ArticleFactory()
    proposal = ProposalFactory()
    with reversion.create_revision():
        article.save()
        proposal.save()
    Version.objects.update(format="json")  # as revisions were stored before

    migration.forwards(apps, None)

    formats = {v.content_type.model: v.format for v in Version.objects.all()}
    assert formats == {
        "article": "newsroom-revision",
        "section": "json",
        "proposal": "newsroom-revision",
    }
    moderate(article, State.IN_REVIEW, editor)
    Version.objects.get_for_object(article).get().revert()  # no NOT NULL error
    assert Article.objects.get(pk=article.pk).state == State.IN_REVIEW
