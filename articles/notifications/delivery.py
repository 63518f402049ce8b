"""E-mail for notifications, never sent inside the request that caused them.

`schedule(notifications)` sets each one's e-mail state from its recipient's
preference and, on commit, queues one `send_notification_email` task per immediate
e-mail (django-tasks' database backend: the row commits with nothing else, and
`manage.py db_worker` runs it). A failing mail server fails the task, not the
editor's action: the task tries again later (`RETRY_DELAYS`), then gives up and marks
the notification's e-mail failed (it stays in the app). `send_digests()` mails each
daily-digest reader one e-mail with everything since the last one.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from articles.notifications.models import Notification, Preferences

logger = logging.getLogger(__name__)

State = Notification.Email
# Seconds to wait before the 2nd, 3rd, … attempt; one attempt more than delays.
RETRY_DELAYS = (60, 300, 1800, 7200)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1


def preference_of(user) -> str:
    prefs = Preferences.objects.filter(user=user).values_list("email", flat=True).first()
    return prefs or Preferences.Email.IMMEDIATELY


def schedule(notifications: list[Notification]) -> None:
    """Decide how each notification is e-mailed and queue the immediate ones on commit."""
    immediate = []
    for notification in notifications:
        person = notification.recipient
        mode = preference_of(person)
        if not person.email or mode == Preferences.Email.OFF:
            state = State.SKIPPED
        elif mode == Preferences.Email.DAILY:
            state = State.DIGEST
        else:
            state = State.PENDING
            immediate.append(notification.pk)
        if state != notification.email_state:
            notification.email_state = state
            notification.save(update_fields=["email_state"])
    if immediate:
        transaction.on_commit(partial(queue, immediate), robust=True)


def queue(ids: list[int]) -> None:
    for pk in ids:
        send_notification_email.enqueue(pk)


def absolute(path: str) -> str:
    return settings.NEWSROOM_SITE_URL.rstrip("/") + path


def preferences_url() -> str:
    return absolute(reverse("notifications:preferences"))


def message_for(notification: Notification) -> tuple[str, str]:
    lines = [notification.body or notification.title, ""]
    if notification.path:
        lines.append(f"See it here: {absolute(notification.path)}")
    lines += ["", f"Choose how you get these e-mails: {preferences_url()}"]
    return f"[Newsroom] {notification.title}"[:200], "\n".join(lines)


@task()
def send_notification_email(notification_id: int, attempt: int = 1) -> str:
    """Send one notification's e-mail; on failure queue another attempt later."""
    claimed = Notification.objects.filter(
        pk=notification_id, email_state__in=[State.PENDING, State.FAILED]
    ).update(email_state=State.SENDING, email_attempts=attempt)
    if not claimed:
        return "nothing to send"  # sent already, or the person turned e-mail off
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    subject, body = message_for(notification)
    try:
        send_mail(subject, body, None, [notification.recipient.email])
    except Exception as error:  # any mail server trouble: try again later
        if attempt >= MAX_ATTEMPTS:
            Notification.objects.filter(pk=notification_id).update(email_state=State.FAILED)
            logger.error("gave up e-mailing notification %s: %s", notification_id, error)
            return f"failed after {attempt} attempts: {error}"
        Notification.objects.filter(pk=notification_id).update(email_state=State.PENDING)
        later = timezone.now() + datetime.timedelta(seconds=RETRY_DELAYS[attempt - 1])
        send_notification_email.using(run_after=later).enqueue(notification_id, attempt + 1)
        logger.warning(
            "notification %s e-mail failed (%s); retry at %s", notification_id, error, later
        )
        return f"attempt {attempt} failed, retrying: {error}"
    Notification.objects.filter(pk=notification_id).update(
        email_state=State.SENT, emailed_at=timezone.now()
    )
    return "sent"


def send_digests(*, on_failure=None) -> int:
    """One e-mail per daily-digest reader with everything waiting for it; returns how
    many were sent. A person whose e-mail fails keeps theirs for the next run."""
    waiting = defaultdict(list)
    for notification in (
        Notification.objects.filter(email_state=State.DIGEST)
        .select_related("recipient")
        .order_by("recipient_id", "created_at", "id")
    ):
        waiting[notification.recipient].append(notification)
    sent = 0
    for person, notifications in waiting.items():
        if not person.email or preference_of(person) == Preferences.Email.OFF:
            Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
                email_state=State.SKIPPED
            )
            continue
        count = len(notifications)
        lines = [f"{count} thing{'s' if count != 1 else ''} happened on your desk:", ""]
        for n in notifications:
            when = timezone.localtime(n.created_at).strftime("%Y-%m-%d %H:%M")
            lines.append(f"- {when} {n.title}")
            if n.path:
                lines.append(f"  {absolute(n.path)}")
        lines += ["", f"Choose how you get these e-mails: {preferences_url()}"]
        try:
            send_mail(
                f"[Newsroom] Your daily digest: {count} notification{'s' if count != 1 else ''}",
                "\n".join(lines),
                None,
                [person.email],
            )
        except Exception as error:
            if on_failure is None:
                logger.error("could not send the digest of %s: %s", person, error)
            else:
                on_failure(person, error)
            continue
        Notification.objects.filter(pk__in=[n.pk for n in notifications]).update(
            email_state=State.SENT, emailed_at=timezone.now()
        )
        sent += 1
    return sent
