from django.core.management.base import BaseCommand, CommandError

from articles.workflow import WorkflowError, publish_due, unpublish_due


class Command(BaseCommand):
    help = (
        "Publish every approved item whose publish time has come, and unpublish every "
        "article whose scheduled unpublishing time has come. Safe to run from cron."
    )

    def handle(self, *args, **options):
        failed = []

        def report(obj, error: Exception) -> None:
            # One line per item that stays behind, naming it and why; the rest go on.
            why = str(error) if isinstance(error, WorkflowError) else repr(error)
            name = f"{obj._meta.verbose_name} {obj.pk} “{obj}”"
            self.stderr.write(f"error: {name}: {' '.join(why.split())}")
            failed.append(obj)

        published = publish_due(on_failure=report)
        for obj in published:
            self.stdout.write(f"published {obj._meta.verbose_name}: {obj}")
        self.stdout.write(f"{len(published)} item(s) published.")
        unpublished = unpublish_due(on_failure=report)
        for obj in unpublished:
            self.stdout.write(f"unpublished {obj._meta.verbose_name}: {obj}")
        if unpublished:
            self.stdout.write(f"{len(unpublished)} item(s) unpublished.")
        if failed:
            raise CommandError(f"{len(failed)} item(s) could not be published or unpublished.")
