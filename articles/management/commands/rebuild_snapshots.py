"""`manage.py rebuild_snapshots`: write the published stories' page snapshots.

Publication keeps them current by itself (`articles.publication`); run this once after
deploying a release that changes what a snapshot holds, after a restore, or with
`--missing` (what `make serve` does before starting) to fill in the stories that have
none yet or are marked stale. A story without its snapshot is still served: its page
builds it on first read.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.models import Article, PageSnapshot
from articles.site import snapshots


class Command(BaseCommand):
    help = "Rebuild the page snapshots of published stories (all, or --missing ones)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--missing",
            action="store_true",
            help="only stories without a snapshot, or with a stale one",
        )
        parser.add_argument(
            "--every", type=int, default=500, metavar="N",
            help="report progress every N stories (default 500)",
        )  # fmt: skip

    def handle(self, *args, missing: bool, every: int, verbosity: int, **options) -> None:
        if every < 1:
            raise CommandError("--every must be at least 1")
        stories = Article.objects.public()
        if missing:
            fresh = PageSnapshot.objects.filter(stale=False).values("article_id")
            stories = stories.exclude(pk__in=fresh)
        ids = list(stories.order_by("-published_at", "-pk").values_list("pk", flat=True))
        for start in range(0, len(ids), every):
            snapshots.refresh(ids[start : start + every])
            if verbosity >= 1:
                self.stdout.write(f"rebuilt {min(start + every, len(ids))}/{len(ids)} stories")
        self.stdout.write(self.style.SUCCESS(f"Snapshots rebuilt for {len(ids)} stories."))
