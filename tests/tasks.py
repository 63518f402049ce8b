"""Running the background queue inside a test, as `manage.py db_worker --batch` would."""

from __future__ import annotations

from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult


def queued(*, ready_only: bool = True):
    qs = DBTaskResult.objects.ready() if ready_only else DBTaskResult.objects.filter(status="READY")
    return qs.order_by("enqueued_at")


def run_queued_tasks(*, including_later: bool = False) -> int:
    """Run every task that is ready (and, with `including_later`, those waiting for a
    retry time too), one after another, in this process; return how many ran.

    The worker's loop is not used: it closes "old" connections, which would end a
    test's transaction.
    """
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )
    ran = 0
    while True:
        if including_later:
            DBTaskResult.objects.filter(status="READY").update(run_after=timezone.now())
        result = queued().first()
        if result is None:
            return ran
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
        if ran > 1000:
            raise RuntimeError("the queue does not drain")
