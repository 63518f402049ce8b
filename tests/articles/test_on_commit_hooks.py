"""What runs once a change is committed (cache, search index, e-mail) runs independently:
one failing hook is logged and never swallows the others, nor turns a done change into a 500."""

import logging

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.cache import cache
from django.db import DatabaseError

from articles.site import search
from articles.site.cache import TAG_KEY
from articles.states import State
from articles.workflow import transition
from tests.factories import ArticleFactory, moderate
from tests.tasks import run_queued_tasks


@pytest.fixture
def broken_search_index(monkeypatch):
    def index_article(article_id: int) -> None:
        raise DatabaseError("search index unavailable")

    monkeypatch.setattr(search, "index_article", index_article)


@pytest.mark.django_db
def test_a_failing_search_hook_does_not_swallow_the_authors_email(
    editor, contributor, broken_search_index, django_capture_on_commit_callbacks, caplog
):
    article = moderate(ArticleFactory(author=contributor, title="Talks"), State.APPROVED, editor)
    assert cache.get(TAG_KEY.format(f"story-{article.pk}")) is None

    with caplog.at_level(logging.ERROR), django_capture_on_commit_callbacks(execute=True):
        transition(article, "publish", by=editor)
    run_queued_tasks()

    assert [(m.to, m.subject) for m in mail.outbox] == [
        ([contributor.email], "[Newsroom] Published: Talks")
    ]
    assert cache.get(TAG_KEY.format(f"story-{article.pk}")) is not None  # invalidated
    assert "search index unavailable" in caplog.text


@pytest.mark.django_db(transaction=True)
def test_a_committed_publication_answers_a_redirect_not_a_500_when_indexing_fails(
    client, contributor, broken_search_index, caplog
):
    # A superuser: an earlier transactional test may have flushed the Editors group's
    # permissions that migration 0002 created.
    editor = User.objects.create_superuser("chief", "chief@example.org", "pw-chief")
    article = moderate(ArticleFactory(author=contributor, title="Talks"), State.APPROVED, editor)
    run_queued_tasks()  # the "approved" e-mail
    mail.outbox.clear()
    client.force_login(editor)

    with caplog.at_level(logging.ERROR):
        response = client.post(
            f"/admin/articles/article/{article.pk}/transition/publish/", {"note": ""}
        )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.state == State.PUBLISHED
    assert mail.outbox == []  # queued, not sent inside the request
    run_queued_tasks()
    assert [m.to for m in mail.outbox] == [[contributor.email]]
    assert "search index unavailable" in caplog.text
