"""A story's article and what is written with it: sections, attributed statements and
enrichment blocks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

import reversion
from django.conf import settings
from django.conf.global_settings import LANGUAGES as ALL_LANGUAGES
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models, transaction
from django.urls import reverse
from django.utils.text import slugify

from articles.models.base import WORKFLOW_FIELDS, Moderated, shorten
from articles.models.reference import Analyst, Topic
from articles.notifications.events import notify_source_changed
from articles.querysets import (
    ArticleQuerySet,
    AttributionQuerySet,
)
from articles.revisions import FORMAT as REVISION_FORMAT
from articles.sanitize import clean_html
from articles.states import PUBLIC


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

        language = language or self.language
        with override(language):
            return reverse("articles:detail", args=[self.slug_in(language)])

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
            latest = max(versions, key=lambda v: v.version)
            # The imported version 1 records the article's own text: that text is shown.
            if latest.imported:
                return self.base_text(sections=sections)
            return latest.as_text(sections=sections)
        if language == self.language:
            return self.base_text(sections=sections)
        return None

    def slug_in(self, language: str, states=PUBLIC) -> str:
        """The article's address in `language`: the slug of the text shown there.

        Uses `translations.all()` like `text_in`.
        """
        versions = [
            v
            for v in self.translations.all()
            if v.language == language and v.state in states and v.slug and not v.imported
        ]
        if versions:
            return max(versions, key=lambda v: v.version).slug
        return self.slug

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
