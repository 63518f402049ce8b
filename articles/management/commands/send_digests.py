"""`python manage.py send_digests`: the daily e-mail digests (run it from cron once a day).

Each person who chose "a daily digest" gets one e-mail with every notification since
their last one. A failing mail server is reported on one `error: …` line per person
(their notifications wait for the next run) and the command exits 1 once the rest
are sent.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from articles.notifications.delivery import send_digests


class Command(BaseCommand):
    help = "Send the daily digest e-mails of notifications."

    def handle(self, *args, **options):
        failures = []

        def report(person, error):
            failures.append(person)
            self.stderr.write(
                f"error: could not send the digest of {person.get_username()}: {error}"
            )

        sent = send_digests(on_failure=report)
        self.stdout.write(f"{sent} digest{'s' if sent != 1 else ''} sent.")
        if failures:
            raise CommandError(f"{len(failures)} digest(s) not sent; they wait for the next run.")
