"""Sign-off links and the answers given through them (loaded with the articles' models)."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_nonce() -> str:
    return secrets.token_urlsafe(16)


class SignoffLink(models.Model):
    """One link, for one person, to one story. The URL carries a signature of the
    link's id and nonce; this row says whether it still works (expiry, revocation)."""

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="signoff_links"
    )
    analyst = models.ForeignKey("articles.Analyst", on_delete=models.CASCADE, related_name="+")
    recipient_name = models.CharField(max_length=200)
    note = models.TextField(blank=True, help_text="Shown to the recipient above the story.")
    nonce = models.CharField(max_length=40, default=new_nonce, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Sign-off link for {self.recipient_name}"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and now < self.expires_at

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return "revoked"
        return "active" if self.is_active() else "expired"


class StatementCheck(models.Model):
    """The outside person's answer on one statement: confirmed, or flagged with a comment."""

    class Verdict(models.TextChoices):
        CONFIRMED = "confirmed", "Confirmed"
        FLAGGED = "flagged", "Flagged"

    link = models.ForeignKey(SignoffLink, on_delete=models.CASCADE, related_name="checks")
    attribution = models.ForeignKey(
        "articles.Attribution", on_delete=models.CASCADE, related_name="outside_checks"
    )
    verdict = models.CharField(max_length=20, choices=Verdict.choices)
    comment = models.TextField(blank=True)
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-answered_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_verdict_display()} by {self.link.recipient_name}"
