"""django-reversion's admin views (history, compare, revert, recover) obey scope and the
workflow: nothing is read or written out of scope, a revert is an ordinary edit that
never touches workflow fields, and only editors recover deleted objects, as drafts."""

from __future__ import annotations

import pytest
import reversion
from django.core.cache import cache
from django.urls import reverse
from reversion.models import Version

from articles.models import Attribution, AuditEntry
from articles.pending import open_pending
from articles.site.cache import TAG_KEY
from articles.states import State
from articles.workflow import transition
from tests.factories import ArticleFactory, AttributionFactory, moderate, published_article
from tests.security.forms import change_form

pytestmark = pytest.mark.django_db


def saved_revision(obj, user, **changes):
    """Change `obj` and record the change as a revision by `user` (as the admin does)."""
    with reversion.create_revision():
        for name, value in changes.items():
            setattr(obj, name, value)
        obj.save()
        reversion.set_user(user)
    return Version.objects.get_for_object(obj).order_by("-pk").first()


def revert_url(obj, version) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_revision", args=[obj.pk, version.pk])


def recover_url(obj, version) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_recover", args=[version.pk])


def counts() -> tuple[int, int, int]:
    return Attribution.objects.count(), AuditEntry.objects.count(), Version.objects.count()


@pytest.fixture
def theirs(other_contributor):
    """Contributor B's draft statement, with two revisions."""
    article = ArticleFactory(author=other_contributor, title="B's private draft")
    attribution = AttributionFactory(
        article=article, author=other_contributor, statement="B's first wording."
    )
    first = saved_revision(attribution, other_contributor)
    saved_revision(attribution, other_contributor, statement="B's second wording.")
    return attribution, first


def test_a_contributor_cannot_revert_another_contributors_statement(client, contributor, theirs):
    attribution, first = theirs
    before = counts()
    client.force_login(contributor)

    got = client.get(revert_url(attribution, first))
    posted = client.post(
        revert_url(attribution, first),
        {"article": attribution.article_id, "analyst": attribution.analyst_id, "order": 0,
         "kind": "paraphrase", "statement": "Hijacked.", "edit_version": 99},
    )  # fmt: skip

    assert (got.status_code, posted.status_code) == (404, 404)
    attribution.refresh_from_db()
    assert attribution.statement == "B's second wording."
    assert counts() == before
    assert "B&#x27;s private draft" not in got.content.decode()


def test_a_reverted_statement_keeps_its_state_whoever_reverts_it(client, contributor, editor):
    article = published_article(editor, title="Live story")
    attribution = moderate(
        AttributionFactory(article=article, statement="Said while live."), State.PUBLISHED, editor
    )
    when_live = saved_revision(attribution, editor)
    attribution = transition(attribution, "unpublish", by=editor)
    saved_revision(attribution, editor, statement="Reworded after unpublishing.")

    # A contributor, out of scope: refused, nothing written.
    client.force_login(contributor)
    assert client.post(revert_url(attribution, when_live), {}).status_code == 404
    attribution.refresh_from_db()
    assert attribution.state == State.ARCHIVED

    # An editor: the text comes back, the state stays.
    client.force_login(editor)
    page = client.get(revert_url(attribution, when_live))
    assert page.status_code == 200
    response = client.post(revert_url(attribution, when_live), change_form(page.content.decode()))
    assert response.status_code == 302
    attribution.refresh_from_db()
    assert attribution.statement == "Said while live."
    assert (attribution.state, attribution.published_at is not None) == (State.ARCHIVED, True)
    latest = Version.objects.get_for_object(attribution).order_by("-pk").first()
    assert latest.revision.comment.startswith("Reverted to the version saved on")
    assert latest.revision.user == editor


def test_reverting_a_published_statement_waits_for_review_and_readers_keep_the_live_one(
    client, editor, django_capture_on_commit_callbacks
):
    article = published_article(editor, title="Live story")
    attribution = moderate(
        AttributionFactory(article=article, statement="First wording."), State.PUBLISHED, editor
    )
    first = saved_revision(attribution, editor)
    saved_revision(attribution, editor, statement="Second wording.")
    client.force_login(editor)
    page = client.get(revert_url(attribution, first))
    story_tag = TAG_KEY.format(f"story-{article.pk}")
    before = cache.get(story_tag, 0)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(revert_url(attribution, first), change_form(page.content.decode()))

    assert response.status_code == 302
    attribution.refresh_from_db()
    assert attribution.statement == "Second wording."  # live until the pending set is published
    assert open_pending(attribution).data["fields"]["statement"] == "First wording."
    assert cache.get(story_tag, 0) == before  # readers' pages untouched meanwhile


def test_a_revert_from_a_stale_page_is_refused(client, editor, other_editor):
    attribution = AttributionFactory(statement="One.")
    first = saved_revision(attribution, editor)
    saved_revision(attribution, editor, statement="Two.")
    client.force_login(editor)
    page = client.get(revert_url(attribution, first))
    saved_revision(attribution, other_editor, statement="Three, by someone else meanwhile.")

    response = client.post(revert_url(attribution, first), change_form(page.content.decode()))

    assert response.status_code == 200
    assert "was saved again at" in response.content.decode()
    attribution.refresh_from_db()
    assert attribution.statement == "Three, by someone else meanwhile."


def test_a_version_of_another_model_cannot_be_reverted_through_this_one(
    client, contributor, editor
):
    # The same object id in two models: a version id of one must not serve the other.
    mine = AttributionFactory(
        id=4242, author=contributor, article=ArticleFactory(author=contributor)
    )
    article = ArticleFactory(id=4242, title="Editor's original title")
    old = saved_revision(article, editor)
    saved_revision(article, editor, title="Editor's new title")
    client.force_login(contributor)

    response = client.post(revert_url(mine, old), {})

    assert response.status_code == 404
    article.refresh_from_db()
    assert article.title == "Editor's new title"


def test_reverting_ones_own_statement_leaves_the_rest_of_the_revision_alone(
    client, contributor, editor
):
    article = ArticleFactory(author=contributor, title="Mine")
    attribution = AttributionFactory(article=article, author=contributor, statement="Mine, v1.")
    other = AttributionFactory(statement="An editor's statement, v1.")
    with reversion.create_revision():  # one revision holding both (as one admin save can)
        attribution.save()
        other.save()
    old = Version.objects.get_for_object(attribution).get()
    saved_revision(attribution, contributor, statement="Mine, v2.")
    saved_revision(other, editor, statement="An editor's statement, v2.")
    client.force_login(contributor)
    page = client.get(revert_url(attribution, old))
    assert page.status_code == 200

    response = client.post(revert_url(attribution, old), change_form(page.content.decode()))

    assert response.status_code == 302
    attribution.refresh_from_db()
    other.refresh_from_db()
    assert attribution.statement == "Mine, v1."
    assert other.statement == "An editor's statement, v2."


def test_history_and_compare_of_another_contributors_draft_answer_404(client, contributor, theirs):
    attribution, first = theirs
    article = attribution.article
    a1 = saved_revision(article, article.author)
    a2 = saved_revision(article, article.author, title="B's private draft, retitled")
    client.force_login(contributor)

    history = client.get(reverse("admin:articles_article_history", args=[article.pk]))
    compare = client.get(
        reverse("admin:articles_article_compare", args=[article.pk]),
        {"version_id1": a1.pk, "version_id2": a2.pk},
    )

    assert (history.status_code, compare.status_code) == (404, 404)
    assert "retitled" not in compare.content.decode()


def test_contributors_may_not_recover_anything(client, contributor, other_contributor, theirs):
    attribution, first = theirs
    mine = AttributionFactory(author=contributor, article=ArticleFactory(author=contributor))
    my_version = saved_revision(mine, contributor)
    mine.delete()
    attribution.delete()
    before = counts()

    for user in (contributor, other_contributor):
        client.force_login(user)
        assert client.get(reverse("admin:articles_attribution_recoverlist")).status_code == 403
        for obj, version in ((mine, my_version), (attribution, first)):
            assert client.get(recover_url(obj, version)).status_code == 403
            assert client.post(recover_url(obj, version), {}).status_code == 403

    assert counts() == before


def test_an_editor_recovers_a_deleted_statement_as_a_draft(client, editor):
    article = published_article(editor, title="Live story")
    attribution = moderate(
        AttributionFactory(article=article, statement="Was live."), State.PUBLISHED, editor
    )
    version = saved_revision(attribution, editor)
    pk = attribution.pk
    attribution.delete()
    client.force_login(editor)

    listing = client.get(reverse("admin:articles_attribution_recoverlist"))
    page = client.get(recover_url(attribution, version))
    assert (listing.status_code, page.status_code) == (200, 200)
    assert not Attribution.objects.filter(pk=pk).exists()  # showing it wrote nothing
    response = client.post(recover_url(attribution, version), change_form(page.content.decode()))

    assert response.status_code == 302
    recovered = Attribution.objects.get(pk=pk)
    assert recovered.statement == "Was live."
    assert (recovered.state, recovered.published_at, recovered.author) == (
        State.DRAFT, None, editor,
    )  # fmt: skip


def test_recovering_an_object_whose_article_is_gone_fails_cleanly(client, editor):
    attribution = AttributionFactory(statement="Orphan to be.")
    version = saved_revision(attribution, editor)
    attribution.article.delete()
    before = counts()
    client.force_login(editor)

    response = client.post(recover_url(attribution, version), {})

    assert response.status_code in {302, 404}
    assert counts() == before
