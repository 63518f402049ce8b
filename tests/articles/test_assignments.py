"""Editors assign reviews (or claim them); changes are audited and tell the assignee."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from articles.assignments import actions as assignments
from articles.assignments.models import Assignment
from articles.models import Article, AuditEntry
from articles.notifications.models import Notification
from articles.states import State
from tests.factories import ArticleFactory, TranslationVersionFactory, moderate

pytestmark = pytest.mark.django_db


def test_an_editor_assigns_a_story_and_the_assignee_is_told(
    editor, other_editor, django_capture_on_commit_callbacks
):
    article = moderate(ArticleFactory(title="Talks"), State.IN_REVIEW, editor)
    due = datetime.date(2030, 1, 2)
    with django_capture_on_commit_callbacks(execute=True):
        assignment = assignments.assign(
            article, to=other_editor, by=editor, due_on=due, priority=Assignment.Priority.HIGH
        )
    assert (assignment.assignee, assignment.due_on, assignment.article) == (
        other_editor,
        due,
        article,
    )
    entry = AuditEntry.objects.for_instance(article).last()
    assert entry.action == "assignment.assign"
    assert entry.data == {
        "assignee": "eddie",
        "previous": "",
        "due": "2030-01-02",
        "priority": "High",
    }
    told = Notification.objects.get(recipient=other_editor)
    assert told.kind == "assigned" and "Talks" in told.title and "due 2030-01-02" in told.title
    assert told.path == reverse("admin:articles_article_change", args=[article.pk])


def test_claiming_keeps_the_due_date_and_tells_nobody(editor, other_editor):
    version = moderate(TranslationVersionFactory(), State.IN_REVIEW, editor)
    assignments.assign(version, to=other_editor, by=editor, due_on=datetime.date(2030, 1, 1))
    Notification.objects.all().delete()
    claimed = assignments.claim(version, by=editor)
    assert (claimed.assignee, claimed.due_on) == (editor, datetime.date(2030, 1, 1))
    assert Assignment.objects.count() == 1
    assert not Notification.objects.filter(recipient=editor).exists()
    assert AuditEntry.objects.for_instance(version).last().data["previous"] == "eddie"


def test_only_editors_assign_and_only_to_editors(editor, contributor, translator):
    article = ArticleFactory(author=contributor)
    with pytest.raises(PermissionDenied):
        assignments.assign(article, to=editor, by=contributor)
    with pytest.raises(PermissionDenied):
        assignments.assign(article, to=translator, by=editor)
    assert not Assignment.objects.exists()


def test_release_is_audited(editor):
    article = ArticleFactory()
    assignments.claim(article, by=editor)
    assignments.release(article, by=editor)
    assert not Assignment.objects.exists()
    assert AuditEntry.objects.for_instance(article).last().action == "assignment.release"


def test_open_assignments_put_overdue_first_and_leave_finished_work_out(editor):
    today = datetime.date.today()
    later = moderate(ArticleFactory(title="Later"), State.IN_REVIEW, editor)
    overdue = moderate(ArticleFactory(title="Overdue"), State.IN_REVIEW, editor)
    undated = moderate(ArticleFactory(title="Undated"), State.IN_REVIEW, editor)
    done = moderate(ArticleFactory(title="Done"), State.PUBLISHED, editor)
    assignments.assign(later, to=editor, by=editor, due_on=today + datetime.timedelta(days=3))
    assignments.assign(overdue, to=editor, by=editor, due_on=today - datetime.timedelta(days=1))
    assignments.assign(undated, to=editor, by=editor)
    assignments.assign(done, to=editor, by=editor)
    titles = [a.article.title for a in assignments.open_assignments_of(editor)]
    assert titles == ["Overdue", "Later", "Undated"]
    assert assignments.open_assignments_of(editor)[0].is_overdue()


def test_the_queue_filters_by_assignee(editor, other_editor):
    mine = moderate(ArticleFactory(), State.IN_REVIEW, editor)
    theirs = moderate(ArticleFactory(), State.IN_REVIEW, editor)
    nobodys = moderate(ArticleFactory(), State.IN_REVIEW, editor)
    assignments.claim(mine, by=editor)
    assignments.assign(theirs, to=other_editor, by=editor)
    qs = Article.objects.all()
    assert list(assignments.assigned_to(qs, editor)) == [mine]
    assert list(assignments.assigned_to(qs, None)) == [nobodys]


def test_the_admin_page_assigns_claims_and_returns_where_the_editor_was(
    client, editor, other_editor
):
    article = moderate(ArticleFactory(), State.IN_REVIEW, editor)
    client.force_login(editor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "I’m on it" in page and "Review assignment" in page
    from django.contrib.contenttypes.models import ContentType

    url = reverse(
        "admin:desk_assign", args=[ContentType.objects.get_for_model(Article).pk, article.pk]
    )
    response = client.post(url, {"do": "claim", "next": "/admin/?assignee=me"})
    assert response.status_code == 302 and response["Location"] == "/admin/?assignee=me"
    assert assignments.assignment_of(article).assignee == editor
    response = client.post(
        url,
        {"do": "assign", "assignee": other_editor.pk, "due_on": "2031-05-06", "priority": 4},
    )
    assert response.status_code == 302
    current = assignments.assignment_of(article)
    assert (current.assignee, str(current.due_on), current.priority) == (
        other_editor,
        "2031-05-06",
        4,
    )


def test_contributors_cannot_assign(client, contributor):
    article = ArticleFactory(author=contributor)
    client.force_login(contributor)
    page = client.get(reverse("admin:articles_article_change", args=[article.pk])).content.decode()
    assert "I’m on it" not in page
    from django.contrib.contenttypes.models import ContentType

    url = reverse(
        "admin:desk_assign", args=[ContentType.objects.get_for_model(Article).pk, article.pk]
    )
    assert client.post(url, {"do": "claim"}).status_code == 403
    assert not Assignment.objects.exists()
