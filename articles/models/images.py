"""Pictures: the uploaded image and its texts per language."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


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
