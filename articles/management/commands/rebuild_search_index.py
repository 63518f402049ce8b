"""`manage.py rebuild_search_index`: rewrite the full-text index from published content.

The index follows every publication by itself (`articles.publication`); this is for
after a restore, a bulk change made outside the workflow, or a change of the indexing
rules. Safe to run at any time: readers keep the old index until the new one commits.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from articles.site.search import rebuild_index


class Command(BaseCommand):
    help = "Rebuild the full-text search index from the published articles."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every",
            type=int,
            default=200,
            metavar="N",
            help="report progress every N articles (also the batch size; default 200)",
        )

    def handle(self, *args, every: int, verbosity: int, **options) -> None:
        if every < 1:
            raise CommandError("--every must be at least 1")

        def progress(done: int, total: int) -> None:
            if verbosity >= 1:
                self.stdout.write(f"indexed {done}/{total} articles")

        report = rebuild_index(batch_size=every, progress=progress)
        self.stdout.write(
            self.style.SUCCESS(
                f"Search index rebuilt: {report.articles} published article(s), "
                f"{report.rows} text(s) indexed."
            )
        )
