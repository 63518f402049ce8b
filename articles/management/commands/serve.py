"""`manage.py serve` (`make serve`): the production server and the scheduler beside it.

Before serving, with the settings of the environment (`make serve` sets
`DJANGO_DEBUG=0`, so `DJANGO_SECRET_KEY` and `DJANGO_ALLOWED_HOSTS` are required):

1. `check --deploy` must pass with no error;
2. `collectstatic` (static files are served from a hashed manifest with DEBUG off);
3. the migrations must all be applied (`migrate --check`; run `migrate` first);
4. the snapshots of published stories that have none are written
   (`rebuild_snapshots --missing`);

then it starts gunicorn (`newsroom/gunicorn.conf.py`: workers from the CPU count,
`WORKERS` to override, `PORT`/`BIND`) and `run_scheduler` (publishes what falls due,
every minute) and `db_worker` (sends the queued notification e-mail), and stays in front
of them: SIGTERM or Ctrl-C stops them in order, and if one exits the others are stopped
and `serve` exits with its status.
"""

from __future__ import annotations

import contextlib
import ctypes
import signal
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

CONFIG = Path(settings.BASE_DIR) / "newsroom" / "gunicorn.conf.py"


def _die_with_parent() -> None:
    """In a child: SIGTERM when `serve` dies (Linux), so nothing outlives it."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class Command(BaseCommand):
    help = "Check, collect static files, then run gunicorn, the scheduler and the worker."
    requires_system_checks: list = []  # `check --deploy` runs below, with its own level

    def handle(self, *args, **options) -> None:
        if settings.DEBUG:
            raise CommandError("serve is for production: set DJANGO_DEBUG=0 (make serve does)")
        call_command("check", deploy=True, fail_level="ERROR")
        call_command("collectstatic", interactive=False, verbosity=0)
        try:
            call_command("migrate", check=True, verbosity=0)
        except SystemExit:  # `migrate --check` exits 1 when a migration is unapplied
            raise CommandError(
                "unapplied migrations: run `python manage.py migrate` first"
            ) from None
        call_command("rebuild_snapshots", missing=True, verbosity=0)
        self.stdout.write("checks passed, static files collected, migrations applied")
        self.run_processes()

    def run_processes(self) -> None:
        python = sys.executable
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        commands = {
            "gunicorn": [python, "-m", "gunicorn", "newsroom.wsgi:application", "-c", str(CONFIG)],
            "scheduler": [python, manage, "run_scheduler"],
            # Queued background work (notification e-mail, articles.notifications.delivery).
            "worker": [python, manage, "db_worker", "--no-reload"],
        }
        processes = {
            name: subprocess.Popen(command, cwd=settings.BASE_DIR, preexec_fn=_die_with_parent)
            for name, command in commands.items()
        }
        stopping = False

        def stop(*_args) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        status = 0
        while not stopping:
            exited = {n: p.returncode for n, p in processes.items() if p.poll() is not None}
            if exited:
                name, status = next(iter(exited.items()))
                self.stderr.write(f"{name} exited with status {status}: stopping")
                break
            time.sleep(0.5)
        for process in processes.values():  # the server last: it finishes its requests
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        if status:
            raise CommandError(f"stopped: a process exited with status {status}")
