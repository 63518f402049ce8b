"""Articles, their texts and everything attached to them.

Moderated models share `Moderated`: their state is never a form field; it changes only
through `articles.workflow.transition`, which also writes the `AuditEntry`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import reversion
from django.conf import settings
from django.conf.global_settings import LANGUAGES as ALL_LANGUAGES
from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThan, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from articles import mediatopics

# The desk's models live beside their logic; imported here so the app registers them
# (they name the models below by string and import nothing from this module).
from articles.assignments.models import Assignment  # noqa: F401
from articles.comments.models import Comment  # noqa: F401
from articles.notifications.events import notify_source_changed
from articles.notifications.models import Notification, Preferences  # noqa: F401
from articles.querysets import (
    AnalystQuerySet,
    ArticleQuerySet,
    AttributionQuerySet,
    CorrectionQuerySet,
    ModeratedQuerySet,
    TopicQuerySet,
)
from articles.revisions import FORMAT as REVISION_FORMAT
from articles.sanitize import clean_html
from articles.signoff.models import SignoffLink, StatementCheck  # noqa: F401
from articles.states import OPEN_CHANGES, PUBLIC, State

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


class Topic(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    media_topic = models.CharField(
        "IPTC Media Topic",
        max_length=20,
        blank=True,
        choices=mediatopics.choices,
        help_text="The closest IPTC Media Topic: partners' systems and search engines "
        "read it (ninjs subjects, JSON-LD about).",
    )

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:topic", args=[self.slug])

    @property
    def media_topic_uri(self) -> str:
        return mediatopics.uri(self.media_topic) if self.media_topic else ""


class Institution(models.Model):
    name = models.CharField(max_length=200)
    place = models.CharField(max_length=120, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name", "place"], name="institution_unique_name_place")
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.place}" if self.place else self.name


class Analyst(models.Model):
    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200, db_index=True)
    role = models.CharField("role or expertise", max_length=200, blank=True)
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="analysts"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = AnalystQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("articles:analyst", args=[self.slug])


@dataclass(frozen=True)
class Text:
    """One language's readable text of an article, wherever it is stored."""

    language: str
    title: str
    standfirst: str
    sections: list[dict]  # [{"heading": str, "paragraphs": [str, ...]}]
    from_language: str | None  # None for the original
    credit: str  # translator's name as published, "" for the original
    version: int


# Workflow fields stay out of revisions: reverting restores content, never a state
# (the revisions' format keeps them as stored, see articles.revisions).
WORKFLOW_FIELDS = [
    "state", "author", "created_at", "updated_at", "state_changed_at", "submitted_at",
    "reviewed_at", "reviewed_by", "publish_at", "published_at", "edit_version",
]  # fmt: skip


@reversion.register(
    follow=["sections"],
    exclude=[
        *WORKFLOW_FIELDS,
        "text_revision",
        "wire_fingerprint",
        "wire_imported_at",
        "wire_choices",
        "unpublish_at",
    ],  # fmt: skip
    format=REVISION_FORMAT,  # reverting keeps what is excluded: see articles.revisions
)
class Article(Moderated):
    """An article and its base text (the text it arrived in, editable by editors).

    The base text is the original when `language == original_language`; otherwise it
    is an imported translation, credited to `translator_credit` and counted as version
    1 of that language. Other languages live in `TranslationVersion`.
    """

    slug = models.SlugField(max_length=200, unique=True)
    title = models.CharField(max_length=300)
    standfirst = models.TextField(blank=True)
    language = models.CharField(
        "language of this text", max_length=10, choices=settings.LANGUAGES, default="en"
    )
    original_language = models.CharField(max_length=10, choices=ALL_LANGUAGES, default="en")
    translator_credit = models.CharField(
        max_length=200,
        blank=True,
        help_text="Translator's name as published, when this text is a translation.",
    )
    byline = models.CharField(max_length=200, blank=True)
    # The byline's page (/en/bylines/<slug>/): kept in step with `byline` by save().
    byline_slug = models.SlugField(max_length=200, blank=True, editable=False, db_index=True)
    dateline = models.CharField(
        max_length=120, blank=True, help_text="Where the story was reported from (e.g. Kyiv)."
    )
    lead_image = models.ForeignKey(
        "Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_of",
        help_text="Shown at the top of the article, in lists and when the article is shared.",
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="articles")
    # Bumped whenever the base text changes, so translations made from it go stale.
    text_revision = models.PositiveIntegerField(default=1, editable=False)
    # What the importer last brought in: the same copy again is then a no-op, even
    # after editors changed the article (see articles.intake.importer).
    wire_fingerprint = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    wire_imported_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The choices an editor made on that copy ({"key-points": "32"}): the same copy
    # imported again gets them again.
    wire_choices = models.JSONField(default=dict, blank=True, editable=False)
    # Set by the workflow ("unpublish" with a time); `publish_scheduled` unpublishes then.
    unpublish_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Edits of the published article wait here for review (see articles.pending).
    pending_changes = GenericRelation("articles.PendingChange")

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-created_at"]
        indexes = [
            models.Index(fields=["state", "-published_at"]),
            models.Index(fields=["state", "publish_at"]),
            models.Index(fields=["author", "state"]),
            models.Index(fields=["-created_at"]),
            # The admin's list, in the default order; the review queue, oldest first.
            models.Index(fields=["-published_at", "-created_at"], name="article_admin_order"),
            models.Index(fields=["state", "submitted_at"], name="article_queue"),
        ]
        permissions = [
            ("moderate_article", "Can approve, publish and unpublish content"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.byline_slug = slugify(self.byline)[:200]
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "byline" in update_fields:
            kwargs["update_fields"] = {*update_fields, "byline_slug"}
        super().save(*args, **kwargs)

    def get_absolute_url(self, language: str | None = None) -> str:
        from django.utils.translation import override

        with override(language or self.language):
            return reverse("articles:detail", args=[self.slug])

    @property
    def byline_url(self) -> str:
        return reverse("articles:byline", args=[self.byline_slug]) if self.byline_slug else ""

    @property
    def is_translated_copy(self) -> bool:
        return self.language != self.original_language

    def mark_text_revised(self, by=None) -> None:
        """Record that the base text changed: translations made from it go stale, and
        their translators are told (on commit)."""
        Article.objects.filter(pk=self.pk).update(text_revision=models.F("text_revision") + 1)
        self.refresh_from_db(fields=["text_revision"])
        transaction.on_commit(partial(notify_source_changed, self, by=by), robust=True)

    def text_in(self, language: str, states=PUBLIC, *, sections: bool = True) -> Text | None:
        """The text shown in `language` counting versions in `states`, or None.

        The highest-numbered translation version in `states` wins over the base text of
        the same language (it revises it); for readers (`states` = published) that is
        the one live version. Uses `translations.all()` so a prefetch serves it. Without
        `sections`, the text's sections are left empty (and never loaded: for lists).
        """
        versions = [
            v for v in self.translations.all() if v.language == language and v.state in states
        ]
        if versions:
            return max(versions, key=lambda v: v.version).as_text(sections=sections)
        if language == self.language:
            return self.base_text(sections=sections)
        return None

    def languages_with_text(self, states=PUBLIC) -> list[str]:
        """Codes of the languages with a text in `states`, in settings order."""
        codes = {self.language} | {v.language for v in self.translations.all() if v.state in states}
        return [code for code, _name in settings.LANGUAGES if code in codes]

    def live_text(self, language: str, *, sections: bool = True) -> Text | None:
        """The text readers get in `language`, or None when there is none."""
        return self.text_in(language, PUBLIC, sections=sections)

    def live_languages(self) -> list[str]:
        """Codes of the languages with a live text, in settings order."""
        return self.languages_with_text(PUBLIC)

    def base_text(self, *, sections: bool = True) -> Text:
        return Text(
            language=self.language,
            title=self.title,
            standfirst=self.standfirst,
            sections=[
                {"heading": s.heading, "paragraphs": s.paragraphs} for s in self.sections.all()
            ]
            if sections
            else [],
            from_language=self.original_language if self.is_translated_copy else None,
            credit=self.translator_credit if self.is_translated_copy else "",
            version=1,
        )


@reversion.register()
class Section(models.Model):
    """A part of the base text; the lead is the section with an empty heading."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField(default=0)
    heading = models.CharField(max_length=300, blank=True)
    body = models.TextField(help_text="Paragraphs, separated by a blank line.")
    image = models.ForeignKey(
        "Image",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sections",
        help_text="Shown after the section's heading.",
    )

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.heading or "(lead)"

    @property
    def paragraphs(self) -> list[str]:
        return split_paragraphs(self.body)


def split_paragraphs(body: str) -> list[str]:
    return [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]


def join_paragraphs(paragraphs: list[str]) -> str:
    return "\n\n".join(p.strip() for p in paragraphs)


@reversion.register(exclude=WORKFLOW_FIELDS)
class Attribution(Moderated):
    """An analyst's statement in an article: how editors attribute claims."""

    class Kind(models.TextChoices):
        QUOTE = "quote", "Quote"
        PARAPHRASE = "paraphrase", "Paraphrase"
        ASSESSMENT = "assessment", "Assessment"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="attributions")
    analyst = models.ForeignKey(Analyst, on_delete=models.PROTECT, related_name="attributions")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PARAPHRASE)
    statement = models.TextField()
    order = models.PositiveIntegerField(default=0)
    pending_changes = GenericRelation("articles.PendingChange")

    objects = AttributionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "id"]
        indexes = [
            models.Index(fields=["analyst", "state"]),
            models.Index(fields=["article", "state"]),
            models.Index(fields=["state", "submitted_at"], name="attribution_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.analyst}: {shorten(self.statement, 60)}"


@reversion.register(exclude=WORKFLOW_FIELDS)
class EnrichmentBlock(Moderated):
    """Typed supplementary content attached to an article."""

    class Kind(models.TextChoices):
        OVERVIEW = "overview", "Overview"
        KEY_POINTS = "key_points", "Key points"
        BACKGROUND = "background", "Background"
        COMPARISON = "comparison", "Comparison"
        TIMELINE = "timeline", "Timeline"

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="enrichment_blocks")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True, help_text="Limited HTML; anything else is removed.")
    items = models.JSONField(default=list, blank=True)
    provenance = models.CharField(
        max_length=300, blank=True, help_text="Where this came from (wire import, desk, agency)."
    )
    order = models.PositiveIntegerField(default=0)
    pending_changes = GenericRelation("articles.PendingChange")

    class Meta:
        ordering = ["order", "id"]
        indexes = [
            models.Index(fields=["article", "state"]),
            models.Index(fields=["state", "submitted_at"], name="block_queue"),
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()

    def save(self, *args, **kwargs):
        self.body = clean_html(self.body)
        super().save(*args, **kwargs)


@reversion.register(exclude=WORKFLOW_FIELDS)
class TranslationVersion(Moderated):
    """One numbered, append-only version of an article's text in one language.

    Approved versions become the live text of their language when the article is
    published; the version they replace is archived, never deleted.
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    from_language = models.CharField(max_length=10, choices=ALL_LANGUAGES)
    version = models.PositiveIntegerField(editable=False)
    title = models.CharField(max_length=300)
    standfirst = models.TextField(blank=True)
    sections = models.JSONField(default=list)  # [{"heading": str, "paragraphs": [str]}]
    credit = models.CharField(max_length=200, help_text="Translator's name as published.")
    translator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="translation_versions",
    )
    # What it was translated from: the article's text revision and a snapshot of it.
    source_revision = models.PositiveIntegerField()
    source_snapshot = models.JSONField(default=dict, blank=True)
    # The translator's text of the article's corrections: {str(correction id): text}.
    corrections = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["article", "language", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "language", "version"], name="translation_unique_version"
            ),
            models.UniqueConstraint(
                fields=["article", "language"],
                condition=Q(state=State.PUBLISHED),
                name="translation_one_live_per_language",
            ),
        ]
        indexes = [
            models.Index(fields=["translator", "state"]),
            models.Index(fields=["article", "language", "state"]),
            models.Index(fields=["state", "submitted_at"], name="translation_queue"),
        ]

    def __str__(self) -> str:
        return f"{self.article} [{self.language} v{self.version}]"

    @property
    def is_outdated(self) -> bool:
        return self.source_revision < self.article.text_revision

    def as_text(self, *, sections: bool = True) -> Text:
        return Text(
            language=self.language,
            title=self.title,
            standfirst=self.standfirst,
            sections=self.sections if sections else [],
            from_language=self.from_language,
            credit=self.credit,
            version=self.version,
        )


@dataclass(frozen=True)
class ImageText:
    """What readers read of an image in one language (falls back to its own language)."""

    language: str
    alt_text: str
    caption: str
    credit: str
    licence: str


class Image(models.Model):
    """A picture for readers.

    The uploaded file is never stored: `articles.images` checks it, keeps only its
    pixels (no EXIF, no text chunks) in `master`, and makes the renditions readers get
    once, listed in `renditions`. Alt text, caption and licence are translated in
    `ImageTranslation`; the credit is a name and reads the same everywhere.
    """

    class Format(models.TextChoices):
        JPEG = "JPEG", "JPEG"
        PNG = "PNG", "PNG"
        WEBP = "WEBP", "WebP"

    alt_text = models.CharField(
        max_length=300, help_text="What the picture shows, for readers who cannot see it."
    )
    caption = models.TextField(blank=True)
    credit = models.CharField(max_length=200, help_text="Photographer or agency, as published.")
    licence = models.CharField(
        max_length=200, help_text="e.g. “All rights reserved” or “CC BY 4.0”."
    )
    licence_url = models.URLField(blank=True)
    language = models.CharField(
        "language of the texts", max_length=10, choices=settings.LANGUAGES, default="en"
    )
    focal_x = models.FloatField(
        "focal point (x)", default=0.5, help_text="0 = left edge, 1 = right edge."
    )
    focal_y = models.FloatField(
        "focal point (y)", default=0.5, help_text="0 = top edge, 1 = bottom edge."
    )
    # Written only by articles.images: the cleaned pixels and what was made from them.
    master = models.CharField(max_length=300, editable=False)
    format = models.CharField(max_length=4, choices=Format.choices, editable=False)
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False, db_index=True)
    renditions = models.JSONField(default=list, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_inside",
            )
        ]

    def __str__(self) -> str:
        return self.alt_text[:80]

    def text_in(self, language: str) -> ImageText:
        """Alt text, caption, credit and licence in `language`, else in the image's own.

        Uses `translations.all()` so a prefetch serves it.
        """
        own = ImageText(self.language, self.alt_text, self.caption, self.credit, self.licence)
        if language == self.language:
            return own
        for t in self.translations.all():
            if t.language == language:
                return ImageText(
                    language,
                    t.alt_text,
                    t.caption or self.caption,
                    self.credit,
                    t.licence or self.licence,
                )
        return own


class ImageTranslation(models.Model):
    image = models.ForeignKey(Image, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    alt_text = models.CharField(max_length=300)
    caption = models.TextField(blank=True)
    licence = models.CharField(max_length=200, blank=True, help_text="Empty: as the original.")

    class Meta:
        ordering = ["language"]
        constraints = [
            models.UniqueConstraint(
                fields=["image", "language"], name="image_one_translation_per_language"
            )
        ]

    def __str__(self) -> str:
        return f"{self.image_id} [{self.language}]"


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


class PageSnapshot(models.Model):
    """What readers see of one published story in one language, written at publication.

    Rebuilt by `articles.site.snapshots` (called from `articles.publication`) from the
    read rules whenever something readers see of the story changes; the article page
    and the API's article and ninjs are served from it in one query. `signature` names
    what the story is listed under (topics, statements, proposals), to tell which lists
    a change makes stale; `stale` marks a snapshot to rebuild on its next read.
    """

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="snapshots", editable=False
    )
    language = models.CharField(max_length=10, editable=False)
    document = models.JSONField(editable=False)
    signature = models.JSONField(editable=False)
    stale = models.BooleanField(default=False, editable=False)
    built_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["article", "language"], name="snapshot_per_language")
        ]

    def __str__(self) -> str:
        return f"{self.article_id} [{self.language}]"
