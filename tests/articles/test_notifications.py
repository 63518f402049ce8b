"""Authors hear about review decisions by e-mail, once the decision is committed."""

import pytest
from django.core import mail

from articles.permissions import SCHEDULER
from articles.states import State
from articles.workflow import transition
from tests.factories import (
    ArticleFactory,
    AttributionFactory,
    TranslationVersionFactory,
    moderate,
)
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


def test_author_is_told_what_to_change(editor, contributor, django_capture_on_commit_callbacks):
    article = moderate(ArticleFactory(author=contributor, title="Talks"), State.IN_REVIEW, editor)
    with django_capture_on_commit_callbacks(execute=True):
        transition(article, "request_changes", by=editor, note="Source the second claim.")
    run_queued_tasks()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [contributor.email]
    assert message.subject == "[Newsroom] Changes requested: Talks"
    assert "Note: Source the second claim." in message.body
    assert f"/admin/articles/article/{article.pk}/change/" in message.body


def test_translator_is_sent_to_the_workspace(
    editor, translator, django_capture_on_commit_callbacks
):
    version = TranslationVersionFactory(author=translator, translator=translator)
    transition(version, "submit", by=translator)
    with django_capture_on_commit_callbacks(execute=True):
        transition(version, "reject", by=editor, note="Wrong article.")
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [[translator.email]]
    assert f"/translate/versions/{version.pk}/" in mail.outbox[0].body


def test_nothing_is_sent_for_ones_own_action_or_a_rollback(
    editor, contributor, django_capture_on_commit_callbacks
):
    mine = ArticleFactory(author=editor)
    with django_capture_on_commit_callbacks(execute=True):
        moderate(mine, State.PUBLISHED, editor)
    run_queued_tasks()
    assert mail.outbox == []

    theirs = moderate(ArticleFactory(author=contributor), State.IN_REVIEW, editor)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        transition(theirs, "approve", by=editor)
    assert callbacks  # queued for the commit, and only then sent
    assert mail.outbox == []


def test_publishing_an_article_mails_its_author_not_every_part(
    editor, contributor, other_contributor, django_capture_on_commit_callbacks
):
    article = moderate(ArticleFactory(author=contributor), State.APPROVED, editor)
    moderate(AttributionFactory(article=article, author=other_contributor), State.APPROVED, editor)
    with django_capture_on_commit_callbacks(execute=True):
        transition(article, "publish", by=SCHEDULER)
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [[contributor.email]]
    assert "by scheduler" in mail.outbox[0].body


def test_a_mail_server_that_is_down_does_not_undo_the_decision(
    editor, contributor, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1
    article = moderate(ArticleFactory(author=contributor), State.IN_REVIEW, editor)
    with django_capture_on_commit_callbacks(execute=True):
        transition(article, "approve", by=editor)
    article.refresh_from_db()
    assert article.state == State.APPROVED
