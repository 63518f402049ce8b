"""Per-language snapshots of published stories (built by `articles.site.snapshots`)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from articles.models.story import Article


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
