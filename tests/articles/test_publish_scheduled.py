import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.states import State
from articles.workflow import transition
from tests.factories import ArticleFactory, moderate

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
