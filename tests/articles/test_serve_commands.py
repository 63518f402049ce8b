"""`make serve`'s commands: the scheduler loop, snapshots before serving, and the
checks `serve` makes before starting anything."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from articles.models import PageSnapshot
from articles.states import State
from articles.workflow import transition
from tests.factories import ArticleFactory, moderate, published_article

pytestmark = pytest.mark.django_db


def test_the_scheduler_publishes_what_fell_due(editor):
    article = moderate(ArticleFactory(title="Due"), State.APPROVED, editor)
    transition(article, "schedule", by=editor, publish_at=timezone.now() + datetime.timedelta(1))
    type(article).objects.filter(pk=article.pk).update(publish_at=timezone.now())
    out = io.StringIO()
    call_command("run_scheduler", once=True, stdout=out)
    article.refresh_from_db()
    assert article.state == State.PUBLISHED
    assert "1 item(s) published." in out.getvalue()


def test_rebuild_snapshots_fills_in_what_is_missing_or_stale(editor):
    stories = [published_article(editor) for _ in range(3)]  # hooks not run: none yet
    assert not PageSnapshot.objects.exists()
    call_command("rebuild_snapshots", missing=True, stdout=io.StringIO())
    assert set(PageSnapshot.objects.values_list("article_id", flat=True)) == {s.pk for s in stories}
    PageSnapshot.objects.filter(article=stories[0]).update(stale=True)
    out = io.StringIO()
    call_command("rebuild_snapshots", missing=True, stdout=out)
    assert "for 1 stories" in out.getvalue()
    assert not PageSnapshot.objects.filter(stale=True).exists()


def test_serve_refuses_to_run_with_debug_on(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="DJANGO_DEBUG=0"):
        call_command("serve")


def test_serve_refuses_to_run_with_unapplied_migrations(settings, monkeypatch):
    settings.DEBUG = False
    ran = []

    def fake_call_command(name, *args, **kwargs):
        ran.append(name)
        if name == "migrate":
            raise SystemExit(1)  # what `migrate --check` does with one unapplied

    monkeypatch.setattr("articles.management.commands.serve.call_command", fake_call_command)
    with pytest.raises(CommandError, match="run `python manage.py migrate` first"):
        call_command("serve")
    assert ran == ["check", "collectstatic", "migrate"]
