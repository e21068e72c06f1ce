"""Background jobs: what a user sees of a django-tasks task.

A view calls ``start`` (which saves the input and enqueues the task once the transaction
commits) and redirects to the job's page; the task, given ``job_id`` and the ids it needs,
re-fetches its objects, reports ``progress`` as it goes, and ends with ``finish`` or ``fail``.
Wrap the task function in ``job_task`` so that a crash marks the job failed with a Vietnamese
message instead of leaving it "running"::

    @task()
    @job_task
    def import_units(*, job_id: int, parent_id: int) -> None:
        job = Job.objects.get(pk=job_id)
        data = read_input(job)
        ...
        progress(job_id=job_id, done=500, total=5000)
        ...
        finish(job_id=job_id, errors=[{"row": 12, "message": "..."}], message="...")

Progress is written with single UPDATEs outside any transaction of the task, so the job's page
sees it while the task runs: commit the task's own work in batches.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .models import Job, JobState

logger = logging.getLogger(__name__)

UNEXPECTED = gettext_noop(
    "Tác vụ gặp lỗi ngoài dự kiến và đã dừng. Vui lòng thử lại sau hoặc báo quản trị hệ thống."
)


INTERRUPTED = gettext_noop("Tác vụ bị dừng giữa chừng vì máy chủ tắt. Vui lòng chạy lại.")


def start(
    *,
    kind: str,
    user,
    unit=None,
    task,
    input_bytes: bytes | None = None,
    input_name: str = "",
    **task_kwargs: Any,
) -> Job:
    """Create a queued job for ``user`` and enqueue ``task(job_id=..., **task_kwargs)`` once
    the current transaction commits. ``task_kwargs`` must be JSON values (ids, not objects).
    If the queue cannot be reached the job is marked failed; the request goes on."""
    job = Job(kind=kind, user=user, unit=unit, input_name=input_name[:200])
    if input_bytes is not None:
        job.input_file.save("input", ContentFile(input_bytes), save=False)
    job.save()
    job_id = job.pk

    def enqueue() -> None:
        try:
            task.enqueue(job_id=job_id, **task_kwargs)
        except Exception:
            logger.exception("Could not enqueue job %s (%s)", job_id, kind)
            fail(
                job_id=job_id,
                message=_("Không đưa được tác vụ vào hàng đợi. Vui lòng thử lại sau."),
            )

    transaction.on_commit(enqueue)
    return job


def begin(*, job_id: int) -> Job | None:
    """Mark the job running; None when it is gone or already finished (run twice)."""
    now = timezone.now()
    changed = Job.objects.filter(pk=job_id, state__in=[JobState.QUEUED, JobState.RUNNING]).update(
        state=JobState.RUNNING, started_at=now
    )
    if not changed:
        return None
    return Job.objects.get(pk=job_id)


def progress(*, job_id: int, done: int, total: int | None = None, message: str = "") -> None:
    """Record how far the task is (``done`` of ``total`` items)."""
    values: dict[str, Any] = {"done": max(0, done), "state": JobState.RUNNING}
    if total is not None:
        values["total"] = max(0, total)
    if message:
        values["message"] = message[:500]
    Job.objects.filter(pk=job_id).exclude(state__in=[JobState.DONE, JobState.FAILED]).update(
        **values
    )


def finish(
    *,
    job_id: int,
    result_bytes: bytes | None = None,
    result_name: str = "",
    errors: list | None = None,
    message: str = "",
) -> None:
    """Mark the job done, with a result file to download and/or row errors to show."""
    job = Job.objects.get(pk=job_id)
    job.state = JobState.DONE
    job.finished_at = timezone.now()
    if job.total and job.done < job.total and not errors:
        job.done = job.total
    if errors is not None:
        job.errors = errors
    if message:
        job.message = message[:500]
    fields = ["state", "finished_at", "done", "errors", "message"]
    if result_bytes is not None:
        job.result_file.save("result", ContentFile(result_bytes), save=False)
        job.result_name = (result_name or "ket-qua")[:200]
        fields += ["result_file", "result_name"]
    job.save(update_fields=fields)


def fail(*, job_id: int, message: str) -> None:
    """Mark the job failed with a message the user reads (Vietnamese, never a traceback)."""
    Job.objects.filter(pk=job_id).update(
        state=JobState.FAILED, message=message[:500], finished_at=timezone.now()
    )


def read_input(job: Job) -> bytes:
    """The bytes the job was started with (empty when it had none)."""
    if not job.input_file:
        return b""
    with job.input_file.open("rb") as handle:
        return handle.read()


def job_task(func: Callable[..., Any]) -> Callable[..., Any]:
    """Decorator for a task function taking ``job_id``: marks the job running, skips it when it
    already finished, and turns an exception into a failed job (a ``ValidationError``'s own
    messages, otherwise a generic message; the traceback goes to the log only). A function
    that returns without calling ``finish`` or ``fail`` finishes the job."""

    @functools.wraps(func)
    def wrapper(*, job_id: int, **kwargs: Any) -> Any:
        if begin(job_id=job_id) is None:
            return None
        try:
            func(job_id=job_id, **kwargs)
        except ValidationError as exc:
            fail(job_id=job_id, message=" ".join(exc.messages))
            return None
        except Exception:
            logger.exception("Job %s failed", job_id)
            fail(job_id=job_id, message=_(UNEXPECTED))
            return None
        except BaseException:
            # The worker was stopped in the middle (a second Ctrl+C, SIGKILL aside).
            fail(job_id=job_id, message=_(INTERRUPTED))
            raise
        if Job.objects.filter(pk=job_id, state=JobState.RUNNING).exists():
            finish(job_id=job_id)
        return None

    return wrapper


def fail_stale(*, hours: int = 24) -> int:
    """Mark failed the jobs queued or running for more than ``hours`` hours: their worker was
    killed (a task in progress when the machine stops is not run again)."""
    cutoff = timezone.now() - dt.timedelta(hours=hours)
    return Job.objects.filter(
        state__in=[JobState.QUEUED, JobState.RUNNING], created_at__lt=cutoff
    ).update(state=JobState.FAILED, message=_(INTERRUPTED), finished_at=timezone.now())


def delete_old_files(*, days: int) -> int:
    """Delete the input and result files of jobs finished more than ``days`` days ago."""
    cutoff = timezone.now() - dt.timedelta(days=days)
    count = 0
    old = Job.objects.filter(finished_at__lt=cutoff).exclude(input_file="", result_file="")
    for job in old.iterator():
        for field in (job.input_file, job.result_file):
            if field:
                field.delete(save=False)
                count += 1
        job.save(update_fields=["input_file", "result_file"])
    return count
