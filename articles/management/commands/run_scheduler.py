"""`manage.py run_scheduler`: `publish_scheduled` every minute, until stopped.

What `make serve` runs beside the web server (cron running `publish_scheduled` every
minute does the same). A run that fails is reported on stderr and the loop goes on;
SIGTERM or Ctrl-C stops it between runs.
"""

from __future__ import annotations

import signal
import threading
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connection


class Command(BaseCommand):
    help = "Run publish_scheduled every minute (the scheduler beside the web server)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--every", type=float, default=60.0, metavar="SECONDS",
            help="seconds between runs (default 60)",
        )  # fmt: skip
        parser.add_argument("--once", action="store_true", help="one run, then exit")

    def handle(self, *args, every: float, once: bool, **options) -> None:
        if every <= 0:
            raise CommandError("--every must be more than 0")
        stop = threading.Event()
        for signum in (signal.SIGTERM, signal.SIGINT):
            signal.signal(signum, lambda *_: stop.set())
        while not stop.is_set():
            started = time.monotonic()
            if not connection.in_atomic_block:  # (inside a test's transaction: keep it)
                # A connection broken by a database restart, or past CONN_MAX_AGE, is
                # closed here and opened again by the run.
                close_old_connections()
            try:
                call_command("publish_scheduled", stdout=self.stdout, stderr=self.stderr)
            except CommandError as error:  # some items could not be published
                self.stderr.write(f"publish_scheduled: {error}")
            except Exception as error:  # noqa: BLE001 - the loop outlives one bad run
                self.stderr.write(f"publish_scheduled failed: {error!r}")
            if once:
                break
            stop.wait(max(0.0, every - (time.monotonic() - started)))
