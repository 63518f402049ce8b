"""An editor sets an "unpublish at" time; `publish_scheduled` unpublishes the article then."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import AuditEntry
from articles.permissions import SCHEDULER
from articles.states import State
from articles.workflow import IllegalTransition, TransitionNotPermitted, transition
from tests.factories import AttributionFactory, published_article

pytestmark = pytest.mark.django_db


def test_publish_scheduled_unpublishes_an_article_when_its_time_comes(editor):
    article = published_article(editor, title="Ceasefire holds")
    keep = published_article(editor, title="Still live")
    at = timezone.now() + datetime.timedelta(hours=3)

    transition(article, "unpublish", by=editor, publish_at=at)  # a future time schedules

    article.refresh_from_db()
    assert (article.state, article.unpublish_at) == (State.PUBLISHED, at)
    entry = AuditEntry.objects.for_instance(article).last()
    assert (entry.action, entry.data["publish_at"]) == (
        "moderation.schedule_unpublish",
        at.isoformat(),
    )
    out = io.StringIO()
    call_command("publish_scheduled", stdout=out)
    article.refresh_from_db()
    assert article.state == State.PUBLISHED

    with pytest.MonkeyPatch.context() as mp:
        later = at + datetime.timedelta(minutes=1)
        mp.setattr(timezone, "now", lambda: later)
        call_command("publish_scheduled", stdout=out)

    article.refresh_from_db()
    keep.refresh_from_db()
    assert (article.state, article.unpublish_at, keep.state) == (
        State.ARCHIVED,
        None,
        State.PUBLISHED,
    )
    entry = AuditEntry.objects.for_instance(article).last()
    assert (entry.action, entry.actor_name) == ("moderation.unpublish", "scheduler")
    assert "unpublished article: Ceasefire holds" in out.getvalue()


def test_a_scheduled_unpublishing_can_be_cancelled(editor):
    article = published_article(editor)
    transition(
        article, "schedule_unpublish", by=editor, publish_at=timezone.now() + datetime.timedelta(1)
    )
    transition(article, "cancel_unpublish", by=editor)
    article.refresh_from_db()
    assert article.unpublish_at is None
    with pytest.raises(IllegalTransition):
        transition(article, "cancel_unpublish", by=editor)


def test_only_articles_are_scheduled_for_unpublishing_and_only_in_the_future(editor):
    article = published_article(editor)
    statement = AttributionFactory(article=article)
    with pytest.raises(IllegalTransition, match="future"):
        transition(
            article,
            "schedule_unpublish",
            by=editor,
            publish_at=timezone.now() - datetime.timedelta(1),
        )
    with pytest.raises(IllegalTransition):
        transition(
            statement,
            "schedule_unpublish",
            by=editor,
            publish_at=timezone.now() + datetime.timedelta(1),
        )


def test_the_scheduler_never_unpublishes_what_nobody_scheduled(editor):
    article = published_article(editor)
    with pytest.raises(TransitionNotPermitted):
        transition(article, "unpublish", by=SCHEDULER)
