"""What the models share: language names, `Moderated` (the fields only the workflow
changes) and the audit trail (`AuditEntry.objects.for_instance`)."""

from __future__ import annotations

from django.conf import settings
from django.conf.global_settings import LANGUAGES as ALL_LANGUAGES
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from articles.querysets import (
    ModeratedQuerySet,
)
from articles.states import PUBLIC, State

LANGUAGE_NAMES = dict(ALL_LANGUAGES)


def language_name(code: str) -> str:
    return str(LANGUAGE_NAMES.get(code, code))


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"


class Moderated(models.Model):
    """Fields every moderated model carries. See `articles.workflow` for the rules."""

    state = models.CharField(
        max_length=20, choices=State.choices, default=State.DRAFT, editable=False, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    state_changed_at = models.DateTimeField(default=timezone.now, editable=False)
    submitted_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    publish_at = models.DateTimeField(
        null=True, blank=True, editable=False, help_text="Scheduled publication time."
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Bumped by every content save; a save made from an older copy is refused.
    edit_version = models.PositiveIntegerField(default=1, editable=False)

    objects = ModeratedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self.pk and update_fields is None:
            self.edit_version += 1
        super().save(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.state in PUBLIC


# Workflow fields stay out of revisions: reverting restores content, never a state
# (the revisions' format keeps them as stored, see articles.revisions).
WORKFLOW_FIELDS = [
    "state", "author", "created_at", "updated_at", "state_changed_at", "submitted_at",
    "reviewed_at", "reviewed_by", "publish_at", "published_at", "edit_version",
]  # fmt: skip


class AuditEntryQuerySet(models.QuerySet):
    def for_instance(self, obj: models.Model):
        """The trail of one object, oldest first (like Wagtail's `for_instance`)."""
        return self.for_instances(type(obj), [obj.pk])

    def for_instances(self, model: type[models.Model], ids):
        """The trails of the `model` rows `ids`, oldest first, in one query."""
        content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
        return self.filter(content_type=content_type, object_id__in=list(ids))

    def notes_by_object(self, objects) -> dict[int, list[AuditEntry]]:
        """The entries carrying a note (reviewers' notes) of `objects` (all of one
        model), oldest first, by object id: one query."""
        objects = list(objects)
        notes: dict[int, list[AuditEntry]] = {obj.pk: [] for obj in objects}
        if objects:
            for entry in self.for_instances(type(objects[0]), notes):
                if entry.note:
                    notes[entry.object_id].append(entry)
        return notes


class AuditEntry(models.Model):
    """Append-only record of a moderation action (who, when, from, to, note)."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    action = models.CharField(max_length=64)  # namespaced: "moderation.approve"
    # SET_NULL plus the name: the trail survives the user's deletion.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    actor_name = models.CharField(max_length=150)
    created_at = models.DateTimeField(default=timezone.now)
    data = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.data.get('from')}→{self.data.get('to')}"

    def save(self, *args, **kwargs):
        if self.pk:
            raise ValueError("Audit entries are append-only.")
        super().save(*args, **kwargs)

    @property
    def note(self) -> str:
        return self.data.get("note", "")

    @property
    def to_label(self) -> str:
        """The state the action left the object in, as people read it ("In review")."""
        to = self.data.get("to", "")
        return State(to).label if to in State.values else to
