"""What follows a story's writing: import warnings to check, pending changes to
published objects, and the corrections readers are shown."""

from __future__ import annotations

import reversion
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.utils import timezone

from articles.models.base import WORKFLOW_FIELDS, Moderated
from articles.models.story import Article
from articles.querysets import (
    CorrectionQuerySet,
)
from articles.revisions import FORMAT as REVISION_FORMAT
from articles.states import OPEN_CHANGES, PUBLIC


class ImportWarning(models.Model):
    """A warning of an article's last wire import, shown until an editor checks it.

    Written by `articles.intake.apply` (each import that changes the article replaces
    them); listed on the article's change page and counted in the review queue.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="import_warnings")
    line = models.PositiveIntegerField()
    message = models.TextField()
    choice_key = models.CharField(max_length=120, blank=True)  # what `--choose` names
    chosen = models.CharField(max_length=200, blank=True)  # the option applied
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    checked_at = models.DateTimeField(null=True, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["line", "id"]
        indexes = [models.Index(fields=["article", "checked_at"])]

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


CORRECTION_MAX_LENGTH = 2000


@reversion.register(exclude=WORKFLOW_FIELDS, format=REVISION_FORMAT)
class PendingChange(Moderated):
    """Edits of a published object (an article or one of its parts), waiting for review.

    Readers keep the live object until this set is published: `transition(pending,
    "publish")` applies `data` to it (`articles.pending.apply`). One open set per object
    (a second editor works on the same set); published and rejected sets stay as the
    record. `data` holds the proposed values in `articles.pending`'s format; the
    correction, when there is one, goes public with them.
    """

    class CorrectionKind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"
        CLARIFICATION = "clarification", "Clarification"

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    data = models.JSONField(default=dict)
    correction_kind = models.CharField(
        max_length=20, choices=CorrectionKind.choices, blank=True, default=""
    )
    correction_text = models.TextField(
        blank=True,
        default="",
        help_text="Shown to readers at the foot of the article once these changes are "
        "published (2,000 characters at most).",
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "pending changes"
        verbose_name_plural = "pending changes"
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id"],
                condition=Q(state__in=sorted(OPEN_CHANGES)),
                name="pending_one_open_set_per_object",
            ),
            models.CheckConstraint(
                condition=Q(correction_kind="", correction_text="")
                | (~Q(correction_kind="") & ~Q(correction_text="")),
                name="pending_correction_kind_and_text_together",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("correction_text"), CORRECTION_MAX_LENGTH),
                name="pending_correction_text_max_length",
            ),
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "state"])]

    def __str__(self) -> str:
        return f"Pending changes to {self.content_type.name} “{self.target}”"


class Correction(models.Model):
    """A public note published with pending changes: a correction, update or clarification.

    Its `text` is in `language` (the article's text language when it was published);
    translators translate it with the article (`TranslationVersion.corrections`).
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    pending = models.ForeignKey(
        PendingChange, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=PendingChange.CorrectionKind.choices)
    text = models.TextField()
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    published_at = models.DateTimeField(default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["-published_at"]), models.Index(fields=["article"])]
        constraints = [
            models.CheckConstraint(
                condition=GreaterThan(Length("text"), 0)
                & LessThanOrEqual(Length("text"), CORRECTION_MAX_LENGTH),
                name="correction_text_length",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to “{self.article}”"

    def text_in(self, language: str, versions=None) -> tuple[str, str]:
        """(text, its language) for a page in `language`: the live translation's text of
        this note when there is one. `versions`: the article's translation versions
        (default `self.article.translations.all()`; prefetch them)."""
        if language != self.language:
            for version in self.article.translations.all() if versions is None else versions:
                if version.language == language and version.state in PUBLIC:
                    text = (version.corrections or {}).get(str(self.pk), "")
                    if text:
                        return text, language
        return self.text, self.language
