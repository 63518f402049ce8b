"""Numbered versions of an article's text in one language."""

from __future__ import annotations

import reversion
from django.conf import settings
from django.conf.global_settings import LANGUAGES as ALL_LANGUAGES
from django.db import models
from django.db.models import Q

from articles.models.base import WORKFLOW_FIELDS, Moderated
from articles.models.story import Article, Text
from articles.states import State


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
    # The article's address in this language ("" keeps the article's own slug).
    slug = models.SlugField(max_length=200, blank=True, db_index=True)
    # Version 1 of an article whose own text is an imported translation: the record of
    # that text as imported (readers get the article's text, which editors may edit).
    imported = models.BooleanField(default=False, editable=False)
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
        # The imported version is the article's own text: it cannot lag behind it.
        return not self.imported and self.source_revision < self.article.text_revision

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
