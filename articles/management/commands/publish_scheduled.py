from django.core.management.base import BaseCommand

from articles.workflow import publish_due


class Command(BaseCommand):
    help = "Publish every approved item whose publish time has come. Safe to run from cron."

    def handle(self, *args, **options):
        published = publish_due()
        for obj in published:
            self.stdout.write(f"published {obj._meta.verbose_name}: {obj}")
        self.stdout.write(f"{len(published)} item(s) published.")
