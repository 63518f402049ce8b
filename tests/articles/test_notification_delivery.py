"""Who is told of what, in the app and by e-mail as each prefers; e-mail is queued on
commit and sent by the worker, retried when the mail server fails, never failing the
editor's action; daily digests by `send_digests`."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from articles.assignments import actions as assignments
from articles.notifications import delivery
from articles.notifications.models import Notification, Preferences
from articles.states import State
from articles.workflow import transition
from tests.factories import ArticleFactory, TranslationVersionFactory, moderate
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db

FAILING = "tests.articles.test_notification_delivery.FailingBackend"


class FailingBackend(BaseEmailBackend):
    """A mail server that is down."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("connection refused")


def prefer(user, email: str) -> None:
    Preferences.objects.update_or_create(user=user, defaults={"email": email})


def test_editors_are_told_of_a_submission_and_a_resubmission(
    editor, other_editor, contributor, django_capture_on_commit_callbacks
):
    article = ArticleFactory(author=contributor, title="Talks")
    with django_capture_on_commit_callbacks(execute=True):
        transition(article, "submit", by=contributor)
    told = Notification.objects.filter(kind="submitted")
    assert {n.recipient for n in told} == {editor, other_editor}
    assert told.first().title == "connie submitted the article “Talks” for review"
    with django_capture_on_commit_callbacks(execute=True):
        transition(article, "request_changes", by=editor, note="Fix it.")
        assignments.claim(article, by=other_editor)
        transition(article, "submit", by=contributor)
    # Assigned: the resubmission goes to the assignee only.
    resubmitted = Notification.objects.filter(kind="resubmitted")
    assert [n.recipient for n in resubmitted] == [other_editor]


def test_translators_are_told_when_the_source_they_translated_changes(
    client, editor, translator, django_capture_on_commit_callbacks
):
    article = moderate(ArticleFactory(slug="talks"), State.PUBLISHED, editor)
    moderate(
        TranslationVersionFactory(article=article, author=translator, translator=translator),
        State.APPROVED,
        editor,
    )
    with django_capture_on_commit_callbacks(execute=True):
        article.mark_text_revised(by=editor)
    told = Notification.objects.get(recipient=translator, kind="source_changed")
    assert told.path == reverse("translate:edit", args=["talks", "fr"])


def test_an_author_is_told_of_a_decision_in_the_app_and_by_email(
    editor, contributor, django_capture_on_commit_callbacks
):
    article = moderate(ArticleFactory(author=contributor, title="Talks"), State.IN_REVIEW, editor)
    with django_capture_on_commit_callbacks(execute=True):
        transition(article, "approve", by=editor)
    notification = Notification.objects.get(recipient=contributor, kind="decision")
    assert notification.email_state == "pending" and mail.outbox == []
    assert run_queued_tasks() == 1
    notification.refresh_from_db()
    assert notification.email_state == "sent" and notification.emailed_at
    assert mail.outbox[0].subject == "[Newsroom] Approved: Talks"
    assert "http://127.0.0.1:8000/notifications/preferences/" in mail.outbox[0].body


def test_links_in_emails_use_the_site_url(
    settings, editor, contributor, django_capture_on_commit_callbacks
):
    settings.NEWSROOM_SITE_URL = "https://desk.example.org"
    article = moderate(ArticleFactory(author=contributor), State.IN_REVIEW, editor)
    with django_capture_on_commit_callbacks(execute=True):
        transition(article, "reject", by=editor, note="No.")
    run_queued_tasks()
    assert f"https://desk.example.org/admin/articles/article/{article.pk}/change/" in (
        mail.outbox[0].body
    )


def test_email_off_keeps_the_notification_in_the_app_only(
    editor, contributor, django_capture_on_commit_callbacks
):
    prefer(contributor, "off")
    article = moderate(ArticleFactory(author=contributor), State.IN_REVIEW, editor)
    with django_capture_on_commit_callbacks(execute=True):
        transition(article, "approve", by=editor)
    assert Notification.objects.get(recipient=contributor).email_state == "skipped"
    assert run_queued_tasks() == 0 and mail.outbox == []


def test_a_daily_digest_gathers_everything_in_one_email(
    editor, contributor, django_capture_on_commit_callbacks, capsys
):
    prefer(contributor, "daily")
    for title in ["First", "Second"]:
        article = moderate(ArticleFactory(author=contributor, title=title), State.IN_REVIEW, editor)
        with django_capture_on_commit_callbacks(execute=True):
            transition(article, "approve", by=editor)
    assert run_queued_tasks() == 0 and mail.outbox == []
    call_command("send_digests")
    assert "1 digest sent." in capsys.readouterr().out
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.subject == "[Newsroom] Your daily digest: 2 notifications"
    assert "Approved: First" in digest.body and "Approved: Second" in digest.body
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"sent"}
    call_command("send_digests")  # nothing twice
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_never_fails_the_editors_action_and_is_retried(
    client, settings, editor, contributor, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING
    article = moderate(ArticleFactory(author=contributor), State.IN_REVIEW, editor)
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:articles_article_transition", args=[article.pk, "approve"]),
            {"note": ""},
        )
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.state == State.APPROVED
    notification = Notification.objects.get(recipient=contributor)
    assert notification.email_state == "pending"  # queued, not tried inside the request

    run_queued_tasks()  # first attempt fails: another one is queued for later
    notification.refresh_from_db()
    assert (notification.email_state, notification.email_attempts) == ("pending", 1)
    later = DBTaskResult.objects.filter(status="READY").get()
    assert later.run_after is not None and later.args_kwargs["args"] == [notification.pk, 2]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    run_queued_tasks(including_later=True)  # the mail server is back
    notification.refresh_from_db()
    assert notification.email_state == "sent" and len(mail.outbox) == 1


def test_after_the_last_attempt_the_email_is_marked_failed(
    settings, editor, contributor, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = FAILING
    article = moderate(ArticleFactory(author=contributor), State.IN_REVIEW, editor)
    with django_capture_on_commit_callbacks(execute=True):
        transition(article, "approve", by=editor)
    ran = run_queued_tasks(including_later=True)
    assert ran == delivery.MAX_ATTEMPTS * Notification.objects.count()
    assert set(Notification.objects.values_list("email_state", flat=True)) == {"failed"}


def test_a_failing_digest_waits_for_the_next_run(settings, editor, contributor, capsys):
    prefer(contributor, "daily")
    Notification.objects.create(
        recipient=contributor, kind="decision", title="Approved: A", email_state="digest"
    )
    settings.EMAIL_BACKEND = FAILING
    with pytest.raises(CommandError):
        call_command("send_digests")
    assert "error: could not send the digest of connie" in capsys.readouterr().err
    assert Notification.objects.filter(recipient=contributor, email_state="digest").exists()


def test_the_list_counts_unread_and_opening_marks_read(client, editor, contributor):
    article = ArticleFactory(author=contributor)
    first = Notification.objects.create(
        recipient=contributor, kind="decision", title="Approved: A", path="/admin/"
    )
    Notification.objects.create(recipient=contributor, kind="decision", title="Approved: B")
    client.force_login(contributor)
    index = client.get(reverse("admin:index")).content.decode()
    assert 'aria-label="2 unread"' in index
    page = client.get(reverse("notifications:index")).content.decode()
    assert "Approved: A" in page and "2 unread." in page
    response = client.get(reverse("notifications:open", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == "/admin/"
    first.refresh_from_db()
    assert first.read_at is not None
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert article.pk


def test_someone_elses_notification_is_a_404(client, contributor, other_contributor):
    theirs = Notification.objects.create(recipient=other_contributor, kind="decision", title="x")
    client.force_login(contributor)
    assert client.get(reverse("notifications:open", args=[theirs.pk])).status_code == 404


def test_the_workspace_shows_the_unread_count(client, translator):
    Notification.objects.create(recipient=translator, kind="source_changed", title="Changed")
    client.force_login(translator)
    assert 'aria-label="1 unread"' in client.get("/translate/").content.decode()
    page = client.get(reverse("notifications:index")).content.decode()
    assert "Translation workspace" in page and "Changed" in page


def test_preferences_are_saved_and_set_the_time_zone(client, editor):
    client.force_login(editor)
    url = reverse("notifications:preferences")
    assert client.get(url).status_code == 200
    assert not Preferences.objects.exists()  # a GET writes nothing (the hostile corpus)
    response = client.post(url, {"email": "daily", "time_zone": "Europe/Paris"})
    assert response.status_code == 302
    prefs = Preferences.objects.get(user=editor)
    assert (prefs.email, prefs.time_zone) == ("daily", "Europe/Paris")
    assert client.post(url, {"email": "weekly", "time_zone": "Mars/Base"}).status_code == 400


def test_parts_are_announced_with_their_story_not_one_by_one(
    editor, contributor, django_capture_on_commit_callbacks
):
    from tests.factories import AttributionFactory

    article = ArticleFactory(author=contributor)
    with django_capture_on_commit_callbacks(execute=True):
        transition(
            AttributionFactory(article=article, author=contributor), "submit", by=contributor
        )
        transition(article, "submit", by=contributor)
    assert list(Notification.objects.values_list("title", flat=True)) == [
        f"connie submitted the article “{article.title}” for review"
    ]
    transition(article, "approve", by=editor)
    transition(article, "publish", by=editor)
    with django_capture_on_commit_callbacks(execute=True):
        late = AttributionFactory(article=article, author=contributor, statement="A late quote.")
        transition(late, "submit", by=contributor)
    assert Notification.objects.filter(title__contains="A late quote").count() == 1


def test_a_story_submitted_with_its_parts_is_announced_once(
    editor, contributor, django_capture_on_commit_callbacks
):
    """Submitting an article carries its author's draft parts (story moderation): the
    editors hear of the story once, not of each statement, block and proposal."""
    from tests.factories import AttributionFactory, EnrichmentBlockFactory, ProposalFactory

    article = ArticleFactory(author=contributor)
    statement = AttributionFactory(article=article, author=contributor)
    block = EnrichmentBlockFactory(article=article, author=contributor)
    proposal = ProposalFactory(author=contributor)
    proposal.articles.add(article)
    with django_capture_on_commit_callbacks(execute=True):
        transition(article, "submit", by=contributor)
    for part in (statement, block, proposal):
        part.refresh_from_db()
        assert part.state == State.IN_REVIEW  # carried with the story
    assert list(Notification.objects.filter(recipient=editor).values_list("title", flat=True)) == [
        f"connie submitted the article “{article.title}” for review"
    ]
