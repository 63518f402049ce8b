import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles import permissions
from articles.models import AuditEntry
from articles.permissions import IMPORTER, SCHEDULER
from articles.states import State
from articles.workflow import TransitionNotPermitted, transition
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    TranslationVersionFactory,
    moderate,
)

pytestmark = pytest.mark.django_db


def test_publish_scheduled_publishes_only_what_is_due(editor, capsys):
    due = moderate(ArticleFactory(title="Due now"), State.APPROVED, editor)
    later = moderate(ArticleFactory(title="Due tomorrow"), State.APPROVED, editor)
    soon = timezone.now() + datetime.timedelta(seconds=1)
    transition(due, "schedule", by=editor, publish_at=soon)
    transition(later, "schedule", by=editor, publish_at=soon + datetime.timedelta(days=1))
    due.__class__.objects.filter(pk=due.pk).update(publish_at=timezone.now())

    call_command("publish_scheduled")

    out = capsys.readouterr().out
    assert "published article: Due now" in out and "1 item(s) published." in out
    due.refresh_from_db()
    later.refresh_from_db()
    assert (due.state, later.state) == (State.PUBLISHED, State.APPROVED)

    call_command("publish_scheduled")
    assert "0 item(s) published." in capsys.readouterr().out


def scheduled(article, editor, *, minutes_ago: int):
    """Schedule an approved `article` and make it due `minutes_ago` minutes ago."""
    transition(
        article, "schedule", by=editor, publish_at=timezone.now() + datetime.timedelta(hours=1)
    )
    due_at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    type(article).objects.filter(pk=article.pk).update(publish_at=due_at)
    return article


def republished_with_new_translation(editor, translator):
    """A published article with a live French v1, taken back for work and re-approved
    with an approved French v2 that will replace v1 when the article goes live again."""
    article = moderate(ArticleFactory(title="Back with a new French text"), State.PUBLISHED, editor)
    v1 = moderate(
        TranslationVersionFactory(article=article, version=1, author=translator),
        State.APPROVED,
        editor,
    )
    for action in ("unpublish", "reopen", "submit", "approve"):
        article = transition(article, action, by=editor)
    v2 = moderate(
        TranslationVersionFactory(article=article, version=2, author=translator),
        State.APPROVED,
        editor,
    )
    v1.refresh_from_db()
    assert (v1.state, v2.state) == (State.PUBLISHED, State.APPROVED)
    return article, v1, v2


def test_the_scheduler_archives_the_translation_its_publication_replaces(editor, translator):
    article, v1, v2 = republished_with_new_translation(editor, translator)
    scheduled(article, editor, minutes_ago=2)
    behind = scheduled(
        moderate(ArticleFactory(title="Due after it"), State.APPROVED, editor),
        editor,
        minutes_ago=1,
    )

    call_command("publish_scheduled")

    for obj in (article, v1, v2, behind):
        obj.refresh_from_db()
    assert (article.state, v1.state, v2.state, behind.state) == (
        State.PUBLISHED,
        State.ARCHIVED,
        State.PUBLISHED,
        State.PUBLISHED,
    )
    archived = AuditEntry.objects.filter(
        content_type__model="translationversion", object_id=v1.pk, action="moderation.unpublish"
    ).get()
    assert (archived.actor_name, archived.note) == ("scheduler", "Replaced by version 2.")


def test_system_actors_get_no_more_than_their_job_implies(editor):
    live = moderate(ArticleFactory(), State.PUBLISHED, editor)
    in_review = moderate(ArticleFactory(), State.IN_REVIEW, editor)
    for actor, action, obj in [
        (SCHEDULER, "unpublish", live),
        (SCHEDULER, "approve", in_review),
        (IMPORTER, "publish", in_review),
    ]:
        with pytest.raises(TransitionNotPermitted):
            transition(obj, action, by=actor)


def test_one_failing_item_is_reported_and_never_blocks_the_others(editor, monkeypatch):
    failing = scheduled(
        moderate(ArticleFactory(title="Cannot go"), State.APPROVED, editor), editor, minutes_ago=3
    )
    fine = scheduled(
        moderate(ArticleFactory(title="Goes anyway"), State.APPROVED, editor), editor, minutes_ago=1
    )
    live = moderate(ArticleFactory(), State.PUBLISHED, editor)
    part = moderate(AttributionFactory(article=live), State.APPROVED, editor)
    scheduled(part, editor, minutes_ago=2)
    # Any refusal will do: the scheduler is refused this one article.
    can_transition = permissions.can_transition

    def refusing_one(user, obj, action, **kwargs):
        if obj._meta.model_name == "article" and obj.pk == failing.pk:
            return False
        return can_transition(user, obj, action, **kwargs)

    monkeypatch.setattr(permissions, "can_transition", refusing_one)
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="1 item\\(s\\) could not be published"):
        call_command("publish_scheduled", stdout=out, stderr=err)

    for obj in (failing, fine, part):
        obj.refresh_from_db()
    assert (failing.state, fine.state, part.state) == (
        State.APPROVED,
        State.PUBLISHED,
        State.PUBLISHED,
    )
    assert "published article: Goes anyway" in out.getvalue()
    assert "2 item(s) published." in out.getvalue()
    lines = err.getvalue().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(
        f"error: article {failing.pk} “Cannot go”: Your role may not publish"
    )
