"""Run queued django-tasks the way `guongsang db_worker` does, inside a test."""

from django.db.models import Q
from django.test import TestCase
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult, get_date_max


def queued(now=None):
    """Tasks due at ``now`` (default: the current, possibly frozen, time)."""
    now = now or timezone.now()
    return DBTaskResult.objects.filter(status=TaskResultStatus.READY).filter(
        Q(run_after=get_date_max()) | Q(run_after__lte=now)
    )


def run_queued_tasks(*, now=None, limit: int = 1000) -> int:
    """Claim and run every task due at ``now`` with the database worker's ``run_task``,
    including tasks those tasks enqueue, oldest first; returns how many ran. Call it after the
    ``django_capture_on_commit_callbacks(execute=True)`` block that started them."""
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
    while ran < limit:
        result = queued(now).order_by("enqueued_at").first()
        if result is None:
            break
        result.claim(worker.worker_id)
        # The worker runs in autocommit, so what a task defers to on_commit happens when each
        # of its transactions ends; inside the test's transaction, run those callbacks here.
        with TestCase.captureOnCommitCallbacks(execute=True):
            worker.run_task(result)
        ran += 1
    return ran
