"""The models of localisation: the translated parts of a story, who may translate and
review which language, the glossary and the translation memory.

Imported by `articles.models` (they are the articles app's models); the code that
writes them is `articles.translations` (domain, glossary, memory).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from articles.querysets import TranslationUnitQuerySet


class TranslationUnit(models.Model):
    """One translated text of a story's part in one version (a statement, a block's
    title, a proposal's term, a topic's name…), keyed as `articles.translatable` says.

    `source` is the text it was made from, so an unchanged source can be pre-filled
    from it and a changed one is known to be outdated.
    """

    version = models.ForeignKey(
        "articles.TranslationVersion", on_delete=models.CASCADE, related_name="units"
    )
    key = models.CharField(max_length=100)  # "attribution:12:statement"
    source = models.TextField(blank=True)
    text = models.TextField(blank=True)

    objects = TranslationUnitQuerySet.as_manager()

    class Meta:
        ordering = ["version", "id"]
        constraints = [
            models.UniqueConstraint(fields=["version", "key"], name="translation_unit_unique_key")
        ]
        indexes = [models.Index(fields=["key", "version"])]

    def __str__(self) -> str:
        return f"{self.key} [{self.version_id}]"


class LanguageGrant(models.Model):
    """A language a person may translate into, or review versions in (set by editors).

    A translator with no translation grant works in every language; one or more
    grants limit them to those (and, with `from_language`, to that pair). An editor
    with review grants reviews versions in those languages only.
    """

    class Role(models.TextChoices):
        TRANSLATE = "translate", "Translate into"
        REVIEW = "review", "Review"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_grants"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.TRANSLATE)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    from_language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text="Only from this language (a language pair). Empty: from any language.",
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["user", "role", "language", "from_language"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "language", "from_language"], name="language_grant_unique"
            )
        ]

    def __str__(self) -> str:
        pair = f"{self.from_language}→{self.language}" if self.from_language else self.language
        return f"{self.user}: {self.get_role_display().lower()} {pair}"


class GlossaryEntry(models.Model):
    """A term with its approved rendering per language (`GlossaryRendering`).

    The newsroom's own entities (analysts, institutions, actors, term categories,
    topics) have an entry each, linked by `kind` and `object_id`; editors add others.
    """

    class Kind(models.TextChoices):
        TERM = "term", "Term"
        ANALYST = "analyst", "Analyst"
        INSTITUTION = "institution", "Institution"
        ACTOR = "actor", "Actor"
        CATEGORY = "category", "Term category"
        TOPIC = "topic", "Topic"

    term = models.CharField(max_length=200)
    language = models.CharField(
        "language of the term", max_length=10, choices=settings.LANGUAGES, default="en"
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.TERM)
    object_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    note = models.TextField(blank=True, help_text="Usage note for translators.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["term", "language"]
        verbose_name_plural = "glossary entries"
        constraints = [
            models.UniqueConstraint(
                Lower("term"),
                "language",
                name="glossary_one_entry_per_term_and_language",
                violation_error_message="This term is already in the glossary in this language "
                "(whatever its capitals): edit that entry instead.",
            )
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.language})"


class GlossaryRendering(models.Model):
    entry = models.ForeignKey(GlossaryEntry, on_delete=models.CASCADE, related_name="renderings")
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    text = models.CharField(max_length=200, blank=True)
    do_not_translate = models.BooleanField(
        default=False, help_text="Keep the term as it is written (a name, a brand)."
    )

    class Meta:
        ordering = ["entry", "language"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "language"],
                name="glossary_one_rendering_per_language",
                violation_error_message="This term already has a rendering in this language.",
            ),
            models.CheckConstraint(
                condition=models.Q(do_not_translate=True) | ~models.Q(text=""),
                name="glossary_rendering_has_text_or_is_kept",
                violation_error_message="Give a rendering, or tick “do not translate”.",
            ),
        ]

    def __str__(self) -> str:
        return self.entry.term if self.do_not_translate else self.text

    @property
    def rendering(self) -> str:
        return self.entry.term if self.do_not_translate else self.text


class MemorySegment(models.Model):
    """A source text and its translation from a version (a paragraph, a heading, a
    part's text, or one sentence of them). A segment is in the memory once its
    version has been approved (see `articles.translations.memory`)."""

    class Kind(models.TextChoices):
        PARAGRAPH = "paragraph", "Paragraph"
        SENTENCE = "sentence", "Sentence"

    version = models.ForeignKey(
        "articles.TranslationVersion", on_delete=models.CASCADE, related_name="segments"
    )
    source_language = models.CharField(max_length=10)
    target_language = models.CharField(max_length=10)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PARAGRAPH)
    source = models.TextField()
    target = models.TextField()
    source_length = models.PositiveIntegerField()
    source_digest = models.CharField(max_length=64)  # sha256 of the source: exact matches

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["source_language", "target_language", "source_digest"]),
            models.Index(fields=["source_language", "target_language", "source_length"]),
        ]

    def __str__(self) -> str:
        return f"{self.source[:40]} → {self.target[:40]}"
