"""Task functions for the jobs tests (module level, as django-tasks requires)."""

from django.core.exceptions import ValidationError
from django_tasks import task

from guongsang.jobs.models import Job
from guongsang.jobs.services import finish, job_task, progress, read_input


@task()
@job_task
def count_lines(*, job_id: int) -> None:
    job = Job.objects.get(pk=job_id)
    lines = read_input(job).decode().splitlines()
    errors = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            errors.append({"row": number, "message": "Dòng trống."})
        progress(job_id=job_id, done=number, total=len(lines))
    finish(
        job_id=job_id,
        result_bytes="\n".join(line.upper() for line in lines).encode(),
        result_name="kết quả.txt",
        errors=errors,
        message=f"Đã đếm {len(lines)} dòng.",
    )


@task()
@job_task
def crash(*, job_id: int) -> None:
    raise RuntimeError("secret internal detail")


@task()
@job_task
def refuse(*, job_id: int) -> None:
    raise ValidationError("Tệp không đúng mẫu.")
