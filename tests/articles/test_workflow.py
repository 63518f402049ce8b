"""The one moderation workflow: every transition, every role, audit entries, scheduling."""

import datetime

import pytest
from django.utils import timezone

from articles.models import Article, AuditEntry, TranslationVersion
from articles.states import State
from articles.workflow import (
    TRANSITIONS,
    IllegalTransition,
    NoteRequired,
    TransitionNotPermitted,
    available_transitions,
    publish_due,
    transition,
)
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    EnrichmentBlockFactory,
    ProposalFactory,
    TranslationVersionFactory,
    moderate,
)

pytestmark = pytest.mark.django_db

# action -> (state it starts from, state it leads to)
PATHS = {
    "submit": (State.DRAFT, State.IN_REVIEW),
    "approve": (State.IN_REVIEW, State.APPROVED),
    "request_changes": (State.IN_REVIEW, State.CHANGES_REQUESTED),
    "reject": (State.IN_REVIEW, State.REJECTED),
    "publish": (State.APPROVED, State.PUBLISHED),
    "unpublish": (State.PUBLISHED, State.ARCHIVED),
    "reopen": (State.REJECTED, State.DRAFT),
}

MODEL_FACTORIES = {
    "article": ArticleFactory,
    "attribution": AttributionFactory,
    "enrichment_block": EnrichmentBlockFactory,
    "proposal": ProposalFactory,
}


def audit_trail(obj):
    return list(
        AuditEntry.objects.filter(object_id=obj.pk, content_type__model=obj._meta.model_name)
    )


@pytest.mark.parametrize("kind", MODEL_FACTORIES)
@pytest.mark.parametrize("action", PATHS)
def test_editor_can_apply_every_transition(kind, action, editor, contributor):
    start, end = PATHS[action]
    obj = moderate(MODEL_FACTORIES[kind](author=contributor), start, editor)
    before = len(audit_trail(obj))

    obj = transition(obj, action, by=editor, note="Because.")

    obj.refresh_from_db()
    assert obj.state == end
    entries = audit_trail(obj)
    assert len(entries) == before + 1
    entry = entries[-1]
    assert (entry.action, entry.actor, entry.data["from"], entry.data["to"], entry.note) == (
        f"moderation.{action}",
        editor,
        start,
        end,
        "Because.",
    )


@pytest.mark.parametrize("kind", MODEL_FACTORIES)
def test_contributor_submits_own_draft_and_resubmits_after_changes(kind, editor, contributor):
    obj = MODEL_FACTORIES[kind](author=contributor)
    obj = transition(obj, "submit", by=contributor)
    assert obj.state == State.IN_REVIEW
    obj = transition(obj, "request_changes", by=editor, note="Source the second claim.")
    obj = transition(obj, "submit", by=contributor)
    assert obj.state == State.IN_REVIEW


@pytest.mark.parametrize("kind", MODEL_FACTORIES)
@pytest.mark.parametrize("action", [a for a in PATHS if a != "submit"])
def test_contributor_is_refused_every_editorial_transition(kind, action, editor, contributor):
    start, _end = PATHS[action]
    obj = moderate(MODEL_FACTORIES[kind](author=contributor), start, editor)
    with pytest.raises(TransitionNotPermitted):
        transition(obj, action, by=contributor, note="x")
    obj.refresh_from_db()
    assert obj.state == start


@pytest.mark.parametrize("action", PATHS)
def test_translator_is_refused_every_transition_on_articles(action, editor, translator):
    start, _end = PATHS[action]
    article = moderate(ArticleFactory(author=translator), start, editor)
    with pytest.raises(TransitionNotPermitted):
        transition(article, action, by=translator, note="x")


def test_contributor_cannot_submit_another_contributors_draft(contributor, other_contributor):
    article = ArticleFactory(author=other_contributor)
    with pytest.raises(TransitionNotPermitted):
        transition(article, "submit", by=contributor)
    article.refresh_from_db()
    assert article.state == State.DRAFT
    assert audit_trail(article) == []


def test_reader_cannot_transition(editor):
    from django.contrib.auth.models import AnonymousUser

    article = ArticleFactory()
    with pytest.raises(TransitionNotPermitted):
        transition(article, "submit", by=AnonymousUser())


@pytest.mark.parametrize("action", PATHS)
def test_illegal_transition_is_refused_and_writes_nothing(action, editor):
    start, _end = PATHS[action]
    wrong_start = State.ARCHIVED if start != State.ARCHIVED else State.DRAFT
    if wrong_start in TRANSITIONS[action].sources:
        wrong_start = State.IN_REVIEW
    article = moderate(ArticleFactory(), wrong_start, editor)
    before = len(audit_trail(article))
    with pytest.raises(IllegalTransition, match="Cannot"):
        transition(article, action, by=editor, note="x")
    article.refresh_from_db()
    assert article.state == wrong_start
    assert len(audit_trail(article)) == before


@pytest.mark.parametrize("action", ["request_changes", "reject"])
def test_request_changes_and_reject_need_a_note(action, editor):
    article = moderate(ArticleFactory(), State.IN_REVIEW, editor)
    with pytest.raises(NoteRequired):
        transition(article, action, by=editor, note="  ")
    article.refresh_from_db()
    assert article.state == State.IN_REVIEW


def test_stale_copy_cannot_repeat_a_transition(editor, other_editor):
    article = moderate(ArticleFactory(), State.IN_REVIEW, editor)
    stale = Article.objects.get(pk=article.pk)
    transition(article, "approve", by=editor)
    with pytest.raises(IllegalTransition):
        transition(stale, "reject", by=other_editor, note="Too late")
    article.refresh_from_db()
    assert article.state == State.APPROVED


def test_publishing_an_article_publishes_its_approved_parts_and_those_in_review(editor):
    article = moderate(ArticleFactory(), State.APPROVED, editor)
    approved = moderate(AttributionFactory(article=article), State.APPROVED, editor)
    in_review = moderate(AttributionFactory(article=article), State.IN_REVIEW, editor)
    draft = AttributionFactory(article=article)
    block = moderate(EnrichmentBlockFactory(article=article), State.APPROVED, editor)
    proposal = moderate(ProposalFactory(), State.APPROVED, editor)
    proposal.articles.add(article)

    transition(article, "publish", by=editor)

    for obj, state in [
        (approved, State.PUBLISHED),
        (in_review, State.PUBLISHED),  # the contract's "Stories": in review ones alike
        (draft, State.DRAFT),
        (block, State.PUBLISHED),
        (proposal, State.PUBLISHED),
    ]:
        obj.refresh_from_db()
        assert obj.state == state


def test_publish_with_future_time_schedules_and_publish_scheduled_publishes_when_due(editor):
    article = moderate(ArticleFactory(), State.APPROVED, editor)
    at = timezone.now() + datetime.timedelta(hours=2)
    transition(article, "publish", by=editor, publish_at=at)
    article.refresh_from_db()
    assert (article.state, article.publish_at) == (State.APPROVED, at)
    assert audit_trail(article)[-1].action == "moderation.schedule"

    assert publish_due(now=timezone.now()) == []
    published = publish_due(now=at + datetime.timedelta(seconds=1))

    article.refresh_from_db()
    assert [p.pk for p in published] == [article.pk]
    assert article.state == State.PUBLISHED
    entry = audit_trail(article)[-1]
    assert (entry.action, entry.actor_name) == ("moderation.publish", "scheduler")
    assert publish_due(now=at + datetime.timedelta(minutes=5)) == []


def test_scheduling_in_the_past_is_refused(editor):
    article = moderate(ArticleFactory(), State.APPROVED, editor)
    with pytest.raises(IllegalTransition, match="future"):
        transition(
            article, "schedule", by=editor, publish_at=timezone.now() - datetime.timedelta(1)
        )


def test_available_transitions_follow_role_and_state(editor, contributor):
    article = ArticleFactory(author=contributor)
    assert [t.name for t in available_transitions(article, contributor)] == ["submit"]
    article = moderate(article, State.IN_REVIEW, editor)
    # The author may take their own work back out of review, nothing more.
    assert [t.name for t in available_transitions(article, contributor)] == ["withdraw"]
    assert {t.name for t in available_transitions(article, editor)} == {
        "withdraw",
        "approve",
        "request_changes",
        "reject",
    }


def test_approving_a_translation_of_a_published_article_makes_it_live(editor, translator):
    article = moderate(ArticleFactory(), State.PUBLISHED, editor)
    v1 = TranslationVersionFactory(article=article, version=1, author=translator)
    v1 = moderate(v1, State.APPROVED, editor)
    v1.refresh_from_db()
    assert v1.state == State.PUBLISHED
    v2 = TranslationVersionFactory(article=article, version=2, author=translator)
    transition(v2, "submit", by=translator)
    transition(v2, "approve", by=editor)

    states = dict(TranslationVersion.objects.values_list("version", "state"))
    assert states == {1: State.ARCHIVED, 2: State.PUBLISHED}


def test_approved_translation_waits_for_its_article(editor, translator):
    article = moderate(ArticleFactory(), State.APPROVED, editor)
    version = moderate(
        TranslationVersionFactory(article=article, author=translator), State.APPROVED, editor
    )
    assert version.state == State.APPROVED
    transition(article, "publish", by=editor)
    version.refresh_from_db()
    assert version.state == State.PUBLISHED


def test_translator_submits_own_version_but_not_anothers(translator, other_translator):
    mine = TranslationVersionFactory(author=translator, translator=translator)
    theirs = TranslationVersionFactory(author=other_translator, translator=other_translator)
    assert transition(mine, "submit", by=translator).state == State.IN_REVIEW
    with pytest.raises(TransitionNotPermitted):
        transition(theirs, "submit", by=translator)


def test_audit_entries_survive_the_actors_deletion(editor):
    article = moderate(ArticleFactory(), State.IN_REVIEW, editor)
    editor.delete()
    entry = audit_trail(article)[-1]
    assert (entry.actor, entry.actor_name) == (None, "edith")


def test_reopening_an_approved_article_withdraws_approval_and_schedule(editor):
    article = moderate(ArticleFactory(), State.APPROVED, editor)
    transition(
        article, "schedule", by=editor, publish_at=timezone.now() + datetime.timedelta(days=1)
    )
    article = transition(article, "reopen", by=editor, note="Needs a new lead.")
    article.refresh_from_db()
    assert (article.state, article.publish_at) == (State.DRAFT, None)
    assert publish_due(now=timezone.now() + datetime.timedelta(days=2)) == []
