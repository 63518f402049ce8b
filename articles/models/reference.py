"""The newsroom's reference data: topics, institutions and analysts."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone

from articles import mediatopics
from articles.querysets import (
    AnalystQuerySet,
    TopicQuerySet,
)


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
