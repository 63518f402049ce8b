"""Notifications and people's preferences (loaded with the articles' models)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class Notification(models.Model):
    class Kind(models.TextChoices):
        SUBMITTED = "submitted", "Submitted for review"
        RESUBMITTED = "resubmitted", "Resubmitted"
        WITHDRAWN = "withdrawn", "Withdrawn"
        ASSIGNED = "assigned", "Assigned to you"
        MENTIONED = "mentioned", "Mentioned"
        COMMENTED = "commented", "New comment"
        SOURCE_CHANGED = "source_changed", "Source changed"
        DECISION = "decision", "Decision"
        SIGNOFF = "signoff", "Outside sign-off"

    class Email(models.TextChoices):
        PENDING = "pending", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        DIGEST = "digest", "Waiting for the daily digest"
        SKIPPED = "skipped", "Not e-mailed"
        FAILED = "failed", "Failed"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=300)
    body = models.TextField(blank=True)
    path = models.CharField(max_length=500, blank=True)  # where to look, on this site
    actor_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(max_length=10, choices=Email.choices, default=Email.SKIPPED)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "read_at"]),
            models.Index(fields=["email_state", "recipient"]),
        ]

    def __str__(self) -> str:
        return self.title


class Preferences(models.Model):
    """A person's desk preferences: how they get e-mail, and their time zone."""

    class Email(models.TextChoices):
        IMMEDIATELY = "immediately", "Immediately, one e-mail each"
        DAILY = "daily", "A daily digest"
        OFF = "off", "Off (in the app only)"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="desk_preferences"
    )
    email = models.CharField(
        "e-mail notifications", max_length=20, choices=Email.choices, default=Email.IMMEDIATELY
    )
    time_zone = models.CharField(
        max_length=64,
        blank=True,
        help_text="Dates and scheduling times are shown and entered in this time zone.",
    )

    class Meta:
        verbose_name_plural = "preferences"

    def __str__(self) -> str:
        return f"Preferences of {self.user}"
